"""What the briefing, the agenda and the public report say, computed once from the ledger.

Reading goes through ``hrgov.queries``. Everything after ``Facts.load`` is pure
Python over records shaped like their JSON files, so it is cheap to test::

    with open_snapshot(ledger, as_of=None) as snap:
        facts = Facts.load(snap.conn, period_for_year(2026, "01-01"), snap.day)
        facts.health_counts()   # {'on track': 3, 'at risk': 2, …}
"""

from __future__ import annotations

import os
import sqlite3
import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from hrgov import queries
from hrgov.errors import InvalidInput
from hrgov.model import (
    CHANNEL_NAMES,
    CLOSED_MILESTONE,
    HEALTH_STATES,
    commitment_health,
    is_overdue,
    parse_date,
)
from hrgov.snapshot import snapshot

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
BODIES = {
    "steering-committee": "Steering Committee",
    "executive-committee": "Executive Committee",
    "board": "Board",
}
# A milestone as the charts and tables show it at the status date: overdue wins over the
# recorded status of an open milestone.
MILESTONE_STATES = ("done", "in-progress", "planned", "blocked", "overdue")
STATE_LABELS = {
    "done": "Done",
    "in-progress": "In progress",
    "planned": "Planned",
    "blocked": "Blocked",
    "overdue": "Overdue",
    "dropped": "Dropped",
}
IN_FORCE = frozenset({"adopted", "implemented"})
CHANNELS = CHANNEL_NAMES


def long_date(day: date | str | None) -> str:
    """``2026-03-04`` → ``4 March 2026`` (no locale involved: the same on every machine)."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date | str | None) -> str:
    """``2026-03-04`` → ``4 Mar 2026``, for tables."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``plural(1, "milestone")`` → ``1 milestone``; ``plural(3, "milestone")`` → ``3
    milestones``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def visible(record: dict) -> bool:
    """Whether a record may be named in the Board briefing (restricted ones are only
    counted)."""
    return record.get("sensitivity") != "restricted"


# ---- the period ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The reporting period, both days included."""

    start: date
    end: date
    year: int | None = None  # set when built from --year

    def __contains__(self, day) -> bool:
        if not day:
            return False
        if isinstance(day, str):
            day = date.fromisoformat(day)
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """``1 January – 31 December 2026``; ``1 April 2026 – 31 March 2027``."""
        if self.start.year == self.end.year:
            if self.start.month == self.end.month:
                head = str(self.start.day)
            else:
                head = f"{self.start.day} {MONTHS[self.start.month - 1]}"
            return f"{head} \u2013 {long_date(self.end)}"
        return f"{long_date(self.start)} \u2013 {long_date(self.end)}"

    @property
    def name(self) -> str:
        """What the period is called in running text: ``2026``, ``2026–27`` or its dates."""
        if self.year is not None:
            if self.start.year == self.end.year:
                return str(self.year)
            return f"{self.start.year}\u2013{str(self.end.year)[-2:]}"
        return self.label

    def quarters(self) -> list[tuple[str, date, date]]:
        """Three-month slices from the start (years, when the period is longer than three
        years), each ``(label, first day, last day)``; a remainder of under a month joins the
        slice before."""
        step = 3 if (self.end - self.start).days <= 3 * 366 else 12
        slices = []
        first = self.start
        while first <= self.end:
            last = min(_add_months(first, step) - timedelta(days=1), self.end)
            slices.append((first, last))
            first = last + timedelta(days=1)
        if len(slices) > 1 and (slices[-1][1] - slices[-1][0]).days < 30:
            # a few days left over (a year from 3 December to 3 December) join the slice
            # before, rather than show as a quarter of their own
            slices[-2:] = [(slices[-2][0], slices[-1][1])]
        out = []
        for first, last in slices:
            calendar = first.day == 1 and _add_months(first, step) - timedelta(days=1) == last
            if step == 12:
                label = str(first.year) if first.year == last.year else (
                    f"{first.year}\u2013{str(last.year)[-2:]}")
            elif calendar and first.month in (1, 4, 7, 10):
                label = f"Q{(first.month - 1) // 3 + 1} {first.year}"
            else:
                months = f"{MONTHS[first.month - 1][:3]}\u2013{MONTHS[last.month - 1][:3]}"
                label = f"{months} {last.year}"
            out.append((label, first, last))
        return out


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def period_for_year(year: int, year_start: str = "01-01") -> Period:
    """The reporting year that starts in ``year`` (``ledger.reporting_year_start`` is MM-DD)."""
    if not 1900 <= year <= 9998:
        raise InvalidInput(f"--year {year} is not a year to report on (e.g. --year 2026)")
    try:
        month, day = (int(part) for part in year_start.split("-"))
        start = date(year, month, day)
    except ValueError:
        raise InvalidInput(
            f"hrgov.toml: ledger.reporting_year_start {year_start!r} is not MM-DD"
        ) from None
    return Period(start, _add_months(start, 12) - timedelta(days=1), year=year)


