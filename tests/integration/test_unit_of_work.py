"""The unit of work: a change commits as one, or leaves no trace."""

import pytest

from hrgov.errors import InvalidInput, RulesBroken
from hrgov.ledger import Ledger
from tests.conftest import commit_count, git, head, porcelain, rebuilt_snapshot, snapshot, state


class Boom(Exception):
    pass


def decision(record_id="D-2026-0001", **fields):
    return {"kind": "decision", "id": record_id, "title": "T", "date": "2026-03-04",
            "status": "adopted", **fields}


def test_rolls_back_uncommitted_work_on_error(ledger_root):
    before = state(ledger_root)
    with pytest.raises(Boom), Ledger(ledger_root).change("test") as tx:
        tx.put(decision())
        raise Boom()
    assert state(ledger_root) == before
    assert head(ledger_root) == before[0] and porcelain(ledger_root) == ""


def test_rolls_back_when_validation_fails_at_commit(ledger_root):
    before = state(ledger_root)
    with pytest.raises(RulesBroken), Ledger(ledger_root).change("test") as tx:
        tx.put(decision(commitments=["ongoing-hrdd", "no-such-commitment"]))
    assert state(ledger_root) == before


def test_a_change_with_many_records_is_one_commit(ledger_root):
    count = commit_count(ledger_root)
    with Ledger(ledger_root).change("test", reason="batch") as tx:
        for _ in range(5):
            tx.put(decision(tx.next_id("decision", 2026)))
    assert commit_count(ledger_root) == count + 1
    assert [r["id"] for r in tx.written] == [f"D-2026-000{n}" for n in range(1, 6)]
    message = git(ledger_root, "log", "-1", "--format=%B")
    assert message.count("Hrgov-Record: D-2026-") == 5 and "Hrgov-Reason: batch" in message
    assert porcelain(ledger_root) == ""
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, ledger_root.parent)


def test_nothing_staged_makes_no_commit(ledger_root):
    before = head(ledger_root)
    with Ledger(ledger_root).change("test"):
        pass
    assert head(ledger_root) == before


def test_a_write_refuses_to_overwrite_a_hand_edit(ledger_root, hrgov):
    hrgov("log", "decision", "T", "--date", "2026-03-04")
    path = ledger_root / "records" / "decisions" / "2026" / "D-2026-0001.json"
    path.write_text(path.read_text().replace('"T"', '"Edited by hand"'))
    before = head(ledger_root)
    result = hrgov("decision", "status", "D-2026-0001", "implemented")
    assert result.code == 1
    assert "records/decisions/2026/D-2026-0001.json has uncommitted changes" in result.err
    assert head(ledger_root) == before
    assert "Edited by hand" in path.read_text()  # the hand edit is never lost


def test_a_stray_file_where_a_new_record_goes_is_not_overwritten(ledger_root, hrgov):
    path = ledger_root / "records" / "decisions" / "2026" / "D-2026-0001.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    result = hrgov("log", "decision", "T", "--date", "2026-03-04")
    assert result.code == 1 and "has uncommitted changes" in result.err
    assert path.read_text() == "{}"


def test_hand_edits_elsewhere_are_never_committed_and_verify_reports_them(ledger_root, hrgov):
    path = ledger_root / "records" / "departments" / "legal.json"
    path.write_text(path.read_text().replace("Legal", "Legal (edited)"))
    (ledger_root / "records" / "stray.json").write_text("{}")
    assert hrgov("log", "decision", "T", "--date", "2026-03-04").code == 0
    committed = git(ledger_root, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == ["records/decisions/2026/D-2026-0001.json"]
    assert "Legal (edited)" in path.read_text()
    assert "Legal (edited)" not in git(ledger_root, "show", "HEAD:records/departments/legal.json")
    verify = hrgov("verify")
    assert verify.code == 1
    assert "uncommitted change in records/: M records/departments/legal.json" in verify.out
    assert "records/stray.json" in verify.out


def test_invalid_author_fails_before_the_lock(ledger_root):
    with pytest.raises(InvalidInput), Ledger(ledger_root).change("test", author="x"):
        pass
