"""Corrections with a reason, never silent: ``hrgov edit``, ``hrgov withdraw``, ``--edit`` in
$EDITOR, owners that follow their commitment, and days done that are not in the future."""

import json
import sys
from datetime import date, timedelta

import pytest

from tests.conftest import commit_count, git, state

PAST = "2026-01-10"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.fixture
def logged(hrgov, ledger_root):
    """A meeting, a decision owned by legal, and a milestone of that decision."""
    for args in (
        ["log", "meeting", "--date", "2026-03-04"],
        ["log", "decision", "Adopt screning", "--meeting", "MTG-2026-03-04",
         "--commitment", "ongoing-hrdd", "--owner", "legal"],
        ["milestone", "add", "Write the procedure", "--commitment", "ongoing-hrdd",
         "--due", "2030-06-30", "--decision", "D-2026-0001"],
    ):
        result = hrgov(*args)
        assert result.code == 0, result.err
    return hrgov


def record(hrgov, record_id):
    result = hrgov("show", record_id, "--format", "json")
    assert result.code == 0, result.err
    return result.json[0]


def last_message(root):
    return git(root, "log", "-1", "--format=%B")


def test_edit_corrects_a_field_with_its_reason_in_the_history(logged, ledger_root):
    result = logged("edit", "D-2026-0001", "title=Adopt screening", "--reason", "Typo")
    assert result.code == 0, result.err
    assert result.out.strip() == "D-2026-0001"
    assert record(logged, "D-2026-0001")["title"] == "Adopt screening"
    message = last_message(ledger_root)
    assert "Hrgov-Command: edit\n" in message and "Hrgov-Reason: Typo\n" in message
    changes = logged("history", "D-2026-0001", "--format", "json").json[-1]["changes"]
    assert {"field": "title", "old": "Adopt screning", "new": "Adopt screening"} in changes


def test_edit_of_a_due_date_is_kept_as_a_slip_with_the_reason(logged):
    result = logged("edit", "MS-2026-0001", "due=2030-09-30", "--reason", "Vendor late")
    assert result.code == 0, result.err
    milestone = record(logged, "MS-2026-0001")
    assert milestone["due"] == "2030-09-30" and milestone["original_due"] == "2030-06-30"
    assert [(s["from"], s["to"], s["reason"]) for s in milestone["slips"]] == [
        ("2030-06-30", "2030-09-30", "Vendor late")
    ]


def test_edit_sets_lists_and_clears_fields(logged):
    assert logged("edit", "D-2026-0001", "commitments=ongoing-hrdd; periodic-hria",
                  "rationale=", "--reason", "Both commitments").code == 0
    decision = record(logged, "D-2026-0001")
    assert decision["commitments"] == ["ongoing-hrdd", "periodic-hria"]
    assert "rationale" not in decision


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["MS-2026-0001", "original_due=2031-01-01", "--reason", "x"], "never changes"),
        (["MS-2026-0001", "colour=blue", "--reason", "x"], "has no field 'colour'"),
        (["D-2026-0001", "title=Better"], "give --reason"),
        (["D-2026-0001", "title=Better", "--reason", " "], "give --reason"),
        (["D-2026-0001", "id=D-2026-0009", "--reason", "x"], "never changes"),
        (["D-2026-0001", "withdrawn=2026-01-01", "--reason", "x"], "hrgov withdraw"),
        (["D-2026-0001", "status=superseded", "--reason", "x"], "superseded_by"),
        (["D-2026-0001", "title", "--reason", "x"], "is not FIELD=VALUE"),
        (["D-2026-0001", "date=2026-02-30", "--reason", "x"], "not a real date"),
        (["D-2026-0099", "title=x", "--reason", "x"], "no decision D-2026-0099"),
        (["MS-2026-0001", "status=done", "done_on=" + TOMORROW, "--reason", "x"],
         "cannot be in the future"),
    ],
)
def test_bad_edits_say_one_line_exit_2_and_change_nothing(logged, ledger_root, args, said):
    before = state(ledger_root)
    result = logged("edit", *args)
    assert result.code == 2
    assert result.err.startswith("hrgov: error: ") and result.err.count("\n") == 1
    assert said in result.err
    assert state(ledger_root) == before


