"""Three-way merges of records, their resolution, renumbering, and the rule book's judgement of
a merge (rules.check_merge)."""

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrgov import merge, rules
from hrgov.errors import InvalidInput
from hrgov.merge import Conflict, merge_record, renumber, renumbering, resolve
from hrgov.model import validate
from hrgov.records import dumps
from hrgov.rules import Circumstances, Records, check_merge


def milestone(**fields) -> dict:
    record = {
        "kind": "milestone", "id": "MS-2026-0003", "title": "Train staff",
        "commitment": "ongoing-hrdd", "decision": "D-2026-0001", "due": "2026-06-30",
        "original_due": "2026-06-30", "status": "planned",
    }
    return validate({**record, **fields})


def decision(**fields) -> dict:
    record = {
        "kind": "decision", "id": "D-2026-0001", "title": "Adopt screening",
        "date": "2026-03-04", "status": "adopted",
    }
    return validate({**record, **fields})


def slipped(record: dict, due: str, on: str, reason: str = "Vendor late") -> dict:
    return validate(rules.move_due(record, due, reason, on))


LEDGER = Records({
    "ongoing-hrdd": validate({"kind": "commitment", "id": "ongoing-hrdd", "title": "HRDD"}),
    "screening": validate({"kind": "commitment", "id": "screening", "title": "Screening"}),
    "legal": validate({"kind": "department", "id": "legal", "name": "Legal"}),
    "comms": validate({"kind": "department", "id": "comms", "name": "Comms"}),
    "D-2026-0001": decision(),
    "MS-2026-0003": milestone(),
})
WITH_REASON = Circumstances(reason="Settled at the 2026-07-02 meeting", command="sync")


def both_ways(base, ours, theirs) -> merge.Merged:
    """Merge, and check that swapping the sides gives the same bytes and mirrored conflicts."""
    one, other = merge_record(base, ours, theirs), merge_record(base, theirs, ours)
    assert [(c.field, c.ours, c.theirs) for c in one.conflicts] == [
        (c.field, c.theirs, c.ours) for c in other.conflicts
    ]
    if not one.conflicts:
        assert (one.record is None) == (other.record is None)
        if one.record is not None:
            assert dumps(one.record) == dumps(other.record)
    return one


# ---- merge_record -----------------------------------------------------------------------------


def test_different_fields_of_one_milestone_merge():
    base = milestone()
    ours = milestone(status="in-progress")
    theirs = milestone(owner="legal", title="Train all staff")
    merged = both_ways(base, ours, theirs)
    assert merged.conflicts == []
    assert merged.record == milestone(status="in-progress", owner="legal", title="Train all staff")


def test_slips_on_both_sides_are_kept_in_date_order_and_original_due_is_untouched():
    base = slipped(milestone(), "2026-07-31", on="2026-05-01")
    ours = slipped(base, "2026-08-31", on="2026-06-20", reason="Trainer ill")
    theirs = slipped(base, "2026-09-30", on="2026-06-10", reason="Budget freeze")
    merged = both_ways(base, ours, theirs)
    assert [s["on"] for s in merged.record["slips"]] == ["2026-05-01", "2026-06-10", "2026-06-20"]
    assert [s["reason"] for s in merged.record["slips"]] == [
        "Vendor late", "Budget freeze", "Trainer ill",
    ]
    assert merged.record["original_due"] == "2026-06-30"
    # Two new due dates: only a person can say which holds.
    assert merged.conflicts == [Conflict("MS-2026-0003", "due", "2026-08-31", "2026-09-30")]


def test_a_slip_on_one_side_only_merges_with_other_changes():
    base = milestone()
    ours = slipped(base, "2026-08-31", on="2026-06-20")
    theirs = milestone(owner="comms")
    merged = both_ways(base, ours, theirs)
    assert merged.conflicts == []
    assert merged.record["due"] == "2026-08-31" and merged.record["owner"] == "comms"
    assert merged.record["slips"] == ours["slips"]


