"""What Datasette shows about the audit copy: titles, descriptions of every table, view and
column, facets, sort orders, hidden tables and permissions, asked through ``ds.client``."""

from __future__ import annotations

import base64
import json

import pytest

from hrgov.audit import Auth, build_metadata
from hrgov.model import HEALTH_RULE, KINDS, SENSITIVITIES
from tests.audit.conftest import AS_OF, Client
from tests.conftest import head

VIEWS = {
    "milestone_status",
    "commitment_ownership",
    "slipped_milestones",
    "decisions_with_commitments",
    "record_changes",
    "issue_register",
    "grievance_register",
    "assessment_findings",
}


def test_the_instance_names_the_organisation_the_commit_and_the_policy(client, scenario):
    metadata = client.json("/-/metadata.json")
    assert metadata["title"] == "Example Foundation: human-rights ledger, audit view"
    assert head(scenario.root)[:12] in metadata["description"]
    assert AS_OF.isoformat() in metadata["description"]
    assert "restricted records" in metadata["description"]
    assert metadata["source"] == "Wikimedia Foundation Human Rights Policy"
    assert metadata["source_url"].startswith("https://foundation.wikimedia.org/")
    assert "CC BY-SA 4.0" in metadata["license"]
    assert head(scenario.root) in metadata["about"]


def test_every_table_view_and_column_is_described(client):
    database = client.json("/ledger.json")
    described = client.json("/-/metadata.json")["databases"]["ledger"]["tables"]
    tables = {t["name"]: t for t in database["tables"]}
    views = {v["name"] for v in database["views"]}
    assert views == VIEWS - {"record_changes"}
    assert "record_changes" in tables  # declared as a view, built as a table (indexed)
    assert {k.plural for k in KINDS.values()} <= set(tables)
    assert {"records", "commits", "record_versions", "milestone_slips", "commitment_health",
            "decision_commitments", "commitment_instruments"} <= set(tables)
    visible = [name for name, t in tables.items() if not t["hidden"]]
    for name in [*visible, *views, "record_changes"]:
        spec = described.get(name)
        assert spec and spec.get("description"), f"{name} has no description"
        columns = client.json(f"/ledger/{name}.json?_size=0")["columns"]
        missing = [c for c in columns if not spec.get("columns", {}).get(c)]
        assert not missing, f"{name}: columns without a description: {missing}"
    assert tables["meta"]["hidden"]
    for fts in ("decisions_fts", "commitments_fts", "milestones_fts", "records_fts"):
        assert tables[fts]["hidden"]


def test_column_descriptions_come_from_the_model(client):
    tables = client.json("/-/metadata.json")["databases"]["ledger"]["tables"]
    for kind in KINDS.values():
        columns = tables[kind.plural]["columns"]
        for spec in kind.fields:
            assert columns[spec.name].startswith(spec.description), (kind.plural, spec.name)
            for choice in spec.choices:
                assert choice in columns[spec.name]
        for sensitivity in SENSITIVITIES:
            assert sensitivity in columns["sensitivity"]
    due = KINDS["milestone"].field("due").description
    assert tables["milestone_status"]["columns"]["due"].startswith(due)
    assert HEALTH_RULE in tables["commitment_health"]["description"]
    assert tables["decisions"]["description"].startswith(KINDS["decision"].description)


@pytest.mark.parametrize(
    "table, facets",
    [
        ("decisions", {"status", "owner", "sensitivity"}),
        ("milestones", {"status", "owner", "sensitivity"}),
        ("commitments", {"status", "owner", "sensitivity"}),
        ("milestone_status", {"status", "owner_name", "commitment_health", "sensitivity"}),
    ],
)
def test_default_facets(client, table, facets):
    found = client.json(f"/ledger/{table}.json?_size=0")["facet_results"]
    assert facets <= set(found)


def test_default_sort_orders(client, scenario):
    dates = [row["date"] for row in client.rows("/ledger/decisions")]
    assert dates == sorted(dates, reverse=True)
    milestones = client.rows("/ledger/milestone_status")
    dues = [row["due"] for row in milestones]
    assert dues == sorted(dues)
    times = [row["time"] for row in client.rows("/ledger/commits")]
    assert times == sorted(times, reverse=True)


def test_the_audit_copy_is_served_immutable_and_searchable(client, scenario):
    assert not client.ds.databases["ledger"].is_mutable
    found = client.rows("/ledger/decisions", _search="screen")
    assert [row["id"] for row in found] == [scenario.internal_decision]
    assert client.rows("/ledger/records", _search="Zembla") == []


def test_the_home_page_lists_every_table_with_its_description(client):
    page = client.get("/").text
    assert "What is in ledger" in page
    described = client.json("/-/metadata.json")["databases"]["ledger"]
    for name, spec in described["tables"].items():
        if spec.get("hidden"):
            assert f'href="/ledger/{name}"' not in page
            continue
        assert f'href="/ledger/{name}"' in page
        assert _html(spec["description"]) in page
    for query in described["queries"].values():
        assert _html(query["title"]) in page


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "'", "&#39;"
    ).replace('"', "&#34;")


def test_ids_are_links_and_changes_are_readable(client, scenario):
    page = client.get(f"/ledger/decisions/{scenario.internal_decision}").text
    assert 'href="/ledger/commitments/ongoing-hrdd"' in page
    page = client.get(f"/ledger/record_versions?record_id={scenario.slipped_milestone}").text
    assert "<strong>due</strong>: 2026-02-15 → 2026-03-01" in page
    assert '<td class="col-json type-str"><details><summary>{ &#34;commitment&#34;' in page


def test_without_authentication_anyone_on_this_machine_may_read_and_run_sql(client):
    assert client.get("/ledger/commits.json").status_code == 200
    assert client.get("/ledger.json?sql=select+count(*)+from+records").status_code == 200


def test_with_authentication_everything_needs_signing_in(bundle, monkeypatch):
    from datasette_auth_passwords.utils import hash_password

    secret_hash = hash_password("correct horse", iterations=1000)
    monkeypatch.setenv("HRGOV_AUDIT_PASSWORD_HASH", secret_hash)
    metadata = build_metadata(bundle.database, auth=Auth("auditor", "HRGOV_AUDIT_PASSWORD_HASH"))
    assert secret_hash not in json.dumps(metadata)
    assert metadata["allow_sql"] == {"id": ["auditor"]}
    signed = Client(bundle.folder, metadata)
    for path in ("/", "/ledger/commits.json", "/ledger.json?sql=select+1", "/-/metadata.json"):
        assert signed.get(path).status_code == 401, path
    for password, status in (("wrong", 401), ("correct horse", 200)):
        token = base64.b64encode(f"auditor:{password}".encode()).decode()
        response = signed.get("/ledger/commits.json", headers={"Authorization": f"Basic {token}"})
        assert response.status_code == status
    token = base64.b64encode(b"auditor:correct horse").decode()
    served = signed.get("/-/metadata.json", headers={"Authorization": f"Basic {token}"}).text
    assert secret_hash not in served and "HRGOV_AUDIT_PASSWORD_HASH" in served
