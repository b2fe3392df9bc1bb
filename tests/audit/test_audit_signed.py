"""Who signed each change: where the index's ``commits`` table says who signed a commit
(``signed_by``), the audit copy carries it through to its commits and history pages; where it
does not, the column is there and empty."""

from __future__ import annotations

import shutil
import sqlite3

from hrgov.audit import write_bundle
from hrgov.ledger import Ledger
from tests.audit.conftest import Client, connect


def test_without_signatures_the_column_is_there_and_empty(client, scenario):
    rows = client.rows("/ledger/record_history", id=scenario.slipped_milestone)
    assert rows and all(row["signed_by"] is None for row in rows)
    assert {row["signed_by"] for row in client.rows("/ledger/commits")} == {None}


def test_who_signed_in_the_index_is_copied_through(scenario, tmp_path):
    root = tmp_path / "ledger"
    shutil.copytree(scenario.root, root, symlinks=True)
    index = root / ".hrgov" / "ledger.db"
    with sqlite3.connect(index) as conn:  # as the index records a verified signature
        sha = conn.execute(
            "SELECT sha FROM record_versions WHERE record_id = ? AND version = 2",
            (scenario.slipped_milestone,),
        ).fetchone()[0]
        conn.execute("INSERT INTO signatures VALUES (?, 'deputy@example.org')", (sha,))
    bundle = write_bundle(Ledger(root), tmp_path / "bundle")
    signed = connect(bundle.database).execute(
        "SELECT sha, signed_by FROM commits WHERE signed_by IS NOT NULL"
    ).fetchall()
    assert [tuple(row) for row in signed] == [(sha, "deputy@example.org")]
    client = Client(bundle.folder, bundle.metadata)
    history = client.rows("/ledger/record_history", id=scenario.slipped_milestone)
    assert {(row["version"], row["signed_by"]) for row in history} == {
        (1, None), (2, "deputy@example.org"), (3, None)
    }
