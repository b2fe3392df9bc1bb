"""Engagements with stakeholders and indicators of performance: what the disclosure frameworks
ask for beyond the registers (UNGP Reporting Framework C2 and C5, UNGP 20 and 31 h).

One function per command, each one unit of work (one commit), returning what it wrote; the
rule book (``hrgov.rules``) judges every record written, as for every other kind::

    >>> log_engagement(ledger, "Volunteer safety consultation", date="2026-04-02",
    ...                stakeholders="volunteer", method="focus-group",
    ...                categories=["harassment"])  # doctest: +SKIP
    Written(records=[{'kind': 'engagement', 'id': 'ENG-2026-0001', ...}], commit='3f2a…')
"""

from __future__ import annotations

from collections.abc import Sequence

from hrgov.errors import InvalidInput
from hrgov.frameworks import canonical_refs
from hrgov.ledger import Ledger
from hrgov.model import KINDS, check_id, kind_of_id, parse_date
from hrgov.operations import Written, _text


def _number(value: float | None) -> float | int | None:
    """A whole number stays whole in the record (``21``, not ``21.0``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def refer(
    ledger: Ledger,
    record_id: str,
    refs: Sequence[str],
    *,
    remove: bool = False,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Add framework references to any record (or ``remove`` them): ``hrgov disclose`` then
    cites the record under each question named::

        >>> refer(ledger, "D-2026-0001", ["ungprf:C4"])  # doctest: +SKIP
    """
    kind_of_id(record_id)  # refuses anything that is not an id before the ledger is read
    if not refs:
        raise InvalidInput("name at least one reference, e.g. ungprf:C4")
    wanted = canonical_refs(refs)
    with ledger.change("framework-ref", author=author, timestamp=timestamp) as tx:
        record = dict(tx.require(record_id, None))
        known = record.get("framework_refs", [])
        if remove:
            absent = [ref for ref in wanted if ref not in known]
            if absent:
                raise InvalidInput(f"{record_id} carries no reference {absent[0]} (it carries: "
                                   f"{', '.join(known) or 'none'})")
            record["framework_refs"] = [ref for ref in known if ref not in wanted]
        else:
            record["framework_refs"] = [*known, *(ref for ref in wanted if ref not in known)]
        verb = "removes" if remove else "adds"
        tx.subject = f"framework-ref {record_id}: {verb} {', '.join(wanted)}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def log_engagement(
    ledger: Ledger,
    title: str,
    *,
    date: str,
    stakeholders: str,
    method: str,
    participants: Sequence[str] = (),
    categories: Sequence[str] = (),
    issues: Sequence[str] = (),
    commitments: Sequence[str] = (),
    discussed: str | None = None,
    outcome: str | None = None,
    decisions: Sequence[str] = (),
    mechanism: bool | None = None,
    framework_refs: Sequence[str] = (),
    sensitivity: str | None = None,
    allow_personal_data: bool = False,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record an engagement with a stakeholder group (``ENG-YYYY-NNNN``, the year it took
    place); people appear by role only."""
    _text(title, "title", one_line=True)
    parse_date(date, "date")
    with ledger.change(
        "log engagement", author=author, timestamp=timestamp,
        allow_personal_data=allow_personal_data,
    ) as tx:
        record = {
            "kind": "engagement", "id": tx.next_id("engagement", int(date[:4])),
            "title": title, "date": date, "stakeholders": stakeholders, "method": method,
            "participants": list(participants), "categories": list(categories),
            "issues": list(issues), "commitments": list(commitments), "discussed": discussed,
            "outcome": outcome, "decisions": list(decisions), "mechanism": mechanism,
            "framework_refs": canonical_refs(framework_refs), "sensitivity": sensitivity,
        }
        tx.subject = f"log engagement {record['id']}: {title}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def update_engagement(
    ledger: Ledger,
    engagement_id: str,
    *,
    outcome: str | None = None,
    decisions: Sequence[str] = (),
    note: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record what changed after an engagement: its outcome, the decisions it informed."""
    check_id(KINDS["engagement"], engagement_id)
    if outcome is None and not decisions:
        raise InvalidInput("nothing to change: give --outcome or --decision")
    with ledger.change("engagement update", author=author, reason=note,
                       timestamp=timestamp) as tx:
        record = dict(tx.require(engagement_id, "engagement"))
        if outcome is not None:
            record["outcome"] = outcome
        known = record.get("decisions", [])
        record["decisions"] = [*known, *(d for d in decisions if d not in known)]
        tx.subject = f"engagement update {engagement_id}: {record['title']}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def add_indicator(
    ledger: Ledger,
    indicator_id: str,
    *,
    title: str,
    unit: str,
    category: str | None = None,
    commitments: Sequence[str] = (),
    owner: str | None = None,
    direction: str | None = None,
    baseline: float | None = None,
    baseline_on: str | None = None,
    target: float | None = None,
    target_by: str | None = None,
    affected_feedback: bool | None = None,
    framework_refs: Sequence[str] = (),
    sensitivity: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Add an indicator (a slug id such as ``harassment-response-days``), with its baseline
    and target, each with its date."""
    check_id(KINDS["indicator"], indicator_id)
    _text(title, "title", one_line=True)
    _text(unit, "unit", one_line=True)
    for value, day, what in ((baseline, baseline_on, "baseline"), (target, target_by, "target")):
        if (value is None) != (day is None):
            raise InvalidInput(f"--{what} and its date go together: give both or neither",
                               field=what)
    for day, what in ((baseline_on, "baseline_on"), (target_by, "target_by")):
        if day is not None:
            parse_date(day, what)
    with ledger.change("indicator add", author=author, timestamp=timestamp) as tx:
        if tx.get(indicator_id) is not None:
            raise InvalidInput(f"{indicator_id} already exists (see: hrgov show {indicator_id})")
        tx.subject = f"indicator add {indicator_id}: {title}"
        tx.put({
            "kind": "indicator", "id": indicator_id, "title": title, "unit": unit,
            "category": category, "commitments": list(commitments), "owner": owner,
            "direction": direction, "baseline": _number(baseline),
            "baseline_on": baseline_on, "target": _number(target), "target_by": target_by,
            "affected_feedback": affected_feedback,
            "framework_refs": canonical_refs(framework_refs), "sensitivity": sensitivity,
        })
    return Written(tx.written, tx.commit, tx.warning)


def record_value(
    ledger: Ledger,
    indicator_id: str,
    value: float,
    *,
    on: str,
    source: str,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Add a value measured ``on`` a day to an indicator, with its ``source``."""
    check_id(KINDS["indicator"], indicator_id)
    parse_date(on, "on")
    _text(source, "source", one_line=True)
    with ledger.change("indicator value", author=author, timestamp=timestamp) as tx:
        record = dict(tx.require(indicator_id, "indicator"))
        record["values"] = [*record.get("values", []),
                            {"on": on, "value": _number(value), "source": source}]
        tx.subject = f"indicator value {indicator_id}: {value} on {on}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def move_target(
    ledger: Ledger,
    indicator_id: str,
    *,
    target: float | None = None,
    target_by: str | None = None,
    reason: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Set or move an indicator's target; moving one needs a reason (the rule book's)."""
    check_id(KINDS["indicator"], indicator_id)
    if target is None and target_by is None:
        raise InvalidInput("nothing to change: give --target or --by")
    if target_by is not None:
        parse_date(target_by, "target_by")
    with ledger.change("indicator target", author=author, reason=reason,
                       timestamp=timestamp) as tx:
        record = dict(tx.require(indicator_id, "indicator"))
        moved = (("target", _number(target)), ("target_by", target_by))
        record.update({k: v for k, v in moved if v is not None})
        tx.subject = f"indicator target {indicator_id}: {record.get('target')} by " \
                     f"{record.get('target_by')}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)