def test_the_same_field_changed_both_ways_is_a_conflict_with_both_values():
    base = milestone()
    merged = merge_record(base, milestone(title="Train managers"), milestone(title="Train all"))
    assert merged.conflicts == [
        Conflict("MS-2026-0003", "title", "Train managers", "Train all")
    ]
    assert merged.record["title"] == "Train managers"  # the partial merge holds ours


def test_a_decision_implemented_here_and_rescinded_there_is_rescinded():
    base = decision()
    merged = both_ways(base, decision(status="implemented"), decision(status="rescinded"))
    assert merged.conflicts == []
    assert merged.record["status"] == "rescinded"


def test_a_milestone_done_here_and_dropped_there_is_a_conflict():
    base = milestone(status="in-progress")
    done = milestone(status="done", done_on="2026-06-01")
    merged = both_ways(base, done, milestone(status="dropped"))
    assert Conflict("MS-2026-0003", "status", "done", "dropped") in merged.conflicts


def test_statuses_that_can_each_move_to_the_other_are_a_conflict():
    merged = both_ways(milestone(), milestone(status="in-progress"), milestone(status="blocked"))
    assert [c.field for c in merged.conflicts] == ["status"]


def test_sensitivity_becomes_the_most_restrictive():
    base = decision()
    merged = both_ways(base, decision(sensitivity="public"), decision(sensitivity="restricted"))
    assert merged.record["sensitivity"] == "restricted"
    merged = both_ways(base, decision(sensitivity="public", title="Adopt HR screening"),
                       decision(sensitivity="public"))
    assert merged.record["sensitivity"] == "public"


def test_items_added_on_both_sides_are_all_kept():
    base = milestone(evidence=["Syllabus v1"])
    ours = milestone(evidence=["Syllabus v1", "Trainer hired"])
    theirs = milestone(evidence=["Syllabus v1", "Attendance sheet", "Room booked"])
    merged = both_ways(base, ours, theirs)
    assert merged.record["evidence"] == [
        "Syllabus v1", "Attendance sheet", "Room booked", "Trainer hired",
    ]
    base = decision(commitments=["ongoing-hrdd"])
    merged = both_ways(base, decision(commitments=["ongoing-hrdd", "screening"]),
                       decision(commitments=["ongoing-hrdd", "access"]))
    assert merged.record["commitments"] == ["ongoing-hrdd", "access", "screening"]


def test_an_item_removed_on_one_side_is_removed():
    base = milestone(evidence=["Draft", "Syllabus v1"])
    ours = milestone(evidence=["Syllabus v1"])
    theirs = milestone(evidence=["Draft", "Syllabus v1", "Trainer hired"])
    merged = both_ways(base, ours, theirs)
    assert merged.record["evidence"] == ["Syllabus v1", "Trainer hired"]
    emptied = both_ways(base, milestone(), milestone(evidence=["Syllabus v1"]))
    assert "evidence" not in emptied.record  # an empty list is no field, as validate keeps it


def test_findings_merge_by_item_and_keep_their_milestones():
    def assessment(findings):
        return validate({
            "kind": "assessment", "id": "HRIA-2026-01", "title": "Grants", "subject": "grant",
            "status": "in-progress", "findings": findings,
        })

    first = {"finding": "No grievance channel", "milestones": ["MS-2026-0003"]}
    base = assessment([first])
    ours = assessment([first, {"finding": "Unclear consent", "severity": "high"}])
    theirs = assessment([first, {"finding": "Data kept too long"}])
    merged = both_ways(base, ours, theirs)
    assert [f["finding"] for f in merged.record["findings"]] == [
        "No grievance channel", "Data kept too long", "Unclear consent",
    ]


CASES = {
    "fields": (milestone(), milestone(owner="legal"), milestone(title="Train all")),
    "slips": (
        milestone(),
        slipped(milestone(), "2026-07-31", on="2026-05-02"),
        slipped(milestone(), "2026-07-31", on="2026-05-01", reason="Budget"),
    ),
    "lists": (
        milestone(evidence=["a", "b"]),
        milestone(evidence=["b", "c", "e"]),
        milestone(evidence=["a", "b", "d"]),
    ),
    "status": (decision(status="proposed"), decision(status="adopted"),
               decision(status="rejected")),
    "sensitivity": (decision(), decision(sensitivity="restricted"),
                    decision(sensitivity="public", title="Adopt")),
    "created": (None, decision(title="A"), decision(title="A", owner="legal")),
}


