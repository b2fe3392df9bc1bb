"""Rendering for every command: tables for people, JSON and CSV for scripts, one-line errors.

``--format json`` output is the stable contract: record objects exactly as in their files.
"""

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum

import typer

from hrgov import spreadsheet
from hrgov.errors import HrgovError, InvalidInput


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(
    Format.table,
    "--format",
    "-f",
    case_sensitive=False,
    help="table for people; json or csv for scripts (json is the stable contract).",
)


@contextmanager
def options_typed(**flags: str) -> Iterator[None]:
    """Say the library's errors about a field with the option the user typed, where the two
    are named differently (the command line matches the others by name)::

        with options_typed(as_of="--at"):
            ...  # UnknownState("as_of", "x", …) becomes "--at 'x' is neither a date…"
    """
    try:
        yield
    except HrgovError as error:
        if error.field not in flags:
            raise
        raise InvalidInput(error.worded(flags[error.field])) from None


def examples(*lines: str) -> str:
    """A command group's epilog: its example lines, kept as written (click's ``\\b``)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines) + "\n"


def choices(kind: str, field: str, only: Sequence[str] = ()) -> type[StrEnum]:
    """The values the model declares for a field (``only`` those, if given), as the Enum an
    option or argument is typed with: help lists them, a typo is refused with the list, and
    shells complete them::

        status: choices("milestone", "status") | None = typer.Option(None, "--status")
    """
    from hrgov.model import KINDS, SENSITIVITY_FIELD

    spec = SENSITIVITY_FIELD if field == "sensitivity" else KINDS[kind].field(field)
    values = [value for value in spec.choices if not only or value in only]
    return StrEnum(f"{kind.title()}{field.title()}", [(value, value) for value in values])


Sensitivity = choices("record", "sensitivity")
SENSITIVITY_OPTION = typer.Option(
    None, "--sensitivity", help="Who may see it: public, internal (default) or restricted."
)
FRAMEWORK_REF_OPTION = typer.Option(
    [], "--framework-ref", metavar="FRAMEWORK:QUESTION",
    help="A framework question it answers, e.g. ungprf:C4 (repeat); hrgov disclose cites it "
    "there.",
)
PERSONAL_DATA_OPTION = typer.Option(
    False, "--allow-personal-data",
    help="Accept text that looks like an email address or phone number (never a person's).",
)


def is_tty(stream=None) -> bool:
    return (stream or sys.stdout).isatty() and os.environ.get("TERM") != "dumb"


def progress(ctx: typer.Context, what: str):
    """A progress report for long work, ``report(done, total)``, shown on a terminal only and
    not with ``--quiet``: ``  checked 1,000/100,000 rows``; ``None`` elsewhere."""
    if (ctx.obj and ctx.obj.quiet) or not is_tty(sys.stderr):
        return None

    def report(done: int, total: int) -> None:
        typer.echo(f"\r  {what} {done:,}/{total:,}", err=True, nl=done == total)

    return report


def error(message: str) -> None:
    """Print ``hrgov: error: <message>`` on stderr."""
    typer.echo(f"hrgov: error: {message}", err=True)


def say(ctx: typer.Context, message: str) -> None:
    """A note for people about what changed, on stderr; ``--quiet`` silences it."""
    if not (ctx.obj and ctx.obj.quiet):
        typer.echo(message, err=True)


LIST_SEPARATOR = "; "  # as hrgov import reads lists back


def _cell(value) -> str:
    """A value as plain text: lists joined by "; ", a slip or a change in words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(item) for item in value)
    if isinstance(value, dict):
        return _structured(value)
    return str(value)


def _structured(value: dict) -> str:
    if {"from", "to", "on"} <= set(value):  # a slip
        return f"{value['from']} → {value['to']} ({value['on']}): {value.get('reason', '')}"
    if {"field", "old", "new"} <= set(value):  # a change in a record's history
        return f"{value['field']}: {_cell(value['old']) or '∅'} → {_cell(value['new']) or '∅'}"
    return ", ".join(f"{key}: {_cell(item)}" for key, item in value.items())


