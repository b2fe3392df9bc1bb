"""``hrgov log engagement`` and ``hrgov engagement update``: who was heard, and what changed."""

import typer

from ._output import (
    FORMAT_OPTION,
    FRAMEWORK_REF_OPTION,
    PERSONAL_DATA_OPTION,
    SENSITIVITY_OPTION,
    Format,
    Sensitivity,
    emit_written,
    examples,
)

app = typer.Typer(
    no_args_is_help=True,
    help="Record what engagements with stakeholders changed.",
    epilog=examples('hrgov list engagements'),
)



def log_engagement(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What it was about, in one line."),
    date: str = typer.Option(..., "--date", help="Day it took place (YYYY-MM-DD)."),
    stakeholders: str = typer.Option(
        ..., "--stakeholders",
        help="The group engaged, by role: staff, contractor, volunteer, reader, child, "
        "human-rights-defender, third-party, workers-representative, civil-society, expert, "
        "investor or public-authority.",
    ),
    method: str = typer.Option(
        ..., "--method",
        help="consultation, interview, focus-group, survey, workshop, public-comment, "
        "advisory-panel or other.",
    ),
    participants: list[str] = typer.Option(
        [], "--participant", help="Who took part, by role (repeat); never a person's name."
    ),
    categories: list[str] = typer.Option(
        [], "--category", help="Issue category (salient issue) discussed (repeat)."
    ),
    issues: list[str] = typer.Option([], "--issue", help="Issue discussed (repeat)."),
    commitments: list[str] = typer.Option(
        [], "--commitment", help="Commitment discussed (repeat)."
    ),
    discussed: str | None = typer.Option(None, "--discussed", help="What was discussed."),
    outcome: str | None = typer.Option(None, "--outcome", help="What changed as a result."),
    decisions: list[str] = typer.Option(
        [], "--decision", help="Decision it informed (repeat)."
    ),
    mechanism: bool = typer.Option(
        False, "--mechanism", help="Its users were consulted on the grievance mechanism."
    ),
    framework_refs: list[str] = FRAMEWORK_REF_OPTION,
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    allow_personal_data: bool = PERSONAL_DATA_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record an engagement with a stakeholder group; prints its id (ENG-YYYY-NNNN). People
    appear by role only: text that looks like contact details is refused.

    Example:

      \b
      hrgov log engagement "Consultation on off-wiki harassment" --date 2026-04-02 \\
        --stakeholders volunteer --method focus-group --category harassment \\
        --outcome "Reporting form simplified" --framework-ref ungprf:C2.3
    """
    from hrgov import evidence

    written = evidence.log_engagement(
        ctx.obj.open_ledger(), title, date=date, stakeholders=stakeholders, method=method,
        participants=participants, categories=categories, issues=issues,
        commitments=commitments, discussed=discussed, outcome=outcome, decisions=decisions,
        mechanism=mechanism or None, framework_refs=framework_refs, sensitivity=sensitivity,
        allow_personal_data=allow_personal_data, author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@app.command("update")
def engagement_update(
    ctx: typer.Context,
    engagement_id: str = typer.Argument(..., metavar="ID", help="e.g. ENG-2026-0001."),
    outcome: str | None = typer.Option(None, "--outcome", help="What changed as a result."),
    decisions: list[str] = typer.Option(
        [], "--decision", help="Decision it informed (repeat)."
    ),
    note: str | None = typer.Option(None, "--note", help="Why (kept in the commit)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record what changed after an engagement: its outcome, the decisions it informed.

    Example:

      \b
      hrgov engagement update ENG-2026-0001 --outcome "Reporting form simplified" \\
        --decision D-2026-0007
    """
    from hrgov import evidence

    written = evidence.update_engagement(
        ctx.obj.open_ledger(), engagement_id, outcome=outcome, decisions=decisions, note=note,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)
