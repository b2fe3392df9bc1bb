"""Disclosure against a reporting framework, answered from one snapshot of the ledger.

A framework is data (``data/frameworks/*.toml``): its questions, each naming the measures
below that answer it. ``answer_framework`` takes the records of one snapshot and returns, for
every question, the answer assembled from the ledger (counts, lists, citations by title and
id), a completeness mark — answered, partly or not evaluable, with what is missing — and, for
the grievance mechanism, the scorecard against the eight effectiveness criteria of Guiding
Principle 31::

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
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from hrgov import frameworks, queries
from hrgov.briefing.data import Period, plural
from hrgov.errors import InvalidInput
from hrgov.frameworks import FRAMEWORK_FILES, Framework, Question
from hrgov.model import KINDS

__all__ = ["FRAMEWORK_FILES", "Book", "Disclosure", "Framework", "Question", "answer_framework",
           "disclose", "grievance_scorecard", "load_framework"]
MARKS = ("answered", "partly", "not evaluable")
FOUND, PARTIAL, NONE = "found", "partial", "none"
# Groups whose engagement shows how staff learn what the policy asks of them (UNGPRF A2.3).
WORKFORCE = frozenset({"staff", "contractor", "workers-representative"})
# Words by which a commitment is about business relationships (UNGPRF A2.4).
RELATIONSHIP_WORDS = ("partner", "grantee", "grant", "vendor", "supplier", "contractor",
                      "affiliate", "business relationship", "private sector")
SHOWN = 12  # citations printed per answer in the document (JSON carries them all)


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


def _verb(n: int, one: str, many: str) -> str:
    """``serves`` for one, ``serve`` for many."""
    return one if n == 1 else many


def _sentence(text: str) -> str:
    """A recorded text as one sentence of an answer: one final full stop."""
    return text.strip().rstrip(".") + "."


def _quoted(s: Salient) -> str:
    return f"'{s.name}'"


def _found(state: bool, lines, cites, missing) -> Found:
    return Found(FOUND if state else NONE, lines, cites, [] if state else [missing])


def _share(part: list, whole: list, lines, cites, missing) -> Found:
    """found when ``part`` is all of ``whole``, partial when some, none when nothing."""
    if whole and len(part) == len(whole):
        return Found(FOUND, lines, cites)
    return Found(PARTIAL if part else NONE, lines, cites, [missing])


Measure = Callable[[Book, Salient | None], Found]
MEASURES: dict[str, Measure] = {}


def measure(function: Measure) -> Measure:
    """Declare a measure under its function's name (what the framework files name)."""
    MEASURES[function.__name__] = function
    return function


def _active(book: Book) -> list[dict]:
    return [c for c in book.commitments if c.get("status") != "retired"]


# Part A and B: the organisation as a whole.


@measure
def policy_commitment(book, s):
    """Commitments: text, section, status."""
    active = _active(book)
    worded = [c for c in active if c.get("text") and c.get("section")]
    sections = sorted({c["section"] for c in worded if not restricted(c)})
    lines = [f"{_count(active, 'active commitment')}, {len(worded)} in the policy's own "
             f"words with their section."]
    if sections:
        lines.append("Policy sections: " + "; ".join(sections) + ".")
    if not active:
        return Found(NONE, lines, [], ["no commitment recorded (load the policy pack: "
                                       "hrgov init --policy)"])
    return _share(worded, active, lines, _cite(book, active),
                  f"{len(active) - len(worded)} commitments lack the policy's words or section")


@measure
def instruments(book, s):
    """Instruments linked from active commitments."""
    used = {i for c in _active(book) for i in c.get("instruments", ())}
    found = [book.by_id[i] for i in sorted(used) if i in book.by_id]
    names = [i.get("short_name", i["id"]) for i in found if not restricted(i)]
    lines = [f"The commitments rest on {_count(found, 'instrument')}"
             + (f": {', '.join(names)}." if names else ".")]
    return _found(bool(found), lines, _cite(book, found),
                  "no commitment names the instruments it rests on")


@measure
def policy_engagement(book, s):
    """Engagements that discussed commitments."""
    found = [e for e in book.engagements if e.get("commitments")]
    groups = sorted({e["stakeholders"] for e in found})
    lines = [f"{_count(found, 'engagement')} discussed the policy's commitments"
             + (f", with: {', '.join(groups)}." if groups else ".")]
    return _found(bool(found), lines, _cite(book, found),
                  "no engagement on the policy's commitments recorded")


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
def public_commitments(book, s):
    """Commitments marked public."""
    active = _active(book)
    public = [c for c in active if c.get("sensitivity") == "public"]
    lines = [f"{len(public)} of {plural(len(active), 'active commitment')} are marked public "
             "and so appear in the public progress report (hrgov report --public)."]
    return _found(bool(public), lines, _cite(book, public),
                  "no commitment is marked public, so none reaches the public report")


