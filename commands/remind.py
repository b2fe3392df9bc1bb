"""``hrgov remind``: each owner department's digest of what is overdue or due soon."""

from pathlib import Path

import typer

from ._output import FORMAT_OPTION, Format, emit_json, say

app = typer.Typer()


@app.command()
def remind(
    ctx: typer.Context,
    within: int = typer.Option(14, "--within", min=0, max=36500,
                               help="Include what falls due within DAYS."),
    department: list[str] = typer.Option(
        [], "--department", metavar="DEPT",
        help="Only this department's digest (repeat for more): to send again what failed.",
        show_default=False,
    ),
    eml_dir: Path | None = typer.Option(
        None, "--eml-dir", metavar="DIR",
        help="Write each digest as DIR/<day>-<department>.eml.", show_default=False,
    ),
    smtp: str | None = typer.Option(
        None, "--smtp", metavar="HOST[:PORT]",
        help="Send each digest through this SMTP server (port 25 unless given; STARTTLS "
        "whenever offered; 465 is SMTPS).", show_default=False,
    ),
    smtp_user: str | None = typer.Option(
        None, "--smtp-user", metavar="USER",
        help="Log in as USER; the password is read from $HRGOV_SMTP_PASSWORD.",
        show_default=False,
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """One digest per owner department of its milestones overdue or due soon and its
    decisions due for review: printed, written as .eml files, or sent by e-mail.

    Addresses come from hrgov.toml: reminders.from, and one role address per department
    under [reminders.to] (never a person's). Restricted records are counted, never named.
    When some digests cannot be sent, each department is said, sent or not, and the exit
    code is 1: send the others again with --department.

    Example:

      \b
      hrgov remind --within 30

      \b
      hrgov remind --department legal --format json

      \b
      HRGOV_SMTP_PASSWORD=… hrgov remind --smtp smtp.example.org:587 --smtp-user hr-bot
    """
    import os

    from hrgov.errors import InvalidInput
    from hrgov.reminders import (
        PASSWORD_VARIABLE,
        SendingFailed,
        check_addresses,
        digests,
        send,
        write_eml,
    )

    host, port = _server(smtp) if smtp else (None, None)
    password = None
    if smtp_user is not None:
        if smtp is None:
            raise InvalidInput("--smtp-user needs --smtp HOST[:PORT]")
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            raise InvalidInput(f"set {PASSWORD_VARIABLE} to the password of {smtp_user} (a "
                               "password is never given on the command line)")
    ledger = ctx.obj.open_ledger()
    found = digests(ledger, within=within, departments=department or None)
    settings = ledger.settings()
    sender = settings.get("reminders.from", "")
    organisation = settings.get("organisation.name", "")
    commit = _head(ledger)
    if not found:
        say(ctx, f"nothing overdue or due within {within} days: no digest")
        if fmt is Format.json:
            emit_json([])
        return
    if eml_dir is not None or smtp is not None:
        check_addresses(found, sender)
    if eml_dir is not None:
        for path in write_eml(found, eml_dir, sender, organisation, commit):
            typer.echo(str(path))
    if smtp is None:
        if eml_dir is None:
            _print(found, fmt, sender, organisation, commit)
        return
    outcomes = send(found, host, port, sender=sender, organisation=organisation,
                    commit=commit, user=smtp_user, password=password)
    to = {d.department: d.to for d in found}
    for outcome in outcomes:
        if outcome.sent:
            say(ctx, f"sent {outcome.department} → {to[outcome.department]}")
        else:
            typer.echo(f"NOT sent {outcome.department} → {to[outcome.department]}: "
                       f"{outcome.problem}", err=True)
    failed = [o.department for o in outcomes if not o.sent]
    if failed:
        again = " ".join(f"--department {d}" for d in failed)
        raise SendingFailed(
            f"{len(failed)} of {len(outcomes)} digests not sent ({', '.join(failed)}); the "
            f"others were sent. Send these again with: hrgov remind --within {within} "
            f"--smtp {smtp} {again}"
        )


def _server(text: str) -> tuple[str, int]:
    from hrgov.errors import InvalidInput

    host, _, port = text.rpartition(":") if ":" in text else (text, "", "25")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"--smtp {text!r} is not HOST or HOST:PORT (e.g. "
                           "smtp.example.org:587)")
    return host, int(port)


def _head(ledger) -> str:
    from hrgov import queries

    return queries.index_head(ledger.reader())


def _print(found, fmt: Format, sender: str, organisation: str, commit: str) -> None:
    if fmt is Format.json:
        emit_json([
            {
                "department": d.department, "name": d.name, "to": d.to,
                "subject": d.subject, "overdue": d.overdue, "due_soon": d.soon,
                "reviews": d.reviews, "restricted": d.restricted,
            }
            for d in found
        ])
        return
    if fmt is Format.csv:  # one row per item, for a spreadsheet
        from ._output import emit_rows

        rows = [
            {"department": d.department, "to": d.to or "", "what": what, "id": r["id"],
             "date": r.get("due") or r.get("review_by"), "title": r["title"]}
            for d in found
            for what, items in (("overdue", d.overdue), ("due soon", d.soon),
                                ("review", d.reviews))
            for r in items
        ]
        emit_rows(rows, ("department", "to", "what", "id", "date", "title"), fmt)
        return
    for n, digest in enumerate(found):
        if n:
            typer.echo("\n" + "=" * 72 + "\n")
        typer.echo(f"To: {digest.to or '(no address: add one under [reminders.to] in hrgov.toml)'}")
        typer.echo(f"Subject: {digest.subject}\n")
        typer.echo(digest.body(organisation, commit), nl=False)
