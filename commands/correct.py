"""``hrgov edit|withdraw``: correct a record, or withdraw one logged by mistake, with a reason."""

import typer

from ._output import FORMAT_OPTION, Format, emit_written, say

app = typer.Typer()

REASON = typer.Option(
    None, "--reason", help="Why (required; kept in the history as the change's reason)."
)
EDIT_HEADER = (
    "# {id}: correct its fields below, then save and close. The reason is: {reason}\n"
    "# Lines starting with # are dropped; remove a field to clear it. Nothing is written if\n"
    "# nothing changes.\n"
)


@app.command()
def edit(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Any record's id."),
    assignments: list[str] = typer.Argument(
        None, metavar="FIELD=VALUE...",
        help="Fields to set (lists separated by '; ', an empty value clears the field).",
    ),
    reason: str | None = REASON,
    in_editor: bool = typer.Option(
        False, "--edit", help="Correct the record's fields as JSON in $EDITOR instead."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Correct a record's fields, with the reason kept in its history. The rule book applies:
    fields that never change stay refused, a milestone's new due date is kept as a slip, a
    commitment's new owner takes its open milestones along, a status follows its lifecycle.

    Example:

      \b
      hrgov edit D-2026-0001 title="Adopt human-rights screening" --reason "Typo in the title"

      \b
      hrgov edit MS-2026-0001 owner=legal --reason "Legal leads the procedure"
    """
    from hrgov import operations
    from hrgov.errors import InvalidInput

    if in_editor and assignments:
        raise InvalidInput("give FIELD=VALUE or --edit, not both")
    ledger = ctx.obj.open_ledger()
    if in_editor:
        if not reason or not reason.strip():
            raise InvalidInput("say why it is corrected: give --reason (kept in the history)")
        changes = _edited(ledger, record_id, reason)
        if not changes:
            say(ctx, f"Nothing changed in {record_id}; nothing was written")
            return
        written = operations.edit_record(
            ledger, record_id, changes, reason=reason, as_text=False, author=ctx.obj.author
        )
    else:
        written = operations.edit_record(
            ledger, record_id, _assignments(assignments or []), reason=reason,
            author=ctx.obj.author,
        )
    _say_moved(ctx, written)
    emit_written(ctx, written, fmt)


def _assignments(texts: list[str]) -> dict[str, str]:
    from hrgov.errors import InvalidInput

    found = {}
    for text in texts:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise InvalidInput(f"{text!r} is not FIELD=VALUE (e.g. title=\"Adopt screening\")")
        found[name.strip()] = value
    return found


def _edited(ledger, record_id: str, reason: str) -> dict:
    """The fields changed in ``$EDITOR`` (click's editor), typed as in the record's JSON."""
    import json

    import click

    from hrgov.errors import InvalidInput
    from hrgov.model import KINDS, editable_fields

    record = ledger.record(record_id)
    fields = editable_fields(KINDS[record["kind"]])
    shown = {name: record[name] for name in fields if name in record}
    text = EDIT_HEADER.format(id=record_id, reason=reason) + json.dumps(
        shown, ensure_ascii=False, indent=2
    ) + "\n"
    edited = click.edit(text, extension=".json", require_save=True)
    if edited is None:
        return {}
    body = "\n".join(line for line in edited.splitlines() if not line.lstrip().startswith("#"))
    try:
        after = json.loads(body)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"the edited record is not valid JSON (line {error.lineno}: "
                           f"{error.msg}); nothing was written") from None
    if not isinstance(after, dict):
        raise InvalidInput("the edited record must stay a JSON object; nothing was written")
    changes = {name: value for name, value in after.items() if shown.get(name) != value}
    changes.update({name: None for name in shown if name not in after})
    return changes


def _say_moved(ctx: typer.Context, written) -> None:
    from hrgov.operations import moved_milestones

    moved = moved_milestones(written)
    owner = written.records[-1].get("owner")
    if written.records[-1]["kind"] == "commitment" and moved:
        say(ctx, f"Moved {len(moved)} open milestone(s) to {owner}: {', '.join(moved)}")


@app.command()
def withdraw(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Any record's id."),
    reason: str | None = REASON,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Withdraw a record logged by mistake (a decision logged twice, say). It stays in the
    history, shown as withdrawn, and is left out of lists, counts and reports.

    Example:

      \b
      hrgov withdraw D-2026-0002 --reason "Logged twice; D-2026-0001 is the decision"
    """
    from hrgov import operations

    written = operations.withdraw_record(
        ctx.obj.open_ledger(), record_id, reason=reason, author=ctx.obj.author
    )
    emit_written(ctx, written, fmt)
