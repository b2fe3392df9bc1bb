"""``hrgov decision status``: move a decision along its lifecycle."""

import typer

from ._output import FORMAT_OPTION, Format, choices, emit_written, examples

app = typer.Typer(
    no_args_is_help=True,
    help="Change a decision's status.",
    epilog=examples('hrgov decision status D-2026-0004 rescinded --note "Replaced by law"'),
)


@app.command()
def status(
    ctx: typer.Context,
    decision_id: str = typer.Argument(..., metavar="ID", help="The decision, e.g. D-2026-0001."),
    new_status: choices("decision", "status") = typer.Argument(
        ..., metavar="STATUS", help="The status it moves to.", show_default=False
    ),
    by: str | None = typer.Option(
        None, "--by", help="With superseded: the decision that replaces it."
    ),
    note: str | None = typer.Option(None, "--note", help="Why (kept in the commit)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Move a decision along its lifecycle: proposed → adopted | rejected;
    adopted → implemented | superseded | rescinded; implemented → superseded | rescinded.

    Example:

      \b
      hrgov decision status D-2026-0003 implemented --note "Screening live since 1 June"

      \b
      hrgov decision status D-2026-0001 superseded --by D-2026-0007
    """
    from hrgov import operations

    written = operations.set_decision_status(
        ctx.obj.open_ledger(), decision_id, new_status, by=by, note=note, author=ctx.obj.author
    )
    emit_written(ctx, written, fmt)
