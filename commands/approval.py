"""``hrgov approve``: lock a meeting's decisions once its minutes are approved."""

import typer

from ._output import FORMAT_OPTION, Format, emit_written

app = typer.Typer()


@app.command()
def approve(
    ctx: typer.Context,
    meeting_id: str = typer.Argument(..., metavar="MEETING", help="The meeting, e.g. "
                                     "MTG-2026-03-04."),
    reason: str = typer.Option(..., "--reason", help="How the minutes were approved (kept in "
                               "the commit)."),
    on: str | None = typer.Option(None, "--on", metavar="YYYY-MM-DD",
                                  help="Day of the approval (default: today)."),
    at: str | None = typer.Option(None, "--at-meeting", metavar="MEETING",
                                  help="The meeting that approved the minutes."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record that a meeting's minutes were approved. Its decisions are locked from then on:
    a change needs --reason (or --note), and hrgov verify lists it as a post-approval change.

    Example:

      \b
      hrgov approve MTG-2026-09-24 --at-meeting MTG-2026-11-12 --reason "Approved as read"
    """
    from hrgov import operations

    written = operations.approve_minutes(
        ctx.obj.open_ledger(), meeting_id, reason=reason, on=on, at=at, author=ctx.obj.author
    )
    emit_written(ctx, written, fmt)
