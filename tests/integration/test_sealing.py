"""Restricted records sealed at rest: real git, real keys made in the test (age and SSH), real
SQLite files searched byte by byte for the plaintext."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pyrage import x25519

from tests.conftest import AUTHOR, git, head, run_cli, state

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")

SECRET = "Zorblax Quimby"  # in the restricted record's title only
SECRET_WHY = "Quimby asked twice"  # in the reason of a change of it only
SEEN = "Publish the volunteer safety guide"  # an internal record: the search can find things


def age_key(folder: Path, name: str) -> Path:
    identity = x25519.Identity.generate()
    path = folder / name
    path.write_text(f"# {name}\n{identity}\n")
    path.with_suffix(".pub").write_text(f"{identity.to_public()}\n")
    return path


def ssh_key(folder: Path, name: str) -> Path:
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                    str(path)], check=True)
    return path


def public(key: Path) -> str:
    return key.with_suffix(".pub").read_text().strip()


def cli(root: Path, *args: str):
    return run_cli("--ledger", str(root), *args)


def as_(monkeypatch, key: Path | None) -> None:
    if key is None:
        monkeypatch.delenv("HRGOV_IDENTITY", raising=False)
    else:
        monkeypatch.setenv("HRGOV_IDENTITY", str(key))


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    """Alice (age) and Bob (SSH) sit on the committee; Carol (age) does not."""
    folder = tmp_path_factory.mktemp("keys")
    return {"alice": age_key(folder, "alice"), "bob": ssh_key(folder, "bob"),
            "carol": age_key(folder, "carol")}


@pytest.fixture(scope="module")
def sealed(_template_ledger, keys, tmp_path_factory) -> Path:
    """A ledger whose recipients are Alice and Bob, holding one restricted decision
    (D-2026-0001, changed once with a reason) and one internal one (D-2026-0002), written
    with Alice's key. Tests copy it before changing anything."""
    base = tmp_path_factory.mktemp("sealed")
    root = base / "ledger"
    shutil.copytree(_template_ledger, root, symlinks=True)
    (base / "gitconfig").write_text("[user]\n\tname = Git User\n\temail = git@example.org\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", str(base / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("HRGOV_AUTHOR", AUTHOR)
        patch.setenv("HRGOV_IDENTITY", str(keys["alice"]))
        for who in ("alice", "bob"):
            done = cli(root, "recipients", "add", public(keys[who]), "--label", who)
            assert done.code == 0, done.err
        for args in (
            ("log", "decision", f"Protect {SECRET} after the article", "--date", "2026-03-04",
             "--sensitivity", "restricted", "--rationale", f"{SECRET} was threatened"),
            ("log", "decision", SEEN, "--date", "2026-03-05"),
            ("edit", "D-2026-0001", "review_by=2026-09-01", "--reason", SECRET_WHY),
        ):
            done = cli(root, *args)
            assert done.code == 0, done.err
    return root


@pytest.fixture
def copy(sealed, tmp_path) -> Path:
    """This test's own copy of the sealed ledger, with its key store (a recipient's clone)."""
    root = tmp_path / "copy"
    shutil.copytree(sealed, root, symlinks=True)
    return root


def every_object(root: Path) -> bytes:
    return subprocess.run(["git", "-C", str(root), "cat-file", "--batch-all-objects", "--batch"],
                          capture_output=True, check=True).stdout


def index_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (root / ".hrgov").glob("ledger.db*"))


def shown(root: Path, record_id: str) -> dict:
    done = cli(root, "show", record_id, "--format", "json")
    assert done.code == 0, done.err
    found = done.json
    return found[0] if isinstance(found, list) else found


def test_the_examples_in_the_docstrings_hold():
    import doctest

    from hrgov import sealing

    assert doctest.testmod(sealing).failed == 0


def test_the_plaintext_is_in_no_git_object_and_no_commit_message(sealed):
    objects = every_object(sealed)
    assert SEEN.encode() in objects  # the search does find what is in clear
    assert SECRET.encode() not in objects
    assert SECRET_WHY.encode() not in objects
    messages = git(sealed, "log", "--format=%B")
    assert SECRET not in messages and SECRET_WHY not in messages
    assert "log decision D-2026-0001: sealed" in messages
    outline = json.loads((sealed / "records/decisions/2026/D-2026-0001.json").read_text())
    assert set(outline) == {"date", "id", "kind", "review_by", "sealed", "sensitivity",
                            "status"}


def test_a_recipient_reads_it_with_an_ssh_key(copy, keys, monkeypatch):
    as_(monkeypatch, keys["bob"])
    assert cli(copy, "rebuild").code == 0
    record = shown(copy, "D-2026-0001")
    assert record["title"] == f"Protect {SECRET} after the article"
    assert record["rationale"] == f"{SECRET} was threatened"
    history = cli(copy, "history", "D-2026-0001", "--format", "json").json
    assert history[-1]["reason"] == SECRET_WHY
    assert cli(copy, "verify").code == 0


def test_a_clone_without_a_key_shows_it_sealed_counts_it_and_verifies(sealed, tmp_path,
                                                                       monkeypatch):
    as_(monkeypatch, None)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(sealed), str(clone))
    record = shown(clone, "D-2026-0001")
    assert record["sealed"] is True and "title" not in record
    assert record["sensitivity"] == "restricted" and record["status"] == "adopted"
    listed = cli(clone, "list", "decisions", "--format", "json").json
    assert {r["id"] for r in listed} == {"D-2026-0001", "D-2026-0002"}
    history = cli(clone, "history", "D-2026-0001", "--format", "json").json
    assert history[-1]["reason"] == "(sealed)"
    done = cli(clone, "verify")
    assert done.code == 0, done.out + done.err
    assert "checked in outline only" in done.out
    stored = index_bytes(clone)
    assert SEEN.encode() in stored
    assert SECRET.encode() not in stored and SECRET_WHY.encode() not in stored


