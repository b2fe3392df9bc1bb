"""Reminders: one digest per owner department of what is overdue or falls due soon, printed,
written as ``.eml`` files or sent by SMTP::

    >>> found = digests(ledger, within=14)  # doctest: +SKIP
    >>> [d.department for d in found]
    ['legal', 'trust-and-safety']
    >>> send(found, "smtp.example.org", 587, sender="hr-steering@example.org")  # doctest: +SKIP
    [Outcome(department='legal', sent=True, problem=None), ...]

A digest lists the department's open milestones that are overdue or due within the days
asked, and its decisions in force whose review date falls in the same time. Addresses come
from ``hrgov.toml`` only (``[reminders.to]``, one role address per department; the sender
is ``reminders.from``): no record holds a person's address. A digest leaves the ledger, so,
like an export, it names no restricted record (nor one whose required link names one): it
says how many there are and where to look.

Sending is one SMTP session, upgraded with STARTTLS whenever the server offers it (a
password is never sent over a connection that is not encrypted). Each digest is one
message; its outcome is told per department, so a digest the server refused, or could not
take because it was down, is reported and can be sent again alone (``--department``); one
it accepted is never sent again by the same run.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

from hrgov import config, queries
from hrgov.briefing.data import IN_FORCE
from hrgov.errors import HrgovError, InvalidInput
from hrgov.snapshot import withheld_closure

PASSWORD_VARIABLE = "HRGOV_SMTP_PASSWORD"


class SendingFailed(HrgovError):
    """Some digests could not be sent: the server refused them or could not be reached."""

    exit_code = 1


@dataclass
class Digest:
    """What one department has overdue or due soon, as of ``today``."""

    department: str
    name: str
    to: str | None
    today: date
    until: date
    overdue: list[dict] = field(default_factory=list)
    soon: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    restricted: int = 0  # items not listed: restricted records

    @property
    def subject(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue")
        if self.soon:
            parts.append(f"{len(self.soon)} due by {self.until.isoformat()}")
        if self.reviews:
            parts.append(f"{len(self.reviews)} decision review(s)")
        if self.restricted:
            parts.append(f"{self.restricted} restricted")
        return f"Human-rights commitments, {self.name}: {', '.join(parts)}"

    def body(self, organisation: str, commit: str) -> str:
        lines = [f"What {self.name} has overdue or due by {self.until.isoformat()} "
                 f"(as of {self.today.isoformat()}):", ""]
        for heading, items in (("Overdue", self.overdue),
                               (f"Due by {self.until.isoformat()}", self.soon)):
            if items:
                lines.append(f"{heading} ({len(items)}):")
                for m in items:
                    days = (date.fromisoformat(m["due"]) - self.today).days
                    when = (f"{-days} days late" if days < 0
                            else "today" if days == 0 else f"in {days} days")
                    lines.append(f"  - {m['id']}  due {m['due']} ({when}): {m['title']}")
                    lines.append(f"      commitment {m['commitment']}; status {m['status']}")
                lines.append("")
        if self.reviews:
            lines.append(f"Decisions due for review ({len(self.reviews)}):")
            for d in self.reviews:
                lines.append(f"  - {d['id']}  review by {d['review_by']}: {d['title']}")
            lines.append("")
        if self.restricted:
            lines += [f"Restricted items, not listed in e-mail: {self.restricted} (see: hrgov "
                      f"due --owner {self.department}).", ""]
        lines += [
            "To record progress:  hrgov milestone done ID --evidence URL",
            'To move a due date:  hrgov milestone update ID --due YYYY-MM-DD --reason "…"',
            "",
            f"-- \nSent by hrgov from the ledger of {organisation} (commit {commit[:10]}).",
        ]
        return "\n".join(lines) + "\n"

    def message(self, sender: str, organisation: str, commit: str) -> EmailMessage:
        """The digest as an e-mail. Its Message-ID is the same for the same department,
        day and ledger commit: a copy that does go out twice is one message to mail
        systems that drop duplicates."""
        from email.utils import formatdate

        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.to or ""
        message["Subject"] = self.subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        domain = sender.rsplit("@", 1)[-1]
        message["Message-ID"] = (f"<remind-{self.today.isoformat()}-{self.department}-"
                                 f"{commit[:12]}@{domain}>")
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic replies
        message.set_content(self.body(organisation, commit))
        return message


@dataclass(frozen=True)
class Outcome:
    department: str
    sent: bool
    problem: str | None = None


def digests(
    ledger,
    *,
    within: int = 14,
    today: date | None = None,
    departments: list[str] | None = None,
) -> list[Digest]:
    """One digest per owner department with something overdue or due within ``within``
    days (only ``departments``, if given), in the order of their ids."""
    today = today or date.today()
    conn = ledger.reader()
    for department in departments or ():
        queries.require(conn, department, "department")
    until = today + timedelta(days=within)
    hidden = queries.ever_restricted(conn)
    hidden = withheld_closure(conn, "main", hidden) if hidden else set()
    to = config.addresses(ledger.settings())
    found: dict[str, Digest] = {}

    def digest(owner: str) -> Digest:
        if owner not in found:
            record = queries.get(conn, owner) or {}
            found[owner] = Digest(owner, record.get("name", owner), to.get(owner), today,
                                  until)
        return found[owner]

    for milestone in queries.due(conn, today, within=within):
        owner = milestone.get("owner")
        if owner is None:
            continue
        if milestone["id"] in hidden:
            digest(owner).restricted += 1
        elif milestone["due"] < today.isoformat():
            digest(owner).overdue.append(milestone)
        else:
            digest(owner).soon.append(milestone)
    for decision in queries.list_records(conn, "decisions"):
        owner, review_by = decision.get("owner"), decision.get("review_by")
        if owner is None or review_by is None or review_by > until.isoformat() \
                or decision["status"] not in IN_FORCE:
            continue
        if decision["id"] in hidden:
            digest(owner).restricted += 1
        else:
            digest(owner).reviews.append(decision)
    wanted = set(departments) if departments else None
    return [found[d] for d in sorted(found) if wanted is None or d in wanted]


def check_addresses(found: list[Digest], sender: str) -> None:
    """Refuse, before anything is written or sent, digests that have nowhere to go."""
    missing = [d.department for d in found if not d.to]
    if missing:
        example = missing[0]
        raise InvalidInput(
            f"no address for {', '.join(missing)} in {config.CONFIG_FILE}: add a role "
            f'address under [{config.ADDRESSES}], e.g. {example} = "{example}@example.org"'
        )
    if not sender:
        raise InvalidInput(
            f"no sender address: set reminders.from in {config.CONFIG_FILE} (a role address, "
            'e.g. from = "hr-steering@example.org")'
        )


def write_eml(found: list[Digest], folder: Path, sender: str, organisation: str,
              commit: str) -> list[Path]:
    """Write each digest as ``<day>-<department>.eml`` in ``folder``."""
    from hrgov.briefing.files import write_atomically

    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(f"--eml-dir {folder} is not a folder (create it first)")
    written = []
    for digest in found:
        path = folder / f"{digest.today.isoformat()}-{digest.department}.eml"
        write_atomically(path, bytes(digest.message(sender, organisation, commit)))
        written.append(path)
    return written


def send(
    found: list[Digest],
    host: str,
    port: int,
    *,
    sender: str,
    organisation: str = "",
    commit: str = "",
    user: str | None = None,
    password: str | None = None,
    timeout: float = 30,
) -> list[Outcome]:
    """Send each digest in one SMTP session; the outcome of each, in order. A session that
    cannot be opened (or logged in to) sends nothing; one the server drops is opened again
    for the digests still to send."""
    outcomes: list[Outcome] = []
    session = None
    cannot = None  # why no session can be opened: the digests left are not tried
    for digest in found:
        if cannot is not None:
            outcomes.append(Outcome(digest.department, False, cannot))
            continue
        try:
            if session is None:
                session = _open(host, port, user, password, timeout)
        except (smtplib.SMTPException, OSError) as error:
            cannot = _said(error, host, port)
            outcomes.append(Outcome(digest.department, False, cannot))
            continue
        try:
            session.send_message(digest.message(sender, organisation, commit))
            outcomes.append(Outcome(digest.department, True))
        except smtplib.SMTPServerDisconnected as error:
            outcomes.append(Outcome(digest.department, False, _said(error, host, port)))
            session = None
        except (smtplib.SMTPException, OSError) as error:
            outcomes.append(Outcome(digest.department, False, _said(error, host, port)))
            if isinstance(error, OSError):
                _close(session)
                session = None
    _close(session)
    return outcomes


def _open(host: str, port: int, user: str | None, password: str | None,
          timeout: float) -> smtplib.SMTP:
    import ssl

    context = ssl.create_default_context()
    if port == 465:  # SMTPS: TLS from the first byte
        session: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        session.ehlo()
    else:
        session = smtplib.SMTP(host, port, timeout=timeout)
        session.ehlo()
        if session.has_extn("starttls"):
            session.starttls(context=context)
            session.ehlo()
        elif user is not None:
            _close(session)
            raise smtplib.SMTPNotSupportedError(
                "the server does not offer STARTTLS, and hrgov never sends a password "
                "unencrypted"
            )
    if user is not None:
        try:
            session.login(user, password or "")
        except smtplib.SMTPException:
            _close(session)
            raise
    return session


def _close(session) -> None:
    if session is None:
        return
    try:
        session.quit()
    except (smtplib.SMTPException, OSError):
        session.close()


def _said(error: Exception, host: str, port: int) -> str:
    """An SMTP failure in one line."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        (address, (code, text)), *_ = error.recipients.items()
        return f"{host} refused {address}: {code} {_text(text)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{host} refused it: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, ConnectionRefusedError):
        return f"nothing answers at {host}:{port} (connection refused)"
    if isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException):
        return f"could not reach {host}:{port}: {error.strerror or error}"
    return f"{host}:{port}: {error}"


def _text(value) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())
