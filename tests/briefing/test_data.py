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


def test_headlines_name_only_what_may_be_named():
    f = facts([milestone("MS-1", "2026-03-01"),
               milestone("MS-2", "2026-01-01", commitment="c2", sensitivity="restricted")])
    assert f.health == {"c1": "off track", "c2": "off track"}
    first, second, third = f.headlines()
    assert first.startswith("2 commitments are off track: \u201cOne\u201d (a milestone is 92 "
                            "days overdue) and 1 more (1 restricted)")
    assert "2 milestones are overdue at 1 June 2026" in second
    assert "title MS-1" in second and "title MS-2" not in second
    assert "had its due date moved" not in third


def test_status_by_department_and_quarters():
    f = facts([milestone("MS-1", "2026-03-01", owner="legal"),
               milestone("MS-3", "2026-07-01", owner="legal", status="in-progress"),
               milestone("MS-4", "2026-02-01", status="done", done_on="2026-02-01"),
               milestone("MS-5", "2026-02-01", status="dropped")])
    assert f.status_by_department() == {
        "Legal": {"overdue": 1, "in-progress": 1},
        "No owner": {"done": 1},
    }
    assert f.per_quarter()[0] == ("Q1 2026", 0, 1, 3)


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
