"""hrgov remind through the real CLI, sending to a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import subprocess
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.conftest import AUTHOR, head, new_ledger, run_cli

TODAY = date.today()
ADDRESSES = {"legal": "legal-hr@example.org", "trust-and-safety": "ts-focal@example.org"}
SENDER = "hr-steering@example.org"


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
def ledger_with_deadlines(tmp_path_factory):
    """Legal: one milestone overdue, one due in 5 days, a decision to review in 3 days and a
    restricted milestone due in 2; trust-and-safety: one due in 7; grants: one in 60 days
    (outside the digests). The role addresses are committed in hrgov.toml."""
    from hrgov import config, operations

    with new_ledger(tmp_path_factory, "remind") as ledger:
        root = ledger.root
        add = operations.add_milestone
        add(ledger, "Write the procedure", commitment="ongoing-hrdd", due=day(-10),
            owner="legal")
        add(ledger, "Review the contracts", commitment="ongoing-hrdd", due=day(5), owner="legal")
        add(ledger, "Relocate the northern team", commitment="ongoing-hrdd", due=day(2),
            owner="legal", sensitivity="restricted")
        add(ledger, "Train the moderators", commitment="ts-tools", due=day(7),
            owner="trust-and-safety")
        add(ledger, "Grant criteria", commitment="ongoing-hrdd", due=day(60), owner="grants")
        operations.log_decision(ledger, "Adopt screening", date=day(-30), owner="legal",
                                review_by=day(3))
        values = ledger.settings()
        values["reminders.from"] = SENDER
        values.update({f"reminders.to.{d}": a for d, a in ADDRESSES.items()})
        with ledger.change("settings", author=AUTHOR) as tx:
            tx.put_file(config.CONFIG_FILE, config.render(values).encode("utf-8"))
    return root


@pytest.fixture
def root(ledger_with_deadlines, tmp_path):
    copy = tmp_path / "ledger"
    shutil.copytree(ledger_with_deadlines, copy, symlinks=True)
    return copy


def hrgov(root, *args):
    return run_cli("--ledger", str(root), *args)


class Inbox:
    """An aiosmtpd handler that keeps what it accepts and refuses the addresses told."""

    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.messages: list[email.message.Message] = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start a real SMTP server on loopback: ``server(inbox, **smtp options)`` → port."""
    started = []

    def start(inbox, **options) -> int:
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def test_each_department_gets_one_digest(root, smtp_server):
    inbox = Inbox()
    port = smtp_server(inbox)
    result = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}")
    assert result.code == 0, result.err
    assert inbox.to() == sorted(ADDRESSES.values())
    legal = next(m for m in inbox.messages if m["To"] == ADDRESSES["legal"])
    assert legal["From"] == SENDER and legal["Auto-Submitted"] == "auto-generated"
    assert legal["Subject"] == ("Human-rights commitments, Legal: 1 overdue, 1 due by "
                                f"{day(14)}, 1 decision review(s), 1 restricted")
    body = legal.get_payload(decode=True).decode()
    assert f"MS-2026-0001  due {day(-10)} (10 days late): Write the procedure" in body
    assert f"due {day(5)} (in 5 days): Review the contracts" in body
    assert f"review by {day(3)}: Adopt screening" in body
    assert "Restricted items, not listed in e-mail: 1" in body
    ts = next(m for m in inbox.messages if m["To"] == ADDRESSES["trust-and-safety"])
    assert "Train the moderators" in ts.get_payload(decode=True).decode()
    for message in inbox.messages:  # no restricted record, no digest for grants
        assert "northern" not in message.as_string() and "Grant criteria" not in \
            message.as_string()
    assert "sent legal → legal-hr@example.org" in result.err


def test_a_refused_digest_is_reported_and_sent_again_alone(root, smtp_server):
    inbox = Inbox(refuse={ADDRESSES["legal"]})
    port = smtp_server(inbox)
    result = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}")
    assert result.code == 1
    assert inbox.to() == [ADDRESSES["trust-and-safety"]]
    assert f"NOT sent legal → {ADDRESSES['legal']}: 127.0.0.1 refused {ADDRESSES['legal']}: " \
           "550 5.1.1 mailbox unavailable" in result.err
    assert "sent trust-and-safety → ts-focal@example.org" in result.err
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("hrgov: error: 1 of 2 digests not sent (legal); the others were sent")
    assert last.endswith(f"--smtp 127.0.0.1:{port} --department legal")
    inbox.refuse.clear()
    again = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}", "--department", "legal")
    assert again.code == 0, again.err
    assert inbox.to() == sorted(ADDRESSES.values())  # each exactly once


