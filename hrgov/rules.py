"""The rule book: what a change may do to a record, old version against new, whatever made it.

Pure, like ``hrgov.model``: no files, git or SQLite. The unit of work (``Ledger.change``)
applies it to every record it writes — a command, an import, the demo, a merge — and
``hrgov verify`` applies it to every commit in the history, including those made with plain git::

    >>> old = {"kind": "milestone", "id": "MS-2026-0003", "title": "Train staff",
    ...        "commitment": "ongoing-hrdd", "due": "2026-06-30", "original_due": "2026-06-30",
    ...        "status": "done", "done_on": "2026-06-01", "sensitivity": "internal"}
    >>> ledger = Records({"ongoing-hrdd": {"kind": "commitment", "id": "ongoing-hrdd"}})
    >>> new = {**old, "original_due": "2027-09-30", "status": "blocked"}
    >>> for broken in check(old, new, ledger, Circumstances()):
    ...     print(broken)
    MS-2026-0003: original_due changed from 2026-06-30 to 2027-09-30; it never changes once set
    MS-2026-0003: cannot go from done to blocked (from done it can go to: in-progress)

What each kind declares (``model.KINDS``) drives most rules: ``fixed`` fields never change once
set; ``needs_reason`` fields change only with the change's reason; ``moves`` is the status
lifecycle; link fields must name records of the linked kind. The rest is written here once:
a milestone's due date moves only by a slip, and its slips are never rewritten; supersession is
recorded on both decisions; an id's year is the year of the record's own date; an issue's
subcategory is one of its category's; texts about people hold no contact details.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from hrgov.model import KINDS, Kind, id_year, personal_data

SUCCESSOR_STATUSES = frozenset({"adopted", "implemented", "superseded", "rescinded"})


@dataclass(frozen=True)
class Circumstances:
    """What a change says about itself, as its commit records it (the trailers)."""

    reason: str | None = None  # Hrgov-Reason
    allow_personal_data: bool = False  # Hrgov-Allow: personal-data


@dataclass(frozen=True)
class Broken:
    """One broken rule: the record, the field (if one) and what is wrong, for people."""

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
    other records as the same change leaves them."""
    if new is None:
        return [Broken(old["id"], None, "removed; a record is never deleted from the ledger "
                       "(retire, drop or rescind it instead)")]
    kind = KINDS[new["kind"]]
    found: list[Broken] = []
    for rule in _RULES:
        found.extend(rule(kind, old, new, ledger, change))
    return found


Rule = Callable[[Kind, "Mapping | None", Mapping, Lookup, Circumstances], Iterator[Broken]]


def _kind_unchanged(kind, old, new, ledger, change):
    if old is not None and old["kind"] != new["kind"]:
        yield Broken(new["id"], "kind", f"was a {old['kind']}, now a {new['kind']}")


def _fixed_fields(kind, old, new, ledger, change):
    if old is None:
        return
    for name in kind.fixed:
        if name in old and old.get(name) != new.get(name):
            yield Broken(
                new["id"], name,
                f"{name} changed from {old[name]} to {new.get(name)}; it never changes once set",
            )


def _reasons(kind, old, new, ledger, change):
    if old is None or (change.reason and change.reason.strip()):
        return
    for name in kind.needs_reason:
        if old.get(name) is not None and old.get(name) != new.get(name):
            yield Broken(
                new["id"], name,
                f"{name} changed from {old[name]} to {new.get(name)} without a reason (give "
                "one with --reason: the record's history says why)",
            )


def _lifecycle(kind, old, new, ledger, change):
    if old is None or not kind.moves:
        return
    before, after = old.get(kind.status_field), new.get(kind.status_field)
    if before is None or before == after:
        return
    allowed = kind.moves.get(before, frozenset())
    if after not in allowed:
        options = ", ".join(sorted(allowed)) or "nothing: it is final"
        yield Broken(
            new["id"], kind.status_field,
            f"cannot go from {before} to {after} (from {before} it can go to: {options})",
        )


def _id_year(kind, old, new, ledger, change):
    if not kind.dated or kind.date_field is None or kind.date_field not in new:
        return
    year = id_year(new["id"])
    if year != int(new[kind.date_field][:4]):
        yield Broken(
            new["id"], kind.date_field,
            f"the id's year {year} is not the year of its {kind.date_field} "
            f"{new[kind.date_field]}",
        )


