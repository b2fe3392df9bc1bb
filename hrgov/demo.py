"""A realistic sample ledger: the Wikimedia policy pack plus a year of Steering Committee work.

``hrgov demo DIR`` calls ``build_demo``. The year is data, ``data/demo/wikimedia-year.toml``
(its header describes the format): an ordered list of steps, each one command of the
secretary's with its fields, who acts and the day, counted from ``today`` so that overdue work
is overdue and "due soon" is soon whenever the demo is built. This module only plays it: it
resolves days and names, and performs each step through ``hrgov.operations``, the same unit of
work and rule book as the commands (one commit per step, dated the day it happens)::

    >>> from pathlib import Path
    >>> demo = build_demo(Path("/tmp/demo-ledger"))  # doctest: +SKIP
    >>> demo.ledger.record(demo.superseded_decision)["status"]  # doctest: +SKIP
    'superseded'
    >>> demo.ledger.record(demo.superseded_decision, at=demo.before)["status"]  # doctest: +SKIP
    'adopted'

A scenario is checked whole before anything is written; each problem is one line naming the step.
"""

from __future__ import annotations

import inspect
import re
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from hrgov import evidence, operations, policy
from hrgov import ledger as ledgers
from hrgov.errors import HrgovError, InvalidInput
from hrgov.ledger import Ledger

SHIPPED = "wikimedia-year"  # data/demo/<name>.toml


class ScenarioError(InvalidInput):
    """A demo scenario cannot be read, or one of its steps cannot be played."""


@dataclass(frozen=True)
class Action:
    """How a scenario action is performed: the service function, the scenario fields renamed
    for it (``milestone`` → ``milestone_id``), keywords it always gets, fields it takes gathered
    in ``changes``, and fields that default to the step's day (as the command dates them today)."""

    function: Callable[..., operations.Written]
    rename: Mapping[str, str]
    fixed: Mapping[str, str]
    changes: tuple[str, ...]
    on_the_day: tuple[str, ...]

    def fields(self) -> tuple[set[str], set[str]]:
        """The fields a step may give, and those it must give."""
        params = dict(inspect.signature(self.function).parameters)
        # The player gives the author and time; the action names the command; the demo never
        # waives the personal-data check.
        for name in ("ledger", "author", "timestamp", "command", "changes",
                     "allow_personal_data", *self.fixed):
            params.pop(name, None)
        back = {param: name for name, param in self.rename.items()}
        allowed = {back.get(name, name) for name in params} | set(self.changes)
        required = {
            back.get(name, name)
            for name, param in params.items()
            if param.default is inspect.Parameter.empty
        } - set(self.on_the_day)
        return allowed, required


def _action(function, *, fixed=None, changes=(), on_the_day=(), **rename) -> Action:
    return Action(
        function, MappingProxyType(rename), MappingProxyType(fixed or {}), changes, on_the_day
    )


# Action (the command's words) → how it is performed. Nothing else in a step runs code.
ACTIONS: dict[str, Action] = {
    "log meeting": _action(operations.log_meeting, on_the_day=("date",)),
    "log decision": _action(operations.log_decision, on_the_day=("date",)),
    "decision status": _action(operations.set_decision_status, decision="decision_id"),
    "milestone add": _action(operations.add_milestone),
    "milestone update": _action(operations.update_milestone, milestone="milestone_id"),
    "milestone done": _action(
        operations.complete_milestone, on_the_day=("on",), milestone="milestone_id"
    ),
    "commitment assign": _action(operations.assign_commitment, commitment="commitment_id"),
    "department add": _action(operations.add_department, department="department_id"),
    "log issue": _action(operations.log_issue, on_the_day=("reported",)),
    "issue status": _action(operations.set_status, fixed={"kind_name": "issue"},
                            changes=("response", "lessons"), issue="record_id"),
    "log assessment": _action(operations.log_assessment),
    "assessment update": _action(
        operations.set_status, fixed={"kind_name": "assessment"},
        changes=("phase", "completed", "publication", "next_due"), assessment="record_id",
    ),
    "assessment finding": _action(operations.add_finding, assessment="assessment_id"),
    "log grievance": _action(operations.log_grievance, on_the_day=("received",)),
    "grievance stage": _action(
        operations.grievance_stage, on_the_day=("on",), grievance="grievance_id"
    ),
    "remedy add": _action(operations.add_remedy, on_the_day=("delivered_on",)),
    "log engagement": _action(evidence.log_engagement, on_the_day=("date",)),
    "engagement update": _action(evidence.update_engagement, engagement="engagement_id"),
    "indicator add": _action(evidence.add_indicator, indicator="indicator_id"),
    "indicator value": _action(evidence.record_value, on_the_day=("on",),
                               indicator="indicator_id"),
    "indicator target": _action(evidence.move_target, indicator="indicator_id"),
}

