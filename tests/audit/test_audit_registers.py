"""The registers in the audit view: issues, assessments' findings, grievances and remedies, their
views and canned queries, asked through Datasette's in-process client (see conftest.py), and
the restricted issue nowhere in the copy."""

from __future__ import annotations

import json

import pytest

from tests.audit.conftest import RESTRICTED_ISSUE, connect, text_cells


@pytest.fixture(scope="module")
def reg(scenario):
    return scenario.registers


def test_the_register_tables_are_in_the_copy(client, reg):
    issues = {r["id"] for r in client.rows("/ledger/issues")}
    assert issues == {reg.privacy_issue, reg.onwiki_issue, reg.offwiki_issue,
                      reg.dismissed_issue}
    assert {r["id"] for r in client.rows("/ledger/assessments")} == {
        reg.assessment, reg.planned_assessment
    }
    assert len(client.rows("/ledger/grievances")) == 5
    assert [r["id"] for r in client.rows("/ledger/remedies")] == [reg.remedy]
    assert len(client.rows("/ledger/categories")) == 11
    tables = client.json("/-/metadata.json")["databases"]["ledger"]["tables"]
    for table in ("issues", "assessments", "grievances", "remedies", "categories",
                  "issue_register", "grievance_register", "assessment_findings"):
        assert len(tables[table]["description"]) > 40, table


def test_issue_register_view(client, reg):
    rows = {r["id"]: r for r in client.rows("/ledger/issue_register")}
    assert set(rows) == {reg.privacy_issue, reg.onwiki_issue, reg.offwiki_issue,
                         reg.dismissed_issue}
    assert [(r["quarter"], r["category_name"], r["status"], r["score"], r["salient"],
             r["grievances"], r["remedies"])
            for r in (rows[reg.privacy_issue], rows[reg.onwiki_issue], rows[reg.offwiki_issue],
                      rows[reg.dismissed_issue])] == [
        ("2025-Q4", "Online privacy and government surveillance", "assessing", 6, 1, 1, 0),
        ("2026-Q1", "Harassment", "open", 6, 0, 1, 1),
        ("2026-Q1", "Harassment", "mitigating", 9, 1, 0, 0),
        ("2026-Q1", "Online privacy and government surveillance", "dismissed", 1, None, 0, 0),
    ]
    assert rows[reg.privacy_issue]["subcategory"] == "User-data requests"
    assert rows[reg.privacy_issue]["board_example"] == 1
    page = client.get("/ledger/issue_register").text
    assert 'href="/ledger/categories/harassment"' in page


def test_grievance_register_view(client, reg):
    rows = {r["id"]: r for r in client.rows("/ledger/grievance_register")}
    found = {
        key: (r["stage"], r["days_to_acknowledge"], r["days_to_close"], r["days_open"])
        for key, r in rows.items()
    }
    assert found == {
        reg.old_open_grievance: ("investigating", 3, None, 121),  # as of 2026-04-01
        reg.closed_grievance: ("closed", 2, 30, None),
        reg.recent_grievance: ("acknowledged", 0, None, 45),
        reg.late_closed_grievance: ("closed", None, 101, None),
        reg.grievance_on_restricted_issue: ("received", None, None, 31),
    }
    assert rows[reg.closed_grievance]["outcome"] == "upheld"
    assert rows[reg.closed_grievance]["remedies"] == 1
    assert rows[reg.closed_grievance]["issue_category"] == "harassment"
    # its issue is restricted: the link is gone, not dangling
    assert rows[reg.grievance_on_restricted_issue]["issue"] is None
    assert rows[reg.grievance_on_restricted_issue]["issue_category"] is None


def test_assessment_findings_view(client, reg):
    rows = client.rows("/ledger/assessment_findings", _sort="n")
    assert [(r["assessment"], r["n"], r["severity"], json.loads(r["milestones"]),
             r["milestone_count"], r["milestones_done"]) for r in rows] == [
        (reg.assessment, 1, "high", [reg.finding_milestone], 1, 0),
        (reg.assessment, 2, "medium", [], 0, 0),
    ]
    assert rows[0]["finding"].startswith("Government data requests")
    assert rows[0]["milestone_details"] == (
        f"{reg.finding_milestone} planned, due 2026-09-30: "
        "Publish a playbook for government data requests"
    )
    assert rows[0]["assessment_status"] == "in-progress" and rows[0]["phase"] == 3


