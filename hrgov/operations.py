"""What a committee secretary does to the ledger, one function per command.

Each function is one unit of work (one commit) and returns what it wrote (``Written``). Keywords
match the command-line options::

    >>> log_decision(ledger, "Adopt human-rights screening", date="2026-03-04",
    ...              commitments=["ongoing-hrdd"], owner="legal")  # doctest: +SKIP
    Written(records=[{'kind': 'decision', 'id': 'D-2026-0001', ...}], commit='3f2a…')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from hrgov import queries, rules
from hrgov.errors import InvalidInput, InvalidRecord
from hrgov.frameworks import canonical_refs
from hrgov.ledger import Ledger
from hrgov.model import (
    CLOSED_MILESTONE,
    KINDS,
    check_id,
    check_text,
    editable_fields,
    kind_of_id,
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
        raise InvalidInput(f"{what} must not be empty", field=what)
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
    parse_date(date, "date")
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
    for_board: bool = False,
    framework_refs: Sequence[str] = (),
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record a decision (``adopted`` unless ``status`` says otherwise); ``for_board`` marks
    one the Committee puts to the Board.

    Without ``date`` the decision takes its meeting's date. ``supersedes`` marks the earlier
    decision ``superseded`` in the same commit.
    """
    _text(title, "title", one_line=True)
    if status not in ("proposed", "adopted", "rejected"):
        raise InvalidInput(
            f"a new decision is proposed, adopted or rejected, not {status!r} "
            "(change it later with: hrgov decision status ID STATUS)"
        )
    if date is not None:
        parse_date(date, "date")
    if review_by is not None:
        parse_date(review_by, "review_by")
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
            "for_board": for_board or None,
            "framework_refs": canonical_refs(framework_refs) or None,
        }
        if supersedes is not None:
            old = tx.require(check_id(KINDS["decision"], supersedes), "decision")
            tx.put({**old, "status": "superseded", "superseded_by": record["id"]})
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
        record["status"] = status
        if by is not None:
            successor = tx.require(check_id(decision_kind, by), "decision")
            record["superseded_by"] = by
            tx.put({**successor, "supersedes": decision_id})
        tx.subject = f"decision status {decision_id}: {status}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def approve_minutes(
    ledger: Ledger,
    meeting_id: str,
    *,
    reason: str,
    on: str | None = None,
    at: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record that a meeting's minutes were approved (on ``on``, default today; at meeting
    ``at``): its decisions are locked from then on — a change needs a reason, and ``verify``
    lists it as a post-approval change."""
    if not reason or not reason.strip():
        raise InvalidInput("say how the minutes were approved: give --reason", field="reason")
    day = on if on is not None else _today(timestamp).isoformat()
    parse_date(day, "on")
    with ledger.change("approve", author=author, reason=reason, timestamp=timestamp) as tx:
        record = dict(tx.require(check_id(KINDS["meeting"], meeting_id), "meeting"))
        if record.get("approved_on"):
            raise InvalidRecord(
                f"the minutes of {meeting_id} were already approved on {record['approved_on']}"
            )
        record["approved_on"] = day
        if at is not None:
            record["approved_at"] = tx.require(check_id(KINDS["meeting"], at), "meeting")["id"]
        tx.subject = f"approve {meeting_id}: minutes approved on {day}"
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
    framework_refs: Sequence[str] = (),
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Add a milestone; its owner defaults to its decision's, else its commitment's;
    ``original_due`` to ``due``."""
    _text(title, "title", one_line=True)
    parse_date(due, "due")
    with ledger.change("milestone add", author=author, timestamp=timestamp) as tx:
        served = tx.require(check_id(KINDS["commitment"], commitment), "commitment")
        if decision is not None:
            owner = owner or tx.require(check_id(KINDS["decision"], decision), "decision").get(
                "owner"
            )
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
            "framework_refs": canonical_refs(framework_refs) or None,
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
    owner: str | None = None,
    command: str = "milestone update",
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Change a milestone's status, move its due date (a reason is required and kept in its
    ``slips``), give it to another ``owner`` department or add evidence. ``original_due``
    never changes."""
    kind = KINDS["milestone"]
    check_id(kind, milestone_id)
    if status is not None and status not in kind.statuses:
        raise InvalidInput(
            f"{status!r} is not a milestone status (one of: {', '.join(kind.statuses)})"
        )
    if due is not None:
        parse_date(due, "due")
    if done_on is not None:
        parse_date(done_on, "done_on")
    for item in evidence:
        _text(item, "evidence", one_line=True)
    if owner is not None:
        check_id(KINDS["department"], owner)
    if status is None and due is None and not evidence and reason is None and owner is None:
        raise InvalidInput(
            "nothing to change: give --status, --due with --reason, --owner or --evidence"
        )
    today = _today(timestamp)
    with ledger.change(command, author=author, reason=reason, timestamp=timestamp) as tx:
        record = dict(tx.require(milestone_id, "milestone"))
        if status is not None:
            on = done_on or record.get("done_on") or today.isoformat()
            record = rules.set_status(kind, record, status, on=on)
        if due is not None:
            if due == record["due"]:
                raise InvalidInput(f"milestone {milestone_id} is already due on {due}")
            record = rules.move_due(record, due, reason or "", today.isoformat())
        if evidence:
            record["evidence"] = [*record.get("evidence", []), *evidence]
        if owner is not None:
            record["owner"] = tx.require(owner, "department")["id"]
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
    keep_milestones: bool = False,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Give a commitment a new owner department, with its open milestones that its old owner
    held (unless ``keep_milestones``): they are written before the commitment, which comes
    last. Ownership changes this way (or by ``edit`` with a reason), so the commitment's
    history is the list of who owned it when."""
    check_id(KINDS["commitment"], commitment_id)
    check_id(KINDS["department"], department)
    with ledger.change(
        "commitment assign", author=author, reason=reason, timestamp=timestamp
    ) as tx:
        record = dict(tx.require(commitment_id, "commitment"))
        if record.get("owner") == department:
            raise InvalidInput(f"commitment {commitment_id} is already owned by {department}")
        _reassign(tx, record, department, keep_milestones=keep_milestones)
        tx.subject = f"commitment assign {commitment_id}: owner {department}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def _reassign(tx, commitment: dict, department: str, *, keep_milestones: bool) -> None:
    """Give ``commitment`` (changed in place; the caller puts it) to ``department``, and put
    its open milestones that its old owner held, given to ``department`` too."""
    tx.require(department, "department")
    before = commitment.get("owner")
    commitment["owner"] = department
    if keep_milestones:
        return
    for milestone in queries.milestones_of(tx.conn, commitment["id"]):
        if milestone["status"] not in CLOSED_MILESTONE and milestone.get("owner") in (
            before, None
        ):
            tx.put({**milestone, "owner": department})