@pytest.mark.parametrize("case", CASES)
def test_the_merge_does_not_depend_on_which_side_is_ours(case):
    base, ours, theirs = CASES[case]
    one, other = merge_record(base, ours, theirs), merge_record(base, theirs, ours)
    assert {c.field for c in one.conflicts} == {c.field for c in other.conflicts}
    if not one.conflicts:
        assert dumps(one.record) == dumps(other.record)
    both_ways(base, ours, theirs)


TITLES = st.sampled_from(["Adopt screening", "Adopt HR screening", "Screen grants"])
STATUSES = st.sampled_from(["proposed", "adopted", "implemented", "rejected", "rescinded"])
SENSITIVITY = st.sampled_from(["public", "internal", "restricted"])
LINKS = st.lists(st.sampled_from(["access", "ongoing-hrdd", "screening", "privacy"]),
                 unique=True, max_size=4)
DECISIONS = st.builds(
    lambda title, status, sensitivity, commitments: decision(
        title=title, status=status, sensitivity=sensitivity, commitments=commitments
    ),
    TITLES, STATUSES, SENSITIVITY, LINKS,
)


@given(DECISIONS, DECISIONS, DECISIONS)
def test_any_merge_is_the_same_from_either_side(base, ours, theirs):
    merged = both_ways(base, ours, theirs)
    if not merged.conflicts:
        validate(merged.record)


def test_the_same_slug_created_on_both_sides_merges_field_by_field():
    ours = validate({"kind": "department", "id": "safety", "name": "Trust and Safety",
                     "lead_role": "Director"})
    theirs = validate({"kind": "department", "id": "safety", "name": "Trust and Safety",
                       "active": True})
    merged = both_ways(None, ours, theirs)
    assert merged.conflicts == []
    assert merged.record == validate({"kind": "department", "id": "safety",
                                      "name": "Trust and Safety", "lead_role": "Director",
                                      "active": True})
    renamed = {**theirs, "name": "Safety"}
    conflicts = merge_record(None, ours, renamed).conflicts
    assert conflicts == [Conflict("safety", "name", "Trust and Safety", "Safety")]


def test_a_record_removed_on_one_side_and_changed_on_the_other_is_a_conflict():
    base, changed = milestone(), milestone(owner="legal")
    merged = merge_record(base, None, changed)
    assert merged.conflicts == [Conflict("MS-2026-0003", "record", None, changed)]
    assert merge_record(base, changed, None).conflicts[0].ours == changed
    assert merge_record(base, None, base) == merge.Merged(None, [])


def test_records_of_two_kinds_are_a_conflict_on_kind():
    ours = validate({"kind": "department", "id": "safety", "name": "Safety"})
    theirs = validate({"kind": "commitment", "id": "safety", "title": "Safety"})
    assert merge_record(None, ours, theirs).conflicts == [
        Conflict("safety", "kind", "department", "commitment")
    ]


def test_the_merge_shares_no_list_with_its_inputs():
    base = milestone(evidence=["a"])
    ours = milestone(evidence=["a", "b"])
    merged = merge_record(base, ours, base)
    merged.record["evidence"].append("c")
    assert ours["evidence"] == ["a", "b"]


# ---- resolve ---------------------------------------------------------------------------------


def test_resolve_with_a_star_takes_one_side_for_every_conflict():
    base = milestone()
    ours = milestone(title="Train managers", owner="legal")
    theirs = milestone(title="Train all", owner="comms", evidence=["Syllabus"])
    merged = resolve(base, ours, theirs, {"*": "theirs"})
    assert merged.conflicts == []
    assert merged.record == milestone(title="Train all", owner="comms", evidence=["Syllabus"])


