"""What a committee secretary does to the ledger, one function per command.

Each function is one unit of work (one commit) and returns what it wrote (``Written``). Keywords
match the command-line options::

    >>> log_decision(ledger, "Adopt human-rights screening", date="2026-03-04",
    ...              commitments=["ongoing-hrdd"], owner="legal")  # doctest: +SKIP
    Written(records=[{'kind': 'decision', 'id': 'D-2026-0001', ...}], commit='3f2a…')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from hrgov.errors import InvalidInput, InvalidRecord
from hrgov.ledger import Ledger
from hrgov.model import (
    KINDS,
    check_id,
    check_move,
    check_text,
    meeting_id,
    parse_date,
)
from hrgov.queries import meeting_ids_on


class Written(NamedTuple):
    """What a write did: the records it wrote and the commit that holds them."""

    records: list[dict]
    commit: str
    warning: str | None = None  # the commit stands, but the next command must finish it


def _today(timestamp: int | None) -> date:
    if timestamp is None:
        return date.today()
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC).date()


def _text(value: str | None, what: str, *, one_line: bool = False) -> str | None:
    if value is None:
        return None
    check_text(value, what, one_line=one_line)
    if one_line and not value.strip():
        raise InvalidInput(f"{what} must not be empty")
    return value


def log_meeting(
    ledger: Ledger,
    *,
    date: str,
    body: str = "steering-committee",
    attendees: Sequence[str] = (),
    quorum: bool | None = None,
    notes: str | None = None,
    sensitivity: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record a meeting; its id is ``MTG-<date>`` (``-2``, ``-3`` for more that day)."""
    parse_date(date, "--date")
    with ledger.change("log meeting", author=author, timestamp=timestamp) as tx:
        record = {
            "kind": "meeting",
            "id": meeting_id(date, meeting_ids_on(tx.conn, date)),
            "date": date,
            "body": body,
            "attendees": list(attendees),
            "quorum": quorum,
            "notes": notes,
            "sensitivity": sensitivity,
        }
        tx.subject = f"log meeting {record['id']}: {body}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def log_decision(
    ledger: Ledger,
    title: str,
    *,
    date: str | None = None,
    meeting: str | None = None,
    commitments: Sequence[str] = (),
    owner: str | None = None,
    text: str | None = None,
    rationale: str | None = None,
    status: str = "adopted",
    supersedes: str | None = None,
    review_by: str | None = None,
    sensitivity: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record a decision (``adopted`` unless ``status`` says otherwise).

    Without ``date`` the decision takes its meeting's date. ``supersedes`` marks the earlier
    decision ``superseded`` in the same commit.
    """
    _text(title, "the title", one_line=True)
    if status not in ("proposed", "adopted", "rejected"):
        raise InvalidInput(
            f"a new decision is proposed, adopted or rejected, not {status!r} "
            "(change it later with: hrgov decision status ID STATUS)"
        )
    if date is not None:
        parse_date(date, "--date")
    if review_by is not None:
        parse_date(review_by, "--review-by")
    with ledger.change("log decision", author=author, timestamp=timestamp) as tx:
        if meeting is not None:
            held = tx.require(check_id(KINDS["meeting"], meeting), "meeting")
            date = date or held["date"]
        if date is None:
            raise InvalidInput("a decision needs --date (or --meeting, whose date it takes)")
        record = {
            "kind": "decision",
            "id": tx.next_id("decision", int(date[:4])),
            "title": title,
            "date": date,
            "meeting": meeting,
            "text": text,
            "rationale": rationale,
            "status": status,
            "commitments": list(commitments),
            "owner": owner,
            "supersedes": supersedes,
            "review_by": review_by,
            "sensitivity": sensitivity,
        }
        if supersedes is not None:
            if status != "adopted":
                raise InvalidInput("only an adopted decision can supersede another")
            old = dict(tx.require(check_id(KINDS["decision"], supersedes), "decision"))
            if old["status"] == "superseded":
                raise InvalidRecord(
                    f"decision {supersedes} is already superseded by {old.get('superseded_by')}"
                )
            check_move(KINDS["decision"], old["status"], "superseded", old["id"])
            old.update(status="superseded", superseded_by=record["id"])
            tx.put(old)
        tx.subject = f"log decision {record['id']}: {title}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def set_decision_status(
    ledger: Ledger,
    decision_id: str,
    status: str,
    *,
    by: str | None = None,
    note: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Move a decision along its lifecycle; ``superseded`` needs the successor (``by``)."""
    decision_kind = KINDS["decision"]
    check_id(decision_kind, decision_id)
    if status not in decision_kind.statuses:
        raise InvalidInput(
            f"{status!r} is not a decision status (one of: {', '.join(decision_kind.statuses)})"
        )
    if (status == "superseded") != (by is not None):
        raise InvalidInput(
            "--by NEW names the decision that supersedes it, and goes only with superseded"
        )
    with ledger.change(
        "decision status", author=author, reason=note, timestamp=timestamp
    ) as tx:
        record = dict(tx.require(decision_id, "decision"))
        if record["status"] == status:
            raise InvalidRecord(f"decision {decision_id} is already {status}")
        check_move(decision_kind, record["status"], status, decision_id)
        record["status"] = status
        if by is not None:
            successor = dict(tx.require(check_id(decision_kind, by), "decision"))
            if successor["status"] not in ("adopted", "implemented"):
                raise InvalidRecord(
                    f"decision {by} is {successor['status']}: only an adopted or implemented "
                    "decision can supersede another"
                )
            record["superseded_by"] = by
            if successor.get("supersedes") not in (None, decision_id):
                raise InvalidRecord(
                    f"decision {by} already supersedes {successor['supersedes']}"
                )
            successor["supersedes"] = decision_id
            tx.put(successor)
        tx.subject = f"decision status {decision_id}: {status}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def add_milestone(
    ledger: Ledger,
    title: str,
    *,
    commitment: str,
    due: str,
    owner: str | None = None,
    decision: str | None = None,
    sensitivity: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Add a milestone; its owner defaults to the commitment's, ``original_due`` to ``due``."""
    _text(title, "the title", one_line=True)
    parse_date(due, "--due")
    with ledger.change("milestone add", author=author, timestamp=timestamp) as tx:
        served = tx.require(check_id(KINDS["commitment"], commitment), "commitment")
        record = {
            "kind": "milestone",
            "id": tx.next_id("milestone", _today(timestamp).year),
            "title": title,
            "commitment": commitment,
            "decision": decision,
            "owner": owner or served.get("owner"),
            "due": due,
            "original_due": due,
            "status": "planned",
            "sensitivity": sensitivity,
        }
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def update_milestone(
    ledger: Ledger,
    milestone_id: str,
    *,
    status: str | None = None,
    due: str | None = None,
    reason: str | None = None,
    evidence: Sequence[str] = (),
    done_on: str | None = None,
    command: str = "milestone update",
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Change a milestone's status, move its due date (a reason is required and kept in its
    ``slips``) or add evidence. ``original_due`` never changes."""
    kind = KINDS["milestone"]
    check_id(kind, milestone_id)
    if status is not None and status not in kind.statuses:
        raise InvalidInput(
            f"{status!r} is not a milestone status (one of: {', '.join(kind.statuses)})"
        )
    if due is not None:
        parse_date(due, "--due")
        if not reason or not reason.strip():
            raise InvalidInput(
                "moving a due date needs --reason: the slip and its reason stay on record"
            )
    if done_on is not None:
        parse_date(done_on, "--on")
    for item in evidence:
        _text(item, "--evidence", one_line=True)
    if status is None and due is None and not evidence and reason is None:
        raise InvalidInput("nothing to change: give --status, --due with --reason, or --evidence")
    today = _today(timestamp)
    with ledger.change(command, author=author, reason=reason, timestamp=timestamp) as tx:
        record = dict(tx.require(milestone_id, "milestone"))
        if status is not None:
            check_move(kind, record["status"], status, milestone_id)
            record["status"] = status
            if status == "done":
                record["done_on"] = done_on or record.get("done_on") or today.isoformat()
            else:
                record.pop("done_on", None)
        if due is not None:
            if due == record["due"]:
                raise InvalidInput(f"milestone {milestone_id} is already due on {due}")
            slip = {"from": record["due"], "to": due, "reason": reason, "on": today.isoformat()}
            record["slips"] = [*record.get("slips", []), slip]
            record["due"] = due
        if evidence:
            record["evidence"] = [*record.get("evidence", []), *evidence]
        tx.subject = f"{command} {milestone_id}: {record['title']}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def complete_milestone(
    ledger: Ledger,
    milestone_id: str,
    *,
    on: str | None = None,
    evidence: Sequence[str] = (),
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Mark a milestone done (today unless ``on``), with its evidence."""
    return update_milestone(
        ledger,
        milestone_id,
        status="done",
        evidence=evidence,
        done_on=on,
        command="milestone done",
        author=author,
        timestamp=timestamp,
    )