def test_withdraw_keeps_the_record_in_history_and_out_of_lists_and_counts(logged, ledger_root):
    from hrgov.briefing.data import Facts, open_snapshot, period_for_year
    from hrgov.ledger import Ledger

    assert logged("list", "milestones", "--format", "json").json != []
    result = logged("withdraw", "MS-2026-0001", "--reason", "Logged by mistake")
    assert result.code == 0, result.err
    assert "Hrgov-Reason: Logged by mistake\n" in last_message(ledger_root)
    assert record(logged, "MS-2026-0001")["withdrawn"] == date.today().isoformat()
    assert logged("list", "milestones", "--format", "json").json == []
    assert "MS-2026-0001" not in logged("due", "--within", "3650").out
    every = logged("list", "milestones", "--withdrawn", "--format", "json").json
    assert [m["id"] for m in every] == ["MS-2026-0001"]
    assert "withdrawn" in logged("list", "milestones", "--withdrawn").out
    assert len(logged("history", "MS-2026-0001", "--format", "json").json) == 2
    # the briefing's figures come from the same lists: the commitment has no plan again
    with open_snapshot(Ledger(ledger_root)) as snap:
        facts = Facts.load(snap.conn, period_for_year(snap.day.year), snap.day)
    assert facts.milestones == [] and facts.health["ongoing-hrdd"] == "no plan"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["MS-2026-0001"], "give --reason"),
        (["MS-2026-0099", "--reason", "x"], "no milestone MS-2026-0099"),
        (["../etc", "--reason", "x"], "is not a valid id"),
    ],
)
def test_bad_withdrawals_change_nothing(logged, ledger_root, args, said):
    before = state(ledger_root)
    result = logged("withdraw", *args)
    assert (result.code, result.err.count("\n")) == (2, 1) and said in result.err
    assert state(ledger_root) == before


def test_a_withdrawn_record_is_withdrawn_once_and_then_no_longer_changes(logged, ledger_root):
    assert logged("withdraw", "D-2026-0001", "--reason", "Logged twice").code == 0
    before = state(ledger_root)
    again = logged("withdraw", "D-2026-0001", "--reason", "Again")
    assert again.code == 2 and "already withdrawn" in again.err
    edited = logged("edit", "D-2026-0001", "title=Other", "--reason", "x")
    assert edited.code == 2 and "no longer changes" in edited.err
    assert state(ledger_root) == before


def test_the_rule_book_refuses_a_withdrawal_without_a_reason():
    from hrgov.rules import Circumstances, Records, check

    old = {"kind": "department", "id": "legal", "name": "Legal", "sensitivity": "internal"}
    broken = check(old, {**old, "withdrawn": PAST}, Records({}), Circumstances())
    assert [b.field for b in broken] == ["reason"]
    assert check(old, {**old, "withdrawn": PAST}, Records({}), Circumstances("Twice")) == []


