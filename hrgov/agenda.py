"""The next Steering Committee agenda, prepared from the ledger.

Items: matters arising from the last meeting's decisions; milestones overdue or falling due by
the meeting, by owner department; decisions whose review date has come; commitments without
an owner; commitments off track. Restricted records are counted, never named (their papers
go round separately)::

    write_agenda(ledger, Path("agenda.md"), meeting_date="2026-12-03")
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hrgov.briefing.blocks import Doc, to_markdown
from hrgov.briefing.data import (
    BODIES,
    IN_FORCE,
    STATE_LABELS,
    Facts,
    Period,
    long_date,
    open_snapshot,
    plural,
    short_date,
    visible,
)
from hrgov.briefing.files import check_output, write_atomically
from hrgov.model import CLOSED_MILESTONE, parse_date

FORMATS = (".md", ".docx")
TITLE = "Human Rights Steering Committee: agenda"


def _restricted(n: int, what: str) -> str:
    return (f"Also {plural(n, 'restricted ' + what)}, not named here (papers circulated "
            "separately).")


def _titled(record: dict) -> str:
    """A record as the agenda names it: its title first, its id after, for reference."""
    return f"{record['title']} ({record['id']})"


def build_agenda(facts: Facts, meeting: date, *, sha: str, generated: date) -> Doc:
    """The agenda's blocks. ``facts.day`` is today: what is overdue is overdue now."""
    doc = Doc(f"{TITLE} for {long_date(meeting)}")
    doc.para(
        f"Prepared on {long_date(generated)} from ledger commit {sha[:10]}. \u201cOverdue\u201d "
        f"means past its due date on {long_date(facts.day)}; \u201cdue\u201d means falling due "
        f"by the meeting on {long_date(meeting)}.",
        small=True,
    )
    doc.heading("Opening, attendance and quorum")
    doc.para("Apologies; declarations of interest; confirmation that the meeting is quorate.")

    earlier = [m for m in facts.meetings if m["date"] < meeting.isoformat()]
    steering = [m for m in earlier if m["body"] == "steering-committee"] or earlier
    last = steering[-1] if steering else None
    if last is None:
        doc.heading("Matters arising")
        doc.para("No earlier meeting is recorded in the ledger.")
    else:
        doc.heading(f"Minutes and matters arising from the meeting of {long_date(last['date'])}")
        decisions = [d for d in facts.decisions if d.get("meeting") == last["id"]]
        shown = [d for d in decisions if visible(d)]
        if not decisions:
            doc.para(f"The {BODIES.get(last['body'], last['body'])} took no recorded decision "
                     "at that meeting.")
        else:
            doc.para("Approve the minutes; for each decision taken, its state now:")
            doc.table(
                ["Decision", "Status", "Owner", "Review by"],
                [[_titled(d), d["status"].capitalize(),
                  facts.department_name(d.get("owner")) if d.get("owner") else "\u2013",
                  short_date(d.get("review_by")) or "\u2013"] for d in shown],
            )
            if len(shown) < len(decisions):
                doc.para(_restricted(len(decisions) - len(shown), "decision"))

    doc.heading("Milestones overdue or due by the meeting")
    due = [m for m in facts.milestones
           if m["status"] not in CLOSED_MILESTONE and m["due"] <= meeting.isoformat()]
    due.sort(key=lambda m: (m["due"], m["id"]))
    if not due:
        doc.para("None: no open milestone is overdue or falls due by the meeting.")
    else:
        overdue = sum(1 for m in due if facts.state(m) == "overdue")
        doc.para(f"{plural(len(due), 'milestone')}: {overdue} overdue, {len(due) - overdue} "
                 "falling due. Owners report progress, or propose a new date with its reason.")
        by_owner: dict[str, list[dict]] = {}
        for m in due:
            by_owner.setdefault(facts.department_name(m.get("owner")), []).append(m)
        for owner in sorted(by_owner):
            items = by_owner[owner]
            shown = [m for m in items if visible(m)]
            doc.heading(owner, 3)
            rows = []
            for m in shown:
                days = (date.fromisoformat(m["due"]) - facts.day).days
                when = (f"{-days} days overdue" if days < 0 else
                        "due today" if days == 0 else f"due in {days} days")
                moved = len(m.get("slips") or ())
                rows.append([_titled(m), facts.commitment_title(m["commitment"]),
                             short_date(m["due"]) + (f" (moved {moved}\u00d7)" if moved else ""),
                             f"{STATE_LABELS.get(m['status'], m['status'])}, {when}"])
            if rows:
                doc.table(["Milestone", "Commitment", "Due", "State"], rows)
            if len(shown) < len(items):
                doc.para(_restricted(len(items) - len(shown), "milestone"))

    doc.heading("Decisions due for review")
    reviews = [d for d in facts.decisions if d["status"] in IN_FORCE and d.get("review_by")
               and d["review_by"] <= meeting.isoformat()]
    shown = [d for d in reviews if visible(d)]
    if not reviews:
        doc.para("None: no decision in force has reached its review date.")
    else:
        doc.table(
            ["Decision", "Taken", "Review by", "Owner"],
            [[_titled(d), short_date(d["date"]), short_date(d["review_by"]),
              facts.department_name(d.get("owner")) if d.get("owner") else "\u2013"]
             for d in shown],
        )
        if len(shown) < len(reviews):
            doc.para(_restricted(len(reviews) - len(shown), "decision"))

    doc.heading("Commitments without an owner")
    unowned = facts.unowned()
    shown = [c for c in unowned if visible(c)]
    if not unowned:
        doc.para("None: every active commitment has an owning department.")
    else:
        doc.para("Assign an owner (hrgov commitment assign):")
        doc.items([f"{c['title']} ({c.get('section') or 'no section'})" for c in shown])
        if len(shown) < len(unowned):
            doc.para(_restricted(len(unowned) - len(shown), "commitment"))

    doc.heading("Commitments off track")
    off = [c for c in facts.active_commitments if facts.health[c["id"]] == "off track"]
    shown = [c for c in off if visible(c)]
    if not off:
        doc.para("None.")
    else:
        doc.items([f"{c['title']} ({facts.department_name(c.get('owner'))}): "
                   f"{facts.why(c['id'])}" for c in shown])
        if len(shown) < len(off):
            doc.para(_restricted(len(off) - len(shown), "commitment"))

    doc.heading("Any other business")
    doc.heading("Date of the next meeting")
    return doc


def write_agenda(
    ledger,
    out_path: Path,
    *,
    meeting_date: str,
    template: Path | None = None,
    today: date | None = None,
) -> dict:
    """Write the agenda for the meeting on ``meeting_date`` to ``out_path`` (.md or .docx;
    the .docx uses the briefing's template, without its cover)."""
    out_path = check_output(out_path, FORMATS)
    meeting = parse_date(meeting_date, "meeting_date")
    document = None
    if out_path.suffix.lower() == ".docx":
        from hrgov.briefing.word import open_template

        document = open_template(template)
    with open_snapshot(ledger, None, today=today) as snap:
        facts = Facts.load(snap.conn, Period(meeting, meeting), snap.day)
        doc = build_agenda(facts, meeting, sha=snap.sha, generated=snap.generated)
        if document is None:
            data = to_markdown(doc).encode("utf-8")
        else:
            from hrgov.briefing.word import blocks_document

            data = blocks_document(document, doc, snap, title="Agenda",
                                   subtitle=f"Human Rights Steering Committee, "
                                   f"{long_date(meeting)}")
    write_atomically(out_path, data)
    return {"path": str(out_path), "commit": snap.sha, "meeting_date": meeting.isoformat()}
