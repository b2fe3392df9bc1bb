"""``hrgov import KIND FILE``: a secretary's existing spreadsheet, as one commit."""

import typer

from ._output import (
    FORMAT_OPTION,
    PERSONAL_DATA_OPTION,
    Format,
    emit_json,
    emit_rows,
    error,
    progress,
    say,
)

app = typer.Typer()


@app.command("import")
def import_(
    ctx: typer.Context,
    kind: str = typer.Argument(
        ...,
        metavar="KIND",
        help="The kind of the records, e.g. departments, meetings, decisions, milestones, "
        "issues, grievances.",
    ),
    file: str = typer.Argument(
        ..., metavar="FILE", help="The CSV file (UTF-8, a header row of field names); - for stdin."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check every row and show what would be written; write nothing."
    ),
    update: bool = typer.Option(
        False, "--update", help="Let rows whose id exists replace that record's given fields."
    ),
    reason: str | None = typer.Option(
        None,
        "--reason",
        help="Why: kept in the commit, and the reason of every due-date move of a row without "
        "its own 'reason' cell. Needed when rows change a commitment's owner or a due date.",
    ),
    allow_personal_data: bool = PERSONAL_DATA_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Import the records of one kind from a CSV file, as one commit.

    The header row names the kind's fields (see: hrgov list KIND --format csv); id may be left
    out for dated kinds and is then assigned as the log commands do. Several values in one
    cell (commitments, attendees, evidence) are separated by ';'; yes/no fields take
    true/false, yes/no or 1/0; an empty cell leaves the field out. Every row is checked first:
    if any is wrong, each bad line is listed and nothing is written (exit 2). The same rules
    as the commands' apply: with --update, a new due date is a slip with its reason (a
    'reason' column, or --reason), an original due date never changes, a new owner needs
    --reason, a status moves only as its lifecycle allows.

    Prints the ids written, one per line (--format json: the records).

    Example:

      \b
      hrgov import decisions decisions-2025.csv --dry-run

      \b
      hrgov import decisions decisions-2025.csv

      \b
      hrgov import milestones - --update --reason "Replanned at the March meeting" < milestones.csv
    """
    from hrgov.importing import ImportFailed, import_csv

    try:
        result = import_csv(
            ctx.obj.open_ledger(),
            kind,
            file,
            dry_run=dry_run,
            update=update,
            reason=reason,
            allow_personal_data=allow_personal_data,
            author=ctx.obj.author,
            progress=progress(ctx, "rows checked:"),
        )
    except ImportFailed as failed:
        for line in failed.lines():
            error(line)
        raise typer.Exit(2) from None
    if fmt is Format.json:
        emit_json(result.records)
    elif fmt is Format.csv:
        emit_rows(result.records, ["id"], fmt, records=result.records)
    else:
        for record_id in result.ids:
            typer.echo(record_id)
    if result.dry_run:
        typer.echo(f"Dry run, nothing written: would import {result.summary()}", err=True)
    else:
        say(ctx, f"Imported {result.summary()} in commit {result.commit[:10]}")
    if result.warning:
        typer.echo(f"hrgov: warning: {result.warning}", err=True)