def test_resolve_field_by_field_leaves_the_unnamed_conflicts():
    base = milestone()
    ours = milestone(title="Train managers", owner="legal")
    theirs = milestone(title="Train all", owner="comms")
    merged = resolve(base, ours, theirs, {"owner": "theirs"})
    assert merged.record["owner"] == "comms"
    assert merged.conflicts == [Conflict("MS-2026-0003", "title", "Train managers", "Train all")]
    merged = resolve(base, ours, theirs, {"owner": "theirs", "*": "ours"})
    assert (merged.record["title"], merged.record["owner"]) == ("Train managers", "comms")


def test_resolve_with_a_value_for_due_records_the_move_as_a_slip():
    base = milestone()
    ours = slipped(base, "2026-08-31", on="2026-06-20", reason="Trainer ill")
    theirs = slipped(base, "2026-09-30", on="2026-06-10", reason="Budget freeze")
    merged = resolve(base, ours, theirs, {"due": ("value", "2026-10-15")},
                     reason="Agreed at the July meeting", on="2026-07-02")
    assert merged.conflicts == []
    assert merged.record["due"] == "2026-10-15"
    assert merged.record["original_due"] == "2026-06-30"
    assert merged.record["slips"] == [
        *theirs["slips"], *ours["slips"],
        # from the due date the latest slip led to, whichever side is ours
        {"from": "2026-08-31", "to": "2026-10-15", "reason": "Agreed at the July meeting",
         "on": "2026-07-02"},
    ]
    swapped = resolve(base, theirs, ours, {"due": ("value", "2026-10-15")},
                      reason="Agreed at the July meeting", on="2026-07-02")
    assert dumps(swapped.record) == dumps(merged.record)


def test_resolve_a_new_due_date_needs_its_reason():
    base = milestone()
    ours = slipped(base, "2026-08-31", on="2026-06-20")
    theirs = slipped(base, "2026-09-30", on="2026-06-10")
    with pytest.raises(InvalidInput, match="reason"):
        resolve(base, ours, theirs, {"due": ("value", "2026-10-15")}, on="2026-07-02")


def test_resolve_refuses_what_is_no_choice():
    base = milestone()
    with pytest.raises(InvalidInput):
        resolve(base, milestone(title="A"), milestone(title="B"), {"title": "mine"})
    with pytest.raises(InvalidInput):
        resolve(base, milestone(title="A"), milestone(title="B"), {"*": ("value", "C")})


def test_resolve_a_removal_against_a_change():
    base, changed = milestone(), milestone(owner="legal")
    assert resolve(base, None, changed, {"record": "theirs"}).record == changed
    assert resolve(base, None, changed, {"*": "ours"}) == merge.Merged(None, [])


# ---- renumbering ----------------------------------------------------------------------------


def test_a_collision_renumbers_all_of_ours_in_that_series_after_theirs():
    ours_new = ["D-2026-0008", "D-2026-0007", "MS-2026-0004", "D-2025-0003", "HRIA-2026-02"]
    taken = ["D-2026-0006", "D-2026-0007", "D-2026-0009", "MS-2026-0003", "D-2025-0002",
             "HRIA-2026-01", "HRIA-2026-02", "legal"]
    assert renumbering(ours_new, taken) == {
        "D-2026-0007": "D-2026-0010",
        "D-2026-0008": "D-2026-0011",
        "HRIA-2026-02": "HRIA-2026-03",  # two digits, as the kind says
    }


def test_a_colliding_meeting_takes_the_next_free_number_of_its_day():
    assert renumbering(["MTG-2026-03-04"], ["MTG-2026-03-04"]) == {
        "MTG-2026-03-04": "MTG-2026-03-04-2"
    }
    assert renumbering(["MTG-2026-03-04", "MTG-2026-03-04-2"], ["MTG-2026-03-04"]) == {
        "MTG-2026-03-04": "MTG-2026-03-04-3"
    }
    assert renumbering(["MTG-2026-03-05", "legal"], ["MTG-2026-03-04", "legal"]) == {}


