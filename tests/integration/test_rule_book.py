"""One rule book, whatever the way in: every rule the commands enforce is enforced for
``hrgov import`` (exit 2, the row and the rule named, nothing written) and reported by
``hrgov verify`` when the same change arrives as a plain-git commit."""

import json
from pathlib import Path

import pytest

from tests.conftest import git, head, run_cli, state

MILESTONE = "MS-2026-0001"


@pytest.fixture
def book(ledger_root, hrgov):
    """The pack's ledger with a done milestone that slipped once, an issue, a grievance and a
    decision."""
    for args in (
        ["milestone", "add", "Train staff", "--commitment", "ongoing-hrdd", "--due",
         "2026-06-30"],
        ["milestone", "update", MILESTONE, "--due", "2026-07-31", "--reason", "Trainer ill"],
        ["milestone", "done", MILESTONE, "--on", "2026-06-01"],
        ["log", "issue", "Project blocked in one country", "--reported", "2026-04-02",
         "--category", "freedom-of-expression"],
        ["log", "grievance", "--channel", "other", "--received", "2026-04-03"],
        ["log", "decision", "Adopt screening", "--date", "2026-03-04"],
    ):
        result = hrgov(*args)
        assert result.code == 0, result.err
    return ledger_root


def record_path(root: Path, record_id: str) -> Path:
    return next((root / "records").rglob(f"{record_id}.json"))


