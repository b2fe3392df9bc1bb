"""``hrgov log meeting|decision``: what the Steering Committee met about and decided."""

import sys
from pathlib import Path

import typer

from ._output import (
    FORMAT_OPTION,
    FRAMEWORK_REF_OPTION,
    PERSONAL_DATA_OPTION,
    SENSITIVITY_OPTION,
    Format,
    Sensitivity,
    choices,
    emit_written,
    examples,
    is_tty,
    say,
)

NewDecisionStatus = choices("decision", "status", only=("adopted", "proposed", "rejected"))

app = typer.Typer(
    no_args_is_help=True,
    help="Record a meeting, a decision, an issue, an assessment or a grievance.",
    epilog=examples(
        'hrgov log meeting --date 2026-03-04 --attendee "General Counsel"',
        'hrgov log decision "Adopt screening" --meeting MTG-2026-03-04 --owner legal',
    ),
)


@app.command()
def meeting(
    ctx: typer.Context,
    date: str = typer.Option(..., "--date", help="Day of the meeting (YYYY-MM-DD)."),
    body: choices("meeting", "body") = typer.Option(
        "steering-committee", "--body", help="Which body met."
    ),
    attendees: list[str] = typer.Option(
        [], "--attendee", help="Who attended, by role (repeat the option); not private names."
    ),
    quorum: bool | None = typer.Option(None, "--quorum/--no-quorum", help="Was it quorate?"),
    notes: str | None = typer.Option(None, "--notes", help="Minutes or where they are kept."),
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
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
    status: NewDecisionStatus = typer.Option(
        "adopted", "--status", help="What the meeting made of it."
    ),
    supersedes: str | None = typer.Option(
        None, "--supersedes", help="Earlier decision this one replaces (marked superseded)."
    ),
    review_by: str | None = typer.Option(None, "--review-by", help="Review date (YYYY-MM-DD)."),
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    for_board: bool = typer.Option(
        False, "--for-board",
        help="The Committee puts it to the Board: the briefing lists it under \"The Board is "
        "asked to\".",
    ),
    framework_refs: list[str] = FRAMEWORK_REF_OPTION,
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt, even on a terminal."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a decision of the Steering Committee; prints its id (D-YYYY-NNNN).

    On a terminal, what is missing is asked for (again after a wrong answer): the title,
    the meeting (or the date), the commitments it serves and the owner department.

    Example:

      \b
      hrgov log decision "Adopt human-rights screening for new features" \\
        --meeting MTG-2026-03-04 --commitment ongoing-hrdd --owner product-technology

      \b
      hrgov log decision "Ask the Board to approve the HRIA budget" --date 2026-03-04 --for-board
    """
    from hrgov import operations
    from hrgov.errors import InvalidInput

    if sum(x is not None and x is not False for x in (text, text_file, edit or None)) > 1:
        raise InvalidInput("give the text one way: --text, --text-file or --edit")
    prompt = is_tty(sys.stdin) and not no_input
    if title is None and not prompt:
        raise InvalidInput("missing TITLE (what was decided, in one line)")
    if date is None and meeting is None and not prompt:
        raise InvalidInput("missing --date (or --meeting, whose date it takes)")
    ledger = ctx.obj.open_ledger()
    if prompt:
        asked = _ask_decision(ledger, title, date, meeting, commitments, owner)
        title, date, meeting, commitments, owner = asked
    if text_file is not None:
        text = _read_text(text_file)
    if edit:
        import click

        text = click.edit("\n# The decision's full text. Lines starting with # are dropped.\n")
        if text is not None:
            text = "\n".join(x for x in text.splitlines() if not x.startswith("#")).strip()
    written = operations.log_decision(
        ledger,
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
        for_board=for_board,
        framework_refs=framework_refs,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)
    if meeting is None and not commitments and owner is None:
        say(ctx, f"Note: {written.records[-1]['id']} names no meeting, commitment or owner; "
            "add them with: hrgov edit ID meeting=… commitments=… owner=… --reason …")


def _ask_decision(ledger, title, date, meeting, commitments, owner):
    """Ask for what a decision lacks, on a terminal, again after each wrong answer; the
    meetings, commitments and departments offered are the ledger's."""
    from hrgov import queries
    from hrgov.model import parse_date

    conn = ledger.reader()
    try:
        known = {
            kind: [r["id"] for r in queries.list_records(conn, kind)]
            for kind in ("meetings", "commitments", "departments")
        }
    finally:
        conn.close()
    if title is None:
        title = typer.prompt("Title", value_proc=_checked(_one_line))
    if date is None and meeting is None:
        recent = ", ".join(known["meetings"][-3:]) or "none yet"
        meeting = typer.prompt(f"Meeting (latest: {recent}; Enter for none)", default="",
                               show_default=False, value_proc=_checked(_one_of(known["meetings"])))
        if not meeting:
            meeting = None
            date = typer.prompt("Date (YYYY-MM-DD)",
                                value_proc=_checked(lambda text: parse_date(text) and text))
    if not commitments:
        answer = typer.prompt(
            "Commitments it serves (ids separated by ';'; Enter for none)", default="",
            show_default=False, value_proc=_checked(_some_of(known["commitments"])),
        )
        commitments = answer or []
    if owner is None:
        owner = typer.prompt(
            f"Owner ({', '.join(known['departments'])}; Enter for none)", default="",
            show_default=False, value_proc=_checked(_one_of(known["departments"])),
        ) or None
    return title, date, meeting, commitments, owner


def _checked(check):
    """A prompt's value_proc: a wrong answer is said, and the question asked again."""
    from hrgov.errors import HrgovError

    def proc(text: str):
        try:
            return check(text.strip())
        except HrgovError as error:
            raise typer.BadParameter(str(error)) from None

    return proc


def _one_line(text: str) -> str:
    from hrgov.errors import InvalidInput

    if not text or "\n" in text:
        raise InvalidInput("one line, please: what was decided")
    return text


def _one_of(ids: list[str]):
    def check(text: str) -> str:
        import difflib

        from hrgov.errors import InvalidInput

        if text and text not in ids:
            close = difflib.get_close_matches(text, ids, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise InvalidInput(f"no {text!r} in the ledger{hint}")
        return text

    return check


def _some_of(ids: list[str]):
    one = _one_of(ids)
    return lambda text: [one(item.strip()) for item in text.split(";") if item.strip()]


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




@app.command()
def issue(
    ctx: typer.Context,
    summary: str = typer.Argument(
        ..., metavar="SUMMARY", help="What happened, anonymised: no names or contact details."
    ),
    reported: str = typer.Option(..., "--reported", help="Day it was reported (YYYY-MM-DD)."),
    category: str = typer.Option(..., "--category", help="Category id (hrgov list categories)."),
    subcategory: str | None = typer.Option(None, "--subcategory", help="One of its category's."),
    rightsholder: choices("issue", "rightsholder_group") | None = typer.Option(
        None, "--rightsholder", help="Whose rights are at stake."
    ),
    actor: choices("issue", "actor") | None = typer.Option(
        None, "--actor", help="Who causes the harm."
    ),
    region: str | None = typer.Option(None, "--region", help="Region concerned."),
    project: str | None = typer.Option(None, "--project", help="Project or language community."),
    involvement: choices("issue", "involvement") | None = typer.Option(
        None, "--involvement", help="How the organisation is involved (UNGPs)."
    ),
    impact: int | None = typer.Option(None, "--impact", help="1 (low) to 3 (high)."),
    likelihood: int | None = typer.Option(None, "--likelihood", help="1 (low) to 3 (high)."),
    salient: bool = typer.Option(False, "--salient", help="A salient human-rights issue."),
    commitments: list[str] = typer.Option([], "--commitment", help="Commitment it concerns."),
    board_example: bool = typer.Option(
        False, "--board-example", help="May be quoted, anonymised, in the Board briefing."
    ),
    response: str | None = typer.Option(
        None, "--response", help="What the organisation did about it (the Board's examples "
        "say so).", show_default=False,
    ),
    lessons: str | None = typer.Option(
        None, "--lessons", help="What the organisation learned from it.", show_default=False,
    ),
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    allow_personal_data: bool = PERSONAL_DATA_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a human-rights issue in the register; prints its id (HRI-YYYY-NNNN). Text that
    looks like an email address or phone number is refused: the ledger keeps everything.

    Example:

      \b
      hrgov log issue "Volunteer editors in one region report threats after an election article" \\
        --reported 2026-05-02 --category safety-of-defenders --subcategory Threats \\
        --rightsholder volunteer --actor non-state --impact 3 --likelihood 2 --salient
    """
    from hrgov import operations

    written = operations.log_issue(
        ctx.obj.open_ledger(), summary, reported=reported, category=category,
        subcategory=subcategory, rightsholder_group=rightsholder, actor=actor, region=region,
        project=project, involvement=involvement, impact=impact, likelihood=likelihood,
        salient=salient or None, commitments=commitments, board_example=board_example or None,
        response=response, lessons=lessons, sensitivity=sensitivity,
        allow_personal_data=allow_personal_data, author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@app.command()
def assessment(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What is assessed."),
    subject: choices("assessment", "subject") = typer.Option(
        ..., "--subject", help="What kind of thing is assessed."
    ),
    scope: str | None = typer.Option(None, "--scope", help="Scope and terms of reference."),
    trigger: choices("assessment", "trigger") | None = typer.Option(
        None, "--trigger", help="Why it is done."
    ),
    assessor: choices("assessment", "assessor") | None = typer.Option(
        None, "--assessor", help="Who assesses."
    ),
    phase: int | None = typer.Option(None, "--phase", help="DIHR phase, 1 to 5."),
    started: str | None = typer.Option(None, "--started", help="Day it started."),
    publication: choices("assessment", "publication") | None = typer.Option(
        None, "--publication", help="What is published."
    ),
    next_due: str | None = typer.Option(None, "--next-due", help="When the next is due."),
    commitments: list[str] = typer.Option([], "--commitment", help="Commitment it serves."),
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a human rights impact assessment; prints its id (HRIA-YYYY-NN).

    Example:

      \b
      hrgov log assessment "Enterprise-wide HRIA" --subject enterprise --trigger periodic \\
        --assessor external --phase 1 --started 2026-02-01 --commitment periodic-hria
    """
    from hrgov import operations

    written = operations.log_assessment(
        ctx.obj.open_ledger(), title, subject=subject, scope=scope, trigger=trigger,
        assessor=assessor, phase=phase, started=started, publication=publication,
        next_due=next_due, commitments=commitments, sensitivity=sensitivity,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)


@app.command()
def grievance(
    ctx: typer.Context,
    channel: choices("grievance", "channel") = typer.Option(
        ..., "--channel", help="Where it came in."
    ),
    received: str = typer.Option(..., "--received", help="Day it was received."),
    summary: str | None = typer.Option(
        None, "--summary", help="What it is about, anonymised."
    ),
    issue_id: str | None = typer.Option(None, "--issue", help="The issue it concerns."),
    sensitivity: Sensitivity | None = SENSITIVITY_OPTION,
    allow_personal_data: bool = PERSONAL_DATA_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a grievance received; prints its id (G-YYYY-NNNN).

    Example:

      \b
      hrgov log grievance --channel talktohumanrights --received 2026-06-03 \\
        --summary "Complaint about a data request affecting contributors" --issue HRI-2026-0004
    """
    from hrgov import operations

    written = operations.log_grievance(
        ctx.obj.open_ledger(), channel=channel, received=received, summary=summary,
        issue=issue_id, sensitivity=sensitivity, allow_personal_data=allow_personal_data,
        author=ctx.obj.author,
    )
    emit_written(ctx, written, fmt)
