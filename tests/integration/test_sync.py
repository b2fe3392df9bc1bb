"""Sharing one ledger between secretaries through a real bare git remote: ``hrgov clone``,
``hrgov sync``, ``hrgov resolve``, ``hrgov status`` and git's merge driver."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import HRGOV, git, head, kill, rebuilt_snapshot, run_cli, snapshot, state

ALICE = "Alice Secretary <alice@example.org>"
BOB = "Bob Focal-Point <bob@example.org>"


class Clone:
    """One person's working copy of the shared ledger."""

    def __init__(self, root: Path, author: str):
        self.root, self.author = root, author

    def __call__(self, *args: str):
        return run_cli("--ledger", str(self.root), "--as", self.author, *args)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.code == 0, (args, result.out, result.err)
        return result.out.strip()

    def record(self, record_id: str) -> dict:
        shown = json.loads(self.ok("show", record_id, "--format", "json"))
        return shown[0] if isinstance(shown, list) else shown

    def ids(self, kind: str) -> list[str]:
        return [r["id"] for r in json.loads(self.ok("list", kind, "--format", "json"))]


@pytest.fixture
def remote(ledger_root, tmp_path) -> Path:
    """A bare repository holding the ledger, as a file server or a forge would."""
    bare = tmp_path / "shared.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(ledger_root), str(bare)], check=True)
    return bare


@pytest.fixture
def alice(remote, tmp_path) -> Clone:
    result = run_cli("clone", str(remote), str(tmp_path / "alice"))
    assert result.code == 0, result.err
    return Clone(tmp_path / "alice", ALICE)


@pytest.fixture
def bob(remote, tmp_path) -> Clone:
    result = run_cli("clone", str(remote), str(tmp_path / "bob"))
    assert result.code == 0, result.err
    return Clone(tmp_path / "bob", BOB)


def log_decision(clone: Clone, title: str, *more: str) -> str:
    return clone.ok(
        "log", "decision", title, "--date", "2026-03-04", "--commitment", "ongoing-hrdd",
        "--no-input", *more,
    ).split()[0]


def add_milestone(clone: Clone, title: str, decision: str | None = None) -> str:
    extra = ["--decision", decision] if decision else []
    return clone.ok(
        "milestone", "add", title, "--commitment", "ongoing-hrdd", "--due", "2026-06-30",
        *extra,
    ).split()[0]


def assert_sound_and_equal(*clones: Clone, tmp_path: Path) -> None:
    """verify passes everywhere; every index equals a fresh rebuild and the others."""
    snapshots = []
    for n, clone in enumerate(clones):
        result = clone("verify")
        assert result.code == 0, (clone.root, result.out, result.err)
        mine = snapshot(clone.root)
        fresh = tmp_path / f"fresh-{n}"
        fresh.mkdir()
        assert mine == rebuilt_snapshot(clone.root, fresh)
        snapshots.append(mine)
    heads = {head(c.root) for c in clones}
    if len(heads) == 1:
        assert all(s == snapshots[0] for s in snapshots)


def test_clone_is_a_working_ledger_with_the_merge_driver(alice, remote):
    assert alice("verify").code == 0
    assert "ongoing-hrdd" in alice.ids("commitments")
    assert "hrgov" in git(alice.root, "config", "merge.hrgov.driver")
    attributes = (alice.root / ".git" / "info" / "attributes").read_text()
    assert "records/**/*.json merge=hrgov" in attributes
    assert git(alice.root, "check-attr", "merge", "records/decisions/2026/D-2026-0001.json") \
        .strip().endswith("merge: hrgov")