def test_a_key_that_is_no_recipients_reads_the_outline_and_cannot_write(copy, keys,
                                                                          monkeypatch):
    as_(monkeypatch, keys["carol"])
    assert cli(copy, "rebuild").code == 0
    assert shown(copy, "D-2026-0001")["sealed"] is True
    before = state(copy)
    done = cli(copy, "log", "decision", "Another", "--date", "2026-03-06",
               "--sensitivity", "restricted")
    assert done.code == 1
    assert "not one (see: hrgov recipients list)" in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert state(copy) == before


def test_without_a_key_a_restricted_write_says_what_to_set(copy, monkeypatch):
    as_(monkeypatch, None)
    before = state(copy)
    done = cli(copy, "log", "decision", "Another", "--date", "2026-03-06",
               "--sensitivity", "restricted")
    assert done.code == 1
    assert "set HRGOV_IDENTITY" in done.err and "nothing was written" in done.err
    assert state(copy) == before
    # an internal record needs no key
    assert cli(copy, "log", "decision", "Open", "--date", "2026-03-06").code == 0


def test_a_corrupted_ciphertext_is_named_by_verify(copy, keys, monkeypatch):
    as_(monkeypatch, keys["alice"])
    path = copy / "records/decisions/2026/D-2026-0001.json"
    outline = json.loads(path.read_text())
    name, data = outline["sealed"].split(":")
    middle = len(data) // 2
    flipped = "A" if data[middle] != "A" else "B"
    outline["sealed"] = f"{name}:{data[:middle]}{flipped}{data[middle + 1:]}"
    path.write_text(json.dumps(outline, indent=2, sort_keys=True) + "\n")
    git(copy, "commit", "-qam", "a damaged file")
    done = cli(copy, "verify")
    assert done.code == 1
    assert "D-2026-0001: its sealed content does not open" in done.out + done.err


