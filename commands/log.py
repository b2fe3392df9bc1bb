"""``hrgov log meeting|decision``: what the Steering Committee met about and decided."""

import sys
from pathlib import Path

import typer

from ._output import FORMAT_OPTION, Format, emit_written, is_tty

app = typer.Typer(no_args_is_help=True, help="Record a meeting or a decision.")


@app.command()
def meeting(
    ctx: typer.Context,
    date: str = typer.Option(..., "--date", help="Day of the meeting (YYYY-MM-DD)."),
    body: str = typer.Option(
        "steering-committee",
        "--body",
        help="steering-committee, executive-committee or board.",
    ),
    attendees: list[str] = typer.Option(
        [], "--attendee", help="Who attended, by role (repeat the option); not private names."
    ),
    quorum: bool | None = typer.Option(None, "--quorum/--no-quorum", help="Was it quorate?"),
    notes: str | None = typer.Option(None, "--notes", help="Minutes or where they are kept."),
    sensitivity: str | None = typer.Option(
        None, "--sensitivity", help="public, internal (default) or restricted."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a meeting; prints its id (MTG-YYYY-MM-DD).

    Example:

      \b
      hrgov log meeting --date 2026-03-04 --attendee "General Counsel" --attendee "CPO"
    """
    from hrgov import operations

    written = operations.log_meeting(
        ctx.obj.open_ledger(),
        date=date,
        body=body,
        attendees=attendees,
        quorum=quorum,
        notes=notes,
        sensitivity=sensitivity,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@app.command()
def decision(
    ctx: typer.Context,
    title: str | None = typer.Argument(
        None, metavar="TITLE", help="What was decided, in one line."
    ),
    date: str | None = typer.Option(
        None, "--date", help="Day of the decision (default: its meeting's date)."
    ),
    meeting: str | None = typer.Option(None, "--meeting", help="Meeting id, e.g. MTG-2026-03-04."),
    commitments: list[str] = typer.Option(
        [], "--commitment", help="Commitment it serves (repeat the option)."
    ),
    owner: str | None = typer.Option(None, "--owner", help="Department that carries it out."),
    text: str | None = typer.Option(None, "--text", help="The decision's full text."),
    text_file: Path | None = typer.Option(
        None, "--text-file", help="Read the full text from a file ('-' for stdin)."
    ),
    edit: bool = typer.Option(False, "--edit", help="Write the full text in $EDITOR."),
    rationale: str | None = typer.Option(None, "--rationale", help="Why it was decided."),
    status: str = typer.Option("adopted", "--status", help="adopted, proposed or rejected."),
    supersedes: str | None = typer.Option(
        None, "--supersedes", help="Earlier decision this one replaces (marked superseded)."
    ),
    review_by: str | None = typer.Option(None, "--review-by", help="Review date (YYYY-MM-DD)."),
    sensitivity: str | None = typer.Option(
        None, "--sensitivity", help="public, internal (default) or restricted."
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt, even on a terminal."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a decision of the Steering Committee; prints its id (D-YYYY-NNNN).

    On a terminal, a missing title or date is asked for.

    Example:

      \b
      hrgov log decision "Adopt human-rights screening for new features" \\
        --meeting MTG-2026-03-04 --commitment ongoing-hrdd --owner product-technology
    """
    from hrgov import operations
    from hrgov.errors import InvalidInput

    if sum(x is not None and x is not False for x in (text, text_file, edit or None)) > 1:
        raise InvalidInput("give the text one way: --text, --text-file or --edit")
    prompt = is_tty(sys.stdin) and not no_input
    if title is None:
        if not prompt:
            raise InvalidInput("missing TITLE (what was decided, in one line)")
        title = typer.prompt("Title")
    if date is None and meeting is None:
        if not prompt:
            raise InvalidInput("missing --date (or --meeting, whose date it takes)")
        date = typer.prompt("Date (YYYY-MM-DD)")
    if text_file is not None:
        text = _read_text(text_file)
    if edit:
        text = typer.edit("\n# The decision's full text. Lines starting with # are dropped.\n")
        if text is not None:
            text = "\n".join(x for x in text.splitlines() if not x.startswith("#")).strip()
    written = operations.log_decision(
        ctx.obj.open_ledger(),
        title,
        date=date,
        meeting=meeting,
        commitments=commitments,
        owner=owner,
        text=text or None,
        rationale=rationale,
        status=status,
        supersedes=supersedes,
        review_by=review_by,
        sensitivity=sensitivity,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


def _read_text(path: Path) -> str:
    from hrgov.errors import InvalidInput

    try:
        if str(path) == "-":
            return sys.stdin.read()
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text") from None