def test_clone_of_something_that_is_not_a_ledger_keeps_nothing(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    git(plain, "init", "-q")
    (plain / "README").write_text("not a ledger\n")
    git(plain, "add", "README")
    git(plain, "commit", "-qm", "first")
    result = run_cli("clone", str(plain), str(tmp_path / "copy"))
    assert result.code == 2 and "not an hrgov ledger" in result.err
    assert not (tmp_path / "copy").exists()


def test_decisions_logged_on_both_sides_get_distinct_ids_with_references(alice, bob, tmp_path):
    first = log_decision(alice, "Screen new features", "--rationale", "Salient risk")
    second = log_decision(alice, "Screen features and partners", "--supersedes", first)
    milestone = add_milestone(alice, "Screening checklist", decision=second)
    theirs = log_decision(bob, "Fund the volunteer protection desk")
    assert first == theirs == "D-2026-0001"
    bob.ok("sync")

    alice.ok("sync")
    assert alice.ids("decisions") == ["D-2026-0001", "D-2026-0002", "D-2026-0003"]
    assert alice.record("D-2026-0001")["title"] == "Fund the volunteer protection desk"
    moved_first, moved_second = alice.record("D-2026-0002"), alice.record("D-2026-0003")
    assert moved_first["title"] == "Screen new features"
    assert moved_first["superseded_by"] == "D-2026-0003"
    assert moved_second["supersedes"] == "D-2026-0002"
    assert alice.record(milestone)["decision"] == "D-2026-0003"
    message = git(alice.root, "log", "-1", "--format=%B")
    assert "Hrgov-Renumbered: D-2026-0001 D-2026-0002" in message
    assert "Hrgov-Renumbered: D-2026-0002 D-2026-0003" in message

    bob.ok("sync")
    assert head(bob.root) == head(alice.root)
    assert bob.ids("decisions") == alice.ids("decisions")
    # Where the record came from is told on both machines: the id it had, who logged it.
    for clone in (alice, bob):
        first_version = json.loads(clone.ok("history", "D-2026-0002", "--format", "json"))[0]
        assert first_version["renumbered_from"] == "D-2026-0001"
        assert first_version["subject"].startswith("sync: ")
        logged, superseded = first_version["merged_from"]
        assert logged["subject"].startswith("log decision D-2026-0001: Screen new features")
        assert superseded["subject"].startswith("log decision D-2026-0002")
        assert logged["author"] == superseded["author"] == ALICE
    told = bob("history", "D-2026-0001")
    assert "another record, logged as D-2026-0001 before it was shared, is now D-2026-0002" \
        in told.err
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


def test_one_milestone_edited_in_different_fields_merges(alice, bob, tmp_path):
    milestone = add_milestone(alice, "Publish the annual report")
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("milestone", "update", milestone, "--status", "in-progress")
    bob.ok("milestone", "update", milestone, "--evidence", "https://example.org/draft")
    bob.ok("milestone", "update", milestone, "--due", "2026-08-31", "--reason", "Board moved")
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("sync")
    merged = alice.record(milestone)
    assert merged["status"] == "in-progress"
    assert merged["evidence"] == ["https://example.org/draft"]
    assert merged["due"] == "2026-08-31" and merged["original_due"] == "2026-06-30"
    assert bob.record(milestone) == merged
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


def test_slips_on_both_sides_are_both_kept(alice, bob, tmp_path):
    milestone = add_milestone(alice, "Train the trust and safety team")
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("milestone", "update", milestone, "--due", "2026-09-30", "--reason", "Trainer ill")
    bob.ok("milestone", "update", milestone, "--due", "2026-09-30", "--reason", "Budget late")
    bob.ok("sync")
    alice.ok("sync")
    slips = alice.record(milestone)["slips"]
    assert sorted(s["reason"] for s in slips) == ["Budget late", "Trainer ill"]
    assert all(s["to"] == "2026-09-30" for s in slips)
    assert alice.record(milestone)["original_due"] == "2026-06-30"
    bob.ok("sync")
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


def test_a_true_conflict_stops_is_listed_and_is_settled_with_resolve(alice, bob, tmp_path):
    milestone = add_milestone(alice, "Due diligence for the new data centre")
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("milestone", "update", milestone, "--due", "2026-09-30", "--reason", "Vendor late")
    bob.ok("milestone", "update", milestone, "--due", "2026-10-31", "--reason", "Scope grew")
    bob.ok("sync")
    before = state(alice.root)

    stopped = alice("sync")
    assert stopped.code == 1
    assert f"conflict: {milestone} due" in stopped.out
    assert '"2026-09-30"' in stopped.out and '"2026-10-31"' in stopped.out
    assert "Alice Secretary" in stopped.out and "Bob Focal-Point" in stopped.out
    assert "hrgov resolve" in stopped.err
    assert state(alice.root) == before  # nothing committed, no conflict state left in git
    assert not (alice.root / ".git" / "MERGE_HEAD").exists()
    shown = alice.ok("status")
    assert f"conflict: {milestone} due" in shown

    wrong = alice("resolve", milestone, "--take", "title=x", "--reason", "no")
    assert wrong.code == 2 and "not in conflict" in wrong.err
    alice.ok("resolve", milestone, "--take", "theirs", "--reason", "Bob's date was agreed")
    alice.ok("sync")
    merged = alice.record(milestone)
    assert merged["due"] == "2026-10-31"
    assert {s["reason"] for s in merged["slips"]} == {"Vendor late", "Scope grew"}
    message = git(alice.root, "log", "-1", "--format=%B")
    assert f"Hrgov-Resolved: {milestone} due" in message
    assert "Bob's date was agreed" in message
    bob.ok("sync")
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


def test_resolve_with_a_value_of_its_own(alice, bob, tmp_path):
    milestone = add_milestone(alice, "Human rights impact assessment of AI tools")
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("milestone", "update", milestone, "--due", "2026-09-30", "--reason", "A")
    bob.ok("milestone", "update", milestone, "--due", "2026-10-31", "--reason", "B")
    bob.ok("sync")
    assert alice("sync").code == 1
    alice.ok("resolve", milestone, "--take", "due=2026-11-30", "--reason", "Agreed in June")
    alice.ok("sync")
    merged = alice.record(milestone)
    assert merged["due"] == "2026-11-30"
    assert merged["slips"][-1]["to"] == "2026-11-30"
    assert merged["slips"][-1]["reason"] == "Agreed in June"
    bob.ok("sync")
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


def test_status_shows_what_is_not_yet_shared(alice, bob):
    log_decision(alice, "Adopt a grievance channel for volunteers")
    shown = json.loads(alice.ok("status", "--format", "json"))
    assert shown["remote"] == "origin"
    assert shown["ahead"]["commits"] == 1 and shown["ahead"]["records"] == ["D-2026-0001"]
    assert shown["behind"]["commits"] == 0
    alice.ok("sync")
    shown = json.loads(bob.ok("status", "--fetch", "--format", "json"))
    assert shown["behind"]["commits"] == 1 and shown["behind"]["records"] == ["D-2026-0001"]
    assert "here, not yet there: 0 commits" in bob.ok("status")


def test_a_plain_git_pull_merges_records_as_sync_does(alice, bob, remote, tmp_path):
    milestone = add_milestone(alice, "Publish transparency data")
    alice.ok("sync")
    bob.ok("sync")
    carol = Clone(tmp_path / "carol", "Carol <carol@example.org>")
    assert run_cli("clone", str(remote), str(carol.root)).code == 0
    bob.ok("milestone", "update", milestone, "--evidence", "https://example.org/data")
    bob.ok("sync")
    # The same local change on Alice's and Carol's copies: Carol's is Alice's commit.
    alice.ok("milestone", "update", milestone, "--status", "in-progress")
    git(carol.root, "fetch", "-q", str(alice.root), "main")
    git(carol.root, "merge", "-q", "--ff-only", "FETCH_HEAD")
    pulled = subprocess.run(
        ["git", "-C", str(carol.root), "pull", "--no-edit", "--no-rebase", "-q"],
        capture_output=True, text=True,
    )
    assert pulled.returncode == 0, pulled.stderr
    alice.ok("sync")
    assert git(carol.root, "rev-parse", "HEAD:records") == git(
        alice.root, "rev-parse", "HEAD:records"
    )
    assert carol.record(milestone) == alice.record(milestone)
    verdict = carol("verify")
    assert verdict.code == 0, verdict.out
    assert "notice:" in verdict.out  # a merge made with plain git is pointed out
    assert_sound_and_equal(carol, tmp_path=tmp_path)


def test_a_hand_made_merge_that_breaks_a_rule_is_reported(alice, bob, tmp_path):
    milestone = add_milestone(alice, "Annual human rights report")
    alice.ok("sync")
    bob.ok("sync")
    bob.ok("milestone", "update", milestone, "--evidence", "https://example.org/r")
    bob.ok("sync")
    alice.ok("milestone", "update", milestone, "--status", "in-progress")
    git(alice.root, "fetch", "-q", "origin")
    subprocess.run(["git", "-C", str(alice.root), "-c", "merge.hrgov.driver=false", "merge",
                    "--no-commit", "-q", "origin/main"], capture_output=True)
    path = alice.root / "records" / "milestones" / "2026" / f"{milestone}.json"
    record = json.loads(git(alice.root, "show", f"origin/main:{path.relative_to(alice.root)}"))
    record["original_due"] = "2027-01-31"  # a fixed field, rewritten by hand
    record["status"] = "in-progress"
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    git(alice.root, "add", str(path))
    git(alice.root, "commit", "-qm", "merge by hand")
    verdict = alice("verify")
    assert verdict.code == 1
    assert f"{milestone}: original_due" in verdict.out


def test_writes_refuse_during_an_unfinished_git_merge(alice, bob):
    milestone = add_milestone(alice, "Volunteer safety protocol")
    alice.ok("sync")
    bob.ok("sync")
    alice.ok("milestone", "update", milestone, "--due", "2026-09-30", "--reason", "A")
    bob.ok("milestone", "update", milestone, "--due", "2026-10-31", "--reason", "B")
    bob.ok("sync")
    git(alice.root, "fetch", "-q", "origin")
    merging = subprocess.run(["git", "-C", str(alice.root), "merge", "-q", "origin/main"],
                             capture_output=True, text=True)
    assert merging.returncode != 0  # the driver refuses: the same field, two values
    assert (alice.root / ".git" / "MERGE_HEAD").exists()
    before = head(alice.root)
    refused = alice("log", "decision", "Anything", "--date", "2026-03-04", "--commitment",
                    "ongoing-hrdd", "--no-input")
    assert refused.code == 1 and "git merge --abort" in refused.err
    listed = alice("list", "milestones")
    assert "a git merge is in progress" in listed.err
    assert alice("sync").code == 1
    assert head(alice.root) == before


@pytest.mark.parametrize("breakage", ["unreachable", "rewritten", "unrelated", "dirty"])
def test_bad_remotes_and_states_change_nothing(breakage, alice, bob, remote, tmp_path):
    log_decision(bob, "Shared decision")
    bob.ok("sync")
    alice.ok("sync")
    log_decision(alice, "Not yet shared")
    if breakage == "unreachable":
        git(alice.root, "remote", "set-url", "origin", str(tmp_path / "nowhere.git"))
        expected = "cannot reach origin"
    elif breakage == "rewritten":
        git(remote, "update-ref", "refs/heads/main", git(remote, "rev-parse", "main~1").strip())
        expected = "history was rewritten"
    elif breakage == "unrelated":
        other = tmp_path / "other"
        assert run_cli("init", str(other), "--org", "Example Foundation").code == 0
        git(alice.root, "remote", "set-url", "origin", str(other))
        expected = "unrelated histories"
    else:  # a hand edit of a record the sync brings a change to
        bob.ok("decision", "status", "D-2026-0001", "implemented")
        bob.ok("sync")
        path = alice.root / "records" / "decisions" / "2026" / "D-2026-0001.json"
        path.write_text(path.read_text().replace("Shared decision", "Edited by hand"))
        expected = "uncommitted changes made by hand"
    before = state(alice.root)
    tracking = git(alice.root, "rev-parse", "refs/remotes/origin/main")
    result = alice("sync")
    assert result.code == 1, result.err
    assert expected in result.err and len(result.err.strip().splitlines()) == 1
    assert state(alice.root) == before
    assert git(alice.root, "rev-parse", "refs/remotes/origin/main") == tracking


def test_a_remote_holding_another_organisations_ledger_is_refused(alice, tmp_path):
    other = tmp_path / "other"
    assert run_cli("init", str(other), "--org", "Another Org").code == 0
    git(alice.root, "remote", "add", "elsewhere", str(other))
    before = state(alice.root)
    result = alice("sync", "elsewhere")
    assert result.code == 1 and "another ledger" in result.err
    assert state(alice.root) == before


def test_a_remote_that_is_not_a_ledger_is_refused(alice, tmp_path):
    plain = tmp_path / "plain.git"
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(plain)],
                   check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(plain), str(work)], capture_output=True)
    (work / "notes.txt").write_text("minutes\n")
    git(work, "add", "notes.txt")
    git(work, "commit", "-qm", "notes")
    git(work, "push", "-q", "origin", "HEAD:main")
    git(alice.root, "remote", "add", "notes", str(plain))
    before = state(alice.root)
    result = alice("sync", "notes")
    assert result.code == 1 and "is not an hrgov ledger" in result.err
    assert state(alice.root) == before


