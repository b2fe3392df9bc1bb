"""``hrgov milestone add|update|done``: implementation milestones and their slips."""

import typer

from ._output import (
    FORMAT_OPTION,
    FRAMEWORK_REF_OPTION,
    SENSITIVITY_OPTION,
    Format,
    Sensitivity,
    choices,
    emit_written,
    examples,
    options_typed,
)

app = typer.Typer(
    no_args_is_help=True,
    help="Add and track implementation milestones.",
    epilog=examples(
        'hrgov milestone add "Train staff" --commitment staff-education --due 2027-06-30',
        "hrgov milestone done MS-2026-0013 --evidence https://example.org/exercise",
    ),
)

EVIDENCE = typer.Option([], "--evidence", help="A link or reference proving progress (repeat).")


@app.command()
def add(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What will be delivered."),
    commitment: str = typer.Option(..., "--commitment", help="The commitment it implements."),
    due: str = typer.Option(..., "--due", help="Due date (YYYY-MM-DD)."),
    owner: str | None = typer.Option(
        None, "--owner",
        help="Department responsible (default: its decision's owner, else its commitment's).",
    ),
    decision: str | None = typer.Option(None, "--decision", help="The decision that created it."),
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    framework_refs: list[str] = FRAMEWORK_REF_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Add a milestone; prints its id (MS-YYYY-NNNN).

    Example:

      \b
      hrgov milestone add "Publish the HRIA summary" --commitment periodic-hria \\
        --due 2026-09-30 --decision D-2026-0002
    """
    from hrgov import operations

    written = operations.add_milestone(
        ctx.obj.open_ledger(),
        title,
        commitment=commitment,
        due=due,
        owner=owner,
        decision=decision,
        sensitivity=sensitivity,
        framework_refs=framework_refs,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@app.command()
def update(
    ctx: typer.Context,
    milestone_id: str = typer.Argument(..., metavar="ID", help="The milestone."),
    status: choices("milestone", "status") | None = typer.Option(
        None, "--status", help="Its status now."
    ),
    due: str | None = typer.Option(None, "--due", help="New due date; needs --reason."),
    reason: str | None = typer.Option(
        None, "--reason", help="Why the due date moves (kept in the milestone's slips)."
    ),
    owner: str | None = typer.Option(None, "--owner", help="Department now responsible."),
    evidence: list[str] = EVIDENCE,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Change a milestone's status, move its due date (with a reason), give it to another
    department, or add evidence.
    The original due date never changes, so every slip stays visible.

    Example:

      \b
      hrgov milestone update MS-2026-0006 --due 2027-01-31 --reason "Vendor contract delayed"

      \b
      hrgov milestone update MS-2026-0006 --status blocked

      \b
      hrgov milestone update MS-2026-0006 --owner legal --reason "Legal leads it now"
    """
    from hrgov import operations

    written = operations.update_milestone(
        ctx.obj.open_ledger(),
        milestone_id,
        status=status,
        due=due,
        reason=reason,
        evidence=evidence,
        owner=owner,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@app.command()
def done(
    ctx: typer.Context,
    milestone_id: str = typer.Argument(..., metavar="ID", help="The milestone."),
    on: str | None = typer.Option(None, "--on", help="Day it was done (default: today)."),
    evidence: list[str] = EVIDENCE,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Mark a milestone done, with its evidence.

    Example:

      \b
      hrgov milestone done MS-2026-0006 --on 2026-11-30 --evidence https://example.org/report
    """
    from hrgov import operations

    with options_typed(done_on="--on"):
        written = operations.complete_milestone(
            ctx.obj.open_ledger(), milestone_id, on=on, evidence=evidence, author=ctx.obj.author
        )
    emit_written(ctx, written, fmt)
