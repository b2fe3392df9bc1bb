"""``hrgov brief|agenda|report``: the Board briefing, the committee agenda, the public report."""

from pathlib import Path

import typer

from hrgov.errors import InvalidInput

from ._output import options_typed, say

app = typer.Typer()

YEAR = typer.Option(
    None, "--year", metavar="YYYY",
    help="The reporting year starting in YYYY (its first day is ledger.reporting_year_start "
    "in hrgov.toml).", show_default=False,
)
FROM = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="First day of the period.",
                    show_default=False)
TO = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="Last day of the period (included).",
                  show_default=False)
AS_OF = typer.Option(
    None, "--as-of", metavar="REV|DATE",
    help="The ledger as it was then: a date (end of that day, UTC) or a git revision. "
    "Default: now.", show_default=False,
)


def _period(ledger, year, start, end):
    from hrgov.briefing.data import choose_period

    year_start = ledger.settings().get("ledger.reporting_year_start", "01-01")
    return choose_period(year, start, end, year_start)


@app.command()
def brief(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--output", "-o", metavar="FILE.docx",
                             help="Where to write the briefing (a .docx file).",
                             show_default=False),
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    as_of: str | None = AS_OF,
    template: Path | None = typer.Option(
        None, "--template", metavar="FILE.docx",
        help="A restyled copy of the built-in Word template.", show_default=False,
    ),
    since: str | None = typer.Option(
        None, "--since-briefing", metavar="REV",
        help="The ledger commit the last briefing was built from (in its footer): list what "
        "changed since.", show_default=False,
    ),
    pdf: bool = typer.Option(
        False, "--pdf",
        help="Also write a tagged PDF/A beside the .docx (same name, .pdf), laid out by "
        "LibreOffice, which must be installed.",
    ),
    workbook: Path | None = typer.Option(
        None, "--workbook", metavar="FILE.xlsx",
        help="Also write the figures behind the paper, in full, one sheet per table "
        "(commitments, overdue milestones, moves, issues by quarter…).", show_default=False,
    ),
    status_date: str | None = typer.Option(
        None, "--status-date", metavar="YYYY-MM-DD",
        help="The day milestones are overdue or not at (default: today, or the day --as-of "
        "names). Annex C of a briefing gives the command that rebuilds it with its own.",
        show_default=False,
    ),
) -> None:
    """Write the Board briefing: a Word document built from the ledger, with the commit it came
    from in every footer.

    Example:

      \b
      hrgov brief --year 2026 -o board-2026.docx

      \b
      hrgov brief --from 2026-01-01 --to 2026-06-30 --as-of 2026-07-01 -o h1.docx

      \b
      hrgov brief --year 2026 --since-briefing 3f2a9c1e0b --template ours.docx -o b.docx

      \b
      hrgov brief --year 2026 --as-of 3f2a9c1e0b --status-date 2026-12-03 -o copy.docx

      \b
      hrgov brief --year 2026 -o board-2026.docx --pdf

      \b
      hrgov brief --year 2026 -o board-2026.docx --workbook board-2026-figures.xlsx
    """
    from hrgov.briefing.word import write_brief

    ledger = ctx.obj.open_ledger()
    period = _period(ledger, year, start, end)
    signer = ledger.briefing_signer()  # a missing key refuses before anything is written
    from hrgov.ledger import verify

    problems = verify(ledger).failures  # the cover warns the Board of each
    with options_typed(as_of="--as-of", since="--since-briefing", status_date="--status-date"):
        done = write_brief(ledger, out, start=period.start, end=period.end, as_of=as_of,
                           template=template, since=since, year=period.year,
                           status_date=status_date, problems=problems, workbook=workbook)
    if problems:
        typer.echo(f"hrgov: warning: hrgov verify finds {len(problems)} problem"
                   f"{'s' * (len(problems) > 1)} with the ledger; the briefing's cover warns "
                   "of them (see them with: hrgov verify)", err=True)
    from datetime import date

    tag = ledger.witness_briefing(done["commit"], date.today().isoformat(), signer)
    typer.echo(done["path"])
    if done["workbook"]:
        typer.echo(done["workbook"])
    if pdf:
        from hrgov.briefing.pdf import write_pdf

        typer.echo(str(write_pdf(Path(done["path"]))))
    say(ctx, f"Wrote the briefing for {period.label} from ledger commit {done['commit'][:10]} "
             f"(tagged {tag}: hrgov sync shares it, and verify on any clone that has it "
             "catches a rewrite of the history it was built from).")


@app.command()
def agenda(
    ctx: typer.Context,
    meeting_date: str = typer.Option(..., "--meeting-date", metavar="YYYY-MM-DD",
                                     help="Day of the meeting the agenda is for.",
                                     show_default=False),
    out: Path = typer.Option(..., "--output", "-o", metavar="FILE.docx|FILE.md",
                             help="Where to write the agenda (.docx or .md).",
                             show_default=False),
    template: Path | None = typer.Option(
        None, "--template", metavar="FILE.docx",
        help="A restyled copy of the built-in Word template (for .docx).", show_default=False,
    ),
) -> None:
    """Prepare the next Steering Committee agenda: matters arising from the last meeting,
    milestones overdue or due by the meeting (by owner), decisions due for review,
    commitments without an owner or off track.

    Example:

      \b
      hrgov agenda --meeting-date 2026-12-03 -o agenda.docx

      \b
      hrgov agenda --meeting-date 2026-12-03 -o agenda.md
    """
    from hrgov.agenda import write_agenda

    ledger = ctx.obj.open_ledger()
    done = write_agenda(ledger, out, meeting_date=meeting_date, template=template)
    typer.echo(done["path"])
    say(ctx, f"Wrote the agenda from ledger commit {done['commit'][:10]}.")


@app.command()
def report(
    ctx: typer.Context,
    public: bool = typer.Option(
        False, "--public",
        help="Required: the report holds only records marked public, and no names.",
    ),
    out: Path = typer.Option(..., "--output", "-o", metavar="FILE.md|FILE.html",
                             help="Where to write the report (.md or .html).",
                             show_default=False),
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    as_of: str | None = AS_OF,
) -> None:
    """Write the public progress report: only records marked public, no names of people, the
    ledger commit it came from.

    Example:

      \b
      hrgov report --public --year 2026 -o progress-2026.html

      \b
      hrgov report --public --from 2026-01-01 --to 2026-06-30 -o h1.md
    """
    if not public:
        raise InvalidInput("say --public: the only report is the public one (the Board's is "
                           "hrgov brief)")
    from hrgov.report import write_report

    ledger = ctx.obj.open_ledger()
    period = _period(ledger, year, start, end)
    with options_typed(as_of="--as-of"):
        done = write_report(ledger, out, start=period.start, end=period.end, as_of=as_of,
                            year=period.year)
    typer.echo(done["path"])
    say(ctx, f"Wrote the public report for {period.label} from ledger commit "
        f"{done['commit'][:10]}.")
