"""``hrgov department add``: departments that own commitments."""

import typer

from ._output import FORMAT_OPTION, Format, emit_written, examples

app = typer.Typer(
    no_args_is_help=True,
    help="Manage departments.",
    epilog=examples('hrgov department add ethics-office --name "Ethics Office"'),
)


@app.command()
def add(
    ctx: typer.Context,
    department_id: str = typer.Argument(..., metavar="ID", help="A slug, e.g. data-protection."),
    name: str = typer.Option(..., "--name", help="The department's name."),
    lead_role: str | None = typer.Option(
        None, "--lead-role", help="The role (not the person) who leads it."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Add a department.

    Example:

      \b
      hrgov department add privacy-office --name "Privacy Office" --lead-role "DPO"
    """
    from hrgov import operations

    written = operations.add_department(
        ctx.obj.open_ledger(), department_id, name=name, lead_role=lead_role,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)