def test_grievances_open_longer_than_90_days(client, reg):
    rows = client.rows("/ledger/grievances_open_longer_than_90_days")  # as of 2026-04-01
    assert [(r["grievance"], r["days_open"]) for r in rows] == [(reg.old_open_grievance, 121)]
    earlier = client.rows("/ledger/grievances_open_longer_than_90_days", as_of="2026-03-25")
    assert [(r["grievance"], r["days_open"]) for r in earlier] == [
        (reg.old_open_grievance, 114), (reg.late_closed_grievance, 95)
    ]
    later = client.rows("/ledger/grievances_open_longer_than_90_days", as_of="2026-05-20")
    assert [(r["grievance"], r["days_open"]) for r in later] == [
        (reg.old_open_grievance, 170), (reg.recent_grievance, 94)
    ]


def test_stage_targets_come_from_the_policy_pack(client):
    rows = client.rows("/ledger/grievance_stage_targets")
    assert [(r["stage"], r["target_days"], r["policy"]) for r in rows] == [
        ("acknowledged", 14, "wikimedia-2021"), ("investigating", 60, "wikimedia-2021"),
        ("received", 7, "wikimedia-2021"), ("responded", 30, "wikimedia-2021"),
    ]


def test_grievances_beyond_their_stage_targets(client, reg):
    """Targets: received 7 days, acknowledged 14, investigating 60. The grievances were
    recorded on 2026-04-05 and moved on 2026-04-06 (the old one to investigating, which has
    no date field: its stage began the day the ledger recorded the move)."""
    assert client.rows("/ledger/grievances_beyond_stage_targets") == []  # 2026-04-01: none yet
    rows = client.rows("/ledger/grievances_beyond_stage_targets", as_of="2026-05-20")
    assert [(r["grievance"], r["stage"], r["stage_since"], r["days_in_stage"],
             r["target_days"], r["days_beyond_target"]) for r in rows] == [
        (reg.recent_grievance, "acknowledged", "2026-02-15", 94, 14, 80),
        (reg.grievance_on_restricted_issue, "received", "2026-03-01", 80, 7, 73),
    ]
    assert rows[0]["issue"] is None and rows[1]["issue"] is None  # the restricted issue: gone
    later = client.rows("/ledger/grievances_beyond_stage_targets", as_of="2026-06-10")
    assert (reg.old_open_grievance, "investigating", "2026-04-06", 65, 5) in [
        (r["grievance"], r["stage"], r["stage_since"], r["days_in_stage"],
         r["days_beyond_target"]) for r in later
    ]


def test_findings_without_milestone(client, reg):
    rows = client.rows("/ledger/findings_without_milestone")
    assert [(r["assessment"], r["n"], r["severity"]) for r in rows] == [
        (reg.assessment, 2, "medium")
    ]


def test_salient_issues(client, reg):
    rows = client.rows("/ledger/salient_issues")
    assert [(r["issue"], r["score"]) for r in rows] == [
        (reg.offwiki_issue, 9), (reg.privacy_issue, 6)
    ]  # the restricted salient issue is not in the copy


def test_issues_by_category_per_quarter(client):
    rows = client.rows("/ledger/issues_by_category_per_quarter")
    assert [(r["quarter"], r["category"], r["issues"], r["salient"], r["still_open"])
            for r in rows] == [
        ("2025-Q4", "privacy", 1, 1, 1),
        ("2026-Q1", "harassment", 2, 1, 2),
        ("2026-Q1", "privacy", 1, 0, 0),
    ]
    this_year = client.rows("/ledger/issues_by_category_per_quarter", **{"from": "2026-01-01"})
    assert [r["quarter"] for r in this_year] == ["2026-Q1", "2026-Q1"]


@pytest.mark.parametrize("mode", ["internal", "public"])
def test_the_restricted_issue_is_nowhere_in_the_copy(bundles, reg, mode):
    bundle = bundles(mode)
    conn = connect(bundle.database)
    cells = list(text_cells(conn))
    for table, column, value in cells:
        assert RESTRICTED_ISSUE not in value, f"found in {table}.{column}"
        assert reg.restricted_issue not in value, f"its id found in {table}.{column}"
    raw = bundle.database.read_bytes()  # free pages, FTS shadow tables, the schema
    assert RESTRICTED_ISSUE.encode() not in raw
    assert RESTRICTED_ISSUE[:40].encode() not in raw
    assert reg.restricted_issue.encode() not in raw
    assert RESTRICTED_ISSUE.encode() not in bundle.metadata_path.read_bytes()


def test_public_copy_has_no_internal_register_rows(public_client):
    for view in ("issue_register", "grievance_register", "assessment_findings"):
        assert public_client.rows(f"/ledger/{view}") == []
    assert public_client.rows("/ledger/salient_issues") == []
