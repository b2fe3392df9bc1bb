"""The facts behind the documents: periods, quarters, headlines, changes (pure Python)."""

from __future__ import annotations

from datetime import date

import pytest

from hrgov.briefing.data import Facts, Period, choose_period, compare, period_for_year
from hrgov.errors import InvalidInput


def test_reporting_years():
    calendar = period_for_year(2026)
    assert (calendar.start, calendar.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert calendar.label == "1 January \u2013 31 December 2026" and calendar.name == "2026"
    fiscal = period_for_year(2026, "04-01")
    assert (fiscal.start, fiscal.end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert fiscal.name == "2026\u201327"
    assert [q[0] for q in fiscal.quarters()] == ["Q2 2026", "Q3 2026", "Q4 2026", "Q1 2027"]
    odd = Period(date(2026, 2, 15), date(2026, 6, 30))
    assert [q[0] for q in odd.quarters()] == ["Feb\u2013May 2026", "May\u2013Jun 2026"]


@pytest.mark.parametrize(
    "year, start, end, message",
    [
        (2026, "2026-01-01", None, "either --year or --from/--to"),
        (None, "2026-01-01", None, "say which period"),
        (None, "2026-05-01", "2026-04-01", "end 2026-04-01 is before start 2026-05-01"),
        (None, "2026-13-01", "2026-12-01", "start '2026-13-01' is not a real date"),
    ],
)
def test_bad_periods(year, start, end, message):
    with pytest.raises(InvalidInput, match=message):
        choose_period(year, start, end)


def milestone(id_, due, status="planned", slips=0, commitment="c1", sensitivity="internal",
              **extra):
    return {"kind": "milestone", "id": id_, "title": f"title {id_}", "commitment": commitment,
            "due": due, "original_due": due, "status": status, "sensitivity": sensitivity,
            "slips": [{"from": due, "to": due, "reason": "r", "on": "2026-02-01"}] * slips,
            **extra}


def facts(milestones, commitments=None, day=date(2026, 6, 1)):
    commitments = commitments or [
        {"kind": "commitment", "id": "c1", "title": "One", "status": "active", "owner": "legal",
         "sensitivity": "internal"},
        {"kind": "commitment", "id": "c2", "title": "Two", "status": "active",
         "sensitivity": "restricted"},
    ]
    return Facts(period=period_for_year(2026), day=day,
                 departments={"legal": {"id": "legal", "name": "Legal"}}, instruments={},
                 commitments=commitments, decisions=[], meetings=[], milestones=milestones)


def test_key_messages_name_only_what_may_be_named():
    from hrgov.briefing.sections.board_note import message_text

    f = facts([milestone("MS-1", "2026-03-01"),
               milestone("MS-2", "2026-01-01", commitment="c2", sensitivity="restricted")])
    assert f.health == {"c1": "off track", "c2": "off track"}
    messages = f.key_messages()
    assert [m.kind for m in messages] == ["off_track", "overdue", "activity"]
    first, second, _ = (message_text(f, m) for m in messages)
    assert first.startswith("2 commitments are off track, the worst first: \u201cOne\u201d (a "
                            "milestone is 92 days overdue) and 1 more.")
    assert first.endswith("One of them is restricted: counted here, never named.")
    assert "2 milestones are overdue at 1 June 2026" in second
    assert "title MS-1" in second and "title MS-2" not in second


def test_key_messages_rank_by_severity_not_by_title_or_ledger_order():
    from hrgov.briefing.sections.board_note import message_text

    def commitment(id_, title):
        return {"kind": "commitment", "id": id_, "title": title, "status": "active",
                "owner": "legal", "sensitivity": "internal"}

    # Ledger and alphabetical order: Adapt, Align, Zero; severity: Zero (150 days late), Align
    # (60 days), Adapt (at risk: 10 days late).
    commitments = [commitment("adapt", "Adapt the channels"),
                   commitment("align", "Align the policies"),
                   commitment("zero", "Zero tolerance of reprisals")]
    f = facts([milestone("MS-1", "2026-05-22", commitment="adapt"),
               milestone("MS-2", "2026-04-02", commitment="align"),
               milestone("MS-3", "2026-01-02", commitment="zero")], commitments=commitments)
    issue = {"kind": "issue", "id": "HRI-2026-0001", "reported": "2026-02-01",
             "category": "privacy", "impact": 3, "likelihood": 3, "salient": True,
             "status": "open", "sensitivity": "internal", "summary": "s"}
    f.issues = [issue]
    messages = f.key_messages()
    assert [m.kind for m in messages] == ["off_track", "salient", "overdue", "at_risk",
                                          "activity"][:len(messages)]
    off_track = message_text(f, messages[0])
    assert off_track.index("Zero tolerance") < off_track.index("Align the policies")
    assert "Adapt" not in off_track
    assert "\u201cMilestone" not in off_track
    overdue = message_text(f, messages[2])
    assert "The longest overdue: \u201ctitle MS-3\u201d" in overdue
    assert "Adapt the channels" in message_text(f, messages[3])


def test_board_asks_are_the_decisions_put_to_the_board():
    f = facts([])
    base = {"kind": "decision", "status": "adopted", "sensitivity": "internal"}
    f.decisions = [
        {**base, "id": "D-2026-0001", "title": "Not for the Board", "date": "2026-02-01"},
        {**base, "id": "D-2026-0002", "title": "Fund it", "date": "2026-03-01",
         "for_board": True},
        {**base, "id": "D-2026-0003", "title": "Rejected", "date": "2026-03-01",
         "for_board": True, "status": "rejected"},
        {**base, "id": "D-2026-0004", "title": "After the status date", "date": "2026-07-01",
         "for_board": True},
    ]
    assert [d["id"] for d in f.board_asks] == ["D-2026-0002"]


def test_status_by_department():
    f = facts([milestone("MS-1", "2026-03-01", owner="legal"),
               milestone("MS-3", "2026-07-01", owner="legal", status="in-progress"),
               milestone("MS-4", "2026-02-01", status="done", done_on="2026-02-01"),
               milestone("MS-5", "2026-02-01", status="dropped")])
    assert f.status_by_department() == {
        "Legal": {"overdue": 1, "in-progress": 1},
        "No owner": {"done": 1},
    }


def test_cumulative_delivery_adds_up_planned_due_and_done_to_the_status_date():
    slipped = dict(milestone("MS-6", "2026-08-01"), original_due="2026-01-15")
    f = facts([milestone("MS-1", "2026-03-01"),
               milestone("MS-3", "2026-07-01", status="in-progress"),
               milestone("MS-4", "2026-02-01", status="done", done_on="2026-02-01"),
               milestone("MS-5", "2026-02-01", status="dropped"), slipped])  # day: 1 June
    rows = {label: (planned, due, done) for label, _, planned, due, done in
            f.cumulative_delivery()}
    assert list(rows)[:2] == ["Jan 2026", "Feb 2026"] and len(rows) == 12
    assert rows["Jan 2026"] == (1, 0, 0)  # MS-6 was first due in January
    assert rows["Feb 2026"] == (2, 1, 1)
    assert rows["Jun 2026"] == (3, 2, 1)  # counted up to the status date
    assert rows["Jul 2026"] == (4, 3, None)  # not yet reached: no count, not zero
    assert rows["Dec 2026"] == (4, 4, None)


def test_compare_finds_new_closed_slipped_and_reowned():
    old = facts([milestone("MS-1", "2026-03-01")])
    new_commitments = [dict(old.commitments[0], owner="security"), old.commitments[1]]
    new = facts([milestone("MS-1", "2026-05-01", status="done", done_on="2026-05-01"),
                 milestone("MS-2", "2026-09-01")], commitments=new_commitments)
    changes = compare(old, new, "a" * 40, None)
    assert [r["id"] for r in changes.new] == ["MS-2"]
    assert [(r["id"], s) for r, s in changes.closed] == [("MS-1", "done")]
    assert [(r["id"], a, b) for r, a, b in changes.slipped] == [
        ("MS-1", "2026-03-01", "2026-05-01")]
    assert [(r["id"], a, b) for r, a, b in changes.reowned] == [("c1", "legal", "security")]


def test_trends_compare_only_periods_the_register_covered_and_skip_quarters_not_reached():
    def issue(reported, category="privacy"):
        return {"kind": "issue", "id": f"HRI-{reported}", "reported": reported,
                "category": category, "status": "open", "sensitivity": "internal",
                "summary": "s"}

    f = facts([], day=date(2026, 8, 15))
    f.issues = [issue("2025-11-01"), issue("2026-02-01"), issue("2026-08-01")]
    quarters, rows = f.issue_trends()
    assert quarters == [("Q1 2026", "full"), ("Q2 2026", "full"), ("Q3 2026", "partial"),
                        ("Q4 2026", "not yet reached")]
    assert rows == [("privacy", [1, 0, 1, None], 2, 1)]
    assert f.comparable_period is None  # the register began in November 2025, not January
    f = facts([], day=date(2026, 8, 15))
    f.issues = [issue("2024-12-01"), issue("2025-03-01"), issue("2026-02-01")]
    assert f.comparable_period.label == "1 January \u2013 31 December 2025"


def test_the_slots_for_signatures_and_post_approval_changes_reach_the_paper():
    """Issue 14's figures come from hrgov.queries later; the paper prints what the slots hold
    and says nothing about signatures while they are empty."""
    from hrgov.briefing.word import Writer, _governance, open_template

    f = facts([])
    f.decisions = [{"kind": "decision", "id": "D-2026-0001", "title": "T", "date": "2026-02-01",
                    "status": "adopted", "sensitivity": "internal"}]

    def said(f):
        writer = Writer(open_template(None))
        _governance(writer, f)
        return " ".join(part for part in writer.parts if part)

    assert "signed by a committee member" not in said(f)
    f.signatures = (1, 1)
    f.post_approval_changes = [{"decision": "D-2026-0001", "day": "2026-03-01",
                                "reason": "minutes corrected"}]
    text = said(f)
    assert "1 of 1 decision of the period signed by a committee member" in text
    assert "D-2026-0001, 1 Mar 2026: minutes corrected" in text
