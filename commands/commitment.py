"""``hrgov commitment assign``: who owns a policy commitment."""

import typer

from ._output import FORMAT_OPTION, Format, emit_written

app = typer.Typer(no_args_is_help=True, help="Manage policy commitments.")


@app.command()
def assign(
    ctx: typer.Context,
    commitment_id: str = typer.Argument(..., metavar="ID", help="The commitment (a slug)."),
    department: str = typer.Argument(..., metavar="DEPT", help="The department that will own it."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the commit)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Give a commitment a new owner department. Ownership changes only this way, so
    `hrgov history ID` lists who owned it when.

    Example:

      \b
      hrgov commitment assign ts-tools trust-and-safety --reason "Tools moved to Trust and Safety"
    """
    from hrgov import operations

    written = operations.assign_commitment(
        ctx.obj.open_ledger(), commitment_id, department, reason=reason, author=ctx.obj.author
    )
    emit_written(ctx, written, fmt)