def test_an_empty_remote_receives_the_whole_ledger(ledger_root, tmp_path):
    bare = tmp_path / "empty.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    owner = Clone(ledger_root, ALICE)
    git(ledger_root, "remote", "add", "origin", str(bare))
    # As a ledger made by an earlier hrgov: no merge driver yet; the first sync installs it.
    (ledger_root / ".git" / "info" / "attributes").unlink()
    git(ledger_root, "config", "--unset", "merge.hrgov.driver")
    owner.ok("sync")
    assert "merge-driver" in git(ledger_root, "config", "merge.hrgov.driver")
    assert git(bare, "rev-parse", "main") == git(ledger_root, "rev-parse", "HEAD")


@pytest.mark.slow
def test_two_syncs_racing_to_push_lose_nothing(alice, bob, tmp_path):
    for n in range(3):
        log_decision(alice, f"Alice's decision {n}")
        log_decision(bob, f"Bob's decision {n}")
    runs = [
        subprocess.Popen([HRGOV, "--ledger", str(c.root), "--as", c.author, "sync"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in (alice, bob)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    alice.ok("sync")
    bob.ok("sync")
    titles = sorted(alice.record(i)["title"] for i in alice.ids("decisions"))
    assert titles == sorted([f"Alice's decision {n}" for n in range(3)]
                            + [f"Bob's decision {n}" for n in range(3)])
    assert head(alice.root) == head(bob.root)
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


@pytest.mark.slow
def test_killing_a_sync_at_any_moment_leaves_a_sound_ledger(alice, bob, tmp_path):
    """kill -9 during a sync that renumbers and merges: the next command heals whatever is
    left, verify accepts it, and a later sync completes with nothing lost."""
    import time

    def sync_process(clone: Clone) -> subprocess.Popen:
        return subprocess.Popen(
            [HRGOV, "--ledger", str(clone.root), "--as", clone.author, "sync"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )

    log_decision(bob, "Calibration there")
    bob.ok("sync")
    log_decision(alice, "Calibration here")
    started = time.monotonic()
    sync_process(alice).communicate()
    duration = time.monotonic() - started
    titles = {"Calibration there", "Calibration here"}
    runs, merged_before_the_kill = 8, 0
    for n in range(runs):
        log_decision(bob, f"There {n}")
        bob.ok("sync")
        log_decision(alice, f"Here {n}")
        titles |= {f"There {n}", f"Here {n}"}
        before = head(alice.root)
        process = sync_process(alice)
        time.sleep(duration * (n + 1) / runs * 1.2)
        kill(process, whole_group=n % 2 == 0)
        process.communicate()
        time.sleep(0.05)  # an orphaned git child finishes, as it would in life
        verdict = alice("verify")  # the next command heals what the kill left
        assert verdict.code == 0, (n, verdict.out, verdict.err)
        assert git(alice.root, "status", "--porcelain", "--untracked-files=all") == ""
        after = head(alice.root)
        assert after == before or before in git(alice.root, "rev-list", "--parents", "-1",
                                                 after)
        merged_before_the_kill += after != before
    assert 0 < merged_before_the_kill < runs  # kills landed before and after the merge
    alice.ok("sync")
    bob.ok("sync")
    assert head(alice.root) == head(bob.root)
    found = [alice.record(i)["title"] for i in alice.ids("decisions")]
    assert sorted(found) == sorted(titles)  # each once: nothing lost, nothing doubled
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


def commit_by_hand(clone: Clone, path: str, text: str, message: str) -> None:
    target = clone.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    git(clone.root, "add", path)
    git(clone.root, "commit", "-qm", message)


def test_a_ledger_cannot_make_the_merge_driver_run_its_code(alice, bob, tmp_path):
    """git runs the driver in the ledger's folder: a folder called hrgov/ there must not be
    what Python imports."""
    marker = tmp_path / "ran"
    commit_by_hand(alice, "hrgov/__init__.py", f"open({str(marker)!r}, 'w').write('x')\n",
                   "docs")
    commit_by_hand(alice, "hrgov/commands/__init__.py", "", "docs")
    milestone = add_milestone(alice, "Screening checklist")
    alice.ok("sync")
    bob.ok("sync")
    assert (bob.root / "hrgov" / "__init__.py").exists()  # the working tree follows HEAD
    alice.ok("milestone", "update", milestone, "--status", "in-progress")
    alice.ok("sync")
    bob.ok("milestone", "update", milestone, "--evidence", "https://example.org/x")
    pulled = subprocess.run(["git", "-C", str(bob.root), "pull", "-q", "--no-edit"],
                            capture_output=True, text=True)
    assert pulled.returncode == 0, pulled.stderr  # the driver merged the record…
    assert bob.record(milestone)["status"] == "in-progress"
    assert not marker.exists()  # …and nothing from the ledger ran


def test_sync_brings_every_file_and_a_renamed_organisation_still_syncs(alice, bob):
    settings = (alice.root / "hrgov.toml").read_text()
    renamed = settings.replace('name = "Example Foundation"', 'name = "Example Foundation Inc."')
    assert renamed != settings
    commit_by_hand(alice, "hrgov.toml", renamed, "The organisation's new name")
    alice.ok("sync")
    bob.ok("sync")
    assert (bob.root / "hrgov.toml").read_text() == renamed
    assert git(bob.root, "status", "--porcelain") == ""
    log_decision(bob, "After the rename")
    bob.ok("sync")


def test_a_file_outside_records_changed_on_both_sides_is_refused_with_a_way_out(alice, bob):
    settings = (alice.root / "hrgov.toml").read_text()
    commit_by_hand(alice, "hrgov.toml", settings.replace("Board confidential", "Board only"), "a")
    alice.ok("sync")
    commit_by_hand(bob, "hrgov.toml", settings.replace("Board confidential", "Secret"), "b")
    before = state(bob.root)
    result = bob("sync")
    assert result.code == 1 and "hrgov.toml was changed here and on origin" in result.err
    assert "git checkout origin/main -- hrgov.toml" in result.err
    assert state(bob.root) == before


def test_rewritten_history_stays_refused_after_a_plain_fetch(alice, bob, remote):
    log_decision(alice, "Shared")
    alice.ok("sync")
    bob.ok("sync")
    git(remote, "update-ref", "refs/heads/main", git(remote, "rev-parse", "main~1").strip())
    log_decision(bob, "Offline work")
    assert bob("sync").code == 1
    git(bob.root, "fetch", "-q", "origin")  # moves the remote-tracking branch, not the witness
    shown = bob.ok("status", "--fetch")
    assert "history was rewritten" in shown
    result = bob("sync")
    assert result.code == 1 and "history was rewritten" in result.err
    assert bob.ids("decisions") == ["D-2026-0001", "D-2026-0002"]


def test_taking_a_side_for_a_status_takes_what_goes_with_it(alice, bob, tmp_path):
    milestone = add_milestone(alice, "Publish the grievance statistics")
    alice.ok("sync")
    bob.ok("sync")
    bob.ok("milestone", "done", milestone, "--evidence", "https://example.org/stats")
    alice.ok("milestone", "update", milestone, "--status", "dropped")
    alice.ok("sync")
    stopped = bob("sync")
    assert stopped.code == 1 and f"conflict: {milestone} status" in stopped.out
    bob.ok("resolve", milestone, "--take", "theirs", "--reason", "Dropped at the May meeting")
    bob.ok("sync")
    settled = bob.record(milestone)
    assert settled["status"] == "dropped" and "done_on" not in settled
    assert settled["evidence"] == ["https://example.org/stats"]
    alice.ok("sync")
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)


def test_two_decisions_superseding_one_cannot_be_merged_silently(alice, bob, tmp_path):
    original = log_decision(alice, "Original policy")
    alice.ok("sync")
    bob.ok("sync")
    log_decision(alice, "Alice's replacement", "--supersedes", original)
    log_decision(bob, "Bob's replacement", "--supersedes", original)
    alice.ok("sync")
    assert bob("sync").code == 1
    before = state(bob.root)
    for side in ("ours", "theirs"):
        bob.ok("resolve", original, "--take", side, "--reason", "try")
        result = bob("sync")
        assert result.code == 1 and "already superseded by" in result.err, result.err
        assert state(bob.root) == before
    assert_sound_and_equal(alice, bob, tmp_path=tmp_path)
