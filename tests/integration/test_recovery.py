"""Whatever happens to a ledger between commands, the next command sees the right data and
works without manual repair: a deleted index, commits made with plain git, a killed command."""

import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.conftest import (
    HRGOV,
    commit_count,
    git,
    head,
    kill,
    porcelain,
    rebuilt_snapshot,
    run_cli,
    snapshot,
)


def cli(root, *args):
    return run_cli("--ledger", str(root), *args)


def decisions(root):
    result = cli(root, "list", "decisions", "-f", "json")
    assert result.code == 0, result.err
    return result.json


def assert_sound(root, tmp_path):
    assert snapshot(root) == rebuilt_snapshot(root, tmp_path)
    assert porcelain(root) == ""


def test_deleting_the_index_rebuilds_it_on_the_next_command(ledger_root, tmp_path):
    cli(ledger_root, "log", "decision", "A", "--date", "2026-03-04")
    (ledger_root / ".hrgov" / "ledger.db").unlink()
    for leftover in (ledger_root / ".hrgov").glob("ledger.db-*"):
        leftover.unlink()
    assert [d["title"] for d in decisions(ledger_root)] == ["A"]
    assert cli(ledger_root, "log", "decision", "B", "--date", "2026-03-04").out == "D-2026-0002\n"
    assert len(cli(ledger_root, "history", "D-2026-0001", "-f", "json").json) == 1
    assert cli(ledger_root, "verify").code == 0
    assert_sound(ledger_root, tmp_path)


def test_a_corrupt_index_is_replaced(ledger_root, tmp_path):
    cli(ledger_root, "log", "decision", "A", "--date", "2026-03-04")
    (ledger_root / ".hrgov" / "ledger.db").write_bytes(b"not a database at all")
    for leftover in (ledger_root / ".hrgov").glob("ledger.db-*"):
        leftover.unlink()
    assert [d["title"] for d in decisions(ledger_root)] == ["A"]
    assert_sound(ledger_root, tmp_path)


def test_a_record_edit_committed_with_plain_git_is_seen(ledger_root, tmp_path):
    cli(ledger_root, "log", "decision", "Original title", "--date", "2026-03-04")
    path = ledger_root / "records" / "decisions" / "2026" / "D-2026-0001.json"
    record = json.loads(path.read_text())
    record["title"] = "Edited by hand"
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    git(ledger_root, "commit", "-qam", "Fix a typo by hand")
    assert [d["title"] for d in decisions(ledger_root)] == ["Edited by hand"]
    versions = cli(ledger_root, "history", "D-2026-0001", "-f", "json").json
    assert versions[-1]["subject"] == "Fix a typo by hand"
    assert {"field": "title", "old": "Original title", "new": "Edited by hand"} in versions[-1][
        "changes"]
    assert cli(ledger_root, "log", "decision", "Next", "--date", "2026-03-05").code == 0
    verify = cli(ledger_root, "verify")  # the hand commit is exactly what an auditor must see
    assert "made outside hrgov" in verify.out
    assert verify.code == 0  # it breaks no rule: a notice, not a failure
    assert_sound(ledger_root, tmp_path)


def test_an_invalid_file_committed_by_hand_is_reported_not_fatal(ledger_root, tmp_path):
    bad = ledger_root / "records" / "decisions" / "2026" / "D-2026-0007.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"kind": "decision", "id": "D-2026-0007", "title": ""}\n')
    git(ledger_root, "add", ".")
    git(ledger_root, "commit", "-qm", "broken")
    assert decisions(ledger_root) == []
    assert cli(ledger_root, "log", "decision", "Fine", "--date", "2026-03-04").code == 0
    verify = cli(ledger_root, "verify")
    assert verify.code == 1
    assert "records/decisions/2026/D-2026-0007.json: decision D-2026-0007: title" in verify.out
    assert_sound(ledger_root, tmp_path)


@pytest.mark.parametrize("extra", [
    '"x": NaN', '"x": -Infinity', '"x": 1e400', '"x": ' + "9" * 5000,
    '"x": ' + "[" * 5000 + "]" * 5000, '"x": ' + "[" * 975 + "]" * 975,
    '"name": "Shown by SQLite only"',
])
def test_a_file_that_not_every_json_reader_reads_alike_is_no_record(ledger_root, tmp_path,
                                                                     extra):
    bad = ledger_root / "records" / "departments" / "odd.json"
    bad.write_text('{"kind": "department", "id": "odd", "name": "Odd", ' + extra + "}\n")
    git(ledger_root, "add", ".")
    git(ledger_root, "commit", "-qm", "not quite JSON")
    assert cli(ledger_root, "list", "departments", "-f", "json").code == 0
    assert cli(ledger_root, "log", "decision", "Fine", "--date", "2026-03-04").code == 0
    verify = cli(ledger_root, "verify")
    assert verify.code == 1
    assert "records/departments/odd.json is not valid JSON" in verify.out
    assert cli(ledger_root, "rebuild").code == 0
    assert_sound(ledger_root, tmp_path)


