"""The audit programme: canned queries grouped as an auditor works, and one dashboard page with
the key counts, each linking to its list; the indexes that keep the history pages fast."""

from __future__ import annotations

import html
import re
import shutil
import sqlite3

from hrgov.audit import build_metadata
from tests.audit.conftest import Client, connect

GROUPS = ["completeness", "timeliness", "integrity", "history", "registers"]


def test_the_queries_are_grouped_as_an_auditor_works(client):
    metadata = client.json("/-/metadata.json")
    programme = metadata["plugins"]["hrgov-audit"]["programme"]
    # The copy carries the Board paper's figures: the reconciliation group is there.
    assert [g["name"] for g in programme] == [*GROUPS[:3], "reconciliation", *GROUPS[3:]]
    queries = metadata["databases"]["ledger"]["queries"]
    grouped = {q for g in programme for q in g["queries"]}
    assert grouped <= set(queries)
    assert {"commitments_without_owner_or_milestone", "findings_without_milestone"} <= set(
        programme[0]["queries"])
    assert {"overdue_milestones", "milestones_slipped_more_than_once",
            "grievances_open_longer_than_90_days"} <= set(programme[1]["queries"])
    assert {"commits_made_outside_hrgov", "withheld_records_per_kind"} <= set(
        programme[2]["queries"])
    home = html.unescape(client.get("/").text)
    assert 'href="/-/dashboard"' in home
    for group in programme:
        assert f"<h3>{group['title']}</h3>" in home


def test_the_dashboard_counts_each_list_and_links_to_it(client, bundle):
    response = client.get("/-/dashboard")
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "DENY"
    text = html.unescape(response.text)
    assert "<h1>Audit dashboard</h1>" in text
    for title in ("Completeness", "Timeliness", "Integrity"):
        assert f"<h2>{title}</h2>" in text

    programme = text[text.index('<div class="hrgov-programme">'):]

    def shown(query: str) -> str:
        found = re.search(
            rf'<a href="/ledger/{query}"><span class="count[^"]*">([^<]+)</span>', programme
        )
        assert found, query
        return found[1]

    for query in ("overdue_milestones", "milestones_slipped_more_than_once",
                  "commitments_without_owner_or_milestone", "findings_without_milestone",
                  "commits_made_outside_hrgov", "withheld_records_per_kind"):
        assert shown(query) == f"{len(client.rows(f'/ledger/{query}')):,}", query
    assert shown("record_history") == "→"  # needs a record's id: not counted
    records = connect(bundle.database).execute("SELECT count(*) FROM records").fetchone()[0]
    assert f'<a href="/ledger/records"><span class="count">{records:,}</span></a>' in text


def test_withheld_records_are_counted_per_kind(client, bundle, scenario):
    rows = client.rows("/ledger/withheld_records_per_kind")
    assert sum(r["withheld"] for r in rows) == bundle.withheld == 4
    assert {r["kind"] for r in rows} <= {"decision", "milestone", "issue"}
    assert scenario.restricted_decision not in str(rows)


def test_commits_made_outside_hrgov(client, scenario, tmp_path):
    assert client.rows("/ledger/commits_made_outside_hrgov") == []


def test_the_reconciliation_query_appears_with_the_briefing_figures(bundle, tmp_path):
    database = tmp_path / "ledger.db"
    shutil.copyfile(bundle.database, database)
    database.chmod(0o644)
    with sqlite3.connect(database) as conn:
        conn.execute("DROP TABLE briefing_figures")
        conn.execute("DROP TABLE disclosure_answers")
        programme = build_metadata(database)["plugins"]["hrgov-audit"]["programme"]
        assert [g["name"] for g in programme] == GROUPS  # no reports: no reconciliation
        conn.execute("CREATE TABLE briefing_figures (figure TEXT, value INTEGER)")
        conn.execute("INSERT INTO briefing_figures VALUES ('overdue milestones', 1)")
    metadata = build_metadata(database)
    programme = metadata["plugins"]["hrgov-audit"]["programme"]
    assert [g["name"] for g in programme] == [*GROUPS[:3], "reconciliation", *GROUPS[3:]]
    for name in ("templates", "plugins"):
        shutil.copytree(bundle.folder / name, tmp_path / name)
    client = Client(tmp_path, metadata)
    assert client.rows("/ledger/briefing_figures") == [
        {"figure": "overdue milestones", "value": 1}
    ]


def plan(bundle, sql: str, **params) -> str:
    conn = connect(bundle.database)
    return " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_history_pages_and_queries_use_indexes(client, bundle):
    """What keeps them fast at 10,000 records (bench/audit_pages.py measures it): each finds
    its rows through an index instead of reading every change."""
    queries = client.json("/-/metadata.json")["databases"]["ledger"]["queries"]
    between = plan(bundle, queries["changes_between"]["sql"], **{"from": "2026-03-01",
                                                                  "to": "2026-03-31"})
    assert "SEARCH c USING" in between and "audit_record_changes_1" in between, between
    history = plan(bundle, queries["record_history"]["sql"], id="MS-2026-0001")
    assert "SEARCH c USING" in history and "audit_record_changes_2" in history, history
    assert "SCAN" not in history
    versions = plan(bundle, "SELECT * FROM record_versions ORDER BY time DESC LIMIT 100")
    assert "audit_record_versions_1" in versions, versions
    tables = {row[0] for row in connect(bundle.database).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "record_changes" in tables  # built with the copy, not a view over every version
