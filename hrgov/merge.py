"""Three-way merge of records, and the renumbering of ids not yet shared. Pure, like
``hrgov.model``: no files, git or SQLite.

``hrgov sync`` merges each record changed on both sides against the version at the merge base,
and hrgov's git merge driver for ``records/**/*.json`` does the same merge, so that a plain
``git pull`` agrees with it byte for byte: the result never depends on which side is "ours"::

    >>> base = {"kind": "milestone", "id": "MS-2026-0003", "title": "Train staff",
    ...         "commitment": "ongoing-hrdd", "due": "2026-06-30", "original_due": "2026-06-30",
    ...         "status": "planned", "sensitivity": "internal"}
    >>> ours = {**base, "status": "in-progress", "evidence": ["Syllabus v1"]}
    >>> theirs = {**base, "owner": "legal", "evidence": ["Trainer hired"]}
    >>> merged = merge_record(base, ours, theirs)
    >>> merged.conflicts, merged.record["status"], merged.record["owner"]
    ([], 'in-progress', 'legal')
    >>> merged.record["evidence"]
    ['Syllabus v1', 'Trainer hired']
    >>> [conflict] = merge_record(base, {**base, "title": "Train all staff"},
    ...                           {**base, "title": "Train managers"}).conflicts
    >>> conflict.field, conflict.ours, conflict.theirs
    ('title', 'Train all staff', 'Train managers')

A field changed on one side only takes that side's value; a field changed on both sides merges
when its meaning says how (lists by item, the status along its lifecycle, the sensitivity to the
most restrictive) and is otherwise a conflict, settled by a person with ``resolve``.

Ids are sequential and cited, so two secretaries recording the next decision on two machines
both make ``D-2026-0007``: ``renumbering`` gives ours, not yet shared, the numbers after theirs,
and ``renumber`` rewrites each record with every link to them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hrgov import rules
from hrgov.errors import InvalidInput
from hrgov.model import (
    DATED_ID,
    KINDS,
    MEETING_ID,
    SENSITIVITIES,
    STATUS_COMPANIONS,
    Kind,
    format_dated_id,
    meeting_id,
    validate,
)

LIST_TYPES = frozenset({"links", "lines", "slips", "findings"})
# public < internal < restricted: when both sides changed it, people at risk come first.
RESTRICTIVENESS = {name: rank for rank, name in enumerate(SENSITIVITIES)}


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed to different values that no rule can merge. ``ours`` and
    ``theirs`` are the two values (None where the field is absent); the field is ``record``
    when one side removed the record and the other changed it (the values are then the
    records), ``kind`` when the two sides hold records of different kinds."""

    record_id: str
    field: str
    ours: object
    theirs: object


@dataclass
class Merged:
    """The result of a merge: ``record`` (None: absent) and the conflicts left.

    With conflicts, ``record`` is a partial merge that holds ours' value in each conflicting
    field (ours' whole record when the conflict is on ``record`` or ``kind``): something to
    show a person, never something to write.
    """

    record: dict | None
    conflicts: list[Conflict]


def merge_record(base: Mapping | None, ours: Mapping | None, theirs: Mapping | None) -> Merged:
    """Merge two versions of a record against their common ancestor ``base`` (each a
    validated record, or None where the record is absent).

    >>> old = {"kind": "department", "id": "legal", "name": "Legal", "sensitivity": "internal"}
    >>> merge_record(old, {**old, "active": True}, old).record["active"]
    True
    >>> merge_record(old, None, {**old, "name": "Legal & Policy"}).conflicts[0].field
    'record'
    """
    if ours == theirs:
        return Merged(_copy(ours), [])
    if ours == base:
        return Merged(_copy(theirs), [])
    if theirs == base:
        return Merged(_copy(ours), [])
    if ours is None or theirs is None:  # removed on one side, changed on the other
        record_id = (ours or theirs)["id"]
        return Merged(_copy(ours), [Conflict(record_id, "record", _copy(ours), _copy(theirs))])
    if ours["kind"] != theirs["kind"]:
        return Merged(_copy(ours), [Conflict(ours["id"], "kind", ours["kind"], theirs["kind"])])
    # Both created the same slug (base None): merged field by field as if from nothing.
    base = base if base is not None and base.get("kind") == ours["kind"] else {}
    kind = KINDS[ours["kind"]]
    record: dict = {}
    conflicts = []
    for name in _field_order(kind, base, ours, theirs):
        value, merged = _merge_field(kind, name, base.get(name), ours.get(name), theirs.get(name))
        if not merged:
            conflicts.append(Conflict(ours["id"], name, ours.get(name), theirs.get(name)))
            value = ours.get(name)
        if value is not None:
            record[name] = value
    return Merged(record, conflicts)


def _field_order(kind: Kind, *records: Mapping) -> list[str]:
    """The union of the records' fields, in an order that depends on no side: the envelope,
    the kind's declared fields, then any other (unknown) field by name."""
    names = set().union(*records)
    declared = ["kind", "id", *(f.name for f in kind.fields), "sensitivity"]
    return [n for n in declared if n in names] + sorted(names.difference(declared))