def csv_cell(value) -> str:
    """A CSV cell: plain text, and never a formula (a leading ``=``, ``+``, ``-``, ``@``, tab
    or carriage return is escaped with a single quote, as OWASP advises).

    >>> csv_cell(["ongoing-hrdd", "periodic-hria"]), csv_cell("=1+1")
    ('ongoing-hrdd; periodic-hria', "'=1+1")
    """
    return spreadsheet.escaped(_cell(value))


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def emit_json(value) -> None:
    import json

    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


def emit_rows(
    rows: Sequence[dict],
    columns: Sequence[str],
    fmt: Format,
    *,
    records: Sequence | None = None,
    empty: str = "nothing to show",
    width: int = 60,
) -> None:
    """Print ``rows`` as a table (``columns`` only) or CSV; JSON prints ``records`` (the full
    objects) when given, else the rows."""
    if fmt is Format.json:
        emit_json(list(records if records is not None else rows))
        return
    if fmt is Format.csv:
        import csv

        fields = list(columns) if records is None else _all_fields(records)
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in records if records is not None else rows:
            writer.writerow({k: csv_cell(row.get(k)) for k in fields})
        return
    if not rows:
        typer.echo(empty, err=True)
        return
    from tabulate import tabulate

    cells = [[" ".join(_cell(row.get(c)).split()) for c in columns] for row in rows]
    widths = fitted_widths(list(columns), cells, terminal_width(), most=width)
    table = [[_shorten(text, w) for text, w in zip(row, widths, strict=True)] for row in cells]
    typer.echo(tabulate(table, headers=list(columns), tablefmt="simple"))


def terminal_width() -> int | None:
    """The width tables must fit: the terminal's (or ``$COLUMNS``); ``None`` into a file."""
    import shutil

    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    return shutil.get_terminal_size().columns if is_tty() else None


def fitted_widths(
    headers: list[str], rows: list[list[str]], total: int | None, *, most: int = 60,
    least: int = 6,
) -> list[int]:
    """Column widths for a table that fits ``total`` characters (two between columns): the
    widest columns give way first, none below ``least`` or its header; the first (the id)
    keeps a third of the width.

    >>> fitted_widths(["id", "title"], [["D-2026-0001", "x" * 90]], 40)
    [11, 27]
    """
    # tabulate gives a header two characters more than its text
    heads = [len(h) + 2 for h in headers]
    widths = [
        max(min(most, max([0, *(len(row[i]) for row in rows)])), heads[i])
        for i in range(len(headers))
    ]
    if total is None:
        return widths
    floor = [max(least, head) for head in heads]
    floor[0] = min(widths[0], max(floor[0], total // 3))  # the id, to copy: gives way last
    while sum(widths) + 2 * (len(widths) - 1) > total:
        wide = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
        if widths[wide] <= floor[wide]:
            break  # as narrow as it goes: the terminal wraps the rest
        widths[wide] -= 1
    return widths


def _all_fields(records: Iterable[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for record in records:
        for key in record:
            seen.setdefault(key, None)
    first = [key for key in ("id", "kind") if key in seen]
    return first + [key for key in seen if key not in first]


def emit_record(record: dict, fmt: Format) -> None:
    """One record: field/value lines for people, a one-element array for JSON."""
    if fmt is not Format.table:
        emit_rows([record], list(record), fmt, records=[record])
        return
    from tabulate import tabulate

    rows = []
    for key in ("id", "kind", *sorted(k for k in record if k not in ("id", "kind"))):
        value = record[key]
        if key == "slips":
            value = "\n".join(f"{s['from']} → {s['to']} ({s['on']}): {s['reason']}" for s in value)
        elif isinstance(value, list):
            value = "\n".join(map(str, value))
        rows.append([key, _cell(value)])
    typer.echo(tabulate(rows, tablefmt="plain"))


def emit_written(ctx: typer.Context, written, fmt: Format) -> None:
    """After a write: the new id on stdout (or the records as JSON); the commit on stderr."""
    if fmt is Format.json:
        emit_json(written.records)
    else:
        typer.echo(written.records[-1]["id"])
    ids = ", ".join(r["id"] for r in written.records)
    say(ctx, f"Committed {written.commit[:10]} ({ids})")
    if written.warning:
        typer.echo(f"hrgov: warning: {written.warning}", err=True)
