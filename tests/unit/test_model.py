"""The pure model: ids, dates, validation, lifecycles and the commitment-health rule."""

from datetime import date

import pytest

from hrgov import rules
from hrgov.errors import InvalidInput, InvalidRecord
from hrgov.model import (
    KINDS,
    changed_fields,
    check_id,
    commitment_health,
    kind_named,
    kind_of_id,
    meeting_id,
    parse_date,
    validate,
)

T = date(2026, 6, 1)


def milestone(due: str, status: str = "planned", slips: int = 0) -> dict:
    return {"status": status, "due": due, "slips": [{}] * slips}


@pytest.mark.parametrize(
    "record_id", ["../x", "a/b", "x\x00y", "x\ny", "", "A-Upper", "-lead", "a" * 64, "D-2026-1"]
)
def test_ids_that_could_leave_records_are_refused(record_id):
    with pytest.raises(InvalidInput):
        kind_of_id(record_id)


def test_dated_ids_name_their_kind():
    assert kind_of_id("D-2026-0001").name == "decision"
    assert kind_of_id("MS-2026-0042").name == "milestone"
    assert kind_of_id("MTG-2026-03-04-2").name == "meeting"
    assert kind_of_id("legal") is None


def test_a_meeting_id_needs_a_real_date():
    with pytest.raises(InvalidInput, match="no such date"):
        kind_of_id("MTG-2026-02-30")


def test_check_id_refuses_an_id_of_another_kind():
    with pytest.raises(InvalidInput, match="not a decision id"):
        check_id(KINDS["decision"], "MS-2026-0001")
    with pytest.raises(InvalidInput, match="not a department id"):
        check_id(KINDS["department"], "D-2026-0001")


def test_second_meeting_on_a_day_gets_a_suffix():
    assert meeting_id("2026-03-04", []) == "MTG-2026-03-04"
    assert meeting_id("2026-03-04", ["MTG-2026-03-04"]) == "MTG-2026-03-04-2"
    assert meeting_id("2026-03-04", ["MTG-2026-03-04", "MTG-2026-03-04-2"]) == "MTG-2026-03-04-3"


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "20260101", "yesterday", "2026-1-1"])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_date(text)


def test_kind_named_accepts_singular_and_plural_and_lists_choices():
    assert kind_named("decisions") is kind_named("decision")
    with pytest.raises(InvalidInput, match="departments, instruments"):
        kind_named("widgets")


def decision(**fields):
    return {"kind": "decision", "id": "D-2026-0001", "title": "T", "date": "2026-03-04",
            "status": "adopted", **fields}


def test_validate_drops_empty_optionals_defaults_sensitivity_and_keeps_unknown_fields():
    record = validate(decision(text="", commitments=[], owner=None, reviewed_by_newer_tool="x"))
    assert record == {**decision(), "sensitivity": "internal", "reviewed_by_newer_tool": "x"}


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "title must not be empty"),
        ({"title": "   "}, "title must not be empty"),
        ({"title": "two\nlines"}, "single line"),
        ({"text": "nul\x00"}, "control character U\\+0000"),
        ({"text": "bell\x07"}, "control character U\\+0007"),
        ({"status": "approved"}, "not one of"),
        ({"date": "2026-02-30"}, "not a real date"),
        ({"commitments": ["ok", "ok"]}, "twice"),
        ({"commitments": ["../etc"]}, "not a valid id"),
        ({"sensitivity": "secret"}, "not one of"),
        ({"meeting": "D-2026-0001"}, "not a meeting id"),
    ],
)
def test_validate_refuses_bad_records(fields, message):
    with pytest.raises(InvalidInput, match=message):
        validate(decision(**fields))


def test_required_fields():
    bad = decision()
    del bad["date"]
    with pytest.raises(InvalidRecord, match="date is required"):
        validate(bad)


def test_text_keeps_any_unicode_and_newlines():
    text = "مرحبا\nनमस्ते\t你好 🌍"
    assert validate(decision(text=text))["text"] == text


@pytest.mark.parametrize(
    "old, new, allowed",
    [
        ("proposed", "adopted", True),
        ("proposed", "rejected", True),
        ("proposed", "implemented", False),
        ("adopted", "implemented", True),
        ("adopted", "proposed", False),
        ("implemented", "superseded", True),
        ("rejected", "adopted", False),
        ("superseded", "adopted", False),
    ],
)
def test_decision_lifecycle(old, new, allowed):
    before = {"kind": "decision", "id": "D-2026-0001", "title": "T", "date": "2026-03-04",
              "status": old, "sensitivity": "internal"}
    if old == "superseded":
        before["superseded_by"] = "D-2026-0002"
    after = {**before, "status": new}
    if new == "superseded":
        after["superseded_by"] = "D-2026-0002"
    later = {"kind": "decision", "id": "D-2026-0002", "supersedes": "D-2026-0001"}
    broken = rules.check(before, after, rules.Records({"D-2026-0002": later}),
                         rules.Circumstances())
    said = [str(b) for b in broken]
    if allowed:
        assert said == []
    else:
        options = ", ".join(sorted(KINDS["decision"].moves.get(old, ()))) or "nothing: it is final"
        assert (f"D-2026-0001: cannot go from {old} to {new} (from {old} it can go to: "
                f"{options})") in said