def _links(kind, old, new, ledger, change):
    for spec in kind.fields:
        value = new.get(spec.name)
        if value is None:
            continue
        if spec.type == "link":
            yield from _dangling(new, spec.name, spec.link, [value], ledger)
        elif spec.type == "links":
            yield from _dangling(new, spec.name, spec.link, value, ledger)
        elif spec.type == "findings":  # each finding names the milestones that answer it
            answers = [m for finding in value for m in finding.get("milestones", [])]
            yield from _dangling(new, spec.name, "milestone", answers, ledger)


def _dangling(new, name, link, targets, ledger):
    for target in targets:
        if target == new["id"]:
            yield Broken(new["id"], name, f"{name} names the record itself")
            continue
        found = ledger.get(target)
        if found is None or found["kind"] != link:
            yield Broken(
                new["id"], name,
                f"{name}: no {link} {target} (list them with: hrgov list {KINDS[link].plural})",
            )


def _slips(kind, old, new, ledger, change):
    if kind.name != "milestone":
        return
    slips = new.get("slips", [])
    if old is not None and old.get("slips", []) != slips[: len(old.get("slips", []))]:
        yield Broken(new["id"], "slips", "slips changed; earlier slips are never rewritten or "
                     "removed")
        return
    expected = new["original_due"]
    for slip in slips:
        if slip["from"] != expected:
            yield Broken(new["id"], "slips", f"a slip moves the due date from {slip['from']}, "
                         f"but it was {expected} then")
            return
        expected = slip["to"]
    if expected == new["due"]:
        return
    if old is not None and old.get("original_due") != new["original_due"]:
        return  # the change of original_due is the break, reported as such
    if old is not None and old["due"] != new["due"]:
        message = (f"due moved from {old['due']} to {new['due']} without a slip (moving a due "
                   "date needs a reason, kept in the milestone's slips: give --reason)")
    else:
        message = (f"due is {new['due']}, but its original due date and slips lead to "
                   f"{expected}")
    yield Broken(new["id"], "due", message)


def _supersession(kind, old, new, ledger, change):
    if kind.name != "decision":
        return
    record_id = new["id"]
    successor = new.get("superseded_by")
    if (new["status"] == "superseded") != (successor is not None):
        yield Broken(
            record_id, "superseded_by",
            "a superseded decision names the decision that superseded it (superseded_by)"
            if successor is None else f"superseded_by {successor}, but its status is "
            f"{new['status']}",
        )
    earlier_successor = old.get("superseded_by") if old is not None else None
    if earlier_successor not in (None, successor):
        yield Broken(record_id, "superseded_by",
                     f"decision {record_id} is already superseded by {earlier_successor}")
    if successor is not None:
        later = ledger.get(successor)
        if later is not None and later.get("supersedes") != record_id:
            yield Broken(
                record_id, "superseded_by",
                f"superseded by {successor}, which does not say it supersedes {record_id}",
            )
    replaced = new.get("supersedes")
    if replaced is not None:
        if new["status"] not in SUCCESSOR_STATUSES:
            yield Broken(
                record_id, "supersedes",
                f"only an adopted or implemented decision can supersede another; {record_id} is "
                f"{new['status']}",
            )
        earlier = ledger.get(replaced)
        if earlier is not None and earlier.get("superseded_by") != record_id:
            holder = earlier.get("superseded_by")
            yield Broken(
                record_id, "supersedes",
                f"decision {replaced} is already superseded by {holder}" if holder else
                f"supersedes {replaced}, which is not marked superseded by {record_id}",
            )


def _subcategory(kind, old, new, ledger, change):
    if kind.name != "issue" or "subcategory" not in new:
        return
    category = ledger.get(new["category"])
    if category is None:
        return  # reported by _links
    known = category.get("subcategories", [])
    if new["subcategory"] not in known:
        yield Broken(
            new["id"], "subcategory",
            f"{new['subcategory']!r} is not a subcategory of {new['category']} (one of: "
            f"{', '.join(known) or 'none'})",
        )


def _personal_data(kind, old, new, ledger, change):
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
                    "forever, so refer to people by a pseudonymous reference kept elsewhere (or "
                    "allow it with --allow-personal-data if this is not about a person)",
                )
                break


_RULES: tuple[Rule, ...] = (
    _kind_unchanged,
    _fixed_fields,
    _id_year,
    _lifecycle,
    _slips,
    _reasons,
    _links,
    _supersession,
    _subcategory,
    _personal_data,
)


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
