"""The audit copy holds what auditors may see and nothing else: restricted records do not exist
in it at all, not merely hidden."""

from __future__ import annotations

import json
import os
import shutil
import stat
from datetime import date

import pytest

from hrgov import history
from hrgov.audit import build_audit_copy, write_bundle
from hrgov.errors import InvalidInput
from hrgov.ledger import Ledger
from hrgov.model import commitment_health
from tests.audit.conftest import AS_OF, DECLASSIFIED_OLD_TITLE, SECRETS, connect, text_cells
from tests.conftest import git


@pytest.mark.parametrize("mode", ["internal", "public"])
def test_restricted_records_are_nowhere_in_the_copy(bundles, scenario, mode):
    bundle = bundles(mode)
    conn = connect(bundle.database)
    hidden_ids = (
        scenario.restricted_decision, scenario.restricted_milestone, scenario.restricted_successor
    )
    cells = list(text_cells(conn))
    assert len(cells) > 200  # the search did look at the data
    for table, column, value in cells:
        for secret in (*SECRETS, *hidden_ids):
            assert secret not in value, f"{secret!r} found in {table}.{column}"
    raw = bundle.database.read_bytes()  # free pages, FTS shadow tables, the schema
    metadata = bundle.metadata_path.read_bytes()
    for secret in (*SECRETS, *hidden_ids):
        assert secret.encode() not in raw
        assert secret.encode() not in metadata


def test_every_visible_record_is_there_with_its_history(bundle, scenario):
    conn = connect(bundle.database)
    ids = {row[0] for row in conn.execute("SELECT id FROM records")}
    assert {scenario.public_decision, scenario.internal_decision, scenario.slipped_milestone,
            scenario.done_milestone, scenario.linked_milestone} <= ids
    source = Ledger(scenario.root).reader()
    expected = {
        row[0] for row in source.execute("SELECT id FROM records WHERE sensitivity != 'restricted'")
    }
    assert ids == expected
    versions = [
        row["version"]
        for row in conn.execute(
            "SELECT version FROM record_versions WHERE record_id = ? ORDER BY version",
            (scenario.slipped_milestone,),
        )
    ]
    assert versions == [1, 2, 3]
    assert conn.execute("SELECT count(*) FROM milestone_slips WHERE milestone = ?",
                        (scenario.slipped_milestone,)).fetchone()[0] == 2


def test_a_record_that_was_restricted_shows_its_present_but_not_its_past(bundle, scenario):
    conn = connect(bundle.database)
    row = conn.execute(
        "SELECT title, sensitivity FROM decisions WHERE id = ?", (scenario.declassified_decision,)
    ).fetchone()
    assert tuple(row) == ("Answer a government data demand", "internal")
    assert conn.execute(
        "SELECT count(*) FROM record_versions WHERE record_id = ?",
        (scenario.declassified_decision,),
    ).fetchone()[0] == 0
    assert DECLASSIFIED_OLD_TITLE.encode() not in bundle.database.read_bytes()


def test_links_to_withheld_records_are_removed_everywhere(bundles, scenario):
    conn = connect(bundles("internal").database)
    row = conn.execute(
        "SELECT decision, commitment FROM milestones WHERE id = ?", (scenario.linked_milestone,)
    ).fetchone()
    assert row["decision"] is None and row["commitment"] == "ongoing-hrdd"
    record = json.loads(conn.execute(
        "SELECT json FROM records WHERE id = ?", (scenario.linked_milestone,)
    ).fetchone()[0])
    assert "decision" not in record and record["commitment"] == "ongoing-hrdd"
    first = json.loads(conn.execute(
        "SELECT json FROM record_versions WHERE record_id = ? AND version = 1",
        (scenario.linked_milestone,),
    ).fetchone()[0])
    assert "decision" not in first
    superseded = conn.execute(
        "SELECT status, superseded_by, json FROM decisions JOIN records USING (id) WHERE id = ?",
        (scenario.internal_decision,),
    ).fetchone()
    assert (superseded["status"], superseded["superseded_by"]) == ("superseded", None)
    assert "superseded_by" not in json.loads(superseded["json"])
    last = conn.execute(
        "SELECT changes FROM record_versions WHERE record_id = ? ORDER BY version DESC",
        (scenario.internal_decision,),
    ).fetchone()[0]
    assert [c["field"] for c in json.loads(last)] == ["status"]
    for mode in ("internal", "public"):
        conn = connect(bundles(mode).database)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = {row[0] for row in conn.execute("SELECT id FROM records")}
        for (listed,) in conn.execute("SELECT records FROM commits"):
            assert set(json.loads(listed)) <= ids | _deleted(conn)


def _deleted(conn) -> set[str]:
    return {row[0] for row in conn.execute("SELECT record_id FROM record_versions WHERE deleted")}


