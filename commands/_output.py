"""Rendering for every command: tables for people, JSON and CSV for scripts, one-line errors.

``--format json`` output is the stable contract: record objects exactly as in their files.
"""

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum

import typer

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


def _cell(value) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | dict):
        if value and all(isinstance(v, str) for v in value):
            return ", ".join(value)
        return json.dumps(value, ensure_ascii=False)
    return str(value)


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
            writer.writerow({k: _cell(row.get(k)) for k in fields})
        return
    if not rows:
        typer.echo(empty, err=True)
        return
    from tabulate import tabulate

    table = [[_shorten(_cell(row.get(c)), width) for c in columns] for row in rows]
    typer.echo(tabulate(table, headers=list(columns), tablefmt="simple"))


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