def period_between(start: str, end: str) -> Period:
    """The period ``--from start --to end`` (both included)."""
    first, last = parse_date(start, "start"), parse_date(end, "end")
    if last < first:
        raise InvalidInput(
            f"end {end} is before start {start}; give the earlier date first", field="end"
        )
    return Period(first, last)


def choose_period(
    year: int | None, start: str | None, end: str | None, year_start: str = "01-01"
) -> Period:
    """``--year`` or ``--from`` with ``--to``, exactly one of the two."""
    if year is not None and (start or end):
        raise InvalidInput("give either --year or --from/--to, not both")
    if year is not None:
        return period_for_year(year, year_start)
    if not (start and end):
        raise InvalidInput("say which period: --year YYYY, or --from YYYY-MM-DD --to YYYY-MM-DD")
    return period_between(start, end)


# ---- the ledger as of a commit -------------------------------------------------------------


@dataclass
class Snapshot:
    """The ledger at one commit (``hrgov.snapshot``), and the dates a document built from it
    uses."""

    conn: sqlite3.Connection
    sha: str
    committed: datetime  # the commit's time, UTC
    day: date  # the status date: milestones are overdue or not as of this day
    generated: date  # the day the document is built
    settings: dict[str, str]
    seq: int = 0  # the commit's position on the ledger's first-parent line