@measure
def ownership(book, s):
    """Commitments' owner departments."""
    active = _active(book)
    owned = [c for c in active if c.get("owner")]
    owners = Counter(book.title(book.by_id[c["owner"]]) for c in owned
                     if c["owner"] in book.by_id and not restricted(book.by_id[c["owner"]]))
    lines = [f"{len(owned)} of {plural(len(active), 'active commitment')} have an owner "
             "department" + (": " + ", ".join(f"{d} ({n})" for d, n in owners.most_common())
                             if owners else "") + "."]
    unowned = [c for c in active if not c.get("owner")]
    named = [book.title(c) for c in unowned if not restricted(c)][:5]
    missing = f"{plural(len(unowned), 'commitment')} without an owner" + (
        f" (e.g. {'; '.join(named)})" if named else "")
    if not active:
        return Found(NONE, lines, [], ["no commitment recorded"])
    return _share(owned, active, lines, [], missing)


@measure
def governance_meetings(book, s):
    """Meetings (body, date) and decisions (date) in the period."""
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
def staff_awareness(book, s):
    """Engagements in the period with staff, contractors or their representatives."""
    found = [e for e in book.engagements
             if e["stakeholders"] in WORKFORCE and book.in_period(e["date"])]
    lines = [f"{_count(found, 'engagement')} with staff, contractors or their "
             "representatives in the period."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  "no engagement with staff, contractors or their representatives recorded "
                  "in the period")


@measure
def business_relationships(book, s):
    """Commitments whose title or text speaks of partners, grantees, vendors…"""
    def about(c):
        words = f"{c.get('title', '')} {c.get('text', '')}".lower()
        return any(w in words for w in RELATIONSHIP_WORDS)

    found = [c for c in _active(book) if about(c)]
    owned = [c for c in found if c.get("owner")]
    lines = [f"{_count(found, 'commitment')} about business relationships, "
             f"{len(owned)} with an owner."] if found else []
    if not found:
        return Found(NONE, lines, [], ["no commitment about business relationships "
                                       "(partners, grantees, vendors) recorded"])
    return _share(owned, found, lines, _cite(book, found),
                  "commitments about business relationships without an owner")


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
def salience_scored(book, s):
    """Salient issues' impact and likelihood."""
    marked = [i for i in book.issues if i.get("salient")]
    scored = [i for i in marked if i.get("impact") and i.get("likelihood")]
    lines = [f"{len(scored)} of {plural(len(marked), 'issue')} marked salient are scored for "
             "severity of impact and likelihood (1 to 3 each)."] if marked else []
    if not marked:
        return Found(NONE, lines, [], ["no issue is marked salient"])
    return _share(scored, marked, lines, _cite(book, scored),
                  f"{len(marked) - len(scored)} salient issues lack an impact or likelihood "
                  "score")


@measure
def assessments_done(book, s):
    """Assessments: status, completed."""
    done = [a for a in book.assessments if a["status"] == "completed"]
    going = [a for a in book.assessments if a["status"] != "completed"]
    lines = []
    if done:
        lines.append(f"{_count(done, 'impact assessment')} completed.")
    if going:
        lines.append(f"{_count(going, 'impact assessment')} planned or under way.")
    if done:
        return Found(FOUND, lines, _cite(book, done))
    return Found(PARTIAL if going else NONE, lines, _cite(book, going),
                 ["no impact assessment completed" if going else
                  "no impact assessment recorded"])


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
    return _share(with_region, book.salient, lines, [], missing)


@measure
def severe_outside(book, s):
    """Issues of impact 3 outside the salient categories, reported in the period or still
    open."""
    salient = {x.category for x in book.salient}
    found = [i for i in book.issues if i.get("impact") == 3 and i["category"] not in salient
             and (book.in_period(i["reported"]) or i["status"] not in ("closed", "dismissed"))]
    if not found:
        return Found(FOUND, ["No severe impact (impact 3) outside the salient issues is "
                             "recorded for the period."])
    lines = [f"{_count(found, 'severe issue')} outside the salient issues; their handling "
             "is in the register: " + ", ".join(
                 f"{status} {n}" for status, n in Counter(i['status'] for i in found).items())
             + "."]
    return Found(FOUND, lines, _cite(book, found))


