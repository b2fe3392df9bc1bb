"""A rebuild reads a long history in two halves at once: the index it builds must be exactly
the one a single pass builds, and the one the commands kept up to date."""

import threading

import pytest

from hrgov import history, index, operations
from hrgov.index import build
from hrgov.ledger import Ledger
from tests.conftest import git, snapshot


def _a_history_of_twenty_commands(root):
    ledger = Ledger(root)
    meeting = operations.log_meeting(ledger, date="2026-01-08").records[-1]["id"]
    first = operations.log_decision(
        ledger, "Screen product launches", date="2026-01-08", meeting=meeting,
        commitments=["ongoing-hrdd"], owner="legal",
    ).records[-1]["id"]
    milestones = [
        operations.add_milestone(
            ledger, f"Step {n}", commitment="ongoing-hrdd", due="2026-06-30", decision=first
        ).records[-1]["id"]
        for n in range(8)
    ]
    # The second half changes records the first half made: versions, slips, supersession.
    for n, milestone in enumerate(milestones):
        operations.update_milestone(
            ledger, milestone, due=f"2026-07-{n + 10}", reason=f"Vendor delay {n}"
        )
    operations.log_decision(
        ledger, "Screen launches and grants", date="2026-02-04", supersedes=first,
        commitments=["ongoing-hrdd"],
    )
    operations.assign_commitment(ledger, "ongoing-hrdd", "security", reason="Moved")


@pytest.mark.parametrize("batch", [1, 3, 200])
def test_two_halves_build_the_index_one_pass_builds(ledger_root, tmp_path, monkeypatch, batch):
    _a_history_of_twenty_commands(ledger_root)
    # A file removed by hand and committed with plain git, late in the history.
    git(ledger_root, "rm", "-q", "records/departments/grants.json")
    git(ledger_root, "commit", "-q", "-m", "remove a department by hand")
    commits = len(git(ledger_root, "rev-list", "--first-parent", "HEAD").split())
    assert commits > 20
    git(ledger_root, "fsck", "--strict")  # every tree the writes spliced is well formed

    one_pass = snapshot_of(build(ledger_root, tmp_path / "one.db"))
    monkeypatch.setattr(history, "SPLIT_HISTORY_AT", 4)
    monkeypatch.setattr(index, "BUILD_BATCH", batch)  # records rewritten across batches
    two_halves = snapshot_of(build(ledger_root, tmp_path / "two.db"))

    assert two_halves == one_pass
    # record_versions rows: (record_id, version, kind, sha, time, author…, subject, reason, …)
    versions = [v for v in two_halves["record_versions"] if v[0] == "MS-2026-0008"]
    assert [v[1] for v in versions] == [1, 2]
    assert versions[1][8] == "Vendor delay 7"
    assert "grants" not in {r[0] for r in two_halves["records"]}
    assert two_halves == snapshot(ledger_root)


def snapshot_of(index):
    from hrgov import queries

    try:
        return queries.snapshot(index.conn)
    finally:
        index.close()


def test_cat_file_answers_many_requests_in_order_without_deadlock(ledger_root, tmp_path):
    # Far more requests than fit in a pipe, and more answers than fit in the other one.
    folder = tmp_path / "blobs"
    folder.mkdir()
    paths = []
    for n in range(1500):
        paths.append(folder / f"{n}.txt")
        paths[-1].write_text(f"object {n} " + "x" * 1000)
    shas = git(ledger_root, "hash-object", "-w", *map(str, paths)).split()
    missing = "0" * 39 + "1"
    answers = []

    def read_them_all():
        with history.CatFile(ledger_root) as objects:
            objects.ask([*shas[:1000], missing, *shas[1000:]])
            answers.extend(objects.answer() for _ in range(len(shas) + 1))

    reader = threading.Thread(target=read_them_all, daemon=True)
    reader.start()
    reader.join(timeout=60)
    assert not reader.is_alive(), "git cat-file and hrgov are waiting on each other"
    assert answers[1000] is None
    found = answers[:1000] + answers[1001:]
    assert [a[0] for a in found] == shas
    assert found[-1][2] == paths[-1].read_bytes()


def test_cat_file_stops_at_once_when_its_answers_are_left_unread(ledger_root, tmp_path):
    # A build that fails halfway leaves answers unread: git must not wait on them for ever.
    folder = tmp_path / "blobs"
    folder.mkdir()
    for n in range(1500):
        (folder / f"{n}.txt").write_text(f"object {n} " + "x" * 1000)
    shas = git(ledger_root, "hash-object", "-w", *map(str, sorted(folder.iterdir()))).split()

    def ask_and_leave():
        with history.CatFile(ledger_root) as objects:
            objects.ask(shas)

    leaver = threading.Thread(target=ask_and_leave, daemon=True)
    leaver.start()
    leaver.join(timeout=30)
    assert not leaver.is_alive(), "closing waited on git, which waited on its reader"