def test_removing_a_recipient_seals_the_live_records_anew(copy, keys, monkeypatch, tmp_path):
    as_(monkeypatch, keys["alice"])
    path = copy / "records/decisions/2026/D-2026-0001.json"
    old = json.loads(path.read_text())["sealed"]
    done = cli(copy, "recipients", "remove", public(keys["bob"]), "--reason", "left")
    assert done.code == 0, done.err
    assert "1 restricted records sealed anew" in done.err
    new = json.loads(path.read_text())["sealed"]
    assert new.split(":")[0] != old.split(":")[0]  # a fresh data key
    assert shown(copy, "D-2026-0001")["title"].startswith("Protect")
    assert git(copy, "log", "-1", "--format=%s").startswith("recipients remove")
    # Bob, holding this clone's key store, no longer opens the live version
    as_(monkeypatch, keys["bob"])
    assert cli(copy, "rebuild").code == 0
    assert shown(copy, "D-2026-0001")["sealed"] is True
    assert SECRET.encode() not in index_bytes(copy)
    # ...nor can Bob add himself back
    before = state(copy)
    done = cli(copy, "recipients", "add", public(keys["bob"]))
    assert done.code == 1 and "not one" in done.err
    assert state(copy) == before


def test_the_last_recipient_cannot_be_removed(copy, keys, monkeypatch):
    as_(monkeypatch, keys["alice"])
    assert cli(copy, "recipients", "remove", public(keys["bob"])).code == 0
    before = state(copy)
    done = cli(copy, "recipients", "remove", public(keys["alice"]))
    assert done.code == 2 and "last recipient" in done.err
    assert state(copy) == before


def test_adding_a_recipient_opens_the_key_store_to_them(copy, keys, monkeypatch):
    as_(monkeypatch, keys["alice"])
    assert cli(copy, "recipients", "add", public(keys["carol"]), "--label", "carol").code == 0
    listed = cli(copy, "recipients", "list", "--format", "json").json
    assert len(listed) == 3
    as_(monkeypatch, keys["carol"])
    assert cli(copy, "rebuild").code == 0
    assert shown(copy, "D-2026-0001")["title"].startswith("Protect")


def test_a_recipients_file_changed_outside_hrgov_is_named_by_verify(copy, keys, monkeypatch):
    as_(monkeypatch, keys["alice"])
    with open(copy / "recipients", "a") as out:
        out.write(public(keys["carol"]) + "\n")
    git(copy, "commit", "-qam", "let carol in")
    done = cli(copy, "verify")
    assert done.code == 1
    assert "changed recipients outside hrgov recipients add|remove" in done.out + done.err


def test_shredding_makes_every_version_unreadable_and_verify_passes(copy, keys, monkeypatch):
    as_(monkeypatch, keys["alice"])
    versions = [git(copy, "show", f"{sha}:records/decisions/2026/D-2026-0001.json")
                for sha in git(copy, "log", "--format=%H", "--",
                               "records/decisions/2026/D-2026-0001.json").split()]
    done = cli(copy, "shred", "D-2026-0001", "--reason", "the volunteer asked us to")
    assert done.code == 0, done.err
    assert "data keys destroyed" in done.err
    assert git(copy, "log", "-1", "--format=%s").strip() == "shred D-2026-0001"
    record = shown(copy, "D-2026-0001")
    assert "shredded" in record and "title" not in record
    for who in ("alice", "bob"):
        as_(monkeypatch, keys[who])
        assert cli(copy, "rebuild").code == 0
        assert SECRET.encode() not in index_bytes(copy)
        history = cli(copy, "history", "D-2026-0001", "--format", "json").json
        assert all(SECRET not in json.dumps(v) for v in history)
        done = cli(copy, "verify")
        assert done.code == 0, done.out + done.err
    # no key can open any sealed version of it any more
    from hrgov import sealing

    sealer = sealing.Sealer(copy)
    for text in versions:
        outline = json.loads(text)
        if "sealed" in outline:
            assert sealer.open(outline) is None
    assert not (copy / ".git/hrgov/keys/D-2026-0001").exists()