# Fields that hold a day, written like a step's ``day``: days from today, or from a meeting.
DATE_FIELDS = frozenset({
    "date", "due", "review_by", "on", "next_due",
    "reported", "received", "started", "completed", "delivered_on", "baseline_on", "target_by",
})
DAY = re.compile(r"(.*?)(?:([+-])(\d+))?", re.DOTALL)  # "M3", "M3+9", "M3-2"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOP = {"policy", "organisation", "created", "by", "meets_on", "people", "meetings", "defaults",
       "show", "step"}
STEP_KEYS = {"day", "action", "as", "by"}
SHOW = ("slipped_milestone", "superseded_decision", "superseding_decision", "before",
        "restricted_decision", "restricted_issue", "enterprise_assessment")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Step:
    """One ``[[step]]``, as written (``number`` counts from 1 in the file)."""

    number: int
    action: str
    day: int | str
    name: str | None
    by: str
    fields: dict

    def where(self) -> str:
        return f"step {self.number} ({self.action})"


@dataclass(frozen=True)
class Scenario:
    """A parsed, checked scenario file."""

    label: str
    policy: str
    organisation: str
    created: int | str | None  # the day the ledger is created, by ``by`` (None: the first
    # step's day)
    by: str  # who acts when a step does not say
    people: dict[str, str]
    meetings: dict[str, int]
    meets_on: int
    show: dict[str, str]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Planned:
    """A step as it is played for one ``today``: its day and author resolved, its date fields
    as ISO dates; "@name" references are left for the player (ids exist only once played)."""

    step: Step
    day: date
    author: str
    fields: dict


@dataclass(frozen=True)
class Demo:
    """What ``build_demo`` made, and a few ids worth trying with the commands."""

    ledger: Ledger
    today: date
    changes: int  # commits, the first (init) included
    # Named in the scenario's [show] table ("" when a scenario does not name one):
    slipped_milestone: str = ""  # slipped twice, each time with a reason
    superseded_decision: str = ""
    superseding_decision: str = ""
    before: str = ""  # ISO date at which superseded_decision was still adopted
    restricted_decision: str = ""
    restricted_issue: str = ""  # an issue marked restricted (never in the audit view)
    enterprise_assessment: str = ""  # the external HRIA: three findings, two with milestones

    @property
    def root(self) -> Path:
        """The ledger's folder."""
        return self.ledger.root


def load_scenario(name_or_path: str | Path = SHIPPED) -> Scenario:
    """Read and check a shipped scenario by name, or any scenario file by path."""
    shipped = resources.files("hrgov.data") / "demo" / f"{name_or_path}.toml"
    source = shipped if shipped.is_file() else Path(name_or_path)
    if not source.is_file():
        raise ScenarioError(f"no demo scenario {str(name_or_path)!r} (a file path, or {SHIPPED})")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ScenarioError(f"demo scenario {name_or_path} is not valid TOML: {error}") from None
    return parse_scenario(data, str(name_or_path))


