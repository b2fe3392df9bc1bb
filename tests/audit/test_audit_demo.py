"""The audit view of the demo ledger (what ``make demo`` serves): realistic data, and the demo's
restricted decision, milestone and issues are nowhere in it."""

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
            "SELECT id, kind, title FROM records WHERE sensitivity = 'restricted'"
        )
    ]
    assert {r["id"] for r in restricted} >= {demo.restricted_decision, demo.restricted_issue}
    # an issue's title is its category, which other issues share: its summary is the secret
    secrets = [r["id"] for r in restricted]
    secrets += [r["title"] for r in restricted if r["kind"] != "issue"]
    secrets += [queries.get(conn, r["id"])["summary"] for r in restricted if r["kind"] == "issue"]
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
    assert demo.slipped_milestone in [row["milestone"] for row in slipped]
    assert client.rows("/ledger/overdue_milestones")
    history = client.rows("/ledger/record_history", id=demo.superseded_decision)
    assert ("status", "adopted", "superseded") in [
        (row["field"], row["old"], row["new"]) for row in history
    ]
    title = client.json("/-/metadata.json")["title"]
    assert title.startswith("Wikimedia Foundation (demo)")


def test_the_demos_registers_in_the_audit_view(demo_bundle):
    demo, bundle = demo_bundle
    client = Client(bundle.folder, bundle.metadata)
    issues = client.rows("/ledger/issue_register", _size="max")
    assert len(issues) >= 15 and all(row["category_name"] for row in issues)
    assert demo.restricted_issue not in {row["id"] for row in issues}
    assert client.rows("/ledger/salient_issues")
    assert len(client.rows("/ledger/issues_by_category_per_quarter")) >= 8
    grievances = client.rows("/ledger/grievance_register")
    assert len(grievances) >= 8
    assert any(row["days_to_close"] for row in grievances)
    assert client.rows("/ledger/grievances_open_longer_than_90_days")
    late = client.rows("/ledger/grievances_beyond_stage_targets")
    assert late and all(r["days_in_stage"] > r["target_days"] for r in late)
    assert {r["grievance"] for r in late} <= {r["id"] for r in grievances}
    marks = {r["mark"] for r in client.rows("/ledger/disclosure_answers")}
    assert marks == {"answered", "partly", "not evaluable"}
    findings = client.rows("/ledger/assessment_findings", assessment=demo.enterprise_assessment)
    assert [row["milestone_count"] for row in findings] == [1, 1, 0]
    unplanned = client.rows("/ledger/findings_without_milestone")
    assert (demo.enterprise_assessment, 3) in [(row["assessment"], row["n"]) for row in unplanned]


def test_overdue_milestones_as_of_a_date_is_what_hrgov_due_said(demo_bundle):
    """The canned query and ``hrgov due --overdue --at DAY`` give the same milestones with
    the same due dates and statuses, on the day after each due date the demo's milestones
    have had (the demo is dated from today): both read the ledger as recorded by then."""
    from datetime import date, timedelta

    from tests.conftest import run_cli

    demo, bundle = demo_bundle
    client = Client(bundle.folder, bundle.metadata)
    conn = connect(bundle.database)
    last = conn.execute("SELECT max(time) FROM commits").fetchone()[0][:10]
    dues = {
        row[0]
        for row in conn.execute(
            "SELECT json_extract(json, '$.due') FROM record_versions WHERE kind = 'milestone'"
        )
    }
    days = sorted(
        d for d in ((date.fromisoformat(due) + timedelta(days=1)).isoformat() for due in dues)
        if d < last  # at HEAD hrgov due shows the secretary restricted milestones too
    )
    assert len(days) >= 5
    seen = 0
    for day in days:
        found = client.rows("/ledger/overdue_milestones", as_of=day)
        said = run_cli(
            "--ledger", str(demo.ledger.root), "due", "--overdue", "--at", day, "--format", "json"
        )
        assert said.code == 0, said.err
        expected = [(m["id"], m["due"], m["status"]) for m in said.json]
        assert [(r["milestone"], r["due"], r["status"]) for r in found] == expected, day
        seen += len(expected)
    assert seen >= 3  # the demo had overdue milestones on some of those days
