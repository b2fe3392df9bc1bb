"""``hrgov calendar``: the ledger's deadlines and meetings as an iCalendar file."""

from pathlib import Path

import typer

from ._output import say

app = typer.Typer()


@app.command()
def calendar(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--output", "-o", metavar="FILE.ics",
                             help="Where to write the calendar (.ics; - for stdout).",
                             show_default=False),
    owner: str | None = typer.Option(
        None, "--owner", help="Only this department's milestones and decision reviews "
        "(meetings are in every calendar).", show_default=False,
    ),
) -> None:
    """Write an iCalendar file of milestones due, decisions due for review and meetings,
    for a calendar to import or subscribe to.

    Each event keeps its UID from one file to the next, so importing a newer file updates
    the events (a moved due date moves) instead of adding them again. Restricted records
    are never in it.

    Example:

      \b
      hrgov calendar -o hr-deadlines.ics

      \b
      hrgov calendar --owner legal -o legal.ics
    """
    from hrgov.calendar import write_calendar

    done = write_calendar(ctx.obj.open_ledger(), out, owner=owner)
    if done["data"] is not None:
        typer.echo(done["data"].decode("utf-8"), nl=False)
        return
    typer.echo(done["path"])
    say(ctx, f"Wrote {done['events']} events from ledger commit {done['commit'][:10]}; "
             "importing it again updates them.")
