"""Signed decisions: real git, real SSH keys made with ssh-keygen in the test."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from hrgov import config, queries, signing
from tests.conftest import git, head, run_cli, state

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")


def make_key(tmp_path: Path, name: str) -> Path:
    key = tmp_path / "keys" / name
    key.parent.mkdir(exist_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key


def signer_line(principal: str, key: Path) -> str:
    public = key.with_suffix(".pub").read_text().split()
    return f'{principal} namespaces="git" {public[0]} {public[1]}\n'


def plain_commit(root: Path, message: str, *extra: str) -> None:
    git(root, "add", "-A")
    git(root, *extra, "commit", "-q", "-m", message)


@pytest.fixture
def alice(tmp_path) -> Path:
    return make_key(tmp_path, "alice")


@pytest.fixture
def signed(ledger_root, alice, monkeypatch) -> Path:
    """A ledger whose signers are Alice, with ``ledger.sign = "decisions"`` and Alice's key as
    git's user.signingKey. The file and the setting come in one plain commit, while signing
    was still off: the first allowed_signers needs no signature."""
    (ledger_root / "allowed_signers").write_text(signer_line("alice@example.org", alice))
    settings = config.parse((ledger_root / "hrgov.toml").read_text())
    settings["ledger.sign"] = "decisions"
    (ledger_root / "hrgov.toml").write_text(config.render(settings))
    plain_commit(ledger_root, "Sign decisions; Alice signs")
    git(ledger_root, "config", "user.signingKey", str(alice))
    monkeypatch.delenv(signing.KEY_VARIABLE, raising=False)
    return ledger_root


def cli(root: Path, *args: str):
    return run_cli("--ledger", str(root), *args)


def log_decision(root: Path, title: str = "Adopt screening") -> str:
    result = cli(root, "log", "decision", title, "--date", "2026-03-04")
    assert result.code == 0, result.err
    return result.out.strip()


def verify(root: Path):
    return cli(root, "verify")


def test_signed_decision_carries_gits_own_signature_and_verifies(signed, alice, tmp_path):
    log_decision(signed)
    raw = git(signed, "cat-file", "commit", "HEAD")
    headers = raw.split("\n\n", 1)[0].split("\n")
    assert headers[3].startswith("committer ")
    assert headers[4] == "gpgsig -----BEGIN SSH SIGNATURE-----"
    assert headers[-1] == " -----END SSH SIGNATURE-----"
    assert all(line.startswith(" ") for line in headers[5:])
    allowed = tmp_path / "allowed"
    allowed.write_text(signer_line("alice@example.org", alice))
    checked = subprocess.run(
        ["git", "-C", str(signed), "-c", f"gpg.ssh.allowedSignersFile={allowed}",
         "verify-commit", "HEAD"], capture_output=True, text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert 'Good "git" signature for alice@example.org' in checked.stderr
    result = verify(signed)
    assert result.code == 0, result.out + result.err


def test_the_signature_is_byte_for_byte_what_git_commit_s_writes(tmp_path, alice):
    repo = tmp_path / "scratch"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "f").write_text("x\n")
    git(repo, "add", "f")
    git(repo, "-c", "gpg.format=ssh", "-c", f"user.signingKey={alice}", "commit", "-q", "-S",
        "-m", "subject\n\nbody")
    made = subprocess.run(["git", "-C", str(repo), "cat-file", "commit", "HEAD"],
                          capture_output=True, check=True).stdout
    unsigned = re.sub(rb"gpgsig [^\n]*\n( [^\n]*\n)*", b"", made)
    signers = signer_line("alice@example.org", alice).encode()
    ours = signing.Signer(repo, str(alice), "all", signers).sign(unsigned)
    assert ours == made  # ed25519 signatures are deterministic
    payload, signature = signing.split_signature(made)
    assert payload == unsigned
    assert signature.startswith(b"-----BEGIN SSH SIGNATURE-----\n")
    assert signature.endswith(b"-----END SSH SIGNATURE-----\n")


def test_history_says_who_signed(signed):
    decision = log_decision(signed)
    versions = cli(signed, "history", decision, "--format", "json").json
    assert [v["signed_by"] for v in versions] == ["alice@example.org"]
    table = cli(signed, "history", decision)
    assert "alice@example.org" in table.out


def test_the_index_knows_which_decisions_a_signer_signed_and_a_rebuild_agrees(signed):
    first = log_decision(signed, "Adopt screening")
    second = log_decision(signed, "Review screening")
    path = next((signed / "records" / "decisions").rglob(f"{second}.json"))
    path.write_text(path.read_text().replace("Review screening", "Review it all"))
    plain_commit(signed, "edited by hand")  # unsigned: the decision is no longer all signed
    for command in ("due", "rebuild"):  # the index catches up; then it is built anew
        assert cli(signed, command).code == 0
        conn = sqlite3.connect(signed / ".hrgov" / "ledger.db")
        try:
            assert queries.signed_decisions(conn, [first, second]) == {first}
        finally:
            conn.close()


def test_no_key_refuses_saying_what_to_set_and_writes_nothing(signed):
    git(signed, "config", "--unset", "user.signingKey")
    before = state(signed)
    result = cli(signed, "log", "decision", "Adopt screening", "--date", "2026-03-04")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "user.signingKey" in result.err and "HRGOV_SIGNING_KEY" in result.err
    assert "nothing was written" in result.err
    assert state(signed) == before


def test_a_missing_key_file_refuses(signed, monkeypatch, tmp_path):
    monkeypatch.setenv(signing.KEY_VARIABLE, str(tmp_path / "nowhere"))
    before = state(signed)
    result = cli(signed, "log", "decision", "Adopt screening", "--date", "2026-03-04")
    assert result.code == 1 and "HRGOV_SIGNING_KEY" in result.err
    assert state(signed) == before


def test_signing_off_writes_unsigned_commits_and_verify_is_quiet(ledger_root):
    log_decision(ledger_root)
    assert "gpgsig" not in git(ledger_root, "cat-file", "commit", "HEAD")
    assert verify(ledger_root).code == 0


def test_an_unsigned_decision_commit_is_named(signed, monkeypatch):
    log_decision(signed, "Signed one")
    # The same command with the key withheld and signing bypassed: a commit that should
    # have been signed and is not (as a plain-git or older-hrgov commit would be).
    monkeypatch.setattr(signing, "signer_for", lambda root, paths: None)
    log_decision(signed, "Unsigned one")
    monkeypatch.undo()
    unsigned = head(signed)
    result = verify(signed)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if unsigned[:12] in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"commit {unsigned[:12]} (")
    assert 'not signed, but ledger.sign is "decisions"' in lines[0]


def test_a_plain_git_decision_commit_is_named(signed):
    log_decision(signed)
    decision = next((signed / "records" / "decisions").rglob("*.json"))
    decision.write_text(decision.read_text().replace("Adopt screening", "Adopt screenings"))
    plain_commit(signed, "edited by hand")
    result = verify(signed)
    assert result.code == 1
    assert f"commit {head(signed)[:12]}" in result.out
    assert "not signed" in result.out


def test_a_key_not_among_the_signers_is_refused_before_anything_is_written(
    signed, tmp_path, monkeypatch
):
    log_decision(signed)
    mallory = make_key(tmp_path, "mallory")
    monkeypatch.setenv(signing.KEY_VARIABLE, str(mallory))
    before = state(signed)
    result = cli(signed, "log", "decision", "Slipped in", "--date", "2026-03-04")
    assert result.code == 1
    assert f"the signing key {mallory} is not in allowed_signers" in result.err
    assert state(signed) == before


def test_a_commit_signed_by_an_unknown_key_is_named(signed, tmp_path):
    log_decision(signed)
    mallory = make_key(tmp_path, "mallory")
    decision = next((signed / "records" / "decisions").rglob("*.json"))
    decision.write_text(decision.read_text().replace("Adopt screening", "Adopt screenings"))
    plain_commit(signed, "Slipped in", "-c", "gpg.format=ssh", "-c",
                 f"user.signingKey={mallory}", "-c", "commit.gpgSign=true")
    result = verify(signed)
    assert result.code == 1
    named = [line for line in result.out.splitlines() if line.startswith("commit ")]
    assert len(named) == 1 and head(signed)[:12] in named[0]
    assert "signed by a key not in allowed_signers" in named[0]


def test_requiring_signatures_before_anyone_can_sign_is_refused(ledger_root):
    before = state(ledger_root)
    result = cli(ledger_root, "signers", "require", "decisions")
    assert result.code == 2 and "hrgov signers add" in result.err
    assert state(ledger_root) == before


def test_an_altered_signed_commit_is_named(signed):
    log_decision(signed)
    raw = subprocess.run(["git", "-C", str(signed), "cat-file", "commit", "HEAD"],
                         capture_output=True, check=True).stdout
    forged = raw.replace(b"log decision D-2026-0001: Adopt", b"log decision D-2026-0001: Adapt")
    assert forged != raw
    sha = subprocess.run(
        ["git", "-C", str(signed), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=forged, capture_output=True, check=True,
    ).stdout.decode().strip()
    git(signed, "update-ref", "HEAD", sha)
    result = verify(signed)
    assert result.code == 1
    assert f"commit {sha[:12]}" in result.out
    assert "the signature does not match" in result.out


def test_a_signer_removed_by_an_unsigned_commit_is_named(signed, tmp_path):
    bob = make_key(tmp_path, "bob")
    (signed / "allowed_signers").write_text(
        signer_line("alice@example.org", signed.parent / "keys" / "alice")
        + signer_line("bob@example.org", bob)
    )
    plain_commit(signed, "Bob joins", "-c", "gpg.format=ssh", "-c", f"user.signingKey={bob}",
                 "-c", "commit.gpgSign=true")
    # Signed, but by Bob, who was not yet a signer: a commit may not authorise itself.
    joined = head(signed)
    (signed / "allowed_signers").write_text(signer_line("bob@example.org", bob))
    plain_commit(signed, "Alice removed, unsigned")
    removed = head(signed)
    result = verify(signed)
    assert result.code == 1
    lines = {line.split()[1]: line for line in result.out.splitlines()
             if line.startswith("commit ")}
    assert "signed by a key not in allowed_signers" in lines[joined[:12]]
    assert "not signed" in lines[removed[:12]]


def test_a_signer_added_by_a_signed_member_verifies(signed, alice, tmp_path):
    bob = make_key(tmp_path, "bob")
    (signed / "allowed_signers").write_text(
        signer_line("alice@example.org", alice) + signer_line("bob@example.org", bob)
    )
    plain_commit(signed, "Bob joins", "-c", "gpg.format=ssh", "-c", f"user.signingKey={alice}",
                 "-c", "commit.gpgSign=true")
    git(signed, "config", "user.signingKey", str(bob))
    decision = log_decision(signed)
    assert verify(signed).code == 0
    versions = cli(signed, "history", decision, "--format", "json").json
    assert versions[-1]["signed_by"] == "bob@example.org"


def test_allowed_signers_edited_by_hand_is_named_even_with_signing_off(ledger_root, alice):
    (ledger_root / "allowed_signers").write_text(signer_line("alice@example.org", alice))
    plain_commit(ledger_root, "Alice signs")  # the first one: allowed unsigned
    assert verify(ledger_root).code == 0
    with (ledger_root / "allowed_signers").open("a") as out:
        out.write('eve@example.org namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE\n')
    plain_commit(ledger_root, "Eve too")
    result = verify(ledger_root)
    assert result.code == 1
    assert f"commit {head(ledger_root)[:12]}" in result.out
    assert "not signed, but it changes allowed_signers" in result.out


def test_turning_signing_off_needs_a_signature(signed):
    settings = config.parse((signed / "hrgov.toml").read_text())
    settings["ledger.sign"] = ""
    (signed / "hrgov.toml").write_text(config.render(settings))
    plain_commit(signed, "Stop signing")
    result = verify(signed)
    assert result.code == 1 and f"commit {head(signed)[:12]}" in result.out


def test_sign_all_signs_every_change(signed):
    settings = config.parse((signed / "hrgov.toml").read_text())
    settings["ledger.sign"] = "all"
    (signed / "hrgov.toml").write_text(config.render(settings))
    plain_commit(signed, "Sign everything", "-c", "gpg.format=ssh", "-c", "commit.gpgSign=true")
    meeting = cli(signed, "log", "meeting", "--date", "2026-03-04")
    assert meeting.code == 0, meeting.err
    assert "gpgsig" in git(signed, "cat-file", "commit", "HEAD")
    assert verify(signed).code == 0
    git(signed, "commit", "-q", "--allow-empty", "-m", "plain")
    result = verify(signed)
    assert result.code == 1
    assert 'not signed, but ledger.sign is "all"' in result.out


def test_signers_commands_keep_the_ledger_verifiable(ledger_root, alice, tmp_path, monkeypatch):
    monkeypatch.delenv(signing.KEY_VARIABLE, raising=False)
    bob = make_key(tmp_path, "bob")
    first = cli(ledger_root, "signers", "add", "alice@example.org", "--key", f"{alice}.pub")
    assert first.code == 0, first.err  # the first signer: nobody could sign it yet
    required = cli(ledger_root, "signers", "require", "decisions")
    assert required.code == 0, required.err
    git(ledger_root, "config", "user.signingKey", str(alice))
    log_decision(ledger_root)
    added = cli(ledger_root, "signers", "add", "bob@example.org", "--key", f"{bob}.pub")
    assert added.code == 0, added.err
    assert "gpgsig" in git(ledger_root, "cat-file", "commit", "HEAD")
    listed = cli(ledger_root, "signers", "list", "--format", "json").json
    assert [s["principal"] for s in listed] == ["alice@example.org", "bob@example.org"]
    git(ledger_root, "config", "user.signingKey", str(bob))
    removed = cli(ledger_root, "signers", "remove", "alice@example.org", "--reason", "left")
    assert removed.code == 0, removed.err
    assert verify(ledger_root).code == 0, verify(ledger_root).out
    git(ledger_root, "config", "user.signingKey", str(alice))  # no longer a signer
    late = cli(ledger_root, "log", "decision", "Late", "--date", "2026-03-04")
    assert late.code == 1 and "is not in allowed_signers" in late.err
    git(ledger_root, "config", "--unset", "user.signingKey")
    before = state(ledger_root)
    refused = cli(ledger_root, "signers", "require", "none")
    assert refused.code == 1 and "user.signingKey" in refused.err
    assert state(ledger_root) == before


def test_a_bad_signer_is_refused(ledger_root, tmp_path):
    (tmp_path / "not.pub").write_text("hello\n")
    result = cli(ledger_root, "signers", "add", "alice@example.org", "--key", "not.pub")
    assert result.code == 2 and "SSH public key" in result.err
    result = cli(ledger_root, "signers", "add", "two words", "--key", "not.pub")
    assert result.code == 2


def test_a_briefing_tag_is_signed_as_git_tag_s_signs_it(signed, alice, tmp_path):
    log_decision(signed)
    briefing = cli(signed, "brief", "--year", "2026", "-o", str(tmp_path / "b.docx"))
    assert briefing.code == 0, briefing.err
    tag = git(signed, "tag", "--list", "hrgov/brief/*").strip()
    assert git(signed, "cat-file", "-t", tag).strip() == "tag"
    checked = subprocess.run(
        ["git", "-C", str(signed), "-c", "gpg.format=ssh", "-c",
         f"gpg.ssh.allowedSignersFile={signed / 'allowed_signers'}", "tag", "-v", tag],
        capture_output=True, text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert 'Good "git" signature for alice@example.org' in checked.stderr
    assert git(signed, "rev-parse", f"{tag}^{{commit}}").strip() == head(signed)
    assert verify(signed).code == 0


def test_a_forged_or_unsigned_briefing_tag_is_named(signed, tmp_path):
    log_decision(signed)
    assert cli(signed, "brief", "--year", "2026", "-o", str(tmp_path / "b.docx")).code == 0
    tag = git(signed, "tag", "--list", "hrgov/brief/*").strip()
    raw = subprocess.run(["git", "-C", str(signed), "cat-file", "tag", tag],
                         capture_output=True, check=True).stdout
    forged = raw.replace(b"Board briefing built", b"Board paper built")
    sha = subprocess.run(["git", "-C", str(signed), "hash-object", "-t", "tag", "-w", "--stdin"],
                         input=forged, capture_output=True, check=True).stdout.decode().strip()
    git(signed, "update-ref", f"refs/tags/{tag}", sha)
    git(signed, "tag", "hrgov/brief/2026-01-01-unsigned", "HEAD")
    result = verify(signed)
    assert result.code == 1
    assert f"briefing tag {tag}: the signature does not match" in result.out
    assert ("briefing tag hrgov/brief/2026-01-01-unsigned: not signed, but ledger.sign was "
            '"decisions"') in result.out


def test_a_briefing_without_the_key_signing_needs_is_refused_first(signed, tmp_path):
    log_decision(signed)
    git(signed, "config", "--unset", "user.signingKey")
    before = state(signed)
    result = cli(signed, "brief", "--year", "2026", "-o", str(tmp_path / "b.docx"))
    assert result.code == 1 and "user.signingKey" in result.err
    assert not (tmp_path / "b.docx").exists()
    assert state(signed) == before
    assert git(signed, "tag", "--list", "hrgov/brief/*").strip() == ""


def test_the_board_paper_says_how_many_decisions_a_member_signed_and_what_changed_after_approval(
    signed, tmp_path
):
    import docx

    assert cli(signed, "log", "meeting", "--date", "2026-03-04").code == 0
    first = cli(signed, "log", "decision", "Adopt screening", "--date", "2026-03-04",
                "--meeting", "MTG-2026-03-04", "--no-input").out.split()[0]
    second = log_decision(signed, "Review screening")
    assert cli(signed, "approve", "MTG-2026-03-04", "--on", "2026-04-08",
               "--reason", "Approved as read").code == 0
    changed = cli(signed, "decision", "status", first, "implemented", "--note",
                  "Implemented in May")
    assert changed.code == 0, changed.err
    path = next((signed / "records" / "decisions").rglob(f"{second}.json"))
    path.write_text(path.read_text().replace("Review screening", "Review it all"))
    plain_commit(signed, "edited by hand")  # unsigned: that decision is not all signed
    out = tmp_path / "b.docx"
    assert cli(signed, "brief", "--year", "2026", "-o", str(out)).code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "1 of 2 decisions of the period signed by a committee member" in text
    assert "1 change to decisions after their minutes were approved" in text
    assert f"{first}, " in text and "Implemented in May" in text
