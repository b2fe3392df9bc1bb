"""The ledger's dates as an iCalendar file (RFC 5545) that any calendar subscribes to or
imports: milestones on their due day, decisions on their review day, meetings on theirs::

    >>> write_calendar(ledger, Path("legal.ics"), owner="legal")  # doctest: +SKIP
    {'path': 'legal.ics', 'events': 12, 'commit': '3f2a9c1e0b…'}

Every event is a whole day. Its UID is made of the record's id, what the day is for and the
ledger's first commit (``MS-2026-0003-due@3f2a9c1e0b7d.hrgov``): the same in every file the
ledger ever gives, so that importing a newer file updates the events rather than adding
them again. ``SEQUENCE`` counts the changes the record has had and ``DTSTAMP`` the
time of its last change, so a calendar takes a moved due date as the newer one, and the same
ledger commit always gives the same bytes. A milestone done stays in the file, marked done;
one dropped, or a decision no longer in force, is ``CANCELLED`` so that calendars take it
off.

A calendar is a file that leaves the ledger: like an export, it holds no restricted record
(nor one whose required link names one), now or ever restricted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hrgov import __version__, queries
from hrgov.briefing.data import IN_FORCE
from hrgov.briefing.files import check_output, write_atomically
from hrgov.snapshot import withheld_closure

BODY_NAMES = {
    "steering-committee": "Human Rights Steering Committee",
    "executive-committee": "Executive Committee",
    "board": "Board",
}


def write_calendar(ledger, out_path: Path | str, *, owner: str | None = None) -> dict:
    """Write the calendar of ``ledger`` (only ``owner``'s milestones and decisions, if
    given; meetings always) to ``out_path`` (``-`` for stdout: the bytes are returned
    instead). Nothing is written when the owner or the path is wrong."""
    to_stdout = str(out_path) == "-"
    path = None if to_stdout else check_output(out_path, ".ics")
    data, events, commit = build_calendar(ledger, owner=owner)
    if path is not None:
        write_atomically(path, data)
    return {"path": str(out_path), "events": events, "commit": commit,
            "data": data if to_stdout else None}


def build_calendar(ledger, *, owner: str | None = None) -> tuple[bytes, int, str]:
    """The calendar's bytes, how many events it holds and the commit it was built from."""
    from icalendar import Calendar

    conn = ledger.reader()
    if owner is not None:
        queries.require(conn, owner, "department")
    hidden = queries.ever_restricted(conn)
    hidden = withheld_closure(conn, "main", hidden) if hidden else set()
    milestones = [m for m in queries.list_records(conn, "milestones", owner=owner)
                  if m["id"] not in hidden]
    decisions = [d for d in queries.list_records(conn, "decisions", owner=owner)
                 if d["id"] not in hidden and d.get("review_by")]
    meetings = [m for m in queries.list_records(conn, "meetings") if m["id"] not in hidden]
    stamps = queries.last_changes(conn, [r["id"] for r in milestones + decisions + meetings])
    domain = f"{queries.first_commit(conn)[:12]}.hrgov"
    organisation = ledger.settings().get("organisation.name") or "hrgov"

    calendar = Calendar()
    calendar.add("prodid", f"-//hrgov//hrgov {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"{organisation}: human-rights deadlines" + (f" ({owner})" if owner else "")
    calendar.add("x-wr-calname", name)

    def event(record: dict, what: str, day: str, summary: str, description: str,
              cancelled: bool = False):
        versions, changed = stamps[record["id"]]
        item = _event(f"{record['id']}-{what}@{domain}", day, summary, description,
                      versions, changed)
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(item)

    for m in milestones:
        done = m["status"] == "done"
        prefix = "Done: " if done else ("Dropped: " if m["status"] == "dropped" else "Due: ")
        lines = [f"Milestone {m['id']} ({m['status']}), owner {m.get('owner', '-')}",
                 f"Commitment: {m['commitment']}"]
        if m.get("decision"):
            lines.append(f"Decision: {m['decision']}")
        if m.get("slips"):
            lines.append(f"First due {m['original_due']}; moved {len(m['slips'])} time(s)")
        if done and m.get("done_on"):
            lines.append(f"Done on {m['done_on']}")
        lines.append(f"hrgov show {m['id']}")
        event(m, "due", m["due"], f"{prefix}{m['title']}", "\n".join(lines),
              cancelled=m["status"] == "dropped")
    for d in decisions:
        lines = [f"Decision {d['id']} of {d['date']} ({d['status']}), owner "
                 f"{d.get('owner', '-')}", f"hrgov show {d['id']}"]
        event(d, "review", d["review_by"], f"Review: {d['title']}", "\n".join(lines),
              cancelled=d["status"] not in IN_FORCE)
    for m in meetings:
        body = BODY_NAMES.get(m.get("body", ""), m.get("body", "Meeting"))
        event(m, "meeting", m["date"], f"{body} meeting", f"Meeting {m['id']}\nhrgov show "
              f"{m['id']}")
    count = len(milestones) + len(decisions) + len(meetings)
    return calendar.to_ical(), count, queries.index_head(conn)


def _event(uid: str, day: str, summary: str, description: str, sequence: int,
           changed: str):
    from icalendar import Event

    start = date.fromisoformat(day)
    stamp = datetime.strptime(changed, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    item = Event()
    item.add("uid", uid)
    item.add("dtstamp", stamp)
    item.add("last-modified", stamp)
    item.add("sequence", sequence - 1)  # 0 for a record never changed
    item.add("dtstart", start)
    item.add("dtend", start + timedelta(days=1))
    item.add("summary", summary)
    item.add("description", description)
    item.add("transp", "TRANSPARENT")  # a deadline, not a busy day
    return item