def test_a_server_that_is_down_sends_nothing_and_says_each(root):
    port = free_port()  # nothing listens there
    result = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}")
    assert result.code == 1
    for department, address in ADDRESSES.items():
        assert f"NOT sent {department} → {address}: nothing answers at 127.0.0.1:{port}" \
            in result.err
    assert "2 of 2 digests not sent (legal, trust-and-safety)" in result.err


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for localhost, made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )
    return folder / "cert.pem", folder / "key.pem"


def test_starttls_and_login_with_the_password_from_the_environment(
    root, smtp_server, certificate, monkeypatch
):
    import ssl

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, data):
        logins.append((data.login, data.password, session.ssl is not None))
        return AuthResult(success=data.password == b"s3cret", handled=False)

    inbox = Inbox()
    port = smtp_server(inbox, tls_context=context, require_starttls=True,
                       authenticator=authenticator, auth_required=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this certificate
    missing = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}", "--smtp-user", "hr-bot")
    assert missing.code == 2 and "set HRGOV_SMTP_PASSWORD" in missing.err
    assert inbox.messages == [] and logins == []
    monkeypatch.setenv("HRGOV_SMTP_PASSWORD", "wrong")
    refused = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}", "--smtp-user", "hr-bot")
    assert refused.code == 1 and "2 of 2 digests not sent" in refused.err
    assert "refused it: 535" in refused.err and inbox.messages == []
    monkeypatch.setenv("HRGOV_SMTP_PASSWORD", "s3cret")
    result = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}", "--smtp-user", "hr-bot")
    assert result.code == 0, result.err
    assert inbox.to() == sorted(ADDRESSES.values())
    assert logins[-1] == (b"hr-bot", b"s3cret", True)  # over TLS


def test_no_password_goes_to_a_server_without_starttls(root, smtp_server, monkeypatch):
    inbox = Inbox()
    port = smtp_server(inbox, auth_require_tls=False)
    monkeypatch.setenv("HRGOV_SMTP_PASSWORD", "s3cret")
    result = hrgov(root, "remind", "--smtp", f"127.0.0.1:{port}", "--smtp-user", "hr-bot")
    assert result.code == 1 and inbox.messages == []
    assert "does not offer STARTTLS, and hrgov never sends a password unencrypted" in result.err


def test_eml_files_one_per_department(root, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = hrgov(root, "remind", "--eml-dir", str(out))
    assert result.code == 0, result.err
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"{TODAY.isoformat()}-legal.eml", f"{TODAY.isoformat()}-trust-and-safety.eml"]
    message = email.message_from_bytes((out / names[0]).read_bytes(),
                                       policy=email.policy.default)
    assert message["To"] == ADDRESSES["legal"] and message["From"] == SENDER
    assert "Review the contracts" in message.get_payload(decode=True).decode()


def test_printed_digests_and_json(root):
    printed = hrgov(root, "remind", "--within", "30")
    assert printed.code == 0, printed.err
    assert "To: legal-hr@example.org" in printed.out and "Grant criteria" not in printed.out
    assert "northern" not in printed.out
    wider = hrgov(root, "remind", "--within", "90", "--format", "json").json
    assert [d["department"] for d in wider] == ["grants", "legal", "trust-and-safety"]
    assert wider[0]["to"] is None and wider[1]["restricted"] == 1
    assert [m["title"] for m in wider[1]["overdue"]] == ["Write the procedure"]
    rows = hrgov(root, "remind", "--format", "csv").out.splitlines()
    assert rows[0] == "department,to,what,id,date,title"
    assert f"legal,legal-hr@example.org,overdue,MS-2026-0001,{day(-10)},Write the procedure" \
        in rows and len(rows) == 5  # legal: 3 items (the restricted one left out), t&s: 1


@pytest.mark.parametrize("args, message", [
    (["--within", "90", "--eml-dir", "{out}"], "no address for grants in hrgov.toml"),
    (["--within", "90", "--smtp", "127.0.0.1:1"], "no address for grants"),
    (["--smtp", "mail:abc"], "--smtp 'mail:abc' is not HOST or HOST:PORT"),
    (["--smtp-user", "bot"], "--smtp-user needs --smtp"),
    (["--department", "nobody"], "no department nobody"),
    (["--eml-dir", "{out}/missing"], "is not a folder"),
])
def test_bad_input_sends_and_writes_nothing(root, tmp_path, args, message):
    out = tmp_path / "out"
    out.mkdir()
    before = head(root)
    result = hrgov(root, "remind", *[a.format(out=out) for a in args])
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert result.err.startswith("hrgov: error: ") and message in result.err
    assert list(out.iterdir()) == [] and head(root) == before


def test_help_examples_run(root):
    import shlex

    text = run_cli("remind", "--help").out
    examples = [line.strip() for line in text.splitlines()
                if "hrgov remind " in line and not line.startswith("Usage")]
    assert len(examples) == 3
    for example in examples[:2]:  # the third needs a real mail server: tested above
        result = hrgov(root, *shlex.split(example)[1:])
        assert result.code == 0, (example, result.err)