def moved_milestones(written: Written) -> list[str]:
    """The milestones a ``commitment assign`` (or an edit of a commitment's owner) moved."""
    return [r["id"] for r in written.records if r["kind"] == "milestone"]


def edit_record(
    ledger: Ledger,
    record_id: str,
    changes: Mapping[str, object],
    *,
    reason: str | None,
    as_text: bool = True,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Correct fields of a record, with the reason kept in the history. ``changes`` maps field
    names to values, given as text (``as_text``: as a CSV cell, lists separated by ``;``, an
    empty text clears the field) or already typed (from the record's JSON). Whatever the rule
    book asks goes with it: a milestone's new due date becomes a slip with the reason; a
    commitment's new owner takes its open milestones along (as ``commitment assign``); a
    status moves along its lifecycle; fixed fields stay refused.

    >>> edit_record(ledger, "D-2026-0001", {"title": "Adopt screening"},
    ...             reason="Typo in the title")  # doctest: +SKIP
    """
    from hrgov.importing import convert

    if not reason or not reason.strip():
        raise InvalidInput("say why it is corrected: give --reason (kept in the history)",
                           field="reason")
    if not changes:
        raise InvalidInput("nothing to change: give FIELD=VALUE (or --edit)")
    kind_of_id(record_id)  # refuses anything that is not an id before the ledger is read
    today = _today(timestamp).isoformat()
    with ledger.change("edit", author=author, reason=reason, timestamp=timestamp) as tx:
        record = dict(tx.require(record_id, None))
        kind = KINDS[record["kind"]]
        fields = editable_fields(kind)
        for name, value in changes.items():
            spec = fields.get(name)
            if spec is None:
                raise InvalidInput(_not_editable(kind, name, fields))
            if as_text:
                value = convert(spec, value) if str(value).strip() else None
            if value in (None, "", []):
                record.pop(name, None)
            elif name == kind.status_field and value != record.get(name):
                record = rules.set_status(kind, record, value, on=record.get("done_on") or today)
            elif kind.name == "milestone" and name == "due" and value != record["due"]:
                parse_date(value, "due")
                record = rules.move_due(record, value, reason, today)
            elif kind.name == "commitment" and name == "owner" and value != record.get(name):
                _reassign(tx, record, check_id(KINDS["department"], value),
                          keep_milestones=False)
            else:
                record[name] = value
        tx.subject = f"edit {record_id}: {', '.join(changes)}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def _not_editable(kind, name: str, fields: Mapping) -> str:
    if name in ("id", "kind"):
        return f"{name} never changes (a record keeps its kind and id for ever)"
    if name == "withdrawn":
        return "a record is withdrawn with: hrgov withdraw ID --reason '…'"
    return f"{kind.name} has no field {name!r} (its fields: {', '.join(fields)})"


def withdraw_record(
    ledger: Ledger,
    record_id: str,
    *,
    reason: str | None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Withdraw a record logged by mistake: it stays in the history, shown as withdrawn, and
    is left out of lists, counts and reports from then on. It never comes back (log it anew)."""
    if not reason or not reason.strip():
        raise InvalidInput("say why it is withdrawn: give --reason (kept in the history)",
                           field="reason")
    kind_of_id(record_id)
    with ledger.change("withdraw", author=author, reason=reason, timestamp=timestamp) as tx:
        record = tx.require(record_id, None)
        if record.get("withdrawn"):
            raise InvalidRecord(f"{record_id} was already withdrawn on {record['withdrawn']}")
        title = record.get(KINDS[record["kind"]].title_field, "")
        tx.subject = f"withdraw {record_id}: {title}"
        tx.put(rules.withdraw(record, _today(timestamp).isoformat()))
        replaced = tx.get(record["supersedes"]) if record.get("supersedes") else None
        if replaced is not None and replaced.get("superseded_by") == record_id and not (
            replaced.get("withdrawn")
        ):
            was = [version["record"] for version in ledger.versions(replaced["id"])]
            tx.put(rules.back_in_force(replaced, was))
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
    _text(name, "name", one_line=True)
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


# ---- the registers: issues, assessments, grievances, remedies --------------------------------


def _dated(tx, kind_name: str, when: str | None, timestamp: int | None) -> str:
    year = int(when[:4]) if when else _today(timestamp).year
    return tx.next_id(kind_name, year)


def log_issue(
    ledger: Ledger,
    summary: str,
    *,
    reported: str,
    category: str,
    subcategory: str | None = None,
    rightsholder_group: str | None = None,
    actor: str | None = None,
    region: str | None = None,
    project: str | None = None,
    involvement: str | None = None,
    impact: int | None = None,
    likelihood: int | None = None,
    salient: bool | None = None,
    commitments: Sequence[str] = (),
    board_example: bool | None = None,
    response: str | None = None,
    lessons: str | None = None,
    sensitivity: str | None = None,
    allow_personal_data: bool = False,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record a human-rights issue (``HRI-YYYY-NNNN``, the year it was reported), anonymised;
    ``response`` (what was done) and ``lessons`` (what was learned) may follow later, with
    ``set_status`` or ``edit_record``."""
    parse_date(reported, "reported")
    record = {
        "kind": "issue", "id": "HRI-0000-0000", "summary": summary, "reported": reported,
        "category": category, "subcategory": subcategory,
        "rightsholder_group": rightsholder_group, "actor": actor, "region": region,
        "project": project, "involvement": involvement, "impact": impact,
        "likelihood": likelihood, "salient": salient, "status": "open",
        "commitments": list(commitments), "board_example": board_example,
        "response": response, "lessons": lessons, "sensitivity": sensitivity,
    }
    with ledger.change(
        "log issue", author=author, timestamp=timestamp, allow_personal_data=allow_personal_data
    ) as tx:
        tx.require(check_id(KINDS["category"], category), "category")
        record["id"] = _dated(tx, "issue", reported, timestamp)
        tx.subject = f"log issue {record['id']}: {category}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def set_status(
    ledger: Ledger,
    kind_name: str,
    record_id: str,
    status: str,
    *,
    note: str | None = None,
    changes: dict | None = None,
    command: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Move any record with a lifecycle (an issue, an assessment…) to ``status``, with optional
    other field ``changes`` in the same commit; the lifecycle is enforced."""
    kind = KINDS[kind_name]
    check_id(kind, record_id)
    if status not in kind.statuses:
        raise InvalidInput(
            f"{status!r} is not a {kind.name} {kind.status_field} (one of: "
            f"{', '.join(kind.statuses)})"
        )
    command = command or f"{kind.name} {kind.status_field}"
    with ledger.change(command, author=author, reason=note, timestamp=timestamp) as tx:
        record = dict(tx.require(record_id, kind.name))
        if record[kind.status_field] == status and not changes:
            raise InvalidRecord(f"{kind.name} {record_id} is already {status}")
        record[kind.status_field] = status
        record.update({k: v for k, v in (changes or {}).items() if v is not None})
        tx.subject = f"{command} {record_id}: {status}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def log_assessment(
    ledger: Ledger,
    title: str,
    *,
    subject: str,
    scope: str | None = None,
    trigger: str | None = None,
    assessor: str | None = None,
    phase: int | None = None,
    started: str | None = None,
    publication: str | None = None,
    next_due: str | None = None,
    commitments: Sequence[str] = (),
    sensitivity: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record a human rights impact assessment (``HRIA-YYYY-NN``), planned or under way."""
    _text(title, "title", one_line=True)
    for day, what in ((started, "started"), (next_due, "next_due")):
        if day is not None:
            parse_date(day, what)
    with ledger.change("log assessment", author=author, timestamp=timestamp) as tx:
        record = {
            "kind": "assessment", "id": _dated(tx, "assessment", started, timestamp),
            "title": title, "subject": subject, "scope": scope, "trigger": trigger,
            "assessor": assessor, "phase": phase, "started": started,
            "publication": publication, "next_due": next_due,
            "status": "in-progress" if started else "planned",
            "commitments": list(commitments), "sensitivity": sensitivity,
        }
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def add_finding(
    ledger: Ledger,
    assessment_id: str,
    finding: str,
    *,
    severity: str | None = None,
    milestones: Sequence[str] = (),
    commitment: str | None = None,
    due: str | None = None,
    owner: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Add a finding to an assessment; each title in ``milestones`` becomes a new milestone
    (of ``commitment``, due ``due``) that answers it, in the same commit."""
    check_id(KINDS["assessment"], assessment_id)
    check_text(finding, "the finding")
    if milestones and (commitment is None or due is None):
        raise InvalidInput("--milestone needs --commitment and --due for the milestones it creates")
    if due is not None:
        parse_date(due, "due")
    with ledger.change("assessment finding", author=author, timestamp=timestamp) as tx:
        assessment = dict(tx.require(assessment_id, "assessment"))
        created = []
        for title in milestones:
            _text(title, "milestones", one_line=True)
            served = tx.require(check_id(KINDS["commitment"], commitment), "commitment")
            milestone = tx.put({
                "kind": "milestone", "id": tx.next_id("milestone", _today(timestamp).year),
                "title": title, "commitment": commitment, "owner": owner or served.get("owner"),
                "due": due, "original_due": due, "status": "planned",
                "sensitivity": assessment.get("sensitivity"),
            })
            created.append(milestone["id"])
        findings = list(assessment.get("findings", []))
        findings.append({
            k: v
            for k, v in {
                "n": len(findings) + 1, "finding": finding, "severity": severity,
                "milestones": created,
            }.items()
            if v not in (None, [])
        })
        assessment["findings"] = findings
        tx.subject = f"assessment finding {assessment_id}: finding {len(findings)}"
        tx.put(assessment)
    return Written(tx.written, tx.commit, tx.warning)


def log_grievance(
    ledger: Ledger,
    *,
    channel: str,
    received: str,
    summary: str | None = None,
    issue: str | None = None,
    sensitivity: str | None = None,
    allow_personal_data: bool = False,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record a grievance received (``G-YYYY-NNNN``), anonymised; it starts at ``received``."""
    parse_date(received, "received")
    record = {
        "kind": "grievance", "id": "G-0000-0000", "channel": channel, "received": received,
        "stage": "received", "summary": summary, "issue": issue, "sensitivity": sensitivity,
    }
    with ledger.change(
        "log grievance", author=author, timestamp=timestamp,
        allow_personal_data=allow_personal_data,
    ) as tx:
        record["id"] = _dated(tx, "grievance", received, timestamp)
        tx.subject = f"log grievance {record['id']}: {channel}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def grievance_stage(
    ledger: Ledger,
    grievance_id: str,
    stage: str,
    *,
    on: str | None = None,
    outcome: str | None = None,
    note: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Move a grievance forward; ``acknowledged`` and ``closed`` record the day (``on``,
    default today); closing needs the ``outcome``."""
    day = on or _today(timestamp).isoformat()
    parse_date(day, "on")
    changes = {stage: day} if stage in ("acknowledged", "closed") else {}
    if stage == "closed":
        changes["outcome"] = outcome
    elif outcome is not None:
        raise InvalidInput("--outcome goes only with the closed stage")
    return set_status(
        ledger, "grievance", grievance_id, stage, note=note, changes=changes,
        command="grievance stage", author=author, timestamp=timestamp,
    )


def add_remedy(
    ledger: Ledger,
    remedy_type: str,
    provided: str,
    *,
    grievance: str | None = None,
    issue: str | None = None,
    provider: str | None = None,
    delivered_on: str | None = None,
    verified: bool | None = None,
    sensitivity: str | None = None,
    allow_personal_data: bool = False,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record a remedy provided for a grievance and/or an issue (``R-YYYY-NNNN``)."""
    if delivered_on is not None:
        parse_date(delivered_on, "delivered_on")
    record = {
        "kind": "remedy", "id": "R-0000-0000", "remedy_type": remedy_type,
        "provided": provided, "grievance": grievance, "issue": issue, "provider": provider,
        "delivered_on": delivered_on, "verified": verified, "sensitivity": sensitivity,
    }
    with ledger.change(
        "remedy add", author=author, timestamp=timestamp, allow_personal_data=allow_personal_data
    ) as tx:
        record["id"] = _dated(tx, "remedy", None, timestamp)
        tx.subject = f"remedy add {record['id']}: {remedy_type}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)


def update_remedy(
    ledger: Ledger,
    remedy_id: str,
    *,
    delivered_on: str | None = None,
    verified: bool | None = None,
    note: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Written:
    """Record that a remedy was delivered, or that its effect was verified."""
    check_id(KINDS["remedy"], remedy_id)
    if delivered_on is not None:
        parse_date(delivered_on, "delivered_on")
    if delivered_on is None and verified is None:
        raise InvalidInput("nothing to change: give --delivered-on or --verified")
    with ledger.change("remedy update", author=author, reason=note, timestamp=timestamp) as tx:
        record = dict(tx.require(remedy_id, "remedy"))
        if delivered_on is not None:
            record["delivered_on"] = delivered_on
        if verified is not None:
            record["verified"] = verified
        tx.subject = f"remedy update {remedy_id}: {record['remedy_type']}"
        tx.put(record)
    return Written(tx.written, tx.commit, tx.warning)