def test_only_a_sealed_restricted_record_can_be_shredded(copy, keys, monkeypatch):
    as_(monkeypatch, keys["alice"])
    assert cli(copy, "log", "decision", "Plain", "--date", "2026-03-06").code == 0
    before = state(copy)
    for record_id, message in (("D-2026-0002", "is internal, not restricted"),
                               ("D-2026-0099", "no record D-2026-0099")):
        done = cli(copy, "shred", record_id, "--reason", "why")
        assert done.code == 2, done.err
        assert message in done.err
        assert state(copy) == before
    assert cli(copy, "shred", "D-2026-0001", "--reason", "asked").code == 0
    done = cli(copy, "shred", "D-2026-0001", "--reason", "again")
    assert done.code == 2 and "shredded on" in done.err
    done = cli(copy, "edit", "D-2026-0001", "review_by=2026-10-01", "--reason", "late")
    assert done.code == 2 and "was shredded" in done.err


def test_seal_all_seals_an_older_ledgers_restricted_records(ledger_root, keys, monkeypatch):
    as_(monkeypatch, keys["alice"])
    assert cli(ledger_root, "log", "decision", f"Old {SECRET}", "--date", "2026-02-01",
               "--sensitivity", "restricted").code == 0
    done = cli(ledger_root, "seal", "--all")
    assert done.code == 2 and "hrgov recipients add KEY" in done.err
    assert cli(ledger_root, "recipients", "add", public(keys["alice"])).code == 0
    path = ledger_root / "records/decisions/2026/D-2026-0001.json"
    assert SECRET in path.read_text()  # sealing starts with the next write
    done = cli(ledger_root, "shred", "D-2026-0001", "--reason", "asked")
    assert done.code == 2 and "seal it first" in done.err
    done = cli(ledger_root, "seal", "--all")
    assert done.code == 0, done.err
    assert "still in clear in older commits" in done.err
    assert SECRET not in path.read_text()
    assert SECRET in git(ledger_root, "show", "HEAD~2:records/decisions/2026/D-2026-0001.json")
    assert shown(ledger_root, "D-2026-0001")["title"] == f"Old {SECRET}"
    before = head(ledger_root)
    done = cli(ledger_root, "seal", "--all")
    assert done.code == 2 and "sealed already" in done.err
    assert head(ledger_root) == before
    assert cli(ledger_root, "verify").code == 0


def test_where_decisions_are_signed_a_recipients_change_must_be_signed(ledger_root, keys,
                                                                      monkeypatch):
    from hrgov import config

    signer = keys["bob"]  # an SSH key signs
    public_key = public(signer).split()
    (ledger_root / "allowed_signers").write_text(
        f'bob@example.org namespaces="git" {public_key[0]} {public_key[1]}\n')
    settings = config.parse((ledger_root / "hrgov.toml").read_text())
    settings["ledger.sign"] = "decisions"
    (ledger_root / "hrgov.toml").write_text(config.render(settings))
    git(ledger_root, "add", "-A")
    git(ledger_root, "commit", "-qm", "Sign decisions; Bob signs")
    as_(monkeypatch, keys["alice"])
    monkeypatch.delenv("HRGOV_SIGNING_KEY", raising=False)
    before = state(ledger_root)
    done = cli(ledger_root, "recipients", "add", public(keys["alice"]))
    assert done.code == 1 and "must be signed" in done.err
    assert state(ledger_root) == before
    monkeypatch.setenv("HRGOV_SIGNING_KEY", str(signer))
    assert cli(ledger_root, "recipients", "add", public(keys["alice"])).code == 0
    assert "gpgsig" in git(ledger_root, "cat-file", "commit", "HEAD")
    assert cli(ledger_root, "verify").code == 0