def generation_day() -> date:
    """Today, or the day ``SOURCE_DATE_EPOCH`` names (reproducible builds' convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


@contextmanager
def open_snapshot(
    ledger, as_of: str | None = None, *, today: date | None = None, field: str = "as_of",
    status_date: date | str | None = None,
) -> Iterator[Snapshot]:
    """The ledger as of ``as_of`` (a date or a git revision; default HEAD), read through the
    one snapshot of the storage layer (``hrgov.snapshot``: before HEAD, records that are or
    were restricted since are restricted in it). The status date is ``today`` for HEAD, the
    date itself for a date (never later than today) and the commit's day for a revision.
    ``field`` names ``as_of`` in error messages. ``status_date`` sets the status date itself
    (no later than the generation day): a briefing rebuilt from its commit then says what the
    original said."""
    generated = today or generation_day()
    if isinstance(status_date, str):
        status_date = parse_date(status_date, "status_date")
    if status_date is not None and status_date > generated:
        raise InvalidInput(f"--status-date {status_date.isoformat()} is after the day the "
                           f"briefing is built ({generated.isoformat()}); give an earlier day",
                           field="status_date")
    with snapshot(ledger, as_of, field=field) as snap:
        day = generated if snap.day is None else min(snap.day, generated)
        day = status_date or day
        yield Snapshot(snap.conn, snap.sha, snap.committed, day, generated, snap.settings(),
                       snap.seq)


@dataclass(frozen=True)
class Figure:
    """A headline figure of the paper: ``name`` (stable, for machines), ``label`` (for the
    Board), the ids of every record it counts and of those among them that are restricted."""

    name: str
    label: str
    ids: list[str]
    restricted_ids: list[str]

    @property
    def value(self) -> int:
        return len(self.ids)

    @property
    def restricted(self) -> int:
        return len(self.restricted_ids)

    @property
    def public_ids(self) -> list[str]:
        """The ids an auditor finds in the audit copy (restricted ones are not in it)."""
        hidden = set(self.restricted_ids)
        return [i for i in self.ids if i not in hidden]


@dataclass(frozen=True)
class KeyMessage:
    """One of the Board note's key messages, as facts: which ``kind`` of message, its
    severity (``rank``: smaller is more severe) and the records behind it, worst first
    (restricted ones included: the wording counts them and never names them)."""

    kind: str
    rank: tuple[int, int]
    records: list[dict]

    @property
    def restricted(self) -> int:
        return sum(1 for r in self.records if not visible(r))


# ---- the facts -----------------------------------------------------------------------------


@dataclass
class Facts:
    """Every record a document needs, and what follows from them at the status date."""

    period: Period
    day: date
    departments: dict[str, dict]
    instruments: dict[str, dict]
    commitments: list[dict]
    decisions: list[dict]
    meetings: list[dict]
    milestones: list[dict]
    # The registers (issue 5); empty for a ledger that holds none.
    categories: dict[str, dict] = field(default_factory=dict)
    issues: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    grievances: list[dict] = field(default_factory=list)
    remedies: list[dict] = field(default_factory=list)
    # When the issues register began, if not with the first issue listed here (a copy of
    # the facts holding only some issues keeps the register's own start).
    register_start: date | None = None

    @classmethod
    def load(cls, conn: sqlite3.Connection, period: Period, day: date) -> Facts:
        return cls(
            period=period,
            day=day,
            departments={r["id"]: r for r in queries.list_records(conn, "departments")},
            instruments={r["id"]: r for r in queries.list_records(conn, "instruments")},
            commitments=queries.list_records(conn, "commitments"),
            decisions=queries.list_records(conn, "decisions"),
            meetings=queries.list_records(conn, "meetings"),
            milestones=queries.list_records(conn, "milestones"),
            categories={r["id"]: r for r in queries.list_records(conn, "categories")},
            issues=queries.list_records(conn, "issues"),
            assessments=queries.list_records(conn, "assessments"),
            grievances=queries.list_records(conn, "grievances"),
            remedies=queries.list_records(conn, "remedies"),
        )._with_proofs(conn)

    def _with_proofs(self, conn: sqlite3.Connection) -> Facts:
        """Fill the slots for what the history proves: who signed the period's decisions
        (when any commit of the ledger is signed) and the changes made to decisions of
        approved minutes during the period (restricted decisions left out)."""
        if queries.any_signed(conn):
            ids = [d["id"] for d in self.decisions if d.get("date") in self.period]
            self.signatures = (len(queries.signed_decisions(conn, ids)), len(ids))
        self.post_approval_changes = [
            {"decision": c["decision"], "commit": c["commit"], "day": c["time"][:10],
             "reason": c["reason"]}
            for c in queries.post_approval_changes(conn)
            if c["sensitivity"] != "restricted" and c["time"][:10] in self.period
        ]
        return self

    # ---- names ---------------------------------------------------------------------------

    def department_name(self, department_id: str | None) -> str:
        if not department_id:
            return "No owner"
        record = self.departments.get(department_id)
        if record is None:
            return department_id
        if not visible(record):
            return "Restricted department"
        return record.get("name") or department_id

    @cached_property
    def commitment_by_id(self) -> dict[str, dict]:
        return {c["id"]: c for c in self.commitments}

    @cached_property
    def decision_by_id(self) -> dict[str, dict]:
        return {d["id"]: d for d in self.decisions}

    def commitment_title(self, commitment_id: str) -> str:
        record = self.commitment_by_id.get(commitment_id)
        if record is None:
            return commitment_id
        return record.get("title") or commitment_id if visible(record) else "(restricted)"

    # ---- commitments and their health ----------------------------------------------------

    @cached_property
    def active_commitments(self) -> list[dict]:
        return [c for c in self.commitments if c.get("status", "active") == "active"]

    @cached_property
    def by_commitment(self) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = defaultdict(list)
        for m in sorted(self.milestones, key=lambda m: (m["due"], m["id"])):
            grouped[m["commitment"]].append(m)
        return grouped

    @cached_property
    def health(self) -> dict[str, str]:
        """Each active commitment's state at the status date (the one rule in the model)."""
        return {
            c["id"]: commitment_health(self.by_commitment.get(c["id"], ()), self.day)
            for c in self.active_commitments
        }

    def health_counts(self) -> dict[str, int]:
        counts = Counter(self.health.values())
        return {state: counts.get(state, 0) for state in HEALTH_STATES}

    def why(self, commitment_id: str) -> str:
        """Why a commitment is off track or at risk, in a few words (no milestone titles)."""
        worst = ""
        for m in self.by_commitment.get(commitment_id, ()):
            if m["status"] in CLOSED_MILESTONE:
                continue
            late = (self.day - date.fromisoformat(m["due"])).days
            slips = len(m.get("slips") or ())
            if m["status"] == "blocked":
                return "a milestone is blocked"
            if late > 30:
                return f"a milestone is {late} days overdue"
            if slips >= 2:
                return f"a milestone has slipped {slips} times"
            if late > 0:
                worst = worst or f"a milestone is {late} days overdue"
            elif slips == 1:
                worst = worst or "a milestone has slipped once"
            elif m["status"] == "planned" and late >= -30:
                worst = worst or "a milestone falls due within 30 days and has not started"
        return worst

    # ---- the period's activity -----------------------------------------------------------

    @cached_property
    def meetings_held(self) -> list[dict]:
        return [m for m in self.meetings if m["date"] in self.period]

    @cached_property
    def decisions_taken(self) -> list[dict]:
        return [d for d in self.decisions if d["date"] in self.period]

    @cached_property
    def milestones_done(self) -> list[dict]:
        return [m for m in self.milestones if m["status"] == "done" and m.get("done_on")
                in self.period]

    @cached_property
    def milestones_due(self) -> list[dict]:
        return [m for m in self.milestones if m["due"] in self.period]

    @cached_property
    def overdue(self) -> list[dict]:
        """Open milestones past their due date at the status date, longest overdue first."""
        found = [m for m in self.milestones if is_overdue(m, self.day)]
        return sorted(found, key=lambda m: (m["due"], m["id"]))

    @cached_property
    def slips_in_period(self) -> list[tuple[dict, dict]]:
        """``(milestone, slip)`` for every move of a due date recorded in the period."""
        found = [
            (m, slip)
            for m in self.milestones
            for slip in m.get("slips") or ()
            if slip.get("on") in self.period
        ]
        return sorted(found, key=lambda pair: (pair[1]["on"], pair[0]["id"]))

    @cached_property
    def slipped_milestones(self) -> list[dict]:
        seen: dict[str, dict] = {}
        for m, _ in self.slips_in_period:
            seen.setdefault(m["id"], m)
        return list(seen.values())

    @cached_property
    def tracked_milestones(self) -> list[dict]:
        """The milestones a document reports on: due or done in the period, or still open at
        the status date (the plan ahead and the backlog)."""
        return [
            m
            for m in self.milestones
            if m["due"] in self.period
            or m.get("done_on") in self.period
            or m["status"] not in CLOSED_MILESTONE
        ]

    def state(self, milestone: dict) -> str:
        """``done``, ``dropped``, ``overdue`` or the open status, at the status date."""
        if milestone["status"] in CLOSED_MILESTONE:
            return milestone["status"]
        if is_overdue(milestone, self.day):
            return "overdue"
        return milestone["status"]

    def status_by_department(self, milestones: Iterable[dict] | None = None) -> dict[str, Counter]:
        """Department name → how many tracked milestones are in each state (dropped left
        out)."""
        out: dict[str, Counter] = defaultdict(Counter)
        for m in self.tracked_milestones if milestones is None else milestones:
            state = self.state(m)
            if state != "dropped":
                out[self.department_name(m.get("owner"))][state] += 1
        return dict(sorted(out.items()))

    def commitment_row(self, commitment: dict) -> dict:
        """One commitment in one row: its state, milestones done of all (dropped left out), the
        next open due date and how many days its worst open milestone is overdue (0: none)."""
        milestones = [m for m in self.by_commitment.get(commitment["id"], ())
                      if m["status"] != "dropped"]
        still_open = [m for m in milestones if m["status"] not in CLOSED_MILESTONE]
        late = [(self.day - date.fromisoformat(m["due"])).days for m in still_open]
        return {
            "state": self.health.get(commitment["id"], commitment.get("status", "retired")),
            "done": sum(1 for m in milestones if m["status"] == "done"),
            "total": len(milestones),
            "next_due": min((m["due"] for m in still_open), default=None),
            "worst_overdue": max([d for d in late if d > 0], default=0),
        }

    def cumulative_delivery(self) -> list[tuple[str, date, int, int, int | None]]:
        """Milestones planned against done, added up from the start of the period: one row
        per month (per quarter for a period over 18 months), ``(label, last day, planned by
        their first due date, due by their current date, done)``; ``done`` is ``None`` for a
        month not yet reached at the status date, and counts up to the status date in the
        month that holds it. Dropped milestones are left out."""
        step = 1 if (self.period.end - self.period.start).days <= 549 else 3
        kept = [m for m in self.milestones if m["status"] != "dropped"]

        def days(name, records):
            return sorted(d for d in (r.get(name) for r in records) if d in self.period)

        first, current = days("original_due", kept), days("due", kept)
        done = days("done_on", [m for m in kept if m["status"] == "done"])
        rows, start = [], self.period.start
        while start <= self.period.end:
            last = min(_add_months(start, step) - timedelta(days=1), self.period.end)
            whole_month = step == 1 and start.day == 1 and last.month == start.month
            label = f"{MONTHS[last.month - 1][:3]} {last.year}" if whole_month else (
                short_date(last))
            upto = last.isoformat()
            reached = start <= self.day
            counted = min(last, self.day).isoformat()
            rows.append((label, last, bisect_right(first, upto), bisect_right(current, upto),
                         bisect_right(done, counted) if reached else None))
            start = last + timedelta(days=1)
        return rows

    def attendance(self) -> list[tuple[str, int]]:
        """Who attended the period's meetings (as recorded: roles or names), most often
        first."""
        counts = Counter(
            a for m in self.meetings_held if visible(m) for a in m.get("attendees") or ()
        )
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def reviews_due(self) -> list[dict]:
        """Decisions in force whose review date has come at the status date."""
        return [
            d
            for d in self.decisions
            if d["status"] in IN_FORCE
            and d.get("review_by")
            and d["review_by"] <= self.day.isoformat()
        ]

    def unowned(self) -> list[dict]:
        return [c for c in self.active_commitments if not c.get("owner")]

    def no_plan(self) -> list[dict]:
        return [c for c in self.active_commitments if self.health[c["id"]] == "no plan"]

    # ---- what the Board most needs to know -----------------------------------------------

    def lateness(self, commitment_id: str) -> tuple[int, int, int]:
        """How badly a commitment's open milestones are doing at the status date: ``(blocked,
        most days overdue, most slips)``; larger is worse."""
        blocked = late = slips = 0
        for m in self.by_commitment.get(commitment_id, ()):
            if m["status"] in CLOSED_MILESTONE:
                continue
            blocked = max(blocked, int(m["status"] == "blocked"))
            late = max(late, (self.day - date.fromisoformat(m["due"])).days)
            slips = max(slips, len(m.get("slips") or ()))
        return blocked, late, slips

    def in_state(self, state: str) -> list[dict]:
        """Active commitments in a health state, the worst first (longest overdue, then
        blocked, then most slipped; the title only breaks ties)."""
        found = [c for c in self.active_commitments if self.health[c["id"]] == state]

        def worst_first(c):
            blocked, late, slips = self.lateness(c["id"])
            return (-max(late, 0), -blocked, -slips, c.get("title") or "", c["id"])

        return sorted(found, key=worst_first)

    @cached_property
    def board_asks(self) -> list[dict]:
        """Decisions the Committee puts to the Board (``for_board``), taken in the period up
        to the status date and neither rejected nor replaced: oldest first."""
        closed = {"rejected", "superseded", "rescinded"}
        return [
            d for d in sorted(self.decisions, key=lambda d: (d["date"], d["id"]))
            if d.get("for_board") and d["status"] not in closed
            and d["date"] in self.period and d["date"] <= self.day.isoformat()
        ]

    def key_messages(self, limit: int = 5) -> list[KeyMessage]:
        """The three to ``limit`` messages the Board most needs, most severe first, from the
        substance (salient issues, grievances, impact assessments) and from delivery
        (commitments off track and at risk, overdue and slipped milestones). Severity decides
        the order (``KeyMessage.rank``): off track before salient issues before overdue
        milestones before grievances before at risk; within a kind, the worse first. The
        period's activity fills the list up to three."""
        found: list[KeyMessage] = []
        for tier, state in ((0, "off track"), (4, "at risk")):
            ranked = self.in_state(state)
            if ranked:
                worst = self.lateness(ranked[0]["id"])[1]
                found.append(KeyMessage(state.replace(" ", "_"), (tier, -worst), ranked))
        salient = self.salient_issues
        if salient:
            severe = _score(salient[0]) >= 6
            found.append(KeyMessage("salient", (1 if severe else 5, -_score(salient[0])),
                                    salient))
        if self.overdue:
            late = (self.day - date.fromisoformat(self.overdue[0]["due"])).days
            found.append(KeyMessage("overdue", (2, -late), self.overdue))
        still_open = [g for g in self.grievances_received if g.get("stage") != "closed"]
        if self.grievances_received:
            found.append(KeyMessage("grievances", (3 if still_open else 7, -len(still_open)),
                                    self.grievances_received))
        unanswered = [f for a in self.assessments_tracked for f in a.get("findings") or ()
                      if not f.get("milestones")]
        if unanswered:
            found.append(KeyMessage("assessments", (6, -len(unanswered)),
                                    self.assessments_tracked))
        if self.slipped_milestones:
            found.append(KeyMessage("slips", (8, -len(self.slipped_milestones)),
                                    self.slipped_milestones))
        missing = self.no_plan()
        if missing and len(missing) * 4 >= len(self.active_commitments):
            found.append(KeyMessage("no_plan", (9, -len(missing)), missing))
        found.sort(key=lambda m: m.rank)
        found = found[:limit]
        if len(found) < 3:
            found.append(KeyMessage("activity", (10, 0),
                                    [*self.meetings_held, *self.decisions_taken]))
        return found

    def headline_figures(self) -> list[Figure]:
        """The paper's headline figures, each with the records behind it: the same list the
        audit copy's ``briefing_figures`` table carries, so an auditor can recount each."""
        def of(name, label, records):
            return Figure(name, label, [r["id"] for r in records],
                          [r["id"] for r in records if not visible(r)])

        figures = [
            of(f"commitments_{state.replace(' ', '_')}",
               f"Active commitments {'with no plan yet' if state == 'no plan' else state}",
               [c for c in self.active_commitments if self.health[c["id"]] == state])
            for state in HEALTH_STATES
        ]
        figures += [
            of("milestones_overdue", f"Milestones overdue at {short_date(self.day)}",
               self.overdue),
            of("milestones_slipped", "Milestones whose due date moved in the period",
               self.slipped_milestones),
            of("milestones_done", "Milestones completed in the period", self.milestones_done),
            of("meetings_held", "Committee meetings held in the period", self.meetings_held),
            of("decisions_taken", "Decisions taken in the period", self.decisions_taken),
            of("decisions_for_board", "Decisions put to the Board", self.board_asks),
            of("issues_reported", "Human-rights issues reported in the period",
               self.issues_reported),
            of("issues_salient", "Salient issues reported in the period", self.salient_issues),
            of("grievances_received", "Grievances received in the period",
               self.grievances_received),
            of("grievances_open", f"Grievances still open at {short_date(self.day)}",
               [g for g in self.grievances_received if g.get("stage") != "closed"]),
        ]
        return figures

    @cached_property
    def register_began(self) -> date | None:
        """The day of the first issue ever reported: the issues register covers no earlier
        period."""
        if self.register_start is not None:
            return self.register_start
        days = [i["reported"] for i in self.issues if i.get("reported")]
        return date.fromisoformat(min(days)) if days else None

    @cached_property
    def comparable_period(self) -> Period | None:
        """The previous period of the same length, if the register covered all of it."""
        began = self.register_began
        if began is None or began > self.previous_period.start:
            return None
        return self.previous_period

    # ---- slots for what the ledger's history proves (filled by the storage layer) --------

    #: "N of M decisions signed by a committee member" (issue 14): ``(signed, of)`` for the
    #: period's decisions, set by the caller from ``hrgov.queries`` when it offers it; ``None``
    #: when the ledger does not sign, and the paper then says nothing about signatures.
    signatures: tuple[int, int] | None = None
    #: Changes to decisions after their minutes were approved (issue 14): one dict per change
    #: (decision id, commit, day, reason), set by the caller from ``hrgov.queries``.
    post_approval_changes: list[dict] = field(default_factory=list)

    # ---- the issues register -------------------------------------------------------------

    def category_name(self, category_id: str | None) -> str:
        record = self.categories.get(category_id or "")
        if record is None:
            return category_id or "Uncategorised"
        if not visible(record):
            return "Restricted category"
        return record.get("name") or category_id

    @cached_property
    def issues_reported(self) -> list[dict]:
        """Issues reported in the period (restricted ones included: they are counted)."""
        return [i for i in self.issues if i["reported"] in self.period]

    @cached_property
    def previous_period(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        start, end = self.period.start, self.period.end
        for months in range(1, 121):  # whole months (a reporting year): the same dates before
            if _add_months(start, months) - timedelta(days=1) == end:
                return Period(_add_months(start, -months), start - timedelta(days=1))
        last = start - timedelta(days=1)
        return Period(last - (end - start), last)

    @cached_property
    def issues_before(self) -> list[dict]:
        return [i for i in self.issues if i["reported"] in self.previous_period]

    @cached_property
    def salient_issues(self) -> list[dict]:
        """Salient issues of the period, most severe first."""
        found = [i for i in self.issues_reported if i.get("salient")]
        return sorted(found, key=lambda i: (-_score(i), i["reported"], i["id"]))

    def heat_map(self, issues: Iterable[dict] | None = None) -> tuple[list[list[int]], int]:
        """``(grid, unscored)``: ``grid[impact - 1][likelihood - 1]`` counts the period's issues;
        ``unscored`` those without both scores."""
        grid = [[0, 0, 0] for _ in range(3)]
        unscored = 0
        for i in self.issues_reported if issues is None else issues:
            impact, likelihood = i.get("impact"), i.get("likelihood")
            if impact in (1, 2, 3) and likelihood in (1, 2, 3):
                grid[impact - 1][likelihood - 1] += 1
            else:
                unscored += 1
        return grid, unscored

    def quarters_reached(self, began: date | None = None) -> list[tuple[str, date, date, str]]:
        """The period's quarters, each ``(label, first day, last day, reach)``: ``reach`` is
        ``full``; ``partial`` (the status date, or the day a register ``began``, falls inside
        it); ``not yet reached`` (it starts after the status date); or ``before the register``
        (it ended before ``began``)."""
        out = []
        for label, first, last in self.period.quarters():
            if first > self.day:
                reach = "not yet reached"
            elif began is not None and last < began:
                reach = "before the register"
            elif last > self.day or (began is not None and first < began):
                reach = "partial"
            else:
                reach = "full"
            out.append((label, first, last, reach))
        return out

    def issue_trends(self) -> tuple[list[tuple[str, str]], list[tuple[str, list, int, int]]]:
        """``(quarters, rows)``: a quarter is ``(label, reach)`` (``quarters_reached``); a row
        is ``(category id, issues reported in each quarter (None where the quarter is not yet
        reached or before the register), total in the period, total in the previous period of
        the same length)``, for every category with an issue in either period, in taxonomy
        order. Compare with the previous period only where ``comparable_period`` says the
        register covered it."""
        quarters = self.quarters_reached(self.register_began)
        counted = [q[3] in ("full", "partial") for q in quarters]
        now: dict[str, list] = defaultdict(
            lambda: [0 if ok else None for ok in counted])
        for i in self.issues_reported:
            for n, (_, first, last, _) in enumerate(quarters):
                if counted[n] and i["reported"] in Period(first, last):
                    now[i["category"]][n] += 1
                    break
        before = Counter(i["category"] for i in self.issues_before)
        order = list(self.categories)
        used = sorted(set(now) | set(before),
                      key=lambda c: (order.index(c) if c in order else len(order), c))
        rows = [(c, list(now[c]), sum(n or 0 for n in now[c]), before.get(c, 0)) for c in used]
        return [(q[0], q[3]) for q in quarters], rows

    @cached_property
    def examples(self) -> list[dict]:
        """Up to five issues of the period the Committee cleared as Board examples: only
        ``board_example`` ones of internal or public sensitivity, salient and severe first."""
        found = [i for i in self.issues_reported if quotable(i)]
        found.sort(key=lambda i: (not i.get("salient"), -_score(i), i["reported"], i["id"]))
        return found[:5]

    # ---- impact assessments, grievances, remedies ----------------------------------------

    @cached_property
    def assessments_tracked(self) -> list[dict]:
        """Assessments still open at the status date, or started or completed in the period."""
        return [
            a for a in self.assessments
            if a.get("status") != "completed"
            or a.get("completed") in self.period
            or a.get("started") in self.period
        ]

    @cached_property
    def grievances_received(self) -> list[dict]:
        return [g for g in self.grievances if g["received"] in self.period]

    def grievances_by_channel(self) -> list[dict]:
        """Per channel, for the grievances received in the period: how many, how many
        acknowledged and closed, the median days to acknowledge and to close, how many still
        open at the status date."""
        groups: dict[str, list[dict]] = defaultdict(list)
        for g in self.grievances_received:
            groups[g["channel"]].append(g)
        rows = []
        for channel in sorted(groups):
            items = groups[channel]
            rows.append(_grievance_row(channel, items))
        return rows

    def grievances_total(self) -> dict:
        return _grievance_row("All channels", self.grievances_received)

    @cached_property
    def remedies_tracked(self) -> list[dict]:
        """Remedies delivered in the period, or not yet delivered."""
        return [r for r in self.remedies
                if not r.get("delivered_on") or r["delivered_on"] in self.period]

    def remedies_by_type(self) -> list[tuple[str, int, int, int]]:
        """``(remedy type, recorded, delivered in the period, verified)``."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in self.remedies_tracked:
            row = counts[r["remedy_type"]]
            row[0] += 1
            row[1] += 1 if r.get("delivered_on") else 0
            row[2] += 1 if r.get("verified") else 0
        return [(t, *counts[t]) for t in sorted(counts)]


def quotable(issue: dict) -> bool:
    """Whether an issue's summary may be quoted to the Board: cleared as a Board example, and
    of internal or public sensitivity (never restricted)."""
    return issue.get("board_example") is True and issue.get("sensitivity", "internal") in (
        "internal", "public")


def _score(issue: dict) -> int:
    return (issue.get("impact") or 0) * (issue.get("likelihood") or 0)


def _days(first: str, last: str) -> int:
    return (date.fromisoformat(last) - date.fromisoformat(first)).days


def median_days(values: list[int]) -> str:
    """``4`` or ``4.5``; an en dash when there is nothing to measure."""
    if not values:
        return "\u2013"
    return f"{statistics.median(values):g}"


def _grievance_row(channel: str, items: list[dict]) -> dict:
    acknowledged = [_days(g["received"], g["acknowledged"]) for g in items
                    if g.get("acknowledged")]
    closed = [_days(g["received"], g["closed"]) for g in items if g.get("closed")]
    return {
        "channel": channel,
        "received": len(items),
        "acknowledged": len(acknowledged),
        "closed": len(closed),
        "open": sum(1 for g in items if g.get("stage") != "closed"),
        "median_acknowledge": median_days(acknowledged),
        "median_close": median_days(closed),
        "restricted": sum(1 for g in items if not visible(g)),
    }


def _are(n: int, what: str) -> str:
    return f"{plural(n, what)} {'is' if n == 1 else 'are'}"


def _names(named: list[str], total: int, show: int = 3) -> str:
    """``A; B; C and 2 more`` — restricted ones are in the count, never named."""
    parts = named[:show]
    rest = total - len(parts)
    if rest:
        hidden = total - len(named)
        more = f"{rest} more" if not hidden else f"{rest} more ({hidden} restricted)"
        parts.append(more)
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + " and " + parts[-1]


# ---- what changed since an earlier briefing ------------------------------------------------


@dataclass
class Changes:
    """What changed between the ledger at an earlier commit and now, by kind of change."""

    since_sha: str
    since_time: datetime | None
    new: list[dict]
    closed: list[tuple[dict, str]]  # (record, its new status)
    slipped: list[tuple[dict, str, str]]  # (milestone, old due, new due)
    reowned: list[tuple[dict, str | None, str | None]]  # (record, old owner, new owner)

    @property
    def empty(self) -> bool:
        return not (self.new or self.closed or self.slipped or self.reowned)


def compare(old: Facts, new: Facts, since_sha: str, since_time: datetime | None) -> Changes:
    """Records created, closed, slipped and re-owned between two snapshots."""
    before = {
        r["id"]: r
        for r in (*old.commitments, *old.decisions, *old.milestones, *old.meetings)
    }
    created, closed, slipped, reowned = [], [], [], []
    closing = {
        "milestone": CLOSED_MILESTONE,
        "decision": frozenset({"implemented", "rejected", "superseded", "rescinded"}),
        "commitment": frozenset({"retired"}),
    }
    for record in (*new.commitments, *new.decisions, *new.milestones):
        old_record = before.get(record["id"])
        if old_record is None:
            created.append(record)
            continue
        ends = closing[record["kind"]]
        status = record.get("status")
        if status in ends and old_record.get("status") != status:
            closed.append((record, status))
        if record["kind"] == "milestone" and record["due"] > old_record["due"]:
            slipped.append((record, old_record["due"], record["due"]))
        if record["kind"] in ("commitment", "milestone") and record.get("owner") != old_record.get(
            "owner"
        ):
            reowned.append((record, old_record.get("owner"), record.get("owner")))
    return Changes(since_sha, since_time, created, closed, slipped, reowned)
