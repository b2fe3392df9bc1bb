"""The UNGP Reporting Framework answered in the audit copy (hrgov.disclosure's own answers for
the reporting year holding the copy's as-of date), with links to the records each answer
cites, and the grievance mechanism's scorecard against Guiding Principle 31."""

from __future__ import annotations

import html
import json

from hrgov.disclosure import load_framework


def test_every_question_is_answered_with_a_mark(client):
    rows = client.rows("/ledger/disclosure_answers", _sort="n")
    questions = load_framework("ungprf").questions
    assert [r["question"] for r in rows] == [q.id for q in questions]
    assert {r["mark"] for r in rows} == {"answered", "partly", "not evaluable"}
    assert {(r["period_start"], r["period_end"], r["status_date"]) for r in rows} == {
        ("2026-01-01", "2026-12-31", "2026-04-01")
    }


def test_an_answer_counts_restricted_decisions_and_cites_only_the_others(client, scenario):
    (a22,) = client.rows("/ledger/disclosure_answers", question="A2.2")
    assert "5 decisions (2 restricted, not described) taken." in a22["answer"]
    cited = json.loads(a22["citations"])
    assert cited == [scenario.public_decision, scenario.internal_decision,
                     scenario.declassified_decision]
    assert a22["cited"] == 3 and a22["cited_not_in_copy"] == 0
    rows = client.rows("/ledger/disclosure_citations", question="A2.2")
    assert sorted(r["record_id"] for r in rows) == sorted(cited)


def test_a_gap_names_what_is_missing(client):
    rows = {r["question"]: r for r in client.rows("/ledger/disclosure_gaps")}
    assert rows["C2"]["mark"] == "not evaluable"
    assert "no engagement recorded for salient issue 'Harassment'" in rows["C2"]["missing"]
    assert "A1" not in rows  # answered
    marks = [r["mark"] for r in rows.values()]
    assert marks == sorted(marks, key=lambda m: m == "partly")  # not evaluable first


def test_citations_are_links_and_answers_keep_their_lines(client, scenario):
    page = html.unescape(client.get("/ledger/disclosure_answers/A2~2E2").text)
    assert f'<a href="/ledger/records/{scenario.public_decision}">' in page
    table = html.unescape(client.get("/ledger/disclosure_citations?question=A2.2").text)
    assert f'href="/ledger/records/{scenario.public_decision}"' in table
    answers = client.get("/ledger/disclosure_answers?question=B1").text
    assert "2 issues in the register.<br>" in answers


def test_the_grievance_scorecard_has_the_eight_criteria(client):
    rows = client.rows("/ledger/grievance_scorecard")
    assert [r["principle"] for r in rows] == [f"UNGP 31({k})" for k in "abcdefgh"]
    by_name = {r["criterion"]: r for r in rows}
    assert by_name["Predictable"]["status"] == "measured"
    assert by_name["Predictable"]["figures"] == (
        "Median 1 days to acknowledge (2 acknowledged).\nMedian 30 days to close (1 closed)."
    )
    assert by_name["Based on engagement and dialogue"]["status"] == "not evaluable"
    assert by_name["Based on engagement and dialogue"]["missing"]


def test_a_public_copy_cites_only_public_records(public_client, client):
    internal = {r["question"]: r for r in client.rows("/ledger/disclosure_answers")}
    public_ids = {r["id"] for r in public_client.rows("/ledger/records", _size="max")}
    for row in public_client.rows("/ledger/disclosure_answers"):
        cited = json.loads(row["citations"])
        assert set(cited) <= public_ids, row["question"]
        same = internal[row["question"]]
        assert row["cited"] + row["cited_not_in_copy"] == same["cited"] + same[
            "cited_not_in_copy"]


def test_a_public_copy_never_quotes_a_record_it_withholds(public_client, client):
    """The commitment with no owner is internal: the internal copy names it in A2's gaps, the
    public copy says a line was withheld instead."""
    title = "Protect the rights of children through projects and platforms"
    (internal,) = client.rows("/ledger/disclosure_answers", question="A2")
    assert title in internal["missing"]
    (public,) = public_client.rows("/ledger/disclosure_answers", question="A2")
    assert title not in public["missing"]
    assert "[a line naming a record withheld from this copy]" in public["missing"]