def test_renumber_rewrites_the_id_and_every_link():
    mapping = {"D-2026-0007": "D-2026-0010", "D-2026-0008": "D-2026-0011",
               "MS-2026-0004": "MS-2026-0006", "MTG-2026-03-04": "MTG-2026-03-04-2"}
    ms = milestone(id="MS-2026-0004", decision="D-2026-0007", title="See D-2026-0007")
    assert renumber(ms, mapping) == {**ms, "id": "MS-2026-0006", "decision": "D-2026-0010"}
    later = decision(id="D-2026-0008", supersedes="D-2026-0007", meeting="MTG-2026-03-04",
                     commitments=["screening"])
    assert renumber(later, mapping) == {
        **later, "id": "D-2026-0011", "supersedes": "D-2026-0010", "meeting": "MTG-2026-03-04-2",
    }
    earlier = decision(id="D-2026-0007", status="superseded", superseded_by="D-2026-0008")
    assert renumber(earlier, mapping)["superseded_by"] == "D-2026-0011"
    hria = validate({
        "kind": "assessment", "id": "HRIA-2026-01", "title": "Grants", "subject": "grant",
        "status": "completed", "findings": [{"finding": "Consent", "milestones": ["MS-2026-0004"]}],
    })
    assert renumber(hria, mapping)["findings"] == [
        {"finding": "Consent", "milestones": ["MS-2026-0006"]}
    ]
    assert hria["findings"][0]["milestones"] == ["MS-2026-0004"]  # a copy


# ---- rules.check_merge ------------------------------------------------------------------------


def judged(base, first, second, merged, resolved=frozenset(), change=WITH_REASON, ledger=LEDGER):
    return check_merge(base, first, second, merged, ledger, change, frozenset(resolved))


def test_an_honest_merge_breaks_no_rule():
    base = slipped(milestone(), "2026-07-31", on="2026-05-01")
    first = slipped(base, "2026-08-31", on="2026-06-20")
    second = validate({**base, "owner": "legal", "status": "in-progress"})
    merged = merge_record(base, first, second).record
    assert judged(base, first, second, merged) == []
    assert judged(base, first, second, merged, change=Circumstances()) == []


def test_a_value_from_neither_side_is_reported():
    base = milestone()
    first, second = milestone(due="2026-07-01"), milestone(due="2026-08-01")
    [broken] = judged(base, first, second, milestone(due="2026-09-30"))
    assert str(broken) == (
        "MS-2026-0003: due 2026-09-30 is neither side's value (2026-07-01 in the first parent, "
        "2026-08-01 in the second); settle it with hrgov resolve"
    )


def test_a_list_item_from_neither_side_or_lost_from_both_is_reported():
    base = milestone(evidence=["a"])
    first, second = milestone(evidence=["a", "b"]), milestone(evidence=["a", "c"])
    assert judged(base, first, second, milestone(evidence=["a", "c", "b"])) == []
    messages = [b.message for b in judged(base, first, second, milestone(evidence=["b", "x"]))]
    assert messages == ["evidence holds x, which neither side has; settle it with hrgov resolve",
                        "evidence lost a, which both sides have"]


def test_a_lost_slip_is_reported():
    base = milestone()
    first = slipped(base, "2026-08-31", on="2026-06-20")
    second = validate({**slipped(base, "2026-08-31", on="2026-06-10"), "owner": "legal"})
    merged = {**second}
    broken = judged(base, first, second, merged)
    assert [b.field for b in broken] == ["slips"]
    assert "2026-06-20" in broken[0].message and "lost" in broken[0].message


def test_slips_out_of_date_order_are_reported():
    base = milestone()
    first = slipped(base, "2026-08-31", on="2026-06-20")
    second = slipped(base, "2026-08-31", on="2026-06-10")
    merged = {**first, "slips": [*first["slips"], *second["slips"]]}
    [broken] = judged(base, first, second, merged)
    assert broken.message == "a slip dated 2026-06-10 comes after one dated 2026-06-20"


