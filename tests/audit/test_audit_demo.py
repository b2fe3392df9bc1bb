"""The audit view of the demo ledger (what ``make demo`` serves): realistic data, and the demo's
restricted decision and milestone are nowhere in it."""

from __future__ import annotations

import pytest

from hrgov import queries
from hrgov.audit import write_bundle
from hrgov.demo import build_demo
from tests.audit.conftest import Client, connect, text_cells


@pytest.fixture(scope="module")
def demo_bundle(tmp_path_factory):
    base = tmp_path_factory.mktemp("audit-demo")
    (base / "gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", str(base / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        demo = build_demo(base / "ledger")
        bundle = write_bundle(demo.ledger, base / "audit")
    return demo, bundle


def test_the_demos_restricted_records_are_not_in_its_audit_view(demo_bundle):
    demo, bundle = demo_bundle
    conn = demo.ledger.reader()
    restricted = [
        dict(row) for row in conn.execute(
            "SELECT id, title FROM records WHERE sensitivity = 'restricted'"
        )
    ]
    assert {r["id"] for r in restricted} >= {demo.restricted_decision}
    secrets = [r["id"] for r in restricted] + [r["title"] for r in restricted]
    secrets += [queries.get(conn, demo.restricted_decision).get("text", "")]
    raw = bundle.database.read_bytes()
    for secret in filter(None, secrets):
        assert secret.encode() not in raw, secret
    for table, column, value in text_cells(connect(bundle.database)):
        for secret in filter(None, secrets):
            assert secret not in value, (secret, table, column)
    assert bundle.withheld == len(restricted)


def test_the_demos_audit_view_answers_the_auditors_questions(demo_bundle):
    demo, bundle = demo_bundle
    client = Client(bundle.folder, bundle.metadata)
    slipped = client.rows("/ledger/milestones_slipped_more_than_once")
    assert demo.slipped_milestone in [row["id"] for row in slipped]
    assert client.rows("/ledger/overdue_milestones")
    history = client.rows("/ledger/record_history", id=demo.superseded_decision)
    assert ("status", "adopted", "superseded") in [
        (row["field"], row["old"], row["new"]) for row in history
    ]
    title = client.json("/-/metadata.json")["title"]
    assert title.startswith("Wikimedia Foundation (demo)")