# Part C: for each salient issue.


@measure
def issue_commitments(book, s):
    """Issues' commitments."""
    found = [book.by_id[c] for c in sorted(s.commitments) if c in book.by_id]
    lines = [f"{s.name}: addressed by {_count(found, 'commitment')}."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no commitment linked to salient issue {_quoted(s)}")


@measure
def issue_owners(book, s):
    """Owner departments of the issue's commitments."""
    found = [book.by_id[c] for c in sorted(s.commitments) if c in book.by_id]
    owned = [c for c in found if c.get("owner")]
    if not found:
        return Found(NONE, [], [], [f"no commitment linked to salient issue {_quoted(s)}"])
    owners = sorted({book.title(book.by_id[c["owner"]]) for c in owned
                     if c["owner"] in book.by_id and not restricted(book.by_id[c["owner"]])})
    lines = [f"{s.name}: {len(owned)} of {plural(len(found), 'commitment')} owned"
             + (f" by {', '.join(owners)}." if owners else ".")]
    return _share(owned, found, lines, _cite(book, owned),
                  f"commitments of salient issue {_quoted(s)} without an owner")


@measure
def issue_engagements(book, s):
    """Engagements whose categories or issues include the salient issue."""
    found = book.engagements_on(s)
    groups = sorted({e["stakeholders"] for e in found})
    lines = [f"{s.name}: {_count(found, 'engagement')}, with {', '.join(groups)}."] \
        if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no engagement recorded for salient issue {_quoted(s)}")


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
def issue_engagements_in_period(book, s):
    """Engagements on the issue dated in the period."""
    found = [e for e in book.engagements_on(s) if book.in_period(e["date"])]
    methods = Counter(e["method"] for e in found)
    lines = [f"{s.name}: {_count(found, 'engagement')} in the period (" + ", ".join(
        f"{m} {n}" for m, n in methods.most_common()) + ")."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no engagement on salient issue {_quoted(s)} in the period")


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
def issue_assessments(book, s):
    """Assessments serving the issue's commitments or whose findings' milestones do."""
    found = book.assessments_on(s)
    done = [a for a in found if a["status"] == "completed"]
    lines = [f"{s.name}: {_count(found, 'impact assessment')} ({len(done)} completed)."] \
        if found else []
    if done:
        return Found(FOUND, lines, _cite(book, found))
    return Found(PARTIAL if found else NONE, lines, _cite(book, found), [
        f"the impact assessment of salient issue {_quoted(s)} is not completed" if found
        else f"no impact assessment covers salient issue {_quoted(s)}"])


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
def issue_severe(book, s):
    """Issues of impact 3 reported in the period."""
    found = [i for i in s.issues if i.get("impact") == 3 and book.in_period(i["reported"])]
    lines = [f"{s.name}: severe impacts (impact 3) reported in the period: "
             f"{_count(found, 'issue')}."]
    return Found(FOUND, lines, _cite(book, found))


@measure
def issue_decisions(book, s):
    """Decisions serving the issue's commitments."""
    found = book.decisions_for(s.commitments)
    lines = [f"{s.name}: {_count(found, 'decision')} "
             f"{_verb(len(found), 'serves', 'serve')} its commitments."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no decision serves the commitments of salient issue {_quoted(s)}")


@measure
def issue_milestones(book, s):
    """Milestones of the issue's commitments, by status."""
    found = book.milestones_of(s.commitments)
    states = Counter(m["status"] for m in found)
    lines = [f"{s.name}: {_count(found, 'milestone')} (" + ", ".join(
        f"{st} {n}" for st, n in states.most_common()) + ")."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no milestone carries out the commitments of salient issue {_quoted(s)}")


@measure
def issue_departments(book, s):
    """Owner departments of the issue's milestones."""
    found = book.milestones_of(s.commitments)
    owned = [m for m in found if m.get("owner")]
    if not found:
        return Found(NONE, [], [], [f"no milestone for salient issue {_quoted(s)}"])
    owners = sorted({book.title(book.by_id[m["owner"]]) for m in owned
                     if m["owner"] in book.by_id and not restricted(book.by_id[m["owner"]])})
    lines = [f"{s.name}: milestones owned by {', '.join(owners) or 'no department named'}."]
    return _share(owned, found, lines, [], f"milestones of salient issue {_quoted(s)} without "
                  "an owner department")


@measure
def issue_rationale(book, s):
    """Decisions serving the issue with a recorded rationale."""
    found = book.decisions_for(s.commitments)
    reasoned = [d for d in found if d.get("rationale")]
    lines = [f"{s.name}: {len(reasoned)} of {plural(len(found), 'decision')} "
             f"{_verb(len(found), 'records its', 'record their')} rationale."] if found else []
    if reasoned:
        return Found(FOUND, lines, _cite(book, reasoned))
    return Found(PARTIAL if found else NONE, lines, _cite(book, found), [
        f"no decision on salient issue {_quoted(s)} records its rationale" if found
        else f"no decision serves the commitments of salient issue {_quoted(s)}"])


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
def issue_remedies(book, s):
    """Remedies for the issue's issues or grievances."""
    found = book.remedies_on(s)
    kinds = Counter(r["remedy_type"] for r in found)
    lines = [f"{s.name}: {_count(found, 'remedy', 'remedies')} (" + ", ".join(
        f"{k} {n}" for k, n in kinds.most_common()) + ")."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no remedy recorded for salient issue {_quoted(s)}")


@measure
def issue_remedies_in_period(book, s):
    """Remedies for the issue delivered in the period."""
    found = [r for r in book.remedies_on(s) if book.in_period(r.get("delivered_on"))]
    verified = sum(1 for r in found if r.get("verified"))
    lines = [f"{s.name}: {_count(found, 'remedy', 'remedies')} delivered in the period, "
             f"{verified} verified effective."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no remedy for salient issue {_quoted(s)} delivered in the period")


@measure
def issue_grievances(book, s):
    """Grievances about the issue, by channel."""
    found = s.grievances
    channels = Counter(g["channel"] for g in found)
    lines = [f"{s.name}: {_count(found, 'grievance')}, through " + ", ".join(
        f"{c} ({n})" for c, n in channels.most_common()) + "."] if found else []
    return _found(bool(found), lines, _cite(book, found),
                  f"no grievance recorded for salient issue {_quoted(s)}")


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
    wanted = set(refs)
    found = [r for records in book.records.values() for r in records
             if wanted & set(r.get("framework_refs", ()))]
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
            f"{c} {n}" for c, n in channels.most_common()) + ".")
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


def answer_framework(framework: Framework, book: Book) -> Disclosure:
    """Every question of ``framework`` answered from ``book``, and the GP31 scorecard: the
    function documents (the Board paper's annex, the audit view) call to show the answers."""
    return Disclosure(framework, book.period, book.day,
                      [answer(q, book, framework) for q in framework.questions],
                      grievance_scorecard(book), book.salient)


# ---- the document ------------------------------------------------------------------------------

FORMATS = (".md", ".docx", ".xlsx")
PART_TITLES = {"A": "Part A", "B": "Part B", "C": "Part C"}


def build_document(disclosure: Disclosure, *, organisation: str, commit: str):
    """The disclosure as document blocks (``hrgov.briefing.blocks.Doc``)."""
    from hrgov.briefing.blocks import Doc
    from hrgov.briefing.data import long_date

    f = disclosure.framework
    doc = Doc(f"{organisation}: {f.title}, {disclosure.period.label}")
    summary = disclosure.summary
    doc.para(
        f"Each question of the {f.title} ({f.publisher}, {f.published}; {f.url}) answered "
        f"from the organisation's human-rights governance ledger as it stood on "
        f"{long_date(disclosure.day)}, ledger commit {commit[:10]} (mapping version "
        f"{f.mapping_version}). Of {len(disclosure.answers)} questions, "
        f"{summary['answered']} are answered, {summary['partly']} partly and "
        f"{summary['not evaluable']} not evaluable from the ledger; what is missing is named "
        "under each."
    )
    doc.para("Restricted records are counted but never described or cited. Issues and "
             "grievances are cited by their id and category or channel only.", small=True)
    if disclosure.salient:
        doc.heading("Salient human rights issues")
        doc.items([f"{s.name} ({plural(len(s.issues), 'issue')} in the register)"
                   for s in disclosure.salient])
    doc.heading("Completeness")
    doc.table(["Question", "Section", "Completeness"],
              [[a.question.id, a.question.section, a.mark] for a in disclosure.answers])
    section = None
    for a in disclosure.answers:
        q = a.question
        if q.section != section:
            section = q.section
            doc.heading(section)
        also = f" (also {', '.join(q.also)})" if q.also else ""
        doc.heading(f"{q.id}{also}: {q.question}", 3)
        doc.para(f"Completeness: {a.mark}. Reference: {q.reference}.")
        doc.items(a.lines)
        if a.missing:
            doc.para("Missing: " + "; ".join(a.missing) + ".")
        if a.cites:
            shown = [f"{c['title']} ({c['id']})" for c in a.cites[:SHOWN]]
            rest = len(a.cites) - len(shown)
            doc.para("Evidence: " + "; ".join(shown) + (f"; and {rest} more" if rest else "")
                     + ".", small=True)
        doc.para(f"Complete when: {q.complete}", small=True)
    doc.heading("Grievance mechanism: effectiveness criteria (UNGP 31)")
    doc.table(["Criterion", "Status", "What the ledger shows"],
              [[f"31({c.key}) {c.name}", c.status, " ".join(c.figures) or c.missing or ""]
               for c in disclosure.scorecard])
    doc.para(f"Built by hrgov from ledger commit {commit[:10]}. Anyone with a copy of the "
             f"ledger can check that commit with: hrgov verify --contains {commit[:10]}",
             small=True)
    return doc


def write_docx(doc) -> bytes:
    """The document blocks as a Word file (python-docx), returned as bytes."""
    import io

    import docx

    out = docx.Document()
    out.add_heading(doc.title, 0)
    for block in doc.blocks:
        if block[0] == "h":
            out.add_heading(block[2], min(block[1], 9))
        elif block[0] == "p":
            paragraph = out.add_paragraph(block[1])
            if block[2]:
                for run in paragraph.runs:
                    run.italic = True
        elif block[0] == "ul":
            for item in block[1]:
                out.add_paragraph(item, style="List Bullet")
        elif block[0] == "table":
            headers, rows = block[1], block[2]
            table = out.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, headers, strict=True):
                cell.text = text
            for row in rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _cell_text(value) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value or "")


def write_xlsx(disclosure: Disclosure, *, organisation: str, commit: str) -> bytes:
    """The disclosure as a workbook (openpyxl), returned as bytes: a sheet of questions (answer,
    completeness, what is missing, citations) and a sheet for the grievance mechanism's
    scorecard (UNGP 31); each sheet's first row names the framework, the period and the
    ledger commit. Every cell is text or a number, never a formula, whatever a record holds."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    f = disclosure.framework
    heading = (f"{organisation}: {f.title} ({f.short}, mapping {f.mapping_version}), "
               f"{disclosure.period.label}; as of {disclosure.day.isoformat()}, "
               f"ledger commit {commit}")
    book = Workbook()
    questions = book.active
    questions.title = "Questions"
    scorecard = book.create_sheet("GP31 scorecard")
    sheets = {
        questions: (
            [("Question", 10), ("Also", 14), ("Section", 24), ("Question asked", 48),
             ("Reference", 18), ("Completeness", 14), ("Answer", 70), ("What is missing", 48),
             ("Citations", 56), ("Complete when", 48)],
            [[q.id, ", ".join(q.also), q.section, q.question, q.reference, a.mark, a.lines,
              a.missing, [f"{c['title']} ({c['id']})" for c in a.cites], q.complete]
             for a in disclosure.answers for q in [a.question]],
        ),
        scorecard: (
            [("Principle", 12), ("Criterion", 30), ("Status", 14),
             ("What the ledger shows", 80), ("What is missing", 48)],
            [[f"UNGP 31({c.key})", c.name, c.status, c.figures, c.missing or ""]
             for c in disclosure.scorecard],
        ),
    }
    for sheet, (columns, rows) in sheets.items():
        sheet.append([heading])
        sheet["A1"].font = Font(bold=True)
        sheet.append([name for name, _ in columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell_text(value) for value in row])
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.data_type = "s"  # a text that starts with '=' stays text, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for n, (_, width) in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + n)].width = width
        sheet.freeze_panes = "B3"
        sheet.auto_filter.ref = f"A2:{chr(ord('A') + len(columns) - 1)}{sheet.max_row}"
    book.properties.title = f"{f.title}, {disclosure.period.label}"
    book.properties.creator = "hrgov"
    book.properties.description = heading
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
            data = write_docx(doc) if suffix == ".docx" else to_markdown(doc).encode("utf-8")
        write_atomically(out_path, data)
        result["path"] = str(out_path)
    return result
