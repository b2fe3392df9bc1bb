"""A realistic sample ledger: the Wikimedia policy pack plus a year of Steering Committee work.

``hrgov demo DIR`` calls ``build_demo``. The scenario is invented: no real person appears
anywhere (authors and attendees are roles), evidence links point under https://example.org/,
and every date is computed from ``today``, so that overdue work is overdue and "due soon" is
soon whenever the demo is built::

    >>> from pathlib import Path
    >>> demo = build_demo(Path("/tmp/demo-ledger"))  # doctest: +SKIP
    >>> demo.ledger.record(demo.superseded_decision)["status"]  # doctest: +SKIP
    'superseded'
    >>> demo.ledger.record(demo.superseded_decision, at=demo.before)["status"]  # doctest: +SKIP
    'adopted'

Everything is written through ``hrgov.operations`` (one commit per change, dated the day the
change happened), so the git history reads like a year of a secretary's work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hrgov import ledger as ledgers
from hrgov import operations, policy
from hrgov.ledger import Ledger

ORGANISATION = "Wikimedia Foundation (demo)"
SECRETARY = "Committee Secretary <hrsc-secretary@example.org>"
DEPUTY = "Deputy Committee Secretary <hrsc-deputy@example.org>"

STEERING_COMMITTEE = (
    "Chair of the Human Rights Steering Committee",
    "General Counsel",
    "Chief Product and Technology Officer",
    "Head of Trust and Safety",
    "Chief Talent and Culture Officer",
    "Head of Security",
    "Head of Global Advocacy",
    "Human Rights Lead (Legal)",
    "Committee Secretary",
)

# Meetings: label → days before today. Each is moved back to the Thursday on or before that
# day, as a committee meets on a fixed weekday: eight Steering Committee meetings about six
# weeks apart and one Executive Committee meeting (their bodies are given in the scenario).
MEETINGS = {
    "M1": 340,
    "M2": 294,
    "M3": 248,
    "M4": 202,
    "EX": 176,
    "M5": 156,
    "M6": 110,
    "M7": 64,
    "M8": 18,
}

# The scenario, one change per line: (when, operation, subject, details).
#
# when     "M3" is the day of meeting M3, "M3+9" nine days after it; a decision logged on a
#          meeting's day is taken at that meeting.
# dates    inside details (due, review_by, on) are days from today: -30 is a month ago.
# "@name"  refers to the record created by an earlier line with "as": "name".
# author   the secretary records meetings and decisions; the deputy keeps milestones current.
#
# operation: meeting (subject: body) | decision (title) | status (decision, new status) |
# milestone (title) | update / done (milestone) | assign (commitment) | department (slug).
SCENARIO: list[tuple[str, str, str, dict]] = [
    # -- M1: the year's work plan -----------------------------------------------------------
    ("M1", "meeting", "steering-committee", {
        "as": "M1", "quorum": True,
        "notes": "Work plan for the year agreed. Product screening and an independent impact "
                 "assessment are the first priorities.",
    }),
    ("M1", "decision", "Adopt the Steering Committee's work plan for the year", {
        "as": "work-plan", "commitments": ["steering-committee-coordination"],
        "owner": "steering-committee", "sensitivity": "public",
        "text": "The Committee adopts its work plan: product screening, an independent impact "
                "assessment, volunteer safety and a first public progress report.",
    }),
    ("M1", "decision", "Screen new product features for human-rights risk before launch", {
        "as": "screening",
        "commitments": ["dd-process-for-products-algorithms-grants-events",
                        "expert-guided-product-development"],
        "owner": "product-technology",
        "text": "Every new feature that handles contributor data or changes how content is "
                "ranked or moderated answers the human-rights checklist before launch.",
        "rationale": "The policy asks for due diligence on products; launch reviews already "
                     "exist, so the checklist adds little overhead.",
    }),
    ("M1", "decision", "Commission an independent human rights impact assessment", {
        "as": "hria", "commitments": ["periodic-hria", "ongoing-hrdd"], "owner": "legal",
        "rationale": "The last assessment predates the policy; the Board expects a fresh one.",
    }),
    ("M1", "milestone", "Publish the Steering Committee's terms of reference", {
        "as": "tor", "commitment": "steering-committee-coordination", "decision": "@work-plan",
        "due": -300, "sensitivity": "public",
    }),
    ("M1", "milestone", "Human-rights checklist in the product launch process", {
        "as": "checklist", "commitment": "dd-process-for-products-algorithms-grants-events",
        "decision": "@screening", "due": -255,
    }),
    ("M1", "milestone", "Select an independent assessor for the impact assessment", {
        "as": "assessor", "commitment": "periodic-hria", "decision": "@hria", "due": -285,
    }),
    ("M1", "milestone", "Publish the impact assessment's summary findings", {
        "as": "hria-findings", "commitment": "periodic-hria", "decision": "@hria", "due": -120,
    }),
    ("M1+30", "done", "@tor", {"evidence": ["https://example.org/hrsc/terms-of-reference"]}),
    ("M1+40", "update", "@checklist", {"status": "in-progress"}),
    # -- M2 --------------------------------------------------------------------------------
    ("M2", "meeting", "steering-committee", {"as": "M2", "quorum": True}),
    ("M2", "done", "@assessor", {"evidence": ["https://example.org/legal/hria-assessor-contract"]}),
    ("M2", "decision", "Publish an annual public human rights progress report", {
        "as": "report", "commitments": ["track-and-publicly-report",
                                        "report-progress-board-movement-public"],
        "owner": "communications", "sensitivity": "public",
        "text": "A yearly report, in plain language and translated into the ten most-read "
                "languages of the projects, on what the Foundation did under the policy.",
    }),
    ("M2", "decision", "Fund digital-security training for volunteers in high-risk regions", {
        "as": "training", "status": "proposed",
        "commitments": ["self-protection-resources", "movement-safety-learning"],
        "owner": "trust-and-safety",
        "rationale": "Volunteers in several regions face surveillance; training is cheap "
                     "compared with the harm. Pending a budget check.",
    }),
    ("M2", "milestone", "Draft the first public human rights progress report", {
        "as": "report-draft", "commitment": "track-and-publicly-report", "decision": "@report",
        "owner": "communications", "due": -30,
    }),
    ("M2+20", "done", "@checklist", {
        "evidence": ["https://example.org/product/launch-checklist-v1"],
    }),
    # -- M3 --------------------------------------------------------------------------------
    ("M3", "meeting", "steering-committee", {"as": "M3", "quorum": True}),
    ("M3", "status", "@training", {"status": "adopted",
                                   "note": "Budget confirmed by Finance for this year."}),
    ("M3", "decision", "Enhanced protection for at-risk contributors in the Central Asia region", {
        "as": "at-risk", "sensitivity": "restricted",
        "commitments": ["at-risk-volunteer-due-diligence", "defend-from-direct-threats"],
        "owner": "trust-and-safety",
        "text": "Offer account-security reviews, pseudonymity guidance and emergency support "
                "to contributors in the region who are at elevated risk after new legislation. "
                "Eligibility is assessed case by case by Trust and Safety; no list of "
                "contributors is kept in this ledger.",
        "rationale": "New national legislation criminalises some editing activity.",
    }),
    ("M3", "decision", "Review government data requests only through a GNI-aligned procedure", {
        "as": "data-requests", "sensitivity": "public",
        "commitments": ["resist-rights-violating-data-requests", "surveillance-mitigation"],
        "owner": "legal",
        "text": "No user data is disclosed to a government without a written review against "
                "the GNI Principles and international human rights law.",
    }),
    ("M3", "decision", "Require identity verification for administrators on high-risk wikis", {
        "as": "verification", "status": "rejected",
        "commitments": ["at-risk-volunteer-due-diligence"], "owner": "trust-and-safety",
        "rationale": "Rejected: a list of verified identities would expose the very volunteers "
                     "the policy sets out to protect; pseudonymity is itself a safety measure.",
    }),
    ("M3", "milestone", "Account-security reviews for at-risk contributors in the region", {
        "as": "reviews", "commitment": "at-risk-volunteer-due-diligence", "decision": "@at-risk",
        "owner": "trust-and-safety", "due": -70, "sensitivity": "restricted",
    }),
    ("M3", "milestone", "Translate the digital-security guide into 20 languages", {
        "as": "guide", "commitment": "self-protection-resources", "decision": "@training",
        "owner": "trust-and-safety", "due": -100,
    }),
    ("M3", "milestone", "Written procedure for reviewing government data requests", {
        "as": "procedure", "commitment": "resist-rights-violating-data-requests",
        "decision": "@data-requests", "due": -200, "sensitivity": "public",
    }),
    ("M3+30", "done", "@procedure", {
        "evidence": ["https://example.org/legal/data-request-procedure"],
    }),
    # -- M4: a Data Protection Office ---------------------------------------------------------
    ("M4", "meeting", "steering-committee", {"as": "M4", "quorum": True}),
    ("M4", "department", "data-protection", {
        "name": "Data Protection Office", "lead_role": "Data Protection Officer",
    }),
    ("M4", "decision", "Give data-request and privacy commitments to the Data Protection Office", {
        "as": "dpo", "commitments": ["resist-rights-violating-data-requests"],
        "owner": "executive",
    }),
    ("M4", "assign", "resist-rights-violating-data-requests", {
        "department": "data-protection",
        "reason": "The new Data Protection Office now handles every government data request; "
                  "Legal advises.",
    }),
    ("M4", "milestone", "Appoint the Data Protection Officer", {
        "as": "appoint", "commitment": "resist-rights-violating-data-requests",
        "decision": "@dpo", "due": -170,
    }),
    ("M4", "milestone", "Half-yearly transparency report with data-request statistics", {
        "as": "transparency", "commitment": "resist-rights-violating-data-requests",
        "due": -15, "sensitivity": "public",
    }),
    ("M4", "decision", "Revise the conduct-policy enforcement guidelines with volunteers", {
        "as": "conduct", "commitments": ["clear-enforceable-conduct-policies",
                                         "volunteer-harassment-free"],
        "owner": "trust-and-safety",
    }),
    ("M4", "milestone", "Consult volunteers on the revised enforcement guidelines", {
        "as": "consultation", "commitment": "clear-enforceable-conduct-policies",
        "decision": "@conduct", "due": -120,
    }),
    ("M4", "milestone", "Community ratification vote on the revised guidelines", {
        "as": "ratification", "commitment": "clear-enforceable-conduct-policies",
        "decision": "@conduct", "due": -40,
    }),
    ("M4+25", "done", "@appoint", {"evidence": ["https://example.org/jobs/dpo-appointment"]}),
    # -- Executive Committee -------------------------------------------------------------------
    ("EX", "meeting", "executive-committee", {
        "as": "EX", "quorum": True,
        "attendees": ["Chief Executive Officer", "General Counsel",
                      "Chief Product and Technology Officer", "Chief Talent and Culture Officer",
                      "Chief Communications Officer"],
        "notes": "Quarterly review of the Human Rights Steering Committee's work.",
    }),
    ("EX", "decision", "Include human-rights metrics in the annual Board update", {
        "as": "board-metrics", "owner": "executive", "review_by": -9,
        "commitments": ["annual-board-update", "board-oversight-via-executive-committee"],
    }),
    ("EX", "milestone", "Human-rights section of the annual Board update", {
        "as": "board-update", "commitment": "annual-board-update", "decision": "@board-metrics",
        "due": 14,
    }),
    # -- M5 --------------------------------------------------------------------------------
    ("M5", "meeting", "steering-committee", {"as": "M5", "quorum": True}),
    ("M5", "decision", "Set up a rights-holder advisory panel from underrepresented communities", {
        "as": "panel", "commitments": ["rightsholder-engagement", "knowledge-equity"],
        "owner": "community-programs",
        "text": "Twelve members drawn from at least eight language communities, meeting "
                "quarterly and paid for their time.",
    }),
    ("M5", "milestone", "Recruit the rights-holder advisory panel", {
        "as": "recruit", "commitment": "rightsholder-engagement", "decision": "@panel",
        "owner": "community-programs", "due": -90,
    }),
    ("M5", "milestone", "First meeting of the rights-holder advisory panel", {
        "as": "panel-meeting", "commitment": "rightsholder-engagement", "decision": "@panel",
        "owner": "community-programs", "due": 45,
    }),
    ("M5", "decision", "Adopt a crisis response protocol for events that endanger contributors", {
        "as": "crisis", "commitments": ["crisis-response-protocol"], "owner": "trust-and-safety",
    }),
    ("M5", "milestone", "Crisis response protocol approved, with an on-call rota", {
        "as": "protocol", "commitment": "crisis-response-protocol", "decision": "@crisis",
        "due": -100,
    }),
    ("M5", "milestone", "Crisis-response tabletop exercise", {
        "as": "tabletop", "commitment": "crisis-response-protocol", "decision": "@crisis",
        "due": 10,
    }),
    ("M5", "update", "@hria-findings", {"status": "in-progress"}),
    ("M5+10", "update", "@guide", {
        "due": -40, "reason": "Two translation vendors withdrew; volunteer translators are "
                              "being recruited through the language communities.",
    }),
    ("M5+20", "update", "@report-draft", {"status": "in-progress"}),
    ("M5+30", "update", "@hria-findings", {
        "due": -60, "reason": "The assessor needs six more weeks for interviews with volunteers "
                              "in three language communities.",
    }),
    ("M5+35", "done", "@consultation", {
        "evidence": ["https://example.org/conduct/consultation-summary"],
    }),
    # -- M6: screening extended ------------------------------------------------------------------
    ("M6", "meeting", "steering-committee", {"as": "M6", "quorum": True}),
    ("M6", "decision", "Extend human-rights screening to algorithms, models, grants and events", {
        "as": "screening-2", "supersedes": "@screening",
        "commitments": ["dd-process-for-products-algorithms-grants-events",
                        "expert-guided-product-development"],
        "owner": "product-technology",
        "text": "The launch checklist also applies to ranking and machine-learning models, to "
                "grants above the review threshold and to Foundation-funded events.",
        "rationale": "Six months of feature screening worked; the impact assessment's interim "
                     "findings show models and funded events carry comparable risks.",
    }),
    ("M6", "milestone", "Screening guidance for machine-learning models", {
        "as": "ml-guidance", "commitment": "dd-process-for-products-algorithms-grants-events",
        "decision": "@screening-2", "due": -20,
    }),
    ("M6", "milestone", "Human-rights questions in grant and event applications", {
        "as": "grant-questions", "commitment": "dd-process-for-products-algorithms-grants-events",
        "decision": "@screening-2", "owner": "grants", "due": 28,
    }),
    ("M6", "decision", "Train all staff on the Human Rights Policy within 90 days of joining", {
        "as": "staff-training", "commitments": ["staff-education"], "owner": "talent-culture",
    }),
    ("M6", "milestone", "Human Rights Policy module in staff onboarding", {
        "as": "module", "commitment": "staff-education", "decision": "@staff-training",
        "due": -70,
    }),
    ("M6", "milestone", "90% of staff have completed the Human Rights Policy module", {
        "as": "completion", "commitment": "staff-education", "decision": "@staff-training",
        "due": 75,
    }),
    ("M6", "assign", "track-and-publicly-report", {
        "department": "communications",
        "reason": "Communications publishes the progress report; Legal keeps the content review.",
    }),
    ("M6", "milestone", "Board approves publication of the progress report", {
        "as": "report-approval", "commitment": "track-and-publicly-report",
        "decision": "@report", "due": 25, "sensitivity": "public",
    }),
    ("M6", "update", "@reviews", {
        "status": "blocked",
        "reason": "The external security firm's contract is held up by sanctions screening.",
    }),
    ("M6+5", "done", "@protocol", {"evidence": ["https://example.org/trust-safety/crisis-protocol"]}),
    ("M6+12", "update", "@ratification", {
        "due": 40, "reason": "Volunteers asked for a longer consultation window so that the "
                             "guidelines can be translated before the vote.",
    }),
    ("M6+15", "update", "@recruit", {
        "status": "in-progress", "due": -50,
        "reason": "Too few applications from the Global South; the call is re-run in 14 "
                  "languages.",
    }),
    # -- M7 --------------------------------------------------------------------------------
    ("M7", "meeting", "steering-committee", {"as": "M7", "quorum": False,
                                             "notes": "Not quorate; decisions confirmed by "
                                                      "email within the week."}),
    ("M7", "status", "@data-requests", {
        "status": "implemented",
        "note": "Every request received since the procedure was adopted went through it.",
    }),
    ("M7", "update", "@hria-findings", {
        "due": 20, "reason": "Legal review of findings about third-party platforms takes longer "
                             "than planned.",
    }),
    ("M7", "decision", "Pilot an on-platform incident reporting tool on five wikis", {
        "as": "reporting", "owner": "product-technology",
        "commitments": ["ts-tools", "evaluate-on-platform-grievance-channels"],
    }),
    ("M7", "milestone", "Incident reporting tool live on five pilot wikis", {
        "as": "pilot", "commitment": "ts-tools", "decision": "@reporting", "due": -5,
    }),
    ("M7", "milestone", "Evaluate the reporting pilot with reporters and functionaries", {
        "as": "evaluation", "commitment": "evaluate-on-platform-grievance-channels",
        "decision": "@reporting", "due": 100,
    }),
    ("M7", "decision", "Oppose proposals that would force proactive monitoring of content", {
        "as": "advocacy", "commitments": ["advocate-rights-respecting-laws"],
        "owner": "global-advocacy", "sensitivity": "public",
    }),
    ("M7", "milestone", "Submit comments on the proposed online-safety bill", {
        "as": "comments", "commitment": "advocate-rights-respecting-laws",
        "decision": "@advocacy", "due": -50, "sensitivity": "public",
    }),
    ("M7+5", "done", "@module", {"evidence": ["https://example.org/learning/hr-policy-module"]}),
    ("M7+8", "update", "@ml-guidance", {"status": "in-progress"}),
    ("M7+10", "done", "@comments", {
        "evidence": ["https://example.org/advocacy/online-safety-bill-comments"],
    }),
    ("M7+20", "done", "@guide", {"evidence": ["https://example.org/safety/digital-security-guide"]}),
    ("M7+22", "update", "@pilot", {
        "status": "in-progress", "due": 35,
        "reason": "The accessibility review found the report form unusable with screen readers.",
    }),
    # -- M8 --------------------------------------------------------------------------------
    ("M8", "meeting", "steering-committee", {"as": "M8", "quorum": True}),
    ("M8", "status", "@work-plan", {
        "status": "implemented", "note": "Every item of the work plan has an owner and a plan.",
    }),
    ("M8", "decision", "Defer the second impact assessment until the first is acted upon", {
        "as": "defer", "status": "proposed", "commitments": ["periodic-hria"], "owner": "legal",
        "rationale": "To be decided at the next meeting, once the findings are published.",
    }),
    ("M8", "milestone", "Travel-safety review for staff attending high-risk events", {
        "as": "travel", "commitment": "staff-physical-safety", "due": 20,
    }),
    ("M8+4", "update", "@completion", {"status": "in-progress"}),
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Demo:
    """What ``build_demo`` made, and a few ids worth trying with the commands."""

    ledger: Ledger
    today: date
    changes: int  # commits, the first (init) included
    slipped_milestone: str  # slipped twice, each time with a reason
    superseded_decision: str
    superseding_decision: str
    before: str  # ISO date at which superseded_decision was still adopted
    restricted_decision: str

    @property
    def root(self) -> Path:
        """The ledger's folder."""
        return self.ledger.root