def test_a_commit_whose_files_were_never_written_is_completed(ledger_root, tmp_path):
    """The exact state of a command killed right after moving the branch: HEAD has the new
    record, the working tree and git's index do not."""
    import shutil

    cli(ledger_root, "log", "decision", "A", "--date", "2026-03-04")
    index = ledger_root / ".hrgov" / "ledger.db"
    with sqlite3.connect(index) as live, sqlite3.connect(tmp_path / "index-before") as copy:
        live.backup(copy)
    cli(ledger_root, "decision", "status", "D-2026-0001", "implemented")
    cli(ledger_root, "log", "decision", "B", "--date", "2026-03-04")
    path = ledger_root / "records" / "decisions" / "2026" / "D-2026-0002.json"
    first = ledger_root / "records/decisions/2026/D-2026-0001.json"
    # Roll the working tree, git's index and the SQLite index back, leaving HEAD where it is.
    for leftover in (ledger_root / ".hrgov").glob("ledger.db*"):
        leftover.unlink()
    shutil.copy(tmp_path / "index-before", index)
    git(ledger_root, "read-tree", "HEAD~2")
    git(ledger_root, "checkout-index", "-a", "-f")
    path.unlink()
    assert '"adopted"' in first.read_text()
    assert porcelain(ledger_root) != ""
    assert [d["title"] for d in decisions(ledger_root)] == ["A", "B"]
    assert cli(ledger_root, "log", "decision", "C", "--date", "2026-03-04").code == 0
    assert path.exists()
    assert '"implemented"' in first.read_text()
    assert_sound(ledger_root, tmp_path)


def test_a_stale_git_lock_left_by_a_killed_git_is_removed(ledger_root, tmp_path):
    lock = ledger_root / ".git" / "index.lock"
    lock.write_text("")
    old = time.time() - 60
    os.utime(lock, (old, old))
    assert cli(ledger_root, "log", "decision", "A", "--date", "2026-03-04").code == 0
    assert not lock.exists()
    assert_sound(ledger_root, tmp_path)


def start(root, *args, **kwargs):
    return subprocess.Popen(
        [HRGOV, "--ledger", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def branch_file(root):
    ref = git(root, "symbolic-ref", "HEAD").strip()
    return root / ".git" / ref


def check_before_or_all(root, before, expected, title):
    """The ledger is exactly as before, or holds the whole change; reading heals the rest."""
    after = head(root)
    titles = [d["title"] for d in decisions(root)]
    if after == before:
        assert len(titles) == expected
        committed = False
    else:
        assert git(root, "rev-parse", "HEAD~1").strip() == before
        assert titles[-1] == title and len(titles) == expected + 1
        committed = True
    assert porcelain(root) == ""
    return committed


@pytest.mark.slow
def test_killing_a_write_at_any_moment_leaves_before_or_all(ledger_root, tmp_path):
    """kill -9 at many points of a run, of the command alone or of it and its git children:
    afterwards the ledger is as before or holds the whole change, and the next command works."""
    started = time.monotonic()
    start(ledger_root, "log", "decision", "Calibration", "--date", "2026-01-01").communicate()
    duration = time.monotonic() - started
    committed = killed_after_commit = 0
    runs = 0
    # Timed kills across the whole run, from start-up to past the end.
    for n, delay in enumerate(duration * k / 10 for k in range(1, 13)):
        before, expected = head(ledger_root), len(decisions(ledger_root))
        process = start(ledger_root, "log", "decision", f"Killed {n}", "--date", "2026-01-01",
                        "--commitment", "ongoing-hrdd", start_new_session=True)
        time.sleep(delay)
        kill(process, whole_group=n % 2 == 0)
        process.communicate()
        time.sleep(0.05)  # an orphaned git child finishes, as it would in life
        committed += check_before_or_all(ledger_root, before, expected, f"Killed {n}")
        runs += 1
    # Kills aimed at the narrowest window: the moment the branch has just moved.
    ref = branch_file(ledger_root)
    for n in range(6):
        before, expected = head(ledger_root), len(decisions(ledger_root))
        seen = ref.read_bytes()
        title = f"Aimed {n}"
        process = start(ledger_root, "log", "decision", title, "--date", "2026-01-01",
                        start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if ref.read_bytes() != seen:
                    break
            except FileNotFoundError:
                pass
        kill(process, whole_group=n % 2 == 0)
        process.communicate()
        killed_after_commit += process.returncode == -signal.SIGKILL and ref.read_bytes() != seen
        time.sleep(0.05)
        committed += check_before_or_all(ledger_root, before, expected, title)
        runs += 1
    assert cli(ledger_root, "log", "decision", "After", "--date", "2026-01-02").code == 0
    assert cli(ledger_root, "verify").code == 0
    assert_sound(ledger_root, tmp_path)
    assert 0 < committed < runs
    assert killed_after_commit, "no kill landed between the commit and the end of the command"
    assert commit_count(ledger_root) == 3 + committed