def test_the_board_papers_figures_are_the_same_on_a_clone_without_a_key(sealed, keys, tmp_path,
                                                                        monkeypatch):
    """Every headline figure of the Board paper, with the records behind it and how many of
    them are restricted, is computed alike where the sealed records can be read and where
    they cannot."""
    from datetime import date

    from hrgov.briefing.figures import headline_figures
    from hrgov.ledger import Ledger

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(sealed), str(clone))
    day = date(2026, 12, 3)
    as_(monkeypatch, None)
    _, without_key, _ = headline_figures(Ledger(clone), None, day)
    as_(monkeypatch, keys["alice"])
    _, with_key, _ = headline_figures(Ledger(sealed), None, day)
    assert without_key == with_key
    taken = next(f for f in with_key if f.name == "decisions_taken")
    assert (taken.value, taken.restricted_ids) == (2, ["D-2026-0001"])


def test_a_member_who_sets_their_key_reads_at_once_and_unsets_it_reads_the_outline(
    copy, keys, monkeypatch
):
    as_(monkeypatch, None)
    assert shown(copy, "D-2026-0001")["sealed"] is True
    assert SECRET.encode() not in index_bytes(copy)
    as_(monkeypatch, keys["alice"])  # no rebuild asked for: the index is read again
    assert SECRET in shown(copy, "D-2026-0001")["title"]
    as_(monkeypatch, None)
    assert "title" not in shown(copy, "D-2026-0001")


def test_the_audit_copy_says_nothing_of_the_key_that_built_it(copy, keys, monkeypatch, tmp_path):
    import sqlite3

    as_(monkeypatch, keys["alice"])
    built = cli(copy, "audit", "--build", str(tmp_path / "audit"))
    assert built.code == 0, built.err
    files = b"".join(p.read_bytes() for p in (tmp_path / "audit").rglob("*") if p.is_file())
    assert str(keys["alice"]).encode() not in files and SECRET.encode() not in files
    stored = sqlite3.connect(next((tmp_path / "audit").glob("*.db")))
    assert stored.execute("SELECT count(*) FROM meta WHERE key = 'reader'").fetchone() == (0,)
    assert str(keys["alice"]).encode() not in index_bytes(copy)  # a digest, not the path


def test_verify_shows_a_sealed_post_approval_reason_opened(copy, keys, monkeypatch,
                                                                        tmp_path):
    as_(monkeypatch, keys["alice"])
    for args in (("log", "meeting", "--date", "2026-03-10"),
                 ("log", "decision", "Relocate the team", "--meeting", "MTG-2026-03-10",
                  "--sensitivity", "restricted", "--no-input"),
                 ("approve", "MTG-2026-03-10", "--reason", "Minutes approved", "--on",
                  "2026-03-20"),
                 ("edit", "D-2026-0003", "text=Moved", "--reason", f"{SECRET} agreed")):
        done = cli(copy, *args)
        assert done.code == 0, (args, done.err)
    said = cli(copy, "verify")
    assert "D-2026-0003 in commit" in said.out and f": {SECRET} agreed" in said.out
    assert "sealed:" not in said.out + said.err
    as_(monkeypatch, None)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(copy), str(clone))
    said = cli(clone, "verify")  # without a key: checked in outline, and nothing read out
    assert said.code == 0 and "checked in outline only" in said.out
    assert SECRET not in said.out + said.err and "sealed:" not in said.out


def test_a_change_that_changes_nothing_of_a_sealed_record_is_refused_as_anywhere(
    copy, keys, monkeypatch
):
    as_(monkeypatch, keys["alice"])
    assert cli(copy, "framework-ref", "D-2026-0001", "ungprf:C4").code == 0
    before = state(copy)
    title = shown(copy, "D-2026-0001")["title"]
    for args in (("framework-ref", "D-2026-0001", "ungprf:C4"),
                 ("edit", "D-2026-0001", f"title={title}", "--reason", "Same")):
        again = cli(copy, *args)
        assert again.code == 2 and "nothing to change: D-2026-0001" in again.err, again.err
        assert state(copy) == before
    removed = cli(copy, "recipients", "remove", public(keys["bob"]), "--reason", "Left")
    assert removed.code == 0 and "sealed anew" in removed.err, removed.err
