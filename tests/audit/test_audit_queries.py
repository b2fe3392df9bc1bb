"""Each view and canned query returns the right rows for the scenario (see conftest.py)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.audit.conftest import DEPUTY, RESTRICTED_REASON, SECRETARY


def _name(author: str) -> str:
    return author.split(" <")[0]


def test_every_canned_query_has_a_title_and_a_description(client):
    queries = client.json("/-/metadata.json")["databases"]["ledger"]["queries"]
    assert set(queries) == {
        "overdue_milestones",
        "changes_after_approval",
        "briefing_figures",
        "disclosure_gaps",
        "milestones_slipped_more_than_once",
        "commitments_without_owner_or_milestone",
        "decisions_of_a_period",
        "changes_between",
        "record_history",
        "who_recorded_what",
        "grievances_open_longer_than_90_days",
        "grievances_beyond_stage_targets",
        "findings_without_milestone",
        "salient_issues",
        "issues_by_category_per_quarter",
        "commits_made_outside_hrgov",
        "rule_breaks_reported_by_verify",
        "withheld_records_per_kind",
    }
    for name, query in queries.items():
        assert query["title"] and len(query["description"]) > 40, name
        assert query.get("write") is not True


def test_overdue_milestones(client, scenario):
    rows = client.rows("/ledger/overdue_milestones")  # as of the copy's date, 2026-04-01
    assert [(r["milestone"], r["due"], r["days_overdue"], r["slips"]) for r in rows] == [
        (scenario.slipped_milestone, "2026-03-20", 12, 2)
    ]
    assert rows[0]["as_of"] == "2026-04-01"
    later = client.rows("/ledger/overdue_milestones", as_of="2026-05-02")
    assert [r["milestone"] for r in later] == [
        scenario.slipped_milestone, scenario.linked_milestone
    ]


def test_overdue_milestones_as_of_a_past_date_reads_the_ledger_then(client, scenario):
    """The slipped milestone was due 2026-02-15, moved on 2026-02-10 to 2026-03-01 and on
    2026-02-25 to 2026-03-20: as recorded, it was never overdue before 2026-03-21."""
    for day in ("2025-06-30", "2026-02-16", "2026-03-02", "2026-03-20"):
        assert client.rows("/ledger/overdue_milestones", as_of=day) == [], day
    rows = client.rows("/ledger/overdue_milestones", as_of="2026-03-21")
    assert [(r["milestone"], r["due"], r["days_overdue"], r["slips"], r["as_of"])
            for r in rows] == [(scenario.slipped_milestone, "2026-03-20", 1, 2, "2026-03-21")]


DATED = {
    "overdue_milestones": ["as_of"],
    "decisions_of_a_period": ["from", "to"],
    "changes_between": ["from", "to"],
    "who_recorded_what": ["from", "to"],
    "grievances_open_longer_than_90_days": ["as_of"],
    "grievances_beyond_stage_targets": ["as_of"],
    "issues_by_category_per_quarter": ["from", "to"],
}
MALFORMED = ["01/01/2026", "2026-03", "2026-02-30", "31.03.2026", "yesterday", " 2026-03-01"]


def test_every_dated_parameter_is_declared(client):
    config = client.json("/-/metadata.json")["plugins"]["hrgov-audit"]
    assert config["dates"] == DATED


@pytest.mark.parametrize("query", sorted(DATED))
@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_date_is_refused_with_a_message(client, query, value):
    for name in DATED[query]:
        page = client.get(f"/ledger/{query}?" + urlencode({name: value}))
        assert page.status_code == 400, (query, name, value)
        assert "is not a date" in page.text and "YYYY-MM-DD" in page.text
        assert f'href="/ledger/{query}"' in page.text  # back to the query's form
        data = client.get(f"/ledger/{query}.json?" + urlencode({name: value}))
        assert data.status_code == 400
        assert data.json()["ok"] is False and name in data.json()["error"]
        assert client.get(f"/ledger/{query}.csv?" + urlencode({name: value})).status_code == 400


def test_periods_include_their_last_day(client, scenario):
    one_day = {"from": "2026-01-20", "to": "2026-01-20"}
    decisions = client.rows("/ledger/decisions_of_a_period", **one_day)
    assert [r["decision"] for r in decisions] == [scenario.internal_decision]
    commits = client.rows("/ledger/who_recorded_what", **one_day)
    assert [r["command"] for r in commits] == ["log decision"]
    changes = client.rows("/ledger/changes_between", **one_day)
    assert {r["record_id"] for r in changes} == {scenario.internal_decision}
    to_the_15th = client.rows("/ledger/decisions_of_a_period", to="2026-01-15")
    assert [r["decision"] for r in to_the_15th] == [scenario.public_decision]


def test_milestones_that_slipped_more_than_once(client, scenario):
    rows = client.rows("/ledger/milestones_slipped_more_than_once")
    assert len(rows) == 1
    row = rows[0]
    assert (row["milestone"], row["times_slipped"], row["original_due"], row["due"]) == (
        scenario.slipped_milestone, 2, "2026-02-15", "2026-03-20"
    )
    assert row["moves"].splitlines() == [
        "2026-02-15 → 2026-03-01: Data from two regions arrived late.",
        "2026-03-01 → 2026-03-20: The translation vendor withdrew.",
    ]


def test_commitments_with_no_owner_or_no_milestone(client, scenario):
    found = client.rows("/ledger/commitments_without_owner_or_milestone")
    rows = {r["commitment"]: r for r in found}
    assert rows[scenario.ownerless_commitment]["problem"] == "no owner, no milestone"
    # its only milestone is restricted, so in the audit view it has no plan
    assert rows[scenario.restricted_only_commitment]["problem"] == "no milestone"
    assert "ongoing-hrdd" not in rows
    assert "expert-guided-product-development" not in rows
    assert len(rows) == 51 - 2  # every other commitment of the pack has no milestone


def test_decisions_of_a_period(client, scenario):
    january = {"from": "2026-01-01", "to": "2026-01-31"}
    rows = client.rows("/ledger/decisions_of_a_period", **january)
    assert [r["decision"] for r in rows] == [scenario.public_decision, scenario.internal_decision]
    assert rows[1]["commitments"].splitlines() == [
        "expert-guided-product-development: Develop technology and products with expert staff "
        "guidance",
        "ongoing-hrdd: Conduct ongoing human rights due diligence",
    ]
    january_16_on = client.rows("/ledger/decisions_of_a_period", **{"from": "2026-01-16"})
    assert [r["decision"] for r in january_16_on] == [
        scenario.internal_decision, scenario.declassified_decision
    ]


def test_everything_that_changed_between_two_dates(client, scenario):
    rows = client.rows("/ledger/changes_between", **{"from": "2026-03-02", "to": "2026-03-02"})
    assert [(r["record_id"], r["what"], r["field"], r["old"], r["new"], r["reason"])
            for r in rows] == [
        (scenario.reassigned_commitment, "changed", "owner", "product-technology", "legal",
         "Product asked Legal to lead."),
    ]
    march = client.rows("/ledger/changes_between", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert {r["record_id"] for r in march} == {
        scenario.reassigned_commitment, scenario.ownerless_commitment, scenario.done_milestone,
        scenario.internal_decision,
    }  # the declassified decision's change is part of its withheld history
    superseded = [r for r in march if r["record_id"] == scenario.internal_decision]
    assert [(r["field"], r["old"], r["new"], r["subject"]) for r in superseded] == [
        ("status", "adopted", "superseded",
         f"log decision {scenario.internal_decision}: [withheld: restricted record]")
    ]


def test_the_full_history_of_one_record(client, scenario):
    rows = client.rows("/ledger/record_history", id=scenario.slipped_milestone)
    created = [r for r in rows if r["version"] == 1]
    # version 1 shows what the milestone was created with, field by field
    assert {r["field"]: r["new"] for r in created} == {
        "commitment": "ongoing-hrdd",
        "decision": scenario.public_decision,
        "due": "2026-02-15",
        "original_due": "2026-02-15",
        "owner": "steering-committee",
        "sensitivity": "internal",
        "status": "planned",
        "title": "Publish the first progress report",
    }
    assert {r["what"] for r in created} == {"created"}
    later = [r for r in rows if r["version"] > 1]
    assert [(r["version"], r["what"], r["field"]) for r in later] == [
        (2, "changed", "due"),
        (2, "changed", "slips"),
        (3, "changed", "due"),
        (3, "changed", "slips"),
    ]
    assert {r["author_name"] for r in created} == {_name(SECRETARY)}
    assert [r["author_name"] for r in later] == [_name(DEPUTY)] * 4
    assert later[0]["reason"] == "Data from two regions arrived late."
    assert (later[2]["old"], later[2]["new"]) == ("2026-03-01", "2026-03-20")
    # a list field shows the items added and removed, not the whole list
    second_slip = later[3]
    assert (second_slip["old"], second_slip["new"], second_slip["removed"]) == (None, None, None)
    assert json.loads(second_slip["added"]) == [{
        "from": "2026-03-01", "to": "2026-03-20", "reason": "The translation vendor withdrew.",
        "on": "2026-02-25",
    }]
    for hidden in (scenario.restricted_decision, scenario.declassified_decision):
        assert client.rows("/ledger/record_history", id=hidden) == []


def test_list_changes_are_items_added_and_removed(client, scenario):
    """The superseded decision's commitments, and the done milestone's evidence."""
    done = client.rows("/ledger/record_history", id=scenario.done_milestone)
    evidence = [r for r in done if r["field"] == "evidence"]
    assert [(r["what"], json.loads(r["added"]), r["removed"]) for r in evidence] == [
        ("changed", ["https://example.org/checklist"], None)
    ]
    decision = client.rows("/ledger/record_history", id=scenario.internal_decision)
    listed = [r for r in decision if r["field"] == "commitments"]
    assert [(r["version"], r["what"], json.loads(r["added"])) for r in listed] == [
        (1, "created", ["expert-guided-product-development", "ongoing-hrdd"])
    ]


def test_who_recorded_what_in_a_period(client, scenario):
    rows = client.rows("/ledger/who_recorded_what", **{"from": "2026-02-01", "to": "2026-02-28"})
    assert [(r["author_name"], r["command"], r["subject"]) for r in rows] == [
        (_name(SECRETARY), "log decision", "log decision: [withheld: restricted record]"),
        (_name(DEPUTY), "milestone update",
         f"milestone update {scenario.slipped_milestone}: Publish the first progress report"),
        (_name(DEPUTY), "milestone update", "milestone update: [withheld: restricted record]"),
        (_name(DEPUTY), "milestone update",
         f"milestone update {scenario.slipped_milestone}: Publish the first progress report"),
    ]
    assert RESTRICTED_REASON not in json.dumps(rows)
    assert json.loads(rows[1]["records"]) == [scenario.slipped_milestone]
    assert json.loads(rows[2]["records"]) == []


def test_milestone_status_view(client, scenario):
    rows = {r["id"]: r for r in client.rows("/ledger/milestone_status")}
    assert set(rows) == {
        scenario.slipped_milestone, scenario.done_milestone, scenario.linked_milestone,
        scenario.registers.finding_milestone,
    }
    slipped = rows[scenario.slipped_milestone]
    assert (slipped["slips"], slipped["days_overdue"], slipped["owner_name"],
            slipped["commitment_title"], slipped["decision_title"]) == (
        2, 12, "Human Rights Steering Committee",
        "Conduct ongoing human rights due diligence",
        "Publish an annual human rights progress report",
    )
    done = rows[scenario.done_milestone]
    assert (done["status"], done["done_on"], done["days_overdue"], done["owner"]) == (
        "done", "2026-03-05", 0, "product-technology"  # its owner when it was added
    )
    linked = rows[scenario.linked_milestone]
    assert linked["decision"] is None and linked["commitment_health"] == "off track"


def test_commitment_ownership_view(client, scenario):
    rows = client.rows(
        "/ledger/commitment_ownership", commitment=scenario.reassigned_commitment
    )
    assert [(r["owner"], r["previous_owner"], r["owner_until"] is None, r["reason"])
            for r in rows] == [
        ("product-technology", None, False, None),
        ("legal", "product-technology", True, "Product asked Legal to lead."),
    ]
    assert rows[0]["owner_until"] == rows[1]["owner_from"] == "2026-03-02T10:00:00Z"
    ownerless = client.rows(
        "/ledger/commitment_ownership", commitment=scenario.ownerless_commitment
    )
    assert [(r["owner"], r["previous_owner"]) for r in ownerless] == [
        ("legal", None), (None, "legal")
    ]


def test_slipped_milestones_view(client, scenario):
    rows = client.rows("/ledger/slipped_milestones", _sort="slipped_on")
    assert [(r["milestone"], r["slip"], r["days_moved"], r["times_slipped"]) for r in rows] == [
        (scenario.slipped_milestone, 1, 14, 2),
        (scenario.slipped_milestone, 2, 19, 2),
    ]


def test_decisions_with_commitments_view(client, scenario):
    rows = client.rows("/ledger/decisions_with_commitments", _sort="decision")
    assert [(r["decision"], r["commitment"]) for r in rows] == [
        (scenario.public_decision, "ongoing-hrdd"),
        (scenario.internal_decision, "expert-guided-product-development"),
        (scenario.internal_decision, "ongoing-hrdd"),
        (scenario.declassified_decision, "resist-rights-violating-data-requests"),
    ]


def test_public_only_queries_see_public_records_only(public_client, scenario):
    assert [r["id"] for r in public_client.rows("/ledger/milestone_status")] == [
        scenario.done_milestone
    ]
    assert public_client.rows("/ledger/overdue_milestones") == []
    decisions = public_client.rows("/ledger/decisions_of_a_period")
    assert [r["decision"] for r in decisions] == [scenario.public_decision]
