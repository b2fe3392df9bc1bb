"""``hrgov indicator add|value|target``: whether action works, measured over time."""

import typer

from ._output import (
    FORMAT_OPTION,
    FRAMEWORK_REF_OPTION,
    SENSITIVITY_OPTION,
    Format,
    Sensitivity,
    emit_written,
    examples,
)

app = typer.Typer(
    no_args_is_help=True,
    help="Measure whether action works: indicators.",
    epilog=examples(
        "hrgov indicator value harassment-response-days 9 --on 2026-11-30 "
        '--source "Trust and Safety case log"',
    ),
)


@app.command("add")
def indicator_add(
    ctx: typer.Context,
    indicator_id: str = typer.Argument(
        ..., metavar="ID", help="A lower-case slug, e.g. harassment-repeat-reports."
    ),
    title: str = typer.Option(..., "--title", help="What it measures, in one line."),
    unit: str = typer.Option(..., "--unit", help="Unit of its values, e.g. 'days'."),
    category: str | None = typer.Option(
        None, "--category", help="Issue category (salient issue) it tracks."
    ),
    commitments: list[str] = typer.Option(
        [], "--commitment", help="Commitment it tracks (repeat)."
    ),
    owner: str | None = typer.Option(None, "--owner", help="Department that measures it."),
    direction: str | None = typer.Option(None, "--direction", help="Which way is better: up "
                                         "or down."),
    baseline: float | None = typer.Option(None, "--baseline", help="The starting value."),
    baseline_on: str | None = typer.Option(None, "--baseline-on", help="Day it was measured."),
    target: float | None = typer.Option(None, "--target", help="The value aimed for."),
    target_by: str | None = typer.Option(None, "--target-by", help="Day to meet the target."),
    affected_feedback: bool = typer.Option(
        False, "--affected-feedback", help="Its values come from affected people's feedback."
    ),
    framework_refs: list[str] = FRAMEWORK_REF_OPTION,
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Add an indicator with its baseline and target, each with its date.

    Example:

      \b
      hrgov indicator add harassment-repeat-reports --title "Share of reports from \\
        people who reported before" --unit percent --category harassment --direction down \\
        --baseline 30 --baseline-on 2026-01-31 --target 15 --target-by 2027-06-30
    """
    from hrgov import evidence

    written = evidence.add_indicator(
        ctx.obj.open_ledger(), indicator_id, title=title, unit=unit, category=category,
        commitments=commitments, owner=owner, direction=direction, baseline=baseline,
        baseline_on=baseline_on, target=target, target_by=target_by,
        affected_feedback=affected_feedback or None, framework_refs=framework_refs,
        sensitivity=sensitivity,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@app.command("value")
def indicator_value(
    ctx: typer.Context,
    indicator_id: str = typer.Argument(..., metavar="ID", help="The indicator."),
    value: float = typer.Argument(..., metavar="VALUE", help="The value measured."),
    on: str = typer.Option(..., "--on", help="Day it was measured (YYYY-MM-DD)."),
    source: str = typer.Option(
        ..., "--source", help="Where it comes from, e.g. 'grievance log' or 'user survey'."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a value of an indicator; values are only ever added, in date order.

    Example:

      \b
      hrgov indicator value harassment-repeat-reports 12 --on 2026-06-30 \\
        --source "Trust and Safety case log"
    """
    from hrgov import evidence

    written = evidence.record_value(
        ctx.obj.open_ledger(), indicator_id, value, on=on, source=source, author=ctx.obj.author
    )
    emit_written(ctx, written, fmt)


@app.command("target")
def indicator_target(
    ctx: typer.Context,
    indicator_id: str = typer.Argument(..., metavar="ID", help="The indicator."),
    target: float | None = typer.Option(None, "--target", help="The value aimed for."),
    target_by: str | None = typer.Option(None, "--by", help="Day to meet the target."),
    reason: str | None = typer.Option(
        None, "--reason", help="Why it moves (required to move a target; kept in the history)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Set or move an indicator's target; moving one needs --reason.

    Example:

      \b
      hrgov indicator target harassment-repeat-reports --target 10 --by 2027-12-31 \\
        --reason "Staffing of the response team delayed to 2027"
    """
    from hrgov import evidence

    written = evidence.move_target(
        ctx.obj.open_ledger(), indicator_id, target=target, target_by=target_by,
        reason=reason, author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)