def _merge_field(kind: Kind, name: str, base, ours, theirs) -> tuple[object, bool]:
    """(value, True) when the field merges, (None, False) when it is a conflict."""
    if ours == theirs:
        return ours, True
    if ours == base:
        return theirs, True
    if theirs == base:
        return ours, True
    spec = kind.field(name)
    if spec is not None and spec.type in LIST_TYPES:
        return _merge_items(spec.type, base, ours, theirs)
    if name == kind.status_field and kind.moves:
        forward = theirs in kind.moves.get(ours, ())
        backward = ours in kind.moves.get(theirs, ())
        if forward != backward:  # one move after the other: the status the other leads to
            return (theirs if forward else ours), True
        return None, False
    if name == "sensitivity" and ours in RESTRICTIVENESS and theirs in RESTRICTIVENESS:
        return max(ours, theirs, key=RESTRICTIVENESS.__getitem__), True
    return None, False


def _merge_items(field_type: str, base, ours, theirs) -> tuple[object, bool]:
    """A list changed on both sides, merged by item: the base's items that both sides kept, in
    the base's order, then the items either side added, in an order that depends on no side
    (slips by their day, so that a slip recorded on each side keeps both in date order)."""
    base, ours, theirs = base or [], ours or [], theirs or []
    if not all(isinstance(v, list) for v in (base, ours, theirs)):
        return None, False
    ours_keys = {_canonical(item) for item in ours}
    theirs_keys = {_canonical(item) for item in theirs}
    base_keys = {_canonical(item) for item in base}
    kept = [item for item in base if _canonical(item) in ours_keys & theirs_keys]
    added = {
        _canonical(item): item for item in (*ours, *theirs) if _canonical(item) not in base_keys
    }
    if field_type == "slips":
        order = sorted(added, key=lambda key: (added[key].get("on", ""), key))
    else:
        order = sorted(added)
    merged = kept + [_copy(added[key]) for key in order]
    return (merged or None), True


def _canonical(item) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _copy(record):
    """A copy deep enough that the merge never shares a list or an item with its inputs."""
    if isinstance(record, Mapping):
        return {k: _copy(v) for k, v in record.items()}
    if isinstance(record, list):
        return [_copy(v) for v in record]
    return record


def resolve(
    base: Mapping | None,
    ours: Mapping | None,
    theirs: Mapping | None,
    choices: Mapping[str, object],
    *,
    reason: str | None = None,
    on: str | None = None,
) -> Merged:
    """Merge as ``merge_record`` does, then settle conflicts as a person chose.

    ``choices`` maps a conflicting field to ``"ours"``, ``"theirs"`` or ``("value", v)``;
    the key ``"*"`` (``"ours"`` or ``"theirs"``) settles every conflict not named. Conflicts
    without a choice are left in the result. A milestone's ``due`` given a value also records
    the move in its slips (``reason`` and ``on`` are then required), from the due date its
    latest slip leads to. A record settled with a value is validated (``InvalidRecord``).
    The fields settled with a value are those ``rules.check_merge`` must be told were
    ``resolved``, with the status if a person chose it.

    >>> base = {"kind": "department", "id": "legal", "name": "Legal", "sensitivity": "internal"}
    >>> merged = resolve(base, {**base, "name": "Law"}, {**base, "name": "Legal team"},
    ...                  {"name": ("value", "Legal & Policy")})
    >>> merged.record["name"], merged.conflicts
    ('Legal & Policy', [])
    """
    merged = merge_record(base, ours, theirs)
    fallback = choices.get("*")
    if fallback not in (None, "ours", "theirs"):
        raise InvalidInput(f"'*' settles conflicts with ours or theirs, not {fallback!r}")
    record, left, valued, due = merged.record, [], False, None
    for conflict in merged.conflicts:
        choice = choices.get(conflict.field, fallback)
        if choice is None:
            left.append(conflict)
            continue
        value = _chosen(conflict, choice)
        if conflict.field == "kind":  # records of two kinds: one side's whole record
            if choice not in ("ours", "theirs"):
                raise InvalidInput("records of two kinds are settled with ours or theirs")
            return Merged(_copy(ours if choice == "ours" else theirs), [])
        if conflict.field == "record":  # the conflict is then the only one
            return Merged(_copy(value), [])
        valued = valued or isinstance(choice, tuple)
        if conflict.field == "due" and record["kind"] == "milestone" and value is not None and (
            isinstance(choice, tuple)
        ):
            due = value  # moved last, once every other field is settled
            continue
        if value is None:
            record.pop(conflict.field, None)
        else:
            record[conflict.field] = _copy(value)
    kind = KINDS.get(record.get("kind")) if record else None
    status_choice = choices.get(kind.status_field, fallback) if kind else None
    if status_choice in ("ours", "theirs") and any(
        c.field == kind.status_field for c in merged.conflicts
    ):
        side = ours if status_choice == "ours" else theirs
        for name in STATUS_COMPANIONS.get(kind.name, ()):  # they follow the status taken
            if side is not None and side.get(name) is not None:
                record[name] = _copy(side[name])
            else:
                record.pop(name, None)
    if due is not None:
        record = _move_due(record, due, reason, on)
    if valued and not left:
        record = validate(record)
    return Merged(record, left)


