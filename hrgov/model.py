"""The ledger's record kinds and their rules. Pure: no files, git, SQLite, typer or Word.

A record is a plain mapping shaped like its JSON file::

    {"kind": "decision", "id": "D-2026-0001", "title": "Adopt screening",
     "date": "2026-03-04", "status": "adopted", "sensitivity": "internal"}

Each kind is declared once in ``KINDS`` (its fields, their types, allowed values and meaning);
validation, the SQLite columns and the audit descriptions are all derived from that table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from hrgov.errors import InvalidInput, InvalidRecord

# ASCII digits only and no trailing newline (``\d`` and ``$`` would allow both): ids become
# file names. SLUG and ID_NUMBER are also the parts of the paths records.py recognises.
SLUG = r"[a-z0-9][a-z0-9-]{0,62}"
ID_NUMBER = r"[0-9]{2,6}"
SLUG_PATTERN = re.compile(rf"^{SLUG}\Z")
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Control characters other than tab and newline have no place in a record (NUL breaks tools,
# escapes rewrite terminals), nor have bidi overrides (they disguise text) or lone surrogates
# (undecodable bytes from the command line).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff]")

SENSITIVITIES = ("public", "internal", "restricted")
DEFAULT_SENSITIVITY = "internal"


@dataclass(frozen=True)
class Field:
    """One field of a record kind.

    ``type`` is one of: ``line`` (one line of text), ``text`` (any text), ``date``, ``bool``,
    ``choice``, ``link`` (the id of a record of kind ``link``), ``links`` (a list of such ids),
    ``lines`` (a list of one-line texts), ``slips`` (a milestone's list of due-date moves).
    """

    name: str
    type: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    link: str | None = None


@dataclass(frozen=True)
class Kind:
    """A record kind: its name, how its ids look, its fields and its status lifecycle."""

    name: str
    plural: str
    description: str
    fields: tuple[Field, ...]
    id_prefix: str | None = None  # None: slug ids; else dated ids such as D-2026-0001
    id_digits: int = 4
    title_field: str = "title"
    date_field: str | None = None
    status_field: str = "status"
    # Its text is about people: contact details are refused unless explicitly allowed.
    about_people: bool = False
    moves: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The rule book's declarations (applied by hrgov.rules): fields that never change once
    # set, and fields that change only with a recorded reason (Hrgov-Reason) or through the
    # command that keeps their history (field → that command).
    fixed: tuple[str, ...] = ()
    needs_reason: Mapping[str, str] = field(default_factory=dict)
    # Fields that record a day on which something was done: never after the day of the
    # change (a plan's dates, such as due or review_by, may be in the future).
    done_dates: tuple[str, ...] = ()

    @property
    def dated(self) -> bool:
        return self.id_prefix is not None

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def statuses(self) -> tuple[str, ...]:
        status = self.field(self.status_field)
        return status.choices if status else ()


SENSITIVITY_FIELD = Field(
    "sensitivity",
    "choice",
    "Who may see the record: public (anyone), internal (staff, the default) or restricted "
    "(never in exports or the audit view; counted only in the Board briefing).",
    choices=SENSITIVITIES,
)

# Like the sensitivity, an envelope field any record may carry: the questions of a reporting
# framework (data/frameworks/*.toml) the record answers, cited there by `hrgov disclose`. The
# rule book checks that each reference added names a question of the shipped frameworks.
FRAMEWORK_REFS_FIELD = Field(
    "framework_refs",
    "lines",
    "Framework questions the record answers, as FRAMEWORK:QUESTION (ungprf:C4, esrs:S1-3, "
    "'csddd:Art. 13'); hrgov disclose cites the record under each.",
)

WITHDRAWN_FIELD = Field(
    "withdrawn",
    "date",
    "Day it was withdrawn as logged by mistake (hrgov withdraw, with its reason): it stays in "
    "the history, shown as withdrawn, and is left out of lists, counts and reports.",
)

DECISION_MOVES = {
    "proposed": frozenset({"adopted", "rejected"}),
    "adopted": frozenset({"implemented", "superseded", "rescinded"}),
    "implemented": frozenset({"superseded", "rescinded"}),
}
MILESTONE_MOVES = {
    "planned": frozenset({"in-progress", "blocked", "done", "dropped"}),
    "in-progress": frozenset({"planned", "blocked", "done", "dropped"}),
    "blocked": frozenset({"planned", "in-progress", "done", "dropped"}),
    "done": frozenset({"in-progress"}),  # reopened: the evidence did not hold
    "dropped": frozenset({"planned"}),  # reinstated
}

RIGHTSHOLDER_GROUPS = (
    "staff", "contractor", "volunteer", "reader", "child", "human-rights-defender", "third-party",
)
SCALE = ("1", "2", "3")
SEVERITIES = ("low", "medium", "high", "severe")
ISSUE_MOVES = {
    "open": frozenset({"assessing", "mitigating", "closed", "dismissed"}),
    "assessing": frozenset({"mitigating", "closed", "dismissed"}),
    "mitigating": frozenset({"closed"}),
    "closed": frozenset({"open"}),  # reopened
    "dismissed": frozenset({"open"}),
}
ASSESSMENT_MOVES = {
    "planned": frozenset({"in-progress"}),
    "in-progress": frozenset({"completed"}),
    "completed": frozenset(),
}
GRIEVANCE_CHANNELS = (
    "talktohumanrights", "internal-claim", "emergency", "ucoc", "trust-and-safety", "other",
)
# Each channel as the Board paper and the disclosures name it.
CHANNEL_NAMES = {
    "talktohumanrights": "Talk to Human Rights",
    "internal-claim": "Internal claim",
    "emergency": "Emergency",
    "ucoc": "UCoC enforcement",
    "trust-and-safety": "Trust and Safety",
    "other": "Other",
}
GRIEVANCE_STAGES = ("received", "acknowledged", "investigating", "responded", "closed")
# A grievance only moves forward, and may skip stages (a withdrawn one closes at once).
GRIEVANCE_MOVES = {
    stage: frozenset(GRIEVANCE_STAGES[n + 1 :]) for n, stage in enumerate(GRIEVANCE_STAGES)
}

def _withdrawable(kind: Kind) -> Kind:
    """Every kind can be withdrawn: the field is declared once and added to each."""
    return replace(
        kind, fields=(*kind.fields, WITHDRAWN_FIELD),
        done_dates=(*kind.done_dates, WITHDRAWN_FIELD.name),
    )


KINDS: dict[str, Kind] = {
    k.name: _withdrawable(k)
    for k in (
        Kind(
            "department",
            "departments",
            "Departments that own commitments and milestones.",
            (
                Field("name", "line", "The department's name.", required=True),
                Field("lead_role", "line", "The role (not the person) who leads it."),
                Field("active", "bool", "Whether the department still exists."),
            ),
            title_field="name",
        ),
        Kind(
            "instrument",
            "instruments",
            "International human-rights instruments the policy builds on.",
            (
                Field("short_name", "line", "Abbreviation, e.g. ICCPR.", required=True),
                Field("title", "line", "Full title of the instrument.", required=True),
                Field("url", "line", "Where the instrument's text is published."),
                Field(
                    "instrument_type",
                    "choice",
                    "What kind of instrument it is.",
                    choices=("treaty", "declaration", "principles", "initiative"),
                ),
            ),
        ),
        Kind(
            "commitment",
            "commitments",
            "What the policy promises, in its own words, and which department owns it.",
            (
                Field("title", "line", "Short title of the commitment.", required=True),
                Field("text", "text", "The policy's own words."),
                Field("section", "line", "The policy section the words come from."),
                Field(
                    "instruments", "links", "Instruments it relates to.", link="instrument"
                ),
                Field("owner", "link", "Department that owns it.", link="department"),
                Field(
                    "status",
                    "choice",
                    "active (in force) or retired (no longer part of the policy).",
                    choices=("active", "retired"),
                ),
                Field("evidence_hint", "text", "What evidence of progress looks like."),
            ),
            needs_reason={"owner": "commitment assign"},
        ),
        Kind(
            "meeting",
            "meetings",
            "Meetings of the Steering Committee and the bodies it reports to.",
            (
                Field("date", "date", "Day the meeting was held.", required=True),
                Field(
                    "body",
                    "choice",
                    "Which body met.",
                    required=True,
                    choices=("steering-committee", "executive-committee", "board"),
                ),
                Field("attendees", "lines", "Who attended, by role."),
                Field("quorum", "bool", "Whether the meeting was quorate."),
                Field("notes", "text", "Minutes or a reference to them."),
                Field(
                    "approved_on", "date",
                    "Day its minutes were approved: its decisions are then locked (a change "
                    "needs a reason, and is listed as a post-approval change).",
                ),
                Field("approved_at", "link", "Meeting that approved its minutes.",
                      link="meeting"),
            ),
            id_prefix="MTG",
            title_field="body",
            date_field="date",
            fixed=("date", "approved_on", "approved_at"),
            done_dates=("approved_on",),
        ),
        Kind(
            "decision",
            "decisions",
            "Decisions taken, with the commitments they serve and their lifecycle.",
            (
                Field("title", "line", "What was decided, in one line.", required=True),
                Field("date", "date", "Day the decision was taken.", required=True),
                Field("meeting", "link", "Meeting where it was taken.", link="meeting"),
                Field("text", "text", "The decision's full text."),
                Field("rationale", "text", "Why it was decided."),
                Field(
                    "status",
                    "choice",
                    "proposed → adopted → implemented; or rejected, superseded, rescinded.",
                    required=True,
                    choices=(
                        "proposed",
                        "adopted",
                        "implemented",
                        "rejected",
                        "superseded",
                        "rescinded",
                    ),
                ),
                Field(
                    "commitments", "links", "Commitments it serves.", link="commitment"
                ),
                Field("owner", "link", "Department that carries it out.", link="department"),
                Field("supersedes", "link", "Earlier decision it replaces.", link="decision"),
                Field(
                    "superseded_by", "link", "Later decision that replaced it.", link="decision"
                ),
                Field("review_by", "date", "Day by which it should be reviewed."),
                Field(
                    "for_board",
                    "bool",
                    "The Committee puts it to the Board: the briefing lists it under "
                    "\u201cThe Board is asked to\u201d.",
                ),
            ),
            id_prefix="D",
            date_field="date",
            moves=DECISION_MOVES,
            fixed=("supersedes",),  # superseded_by: see rules._supersession
        ),
        Kind(
            "milestone",
            "milestones",
            "Implementation milestones of commitments, with due dates that keep their slips.",
            (
                Field("title", "line", "What will be delivered.", required=True),
                Field(
                    "commitment",
                    "link",
                    "Commitment it implements.",
                    required=True,
                    link="commitment",
                ),
                Field("decision", "link", "Decision that created it.", link="decision"),
                Field("owner", "link", "Department responsible.", link="department"),
                Field("due", "date", "Current due date.", required=True),
                Field(
                    "original_due",
                    "date",
                    "First due date; never changes.",
                    required=True,
                ),
                Field(
                    "status",
                    "choice",
                    "planned, in-progress, blocked, done or dropped.",
                    required=True,
                    choices=("planned", "in-progress", "blocked", "done", "dropped"),
                ),
                Field("done_on", "date", "Day it was done."),
                Field("evidence", "lines", "Links or references proving progress."),
                Field("slips", "slips", "Every move of the due date: from, to, reason, on."),
            ),
            id_prefix="MS",
            moves=MILESTONE_MOVES,
            fixed=("original_due",),
            done_dates=("done_on",),
        ),
        Kind(
            "category",
            "categories",
            "Categories of human-rights issues, two levels deep (from the policy pack).",
            (
                Field("name", "line", "The category's name.", required=True),
                Field("subcategories", "lines", "Its subcategories."),
            ),
            title_field="name",
        ),
        Kind(
            "issue",
            "issues",
            "The register of human-rights issues: anonymised, categorised, scored.",
            (
                Field(
                    "summary",
                    "text",
                    "What happened, anonymised: no names, contact details or other identifying "
                    "facts (refer to people by a pseudonymous reference kept elsewhere).",
                    required=True,
                ),
                Field("reported", "date", "Day the issue was reported.", required=True),
                Field("category", "link", "Category (taxonomy).", required=True, link="category"),
                Field("subcategory", "line", "Subcategory, one of the category's."),
                Field(
                    "rightsholder_group",
                    "choice",
                    "Whose rights are at stake.",
                    choices=RIGHTSHOLDER_GROUPS,
                ),
                Field(
                    "actor",
                    "choice",
                    "Who causes the harm: state, non-state or internal.",
                    choices=("state", "non-state", "internal"),
                ),
                Field("region", "line", "Region concerned (never a person's location)."),
                Field("project", "line", "Project or language community concerned."),
                Field(
                    "involvement",
                    "choice",
                    "How the organisation is involved (UNGPs): cause, contribute or linked.",
                    choices=("cause", "contribute", "linked"),
                ),
                Field("impact", "int", "Severity of impact, 1 (low) to 3 (high).", choices=SCALE),
                Field("likelihood", "int", "Likelihood, 1 (low) to 3 (high).", choices=SCALE),
                Field("salient", "bool", "A salient human-rights issue."),
                Field(
                    "status",
                    "choice",
                    "open → assessing → mitigating → closed; or dismissed.",
                    required=True,
                    choices=("open", "assessing", "mitigating", "closed", "dismissed"),
                ),
                Field("commitments", "links", "Commitments it concerns.", link="commitment"),
                Field(
                    "board_example",
                    "bool",
                    "May be quoted, anonymised, as an example in the Board briefing.",
                ),
                # An example for the Board reads: what happened (summary), what we did
                # (response), where it stands (status, remedies) and what we learned (lessons).
                Field("response", "text", "What the organisation did about it, anonymised."),
                Field("lessons", "text", "What the organisation learned from it, anonymised."),
            ),
            id_prefix="HRI",
            about_people=True,
            title_field="category",
            date_field="reported",
            moves=ISSUE_MOVES,
            fixed=("reported",),
        ),
        Kind(
            "assessment",
            "assessments",
            "Human rights impact assessments (DIHR phases 1–5) and their findings.",
            (
                Field("title", "line", "What is assessed, in one line.", required=True),
                Field(
                    "subject",
                    "choice",
                    "What kind of thing is assessed.",
                    required=True,
                    choices=(
                        "enterprise", "product", "feature", "algorithm", "grant", "event",
                        "country",
                    ),
                ),
                Field("scope", "text", "Scope and terms of reference."),
                Field(
                    "trigger",
                    "choice",
                    "Why it is done: periodic, a launch or a significant change.",
                    choices=("periodic", "launch", "significant-change"),
                ),
                Field(
                    "assessor",
                    "choice",
                    "Who assesses: internal or external.",
                    choices=("internal", "external"),
                ),
                Field(
                    "phase",
                    "int",
                    "DIHR phase: 1 planning and scoping, 2 data collection, 3 analysing impacts, "
                    "4 mitigation and management, 5 reporting and evaluation.",
                    choices=("1", "2", "3", "4", "5"),
                ),
                Field("started", "date", "Day it started."),
                Field("completed", "date", "Day it was completed."),
                Field(
                    "publication",
                    "choice",
                    "What is published: full, summary or none.",
                    choices=("full", "summary", "none"),
                ),
                Field("next_due", "date", "When the next assessment is due."),
                Field(
                    "status",
                    "choice",
                    "planned → in-progress → completed.",
                    required=True,
                    choices=("planned", "in-progress", "completed"),
                ),
                Field("commitments", "links", "Commitments it serves.", link="commitment"),
                Field(
                    "findings",
                    "findings",
                    "Findings: text, severity, response status and the milestones that answer "
                    "them.",
                ),
            ),
            id_prefix="HRIA",
            id_digits=2,
            done_dates=("completed",),
            moves=ASSESSMENT_MOVES,
        ),
        Kind(
            "grievance",
            "grievances",
            "Grievances received, with the time taken at each stage (UNGP 31: predictable).",
            (
                Field(
                    "channel",
                    "choice",
                    "Where it came in.",
                    required=True,
                    choices=GRIEVANCE_CHANNELS,
                ),
                Field("received", "date", "Day it was received.", required=True),
                Field("acknowledged", "date", "Day its receipt was acknowledged."),
                Field("closed", "date", "Day it was closed."),
                Field(
                    "stage",
                    "choice",
                    "received → acknowledged → investigating → responded → closed.",
                    required=True,
                    choices=GRIEVANCE_STAGES,
                ),
                Field(
                    "outcome",
                    "choice",
                    "How it ended.",
                    choices=("upheld", "partly-upheld", "not-upheld", "withdrawn", "referred"),
                ),
                Field("issue", "link", "The issue it concerns.", link="issue"),
                Field(
                    "summary",
                    "text",
                    "What it is about, anonymised: no names or contact details.",
                ),
            ),
            id_prefix="G",
            about_people=True,
            title_field="channel",
            date_field="received",
            status_field="stage",
            moves=GRIEVANCE_MOVES,
            fixed=("received",),
            done_dates=("acknowledged", "closed"),
        ),
        Kind(
            "remedy",
            "remedies",
            "Remedies provided for a grievance or an issue, and whether they were verified.",
            (
                Field(
                    "remedy_type",
                    "choice",
                    "What kind of remedy.",
                    required=True,
                    choices=(
                        "restoration", "protection", "apology", "policy-change",
                        "compensation", "referral",
                    ),
                ),
                Field("provided", "text", "What was provided, anonymised.", required=True),
                Field("grievance", "link", "The grievance it answers.", link="grievance"),
                Field("issue", "link", "The issue it answers.", link="issue"),
                Field("provider", "link", "Department that provided it.", link="department"),
                Field("delivered_on", "date", "Day it was delivered."),
                Field("verified", "bool", "Whether its effect was verified."),
            ),
            id_prefix="R",
            about_people=True,
            title_field="remedy_type",
            done_dates=("delivered_on",),
        ),
    )
}

# ---- the kinds the disclosure frameworks need (UNGPRF C2 and C5, UNGP 31 h) ----------------

STAKEHOLDER_GROUPS = (
    *RIGHTSHOLDER_GROUPS, "workers-representative", "civil-society", "expert", "investor",
    "public-authority",
)
ENGAGEMENT_METHODS = (
    "consultation", "interview", "focus-group", "survey", "workshop", "public-comment",
    "advisory-panel", "other",
)
KINDS.update({
    k.name: _withdrawable(k)
    for k in (
        Kind(
            "engagement",
            "engagements",
            "Engagements with stakeholders: which group (by role, never by name), how, on what, "
            "and what changed as a result (UNGP Reporting Framework C2).",
            (
                Field("title", "line", "What the engagement was about, in one line.",
                      required=True),
                Field("date", "date", "Day it took place (or began).", required=True),
                Field(
                    "stakeholders",
                    "choice",
                    "The stakeholder group engaged, by role.",
                    required=True,
                    choices=STAKEHOLDER_GROUPS,
                ),
                Field(
                    "participants", "lines",
                    "Who took part, by role or organisation type (never a person's name).",
                ),
                Field("method", "choice", "How they were engaged.", required=True,
                      choices=ENGAGEMENT_METHODS),
                Field(
                    "categories", "links",
                    "Issue categories (salient issues) discussed.", link="category",
                ),
                Field("issues", "links", "Issues in the register discussed.", link="issue"),
                Field("commitments", "links", "Commitments discussed.", link="commitment"),
                Field("discussed", "text", "What was discussed, anonymised."),
                Field("outcome", "text", "What changed as a result (or why nothing did)."),
                Field("decisions", "links", "Decisions the engagement informed.",
                      link="decision"),
                Field(
                    "mechanism", "bool",
                    "Its users were consulted on the grievance mechanism itself (UNGP 31 h).",
                ),
            ),
            id_prefix="ENG",
            about_people=True,
            date_field="date",
            fixed=("date",),
        ),
        Kind(
            "indicator",
            "indicators",
            "Indicators that show whether action works: what is measured, a baseline and a "
            "target, each with its date, and the values over time with their source "
            "(UNGP 20; UNGP Reporting Framework C5).",
            (
                Field("title", "line", "What it measures, in one line.", required=True),
                Field("unit", "line", "Unit of its values, e.g. 'days' or '% of reports'.",
                      required=True),
                Field("category", "link", "Issue category (salient issue) it tracks.",
                      link="category"),
                Field("commitments", "links", "Commitments it tracks.", link="commitment"),
                Field("owner", "link", "Department that measures it.", link="department"),
                Field(
                    "direction", "choice", "Which way is better: up or down.",
                    choices=("up", "down"),
                ),
                Field("baseline", "number", "The value it started from."),
                Field("baseline_on", "date", "Day the baseline was measured."),
                Field("target", "number", "The value aimed for."),
                Field("target_by", "date", "Day by which the target should be met."),
                Field(
                    "values", "readings",
                    "Values over time: on (date), value, source (where it comes from).",
                ),
                Field(
                    "affected_feedback", "bool",
                    "Its values come from the feedback of affected people (surveys, "
                    "grievance users, engagements).",
                ),
            ),
            fixed=("baseline", "baseline_on"),
        ),
    )
})
# Indicator values are only ever added; a target moves only with a recorded reason.
INDICATOR_TARGET = ("target", "target_by")

KIND_BY_PLURAL = {k.plural: k for k in KINDS.values()}
# Fields that go with a record's status (a done milestone's date, a closed grievance's
# outcome, a superseded decision's successor): whoever's status is taken, theirs are too.
STATUS_COMPANIONS = {
    "milestone": ("done_on",),
    "grievance": ("outcome",),
    "decision": ("superseded_by",),
}
DATED_ID = re.compile(rf"^(?P<prefix>[A-Z]+)-(?P<year>[0-9]{{4}})-(?P<number>{ID_NUMBER})\Z")
MEETING_ID = re.compile(
    r"^MTG-(?P<year>[0-9]{4})-[0-9]{2}-[0-9]{2}(?:-(?P<n>[2-9]|[1-9][0-9]{1,2}))?\Z"
)


def editable_fields(kind: Kind) -> dict[str, Field]:
    """The fields ``hrgov edit`` may set on a record of ``kind``, by name: every declared field
    and the sensitivity, but not ``withdrawn`` (``hrgov withdraw`` sets it, with its reason).
    Whether a change is allowed is the rule book's to say (fixed fields, lifecycles, slips).

    >>> "original_due" in editable_fields(KINDS["milestone"])
    True
    """
    return {
        spec.name: spec
        for spec in (*kind.fields, SENSITIVITY_FIELD, FRAMEWORK_REFS_FIELD)
        if spec.name != WITHDRAWN_FIELD.name
    }


def kind_named(name: str) -> Kind:
    """The kind called ``name``, singular or plural.

    >>> kind_named("decisions").name
    'decision'
    """
    kind = KINDS.get(name) or KIND_BY_PLURAL.get(name)
    if kind is None:
        choices = ", ".join(KIND_BY_PLURAL)
        raise InvalidInput(f"unknown kind {name!r} (choose one of: {choices})")
    return kind


def kind_of_id(record_id: str) -> Kind | None:
    """The kind a dated id belongs to, ``None`` for a slug (which any slug kind may use).

    Raises ``InvalidInput`` for anything that is neither a slug nor a dated id, so that no
    ``/``, ``..`` or control character can ever reach a file path.
    """
    if not isinstance(record_id, str):
        raise InvalidInput(f"an id must be text, not {record_id!r}")
    return _kind_of_text_id(record_id)


@lru_cache(maxsize=4096)  # links repeat: a rebuild checks the same ids many times
def _kind_of_text_id(record_id: str) -> Kind | None:
    if SLUG_PATTERN.match(record_id):
        return None
    if MEETING_ID.match(record_id):
        if not _is_real_date(record_id[4:14]):
            raise InvalidInput(f"{record_id!r} is not a valid meeting id: no such date")
        return KINDS["meeting"]
    match = DATED_ID.match(record_id)
    if match:
        for kind in KINDS.values():
            if kind.id_prefix == match["prefix"] and kind.name != "meeting":
                return kind
    raise InvalidInput(
        f"{record_id!r} is not a valid id (ids look like D-2026-0001, MS-2026-0001, "
        "MTG-2026-03-04, HRI-2026-0001, HRIA-2026-01, G-2026-0001, R-2026-0001 or a "
        "lower-case slug such as legal)"
    )


def check_id(kind: Kind, record_id: str) -> str:
    """Return ``record_id`` if it is a valid id for ``kind``, else raise ``InvalidInput``."""
    if isinstance(record_id, str) and (kind.name, record_id) in _VALID_IDS:
        return record_id
    id_kind = kind_of_id(record_id)
    if kind.dated and id_kind is not kind:
        example = "MTG-2026-03-04" if kind.name == "meeting" else format_dated_id(kind, 2026, 1)
        raise InvalidInput(f"{record_id!r} is not a {kind.name} id (expected e.g. {example})")
    if not kind.dated and id_kind is not None:
        raise InvalidInput(
            f"{record_id!r} is not a {kind.name} id (expected a lower-case slug such as "
            "'trust-and-safety': letters, digits and hyphens, at most 63 characters)"
        )
    if len(_VALID_IDS) < 1 << 17:  # links repeat: a rebuild checks the same ids many times
        _VALID_IDS.add((kind.name, record_id))
    return record_id


_VALID_IDS: set[tuple[str, str]] = set()


def id_year(record_id: str) -> int | None:
    """The year a dated id carries (``D-2026-0001`` → 2026), ``None`` for a slug."""
    kind = kind_of_id(record_id)
    if kind is None:
        return None
    return int(record_id.split("-")[1])


def format_dated_id(kind: Kind, year: int, number: int) -> str:
    """``format_dated_id(KINDS["decision"], 2026, 14)`` → ``'D-2026-0014'``."""
    return f"{kind.id_prefix}-{year:04d}-{number:0{kind.id_digits}d}"


def meeting_id(day: str, taken: Iterable[str]) -> str:
    """The id of a new meeting on ``day``: ``MTG-<day>``, or ``-2``, ``-3``… if taken."""
    base = f"MTG-{day}"
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _is_real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_date(text: str, what: str = "date") -> date:
    """Parse an ISO ``YYYY-MM-DD`` date, refusing impossible ones such as ``2026-02-30``."""
    if not isinstance(text, str) or not DATE_PATTERN.match(text):
        raise InvalidInput(f"{what} {text!r} is not a date (expected YYYY-MM-DD)", field=what)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a real date", field=what) from None


def check_text(value: str, what: str, *, one_line: bool = False) -> str:
    """Refuse control characters (and newlines in one-line fields); return the text."""
    bad = FORBIDDEN_CHARACTERS.search(value)
    if bad:
        raise InvalidInput(
            f"{what} contains the control character U+{ord(bad.group()):04X}; remove it",
            field=what,
        )
    if one_line and ("\n" in value or "\t" in value):
        raise InvalidInput(f"{what} must be a single line", field=what)
    return value


def validate(record: Mapping) -> dict:
    """Check ``record`` against its kind's declaration and return a normalised copy.

    Empty optional fields are dropped; fields the model does not know are kept untouched
    (a newer hrgov or another tool may have written them). Links are checked for shape only:
    whether they exist is the ledger's business.

    >>> validate({"kind": "department", "id": "legal", "name": "Legal"})["sensitivity"]
    'internal'
    """
    kind_name = record.get("kind")
    if kind_name not in KINDS:
        raise InvalidRecord(f"record has an unknown kind {kind_name!r}")
    kind = KINDS[kind_name]
    record_id = check_id(kind, record.get("id"))
    label = f"{kind.name} {record_id}"
    checks = _CHECKS[kind.name]
    out: dict = {"kind": kind.name, "id": record_id}
    for name, value in record.items():
        if name in ("kind", "id"):
            continue
        check = checks.get(name)
        if check is None:
            out[name] = value  # unknown field: preserved as written
            continue
        if value is None:
            continue
        try:
            value = check(value, name)
        except InvalidInput as error:
            raise type(error)(f"{label}: {error}") from None
        if value not in ("", []):
            out[name] = value
    out.setdefault("sensitivity", DEFAULT_SENSITIVITY)
    for name in missing_fields(kind, out):
        raise InvalidRecord(f"{label}: {name} is required")
    if kind.date_field and kind.name == "meeting" and out["id"][4:14] != out["date"]:
        raise InvalidRecord(f"{label}: the id must carry the meeting's date {out['date']}")
    if kind.name == "milestone" and out.get("status") == "done" and "done_on" not in out:
        raise InvalidRecord(f"{label}: a done milestone needs done_on")
    if kind.name == "grievance":
        _check_grievance(out, label)
    if kind.name == "remedy" and "grievance" not in out and "issue" not in out:
        raise InvalidRecord(f"{label}: a remedy answers a grievance or an issue (or both)")
    return out


def missing_fields(kind: Kind, record: Mapping) -> list[str]:
    """The required fields of ``kind`` that ``record`` lacks (an empty value counts as none)."""
    return [name for name in _REQUIRED[kind.name] if record.get(name) in (None, "", [])]


def _check_grievance(grievance: Mapping, label: str) -> None:
    if grievance["stage"] == "closed" and not {"closed", "outcome"} <= set(grievance):
        raise InvalidRecord(f"{label}: a closed grievance needs its closed date and outcome")
    for later in ("acknowledged", "closed"):
        if later in grievance and grievance[later] < grievance["received"]:
            raise InvalidRecord(f"{label}: {later} {grievance[later]} is before received")


def _value_check(spec: Field) -> Callable[[object, str], object]:
    """The check of one field's values (``check(value, what)`` returns the value to keep or
    raises), chosen once per field: a rebuild validates every version of every record."""
    if spec.type in ("line", "text"):
        one_line, required = spec.type == "line", spec.required

        def check_text_field(value, what):
            if not isinstance(value, str):
                raise InvalidRecord(f"{what} must be text")
            check_text(value, what, one_line=one_line)
            if one_line and required and not value.strip():
                raise InvalidRecord(f"{what} must not be empty")
            return value

        return check_text_field
    if spec.type == "date":

        def check_date(value, what):
            parse_date(value, what)
            return value

        return check_date
    if spec.type == "bool":

        def check_bool(value, what):
            if not isinstance(value, bool):
                raise InvalidRecord(f"{what} must be true or false")
            return value

        return check_bool
    if spec.type == "choice":
        choices = spec.choices

        def check_choice(value, what):
            if value not in choices:
                raise InvalidRecord(f"{what} {value!r} is not one of: {', '.join(choices)}")
            return value

        return check_choice
    if spec.type == "link":
        linked = KINDS[spec.link]

        def check_link(value, what):
            if not isinstance(value, str):
                raise InvalidRecord(f"{what} must be an id")
            check_id(linked, value)
            return value

        return check_link
    if spec.type == "links":
        linked = KINDS[spec.link]

        def check_links(value, what):
            if not isinstance(value, list):
                raise InvalidRecord(f"{what} must be a list")
            for item in value:
                check_id(linked, item)
            if len(set(value)) != len(value):
                raise InvalidRecord(f"{what} lists an id twice")
            return list(value)

        return check_links
    if spec.type == "lines":

        def check_lines(value, what):
            if not isinstance(value, list):
                raise InvalidRecord(f"{what} must be a list")
            for item in value:
                if not isinstance(item, str) or not item.strip():
                    raise InvalidRecord(f"{what} must hold non-empty texts")
                check_text(item, what, one_line=True)
            return list(value)

        return check_lines
    if spec.type == "slips":
        return _check_slips
    if spec.type == "int":
        choices = spec.choices

        def check_int(value, what):
            if isinstance(value, bool) or not isinstance(value, int) or str(value) not in choices:
                raise InvalidRecord(f"{what} must be a whole number, one of: {', '.join(choices)}")
            return value

        return check_int
    if spec.type == "findings":
        return _check_findings
    if spec.type == "number":
        return _check_number
    if spec.type == "readings":
        return _check_readings
    raise AssertionError(f"unknown field type {spec.type}")


def _check_slips(value, what: str) -> list[dict]:
    if not isinstance(value, list):
        raise InvalidRecord(f"{what} must be a list")
    for slip in value:
        if not isinstance(slip, Mapping) or not {"from", "to", "reason", "on"} <= set(slip):
            raise InvalidRecord(f"{what}: each slip needs from, to, reason and on")
        for key in ("from", "to", "on"):
            parse_date(slip[key], f"{what} {key}")
        if not isinstance(slip["reason"], str):
            raise InvalidRecord(f"{what}: a slip's reason must be text")
        check_text(slip["reason"], f"{what} reason")
    return [dict(slip) for slip in value]


def _check_findings(value, what: str) -> list[dict]:
    if not isinstance(value, list):
        raise InvalidRecord(f"{what} must be a list")
    for finding in value:
        text = finding.get("finding") if isinstance(finding, Mapping) else None
        if not isinstance(text, str) or not text.strip():
            raise InvalidRecord(f"{what}: each finding needs its text (finding)")
        check_text(finding["finding"], f"{what} text")
        if finding.get("severity") not in (None, *SEVERITIES):
            raise InvalidRecord(f"{what}: severity is one of {', '.join(SEVERITIES)}")
        answers = finding.get("milestones", [])
        if not isinstance(answers, list):
            raise InvalidRecord(f"{what}: a finding's milestones are a list of ids")
        for milestone in answers:
            check_id(KINDS["milestone"], milestone)
    return [dict(finding) for finding in value]


def _check_number(value, what: str):
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise InvalidRecord(f"{what} must be a number")
    return value


def _check_readings(value, what: str) -> list[dict]:
    if not isinstance(value, list):
        raise InvalidRecord(f"{what} must be a list")
    for reading in value:
        if not isinstance(reading, Mapping) or not {"on", "value", "source"} <= set(reading):
            raise InvalidRecord(f"{what}: each value needs on, value and source")
        parse_date(reading["on"], f"{what} on")
        _check_number(reading["value"], f"{what} value")
        source = reading["source"]
        if not isinstance(source, str) or not source.strip():
            raise InvalidRecord(f"{what}: each value names its source")
        check_text(source, f"{what} source", one_line=True)
    return [dict(reading) for reading in value]


# Each kind's field checks, the envelope's sensitivity included.
_CHECKS = {
    kind.name: {
        spec.name: _value_check(spec)
        for spec in (*kind.fields, SENSITIVITY_FIELD, FRAMEWORK_REFS_FIELD)
    }
    for kind in KINDS.values()
}
_REQUIRED = {kind.name: [s.name for s in kind.fields if s.required] for kind in KINDS.values()}


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w-])\+?\(?\d(?:[ .()-]?\d){7,}(?![\w-])")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def personal_data(text: str) -> str | None:
    """What in ``text`` looks like a way to identify or reach a person (an email address, a
    phone number), or ``None``. Git keeps everything forever, so the ledger must hold none.

    >>> personal_data("Reported by a volunteer on 2026-03-04, call +44 20 7946 0958")
    'a phone number'
    >>> personal_data("Volunteer V-17 (pseudonymous reference) reported on 2026-03-04") is None
    True
    """
    if EMAIL.search(text):
        return "an email address"
    for match in PHONE.finditer(text):
        digits = sum(c.isdigit() for c in match.group())
        if digits >= 9 and not ISO_DATE.search(match.group()):
            return "a phone number"
    return None


# What a new record starts as when nobody says otherwise (as the commands start them).
NEW_RECORD_DEFAULTS = {
    "department": {"active": True},
    "commitment": {"status": "active"},
    "meeting": {"body": "steering-committee"},
    "decision": {"status": "adopted"},
    "milestone": {"status": "planned"},
    "issue": {"status": "open"},
    "assessment": {"status": "planned"},
    "grievance": {"stage": "received"},
}


def new_record_defaults(kind_name: str, fields: Mapping) -> dict:
    """The fields a new record of ``kind_name`` takes by default, given ``fields``; a
    milestone's ``original_due`` is its ``due``.

    >>> new_record_defaults("milestone", {"due": "2026-09-30"})
    {'status': 'planned', 'original_due': '2026-09-30'}
    """
    found = {k: v for k, v in NEW_RECORD_DEFAULTS.get(kind_name, {}).items() if k not in fields}
    if kind_name == "milestone" and "due" in fields and "original_due" not in fields:
        found["original_due"] = fields["due"]
    return found


def changed_fields(old: Mapping | None, new: Mapping | None) -> list[dict]:
    """Field-level differences between two versions of a record, in field order.

    >>> changed_fields({"due": "2026-05-01"}, {"due": "2026-06-01"})
    [{'field': 'due', 'old': '2026-05-01', 'new': '2026-06-01'}]
    """
    old = old or {}
    new = new or {}
    names = sorted(set(old) | set(new))
    return [
        {"field": n, "old": old.get(n), "new": new.get(n)}
        for n in names
        if old.get(n) != new.get(n)
    ]


# ---- how a commitment is doing ----------------------------------------------------------

HEALTH_STATES = ("on track", "at risk", "off track", "done", "no plan")
HEALTH_RULE = (
    "A commitment with no milestone has no plan. It is done when every milestone is done or "
    "dropped and at least one is done. It is off track when an open milestone is overdue by more "
    "than 30 days, is blocked, or has slipped twice; at risk when an open milestone is overdue, "
    "has slipped once, or falls due within 30 days and is still planned; otherwise on track."
)
CLOSED_MILESTONE = frozenset({"done", "dropped"})


def is_overdue(milestone: Mapping, as_of: date) -> bool:
    """An open milestone whose due date has passed at ``as_of``."""
    return milestone["status"] not in CLOSED_MILESTONE and date.fromisoformat(
        milestone["due"]
    ) < as_of


def commitment_health(milestones: Iterable[Mapping], as_of: date) -> str:
    """How a commitment is doing at ``as_of``, from its milestones (see ``HEALTH_RULE``).

    >>> commitment_health([], date(2026, 1, 1))
    'no plan'
    >>> commitment_health([{"status": "planned", "due": "2026-01-10"}], date(2026, 1, 1))
    'at risk'
    """
    milestones = list(milestones)
    if not milestones:
        return "no plan"
    open_ones = [m for m in milestones if m["status"] not in CLOSED_MILESTONE]
    if not open_ones:
        return "done" if any(m["status"] == "done" for m in milestones) else "no plan"
    state = "on track"
    for m in open_ones:
        due = date.fromisoformat(m["due"])
        slips = len(m.get("slips") or ())
        if (as_of - due).days > 30 or m["status"] == "blocked" or slips >= 2:
            return "off track"
        if (
            due < as_of
            or slips == 1
            or (m["status"] == "planned" and due <= as_of + timedelta(days=30))
        ):
            state = "at risk"
    return state