def test_a_fixed_field_changed_by_the_merge_is_reported():
    base = milestone()
    first, second = milestone(owner="legal"), milestone(title="Train all")
    merged = {**merge_record(base, first, second).record, "original_due": "2026-12-31"}
    broken = judged(base, first, second, merged, resolved={"original_due"})
    assert [b.field for b in broken] == ["original_due"]
    assert "never changes once set" in broken[0].message


def test_a_status_unreachable_from_a_parent_is_reported():
    base = milestone(status="in-progress")
    first = milestone(status="done", done_on="2026-06-01")
    second = milestone(status="dropped")
    broken = judged(base, first, second, second)
    assert [b.field for b in broken] == ["status"]
    assert broken[0].message.startswith("cannot go from done (in the first parent) to dropped")
    # settled by a person, with a reason: accepted
    assert judged(base, first, second, second, resolved={"status"}) == []


def test_a_status_from_neither_side_is_reported():
    base = decision()
    first, second = decision(status="implemented"), decision(status="rescinded")
    assert judged(base, first, second, decision(status="rescinded")) == []
    broken = judged(base, first, second, decision(status="superseded",
                                                  superseded_by="D-2026-0002"))
    [status] = [b for b in broken if b.field == "status"]
    assert status.message == ("status superseded is neither side's (implemented in the first "
                              "parent, rescinded in the second); settle it with hrgov resolve")


def test_a_dangling_link_is_reported_once():
    base = milestone()
    first = milestone(owner="legal")
    second = milestone(decision="D-2026-0042")  # a decision this ledger does not hold
    merged = merge_record(base, first, second).record
    broken = judged(base, first, second, merged)
    assert [(b.field, b.message) for b in broken] == [
        ("decision", "decision: no decision D-2026-0042 (list them with: hrgov list decisions)")
    ]
    # a break the first parent already had is its own commit's, not the merge's
    assert judged(base, second, first, merged) == []


def test_a_removal_by_the_merge_is_reported():
    base = milestone()
    [broken] = judged(base, base, milestone(owner="legal"), None)
    assert broken.field is None and "removed" in broken.message
    assert judged(base, None, None, None) == []


def test_a_value_settled_by_hand_needs_its_reason():
    base = milestone()
    ours = slipped(base, "2026-08-31", on="2026-06-20")
    theirs = slipped(base, "2026-09-30", on="2026-06-10")
    merged = resolve(base, ours, theirs, {"due": ("value", "2026-10-15")},
                     reason="Agreed in July", on="2026-07-02").record
    assert judged(base, ours, theirs, merged, resolved={"due"}) == []
    unreasoned = judged(base, ours, theirs, merged, resolved={"due"}, change=Circumstances())
    assert [b.field for b in unreasoned] == ["reason"]
    not_settled = judged(base, ours, theirs, merged)
    assert {b.field for b in not_settled} == {"due", "slips"}


def test_a_merge_that_changes_the_kind_is_reported():
    ours = validate({"kind": "department", "id": "safety", "name": "Safety"})
    theirs = validate({"kind": "commitment", "id": "safety", "title": "Safety"})
    broken = judged(None, ours, theirs, theirs)
    assert [b.message for b in broken] == ["was a department in the first parent, now a commitment"]


def test_sensitivity_may_be_more_restrictive_than_both_sides():
    base = decision()
    first, second = decision(sensitivity="public"), decision(title="Adopt")
    merged = {**merge_record(base, first, second).record}
    assert judged(base, first, second, {**merged, "sensitivity": "restricted"}) == []
    lowered = judged(base, decision(), second, {**merged, "sensitivity": "public"})
    assert [b.field for b in lowered] == ["sensitivity"]


@pytest.mark.parametrize("module", [merge])
def test_the_examples_in_the_docstrings_hold(module):
    assert doctest.testmod(module).failed == 0


def test_the_example_of_check_merge_holds():
    finder = doctest.DocTestFinder()
    [test] = finder.find(rules.check_merge, "check_merge", globs=vars(rules))
    assert doctest.DocTestRunner().run(test).failed == 0
