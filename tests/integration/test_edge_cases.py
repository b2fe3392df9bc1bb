"""Edge cases found in review: foreign commits mid-write, unreadable files, symlinks, a
detached HEAD, broken supersede chains, hostile text and environment."""

import json
import os

import pytest

from hrgov.errors import LedgerStateError
from hrgov.ledger import Ledger
from tests.conftest import git, head, porcelain, rebuilt_snapshot, snapshot, state


def decision(record_id="D-2026-0001", **fields):
    return {"kind": "decision", "id": record_id, "title": "T", "date": "2026-03-04",
            "status": "adopted", **fields}


def test_a_commit_made_by_hand_during_a_write_makes_the_write_refuse(ledger_root, tmp_path):
    path = ledger_root / "records" / "departments" / "legal.json"
    refused = pytest.raises(LedgerStateError, match="moved while this command ran")
    with refused, Ledger(ledger_root).change("test") as tx:
        path.write_text(path.read_text().replace('"Legal"', '"Legal (hand)"'))
        git(ledger_root, "commit", "-qam", "hand edit")
        tx.put(decision())
    assert json.loads(git(ledger_root, "show", "HEAD:" + str(path.relative_to(ledger_root))))[
        "name"] == "Legal (hand)"
    assert Ledger(ledger_root).record("legal")["name"] == "Legal (hand)"
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)


def test_a_new_record_never_replaces_an_unreadable_file(ledger_root, hrgov):
    path = ledger_root / "records" / "decisions" / "2026" / "D-2026-0001.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(decision(status="deferred")) + "\n")  # a newer tool's status
    git(ledger_root, "add", ".")
    git(ledger_root, "commit", "-qm", "written by another tool")
    before = state(ledger_root)
    result = hrgov("log", "decision", "Mine", "--date", "2026-03-20")
    assert result.code == 1 and "hrgov cannot read it" in result.err
    assert state(ledger_root) == before


def test_a_copy_in_the_wrong_folder_is_no_record_and_removing_it_loses_nothing(hrgov,
                                                                               ledger_root):
    hrgov("log", "decision", "Real", "--date", "2026-03-04")
    real = ledger_root / "records" / "decisions" / "2026" / "D-2026-0001.json"
    copy = ledger_root / "records" / "decisions" / "2025" / "D-2026-0001.json"
    copy.parent.mkdir()
    copy.write_text(real.read_text().replace('"Real"', '"Copy"'))
    git(ledger_root, "add", ".")
    git(ledger_root, "commit", "-qm", "copy")
    git(ledger_root, "rm", "-q", str(copy))
    git(ledger_root, "commit", "-qm", "remove the copy")
    assert hrgov("rebuild").code == 0
    assert hrgov("show", "D-2026-0001", "-f", "json").json[0]["title"] == "Real"
    assert hrgov("log", "decision", "Next", "--date", "2026-03-05").out == "D-2026-0002\n"


def test_writes_refuse_a_detached_head(hrgov, ledger_root):
    hrgov("log", "decision", "A", "--date", "2026-03-04")
    git(ledger_root, "checkout", "-q", "--detach", "HEAD~1")
    before = head(ledger_root)
    result = hrgov("log", "meeting", "--date", "2026-03-13")
    assert result.code == 1 and "not on a branch" in result.err
    assert head(ledger_root) == before


def test_writes_never_follow_a_symbolic_link_out_of_the_ledger(hrgov, ledger_root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, ledger_root / "records" / "decisions")
    git(ledger_root, "add", ".")
    git(ledger_root, "commit", "-qm", "a link")
    result = hrgov("log", "decision", "X", "--date", "2027-01-05")
    assert result.code == 1 and "symbolic link" in result.err
    assert list(outside.iterdir()) == []


def test_a_decision_is_superseded_once_and_only_by_an_adopted_one(hrgov, ledger_root):
    hrgov("log", "decision", "Old", "--date", "2026-01-10")
    result = hrgov("log", "decision", "New", "--date", "2026-02-10", "--supersedes", "D-2026-0001")
    assert result.code == 0
    assert git(ledger_root, "log", "-1", "--format=%s").startswith("log decision D-2026-0002: New")
    again = hrgov("log", "decision", "Newer", "--date", "2026-03-10", "--supersedes", "D-2026-0001")
    assert again.code == 2 and "already superseded by D-2026-0002" in again.err
    hrgov("log", "decision", "Rejected", "--date", "2026-03-11", "--status", "rejected")
    hrgov("log", "decision", "Other", "--date", "2026-03-12")
    refused = hrgov("decision", "status", "D-2026-0004", "superseded", "--by", "D-2026-0003")
    assert refused.code == 2 and "only an adopted or implemented decision" in refused.err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as", "Eve <e\x1b]0;pwned\x07@x.org>", "log", "meeting", "--date", "2026-03-05"],
         "author email contains the control character U+001B"),
        (["log", "decision", "T\x9bx", "--date", "2026-03-04"], "U+009B"),
        (["log", "decision", "safe\u202eeman", "--date", "2026-03-04"], "U+202E"),
        (["log", "decision", "bad \udcff byte", "--date", "2026-03-04"], "U+DCFF"),
        (["due", "--within", "99999999999"], "between 0 and 36500"),
    ],
)
def test_hostile_text_is_refused(hrgov, ledger_root, args, message):
    before = state(ledger_root)
    result = hrgov(*args)
    assert result.code == 2 and message in result.err, result.err
    assert state(ledger_root) == before


def test_git_variables_pointing_elsewhere_are_ignored(hrgov, ledger_root, tmp_path, monkeypatch):
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    assert hrgov("log", "meeting", "--date", "2026-03-05").code == 0
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert git(ledger_root, "log", "-1", "--format=%s").startswith("log meeting MTG-2026-03-05")
    assert porcelain(ledger_root) == ""


def test_a_pack_cannot_break_the_settings_file(tmp_path):
    from tests.conftest import run_cli

    pack = tmp_path / "pack.toml"
    pack.write_text("[pack]\nid='ok'\ntitle='T'\norganisation='Quote \" and \\\\ back'\n")
    result = run_cli("init", str(tmp_path / "l"), "--policy", str(pack))
    assert result.code == 0, result.err
    assert Ledger.find(tmp_path / "l").settings()["organisation.name"] == 'Quote " and \\\\ back'
    pack.write_text("[pack]\nid='wm\\n[evil]'\ntitle='T'\n")
    result = run_cli("init", str(tmp_path / "m"), "--policy", str(pack))
    assert result.code == 2 and "not a lower-case slug" in result.err