def test_changed_fields_lists_old_and_new():
    assert changed_fields({"due": "a", "x": 1}, {"due": "b", "x": 1, "y": 2}) == [
        {"field": "due", "old": "a", "new": "b"},
        {"field": "y", "old": None, "new": 2},
    ]


@pytest.mark.parametrize(
    "milestones, expected",
    [
        ([], "no plan"),
        ([milestone("2026-01-01", "dropped")], "no plan"),
        ([milestone("2026-01-01", "done"), milestone("2026-01-01", "dropped")], "done"),
        ([milestone("2026-09-01")], "on track"),
        ([milestone("2026-06-20")], "at risk"),  # due within 30 days, still planned
        ([milestone("2026-06-20", "in-progress")], "on track"),
        ([milestone("2026-05-20", "in-progress")], "at risk"),  # overdue
        ([milestone("2026-04-20", "in-progress")], "off track"),  # overdue > 30 days
        ([milestone("2026-09-01", slips=1)], "at risk"),
        ([milestone("2026-09-01", slips=2)], "off track"),
        ([milestone("2026-09-01", "blocked")], "off track"),
        ([milestone("2026-09-01"), milestone("2026-04-01", "done", slips=3)], "on track"),
    ],
)
def test_commitment_health_rule(milestones, expected):
    assert commitment_health(milestones, T) == expected


@pytest.mark.parametrize(
    "kind, record_id",
    [("decision", "D-٢٠٢٦-0001"), ("decision", "D-2026-0001\n"), ("department", "legal\n"),
     ("meeting", "MTG-2026-03-04\n")],
)
def test_ids_are_ascii_and_end_where_they_seem_to(kind, record_id):
    with pytest.raises(InvalidInput):
        check_id(KINDS[kind], record_id)


def test_a_slip_reason_or_finding_that_is_not_text_is_refused_not_a_crash():
    slip = {"from": "2026-01-01", "to": "2026-02-01", "on": "2026-01-05", "reason": 5}
    with pytest.raises(InvalidRecord, match="reason must be text"):
        validate({"kind": "milestone", "id": "MS-2026-0001", "title": "T", "commitment": "x",
                  "due": "2026-02-01", "status": "planned", "slips": [slip]})
    with pytest.raises(InvalidRecord, match="each finding needs its text"):
        validate({"kind": "assessment", "id": "HRIA-2026-01", "title": "T",
                  "findings": [{"finding": 5}]})


# ---- withdrawal and days done (the rule book) ----------------------------------------------

DONE = {"kind": "milestone", "id": "MS-2026-0001", "title": "Train staff",
        "commitment": "ongoing-hrdd", "due": "2026-06-30", "original_due": "2026-06-30",
        "status": "done", "done_on": "2026-06-01", "sensitivity": "internal"}
LEDGER = rules.Records({"ongoing-hrdd": {"kind": "commitment", "id": "ongoing-hrdd"}})


def test_every_kind_can_be_withdrawn_and_edit_leaves_that_to_withdraw():
    from hrgov.model import editable_fields

    for kind in KINDS.values():
        assert kind.field("withdrawn").type == "date"
        assert "withdrawn" in kind.done_dates
        assert "withdrawn" not in editable_fields(kind) and "sensitivity" in editable_fields(kind)


@pytest.mark.parametrize(("today", "broken"), [("2026-06-01", []), ("2026-05-31", ["done_on"])])
def test_a_day_done_is_not_after_the_day_of_the_change(today, broken):
    found = rules.check(None, DONE, LEDGER, rules.Circumstances(today=today))
    assert [b.field for b in found] == broken


def test_a_day_done_is_judged_only_when_it_changes_and_only_when_the_day_is_known():
    later = rules.Circumstances(today="2026-01-01")
    assert rules.check(DONE, {**DONE, "title": "Train all staff"}, LEDGER, later) == []
    assert rules.check(None, DONE, LEDGER, rules.Circumstances()) == []


def test_a_withdrawn_record_no_longer_changes():
    withdrawn = rules.withdraw(DONE, "2026-07-01")
    why = rules.Circumstances("Logged twice", today="2026-07-01")
    assert rules.check(DONE, withdrawn, LEDGER, why) == []
    found = rules.check(withdrawn, {**withdrawn, "title": "Other"}, LEDGER, why)
    assert [b.field for b in found] == ["withdrawn"]
    assert [b.field for b in rules.check(DONE, withdrawn, LEDGER, rules.Circumstances())] == [
        "reason"
    ]
