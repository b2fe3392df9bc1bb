"""``hrgov issue|assessment|grievance|remedy …``: keeping the registers current."""

import typer

from ._output import (
    FORMAT_OPTION,
    PERSONAL_DATA_OPTION,
    SENSITIVITY_OPTION,
    Format,
    Sensitivity,
    choices,
    emit_written,
    examples,
)

issue = typer.Typer(
    no_args_is_help=True,
    help="Keep the issues register current.",
    epilog=examples('hrgov issue status HRI-2026-0019 assessing --note "Panel asked to review"'),
)
assessment = typer.Typer(
    no_args_is_help=True,
    help="Track impact assessments.",
    epilog=examples("hrgov assessment update HRIA-2026-01 --status in-progress --phase 4"),
)
grievance = typer.Typer(
    no_args_is_help=True,
    help="Move grievances through their stages.",
    epilog=examples("hrgov grievance stage G-2026-0009 investigating"),
)
remedy = typer.Typer(
    no_args_is_help=True,
    help="Record remedies.",
    epilog=examples('hrgov remedy update R-2026-0001 --not-verified --note "Threats resumed"'),
)

NOTE = typer.Option(None, "--note", help="Why (kept in the commit).")


@issue.command("status")
def issue_status(
    ctx: typer.Context,
    issue_id: str = typer.Argument(..., metavar="ID", help="The issue, e.g. HRI-2026-0001."),
    status: choices("issue", "status") = typer.Argument(
        ..., metavar="STATUS", help="The status it moves to."
    ),
    note: str | None = NOTE,
    response: str | None = typer.Option(
        None, "--response", help="What the organisation did about it (the Board's examples "
        "say so).", show_default=False,
    ),
    lessons: str | None = typer.Option(
        None, "--lessons", help="What the organisation learned from it.", show_default=False,
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Move an issue along: open → assessing → mitigating → closed; or dismissed. What was
    done and learned, when given, go with the move (the Board paper's examples quote them).

    Example:

      \b
      hrgov issue status HRI-2026-0014 mitigating --note "Account protection offered"

      \b
      hrgov issue status HRI-2026-0014 closed --response "Accounts secured; editors briefed" \\
        --lessons "Ask editors early whether they want their edits hidden"
    """
    from hrgov import operations

    written = operations.set_status(
        ctx.obj.open_ledger(), "issue", issue_id, status, note=note, author=ctx.obj.author,
        changes={"response": response, "lessons": lessons},
    )
    emit_written(ctx, written, fmt)


@assessment.command("update")
def assessment_update(
    ctx: typer.Context,
    assessment_id: str = typer.Argument(..., metavar="ID", help="e.g. HRIA-2026-01."),
    status: choices("assessment", "status") = typer.Option(
        ..., "--status", help="Its status now."
    ),
    phase: int | None = typer.Option(None, "--phase", help="DIHR phase, 1 to 5."),
    completed: str | None = typer.Option(None, "--completed", help="Day it was completed."),
    publication: choices("assessment", "publication") | None = typer.Option(
        None, "--publication", help="What is published."
    ),
    next_due: str | None = typer.Option(None, "--next-due", help="When the next is due."),
    note: str | None = NOTE,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record an assessment's progress: its status, phase, completion and publication.

    Example:

      \b
      hrgov assessment update HRIA-2026-01 --status completed --phase 5 \\
        --completed 2026-10-30 --publication summary --next-due 2029-10-30
    """
    from hrgov import operations

    written = operations.set_status(
        ctx.obj.open_ledger(), "assessment", assessment_id, status, note=note,
        changes={"phase": phase, "completed": completed, "publication": publication,
                 "next_due": next_due},
        command="assessment update", author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@assessment.command("finding")
def assessment_finding(
    ctx: typer.Context,
    assessment_id: str = typer.Argument(..., metavar="ID", help="e.g. HRIA-2026-01."),
    finding: str = typer.Argument(..., metavar="FINDING", help="The finding, in words."),
    severity: str | None = typer.Option(
        None, "--severity", help="low, medium, high or severe."
    ),
    milestones: list[str] = typer.Option(
        [], "--milestone", help="Title of a milestone that answers it (repeat; created now)."
    ),
    commitment: str | None = typer.Option(
        None, "--commitment", help="Commitment of the milestones created."
    ),
    due: str | None = typer.Option(None, "--due", help="Due date of the milestones created."),
    owner: str | None = typer.Option(None, "--owner", help="Owner of the milestones created."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Add a finding to an assessment, creating the milestones that answer it.

    Example:

      \b
      hrgov assessment finding HRIA-2026-01 "Harassment reporting is hard on mobile" \\
        --severity high --milestone "Mobile reporting tool" --commitment ts-tools --due 2027-03-31
    """
    from hrgov import operations

    written = operations.add_finding(
        ctx.obj.open_ledger(), assessment_id, finding, severity=severity,
        milestones=milestones, commitment=commitment, due=due, owner=owner,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@grievance.command("stage")
def grievance_stage(
    ctx: typer.Context,
    grievance_id: str = typer.Argument(..., metavar="ID", help="e.g. G-2026-0001."),
    stage: choices("grievance", "stage") = typer.Argument(
        ..., metavar="STAGE", help="The stage it moves to."
    ),
    on: str | None = typer.Option(None, "--on", help="Day of the step (default: today)."),
    outcome: choices("grievance", "outcome") | None = typer.Option(
        None, "--outcome", help="With closed: how it ended."
    ),
    note: str | None = NOTE,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Move a grievance forward: received → acknowledged → investigating → responded → closed.
    The days it was acknowledged and closed are kept, so times to respond can be reported.

    Example:

      \b
      hrgov grievance stage G-2026-0010 acknowledged --on 2026-06-05

      \b
      hrgov grievance stage G-2026-0010 closed --on 2026-07-20 --outcome upheld
    """
    from hrgov import operations

    written = operations.grievance_stage(
        ctx.obj.open_ledger(), grievance_id, stage, on=on, outcome=outcome, note=note,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@remedy.command("add")
def remedy_add(
    ctx: typer.Context,
    remedy_type: choices("remedy", "remedy_type") = typer.Argument(
        ..., metavar="TYPE", help="What kind of remedy."
    ),
    provided: str = typer.Argument(..., metavar="WHAT", help="What was provided, anonymised."),
    grievance_id: str | None = typer.Option(None, "--grievance", help="The grievance answered."),
    issue_id: str | None = typer.Option(None, "--issue", help="The issue answered."),
    provider: str | None = typer.Option(None, "--provider", help="Department that provided it."),
    delivered_on: str | None = typer.Option(None, "--delivered-on", help="Day it was delivered."),
    verified: bool = typer.Option(False, "--verified", help="Its effect was verified."),
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    allow_personal_data: bool = PERSONAL_DATA_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a remedy provided for a grievance or an issue; prints its id (R-YYYY-NNNN).

    Example:

      \b
      hrgov remedy add protection "Account security review and safety training offered" \\
        --grievance G-2026-0003 --provider trust-and-safety --delivered-on 2026-07-01
    """
    from hrgov import operations

    written = operations.add_remedy(
        ctx.obj.open_ledger(), remedy_type, provided, grievance=grievance_id, issue=issue_id,
        provider=provider, delivered_on=delivered_on, verified=verified or None,
        sensitivity=sensitivity, allow_personal_data=allow_personal_data,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@remedy.command("update")
def remedy_update(
    ctx: typer.Context,
    remedy_id: str = typer.Argument(..., metavar="ID", help="e.g. R-2026-0001."),
    delivered_on: str | None = typer.Option(None, "--delivered-on", help="Day it was delivered."),
    verified: bool | None = typer.Option(
        None, "--verified/--not-verified", help="Whether its effect was verified."
    ),
    note: str | None = NOTE,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a remedy's delivery, or whether its effect was verified.

    Example:

      \b
      hrgov remedy update R-2026-0005 --verified --note "Follow-up confirmed the account is safe"
    """
    from hrgov import operations

    written = operations.update_remedy(
        ctx.obj.open_ledger(), remedy_id, delivered_on=delivered_on, verified=verified,
        note=note, author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)