def test_every_commit_keeps_its_place_but_withheld_ones_lose_their_words(bundle, scenario):
    conn = connect(bundle.database)
    commits = {row["sha"]: row for row in conn.execute("SELECT * FROM commits")}
    in_git = git(scenario.root, "rev-list", "HEAD").split()
    assert set(commits) == set(in_git)
    withheld = [row for row in commits.values() if row["withheld"]]
    # logging the restricted decision and milestone, the declassified decision (twice), the
    # restricted milestone's slip, the restricted successor of a visible decision and the
    # restricted issue
    assert len(withheld) == 7
    subjects = sorted(row["subject"] for row in withheld)
    assert "log decision: [withheld: restricted record]" in subjects
    assert "milestone update: [withheld: restricted record]" in subjects
    both = [row for row in withheld if row["time"].startswith("2026-03-06")]
    assert [(row["subject"], json.loads(row["records"])) for row in both] == [(
        f"log decision {scenario.internal_decision}: [withheld: restricted record]",
        [scenario.internal_decision],
    )]
    for row in withheld:
        assert row["reason"] is None
        assert row["author_name"] and row["time"] and row["command"]
    kept = [row for row in commits.values() if not row["withheld"]]
    assert any(row["reason"] == "Data from two regions arrived late." for row in kept)


def test_public_only_keeps_public_records_only(public_bundle, scenario):
    conn = connect(public_bundle.database)
    kinds = {row[0]: row[1] for row in conn.execute("SELECT id, sensitivity FROM records")}
    assert set(kinds.values()) == {"public"}
    assert set(kinds) == {scenario.public_decision, scenario.done_milestone}
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%sensitivity%'"
    ).fetchall():
        values = {row[0] for row in conn.execute(f"SELECT DISTINCT sensitivity FROM [{table}]")}
        assert values <= {"public"}, table
    raw = public_bundle.database.read_bytes()
    assert b"Screen new product features" not in raw  # an internal decision
    assert b"Publish the first progress report" not in raw  # an internal milestone
    assert conn.execute("SELECT value FROM meta WHERE key = 'mode'").fetchone()[0] == "public"
    milestone = conn.execute(
        "SELECT commitment, decision FROM milestones WHERE id = ?", (scenario.done_milestone,)
    ).fetchone()
    assert tuple(milestone) == (None, None)  # both link to internal records


def test_the_copy_as_of_a_date_is_the_ledger_as_it_was_then(scenario, tmp_path):
    ledger = Ledger(scenario.root)
    database = build_audit_copy(ledger, tmp_path / "then", at="2026-01-20")
    conn = connect(database)
    ids = {row[0] for row in conn.execute(
        "SELECT id FROM records WHERE kind NOT IN "
        "('commitment', 'department', 'instrument', 'category')"
    )}
    assert ids == {"MTG-2026-01-15", scenario.public_decision, scenario.internal_decision}
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert meta["as_of"] == "2026-01-20"
    assert meta["head"] == history.resolve_at(scenario.root, "2026-01-20")
    owner = conn.execute(
        "SELECT owner FROM commitments WHERE id = ?", (scenario.reassigned_commitment,)
    ).fetchone()[0]
    assert owner == "product-technology"  # reassigned to legal only in March
    revision = git(scenario.root, "rev-list", "-1", "--before=2026-02-26", "HEAD").strip()
    database = build_audit_copy(ledger, tmp_path / "rev", at=revision)
    meta = dict(connect(database).execute("SELECT key, value FROM meta").fetchall())
    assert meta["head"] == revision and meta["as_of"] == "2026-02-25"


def test_an_unknown_at_is_refused(scenario, tmp_path):
    with pytest.raises(InvalidInput, match="neither a date"):
        build_audit_copy(Ledger(scenario.root), tmp_path / "x", at="no-such-revision")
    assert not (tmp_path / "x" / "ledger.db").exists()


def test_the_copy_is_a_read_only_plain_database(bundle):
    mode = stat.S_IMODE(os.stat(bundle.database).st_mode)
    assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    conn = connect(bundle.database)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(bundle.folder.glob("*.tmp")) and not list(bundle.folder.glob("*-wal"))
    inspect = json.loads((bundle.folder / "inspect-data.json").read_text())
    assert inspect["ledger"]["file"] == "ledger.db"
    assert inspect["ledger"]["tables"]["records"]["count"] == bundle.records


def test_commitment_health_follows_the_models_rule(bundle):
    conn = connect(bundle.database)
    for row in conn.execute("SELECT * FROM commitment_health"):
        milestones = [
            {"status": m["status"], "due": m["due"], "slips": json.loads(m["slips"] or "[]")}
            for m in conn.execute(
                "SELECT status, due, slips FROM milestones WHERE commitment = ?",
                (row["commitment"],),
            )
        ]
        assert row["health"] == commitment_health(milestones, AS_OF), row["commitment"]
        assert row["as_of"] == AS_OF.isoformat()
    health = dict(conn.execute("SELECT commitment, health FROM commitment_health").fetchall())
    assert health["ongoing-hrdd"] == "off track"  # a milestone slipped twice
    assert health["expert-guided-product-development"] == "done"
    assert health["staff-physical-safety"] == "no plan"  # its only milestone is restricted


def test_a_bundle_folder_is_replaced_but_nothing_else_is_overwritten(scenario, tmp_path):
    ledger = Ledger(scenario.root)
    folder = tmp_path / "bundle"
    first = write_bundle(ledger, folder, as_of=date(2026, 4, 1))
    again = write_bundle(ledger, folder, as_of=date(2026, 4, 2))
    assert first.head == again.head and again.as_of == "2026-04-02"
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="holds other files"):
        write_bundle(ledger, other)
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]
    shutil.rmtree(folder)
