"""A rewritten history is caught: every clone remembers the commits it has seen (its
witnesses, kept across rebuilds), and each Board briefing tags the commit it was built from."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from pathlib import Path

from hrgov import queries
from tests.conftest import git, head, run_cli


def cli(root: Path, *args: str):
    return run_cli("--ledger", str(root), *args)


def log_decision(root: Path, title: str) -> str:
    result = cli(root, "log", "decision", title, "--date", "2026-03-04", "--commitment",
                 "ongoing-hrdd", "--no-input")
    assert result.code == 0, result.err
    return result.out.split()[0]


def rewrite_titles(root: Path) -> None:
    """What an adversary does: every commit rewritten so that a decision's recorded title
    reads differently, its trailers kept (git filter-branch)."""
    subprocess.run(
        ["git", "-C", str(root), "filter-branch", "-f", "--tree-filter",
         "sed -i 's/Fund the desk/Fund nothing/' records/decisions/2026/D-2026-0001.json "
         "2>/dev/null || true", "HEAD"],
        check=True, capture_output=True, env={**os.environ, "FILTER_BRANCH_SQUELCH_WARNING": "1"},
    )


def test_a_filter_branch_rewrite_is_caught_on_the_same_clone(ledger_root):
    log_decision(ledger_root, "Fund the desk")
    log_decision(ledger_root, "Review the desk")
    assert cli(ledger_root, "verify").code == 0
    before = head(ledger_root)
    rewrite_titles(ledger_root)
    assert head(ledger_root) != before
    shown = cli(ledger_root, "show", "D-2026-0001", "--format", "json")
    assert "Fund nothing" in shown.out  # the index followed the rewrite…
    verdict = cli(ledger_root, "verify")
    assert verdict.code == 1  # …but it did not forget what it had seen
    # The first commit's tree did not change, so it kept its id; the two after it are gone.
    assert "history rewritten: 2 commits seen on this machine since" in verdict.out
    assert "are gone; first:" in verdict.out
    assert "'log decision D-2026-0001: Fund the desk'" in verdict.out
    # A rebuild keeps the witnesses: the rewrite stays reported.
    assert cli(ledger_root, "rebuild").code == 0
    assert "history rewritten" in cli(ledger_root, "verify").out


def test_a_second_clone_catches_it_through_the_briefing_tag(ledger_root, tmp_path):
    log_decision(ledger_root, "Fund the desk")
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(remote)],
                   check=True)
    git(ledger_root, "remote", "add", "origin", str(remote))
    briefing = cli(ledger_root, "brief", "--year", "2026", "-o", str(tmp_path / "b.docx"))
    assert briefing.code == 0, briefing.err
    assert "tagged hrgov/brief/" in briefing.err
    tag = git(ledger_root, "tag", "--list", "hrgov/brief/*").strip()
    assert git(ledger_root, "rev-parse", f"{tag}^{{commit}}").strip() == head(ledger_root)
    assert cli(ledger_root, "sync").code == 0  # the tag travels with the branch
    assert git(remote, "tag", "--list", "hrgov/brief/*").strip() == tag

    second = tmp_path / "second"
    assert run_cli("clone", str(remote), str(second)).code == 0
    assert cli(second, "verify").code == 0
    # The adversary rewrites the shared history and forces it onto the remote.
    rewrite_titles(ledger_root)
    git(ledger_root, "push", "-q", "--force", "origin", "HEAD:main")
    # The second clone takes the rewritten branch with plain git, and even loses its index.
    git(second, "fetch", "-q", "origin")
    git(second, "reset", "-q", "--hard", "origin/main")
    (second / ".hrgov" / "ledger.db").unlink()
    verdict = cli(second, "verify")
    assert verdict.code == 1
    assert f"the briefing tag {tag} names commit" in verdict.out
    assert "which is no longer in the history" in verdict.out


def test_a_deleted_witness_list_is_said_with_how_to_restore_it(ledger_root, tmp_path):
    log_decision(ledger_root, "Fund the desk")
    # An old briefing tag covers only the history up to it: the notice still shows.
    assert cli(ledger_root, "brief", "--year", "2026", "-o", str(tmp_path / "b.docx")).code == 0
    log_decision(ledger_root, "Review the desk")
    (ledger_root / ".hrgov" / "ledger.db").unlink()
    verdict = cli(ledger_root, "verify")
    assert verdict.code == 0
    assert "notice: no witnesses before" in verdict.out
    assert "1 briefing tags stand in" in verdict.out
    assert "refs/tags/hrgov/brief/" in verdict.out


def test_a_rewrite_while_the_witness_list_was_gone_is_caught_by_gits_reflog(ledger_root):
    log_decision(ledger_root, "Fund the desk")
    log_decision(ledger_root, "Review the desk")
    (ledger_root / ".hrgov" / "ledger.db").unlink()
    rewrite_titles(ledger_root)
    verdict = cli(ledger_root, "verify")
    assert verdict.code == 1
    assert "history rewritten: 2 commits seen on this machine since" in verdict.out
    assert "'log decision D-2026-0001: Fund the desk'" in verdict.out


def test_sync_shares_a_new_briefing_tag_when_it_has_nothing_else_to_send(ledger_root, tmp_path):
    log_decision(ledger_root, "Fund the desk")
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(remote)],
                   check=True)
    git(ledger_root, "remote", "add", "origin", str(remote))
    assert cli(ledger_root, "sync").code == 0
    assert cli(ledger_root, "brief", "--year", "2026", "-o", str(tmp_path / "b.docx")).code == 0
    tag = git(ledger_root, "tag", "--list", "hrgov/brief/*").strip()
    assert git(remote, "tag", "--list").strip() == ""
    assert cli(ledger_root, "sync").code == 0
    assert git(remote, "tag", "--list", "hrgov/brief/*").strip() == tag
    before = git(remote, "for-each-ref")
    assert cli(ledger_root, "sync").code == 0  # nothing left to send
    assert git(remote, "for-each-ref") == before


def test_a_fresh_ledger_and_a_fresh_clone_have_nothing_to_notice(ledger_root, tmp_path):
    assert "notice" not in cli(ledger_root, "verify").out
    clone = tmp_path / "clone"
    assert run_cli("clone", str(ledger_root), str(clone)).code == 0
    assert "notice" not in cli(clone, "verify").out


def test_approved_minutes_lock_their_decisions(ledger_root):
    assert cli(ledger_root, "log", "meeting", "--date", "2026-03-04").code == 0
    logged = cli(ledger_root, "log", "decision", "Fund the desk", "--meeting", "MTG-2026-03-04",
                 "--commitment", "ongoing-hrdd", "--no-input")
    assert logged.code == 0, logged.err
    decision = logged.out.split()[0]
    assert cli(ledger_root, "log", "meeting", "--date", "2026-04-08").code == 0
    no_reason = cli(ledger_root, "approve", "MTG-2026-03-04")
    assert no_reason.code == 2 and "--reason" in no_reason.err
    approved = cli(ledger_root, "approve", "MTG-2026-03-04", "--at-meeting", "MTG-2026-04-08",
                   "--on", "2026-04-08", "--reason", "Approved as read")
    assert approved.code == 0, approved.err
    shown = cli(ledger_root, "show", "MTG-2026-03-04", "--format", "json").out
    assert '"approved_on": "2026-04-08"' in shown and '"approved_at": "MTG-2026-04-08"' in shown
    again = cli(ledger_root, "approve", "MTG-2026-03-04", "--reason", "twice")
    assert again.code == 2 and "already approved on 2026-04-08" in again.err

    before = head(ledger_root)
    refused = cli(ledger_root, "decision", "status", decision, "implemented")
    assert refused.code == 2
    assert "were approved on 2026-04-08; a change after approval needs a reason" in refused.err
    assert head(ledger_root) == before
    done = cli(ledger_root, "decision", "status", decision, "implemented", "--note",
               "Implemented in May, reported at MTG-2026-06-03")
    assert done.code == 0, done.err
    verdict = cli(ledger_root, "verify")
    assert verdict.code == 0
    assert f"notice: post-approval change: {decision} in commit" in verdict.out
    assert "Implemented in May" in verdict.out

    # The index lists the same post-approval change for the audit view and the Board paper.
    conn = sqlite3.connect(ledger_root / ".hrgov" / "ledger.db")
    try:
        listed = queries.post_approval_changes(conn)
    finally:
        conn.close()
    assert [(c["decision"], c["meeting"], c["reason"]) for c in listed] == [
        (decision, "MTG-2026-03-04", "Implemented in May, reported at MTG-2026-06-03")
    ]
    assert listed[0]["commit"] == head(ledger_root) and listed[0]["signed_by"] is None
    # The audit view lists it too, with its reason.
    import yaml

    from hrgov.audit import copy as audit_copy

    folder = ledger_root.parent / "audit"
    assert cli(ledger_root, "audit", "--build", str(folder)).code == 0
    declared = yaml.safe_load((Path(audit_copy.__file__).parent / "audit.yaml").read_text())
    with sqlite3.connect(folder / "ledger.db") as conn:
        rows = conn.execute(declared["queries"]["changes_after_approval"]["sql"]).fetchall()
    assert [(r[0], r[1], r[6]) for r in rows] == [
        (decision, "MTG-2026-03-04", "Implemented in May, reported at MTG-2026-06-03")
    ]

    # A plain-git change of a locked decision, without a reason, is a failure.
    path = ledger_root / "records" / "decisions" / "2026" / f"{decision}.json"
    path.write_text(path.read_text().replace("Fund the desk", "Fund nothing"))
    git(ledger_root, "commit", "-qam", "tidy")
    verdict = cli(ledger_root, "verify")
    assert verdict.code == 1 and "a change after approval needs a reason" in verdict.out


def test_unlocking_minutes_and_editing_a_decision_in_one_commit_is_still_caught(ledger_root):
    assert cli(ledger_root, "log", "meeting", "--date", "2026-03-04").code == 0
    logged = cli(ledger_root, "log", "decision", "Fund the desk", "--meeting", "MTG-2026-03-04",
                 "--commitment", "ongoing-hrdd", "--no-input")
    decision = logged.out.split()[0]
    assert cli(ledger_root, "approve", "MTG-2026-03-04", "--on", "2026-04-08",
               "--reason", "Approved as read").code == 0
    meeting = ledger_root / "records" / "meetings" / "2026" / "MTG-2026-03-04.json"
    meeting.write_text(re.sub(r',?\s*"approved_on": "[^"]*"', "", meeting.read_text()))
    path = ledger_root / "records" / "decisions" / "2026" / f"{decision}.json"
    path.write_text(path.read_text().replace("Fund the desk", "Fund nothing"))
    git(ledger_root, "commit", "-qam", "tidy")
    verdict = cli(ledger_root, "verify")
    assert verdict.code == 1
    assert f"{decision}: its meeting's minutes (MTG-2026-03-04) were approved" in verdict.out
    assert f"notice: post-approval change: {decision} in commit {head(ledger_root)[:12]}" \
        in verdict.out
