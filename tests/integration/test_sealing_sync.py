"""Sealed records shared through a real bare remote: ``hrgov sync`` carries only ciphertext,
shares the recipients' key store beside the history, merges sealed records, and carries a
shred to every clone."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import git, run_cli
from tests.integration.test_sealing import age_key, public, ssh_key

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")

ALICE = "Alice Secretary <alice@example.org>"
BOB = "Bob Member <bob@example.org>"
SECRETS = ("Zorblax Quimby", "Wibbleton Frag", "Quaffle Nurd")


class Member:
    """A committee member's clone of the shared ledger, with their own key."""

    def __init__(self, root: Path, author: str, key: Path):
        self.root, self.author, self.key = root, author, key

    def __call__(self, monkeypatch, *args: str):
        monkeypatch.setenv("HRGOV_IDENTITY", str(self.key))
        result = run_cli("--ledger", str(self.root), "--as", self.author, *args)
        assert result.code == 0, (args, result.out, result.err)
        return result

    def log(self, monkeypatch, title: str, day: str) -> str:
        return self(monkeypatch, "log", "decision", title, "--date", day, "--sensitivity",
                    "restricted", "--no-input").out.split()[0]

    def title(self, monkeypatch, record_id: str) -> str | None:
        shown = json.loads(self(monkeypatch, "show", record_id, "--format", "json").out)
        return (shown[0] if isinstance(shown, list) else shown).get("title")


def objects(repository: Path) -> bytes:
    return subprocess.run(["git", "-C", str(repository), "cat-file", "--batch-all-objects",
                           "--batch"], capture_output=True, check=True).stdout


@pytest.fixture
def shared(ledger_root, tmp_path, monkeypatch):
    """A bare remote; Alice (age key) and Bob (SSH key) each clone it; Alice makes both of
    them recipients and shares that."""
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(ledger_root), str(remote)], check=True)
    keys = tmp_path / "keys"
    keys.mkdir()
    members = []
    for name, author, key in (("alice", ALICE, age_key(keys, "alice")),
                              ("bob", BOB, ssh_key(keys, "bob"))):
        assert run_cli("clone", str(remote), str(tmp_path / name)).code == 0
        members.append(Member(tmp_path / name, author, key))
    alice, bob = members
    alice(monkeypatch, "recipients", "add", public(alice.key))
    alice(monkeypatch, "recipients", "add", public(bob.key))
    alice(monkeypatch, "sync")
    bob(monkeypatch, "sync")
    return remote, alice, bob


@pytest.mark.slow  # three clones and five syncs
def test_sync_carries_ciphertext_and_the_key_store_so_recipients_read_and_merge(
    shared, monkeypatch
):
    remote, alice, bob = shared
    first = alice.log(monkeypatch, f"Protect {SECRETS[0]}", "2026-03-04")
    alice(monkeypatch, "sync")
    bob(monkeypatch, "sync")
    assert bob.title(monkeypatch, first) == f"Protect {SECRETS[0]}"
    # both log one offline: the second to sync is renumbered, sealed anew by the merge
    bobs = bob.log(monkeypatch, f"Support {SECRETS[1]}", "2026-03-05")
    alices = alice.log(monkeypatch, f"Move {SECRETS[2]}", "2026-03-06")
    assert bobs == alices
    alice(monkeypatch, "sync")
    said = bob(monkeypatch, "sync").err
    assert f"renumbered {bobs}" in said
    alice(monkeypatch, "sync")
    for member in (alice, bob):
        titles = {member.title(monkeypatch, i) for i in ("D-2026-0001", "D-2026-0002",
                                                          "D-2026-0003")}
        assert titles == {f"Protect {SECRETS[0]}", f"Support {SECRETS[1]}",
                          f"Move {SECRETS[2]}"}
        assert member(monkeypatch, "verify").code == 0
    # a new clone of a recipient reads them at once: the clone brings the key store
    assert run_cli("clone", str(remote), str(bob.root.parent / "bob-again")).code == 0
    again = Member(bob.root.parent / "bob-again", BOB, bob.key)
    assert again.title(monkeypatch, "D-2026-0001") == f"Protect {SECRETS[0]}"
    stored = objects(remote)
    assert b"ongoing-hrdd" in stored  # the search does find what is in clear
    assert not any(secret.encode() in stored for secret in SECRETS)
    assert git(remote, "show-ref").count("refs/hrgov/keys/store") == 1
    assert not any(secret in git(member.root, "log", "--all", "--format=%B")
                   for member in (alice, bob) for secret in SECRETS)


@pytest.mark.slow  # two clones and four syncs
def test_a_shred_reaches_the_other_clones_key_store(shared, monkeypatch):
    remote, alice, bob = shared
    record = alice.log(monkeypatch, f"Protect {SECRETS[0]}", "2026-03-04")
    alice(monkeypatch, "sync")
    bob(monkeypatch, "sync")
    assert bob.title(monkeypatch, record) == f"Protect {SECRETS[0]}"
    assert (bob.root / ".git/hrgov/keys" / record).is_dir()
    alice(monkeypatch, "shred", record, "--reason", "the volunteer asked us to erase it")
    alice(monkeypatch, "sync")
    bob(monkeypatch, "sync")
    assert not (bob.root / ".git/hrgov/keys" / record).exists()
    assert bob.title(monkeypatch, record) is None
    done = bob(monkeypatch, "verify")
    assert done.code == 0
    # the remote's key store no longer holds it either
    listing = git(remote, "ls-tree", "-r", "--name-only", "refs/hrgov/keys/store")
    assert record not in listing
    from hrgov import sealing

    for member in (alice, bob):
        monkeypatch.setenv("HRGOV_IDENTITY", str(member.key))
        sealer = sealing.Sealer(member.root)
        for sha in git(member.root, "rev-list", "--all").split():
            found = subprocess.run(
                ["git", "-C", str(member.root), "show",
                 f"{sha}:records/decisions/2026/{record}.json"], capture_output=True)
            if found.returncode == 0 and b'"sealed"' in found.stdout:
                assert sealer.open(json.loads(found.stdout)) is None


def test_the_reason_a_sealed_conflict_was_settled_is_sealed_too(shared, monkeypatch):
    remote, alice, bob = shared
    decision = alice.log(monkeypatch, f"Protect {SECRETS[0]}", "2026-03-04")
    alice(monkeypatch, "sync")
    bob(monkeypatch, "sync")
    alice(monkeypatch, "edit", decision, "text=Here", "--reason", "ours")
    alice(monkeypatch, "sync")
    bob(monkeypatch, "edit", decision, "text=There", "--reason", "theirs")
    monkeypatch.setenv("HRGOV_IDENTITY", str(bob.key))
    stopped = run_cli("--ledger", str(bob.root), "--as", BOB, "sync")
    assert stopped.code == 1 and f"conflict: {decision} text" in stopped.out
    why = f"{SECRETS[1]} asked for the wording"
    bob(monkeypatch, "resolve", decision, "--take", "text=Agreed", "--reason", why)
    bob(monkeypatch, "sync")
    assert why.encode() not in objects(remote)
    history = json.loads(bob(monkeypatch, "history", decision, "--format", "json").out)
    assert history[-1]["reason"] == why  # a recipient reads it
    assert bob(monkeypatch, "verify").code == 0
