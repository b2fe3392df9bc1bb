"""Disclosure against a reporting framework, answered from one snapshot of the ledger.

A framework is data (``data/frameworks/*.toml``, read by ``hrgov.frameworks``): its questions,
each naming the measures that answer it. Most measures are data too
(``data/frameworks/measures.toml``: which records, which count as complete, how they are
judged, what is said); the Python holds one small function per kind of evidence (``EVIDENCE``)
and the few measures whose rule is more than a declaration (``@measure``). The documents
(Markdown, Word, Excel) are written by ``hrgov.disclosure_documents``.

The stable API, for the Board paper and the audit view: ``answer_framework(framework, book)``
and ``grievance_scorecard(book)``. ``answer_framework`` takes the records of one snapshot
and returns, for every question, the answer assembled from the ledger (counts, lists,
citations by title and id), a completeness mark — answered, partly or not evaluable, with
what is missing — and, for the grievance mechanism, the scorecard against the eight
effectiveness criteria of Guiding Principle 31::

    with open_snapshot(ledger, "2026-12-31") as snap:
        book = Book.load(snap.conn, period, snap.day)
        disclosure = answer_framework(load_framework("ungprf"), book)
    disclosure.summary  # {'answered': 12, 'partly': 15, 'not evaluable': 8}

Restricted records are counted but never quoted: neither their text nor their id appears in
an answer; a count that includes them says how many it holds. Issues are cited by their id and
category, grievances by their id and channel: their summaries are never quoted.
"""

from __future__ import annotations

import statistics
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

from hrgov import frameworks, queries
from hrgov.briefing.data import Period, plural
from hrgov.errors import InvalidInput
from hrgov.frameworks import FRAMEWORK_FILES, Framework, Question, parse_framework
from hrgov.model import CHANNEL_NAMES, KINDS

__all__ = ["FRAMEWORK_FILES", "Book", "Disclosure", "Framework", "Question", "answer_framework",
           "disclose", "grievance_scorecard", "load_framework", "parse_framework"]
# Names that moved to hrgov.disclosure_documents, still importable from here.
_DOCUMENTS = frozenset({"FORMATS", "SHOWN", "build_document", "write_docx", "write_xlsx"})