def parse_scenario(data: dict, label: str = "demo scenario") -> Scenario:
    """Check the parsed TOML of a scenario: its tables, and each step's action, fields, people
    and days. (Whether names are made before they are used depends on the schedule:
    ``schedule`` checks it.)"""

    def fail(message: str):
        raise ScenarioError(f"{label}: {message}")

    def table(key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            fail(f"{key} is a table: [{key}]")
        return value

    unknown = set(data) - TOP
    if unknown:
        fail(f"unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(TOP))})")
    people = table("people")
    if not people or not all(isinstance(v, str) for v in people.values()):
        fail('needs a [people] table: name = "Name <email>"')
    meetings = table("meetings")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in meetings.values()):
        fail("[meetings] gives each meeting a number of days from today (-30: a month ago)")
    if data.get("meets_on", "Thursday") not in WEEKDAYS:
        fail(f"meets_on is a weekday ({', '.join(WEEKDAYS)})")
    default_by = data.get("by", next(iter(people)))
    if default_by not in people:
        fail(f"by = {default_by!r} is not one of [people] ({', '.join(people)})")
    defaults = table("defaults")
    for action, fields in defaults.items():
        if action not in ACTIONS or not isinstance(fields, dict):
            fail(f"[defaults.{action!r}]: not an action (one of: {', '.join(ACTIONS)})")
        extra = set(fields) - ACTIONS[action].fields()[0]
        if extra:
            fail(f"[defaults.{action!r}]: unknown field(s) {', '.join(sorted(extra))}")

    def check_day(value, where: str) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            return
        if isinstance(value, str) and _split_day(value)[0] in meetings:
            return
        fail(f"{where}: {value!r} is not a day (-30, or a meeting: \"M3\", \"M3+9\", \"M3-2\"; "
             f"meetings: {', '.join(meetings)})")

    raw_steps = data.get("step", [])
    if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        fail("steps are an array of tables: [[step]]")
    steps = []
    for number, raw in enumerate(raw_steps, 1):
        action = raw.get("action")
        where = f"step {number} ({action})" if action in ACTIONS else f"step {number}"
        if action not in ACTIONS:
            fail(f"{where}: unknown action {action!r} (one of: {', '.join(ACTIONS)})")
        allowed, required = ACTIONS[action].fields()
        fields = {k: v for k, v in raw.items() if k not in STEP_KEYS}
        extra = set(fields) - allowed
        if extra:
            fail(f"{where}: unknown field(s) {', '.join(sorted(extra))} "
                 f"(fields: {', '.join(sorted(allowed))})")
        missing = required - set(fields) - set(defaults.get(action, {}))
        if missing:
            fail(f"{where}: missing field(s) {', '.join(sorted(missing))}")
        if "day" not in raw:
            fail(f"{where}: needs a day")
        check_day(raw["day"], where)
        for key in DATE_FIELDS & set(fields):
            check_day(fields[key], f"{where}: {key}")
        by = raw.get("by", default_by)
        if by not in people:
            fail(f"{where}: by = {by!r} is not one of [people] ({', '.join(people)})")
        name = raw.get("as")
        if name is not None and (not isinstance(name, str) or not name or name.startswith("@")):
            fail(f"{where}: as = {name!r} is not a name")
        steps.append(Step(number, action, raw["day"], name, by, {**defaults.get(action, {}),
                                                                  **fields}))
    names = [step.name for step in steps if step.name]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        fail(f"name(s) made by more than one step: {', '.join(twice)}")
    show = table("show")
    if set(show) - set(SHOW):
        fail(f"[show]: unknown key(s) {', '.join(sorted(set(show) - set(SHOW)))}")
    for key, value in show.items():
        if key == "before":
            check_day(value, "[show] before")
        elif not (isinstance(value, str) and value.startswith("@") and value[1:] in names):
            fail(f"[show] {key} = {value!r}: not \"@name\" of a step")
    if "created" in data:
        check_day(data["created"], "created")
    return Scenario(
        label=label,
        policy=str(data.get("policy", "wikimedia-2021")),
        organisation=str(data.get("organisation", "")),
        created=data.get("created"),
        by=default_by,
        people=dict(people),
        meetings=dict(meetings),
        meets_on=WEEKDAYS.index(data.get("meets_on", "Thursday")),
        show=dict(show),
        steps=tuple(steps),
    )


def _split_day(value: str) -> tuple[str, int]:
    """``"M3+9"`` → ``("M3", 9)``; ``"M3-2"`` → ``("M3", -2)``; ``"M3"`` → ``("M3", 0)``."""
    name, sign, number = DAY.fullmatch(value).groups()
    return name, int(sign + number) if number else 0


def meeting_days(today: date, scenario: Scenario | None = None) -> dict[str, date]:
    """The day of each meeting for a demo ending at ``today``: its day from today, moved back to
    the weekday the committee meets on."""
    scenario = scenario or load_scenario()
    days = {}
    for name, offset in scenario.meetings.items():
        day = today + timedelta(days=offset)
        days[name] = day - timedelta(days=(day.weekday() - scenario.meets_on) % 7)
    return days


def _days(today: date, scenario: Scenario) -> Callable[[int | str], date]:
    """Resolves a checked day: ``-30`` → 30 days before ``today``; ``"M3+9"`` → 9 days after
    meeting M3."""
    meetings = meeting_days(today, scenario)

    def resolve(value: int | str) -> date:
        if isinstance(value, int):
            return today + timedelta(days=value)
        name, number = _split_day(value)
        return meetings[name] + timedelta(days=number)

    return resolve


def schedule(today: date, scenario: Scenario | None = None) -> list[Planned]:
    """The steps in the order they are played for a demo ending at ``today`` (by day; steps on
    the same day as written), with their days resolved. Refuses a step that uses a name no
    earlier step made.

    >>> [(p.day, p.step.action) for p in schedule(date(2026, 6, 15))[:2]]
    [(datetime.date(2025, 7, 10), 'log meeting'), (datetime.date(2025, 7, 10), 'log decision')]
    """
    scenario = scenario or load_scenario()
    resolve = _days(today, scenario)
    planned = []
    for step in scenario.steps:
        day = resolve(step.day)
        fields = dict(step.fields)
        for key in DATE_FIELDS & set(fields):
            fields[key] = resolve(fields[key]).isoformat()
        for key in ACTIONS[step.action].on_the_day:
            fields.setdefault(key, day.isoformat())
        planned.append(Planned(step, day, scenario.people[step.by], fields))
    planned.sort(key=lambda p: p.day)
    made: set[str] = set()
    for p in planned:
        for value in p.fields.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.startswith("@") and item[1:] not in made:
                    raise ScenarioError(
                        f"{scenario.label}: {p.step.where()} on {p.day}: {item} is not made by "
                        "a step played before it"
                    )
        if p.step.name:
            made.add(p.step.name)
    return planned


