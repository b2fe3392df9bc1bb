"""Pages 1-2, the Board note: the action asked for and "The Board is asked to", from the
decisions the Committee marked with ``log decision --for-board``."""

from __future__ import annotations

import json

import pytest

from .conftest import AUTHOR, SECRET, TODAY, document_text, stamp


def invoke(root, module, *args):
    from importlib import import_module

    from typer.testing import CliRunner

    from hrgov.commands import State

    app = import_module(f"hrgov.commands.{module}").app
    result = CliRunner().invoke(app, list(args), obj=State(ledger=root, author=AUTHOR,
                                                           quiet=True))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    """A ledger with three decisions, two of them put to the Board (one restricted)."""
    from hrgov import ledger, policy

    root = tmp_path_factory.mktemp("note") / "ledger"
    ledger.init(root, policy.load("wikimedia-2021"), organisation="Example Foundation",
                author=AUTHOR, timestamp=stamp("2025-01-02"))
    invoke(root, "log", "decision", "Keep the register current", "--date", "2025-03-01",
           "--no-input")
    asked = invoke(root, "log", "decision", "Fund a rapid-response channel", "--date",
                   "2025-04-01", "--for-board", "--no-input", "--format", "json")
    invoke(root, "log", "decision", f"{SECRET} a matter for the closed session", "--date",
           "2025-05-01", "--for-board", "--sensitivity", "restricted", "--no-input")
    return root, json.loads(asked.stdout)


def brief(root, path):
    from hrgov.briefing import write_brief
    from hrgov.ledger import Ledger

    write_brief(Ledger.find(root), path, start="2025-01-01", end="2025-12-31", today=TODAY)
    text = document_text(path)
    return text[:text.index("Contents")]  # pages 1-2: everything before the contents


def test_for_board_is_recorded_on_the_decision(noted):
    from hrgov.ledger import Ledger

    root, written = noted
    decision_id = written[-1]["id"]
    assert Ledger.find(root).record(decision_id)["for_board"] is True


def test_the_board_is_asked_to_decide_what_the_committee_put_to_it(noted, tmp_path):
    note = brief(noted[0], tmp_path / "board.docx")
    assert "Action: For decision" in note
    asked = note[note.index("The Board is asked to"):note.index("At a glance")]
    assert "note this paper and its key messages" in asked
    assert "Fund a rapid-response channel (proposed by the Steering Committee on 1 April 2025" \
        in asked
    assert "Keep the register current" not in asked
    assert "one further matter the Committee has restricted" in asked
    assert SECRET not in note
    glance = note[note.index("At a glance"):]
    assert "Decisions put to the Board\n2\n1" in glance  # two, one of them restricted


def test_without_a_for_board_decision_the_paper_is_for_noting(scenario, tmp_path):
    note = brief(scenario.root, tmp_path / "board.docx")
    assert "Action: For noting" in note
    assert "No decision of the Steering Committee is put to the Board" in note


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A ledger in which someone moved a milestone's original due date with plain git: a
    change the rule book forbids, which ``hrgov verify`` reports."""
    import subprocess

    from hrgov import ledger, policy

    root = tmp_path_factory.mktemp("broken") / "ledger"
    ledger.init(root, policy.load("wikimedia-2021"), organisation="Example Foundation",
                author=AUTHOR, timestamp=stamp("2025-01-02"))
    added = invoke(root, "milestone", "add", "Publish the summary findings", "--commitment",
                   "periodic-hria", "--due", "2025-06-30", "--format", "json")
    milestone = json.loads(added.stdout)[-1]
    path = next(root.glob(f"records/milestones/*/{milestone['id']}.json"))
    record = json.loads(path.read_text())
    record["original_due"] = record["due"] = "2025-12-31"
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    git = ["git", "-C", str(root), "-c", "user.name=Someone", "-c", "user.email=s@example.org"]
    subprocess.run([*git, "commit", "-q", "-am", "Tidy the due date"], check=True)
    return root, milestone["id"]


def test_the_cover_warns_when_verify_finds_problems(broken, tmp_path):
    from typer.testing import CliRunner

    from hrgov.commands import State
    from hrgov.commands.brief import app

    out = tmp_path / "board.docx"
    result = CliRunner().invoke(app, ["brief", "--year", "2025", "-o", str(out)],
                                obj=State(ledger=broken[0], author=AUTHOR, quiet=True))
    assert result.exit_code == 0, result.output
    assert "hrgov verify finds 1 problem" in result.stderr
    text = document_text(out)
    cover = text[:text.index("Purpose")]  # above the purpose, where no one can miss it
    assert "Warning: the ledger's own check (hrgov verify) reports 1 problem" in cover
    assert broken[1] in cover  # the first problem, with the record it concerns


def test_a_sound_ledger_gets_no_warning(noted, tmp_path):
    assert "Warning" not in brief(noted[0], tmp_path / "board.docx")