def __getattr__(name: str):
    if name in _DOCUMENTS:
        from hrgov import disclosure_documents

        return getattr(disclosure_documents, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

MARKS = ("answered", "partly", "not evaluable")
FOUND, PARTIAL, NONE = "found", "partial", "none"

# ---- the framework, as data (hrgov.frameworks) -------------------------------------------------


def load_framework(name: str) -> Framework:
    """The framework called ``name`` (ungprf, esrs or csddd), read from the shipped data; every
    measure it names must exist.

    >>> load_framework("ungprf").questions[0].id
    'A1'
    """
    framework = frameworks.load_framework(name)
    for q in framework.questions:
        unknown = [m for m in q.evidence if m not in MEASURES]
        if unknown:
            raise InvalidInput(f"framework {framework.id}: question {q.id} names unknown "
                               f"measures {', '.join(unknown)}")
    return framework


# ---- the records of one snapshot -------------------------------------------------------------


def restricted(record: dict) -> bool:
    return record.get("sensitivity") == "restricted"


@dataclass
class Salient:
    """A salient human rights issue: a category of the register in which an issue is marked
    salient, with every issue of that category, and what hangs off them."""

    category: str
    name: str
    issues: list[dict]
    commitments: set[str]
    grievances: list[dict]


@dataclass
class Book:
    """Every record of one snapshot, by kind, with the period and the status date."""

    period: Period
    day: date
    records: dict[str, list[dict]]

    @classmethod
    def load(cls, conn, period: Period, day: date) -> Book:
        return cls(period, day, {k.plural: queries.list_records(conn, k.plural)
                                 for k in KINDS.values()})

    def __getattr__(self, plural_name: str) -> list[dict]:
        try:
            return self.__dict__["records"][plural_name]
        except KeyError:
            raise AttributeError(plural_name) from None

    @property
    def by_id(self) -> dict[str, dict]:
        found = self.__dict__.get("_by_id")
        if found is None:
            found = {r["id"]: r for records in self.records.values() for r in records}
            self.__dict__["_by_id"] = found
        return found

    @property
    def by_ref(self) -> dict[str, list[dict]]:
        """The records that carry each framework reference (``framework_refs``)."""
        found = self.__dict__.get("_by_ref")
        if found is None:
            found = {}
            for records in self.records.values():
                for r in records:
                    for ref in r.get("framework_refs", ()):
                        found.setdefault(ref, []).append(r)
            self.__dict__["_by_ref"] = found
        return found

    def in_period(self, day: str | None) -> bool:
        return bool(day) and day in self.period

    def previous_period(self) -> Period:
        length = self.period.end - self.period.start
        end = self.period.start - timedelta(days=1)
        return Period(end - length, end)

    def title(self, record: dict) -> str:
        """How a record is cited: its title, or for the registers what may be said of it."""
        kind = record["kind"]
        if kind == "issue":
            name = self.category_name(record.get("category"))
            sub = record.get("subcategory")
            return f"{name}: {sub}" if sub else name
        if kind == "grievance":
            return f"grievance via {record['channel']}, received {record['received']}"
        if kind == "remedy":
            return f"remedy: {record['remedy_type']}"
        if kind == "meeting":
            return f"{record['body']} meeting {record['date']}"
        return str(record.get(KINDS[kind].title_field) or record["id"])

    def category_name(self, category_id: str | None) -> str:
        record = self.by_id.get(category_id or "")
        if record is None:
            return category_id or "uncategorised"
        if restricted(record):
            return "a restricted category"
        return record.get("name") or record["id"]

    @property
    def salient(self) -> list[Salient]:
        found = self.__dict__.get("_salient")
        if found is not None:
            return found
        marked = {i["category"] for i in self.issues if i.get("salient")}
        found = []
        for category in sorted(marked, key=lambda c: self.category_name(c).lower()):
            issues = [i for i in self.issues if i.get("category") == category]
            ids = {i["id"] for i in issues}
            found.append(Salient(
                category=category, name=self.category_name(category), issues=issues,
                commitments={c for i in issues for c in i.get("commitments", ())},
                grievances=[g for g in self.grievances if g.get("issue") in ids],
            ))
        self.__dict__["_salient"] = found
        return found

    # What hangs off a salient issue.

    def engagements_on(self, s: Salient) -> list[dict]:
        ids = {i["id"] for i in s.issues}
        return [e for e in self.engagements
                if s.category in e.get("categories", ()) or ids & set(e.get("issues", ()))]

    def milestones_of(self, commitments: set[str]) -> list[dict]:
        return [m for m in self.milestones if m.get("commitment") in commitments]

    def decisions_for(self, commitments: set[str]) -> list[dict]:
        return [d for d in self.decisions if commitments & set(d.get("commitments", ()))
                and d["status"] not in ("rejected", "proposed")]

    def assessments_on(self, s: Salient) -> list[dict]:
        answering = {m["id"] for m in self.milestones_of(s.commitments)}
        found = []
        for a in self.assessments:
            answers = {m for f in a.get("findings", ()) for m in f.get("milestones", ())}
            if s.commitments & set(a.get("commitments", ())) or answering & answers:
                found.append(a)
        return found

    def indicators_on(self, s: Salient) -> list[dict]:
        return [i for i in self.indicators if i.get("category") == s.category
                or s.commitments & set(i.get("commitments", ()))]

    def remedies_on(self, s: Salient) -> list[dict]:
        issues = {i["id"] for i in s.issues}
        grievances = {g["id"] for g in s.grievances}
        return [r for r in self.remedies
                if r.get("issue") in issues or r.get("grievance") in grievances]


# ---- what a measure finds ------------------------------------------------------------------


@dataclass
class Found:
    """What one measure found: ``found``, ``partial`` or ``none``, in words, with the records
    cited and what is missing."""

    state: str
    lines: list[str] = field(default_factory=list)
    cites: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _cite(book: Book, records: Iterable[dict]) -> list[dict]:
    """Citations of the records that may be quoted (restricted ones never are)."""
    return [{"id": r["id"], "kind": r["kind"], "title": book.title(r)}
            for r in records if not restricted(r)]


def _count(records: list[dict], one: str, many: str | None = None) -> str:
    """``3 grievances (1 restricted, not described)``."""
    hidden = sum(1 for r in records if restricted(r))
    text = plural(len(records), one, many)
    return f"{text} ({hidden} restricted, not described)" if hidden else text


def _named(book: Book, records: list[dict], most: int = 5) -> str:
    """``: title; title and 2 more`` for the records not restricted (empty if none)."""
    titles = [book.title(r) for r in records if not restricted(r)]
    if not titles:
        return ""
    more = f" and {len(titles) - most} more" if len(titles) > most else ""
    return ": " + "; ".join(titles[:most]) + more


def _verb(n: int, one: str, many: str) -> str:
    """``says`` for one, ``say`` for many."""
    return one if n == 1 else many


def _sentence(text: str) -> str:
    """A recorded text as one sentence of an answer: one final full stop."""
    return text.strip().rstrip(".") + "."


def _quoted(s: Salient) -> str:
    return f"'{s.name}'"


def _found(state: bool, lines, cites, missing) -> Found:
    return Found(FOUND if state else NONE, lines, cites, [] if state else [missing])


def _tally(counter: Counter) -> str:
    """``focus-group 2, survey 1``."""
    return ", ".join(f"{value} {n}" for value, n in counter.most_common())


# ---- the kinds of evidence: one small function each ------------------------------------------
# Each gives the records a measure reads: for the organisation (``s`` None) or for one salient
# issue. ``spec`` is the measure's declaration in measures.toml.

Evidence = Callable[[Book, "Salient | None", dict], list[dict]]
EVIDENCE: dict[str, Evidence] = {}


def evidence(function: Evidence) -> Evidence:
    """Declare a kind of evidence under its function's name (what measures.toml names)."""
    EVIDENCE[function.__name__] = function
    return function


def _active(book: Book) -> list[dict]:
    return [c for c in book.commitments if c.get("status") != "retired"]


@evidence
def active_commitments(book, s, spec):
    return _active(book)


@evidence
def commitments(book, s, spec):
    """The commitments an issue's register entries name (the salient issue's, or all active)."""
    if s is None:
        return _active(book)
    return [book.by_id[c] for c in sorted(s.commitments) if c in book.by_id]


@evidence
def relationship_commitments(book, s, spec):
    """Active commitments whose title or text speaks of business relationships."""
    words = spec["words"]
    return [c for c in _active(book)
            if any(w in f"{c.get('title', '')} {c.get('text', '')}".lower() for w in words)]


@evidence
def instruments(book, s, spec):
    """The instruments the active commitments rest on."""
    used = {i for c in _active(book) for i in c.get("instruments", ())}
    return [book.by_id[i] for i in sorted(used) if i in book.by_id]


@evidence
def engagements(book, s, spec):
    return book.engagements if s is None else book.engagements_on(s)


@evidence
def issues(book, s, spec):
    return book.issues if s is None else s.issues


@evidence
def salient_issue_records(book, s, spec):
    return [i for i in book.issues if i.get("salient")]


@evidence
def severe_outside_salient(book, s, spec):
    """Issues of impact 3 outside the salient categories, reported in the period or open."""
    salient = {x.category for x in book.salient}
    return [i for i in book.issues if i.get("impact") == 3 and i["category"] not in salient
            and (book.in_period(i["reported"]) or i["status"] not in ("closed", "dismissed"))]


@evidence
def assessments(book, s, spec):
    return book.assessments if s is None else book.assessments_on(s)


@evidence
def decisions(book, s, spec):
    return book.decisions if s is None else book.decisions_for(s.commitments)


@evidence
def milestones(book, s, spec):
    return book.milestones if s is None else book.milestones_of(s.commitments)


@evidence
def remedies(book, s, spec):
    return book.remedies if s is None else book.remedies_on(s)


@evidence
def grievances(book, s, spec):
    return book.grievances if s is None else s.grievances


# ---- declared measures (data/frameworks/measures.toml) ---------------------------------------

Measure = Callable[[Book, "Salient | None"], Found]
MEASURES: dict[str, Measure] = {}


def _kept(record: dict, rule: dict) -> bool:
    """Whether ``record`` passes a filter: ``where`` (a field holds one of the values),
    ``having`` (every field set), ``having_any`` (one of the fields set)."""
    return (all(record.get(f) in values for f, values in rule.get("where", {}).items())
            and all(record.get(f) not in (None, "", []) for f in rule.get("having", ()))
            and (not rule.get("having_any")
                 or any(record.get(f) not in (None, "", []) for f in rule["having_any"])))


class _Words(dict):
    """The values a measure's sentences name (see the placeholders in measures.toml)."""

    def __init__(self, book: Book, s: Salient | None, spec: dict, records, complete):
        one, many = spec.get("noun", ["record", "records"])
        counted = {id(r) for r in complete}
        lacking = [r for r in records if id(r) not in counted]
        super().__init__(
            name=s.name if s else "", quoted=_quoted(s) if s else "",
            count=_count(records, one, many) if records else "",
            complete_count=_count(complete, one, many) if complete else "",
            lacking_count=_count(lacking, one, many) if lacking else "",
            total=plural(len(records), one, many), complete=len(complete),
            lacking=len(lacking), lacking_named=_named(book, lacking),
        )
        self.book, self.records = book, records

    def _shown(self, record: dict, name: str) -> str | None:
        """A field's value as an answer names it: a link by its record's title (never a
        restricted record's: ``None``)."""
        value = record[name]
        spec = KINDS[record["kind"]].field(name)
        if spec is None or spec.type != "link":
            return str(value)
        target = self.book.by_id.get(value)
        if target is None:
            return value
        return None if restricted(target) else self.book.title(target)

    def __missing__(self, key: str) -> str:
        how, _, name = key.partition("_")
        holding = [r for r in self.records if r.get(name) not in (None, "", [])]
        if how == "with":
            return str(sum(1 for r in holding if r[name] is not False))
        if how == "by":
            shown = Counter(self._shown(r, name) for r in holding)
        elif how == "each":
            shown = Counter({self._shown(r, name): 1 for r in holding if not restricted(r)})
        else:
            raise KeyError(key)
        shown.pop(None, None)
        if not shown:
            return "(not named: restricted)" if holding else "none recorded"
        return _tally(shown) if how == "by" else ", ".join(sorted(shown))


JUDGES = ("any", "all", "some", "always")
CITES = ("all", "complete", "none")
SPEC_KEYS = {"records", "in_period", "where", "having", "having_any", "complete", "judge",
             "cite", "noun", "says", "says_none", "missing", "missing_none", "words"}


def declared(name: str, spec: dict) -> Measure:
    """The measure ``name`` as measures.toml declares it: which records, which count as
    complete, how they are judged, what is said."""
    wrong = [f"unknown keys {', '.join(sorted(set(spec) - SPEC_KEYS))}"] if set(spec) - SPEC_KEYS \
        else []
    wrong += [f"{key} {spec.get(key)!r} (one of: {', '.join(allowed)})"
              for key, allowed, default in (("records", tuple(EVIDENCE), None),
                                            ("judge", JUDGES, "any"), ("cite", CITES, "all"))
              if spec.get(key, default) not in allowed]
    if wrong:
        raise InvalidInput(f"measures.toml: measure {name}: {'; '.join(wrong)}")
    select = EVIDENCE[spec["records"]]
    period_field = spec.get("in_period")
    judge, cite = spec.get("judge", "any"), spec.get("cite", "all")

    def run(book: Book, s: Salient | None) -> Found:
        records = [r for r in select(book, s, spec) if _kept(r, spec)
                   and (not period_field or book.in_period(r.get(period_field)))]
        complete = [r for r in records if _kept(r, spec.get("complete", {}))]
        words = _Words(book, s, spec, records, complete)
        says = spec["says"] if records else spec.get("says_none", [])
        lines = [text.format_map(words) for text in says
                 if all(words[k] for k in ("count", "complete_count", "lacking_count")
                        if f"{{{k}}}" in text)]
        cited = {"all": records, "complete": complete, "none": []}[cite]
        missing = spec.get("missing", "")
        if not records:
            missing = spec.get("missing_none", missing)
        if judge == "always" or (complete and (judge != "all" or complete == records)):
            return Found(FOUND, lines, _cite(book, cited))
        state = PARTIAL if (judge == "all" and complete) or (judge == "some" and records) \
            else NONE
        return Found(state, lines, _cite(book, cited), [missing.format_map(words)])

    run.__name__ = name
    return run


def _declare_measures() -> None:
    text = (resources.files("hrgov.data") / "frameworks" / "measures.toml").read_text(
        encoding="utf-8")
    for name, spec in tomllib.loads(text)["measure"].items():
        MEASURES[name] = declared(name, spec)


def measure(function: Measure) -> Measure:
    """Declare a measure whose rule measures.toml cannot carry, under its function's name."""
    MEASURES[function.__name__] = function
    return function


_declare_measures()


# ---- measures whose rule is more than a declaration ------------------------------------------


@measure
def rightsholders(book, s):
    """Issues' rightsholder_group and engagements' stakeholders."""
    at_stake = Counter(i["rightsholder_group"] for i in book.issues
                       if i.get("rightsholder_group"))
    engaged = sorted({e["stakeholders"] for e in book.engagements})
    lines = []
    if at_stake:
        lines.append("Rights-holders in the issues register: " + ", ".join(
            f"{group} ({n})" for group, n in at_stake.most_common()) + ".")
    if engaged:
        lines.append("Groups engaged: " + ", ".join(engaged) + ".")
    return _found(bool(at_stake or engaged), lines, [],
                  "no rights-holder group recorded in the register or the engagements")


@measure
def governance_meetings(book, s):
    """Meetings (body, date) and decisions (date) in the period: the Board or the Executive
    Committee must be among the bodies that met."""
    held = [m for m in book.meetings if book.in_period(m.get("date"))]
    bodies = Counter(m["body"] for m in held)
    taken = [d for d in book.decisions if book.in_period(d.get("date"))]
    lines = []
    if held:
        lines.append("Meetings in the period: " + ", ".join(
            f"{body} {plural(n, 'time')}" for body, n in bodies.most_common()) + "; "
            f"{_count(taken, 'decision')} taken.")
    senior = bodies.get("board", 0) + bodies.get("executive-committee", 0)
    if senior and taken:
        return Found(FOUND, lines, _cite(book, taken))
    if held:
        return Found(PARTIAL, lines, _cite(book, taken),
                     ["no Board or Executive Committee meeting recorded in the period"]
                     if not senior else ["no decision taken in the period"])
    return Found(NONE, lines, [], ["no meeting recorded in the period"])


@measure
def lessons(book, s):
    """In the period: decisions that replaced others, engagements' outcomes, due dates moved
    with their reason, policy changes given as remedy."""
    replaced = [d for d in book.decisions if d.get("supersedes") and book.in_period(d["date"])]
    heard = [e for e in book.engagements if e.get("outcome") and book.in_period(e["date"])]
    slipped = [m for m in book.milestones
               if any(book.in_period(slip["on"]) for slip in m.get("slips", ()))]
    changed = [r for r in book.remedies if r["remedy_type"] == "policy-change"
               and (book.in_period(r.get("delivered_on")) or not r.get("delivered_on"))]
    parts = [(replaced, "decision", "decisions", "replacing an earlier one"),
             (heard, "engagement", "engagements", "with a recorded outcome"),
             (slipped, "milestone", "milestones", "rescheduled with the reason recorded"),
             (changed, "policy change", "policy changes", "given as remedy")]
    lines = [f"{_count(found, one, many)} {what}." for found, one, many, what in parts
             if found]
    every = [r for found, *_ in parts for r in found]
    return _found(bool(every), lines, _cite(book, every),
                  "no change with a recorded reason in the period (decision replaced, "
                  "engagement outcome, due date moved, policy change)")


@measure
def salient_issues(book, s):
    """Issues marked salient, by category."""
    lines = [f"{x.name}: {_count(x.issues, 'issue')} in the register." for x in book.salient]
    cites = [{"id": x.category, "kind": "category", "title": x.name}
             for x in book.salient if x.name != "a restricted category"]
    return _found(bool(book.salient), lines, cites, "no issue in the register is marked "
                  "salient (hrgov log issue --salient)")


@measure
def regions(book, s):
    """Salient issues' region."""
    placed = {x.name: sorted({i["region"] for i in x.issues
                              if i.get("region") and not restricted(i)}) for x in book.salient}
    lines = [f"{name}: {', '.join(where)}." for name, where in placed.items() if where]
    with_region = [x for x in book.salient if placed[x.name]]
    if not book.salient:
        return Found(NONE, lines, [], ["no salient issue recorded"])
    missing = "no region recorded for salient issue " + ", ".join(
        _quoted(x) for x in book.salient if not placed[x.name])
    if len(with_region) == len(book.salient):
        return Found(FOUND, lines)
    return Found(PARTIAL if with_region else NONE, lines, [], [missing])


@measure
def affected_engaged(book, s):
    """Groups at stake (issues' rightsholder_group) against groups engaged."""
    found = book.engagements_on(s)
    at_stake = sorted({i["rightsholder_group"] for i in s.issues if i.get("rightsholder_group")})
    engaged = sorted({e["stakeholders"] for e in found})
    heard = sorted(set(at_stake) & set(engaged))
    if not found:
        return Found(NONE, [], [], [f"no engagement recorded for salient issue {_quoted(s)}"])
    lines = [f"{s.name}: at stake {', '.join(at_stake) or 'no group recorded'}; engaged "
             f"{', '.join(engaged)}."]
    if heard:
        return Found(FOUND, lines, _cite(book, [e for e in found if e["stakeholders"] in heard]))
    return Found(PARTIAL, lines, _cite(book, found),
                 [f"the groups at stake in {_quoted(s)} ({', '.join(at_stake) or 'none named'})"
                  " were not themselves engaged"])


@measure
def engagement_outcomes(book, s):
    """Engagements on the issue in the period with an outcome or decisions informed."""
    held = [e for e in book.engagements_on(s) if book.in_period(e["date"])]
    changed = [e for e in held if e.get("outcome") or e.get("decisions")]
    lines = [f"{s.name}: {_sentence(e['outcome'])}" for e in changed
             if e.get("outcome") and not restricted(e)]
    decided = [book.by_id[d] for e in changed for d in e.get("decisions", ())
               if d in book.by_id]
    if changed:
        return Found(FOUND, lines, _cite(book, changed + decided))
    return Found(PARTIAL if held else NONE, lines, _cite(book, held), [
        f"no engagement on salient issue {_quoted(s)} in the period records what changed"
        if held else f"no engagement on salient issue {_quoted(s)} in the period"])


@measure
def issue_trend(book, s):
    """Issues of the category reported in the period and the previous one."""
    now = [i for i in s.issues if book.in_period(i["reported"])]
    before_period = book.previous_period()
    before = [i for i in s.issues if i["reported"] in before_period]
    quarters = [(label, sum(1 for i in now if first <= date.fromisoformat(i["reported"])
                            <= last)) for label, first, last in book.period.quarters()]
    lines = [f"{s.name}: {_count(now, 'issue')} reported in the period, "
             f"{len(before)} in the previous period of the same length."]
    if now:
        lines.append(f"{s.name}, by quarter: "
                     + ", ".join(f"{label} {n}" for label, n in quarters) + ".")
    return Found(FOUND, lines, _cite(book, now))


@measure
def issue_actions_in_period(book, s):
    """Milestones done in the period, or under way."""
    found = book.milestones_of(s.commitments)
    done = [m for m in found if m["status"] == "done" and book.in_period(m.get("done_on"))]
    going = [m for m in found if m["status"] == "in-progress"]
    lines = [f"{s.name}: milestones done in the period {len(done)}, under way "
             f"{len(going)}."] if done or going else []
    return _found(bool(done or going), lines, _cite(book, done + going),
                  f"no milestone of salient issue {_quoted(s)} done or under way in the period")


def _trend(indicator: dict, values: list[dict]) -> str:
    """``21 days (2026-01-31) → 12 days (2026-06-30); target 7 by 2027-06-30: improving``."""
    unit = indicator["unit"]
    parts = []
    if "baseline" in indicator:
        parts.append(f"baseline {indicator['baseline']:g} {unit} ({indicator['baseline_on']})")
    if values:
        last = values[-1]
        parts.append(f"latest {last['value']:g} {unit} ({last['on']}, {last['source']})")
    if "target" in indicator:
        parts.append(f"target {indicator['target']:g} {unit} by {indicator['target_by']}")
    text = "; ".join(parts)
    direction = indicator.get("direction")
    if direction and values and "baseline" in indicator:
        change = values[-1]["value"] - indicator["baseline"]
        better = change < 0 if direction == "down" else change > 0
        text += ": " + ("improving" if better else "no better than the baseline")
        if "target" in indicator:
            met = (values[-1]["value"] <= indicator["target"] if direction == "down"
                   else values[-1]["value"] >= indicator["target"])
            text += ", target met" if met else ""
    return text


@measure
def issue_indicators(book, s):
    """Indicators of the issue: baseline with its date, values."""
    found = book.indicators_on(s)
    ready = [i for i in found if "baseline" in i and i.get("values")]
    lines = [f"{i['title']}: {_trend(i, i.get('values', []))}." for i in found
             if not restricted(i)]
    if not found:
        return Found(NONE, [], [], [f"no indicator tracks salient issue {_quoted(s)}"])
    if ready:
        return Found(FOUND, lines, _cite(book, found))
    return Found(PARTIAL, lines, _cite(book, found),
                 [f"the indicators of salient issue {_quoted(s)} lack a baseline or values"])


@measure
def issue_indicator_values_in_period(book, s):
    """Indicator values dated in the period."""
    found = book.indicators_on(s)
    measured = [(i, [v for v in i.get("values", ()) if book.in_period(v["on"])]) for i in found]
    measured = [(i, values) for i, values in measured if values]
    lines = [f"{i['title']}: {_trend(i, values)}." for i, values in measured
             if not restricted(i)]
    if measured:
        return Found(FOUND, lines, _cite(book, [i for i, _ in measured]))
    return Found(PARTIAL if found else NONE, lines, _cite(book, found), [
        f"no indicator of salient issue {_quoted(s)} was measured in the period" if found
        else f"no indicator tracks salient issue {_quoted(s)}"])


@measure
def issue_voice(book, s):
    """Indicators fed by affected people's feedback; engagements on the mechanism."""
    fed = [i for i in book.indicators_on(s) if i.get("affected_feedback")]
    asked = [e for e in book.engagements if e.get("mechanism")]
    lines = []
    if fed:
        lines.append(f"{s.name}: {_count(fed, 'indicator')} fed by affected people's "
                     "feedback.")
    if asked:
        lines.append(f"{_count(asked, 'engagement')} consulted users on the grievance "
                     "mechanism.")
    return _found(bool(fed or asked), lines, _cite(book, fed + asked),
                  f"no feedback from affected people tracked for salient issue {_quoted(s)}, "
                  "and no engagement on the grievance mechanism")


@measure
def issue_grievance_outcomes(book, s):
    """Grievances closed with an outcome; remedies verified."""
    found = s.grievances
    closed = [g for g in found if g["stage"] == "closed"]
    remedies = book.remedies_on(s)
    verified = [r for r in remedies if r.get("verified")]
    if not found:
        return Found(NONE, [], [], [f"no grievance recorded for salient issue {_quoted(s)}"])
    outcomes = Counter(g["outcome"] for g in closed)
    lines = [f"{s.name}: {len(closed)} of {_count(found, 'grievance')} closed" + (
        " (" + ", ".join(f"{o} {n}" for o, n in outcomes.most_common()) + ")" if closed
        else "") + f"; {len(verified)} of {plural(len(remedies), 'remedy', 'remedies')} "
        "verified effective."]
    missing = []
    if not closed:
        missing.append(f"no grievance about salient issue {_quoted(s)} closed with an outcome")
    if remedies and not verified:
        missing.append(f"no remedy for salient issue {_quoted(s)} verified effective")
    return Found(PARTIAL if missing else FOUND, lines, _cite(book, closed + verified), missing)


@measure
def issue_grievance_trend(book, s):
    """Grievances about the issue received in the period, by stage and outcome."""
    found = [g for g in s.grievances if book.in_period(g["received"])]
    before = [g for g in s.grievances if g["received"] in book.previous_period()]
    stages = Counter(g["stage"] for g in found)
    lines = [f"{s.name}: {_count(found, 'grievance')} received in the period ("
             + ", ".join(f"{st} {n}" for st, n in stages.most_common())
             + f"), {len(before)} in the previous period."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no grievance about salient issue {_quoted(s)} received in the period")


# ---- answering ---------------------------------------------------------------------------------


@dataclass
class Answer:
    question: Question
    mark: str
    lines: list[str]
    cites: list[dict]
    missing: list[str]

    def as_json(self) -> dict:
        q = self.question
        return {"id": q.id, "level": q.level, "section": q.section, "question": q.question,
                "reference": q.reference, "also": list(q.also), "per_issue": q.per_issue,
                "period": q.period, "complete_when": q.complete, "mark": self.mark,
                "answer": self.lines, "citations": self.cites, "missing": self.missing}


def _mark(states: list[str]) -> str:
    if states and all(s == FOUND for s in states):
        return "answered"
    if all(s == NONE for s in states):
        return "not evaluable"
    return "partly"


def referenced(book: Book, refs: Iterable[str]) -> Found | None:
    """The records that say they answer a question (their ``framework_refs`` name one of
    ``refs``): partial evidence, cited (restricted ones counted only), or ``None``."""
    found = list({r["id"]: r for ref in refs for r in book.by_ref.get(ref, ())}.values())
    if not found:
        return None
    lines = [f"{_count(found, 'record')} {_verb(len(found), 'says', 'say')} it answers this "
             "question (framework_refs)."]
    return Found(PARTIAL, lines, _cite(book, found))


def answer(question: Question, book: Book, framework: Framework | None = None) -> Answer:
    """One question answered from ``book``: every measure, for every salient issue when the
    question is asked per issue; and the records whose ``framework_refs`` name the question
    in ``framework`` (cited; they make a question otherwise not evaluable partly answered)."""
    targets = book.salient if question.per_issue else [None]
    by_ref = referenced(book, framework.ids(question)) if framework is not None else None
    states, lines, cites, missing = [], [], [], []
    if question.per_issue and not targets:
        states.append(NONE)
        missing.append("no salient issue recorded (mark issues with hrgov log issue --salient)")
    for target in targets:
        for name in question.evidence:
            found = MEASURES[name](book, target)
            states.append(found.state)
            lines += [line for line in found.lines if line not in lines]
            cites += [c for c in found.cites if c not in cites]
            missing += found.missing
    mark = _mark(states)
    if by_ref is not None:
        lines += by_ref.lines
        cites += [c for c in by_ref.cites if c not in cites]
        if mark == "not evaluable":
            mark = "partly"
    return Answer(question, mark, lines, cites, missing)


@dataclass
class Criterion:
    """One effectiveness criterion of Guiding Principle 31, and what the ledger shows of it."""

    key: str
    name: str
    status: str  # measured | not evaluable
    figures: list[str]
    missing: str | None = None

    def as_json(self) -> dict:
        return {"principle": f"UNGP 31({self.key})", "criterion": self.name,
                "status": self.status, "figures": self.figures, "missing": self.missing}


def _days(first: str, last: str) -> int:
    return (date.fromisoformat(last) - date.fromisoformat(first)).days


def _median(values: list[int]) -> str:
    return f"{statistics.median(values):g}"


def grievance_scorecard(book: Book) -> list[Criterion]:
    """The grievance mechanism against the eight criteria of Guiding Principle 31, from the
    grievances received in the period (restricted ones counted, never described)."""
    received = [g for g in book.grievances if book.in_period(g["received"])]
    closed = [g for g in received if g["stage"] == "closed"]
    ids = {g["id"] for g in received}
    remedies = [r for r in book.remedies if r.get("grievance") in ids]
    issues = book.by_id

    def card(key, name, figures, missing):
        return Criterion(key, name, "measured" if figures else "not evaluable", figures,
                         None if figures else missing)

    total = _count(received, "grievance")
    outcomes = Counter(g["outcome"] for g in closed)
    legitimate = [f"{len(closed)} of {total} received in the period closed: " + ", ".join(
        f"{o} {n}" for o, n in outcomes.most_common()) + "."] if closed else []
    channels = Counter(g["channel"] for g in received)
    groups = Counter(issues[g["issue"]].get("rightsholder_group") or "not recorded"
                     for g in received if g.get("issue") in issues)
    accessible = []
    if received:
        accessible.append(f"{total} through {plural(len(channels), 'channel')}: " + ", ".join(
            f"{CHANNEL_NAMES.get(c, c)} {n}" for c, n in channels.most_common()) + ".")
        if groups:
            accessible.append("Who raised them (rights-holders of the issues concerned): "
                              + ", ".join(f"{g} {n}" for g, n in groups.most_common()) + ".")
    acked = [_days(g["received"], g["acknowledged"]) for g in received if g.get("acknowledged")]
    ended = [_days(g["received"], g["closed"]) for g in closed if g.get("closed")]
    predictable = []
    if acked:
        predictable.append(f"Median {_median(acked)} days to acknowledge ({len(acked)} "
                           "acknowledged).")
    if ended:
        predictable.append(f"Median {_median(ended)} days to close ({len(ended)} closed).")
    by_group = Counter((issues[g["issue"]].get("rightsholder_group") or "not recorded",
                        g["outcome"]) for g in closed if g.get("issue") in issues)
    equitable = ["Outcomes by rights-holder group: " + ", ".join(
        f"{grp} {o} {n}" for (grp, o), n in sorted(by_group.items())) + "."] if by_group else []
    transparent = [f"{len(acked)} of {total} acknowledged to the person who raised them; "
                   f"{len(closed)} closed with a recorded outcome."] if received else []
    verified = [r for r in remedies if r.get("verified")]
    rights = [f"{len(verified)} of {plural(len(remedies), 'remedy', 'remedies')} for these "
              "grievances verified effective."] if remedies else []
    changed = [r for r in remedies if r["remedy_type"] == "policy-change"]
    learned_from = [e for e in book.engagements if e.get("outcome") and (
        {issues[g["issue"]]["category"] for g in received if g.get("issue") in issues}
        & set(e.get("categories", ())))]
    learning = []
    if changed:
        learning.append(f"{_count(changed, 'policy change')} given as remedy.")
    if learned_from:
        learning.append(f"{_count(learned_from, 'engagement')} on the issues raised "
                        f"{_verb(len(learned_from), 'records', 'record')} what changed.")
    asked = [e for e in book.engagements if e.get("mechanism")]
    dialogue = [f"{_count(asked, 'engagement')} with users on the mechanism itself: " + ", ".join(
        sorted({e['stakeholders'] for e in asked})) + "."] if asked else []
    return [
        card("a", "Legitimate", legitimate, "no grievance closed in the period"),
        card("b", "Accessible", accessible, "no grievance received in the period"),
        card("c", "Predictable", predictable,
             "no grievance acknowledged or closed in the period"),
        card("d", "Equitable", equitable,
             "no closed grievance linked to an issue's rights-holder group"),
        card("e", "Transparent", transparent, "no grievance received in the period"),
        card("f", "Rights-compatible", rights, "no remedy recorded for the period's grievances"),
        card("g", "A source of continuous learning", learning,
             "no policy change or engagement outcome follows from the period's grievances"),
        card("h", "Based on engagement and dialogue", dialogue,
             "no engagement with users on the grievance mechanism recorded"),
    ]


@dataclass
class Disclosure:
    """A framework answered from one snapshot."""

    framework: Framework
    period: Period
    day: date
    answers: list[Answer]
    scorecard: list[Criterion]
    salient: list[Salient]

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(a.mark for a in self.answers)
        return {mark: counts.get(mark, 0) for mark in MARKS}

    def as_json(self, commit: str, organisation: str) -> dict:
        f = self.framework
        return {
            "framework": {"id": f.id, "title": f.title, "publisher": f.publisher,
                          "published": f.published, "url": f.url,
                          "mapping_version": f.mapping_version},
            "organisation": organisation,
            "period": {"start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat()},
            "as_of": self.day.isoformat(), "commit": commit, "summary": self.summary,
            "salient_issues": [{"category": s.category, "name": s.name,
                                "issues": len(s.issues)} for s in self.salient],
            "answers": [a.as_json() for a in self.answers],
            "grievance_mechanism": [c.as_json() for c in self.scorecard],
        }


def answer_framework(framework: Framework | str, book: Book) -> Disclosure:
    """Every question of ``framework`` (a ``Framework``, or its name: ungprf, esrs, csddd)
    answered from ``book``, and the GP31 scorecard: the function documents (the Board paper's
    annex, the audit view) call to show the answers::

        disclosure = answer_framework("ungprf", Book.load(snap.conn, period, snap.day))
        [(a.question.id, a.mark) for a in disclosure.answers][:1]  # [('A1', 'answered')]
    """
    if isinstance(framework, str):
        framework = load_framework(framework)
    return Disclosure(framework, book.period, book.day,
                      [answer(q, book, framework) for q in framework.questions],
                      grievance_scorecard(book), book.salient)


def disclose(
    ledger,
    framework: str,
    *,
    start,
    end,
    as_of: str | None = None,
    out_path=None,
    year: int | None = None,
    today: date | None = None,
) -> dict:
    """Answer ``framework`` for ``start``–``end`` from the ledger as of ``as_of`` (default
    HEAD); write the document to ``out_path`` (.md, .docx or .xlsx) if given. Returns the answers as
    the stable JSON (``as_json``) with the commit they came from."""
    from hrgov.briefing.blocks import to_markdown
    from hrgov.briefing.data import open_snapshot, period_between
    from hrgov.briefing.files import check_output, write_atomically
    from hrgov.disclosure_documents import FORMATS, build_document, write_docx, write_xlsx

    chosen = load_framework(framework)
    if out_path is not None:
        out_path = check_output(out_path, FORMATS)
    base = period_between(str(start), str(end))
    period = Period(base.start, base.end, year=year)
    with open_snapshot(ledger, as_of, today=today) as snap:
        book = Book.load(snap.conn, period, snap.day)
        disclosure = answer_framework(chosen, book)
        organisation = snap.settings.get("organisation.name") or "The organisation"
        result = disclosure.as_json(snap.sha, organisation)
    if out_path is not None:
        suffix = out_path.suffix.lower()
        if suffix == ".xlsx":
            data = write_xlsx(disclosure, organisation=organisation, commit=snap.sha)
        else:
            doc = build_document(disclosure, organisation=organisation, commit=snap.sha)
            footer = f"{organisation} · {chosen.short} · ledger commit {snap.sha[:10]}"
            data = (write_docx(doc, footer=footer) if suffix == ".docx"
                    else to_markdown(doc).encode("utf-8"))
        write_atomically(out_path, data)
        result["path"] = str(out_path)
    return result
