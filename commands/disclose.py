"""``hrgov disclose``: a reporting framework's questions answered from the ledger."""

from pathlib import Path

import typer

from hrgov.errors import InvalidInput

from ._output import FORMAT_OPTION, Format, emit_json, emit_written, options_typed, say

app = typer.Typer()


@app.command()
def disclose(
    ctx: typer.Context,
    framework: str = typer.Option(
        ..., "--framework", help="ungprf (UN Guiding Principles Reporting Framework), esrs "
        "(ESRS S1–S4) or csddd (EU due-diligence directive).", show_default=False,
    ),
    year: int | None = typer.Option(
        None, "--year", metavar="YYYY", help="The reporting year starting in YYYY.",
        show_default=False,
    ),
    start: str | None = typer.Option(None, "--from", metavar="YYYY-MM-DD",
                                     help="First day of the period.", show_default=False),
    end: str | None = typer.Option(None, "--to", metavar="YYYY-MM-DD",
                                   help="Last day of the period (included).",
                                   show_default=False),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="REV|DATE",
        help="The ledger as it was then: a date (end of that day, UTC) or a git revision.",
        show_default=False,
    ),
    out: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE.md|FILE.docx|FILE.xlsx",
        help="Where to write the disclosure: .md, .docx, or .xlsx (a sheet of questions and "
        "one for the UNGP 31 scorecard).", show_default=False,
    ),
    fmt: str = typer.Option(
        "text", "--format", help="json: print every answer as JSON on stdout.",
        show_default=False,
    ),
) -> None:
    """Answer a reporting framework from the ledger: for each question, the evidence (counts,
    lists, the records cited by title and id), whether it is answered, partly answered or not
    evaluable (and what is missing), and the ledger commit. Restricted records are counted,
    never described. The grievance mechanism is scored against UNGP 31.

    Example:

      \b
      hrgov disclose --framework ungprf --year 2026 -o ungprf-2026.md

      \b
      hrgov disclose --framework csddd --from 2026-01-01 --to 2026-06-30 --format json

      \b
      hrgov disclose --framework esrs --year 2026 -o esrs-2026.xlsx
    """
    from hrgov.briefing.data import choose_period
    from hrgov.disclosure import disclose as answer

    if fmt not in ("text", "json"):
        raise InvalidInput(f"--format {fmt!r}: choose text or json")
    if out is None and fmt != "json":
        raise InvalidInput("say where the answers go: -o FILE.md|FILE.docx|FILE.xlsx, or "
                           "--format json")
    ledger = ctx.obj.open_ledger()
    year_start = ledger.settings().get("ledger.reporting_year_start", "01-01")
    period = choose_period(year, start, end, year_start)
    with options_typed(as_of="--as-of"):
        done = answer(ledger, framework, start=period.start, end=period.end,
                      as_of=as_of, out_path=out, year=period.year)
    if fmt == "json":
        emit_json(done)
    elif out is not None:
        typer.echo(done["path"])
    summary = done["summary"]
    say(ctx, f"{summary['answered']} answered, {summary['partly']} partly, "
        f"{summary['not evaluable']} not evaluable, from ledger commit {done['commit'][:10]}.")


@app.command("framework-ref")
def framework_ref(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Any record's id."),
    refs: list[str] = typer.Argument(
        ..., metavar="FRAMEWORK:QUESTION...",
        help="Questions it answers: ungprf:C4, esrs:S1-3, 'csddd:Art. 13'.",
    ),
    remove: bool = typer.Option(False, "--remove", help="Remove these references instead."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Mark a record as answering framework questions: hrgov disclose then cites it under each
    (restricted records are counted there, never cited). A reference that names no question of
    the frameworks is refused.

    Example:

      \b
      hrgov framework-ref D-2026-0001 ungprf:C4 esrs:S1-4

      \b
      hrgov framework-ref D-2026-0001 esrs:S1-4 --remove
    """
    from hrgov import evidence

    written = evidence.refer(ctx.obj.open_ledger(), record_id, refs, remove=remove,
                             author=ctx.obj.author)
    emit_written(ctx, written, fmt)