def scripted_editor(tmp_path, monkeypatch, old, new):
    """$EDITOR is a script that replaces ``old`` by ``new`` in the file it is given."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[1])\n"
        f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)


def test_edit_in_the_editor_changes_what_was_edited(logged, ledger_root, tmp_path, monkeypatch):
    scripted_editor(tmp_path, monkeypatch, '"Adopt screning"', '"Adopt screening"')
    result = logged("edit", "D-2026-0001", "--edit", "--reason", "Typo")
    assert result.code == 0, result.err
    assert record(logged, "D-2026-0001")["title"] == "Adopt screening"
    assert "Hrgov-Reason: Typo\n" in last_message(ledger_root)


def test_edit_in_the_editor_without_a_change_writes_nothing(logged, ledger_root, tmp_path,
                                                          monkeypatch):
    scripted_editor(tmp_path, monkeypatch, "no such text", "")
    before = commit_count(ledger_root)
    result = logged("edit", "D-2026-0001", "--edit", "--reason", "Typo")
    assert result.code == 0 and "nothing was written" in result.err
    assert commit_count(ledger_root) == before


def test_edit_in_the_editor_refuses_broken_json(logged, ledger_root, tmp_path, monkeypatch):
    scripted_editor(tmp_path, monkeypatch, '"Adopt screning"', '"Adopt screening')
    before = state(ledger_root)
    result = logged("edit", "D-2026-0001", "--edit", "--reason", "Typo")
    assert result.code == 2 and "not valid JSON" in result.err
    assert state(ledger_root) == before


def test_log_decision_edit_writes_the_text_in_the_editor(hrgov, tmp_path, monkeypatch):
    scripted_editor(tmp_path, monkeypatch, "# The decision's full text.",
                    "Screen every new feature.\n# The decision's full text.")
    result = hrgov("log", "decision", "Adopt screening", "--date", PAST, "--edit")
    assert result.code == 0, result.err
    assert record(hrgov, "D-2026-0001")["text"] == "Screen every new feature."


def test_a_new_milestone_takes_its_decisions_owner(logged):
    assert record(logged, "MS-2026-0001")["owner"] == "legal"  # the commitment's is not legal
    commitment = record(logged, "ongoing-hrdd")
    assert commitment.get("owner") != "legal"


def test_assign_moves_the_open_milestones_and_says_so(logged, hrgov):
    previous = record(hrgov, "ongoing-hrdd").get("owner")
    hrgov("milestone", "add", "Train staff", "--commitment", "ongoing-hrdd", "--due", "2030-01-01")
    hrgov("milestone", "add", "Old work", "--commitment", "ongoing-hrdd", "--due", "2030-01-01")
    hrgov("milestone", "done", "MS-2026-0003", "--on", PAST)
    result = hrgov("commitment", "assign", "ongoing-hrdd", "trust-and-safety", "--reason", "Reorg")
    assert result.code == 0, result.err
    assert result.out.strip() == "ongoing-hrdd"
    assert "Moved 1 open milestone(s) to trust-and-safety: MS-2026-0002" in result.err
    assert record(hrgov, "MS-2026-0002")["owner"] == "trust-and-safety"
    assert record(hrgov, "MS-2026-0003")["owner"] == previous  # done: stays as it was
    assert record(hrgov, "MS-2026-0001")["owner"] == "legal"  # held by another department
    due = hrgov("due", "--owner", "trust-and-safety", "--within", "3650", "--format", "json")
    assert [m["id"] for m in due.json] == ["MS-2026-0002"]


def test_assign_can_keep_the_milestones(logged, hrgov):
    hrgov("milestone", "add", "Train staff", "--commitment", "ongoing-hrdd", "--due", "2030-01-01")
    previous = record(hrgov, "MS-2026-0002")["owner"]
    result = hrgov("commitment", "assign", "ongoing-hrdd", "trust-and-safety", "--reason",
                   "Reorg", "--keep-milestones")
    assert result.code == 0, result.err
    assert "kept their owners" in result.err
    assert record(hrgov, "MS-2026-0002")["owner"] == previous


def test_milestone_update_owner(logged, ledger_root):
    result = logged("milestone", "update", "MS-2026-0001", "--owner", "trust-and-safety")
    assert result.code == 0, result.err
    assert record(logged, "MS-2026-0001")["owner"] == "trust-and-safety"
    before = state(ledger_root)
    wrong = logged("milestone", "update", "MS-2026-0001", "--owner", "no-such-dept")
    assert wrong.code == 2 and "no department no-such-dept" in wrong.err
    assert state(ledger_root) == before


def test_a_day_done_after_today_is_refused_a_plan_after_today_is_not(logged, ledger_root):
    before = state(ledger_root)
    result = logged("milestone", "done", "MS-2026-0001", "--on", TOMORROW)
    assert result.code == 2 and "cannot be in the future" in result.err
    assert state(ledger_root) == before
    assert logged("milestone", "update", "MS-2026-0001", "--due", "2031-01-01", "--reason",
                  "Later").code == 0
    assert logged("milestone", "done", "MS-2026-0001", "--on", PAST).code == 0


def test_edit_of_a_commitments_owner_takes_its_open_milestones_along(logged, hrgov):
    hrgov("milestone", "add", "Train staff", "--commitment", "ongoing-hrdd", "--due", "2030-01-01")
    result = hrgov("edit", "ongoing-hrdd", "owner=trust-and-safety", "--reason", "Reorg")
    assert result.code == 0, result.err
    assert "Moved 1 open milestone(s) to trust-and-safety: MS-2026-0002" in result.err
    assert record(hrgov, "MS-2026-0002")["owner"] == "trust-and-safety"
    assert record(hrgov, "ongoing-hrdd")["owner"] == "trust-and-safety"


def test_withdrawing_a_successor_puts_the_decision_it_replaced_back_in_force(logged, ledger_root):
    assert logged("decision", "status", "D-2026-0001", "implemented").code == 0
    assert logged("log", "decision", "Adopt screening again", "--date", "2026-03-05",
                  "--supersedes", "D-2026-0001").code == 0
    assert record(logged, "D-2026-0001")["status"] == "superseded"

    result = logged("withdraw", "D-2026-0002", "--reason", "Logged by mistake")
    assert result.code == 0, result.err
    earlier = record(logged, "D-2026-0001")
    assert earlier["status"] == "implemented" and "superseded_by" not in earlier
    assert logged("verify").code == 0


def test_a_successor_withdrawn_by_hand_leaving_its_predecessor_superseded_is_named(
    logged, ledger_root
):
    assert logged("log", "decision", "Adopt screening again", "--date", "2026-03-05",
                  "--supersedes", "D-2026-0001").code == 0
    path = next(ledger_root.glob("records/decisions/*/D-2026-0002.json"))
    path.write_text(json.dumps({**json.loads(path.read_text()), "withdrawn": "2026-03-06"},
                               indent=2, sort_keys=True) + "\n")
    git(ledger_root, "commit", "-qam", "withdraw D-2026-0002 by hand")
    verdict = logged("verify")
    assert verdict.code == 1
    assert "withdrawing it puts D-2026-0001 back in force" in verdict.out + verdict.err


def test_a_superseded_decision_is_back_in_force_only_when_its_successor_is_withdrawn():
    from hrgov.rules import Circumstances, Records, check

    old = {"kind": "decision", "id": "D-2026-0001", "title": "Adopt", "date": PAST,
           "status": "superseded", "superseded_by": "D-2026-0002", "sensitivity": "internal"}
    new = {k: v for k, v in old.items() if k != "superseded_by"} | {"status": "adopted"}
    successor = {"kind": "decision", "id": "D-2026-0002", "title": "Again", "date": PAST,
                 "status": "adopted", "supersedes": "D-2026-0001", "sensitivity": "internal"}
    in_force = Records({"D-2026-0002": successor})
    withdrawn = Records({"D-2026-0002": {**successor, "withdrawn": PAST}})
    assert [b.message for b in check(old, new, in_force, Circumstances("x"))] == [
        "cannot go from superseded to adopted: D-2026-0001 is back in force only when "
        "D-2026-0002 is withdrawn"]
    assert check(old, new, withdrawn, Circumstances("x")) == []
    rescinded = check(old, {**new, "status": "rescinded"}, withdrawn, Circumstances("x"))
    assert [b.field for b in rescinded] == ["status"]


def test_a_successor_of_a_withdrawn_decision_can_be_withdrawn_too(logged, ledger_root):
    assert logged("log", "decision", "Adopt screening again", "--date", "2026-03-05",
                  "--supersedes", "D-2026-0001").code == 0
    assert logged("withdraw", "D-2026-0001", "--reason", "Logged by mistake").code == 0
    result = logged("withdraw", "D-2026-0002", "--reason", "Logged by mistake too")
    assert result.code == 0, result.err
    assert record(logged, "D-2026-0002")["withdrawn"]
    assert record(logged, "D-2026-0001")["status"] == "superseded"  # withdrawn: unchanged
    assert logged("verify").code == 0
