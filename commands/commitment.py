"""``hrgov commitment assign``: who owns a policy commitment."""

import typer

from ._output import FORMAT_OPTION, Format, emit_written, examples, say

app = typer.Typer(
    no_args_is_help=True,
    help="Manage policy commitments.",
    epilog=examples('hrgov commitment assign children-rights trust-and-safety --reason "Reorg"'),
)


@app.command()
def assign(
    ctx: typer.Context,
    commitment_id: str = typer.Argument(..., metavar="ID", help="The commitment (a slug)."),
    department: str = typer.Argument(..., metavar="DEPT", help="The department that will own it."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the commit)."),
    keep_milestones: bool = typer.Option(
        False, "--keep-milestones",
        help="Leave its open milestones with their owners (default: they move with it).",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Give a commitment a new owner department, with the open milestones its old owner
    held (unless --keep-milestones); says which milestones moved. `hrgov history ID` lists
    who owned it when.

    Example:

      \b
      hrgov commitment assign ts-tools trust-and-safety --reason "Tools moved to Trust and Safety"
    """
    from hrgov import operations

    written = operations.assign_commitment(
        ctx.obj.open_ledger(), commitment_id, department, reason=reason,
        keep_milestones=keep_milestones, author=ctx.obj.author,
    )
    moved = operations.moved_milestones(written)
    if keep_milestones:
        say(ctx, "Its open milestones kept their owners (see: hrgov due --within 365)")
    elif moved:
        say(ctx, f"Moved {len(moved)} open milestone(s) to {department}: {', '.join(moved)}")
    else:
        say(ctx, "It had no open milestone of its old owner to move")
    emit_written(ctx, written, fmt)
