"""The rule book: what a change may do to a record, old version against new, whatever made it.

Pure, like ``hrgov.model``: no files, git or SQLite. The unit of work (``Ledger.change``)
applies it to every record it writes — a command, an import, the demo, a merge — and
``hrgov verify`` applies it to every commit in the history, including those made with plain git::

    >>> old = {"kind": "milestone", "id": "MS-2026-0003", "title": "Train staff",
    ...        "commitment": "ongoing-hrdd", "due": "2026-06-30", "original_due": "2026-06-30",
    ...        "status": "done", "done_on": "2026-06-01", "sensitivity": "internal"}
    >>> ledger = Records({"ongoing-hrdd": {"kind": "commitment", "id": "ongoing-hrdd"}})
    >>> new = {**old, "original_due": "2027-09-30", "status": "blocked"}
    >>> del new["done_on"]
    >>> for broken in check(old, new, ledger, Circumstances()):
    ...     print(broken)
    MS-2026-0003: original_due changed from 2026-06-30 to 2027-09-30; it never changes once set
    MS-2026-0003: cannot go from done to blocked (from done it can go to: in-progress)

What each kind declares (``model.KINDS``) drives most rules: ``fixed`` fields never change once
set; ``needs_reason`` fields change only with the change's reason; ``moves`` is the status
lifecycle; link fields must name records of the linked kind; ``done_dates`` (days on which
something was done) are never after the day of the change. The rest is written here once:
a milestone's due date moves only by a slip that gives its reason, and its slips are never
rewritten; a record is withdrawn only with a reason, and then no longer changes; supersession
is recorded on both decisions; an id's year is the year of the record's own date; an issue's
subcategory is one of its category's; a done date belongs to a done milestone and an outcome
to a closed grievance; texts about people hold no contact details; a framework reference names
a question of the shipped frameworks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from hrgov.frameworks import ref_problem
from hrgov.model import INDICATOR_TARGET, KINDS, Kind, id_year, personal_data

SUCCESSOR_STATUSES = frozenset({"adopted", "implemented", "superseded", "rescinded"})


@dataclass(frozen=True)
class Circumstances:
    """What a change says about itself, as its commit records it (the trailers)."""

    reason: str | None = None  # Hrgov-Reason
    allow_personal_data: bool = False  # Hrgov-Allow: personal-data
    command: str | None = None  # Hrgov-Command; None for a commit made with plain git
    # The records as they were before the change (None: as it leaves them). Approval is
    # judged by it: one change cannot unlock minutes and edit their decisions together.
    before: Lookup | None = None
    # The latest day the change may call done (YYYY-MM-DD): the day it is made. None: not
    # judged (a day recorded as done is then taken as given).
    today: str | None = None


@dataclass(frozen=True)
class Broken:
    """One broken rule: the record, the field (if one) and what is wrong, for people. A change
    that lacks its reason names the field ``reason``."""

    record_id: str
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.record_id}: {self.message}"


class Lookup(Protocol):
    """The ledger as the change leaves it: what links are checked against."""

    def get(self, record_id: str) -> Mapping | None: ...


class Records:
    """A ``Lookup`` over a mapping of id → record (tests, and ``verify``'s replay)."""

    def __init__(self, records: Mapping[str, Mapping]):
        self.records = records

    def get(self, record_id: str) -> Mapping | None:
        return self.records.get(record_id)


def check(
    old: Mapping | None, new: Mapping | None, ledger: Lookup, change: Circumstances
) -> list[Broken]:
    """Every rule that turning ``old`` into ``new`` breaks (``old`` None: a new record; ``new``
    None: a removal). Both are valid records (``model.validate``); ``ledger`` answers for the
    other records as the same change leaves them.

    Two sorts of rule: a transition rule judges the change itself (a fixed field changed, a
    forbidden status move); a state rule judges the record as the change leaves it (a link
    that names nothing), and is broken by a change only if the old version did not already
    break it the same way — a record damaged earlier can still be corrected, and the damage
    is reported once, against the commit that made it.
    """
    if new is None:
        return [Broken(old["id"], None, "removed; a record is never deleted from the ledger "
                       "(retire, drop or rescind it instead)")]
    kind = KINDS[new["kind"]]
    found = [b for rule in _TRANSITIONS for b in rule(kind, old, new, change)]
    found += _after_approval(kind, old, new, change, ledger)
    found += _back_in_force(kind, old, new, ledger)
    already = set()
    if old is not None and old["kind"] == new["kind"]:
        already = {(b.field, b.message) for rule in _STATES for b in rule(kind, old, ledger)}
    found += [
        b for rule in _STATES for b in rule(kind, new, ledger)
        if (b.field, b.message) not in already
    ]
    return found


# ---- transition rules: (kind, old, new, change) → what the change breaks ---------------------


def _kind_unchanged(kind, old, new, change):
    if old is not None and old["kind"] != new["kind"]:
        yield Broken(new["id"], "kind", f"was a {old['kind']}, now a {new['kind']}")


def _fixed_fields(kind, old, new, change):
    if old is None:
        return
    for name in kind.fixed:
        if name in old and old.get(name) != new.get(name):
            yield Broken(
                new["id"], name,
                f"{name} changed from {old[name]} to {new.get(name)}; it never changes once set",
            )


def _reasons(kind, old, new, change):
    if old is None or (change.reason and change.reason.strip()):
        return
    for name, command in kind.needs_reason.items():
        if change.command != command and old.get(name) is not None and (
            old.get(name) != new.get(name)
        ):
            yield Broken(
                new["id"], "reason",
                f"{name} changed from {old[name]} to {new.get(name)} without a reason (it "
                f"changes with hrgov {command}, or with a reason kept in the history)",
            )


def _withdrawal(kind, old, new, change):
    """A record logged by mistake is withdrawn with its reason, and then no longer changes."""
    name = "withdrawn"
    if old is not None and old.get(name):
        if old != new:
            yield Broken(new["id"], name, f"was withdrawn on {old[name]}; a withdrawn record no "
                         "longer changes")
        return
    if new.get(name) and not (change.reason and change.reason.strip()):
        yield Broken(new["id"], "reason", "withdrawn without a reason; say why it was logged "
                     "by mistake (--reason), the history keeps it")


def _done_dates(kind, old, new, change):
    """A day on which something was done is not after the day the change records it."""
    if change.today is None:
        return
    for name in kind.done_dates:
        value = new.get(name)
        if value and value > change.today and (old is None or old.get(name) != value):
            yield Broken(new["id"], name, f"{name} {value} is after today ({change.today}); "
                         "a day on which something was done cannot be in the future")


def _lifecycle(kind, old, new, change):
    if old is None or not kind.moves:
        return
    before, after = old.get(kind.status_field), new.get(kind.status_field)
    if before is None or before == after or _returning_to_force(kind, old, new):
        return
    allowed = kind.moves.get(before, frozenset())
    if after not in allowed:
        options = ", ".join(sorted(allowed)) or "nothing: it is final"
        yield Broken(
            new["id"], kind.status_field,
            f"cannot go from {before} to {after} (from {before} it can go to: {options})",
        )


def _slips(kind, old, new, change):
    """A due date moves only by a slip that says why; slips are never rewritten."""
    if kind.name != "milestone":
        return
    record_id, slips = new["id"], new.get("slips", [])
    before = old.get("slips", []) if old is not None else []
    if slips[: len(before)] != before:
        yield Broken(record_id, "slips", "slips changed; earlier slips are never rewritten or "
                     "removed")
        return
    added = slips[len(before):]
    last_on = before[-1]["on"] if before else None
    for slip in added:
        if not slip["reason"].strip():
            yield Broken(record_id, "reason", f"the move of the due date to {slip['to']} gives "
                         "no reason; a due date moves only with its reason, kept in the slip")
        if last_on is not None and slip["on"] < last_on:
            yield Broken(record_id, "slips", f"a slip dated {slip['on']} comes after one dated "
                         f"{last_on}")
        last_on = slip["on"]
    if old is None:  # a new record: its slips lead from its original due date to its due date
        expected = new["original_due"]
        for slip in slips:
            if slip["from"] != expected:
                yield Broken(record_id, "slips", f"a slip moves the due date from "
                             f"{slip['from']}, but it was {expected} then")
                return
            expected = slip["to"]
        if expected != new["due"]:
            yield Broken(record_id, "due", f"due is {new['due']}, but its original due date "
                         f"and slips lead to {expected}")
        return
    if old.get("original_due") != new["original_due"]:
        return  # the change of original_due is the break, reported as such
    moved = old["due"] != new["due"]
    if moved and not added:
        yield Broken(record_id, "reason", f"due moved from {old['due']} to {new['due']} without "
                     "a slip (a due date moves only with its reason, kept in the slip)")
    elif (moved or added) and [(s["from"], s["to"]) for s in added] != [
        (old["due"], new["due"])
    ]:
        yield Broken(record_id, "slips", f"the slips added do not record the move of the due "
                     f"date from {old['due']} to {new['due']}")


def _successor_kept(kind, old, new, change):
    if kind.name != "decision" or old is None or _returning_to_force(kind, old, new):
        return
    earlier = old.get("superseded_by")
    if earlier not in (None, new.get("superseded_by")):
        yield Broken(new["id"], "superseded_by",
                     f"decision {new['id']} is already superseded by {earlier}")


def approved(decision: Mapping, ledger: Lookup) -> Mapping | None:
    """The meeting whose approved minutes lock ``decision``, if they do."""
    meeting = ledger.get(decision.get("meeting")) if decision.get("meeting") else None
    return meeting if meeting is not None and meeting.get("approved_on") else None


def _returning_to_force(kind, old, new) -> bool:
    """A superseded decision leaving that state (judged by ``_back_in_force``, not by the
    lifecycle: only its successor's withdrawal allows it)."""
    return (kind.name == "decision" and old.get("status") == "superseded"
            and not new.get("superseded_by"))


def _back_in_force(kind, old, new, ledger):
    """A superseded decision is in force again only when the decision that superseded it is
    withdrawn, and then with the status of a decision in force."""
    if old is None or not _returning_to_force(kind, old, new):
        return
    successor = ledger.get(old["superseded_by"]) if old.get("superseded_by") else None
    if successor is None or not successor.get("withdrawn"):
        yield Broken(new["id"], "status",
                     f"cannot go from superseded to {new['status']}: {new['id']} is back in "
                     f"force only when {old.get('superseded_by')} is withdrawn")
    elif new["status"] not in ("adopted", "implemented"):
        yield Broken(new["id"], "status", f"back in force as {new['status']}; a decision in "
                     "force is adopted or implemented")


def _after_approval(kind, old, new, change, ledger):
    """A decision in minutes that were approved changes only with a reason. Being superseded
    is exempt: the superseding decision is itself on the record."""
    if kind.name != "decision" or old is None or old == new:
        return
    if change.reason and change.reason.strip():
        return
    superseded = new.get("status") == "superseded" and {
        k for k in set(old) | set(new) if old.get(k) != new.get(k)
    } <= {"status", "superseded_by"}
    meeting = approved(old, change.before or ledger)
    if meeting is not None and not superseded:
        yield Broken(
            new["id"], "reason",
            f"its meeting's minutes ({meeting['id']}) were approved on "
            f"{meeting['approved_on']}; a change after approval needs a reason",
        )


def _personal_data(kind, old, new, change):
    if not kind.about_people or change.allow_personal_data:
        return
    for spec in kind.fields:
        value = new.get(spec.name)
        if old is not None and old.get(spec.name) == value:
            continue  # kept as it was accepted then
        for text in value if isinstance(value, list) else [value]:
            found = personal_data(text) if isinstance(text, str) else None
            if found:
                yield Broken(
                    new["id"], spec.name,
                    f"{spec.name} contains what looks like {found}; the ledger keeps everything "
                    "forever, so refer to people by a pseudonymous reference kept elsewhere "
                    "(unless personal data is explicitly allowed: this is not about a person)",
                )
                break


# ---- state rules: (kind, record, ledger) → what is wrong with the record as it stands ---------


def _id_year(kind, record, ledger):
    if not kind.dated or kind.date_field is None or kind.date_field not in record:
        return
    year = id_year(record["id"])
    if year != int(record[kind.date_field][:4]):
        yield Broken(
            record["id"], kind.date_field,
            f"the id's year {year} is not the year of its {kind.date_field} "
            f"{record[kind.date_field]}",
        )


def _links(kind, record, ledger):
    for spec in kind.fields:
        value = record.get(spec.name)
        if value is None:
            continue
        if spec.type == "link":
            yield from _dangling(record, spec.name, spec.link, [value], ledger)
        elif spec.type == "links":
            yield from _dangling(record, spec.name, spec.link, value, ledger)
        elif spec.type == "findings":  # each finding names the milestones that answer it
            answers = [m for finding in value for m in finding.get("milestones", [])]
            yield from _dangling(record, spec.name, "milestone", answers, ledger)


def _dangling(record, name, link, targets, ledger):
    for target in targets:
        if target == record["id"]:
            yield Broken(record["id"], name, f"{name} names the record itself")
            continue
        found = ledger.get(target)
        if found is None or found["kind"] != link:
            yield Broken(
                record["id"], name,
                f"{name}: no {link} {target} (list them with: hrgov list {KINDS[link].plural})",
            )


def _supersession(kind, record, ledger):
    """Supersession is recorded on both decisions, and only a decision in force supersedes."""
    if kind.name != "decision":
        return
    record_id = record["id"]
    successor = record.get("superseded_by")
    if (record["status"] == "superseded") != (successor is not None):
        yield Broken(
            record_id, "superseded_by",
            "a superseded decision names the decision that superseded it (superseded_by)"
            if successor is None else f"superseded_by {successor}, but its status is "
            f"{record['status']}",
        )
    if successor is not None:
        later = ledger.get(successor)
        if later is not None and later.get("supersedes") != record_id:
            yield Broken(
                record_id, "superseded_by",
                f"superseded by {successor}, which does not say it supersedes {record_id}",
            )
    replaced = record.get("supersedes")
    if replaced is not None and record.get("withdrawn"):
        earlier = ledger.get(replaced)
        if (earlier is not None and earlier.get("superseded_by") == record_id
                and not earlier.get("withdrawn")):  # a withdrawn one stays as it was
            yield Broken(
                record_id, "withdrawn",
                f"{record_id} superseded {replaced}: withdrawing it puts {replaced} back in force "
                "in the same change",
            )
    elif replaced is not None:
        if record["status"] not in SUCCESSOR_STATUSES:
            yield Broken(
                record_id, "supersedes",
                f"only an adopted or implemented decision can supersede another; {record_id} is "
                f"{record['status']}",
            )
        earlier = ledger.get(replaced)
        if earlier is not None and earlier.get("superseded_by") != record_id:
            holder = earlier.get("superseded_by")
            yield Broken(
                record_id, "supersedes",
                f"decision {replaced} is already superseded by {holder}" if holder else
                f"supersedes {replaced}, which is not marked superseded by {record_id}",
            )


def _subcategory(kind, record, ledger):
    if kind.name != "issue" or "subcategory" not in record:
        return
    category = ledger.get(record["category"])
    if category is None:
        return  # reported by _links
    known = category.get("subcategories", [])
    if record["subcategory"] not in known:
        yield Broken(
            record["id"], "subcategory",
            f"{record['subcategory']!r} is not a subcategory of {record['category']} (one of: "
            f"{', '.join(known) or 'none'})",
        )


def _status_fields(kind, record, ledger):
    """Fields that belong to one status only: a milestone's done_on, a grievance's outcome."""
    if kind.name == "milestone" and "done_on" in record and record["status"] != "done":
        yield Broken(record["id"], "done_on", f"done_on {record['done_on']}, but it is "
                     f"{record['status']}")
    if kind.name == "grievance" and "outcome" in record and record["stage"] != "closed":
        yield Broken(record["id"], "outcome", f"an outcome ({record['outcome']}), but it is "
                     f"{record['stage']}, not closed")


def _indicator_values(kind, old, new, change):
    """An indicator's values are only added, in date order; its target (value or date) moves
    only with a reason kept in the history."""
    if kind.name != "indicator":
        return
    values, before = new.get("values", []), (old or {}).get("values", [])
    if values[: len(before)] != before:
        yield Broken(new["id"], "values", "values changed; a recorded value is never rewritten "
                     "or removed (record a correction as a new value, with its source)")
    days = [reading["on"] for reading in values]
    if days != sorted(days):
        yield Broken(new["id"], "values", "values must be in date order (each new one on or "
                     "after the last)")
    if old is None or (change.reason and change.reason.strip()):
        return
    for name in INDICATOR_TARGET:
        if name in old and old.get(name) != new.get(name):
            yield Broken(new["id"], "reason", f"{name} changed from {old[name]} to "
                         f"{new.get(name)} without a reason (a target moves only with its "
                         "reason, kept in the history)")


def _framework_refs(kind, old, new, change):
    """Each framework reference a change adds names a question of the shipped frameworks, once.
    Only added ones are judged: a reference accepted under an earlier mapping stays readable."""
    refs = new.get("framework_refs", [])
    before = set((old or {}).get("framework_refs", []))
    for n, ref in enumerate(refs):
        if ref in refs[:n]:
            yield Broken(new["id"], "framework_refs", f"framework_refs lists {ref} twice")
        elif ref not in before:
            problem = ref_problem(ref)
            if problem:
                yield Broken(new["id"], "framework_refs", f"framework_refs: {problem}")


_TRANSITIONS = (
    _kind_unchanged, _withdrawal, _fixed_fields, _lifecycle, _slips, _reasons, _successor_kept,
    _personal_data, _done_dates, _indicator_values, _framework_refs,
)
_STATES = (_id_year, _links, _supersession, _subcategory, _status_fields)


# ---- the transitions the commands make, written once ----------------------------------------


def move_due(milestone: Mapping, due: str, reason: str | None, on: str) -> dict:
    """``milestone`` with its due date moved to ``due``, the move kept in its slips.

    >>> move_due({"due": "2026-05-01"}, "2026-06-01", "Vendor late", "2026-04-20")["slips"]
    [{'from': '2026-05-01', 'to': '2026-06-01', 'reason': 'Vendor late', 'on': '2026-04-20'}]
    """
    moved = dict(milestone)
    slip = {"from": milestone["due"], "to": due, "reason": reason, "on": on}
    moved["slips"] = [*milestone.get("slips", []), slip]
    moved["due"] = due
    return moved


def withdraw(record: Mapping, on: str) -> dict:
    """``record`` withdrawn on ``on`` (the change that does it carries the reason).

    >>> withdraw({"kind": "department", "id": "legal"}, "2026-03-04")["withdrawn"]
    '2026-03-04'
    """
    return {**record, "withdrawn": on}


def back_in_force(decision: Mapping, versions: list[Mapping]) -> dict:
    """``decision`` once its successor is withdrawn: in force again, with the status it had
    before it was superseded (``versions``: the records it has been, oldest first).

    >>> back_in_force({"id": "D-1", "status": "superseded", "superseded_by": "D-2"},
    ...               [{"status": "adopted"}, {"status": "implemented"},
    ...                {"status": "superseded"}])
    {'id': 'D-1', 'status': 'implemented'}
    """
    earlier = [v["status"] for v in versions if v and v.get("status") != "superseded"]
    restored = {k: v for k, v in decision.items() if k != "superseded_by"}
    restored["status"] = earlier[-1] if earlier else "adopted"
    return restored


def set_status(kind: Kind, record: Mapping, status: str, *, on: str) -> dict:
    """``record`` moved to ``status``, with the fields that go with it (a done milestone's
    ``done_on`` is ``on``; it is dropped when the milestone is reopened)."""
    moved = dict(record)
    moved[kind.status_field] = status
    if kind.name == "milestone":
        if status == "done":
            moved["done_on"] = on
        else:
            moved.pop("done_on", None)
    return moved


# ---- merges: a record as a merge commit leaves it, against both parents ----------------------

MERGED_LISTS = frozenset({"links", "lines", "slips", "findings"})
_RESTRICTIVENESS = {"public": 0, "internal": 1, "restricted": 2}


def check_merge(
    base: Mapping | None,
    first: Mapping | None,
    second: Mapping | None,
    merged: Mapping | None,
    ledger: Lookup,
    change: Circumstances,
    resolved: frozenset[str] = frozenset(),
) -> list[Broken]:
    """Every rule that a merge commit breaks by writing ``merged`` (None: the merge removed the
    record), given the record's versions in its first and second parent and at their merge
    base (each None where absent). A record a merge renumbered is judged against its parents'
    versions as renumbered (``merge.renumber``).

    A merge makes nothing new: each field holds one parent's value (a list only items of one
    parent, and every item both parents hold), except the fields in ``resolved``, which a
    person settled with the change's reason, and the sensitivity, which may be more
    restrictive than both. Fixed fields keep the base's value; no slip is lost and slips stay
    in date order; the status is one parent's, reachable from the other's. The state rules
    count as in ``check``: only what the first parent's version did not already break.

    >>> here = {"kind": "department", "id": "legal", "name": "Legal", "sensitivity": "internal"}
    >>> there = {**here, "name": "Legal team"}
    >>> for broken in check_merge(here, here, there, {**here, "name": "Law"}, Records({}),
    ...                           Circumstances()):
    ...     print(broken.message[:60])
    name Law is neither side's value (Legal in the first parent,
    """
    parents = [p for p in (first, second) if p is not None]
    if merged is None:
        if not parents:
            return []
        return [Broken(parents[0]["id"], None, "removed by the merge; a record is never deleted "
                       "from the ledger (retire, drop or rescind it instead)")]
    record_id = merged["id"]
    if not parents:
        return [Broken(record_id, None, "written by the merge, but neither side has it")]
    found = [
        Broken(record_id, "kind", f"was a {parent['kind']} {where}, now a {merged['kind']}")
        for parent, where in _sides(first, second) if parent["kind"] != merged["kind"]
    ]
    if found:
        return found
    kind = KINDS[merged["kind"]]
    found += _merge_fixed(kind, base, first, merged)
    found += _merge_values(kind, first or {}, second or {}, merged, resolved)
    found += _merge_slips(kind, parents, merged, resolved)
    found += _merge_status(kind, first, second, merged, resolved)
    if resolved and not (change.reason and change.reason.strip()):
        found.append(Broken(record_id, "reason", f"{', '.join(sorted(resolved))} settled by hand "
                            "without a reason; the history keeps why"))
    other = second or {}
    found += [  # the values a person gave: the values of the sides were judged in their commits
        b for b in _personal_data(kind, first, merged, change)
        if merged.get(b.field) != other.get(b.field)
    ]
    already = set()
    if first is not None:
        already = {(b.field, b.message) for rule in _STATES for b in rule(kind, first, ledger)}
    found += [
        b for rule in _STATES for b in rule(kind, merged, ledger)
        if (b.field, b.message) not in already
    ]
    return found


def _sides(first, second):
    # A sync's first parent is the remote's commit, a plain git pull's the local one: the
    # parents are named by their place in the merge, which reads right either way.
    return [
        (p, where) for p, where in ((first, "in the first parent"), (second, "in the second"))
        if p is not None
    ]


def _shown(value) -> str:
    return "nothing" if value is None else str(value)


def _merge_fixed(kind, base, first, merged):
    if base is None or base["kind"] != merged["kind"]:
        return
    for name in kind.fixed:
        value = merged.get(name)
        # A first parent that already changed it broke the rule in its own commit.
        if name in base and value != base[name] and (first is None or first.get(name) != value):
            yield Broken(merged["id"], name, f"{name} changed from {base[name]} to "
                         f"{_shown(value)}; it never changes once set")


def _merge_values(kind, first, second, merged, resolved):
    record_id = merged["id"]
    for name in sorted((set(merged) | set(first) | set(second)) - {"kind", "id"} - resolved):
        value, here, there = merged.get(name), first.get(name), second.get(name)
        spec = kind.field(name)
        if (name == kind.status_field and kind.moves) or (spec and spec.type == "slips"):
            continue  # judged by _merge_status and _merge_slips
        if name == "sensitivity" and value not in (here, there):
            ranks = [_RESTRICTIVENESS.get(v, -1) for v in (value, here, there)]
            if ranks[0] > max(ranks[1:]):
                continue  # more restrictive than both: people at risk come first
        if spec is not None and spec.type in MERGED_LISTS and value not in (here, there):
            items, here, there = value or [], here or [], there or []
            for item in items:
                if item not in here and item not in there:
                    yield Broken(record_id, name, f"{name} holds {item}, which neither side "
                                 "has; settle it with hrgov resolve")
            for item in here:
                if item in there and item not in items:
                    yield Broken(record_id, name, f"{name} lost {item}, which both sides "
                                 "have")
            continue
        if value not in (here, there):
            yield Broken(record_id, name, f"{name} {_shown(value)} is neither side's value "
                         f"({_shown(here)} in the first parent, {_shown(there)} in the "
                         "second); settle it with hrgov "
                         "resolve")


def _merge_slips(kind, parents, merged, resolved):
    """No slip is lost; a slip is new only when a person settled the due date, with its reason."""
    if kind.name != "milestone":
        return
    record_id, slips = merged["id"], merged.get("slips", [])
    known = [slip for parent in parents for slip in parent.get("slips", [])]
    for slip in known:
        if slip not in slips:
            yield Broken(record_id, "slips", f"the slip of {slip['on']} (due {slip['from']} → "
                         f"{slip['to']}) is lost; slips are never removed")
    for before, after in zip(slips, slips[1:], strict=False):
        if after["on"] < before["on"]:
            yield Broken(record_id, "slips", f"a slip dated {after['on']} comes after one "
                         f"dated {before['on']}")
    for slip in slips:
        if slip in known or "slips" in resolved:
            continue
        if "due" not in resolved:
            yield Broken(record_id, "slips", f"the slip of {slip['on']} (due {slip['from']} → "
                         f"{slip['to']}) is on neither side; settle the due date with hrgov "
                         "resolve")
        elif not slip["reason"].strip():
            yield Broken(record_id, "reason", f"the move of the due date to {slip['to']} gives "
                         "no reason; a due date moves only with its reason, kept in the slip")
    sides_due = [parent.get("due") for parent in parents]
    if "due" in resolved and merged["due"] not in sides_due and (
        not slips or slips[-1]["to"] != merged["due"]
    ):
        yield Broken(record_id, "due", f"due {merged['due']} is neither side's value and no "
                     "slip records the move (a due date moves only with its reason)")


def _merge_status(kind, first, second, merged, resolved):
    name = kind.status_field
    if not kind.moves or name in resolved:
        return
    now, sides = merged.get(name), _sides(first, second)
    if now not in [parent.get(name) for parent, _ in sides]:
        shown = ", ".join(f"{_shown(parent.get(name))} {where}" for parent, where in sides)
        yield Broken(merged["id"], name, f"{name} {_shown(now)} is neither side's ({shown}); "
                     "settle it with hrgov resolve")
        return
    for parent, where in sides:
        before = parent.get(name)
        if before not in (None, now) and now not in kind.moves.get(before, ()):
            options = ", ".join(sorted(kind.moves.get(before, ()))) or "nothing: it is final"
            yield Broken(merged["id"], name, f"cannot go from {before} ({where}) to {now} (from "
                         f"{before} it can go to: {options}); settle it with hrgov resolve")


def partners(record: Mapping | None) -> set[str]:
    """The records whose state rules depend on ``record``: the other end of a supersession.
    A change that writes ``record`` can break a rule on them without writing them."""
    if record is None or record.get("kind") != "decision":
        return set()
    return {record[name] for name in ("supersedes", "superseded_by") if record.get(name)}


def check_unwritten(record: Mapping, before: Lookup, after: Lookup) -> list[Broken]:
    """The state rules a change breaks on a record it did not write (one of ``partners``):
    those broken as the change leaves the ledger (``after``) and not before it."""
    kind = KINDS[record["kind"]]
    already = {(b.field, b.message) for rule in _STATES for b in rule(kind, record, before)}
    return [
        b for rule in _STATES for b in rule(kind, record, after)
        if (b.field, b.message) not in already
    ]