class _Player:
    """Plays a schedule into a ledger: "@name" → ids, one dated commit per step."""

    def __init__(self, ledger: Ledger, label: str, progress: Progress | None, total: int,
                 clock: Callable[[date], int]):
        self.ledger = ledger
        self.label = label
        self.progress = progress
        self.total = total
        self.done = 1  # the ledger's first commit
        self.ids: dict[str, str] = {}
        self.meeting_on: dict[str, str] = {}  # ISO day → the meeting logged that day
        self.clock = clock
        self.report()

    def report(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total)

    def ref(self, value):
        """``"@name"`` → the id of the record made under that name; lists item by item."""
        if isinstance(value, list):
            return [self.ref(item) for item in value]
        if isinstance(value, str) and value.startswith("@"):
            return self.ids[value[1:]]
        return value

    def play(self, planned: Planned) -> None:
        step, action = planned.step, ACTIONS[planned.step.action]
        fields = {key: self.ref(value) for key, value in planned.fields.items()}
        if step.action == "log decision" and planned.day.isoformat() in self.meeting_on:
            fields.setdefault("meeting", self.meeting_on[planned.day.isoformat()])
        changes = {key: fields.pop(key) for key in action.changes if key in fields}
        arguments = {action.rename.get(key, key): value for key, value in fields.items()}
        if changes:
            arguments["changes"] = changes
        try:
            written = action.function(
                self.ledger, **action.fixed, **arguments,
                author=planned.author, timestamp=self.clock(planned.day),
            )
        except HrgovError as error:
            where = f"{self.label}: {step.where()} on {planned.day}"
            raise ScenarioError(f"{where}: {error}") from error
        # The record a step makes is the last one it wrote (a superseding decision rewrites the
        # one it replaces first).
        made = written.records[-1]["id"]
        if step.name:
            self.ids[step.name] = made
        if step.action == "log meeting":
            self.meeting_on[planned.day.isoformat()] = made
        self.done += 1
        self.report()


def _clock(today: date) -> Callable[[date], int]:
    """Commit times: 10:00 UTC on the day, one minute later for each further change that day;
    never going back, and never in the future (unless the caller asked for a future today)."""
    per_day: dict[date, int] = {}
    last = 0
    ceiling = int(time.time()) if today <= date.today() else None

    def timestamp(day: date) -> int:
        nonlocal last
        n = per_day.get(day, 0)
        per_day[day] = n + 1
        stamp = int(datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC).timestamp())
        stamp += 60 * n
        if ceiling is not None:
            stamp = min(stamp, ceiling)
        last = max(last, stamp)
        return last

    return timestamp


def build_demo(
    directory: Path,
    *,
    progress: Progress | None = None,
    today: date | None = None,
    scenario: Scenario | str | Path | None = None,
) -> Demo:
    """Create a demo ledger in ``directory`` (new or empty) and play a year of committee work
    ending at ``today`` (default: the current date) into it: the shipped scenario, or another
    given by name, path or as a ``Scenario``.

    ``progress(done, total)`` is called after each change (each commit). The scenario is
    checked before anything is written (``ScenarioError``); errors about the folder come from
    ``hrgov.ledger.init``. A step that the rule book refuses stops the play there, with a
    ``ScenarioError`` naming it; the steps before it stay committed.
    """
    today = today or date.today()
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario or SHIPPED)
    planned = schedule(today, scenario)
    day = _days(today, scenario)
    clock = _clock(today)
    ledger = ledgers.init(
        Path(directory),
        policy.load(scenario.policy),
        organisation=scenario.organisation or None,
        author=scenario.people[scenario.by],
        timestamp=clock(
            day(scenario.created) if scenario.created is not None
            else planned[0].day if planned else today
        ),
    )
    player = _Player(ledger, scenario.label, progress, len(planned) + 1, clock)
    for step in planned:
        player.play(step)
    show = {key: player.ids[value[1:]] for key, value in scenario.show.items() if key != "before"}
    if "before" in scenario.show:
        show["before"] = day(scenario.show["before"]).isoformat()
    return Demo(ledger=ledger, today=today, changes=player.done, **show)
