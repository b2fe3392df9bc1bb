"""Import a spreadsheet (CSV) of records of one kind into the ledger, as one commit or nothing.

The CSV is the secretary's existing spreadsheet: UTF-8 (with or without a byte-order mark), a
header row of field names, one record per row. Everything is derived from ``model.KINDS``, so
any kind declared there can be imported::

    title,date,status,commitments,owner
    Adopt human-rights screening,2026-03-04,adopted,ongoing-hrdd;follow-ungps,legal

    >>> result = import_csv(ledger, "decisions", "decisions.csv")  # doctest: +SKIP
    >>> result.ids, result.commit[:10]  # doctest: +SKIP
    (['D-2026-0001'], '3f2a9c1e0b')

The rules, column by column:

- ``id`` is optional for dated kinds: a missing id is assigned as the commands assign it (a
  meeting's from its date, ``MTG-2026-03-04``; other dated ids take the year of the kind's date
  field when it has one, else the current year). Slug kinds (departments…) need it.
- ``links`` and ``lines`` fields hold several values separated by ``;`` (ids may also be
  separated by ``,``, as ``hrgov list … --format csv`` writes them); ``bool`` fields accept
  true/false, yes/no, 1/0; ``int`` fields a whole number; structured fields (``slips``,
  ``findings``) a JSON array; an empty cell means the field is absent.
- A ``kind`` column is allowed when it names the kind being imported; a ``reason`` column
  gives the reason of the row's change (the slip of a due date it moves).
- Every row is checked before anything is written: that it reads as a record of the kind
  (``model.validate``), that a new id is free, and — in the unit of work, as for every other
  change — the rule book (``hrgov.rules``: links resolve, in the ledger or the same file;
  lifecycles; fields that never change; reasons; no contact details about people unless
  ``allow_personal_data``). All the problems are collected, one entry per bad row with its
  line number in the file (the header is line 1), and raised together as ``ImportFailed``.
- New records only, unless ``update=True``: then a row whose id exists replaces that record's
  given fields and keeps the others; a new due date becomes a slip, as ``milestone update``
  makes it.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from hrgov import queries, rules, spreadsheet
from hrgov.errors import InvalidInput
from hrgov.ledger import Ledger
from hrgov.model import (
    KINDS,
    SENSITIVITY_FIELD,
    Field,
    Kind,
    check_id,
    check_text,
    format_dated_id,
    kind_named,
    meeting_id,
    missing_fields,
    new_record_defaults,
    parse_date,
    validate,
)

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
LIST_SEPARATOR = ";"
ENVELOPE = ("id", "kind")
REASON = "reason"  # a column that is no field: why this row changes its record


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one line of the file (the header is line 1)."""

    line: int
    message: str


class ImportFailed(InvalidInput):
    """Some rows of the file are wrong; nothing was written. ``lines()`` lists them all."""

    def __init__(self, source: str, problems: Iterable[RowProblem]):
        self.source = source
        self.problems = sorted(problems, key=lambda p: p.line)
        first = self.problems[0]
        more = len(self.problems) - 1
        tail = f" (and {more} more bad row{'s' * (more > 1)})" if more else ""
        super().__init__(f"{source} line {first.line}: {first.message}{tail}")

    def lines(self) -> list[str]:
        """One line per bad row: ``FILE line N: what is wrong``."""
        return [f"{self.source} line {p.line}: {p.message}" for p in self.problems]


@dataclass
class ImportResult:
    """What an import wrote (or, with ``dry_run``, would write)."""

    kind: Kind
    records: list[dict]
    lines: list[int] = field(default_factory=list)  # each record's line in the file
    problems: list[RowProblem] = field(default_factory=list)  # rows that are not records
    reasons: dict[str, str] = field(default_factory=dict)  # id → its row's reason cell
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    commit: str | None = None
    dry_run: bool = False
    warning: str | None = None  # the commit stands, but the next command must finish it

    @property
    def ids(self) -> list[str]:
        return [r["id"] for r in self.records]

    def summary(self) -> str:
        """Counts for people: ``3 new decisions``, ``1 updated decision, 2 unchanged``."""
        parts = []
        for count, what in ((len(self.created), "new"), (len(self.updated), "updated")):
            if count:
                parts.append(f"{count} {what} {self.kind.name if count == 1 else self.kind.plural}")
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} unchanged")
        return ", ".join(parts) or f"no {self.kind.plural}"