def _chosen(conflict: Conflict, choice):
    if choice == "ours":
        return conflict.ours
    if choice == "theirs":
        return conflict.theirs
    if isinstance(choice, tuple) and len(choice) == 2 and choice[0] == "value":
        return choice[1]
    raise InvalidInput(
        f"{conflict.field} is settled with ours, theirs or a value, not {choice!r}",
        field=conflict.field,
    )


def _move_due(milestone: dict, due: str, reason: str | None, on: str | None) -> dict:
    """The milestone moved to ``due`` by a slip. The move starts where the latest slip led
    (slips are merged in date order, whatever the side), else at the due date as merged."""
    slips = milestone.get("slips", [])
    start = slips[-1]["to"] if slips else milestone["due"]
    if start == due:
        return {**milestone, "due": due}  # no move to record: the latest slip says it
    if not (reason and reason.strip()) or not on:
        raise InvalidInput(
            f"{milestone['id']}: a new due date {due} is a slip; give its reason and its day",
            field="reason",
        )
    return rules.move_due({**milestone, "due": start}, due, reason, on)


# ---- ids not yet shared -----------------------------------------------------------------------


def renumbering(ours_new: Iterable[str], taken: Iterable[str]) -> dict[str, str]:
    """New numbers for our records not yet shared whose ids the other side took: old → new.

    In each series (a kind's prefix and a year) where one of ours collides, all of ours in that
    series move, in their order, after the highest number the other side took, so that they
    stay in the order they were recorded; a meeting takes its day's next free ``-n``. Series
    without a collision, and slugs, are left alone.

    >>> renumbering(["D-2026-0007", "D-2026-0008", "MS-2026-0004"],
    ...             ["D-2026-0007", "MS-2026-0003"])
    {'D-2026-0007': 'D-2026-0008', 'D-2026-0008': 'D-2026-0009'}
    >>> renumbering(["MTG-2026-03-04"], ["MTG-2026-03-04"])
    {'MTG-2026-03-04': 'MTG-2026-03-04-2'}
    """
    ours_new, taken = sorted(set(ours_new)), set(taken)
    mapping: dict[str, str] = {}
    series: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for record_id in ours_new:
        match = DATED_ID.match(record_id)
        if match and not MEETING_ID.match(record_id):
            key = (match["prefix"], int(match["year"]))
            series.setdefault(key, []).append((int(match["number"]), record_id))
    highest: dict[tuple[str, int], int] = {}
    for record_id in taken:
        match = DATED_ID.match(record_id)
        if match:
            key = (match["prefix"], int(match["year"]))
            highest[key] = max(highest.get(key, 0), int(match["number"]))
    for (prefix, year), ids in sorted(series.items()):
        if not any(record_id in taken for _, record_id in ids):
            continue
        kind = next(k for k in KINDS.values() if k.id_prefix == prefix)
        after = highest[(prefix, year)]
        for n, (_, record_id) in enumerate(sorted(ids), start=after + 1):
            mapping[record_id] = format_dated_id(kind, year, n)
    # Our other new meetings keep their ids, so they are as taken as the other side's.
    used = taken | set(ours_new)
    for record_id in ours_new:
        if MEETING_ID.match(record_id) and record_id in taken:
            mapping[record_id] = meeting_id(record_id[4:14], used)
            used.add(mapping[record_id])
    return mapping


def renumber(record: Mapping, mapping: Mapping[str, str]) -> dict:
    """A copy of ``record`` with its id and every link renamed by ``mapping`` (link fields,
    lists of links, and the milestones that answer each finding); texts are left as written.

    >>> renumber({"kind": "milestone", "id": "MS-2026-0004", "decision": "D-2026-0007"},
    ...          {"D-2026-0007": "D-2026-0008"})
    {'kind': 'milestone', 'id': 'MS-2026-0004', 'decision': 'D-2026-0008'}
    """
    out = _copy(record)
    out["id"] = mapping.get(out["id"], out["id"])
    for spec in KINDS[out["kind"]].fields:
        value = out.get(spec.name)
        if value is None:
            continue
        if spec.type == "link":
            out[spec.name] = mapping.get(value, value)
        elif spec.type == "links":
            out[spec.name] = [mapping.get(v, v) for v in value]
        elif spec.type == "findings":
            for finding in value:
                if "milestones" in finding:
                    finding["milestones"] = [mapping.get(m, m) for m in finding["milestones"]]
    return out