def _thursday_on_or_before(day: date) -> date:
    """Committees meet on a fixed weekday: Thursday."""
    return day - timedelta(days=(day.weekday() - 3) % 7)


def meeting_days(today: date) -> dict[str, date]:
    """The day of each meeting in ``MEETINGS`` for a demo ending at ``today``."""
    return {
        label: _thursday_on_or_before(today - timedelta(days=days))
        for label, days in MEETINGS.items()
    }


def schedule(today: date) -> list[tuple[date, str, str, str, dict]]:
    """``SCENARIO`` in the order it is played for a demo ending at ``today``: each line with
    the day it happens first. Lines on the same day keep the scenario's order.

    >>> schedule(date(2026, 6, 15))[0][:3]
    (datetime.date(2025, 7, 10), 'M1', 'meeting')
    """
    meetings = meeting_days(today)

    def day(when: str) -> date:
        """``"M3"`` → the day of meeting M3; ``"M3+9"`` → nine days later."""
        label, _, plus = when.partition("+")
        return meetings[label] + timedelta(days=int(plus or 0))

    return sorted(((day(line[0]), *line) for line in SCENARIO), key=lambda line: line[0])


class _Builder:
    """Plays ``SCENARIO`` into a ledger: resolves dates and "@" references, dates the commits."""

    def __init__(self, today: date, progress: Progress | None, total: int):
        self.ledger: Ledger | None = None
        self.today = today
        self.progress = progress
        self.total = total
        self.done = 0
        self.ids: dict[str, str] = {}
        self.meetings = meeting_days(today)
        self.last_time = 0
        self.per_day: dict[date, int] = {}
        # Never date a commit in the future (unless the caller asked for a future today).
        self.ceiling = int(time.time()) if today <= date.today() else None

    def init(self, directory: Path) -> None:
        """Create the ledger from the Wikimedia pack, two weeks before the first meeting."""
        self.ledger = ledgers.init(
            Path(directory),
            policy.load("wikimedia-2021"),
            organisation=ORGANISATION,
            author=SECRETARY,
            timestamp=self.timestamp(self.meetings["M1"] - timedelta(days=14)),
        )
        self.tick()

    def day(self, offset: int) -> str:
        """An ISO date ``offset`` days from today."""
        return (self.today + timedelta(days=offset)).isoformat()

    def timestamp(self, day: date) -> int:
        """10:00 UTC on ``day``, one minute later for each further change that day."""
        n = self.per_day.get(day, 0)
        self.per_day[day] = n + 1
        moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
        stamp = int(moment.timestamp()) + 60 * n
        if self.ceiling is not None:
            stamp = min(stamp, self.ceiling)
        self.last_time = max(self.last_time, stamp)
        return self.last_time

    def ref(self, value: str) -> str:
        """``"@name"`` → the id created under that name; anything else unchanged."""
        return self.ids[value[1:]] if value.startswith("@") else value

    def tick(self) -> None:
        """Count one change made and report progress."""
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def play(self, day: date, when: str, operation: str, subject: str, details: dict) -> None:
        """Apply one line of the scenario, happening on ``day``, as one commit."""
        details = dict(details)
        name = details.pop("as", None)
        for key in ("due", "review_by", "on"):
            if key in details:
                details[key] = self.day(details[key])
        for key in ("decision", "supersedes"):
            if key in details:
                details[key] = self.ref(details[key])
        stamp = {
            "author": DEPUTY if operation in ("update", "done") else SECRETARY,
            "timestamp": self.timestamp(day),
        }
        ledger, target = self.ledger, self.ref(subject)
        if operation == "meeting":
            attendees = details.pop("attendees", STEERING_COMMITTEE)
            written = operations.log_meeting(
                ledger, date=day.isoformat(), body=subject, attendees=attendees, **details, **stamp
            )
        elif operation == "decision":
            if "+" not in when:  # taken at the meeting held that day
                details.setdefault("meeting", self.ids[when])
            written = operations.log_decision(
                ledger, subject, date=day.isoformat(), **details, **stamp
            )
        elif operation == "status":
            status = details.pop("status")
            written = operations.set_decision_status(ledger, target, status, **details, **stamp)
        elif operation == "milestone":
            written = operations.add_milestone(ledger, subject, **details, **stamp)
        elif operation == "update":
            written = operations.update_milestone(ledger, target, **details, **stamp)
        elif operation == "done":
            details.setdefault("on", day.isoformat())
            written = operations.complete_milestone(ledger, target, **details, **stamp)
        elif operation == "assign":
            department = details.pop("department")
            written = operations.assign_commitment(ledger, target, department, **details, **stamp)
        elif operation == "department":
            written = operations.add_department(ledger, subject, **details, **stamp)
        else:
            raise ValueError(f"unknown scenario operation {operation!r}")
        if name is not None:
            # The record a line creates is the last one it wrote (a superseding decision also
            # rewrites the one it replaces, first).
            self.ids[name] = written.records[-1]["id"]
        self.tick()


def build_demo(
    directory: Path,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> Demo:
    """Create a demo ledger in ``directory`` (new or empty) and play a year of committee work
    ending at ``today`` (default: the current date) into it.

    ``progress(done, total)`` is called after each change (each commit). Errors about the
    folder come from ``hrgov.ledger.init``.
    """
    today = today or date.today()
    total = len(SCENARIO) + 1
    builder = _Builder(today, progress, total)
    builder.init(directory)
    for line in schedule(today):
        builder.play(*line)
    superseding = builder.meetings["M6"]
    return Demo(
        ledger=builder.ledger,
        today=today,
        changes=builder.done,
        slipped_milestone=builder.ids["hria-findings"],
        superseded_decision=builder.ids["screening"],
        superseding_decision=builder.ids["screening-2"],
        before=(superseding - timedelta(days=1)).isoformat(),
        restricted_decision=builder.ids["at-risk"],
    )