def assign_commitment(
    ledger: Ledger,
    commitment_id: str,
    department: str,
    *,
    reason: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Give a commitment a new owner department. This is the only way ownership changes, so
    the commitment's history is the list of who owned it when."""
    check_id(KINDS["commitment"], commitment_id)
    check_id(KINDS["department"], department)
    with ledger.change(
        "commitment assign", author=author, reason=reason, timestamp=timestamp
    ) as tx:
        record = dict(tx.require(commitment_id, "commitment"))
        tx.require(department, "department")
        if record.get("owner") == department:
            raise InvalidInput(f"commitment {commitment_id} is already owned by {department}")
        record["owner"] = department
        tx.subject = f"commitment assign {commitment_id}: owner {department}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def add_department(
    ledger: Ledger,
    department_id: str,
    *,
    name: str,
    lead_role: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Add a department that can own commitments and milestones."""
    check_id(KINDS["department"], department_id)
    _text(name, "--name", one_line=True)
    with ledger.change("department add", author=author, timestamp=timestamp) as tx:
        if tx.get(department_id) is not None:
            raise InvalidInput(f"{department_id} already exists (see: hrgov show {department_id})")
        tx.put(
            {
                "kind": "department",
                "id": department_id,
                "name": name,
                "lead_role": lead_role,
                "active": True,
            }
        )
    return Written(tx.written, tx.commit, tx.warning)