def hand_commit(root: Path, record_id: str, change, message="Edited by hand") -> None:
    """Change a record file with plain git, as someone without hrgov would."""
    path = record_path(root, record_id)
    record = json.loads(path.read_text())
    change(record)
    path.write_text(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    git(root, "commit", "-qam", message)


# (what, kind, CSV for import --update (or a new row), the same change by hand, the rule's words)
RULES = {
    "original_due never changes": (
        "milestones", f"id,original_due\n{MILESTONE},2027-09-30\n",
        (MILESTONE, lambda r: r.update(original_due="2027-09-30")),
        "original_due changed from 2026-06-30 to 2027-09-30",
    ),
    "a due date moves only by a slip with its reason": (
        "milestones", f"id,due\n{MILESTONE},2027-09-30\n",
        (MILESTONE, lambda r: r.update(due="2027-09-30")),
        "a due date moves only with its reason",
    ),
    "slips are never rewritten": (
        "milestones",
        f'id,slips\n{MILESTONE},"[{{""from"": ""2026-06-30"", ""to"": ""2026-07-31"", '
        f'""reason"": ""No reason"", ""on"": ""2026-05-01""}}]"\n',
        (MILESTONE, lambda r: r["slips"][0].update(reason="No reason")),
        "slips changed; earlier slips are never rewritten or removed",
    ),
    "due and slips agree": (
        "milestones",
        f'id,slips\n{MILESTONE},"[]"\n',
        (MILESTONE, lambda r: r.pop("slips")),
        "slips changed; earlier slips are never rewritten or removed",
    ),
    "a status moves only as its lifecycle allows": (
        "milestones", f"id,status\n{MILESTONE},blocked\n",
        (MILESTONE, lambda r: (r.update(status="blocked"), r.pop("done_on"))),
        "cannot go from done to blocked",
    ),
    "an owner changes only with a reason": (
        "commitments", "id,owner\nongoing-hrdd,legal\n",
        ("ongoing-hrdd", lambda r: r.update(owner="legal")),
        "owner changed from",
    ),
    "links name records that exist": (
        "milestones", f"id,commitment\n{MILESTONE},no-such-commitment\n",
        (MILESTONE, lambda r: r.update(commitment="no-such-commitment")),
        "commitment: no commitment no-such-commitment",
    ),
    "a superseded decision names its successor": (
        "decisions", "id,status\nD-2026-0001,superseded\n",
        ("D-2026-0001", lambda r: r.update(status="superseded")),
        "a superseded decision names the decision that superseded it",
    ),
    "a reported date never changes": (
        "issues", "id,reported\nHRI-2026-0001,2026-05-02\n",
        ("HRI-2026-0001", lambda r: r.update(reported="2026-05-02")),
        "reported changed from 2026-04-02 to 2026-05-02",
    ),
    "a subcategory is one of its category's": (
        "issues", "id,subcategory\nHRI-2026-0001,Nothing of the kind\n",
        ("HRI-2026-0001", lambda r: r.update(subcategory="Nothing of the kind")),
        "'Nothing of the kind' is not a subcategory of freedom-of-expression",
    ),
    "texts about people hold no contact details": (
        "grievances", "id,summary\nG-2026-0001,Call jane@example.org\n",
        ("G-2026-0001", lambda r: r.update(summary="Call jane@example.org")),
        "summary contains what looks like an email address",
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_import_is_refused_and_verify_reports_the_same_break_by_plain_git(book, rule):
    kind, rows, (record_id, by_hand), words = RULES[rule]
    before = state(book)
    refused = run_cli("--ledger", str(book), "import", kind, "-", "--update", stdin=rows)
    assert refused.code == 2, refused.out
    assert f"stdin line 2: {record_id}: " in refused.err and words in refused.err, refused.err
    assert state(book) == before

    hand_commit(book, record_id, by_hand)
    sha = head(book)
    verify = run_cli("--ledger", str(book), "verify")
    assert verify.code == 1
    failures = [line for line in verify.out.splitlines() if line.startswith(f"commit {sha[:12]}")]
    assert failures and all(f": {record_id}: " in line for line in failures), verify.out
    assert any(words in line for line in failures), verify.out


def test_new_records_by_import_obey_the_same_rules(book):
    refused = run_cli(
        "--ledger", str(book), "import", "decisions", "-",
        stdin="id,title,date,status\nD-2025-0001,Misdated,2026-03-04,adopted\n"
              ",Superseded at birth,2026-03-05,superseded\n",
    )
    assert refused.code == 2
    lines = refused.err.splitlines()
    assert "line 2: D-2025-0001: the id's year 2025 is not the year of its date 2026-03-04" in (
        lines[0])
    assert "line 3: D-2026-0002: a superseded decision names the decision that superseded it" in (
        lines[1])


def test_a_removed_record_is_a_failure(book):
    git(book, "rm", "-q", str(record_path(book, "D-2026-0001")))
    git(book, "commit", "-qm", "Tidy up")
    verify = run_cli("--ledger", str(book), "verify")
    assert verify.code == 1
    assert "D-2026-0001: removed; a record is never deleted" in verify.out


def test_import_moves_a_due_date_by_a_slip_as_milestone_update_does(book, hrgov):
    assert hrgov("milestone", "update", MILESTONE, "--status", "in-progress").code == 0
    rows = f"id,due,reason\n{MILESTONE},2026-09-30,Vendor withdrew\n"
    moved = run_cli("--ledger", str(book), "import", "milestones", "-", "--update", stdin=rows)
    assert moved.code == 0, moved.err
    (record,) = hrgov("show", MILESTONE, "-f", "json").json
    assert record["original_due"] == "2026-06-30" and record["due"] == "2026-09-30"
    slip = record["slips"][-1]
    assert (slip["from"], slip["to"], slip["reason"]) == ("2026-07-31", "2026-09-30",
                                                          "Vendor withdrew")
    again = run_cli("--ledger", str(book), "import", "milestones", "-", "--update",
                    "--reason", "Board asked for more time",
                    stdin=f"id,due\n{MILESTONE},2026-12-31\n")
    assert again.code == 0, again.err
    slips = hrgov("show", MILESTONE, "-f", "json").json[0]["slips"]
    assert slips[-1]["reason"] == "Board asked for more time"
    assert hrgov("verify").code == 0


def test_an_owner_changes_by_import_with_a_reason_kept_in_the_history(book, hrgov):
    moved = run_cli("--ledger", str(book), "import", "commitments", "-", "--update",
                    "--reason", "Legal leads due diligence", stdin="id,owner\nongoing-hrdd,legal\n")
    assert moved.code == 0, moved.err
    versions = hrgov("history", "ongoing-hrdd", "-f", "json").json
    assert versions[-1]["reason"] == "Legal leads due diligence"
    assert {"field": "owner", "old": versions[-2]["record"].get("owner"), "new": "legal"} in (
        versions[-1]["changes"])


def test_a_plain_git_commit_that_obeys_the_rules_is_a_notice(book):
    hand_commit(book, "D-2026-0001", lambda r: r.update(title="Adopt human-rights screening"),
                message="Fix the title")
    verify = run_cli("--ledger", str(book), "verify")
    assert verify.code == 0
    assert "notice: commit" in verify.out and "made outside hrgov" in verify.out


def test_a_record_damaged_earlier_can_still_be_worked_on_and_corrected(book, hrgov):
    """The damage is reported once, against the commit that made it; later changes are judged
    on what they do."""
    assert hrgov("milestone", "update", MILESTONE, "--status", "in-progress").code == 0
    hand_commit(book, MILESTONE, lambda r: r.update(due="2026-09-30"))  # no slip
    damaged = head(book)
    assert hrgov("milestone", "update", MILESTONE, "--evidence", "https://example.org/a").code == 0
    moved = hrgov("milestone", "update", MILESTONE, "--due", "2026-10-30", "--reason", "Fixed")
    assert moved.code == 0, moved.err
    assert hrgov("milestone", "done", MILESTONE).code == 0
    failures = [line for line in hrgov("verify").out.splitlines() if not line.startswith("notice")]
    assert len(failures) == 1 and failures[0].startswith(f"commit {damaged[:12]}"), failures


def test_an_owner_changes_by_commitment_assign_or_with_a_reason_only(book, hrgov):
    assert hrgov("commitment", "assign", "ongoing-hrdd", "legal").code == 0  # the command is
    assert hrgov("verify").code == 0                                      # the ownership entry
    refused = run_cli("--ledger", str(book), "import", "commitments", "-", "--update",
                      stdin="id,owner\nongoing-hrdd,security\n")
    assert refused.code == 2 and "owner changed from legal to security without a reason" in (
        refused.err)
    hand_commit(book, "ongoing-hrdd", lambda r: r.update(owner="security"))
    assert "owner changed from legal to security without a reason" in hrgov("verify").out


@pytest.mark.parametrize("rows, options, words", [
    (f"id,due\n{MILESTONE},2026-09-01\n", ["--reason", "   "], "gives no reason"),
    (f"id,due,reason\n{MILESTONE},2026-09-01, \n", [], "gives no reason"),
])
def test_a_slip_needs_a_reason_and_its_place_in_time(book, hrgov, rows, options, words):
    assert hrgov("milestone", "update", MILESTONE, "--status", "in-progress").code == 0
    before = state(book)
    refused = run_cli("--ledger", str(book), "import", "milestones", "-", "--update", *options,
                      stdin=rows)
    assert refused.code == 2 and words in refused.err, refused.err
    assert state(book) == before


def test_import_reopens_a_milestone_as_the_command_does(book, hrgov):
    reopened = run_cli("--ledger", str(book), "import", "milestones", "-", "--update",
                       stdin=f"id,status\n{MILESTONE},in-progress\n")
    assert reopened.code == 0, reopened.err
    (record,) = hrgov("show", MILESTONE, "-f", "json").json
    assert record["status"] == "in-progress" and "done_on" not in record
    outcome = run_cli("--ledger", str(book), "import", "grievances", "-", "--update",
                      stdin="id,outcome\nG-2026-0001,upheld\n")
    assert outcome.code == 2 and "an outcome (upheld), but it is received, not closed" in (
        outcome.err)


def test_a_finding_whose_milestones_are_not_a_list_is_refused_not_a_crash(book, hrgov):
    assert hrgov("log", "assessment", "Screening", "--subject", "feature").code == 0
    (assessment,) = [r["id"] for r in hrgov("list", "assessments", "-f", "json").json]
    rows = f'id,findings\n{assessment},"[{{""finding"": ""x"", ""milestones"": null}}]"\n'
    refused = run_cli("--ledger", str(book), "import", "assessments", "-", "--update", stdin=rows)
    assert refused.code == 2 and "a finding's milestones are a list of ids" in refused.err
    hand_commit(book, assessment, lambda r: r.update(findings=[{"finding": "x",
                                                               "milestones": None}]))
    assert hrgov("list", "assessments").code == 0
    verify = hrgov("verify")
    assert verify.code == 1 and "a finding's milestones are a list of ids" in verify.out


def test_a_slip_is_dated_after_the_slips_before_it(book, hrgov):
    (record,) = hrgov("show", MILESTONE, "-f", "json").json
    slips = [*record["slips"], {"from": "2026-07-31", "to": "2026-09-01", "reason": "Late",
                                "on": "1999-01-01"}]
    cell = json.dumps(slips).replace('"', '""')
    refused = run_cli("--ledger", str(book), "import", "milestones", "-", "--update",
                      stdin=f'id,due,slips\n{MILESTONE},2026-09-01,"{cell}"\n')
    assert refused.code == 2 and "a slip dated 1999-01-01 comes after one dated" in refused.err


def test_a_reason_cell_is_the_reason_of_its_row_alone(book, hrgov):
    rows = ("id,owner,reason\n"
            "ongoing-hrdd,legal,Legal leads due diligence\n"
            "periodic-hria,security,\n")
    refused = run_cli("--ledger", str(book), "import", "commitments", "-", "--update", stdin=rows)
    assert refused.code == 2
    assert "line 3: periodic-hria: owner changed" in refused.err and "line 2" not in refused.err
    moved = run_cli("--ledger", str(book), "import", "commitments", "-", "--update",
                    stdin="id,owner,reason\nongoing-hrdd,legal,Legal leads due diligence\n")
    assert moved.code == 0, moved.err
    assert "Hrgov-Record-Reason: ongoing-hrdd Legal leads due diligence" in git(
        book, "log", "-1", "--format=%B")
    assert hrgov("history", "ongoing-hrdd", "-f", "json").json[-1]["reason"] == (
        "Legal leads due diligence")
    assert hrgov("verify").code == 0


def test_a_version_that_cannot_be_read_is_reported_and_the_next_judged_against_the_last(
    book, hrgov
):
    path = record_path(book, MILESTONE)
    readable = json.loads(path.read_text())
    path.write_text("{ broken\n")
    git(book, "commit", "-qam", "oops")
    oops = head(book)
    readable.update(original_due="2030-01-01")  # a break hidden behind the unreadable version
    path.write_text(json.dumps(readable, indent=2, sort_keys=True) + "\n")
    git(book, "commit", "-qam", "fix")
    fixed = head(book)
    out = hrgov("verify").out
    assert f"commit {oops[:12]}" in out and f"{MILESTONE}: its file holds no valid record" in out
    assert "removed" not in out
    assert f"commit {fixed[:12]}" in out
    assert "original_due changed from 2026-06-30 to 2030-01-01" in out