@dataclass
class Table:
    """A parsed CSV: its normalised column names and its rows with their line numbers."""

    source: str
    name: str  # the file's name, for the commit's reason
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def import_csv(
    ledger: Ledger,
    kind: str | Kind,
    source: str | Path | IO,
    *,
    dry_run: bool = False,
    update: bool = False,
    reason: str | None = None,
    allow_personal_data: bool = False,
    author: str | None = None,
    timestamp: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the records of ``kind`` held in the CSV ``source`` as one commit.

    :param kind: the kind's name, singular or plural (``"decisions"``), or a ``Kind``.
    :param source: a path, ``"-"`` for standard input, or an open file (text or binary).
    :param dry_run: check everything and return what would be written; write nothing.
    :param update: let rows whose id exists replace that record's given fields.
    :param reason: why (the commit's ``Hrgov-Reason``); needed when rows change a field that
        changes only with a reason (a commitment's owner), and the reason of every due-date
        move that has no ``reason`` cell of its own.
    :param allow_personal_data: accept text that looks like contact details in the kinds whose
        commands refuse it (issues, grievances, remedies).
    :param author: "Name <email>" (default ``HRGOV_AUTHOR``, else git's user config).
    :param progress: called with (rows staged, rows) as the rows are checked and staged.
    :raises ImportFailed: listing every bad row; nothing is written.

    ::

        result = import_csv(ledger, "meetings", "meetings.csv", dry_run=True)
        print(result.summary())   # 12 new meetings
    """
    spec = kind if isinstance(kind, Kind) else kind_named(kind)
    table = read_table(source, spec, update=update)
    today = _today(timestamp)
    with ledger.change(
        "import", author=author, reason=reason, timestamp=timestamp,
        allow_personal_data=allow_personal_data, dry_run=dry_run,
    ) as tx:
        result = plan(tx.conn, spec, table, update=update, today=today, reason=reason)
        noun = spec.name if len(result.records) == 1 else spec.plural
        tx.subject = f"import {len(result.records)} {noun} from {table.name}"
        problems = list(result.problems)
        lines: dict[str, int] = {}
        for n, line in enumerate(result.lines):
            record_id = result.records[n]["id"]
            lines[record_id] = line
            try:
                result.records[n] = tx.put(result.records[n], reason=result.reasons.get(record_id))
            except InvalidInput as error:
                problems.append(RowProblem(line, _unlabelled(str(error), spec, record_id)))
            if progress is not None and (n % 1000 == 999 or n + 1 == len(result.lines)):
                progress(n + 1, len(result.lines))
        problems += [
            RowProblem(lines.get(broken.record_id, 2), str(broken)) for broken in tx.broken()
        ]
        if problems:
            raise ImportFailed(table.source, _by_line(problems))
    result.commit = tx.commit
    result.warning = tx.warning
    result.dry_run = dry_run
    return result


# ---- reading the file ---------------------------------------------------------------------


def read_table(source: str | Path | IO, kind: Kind, *, update: bool = False) -> Table:
    """Read and check the CSV's header; ``ImportFailed`` (line 1) if it does not fit ``kind``."""
    label, name, data = _read(source)
    text = _decode(data, label)
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportFailed(label, [RowProblem(1, f"not a readable CSV header ({error})")]) from None
    if not header or not any(cell.strip() for cell in header):
        raise ImportFailed(label, [RowProblem(1, "no header row: the file is empty")])
    columns = [cell.strip().lower() for cell in header]
    _check_header(label, kind, columns, header, update=update)
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(RowProblem(line, f"not readable as CSV ({error})"))
            break
        if any(cell.strip() for cell in cells):
            extra = [c for c in cells[len(columns) :] if c.strip()]
            unnamed = [
                i + 1
                for i, (column, cell) in enumerate(zip(columns, cells, strict=False))
                if not column and cell.strip()
            ]
            if extra:
                problems.append(
                    RowProblem(
                        line,
                        f"{len(cells)} cells but the header names {len(columns)} columns "
                        "(a comma too many, or a cell that should be quoted?)",
                    )
                )
            elif unnamed:
                where = ", ".join(map(str, unnamed))
                problems.append(RowProblem(line, f"a value in column {where}, which has no name"))
            else:
                rows.append(
                    (line, {c: spreadsheet.unescaped(v)
                            for c, v in zip(columns, cells, strict=False) if c and v.strip()})
                )
        line = reader.line_num + 1
    if problems:
        raise ImportFailed(label, problems)
    return Table(label, name, [c for c in columns if c], rows)


def _read(source: str | Path | IO) -> tuple[str, str, bytes | str]:
    """(label for messages, file name for the commit, content)."""
    if isinstance(source, str | Path):
        if str(source) == "-":
            return "stdin", "stdin", _read_stream(sys.stdin)
        path = Path(source)
        try:
            return str(source), path.name, path.read_bytes()
        except OSError as error:
            raise InvalidInput(f"cannot read {source}: {error.strerror}") from None
    label = str(getattr(source, "name", "") or "stdin")
    return label, Path(label).name, _read_stream(source)


def _read_stream(stream: IO) -> bytes | str:
    buffer = getattr(stream, "buffer", None)  # a text stream over bytes: read the bytes
    return (buffer or stream).read()


def _decode(data: bytes | str, label: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFailed(
            label,
            [RowProblem(line, "not UTF-8 text (save the spreadsheet as 'CSV UTF-8')")],
        ) from None


def _check_header(label: str, kind: Kind, columns: list[str], header, *, update: bool) -> None:
    known = _columns(kind)
    problems = []
    unknown = [raw.strip() for raw, c in zip(header, columns, strict=True) if c and c not in known]
    if unknown:
        problems.append(
            f"unknown column{'s' * (len(unknown) > 1)} {', '.join(map(repr, unknown))} "
            f"({kind.plural} have: {', '.join(known)})"
        )
    named = [c for c in columns if c]
    twice = sorted({c for c in named if named.count(c) > 1})
    if twice:
        problems.append(f"column{'s' * (len(twice) > 1)} {', '.join(twice)} given twice")
    if not kind.dated and "id" not in columns:
        problems.append(
            f"an id column is needed: {kind.plural} have lower-case slug ids such as "
            "'trust-and-safety'"
        )
    if not update:
        defaulted = new_record_defaults(kind.name, dict.fromkeys(columns, ""))
        missing = [
            f.name
            for f in kind.fields
            if f.required and f.name not in columns and f.name not in defaulted
        ]
        if missing:
            problems.append(
                f"missing column{'s' * (len(missing) > 1)} {', '.join(missing)} (required for "
                f"every {kind.name})"
            )
    if problems:
        raise ImportFailed(label, [RowProblem(1, "; ".join(problems))])


def _columns(kind: Kind) -> list[str]:
    return [*ENVELOPE, *(f.name for f in kind.fields), SENSITIVITY_FIELD.name, REASON]


# ---- checking the rows ----------------------------------------------------------------------


def plan(
    conn, kind: Kind, table: Table, *, update: bool, today: date, reason: str | None = None
) -> ImportResult:
    """Work out the records the rows give, with their ids: new records take the defaults the
    commands give; with ``update``, a row whose id exists replaces that record's given fields
    (a due date moves by a slip, its reason the row's ``reason`` cell, else ``reason``).
    Whether the records may be written is the rule book's to say, in the unit of work.
    Rows that cannot be read as a record are left out and listed in ``problems``."""
    problems: dict[int, list[str]] = defaultdict(list)
    fields = {f.name: f for f in (*kind.fields, SENSITIVITY_FIELD)}
    parsed: list[tuple[int, dict, set[str]]] = []  # line, values, the columns it fills
    explicit: dict[str, int] = {}  # id given in the file → its line
    for line, cells in table.rows:
        values: dict = {}
        for column, text in cells.items():
            try:
                if column == "kind":
                    if kind_named(text.strip()) is not kind:
                        raise InvalidInput(f"kind {text.strip()!r}: this file is {kind.plural}")
                elif column == "id":
                    values["id"] = check_id(kind, text.strip())
                elif column == REASON:
                    values[REASON] = check_text(text.strip(), REASON)
                else:
                    values[column] = convert(fields[column], text)
            except InvalidInput as error:
                problems[line].append(str(error))
        record_id = values.get("id")
        if record_id is not None:
            if record_id in explicit:
                problems[line].append(f"{record_id} is also on line {explicit[record_id]}")
            else:
                explicit[record_id] = line
        parsed.append((line, values, set(cells)))

    ids = _Ids(conn, kind, explicit, today)
    rows = []
    for line, values, filled in parsed:
        record_id = values.pop("id", None)
        if record_id is None and not problems[line]:
            # an id is assigned only to a row whose fields are right: it may need its date
            record_id = ids.assign(values, problems[line])
        rows.append((line, values, filled, record_id))
    existing = queries.get_many(conn, (row[3] for row in rows if row[3] is not None))
    result = ImportResult(kind, [])
    for line, values, filled, record_id in rows:
        cell_reason = values.pop(REASON, None)
        row_reason = cell_reason or reason
        if record_id is None or problems[line]:
            if record_id is None or record_id not in existing:
                defaulted = {**new_record_defaults(kind.name, values), **values}
                problems[line] += [
                    f"{name} is required"
                    for name in missing_fields(kind, defaulted)
                    if name not in filled
                ]
            continue
        old = existing.get(record_id)
        if old is not None and old["kind"] != kind.name:
            problems[line].append(f"{record_id} is already the id of a {old['kind']}")
            continue
        if old is not None and not update:
            problems[line].append(
                f"{kind.name} {record_id} already exists (to change it, import with --update)"
            )
            continue
        if old is None:
            record = {**new_record_defaults(kind.name, values), **values}
            problems[line] += [f"{name} is required" for name in missing_fields(kind, record)]
            if problems[line]:
                continue
        else:
            record = _updated(old, values, row_reason, today)
        record.update(kind=kind.name, id=record_id)
        if old is None:
            result.created.append(record_id)
        elif _same(record, old):
            result.unchanged.append(record_id)
            continue
        else:
            result.updated.append(record_id)
        result.records.append(record)
        result.lines.append(line)
        if cell_reason:
            result.reasons[record_id] = cell_reason
    result.problems = [RowProblem(line, msg) for line, found in problems.items() for msg in found]
    if not table.rows:
        raise InvalidInput(f"{table.source} has a header but no rows: nothing to import")
    if not result.records and not result.problems:
        raise InvalidInput(
            f"nothing to change: every row of {table.source} is already as given in the ledger"
        )
    return result


def _updated(old: dict, values: dict, reason: str | None, today: date) -> dict:
    """``old`` with a row's ``values``, moved as the commands move it: a new due date is a
    slip with the row's reason (the rule book refuses one without), a new status brings the
    fields that go with it (a reopened milestone loses its done date)."""
    kind = KINDS[old["kind"]]
    record = dict(old)
    status = values.get(kind.status_field)
    if kind.moves and status is not None and status != old.get(kind.status_field):
        on = values.get("done_on") or today.isoformat()
        record = rules.set_status(kind, record, status, on=on)
    due = values.get("due")
    if kind.name == "milestone" and due is not None and due != old["due"]:
        record = rules.move_due(record, due, reason or "", today.isoformat())
    record.update(values)
    return record


def _same(record: dict, old: dict) -> bool:
    try:
        return validate(record) == old
    except InvalidInput:
        return False


def convert(spec: Field, text: str):
    """The value a CSV cell holds for a field, by the field's type (``InvalidInput`` if it
    cannot be one). Empty cells never reach here: they mean the field is absent."""
    name = spec.name
    value = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if spec.type in ("line", "text"):
        return check_text(value, name, one_line=spec.type == "line")
    if spec.type == "date":
        parse_date(value, name)
        return value
    if spec.type == "bool":
        word = value.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise InvalidInput(f"{name} {value!r} is not true/false, yes/no or 1/0")
    if spec.type == "choice":
        if value in spec.choices or value.lower() in spec.choices:
            return value if value in spec.choices else value.lower()
        raise InvalidInput(f"{name} {value!r} is not one of: {', '.join(spec.choices)}")
    if spec.type == "link":
        return check_id(KINDS[spec.link], value)
    if spec.type == "links":
        items = [i.strip() for i in value.replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR)]
        items = [check_id(KINDS[spec.link], i) for i in items if i]
        if len(set(items)) != len(items):
            raise InvalidInput(f"{name} lists an id twice")
        return items
    if spec.type == "lines":
        items = [i.strip() for i in value.split(LIST_SEPARATOR)]
        return [check_text(i, name, one_line=True) for i in items if i]
    if spec.type == "int":
        try:
            return int(value)
        except ValueError:
            choices = f", one of: {', '.join(spec.choices)}" if spec.choices else ""
            raise InvalidInput(f"{name} {value!r} is not a whole number{choices}") from None
    # structured fields (a milestone's slips, an assessment's findings, any later type) are
    # written as JSON; the model then checks their shape
    if value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{name} is not valid JSON ({error.msg})") from None
    if spec.type in ("slips", "findings"):
        raise InvalidInput(f"{name} must be a JSON array of objects")
    return value


def _by_line(problems: list[RowProblem]) -> list[RowProblem]:
    """One problem per line, naming all that is wrong with it."""
    found: dict[int, list[str]] = defaultdict(list)
    for problem in problems:
        found[problem.line].append(problem.message)
    return [RowProblem(line, "; ".join(said)) for line, said in found.items()]


def _unlabelled(message: str, kind: Kind, record_id: str) -> str:
    """``validate``'s messages start with ``decision D-2026-0001: ``; a line number says where."""
    return message.removeprefix(f"{kind.name} {record_id}: ")


class _Ids:
    """Assigns the ids of new rows of a dated kind as the commands do: numbers follow the
    highest of that kind and year, in the ledger or given in the file."""

    def __init__(self, conn, kind: Kind, explicit: dict[str, int], today: date):
        self.conn = conn
        self.kind = kind
        self.today = today
        self.taken = set(explicit)
        self.numbers: dict[int, int] = {}

    def assign(self, values: dict, problems: list[str]) -> str | None:
        kind = self.kind
        if not kind.dated:
            problems.append(f"id is required ({kind.plural} have lower-case slug ids)")
            return None
        day = values.get(kind.date_field) if kind.date_field else None
        if kind.name == "meeting":
            if day is None:  # a required date is reported as missing with the other fields
                if not kind.field(kind.date_field).required:
                    problems.append(f"{kind.date_field} is needed: the meeting's id carries it")
                return None  # MTG-<date>, then -2, -3… for more that day
            taken = self.taken | set(queries.meeting_ids_on(self.conn, day))
            record_id = meeting_id(day, taken)
        else:
            year = int(day[:4]) if day else self.today.year
            if year not in self.numbers:  # as tx.next_id: after the highest, here or staged
                prefix = f"{kind.id_prefix}-{year:04d}-"
                given = [int(i[len(prefix) :]) for i in self.taken if i.startswith(prefix)]
                self.numbers[year] = max(
                    [queries.highest_number(self.conn, kind, year), *given]
                )
            self.numbers[year] += 1
            record_id = format_dated_id(kind, year, self.numbers[year])
        self.taken.add(record_id)
        return record_id


def _today(timestamp: int | None) -> date:
    if timestamp is None:
        return date.today()
    return datetime.fromtimestamp(timestamp, UTC).date()
