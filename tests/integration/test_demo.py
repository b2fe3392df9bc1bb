"""The demo ledger: a realistic year of committee work, sound, dated and free of personal data.

Real git and SQLite in a temporary folder; the demo is built once per module (about 2 s).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from hrgov import history, queries
from hrgov import ledger as ledgers
from hrgov.demo import ScenarioError, build_demo, load_scenario, schedule
from hrgov.errors import InvalidInput
from hrgov.model import personal_data

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo, built once, with every progress call it made."""
    base = tmp_path_factory.mktemp("demo")
    (base / "gitconfig").write_text("")
    calls: list[tuple[int, int]] = []
    with pytest.MonkeyPatch.context() as patch:
        # No identity anywhere but the authors the demo passes itself.
        patch.delenv("HRGOV_AUTHOR", raising=False)
        patch.setenv("GIT_CONFIG_GLOBAL", str(base / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        demo = build_demo(base / "ledger", progress=lambda done, total: calls.append((done, total)))
    return demo, calls


@pytest.fixture
def demo(built):
    return built[0]


@pytest.fixture
def conn(demo):
    return demo.ledger.reader()


def every(conn, kind: str) -> list[dict]:
    return queries.list_records(conn, kind)


def days_from(demo, iso: str) -> int:
    return (date.fromisoformat(iso) - demo.today).days


def test_reports_progress(built):
    demo, calls = built
    total = calls[0][1]
    assert [done for done, _ in calls] == list(range(1, total + 1))
    assert {t for _, t in calls} == {total}
    assert total == demo.changes == len(history.commits(demo.root, "HEAD"))
    assert date.today() - timedelta(days=1) <= demo.today <= date.today()


def test_a_year_of_meetings(demo, conn):
    meetings = every(conn, "meetings")
    committee = [m for m in meetings if m["body"] == "steering-committee"]
    assert 7 <= len(committee) <= 9
    assert [m["body"] for m in meetings].count("executive-committee") == 1
    days = [date.fromisoformat(m["date"]) for m in committee]
    assert -380 <= (days[0] - demo.today).days <= -300
    assert -45 <= (days[-1] - demo.today).days < 0
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    assert all(28 <= gap <= 63 for gap in gaps), gaps
    for meeting in meetings:
        assert meeting["attendees"], meeting["id"]
        assert not any(EMAIL.search(a) for a in meeting["attendees"])


def test_decisions_cover_every_lifecycle(demo, conn):
    decisions = every(conn, "decisions")
    assert 15 <= len(decisions) <= 20
    statuses = [d["status"] for d in decisions]
    assert statuses.count("superseded") == 1
    assert "implemented" in statuses and "rejected" in statuses and "proposed" in statuses
    commitments = {c["id"] for c in every(conn, "commitments")}
    for decision in decisions:
        assert decision.get("meeting"), decision["id"]
        assert decision["owner"], decision["id"]
        assert decision["commitments"] and set(decision["commitments"]) <= commitments
    assert sum(1 for d in decisions if d.get("text")) >= 5
    assert sum(1 for d in decisions if d.get("rationale")) >= 5
    # One was proposed, then adopted.
    adopted_later = [
        d["id"]
        for d in decisions
        if {"field": "status", "old": "proposed", "new": "adopted"}
        in [c for v in demo.ledger.versions(d["id"]) for c in v["changes"]]
    ]
    assert len(adopted_later) == 1
    # One is due for review within the past month.
    assert any(-31 <= days_from(demo, d["review_by"]) < 0 for d in decisions if "review_by" in d)


def test_superseded_decision_and_its_earlier_version(demo):
    old = demo.ledger.record(demo.superseded_decision)
    new = demo.ledger.record(demo.superseding_decision)
    assert old["status"] == "superseded"
    assert old["superseded_by"] == new["id"] and new["supersedes"] == old["id"]
    then = demo.ledger.record(demo.superseded_decision, at=demo.before)
    assert then["status"] != "superseded"
    assert then["status"] == "adopted" and "superseded_by" not in then
    assert date.fromisoformat(demo.before) < date.fromisoformat(new["date"])


def test_milestones_done_slipped_blocked_overdue_and_due_soon(demo, conn):
    milestones = every(conn, "milestones")
    assert 20 <= len(milestones) <= 30
    by_status = {s: [m for m in milestones if m["status"] == s] for s in
                 ("planned", "in-progress", "blocked", "done")}
    assert len(by_status["blocked"]) == 1
    assert len(by_status["in-progress"]) >= 3
    assert len(by_status["done"]) >= 5
    for done in by_status["done"]:
        assert done["evidence"] and all(
            e.startswith("https://example.org/") for e in done["evidence"]
        ), done["id"]
        assert days_from(demo, done["done_on"]) < 0
    assert len({m["commitment"] for m in milestones}) >= 10
    assert len({m["owner"] for m in milestones}) >= 6
    # Owners default to the commitment's at the time the milestone was added.
    assert sum(1 for m in milestones if m["owner"] == _owner_when_added(demo, m)) >= 15

    slipped = [m for m in milestones if m.get("slips")]
    assert len(slipped) >= 3
    assert any(len(m["slips"]) == 2 for m in slipped)
    for milestone in slipped:
        assert milestone["original_due"] == milestone["slips"][0]["from"]
        assert milestone["due"] == milestone["slips"][-1]["to"]
        assert all(slip["reason"].strip() for slip in milestone["slips"])
    assert len(demo.ledger.record(demo.slipped_milestone)["slips"]) == 2

    overdue = queries.due(conn, demo.today, overdue_only=True)
    assert len(overdue) >= 3
    assert any(days_from(demo, m["due"]) < -30 for m in overdue)
    soon = [
        m
        for m in queries.due(conn, demo.today, within=30)
        if m["status"] == "planned" and days_from(demo, m["due"]) >= 0
    ]
    assert len(soon) >= 2


def _owner_when_added(demo, milestone: dict) -> str:
    added = demo.ledger.versions(milestone["id"])[0]["commit"]
    return demo.ledger.record(milestone["commitment"], at=added)["owner"]


def test_departments_and_reassigned_commitments(demo, conn):
    departments = {d["id"]: d for d in every(conn, "departments")}
    assert "data-protection" in departments
    assert departments["data-protection"]["lead_role"]
    reassigned = [
        version
        for commitment in every(conn, "commitments")
        for version in demo.ledger.versions(commitment["id"])
        if any(c["field"] == "owner" for c in version["changes"]) and version["version"] > 1
    ]
    assert 1 <= len(reassigned) <= 3
    assert all(version["reason"] for version in reassigned)


def test_sensitivity_and_no_personal_data(demo, conn):
    every_record = [
        json.loads(row[0]) for row in conn.execute("SELECT json FROM records")
    ]
    dated = [r for r in every_record if r["kind"] in ("meeting", "decision", "milestone")]
    assert sum(1 for r in dated if r["sensitivity"] == "public") >= 3
    restricted = [r for r in dated if r["sensitivity"] == "restricted"]
    assert any(r["kind"] == "decision" for r in restricted)
    assert demo.ledger.record(demo.restricted_decision)["sensitivity"] == "restricted"
    for record in every_record:
        assert not EMAIL.search(json.dumps(record, ensure_ascii=False)), record["id"]


def test_history_is_dated_realistically_and_made_by_hrgov(demo):
    messages = subprocess.run(
        ["git", "-C", str(demo.root), "log", "--reverse", "--format=%B%x00"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    messages = [m.strip() for m in messages if m.strip()]
    assert len(messages) == demo.changes
    for message in messages[1:]:
        assert re.search(r"^Hrgov-Command: \S", message, re.MULTILINE), message
    commits = history.commits(demo.root, "HEAD")
    times = [c.time for c in commits]
    assert times == sorted(times)
    assert times[-1] <= time.time()
    assert times[0] >= time.time() - 400 * 86400
    people = load_scenario().people
    assert {f"{c.author_name} <{c.author_email}>" for c in commits} == set(people.values())


def test_ledger_is_sound(demo):
    assert ledgers.problems(demo.ledger) == []


def test_a_year_of_issues_across_the_taxonomy(demo, conn):
    issues = every(conn, "issues")
    assert 18 <= len(issues) <= 25
    categories = {c["id"] for c in every(conn, "categories")}
    assert {i["category"] for i in issues} == categories  # every category has an issue
    for issue in issues:
        category = demo.ledger.record(issue["category"])
        assert issue["subcategory"] in category["subcategories"], issue["id"]
        assert issue["id"].startswith(f"HRI-{issue['reported'][:4]}-")
        assert -380 <= days_from(demo, issue["reported"]) < 0
        assert issue["impact"] in (1, 2, 3) and issue["likelihood"] in (1, 2, 3)
        assert personal_data(issue["summary"]) is None, issue["id"]
    statuses = [i["status"] for i in issues]
    assert {"open", "assessing", "mitigating", "closed", "dismissed"} <= set(statuses)
    salient = [i for i in issues if i.get("salient")]
    assert 5 <= len(salient) <= len(issues) // 2 + 2
    sensitivities = [i["sensitivity"] for i in issues]
    assert 1 <= sensitivities.count("restricted") <= 2
    assert demo.ledger.record(demo.restricted_issue)["sensitivity"] == "restricted"
    examples = [i for i in issues if i.get("board_example")]
    quotable = [i for i in examples if i["sensitivity"] in ("internal", "public")]
    assert len(quotable) >= 5
    assert {"internal", "public"} <= {i["sensitivity"] for i in quotable}
    # issues move through their lifecycle over the year, with reasons for closing some
    moved = [i for i in issues if len(demo.ledger.versions(i["id"])) > 1]
    assert len(moved) >= 12
    # reported in every quarter of the year
    quarters = {(days_from(demo, i["reported"]) + 380) // 92 for i in issues}
    assert len(quarters) >= 4


def test_two_impact_assessments_with_findings(demo, conn):
    assessments = {a["id"]: a for a in every(conn, "assessments")}
    assert len(assessments) == 2
    enterprise = assessments.pop(demo.enterprise_assessment)
    (product,) = assessments.values()
    assert (enterprise["subject"], enterprise["assessor"], enterprise["status"]) == (
        "enterprise", "external", "in-progress"
    )
    assert enterprise["phase"] == 3 and days_from(demo, enterprise["next_due"]) > 365
    findings = enterprise["findings"]
    assert [f["n"] for f in findings] == [1, 2, 3]
    with_milestones = [f for f in findings if f.get("milestones")]
    assert len(with_milestones) == 2
    for finding in with_milestones:
        for milestone_id in finding["milestones"]:
            milestone = demo.ledger.record(milestone_id)
            assert milestone["status"] == "planned" and days_from(demo, milestone["due"]) > 0
    assert (product["subject"], product["assessor"], product["status"], product["phase"]) == (
        "product", "internal", "completed", 5
    )
    assert product["publication"] == "summary"
    assert product["started"] < product["completed"] < demo.today.isoformat()
    assert len(product["findings"]) == 1


def test_grievances_move_through_their_stages(demo, conn):
    grievances = every(conn, "grievances")
    assert 8 <= len(grievances) <= 10
    assert len({g["channel"] for g in grievances}) >= 5
    stages = [g["stage"] for g in grievances]
    assert stages.count("closed") >= 4
    assert {"acknowledged", "investigating", "responded", "closed"} <= set(stages)
    for grievance in grievances:
        received = date.fromisoformat(grievance["received"])
        assert grievance["id"].startswith(f"G-{received.year}-")
        assert received < demo.today
        if "acknowledged" in grievance:
            assert 0 <= (date.fromisoformat(grievance["acknowledged"]) - received).days <= 30
        if grievance["stage"] == "closed":
            assert grievance["outcome"] and grievance["closed"] >= grievance["received"]
        else:
            assert "closed" not in grievance and "outcome" not in grievance
        assert personal_data(grievance.get("summary", "")) is None
    # one was withdrawn straight away, without being acknowledged
    assert any(g.get("outcome") == "withdrawn" and "acknowledged" not in g for g in grievances)
    # some have been open more than 90 days
    still_open = [g for g in grievances if g["stage"] != "closed"]
    assert any(days_from(demo, g["received"]) < -90 for g in still_open)
    linked = [g for g in grievances if g.get("issue")]
    assert len(linked) >= 5 and all(queries.get(conn, g["issue"]) for g in linked)


def test_remedies(demo, conn):
    remedies = every(conn, "remedies")
    assert len(remedies) == 4
    assert len({r["remedy_type"] for r in remedies}) >= 3
    assert sum(1 for r in remedies if r.get("verified")) >= 2
    for remedy in remedies:
        assert remedy.get("grievance") or remedy.get("issue")
        assert remedy["provider"] and days_from(demo, remedy["delivered_on"]) < 0
        assert personal_data(remedy["provided"]) is None
        if remedy.get("grievance"):
            grievance = demo.ledger.record(remedy["grievance"])
            assert grievance["received"] <= remedy["delivered_on"]


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not empty"):
        build_demo(tmp_path / "taken")
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_fixed_today_gives_ids_the_right_years(tmp_path):
    today = date(2026, 6, 15)
    demo = build_demo(tmp_path / "ledger", today=today)
    conn = demo.ledger.reader()
    assert demo.today == today
    ends = datetime(2026, 6, 16, tzinfo=UTC).timestamp()
    assert history.commits(demo.root, "HEAD")[-1].time < ends
    for meeting in every(conn, "meetings"):
        assert meeting["id"] == f"MTG-{meeting['date']}"
    for decision in every(conn, "decisions"):
        assert decision["id"].startswith(f"D-{decision['date'][:4]}-")
    for milestone in every(conn, "milestones"):
        added = demo.ledger.versions(milestone["id"])[0]["time"]
        assert milestone["id"].startswith(f"MS-{added[:4]}-"), (milestone["id"], added)
    ids = [r["id"] for r in every(conn, "decisions") + every(conn, "milestones")]
    assert {"D-2025-0001", "D-2026-0001", "MS-2025-0001", "MS-2026-0001"} <= set(ids)
    assert queries.due(conn, today, overdue_only=True)
    assert all(
        date.fromisoformat(m["due"]) < today
        for m in queries.due(conn, today, overdue_only=True)
    )
    assert demo.ledger.record(demo.superseded_decision, at=demo.before)["status"] == "adopted"
    assert today - timedelta(days=400) < date.fromisoformat(demo.before) < today


@pytest.mark.parametrize("shift", range(7))
def test_scenario_holds_together_whatever_the_weekday(shift):
    """Meetings move to a Thursday, so each weekday of ``today`` gives another schedule: in
    every one, a step uses only names made before it (``schedule`` refuses otherwise), and
    dates make sense."""
    today = date(2026, 3, 2) + timedelta(days=shift)
    made: dict[str, tuple[str, date]] = {}  # name → (action, day)
    meetings = set()
    previous = None
    for planned in schedule(today):
        step, day, fields = planned.step, planned.day, planned.fields
        where = (step.number, step.action)
        assert previous is None or previous <= day
        previous = day
        assert today - timedelta(days=366) < day < today, where
        for key in ("reported", "received", "started", "completed", "delivered_on"):
            if key in fields:
                assert date.fromisoformat(fields[key]) <= day, (where, key)  # never after it
        for value in fields.values():
            if isinstance(value, str) and value.startswith("@"):
                assert made[value[1:]][1] <= day, (where, value)
        if step.action == "log meeting":
            meetings.add(day)
        if step.action == "log decision":
            assert day in meetings, where  # taken at that day's meeting
        if "due" in fields:
            assert date.fromisoformat(fields["due"]) > day, where
        if step.action == "milestone done":
            assert made[fields["milestone"][1:]][0] == "milestone add"
        if step.name:
            assert step.name not in made
            made[step.name] = (step.action, day)


GOOD_STEPS = """
[people]
secretary = "Committee Secretary <hrsc-secretary@example.org>"

[meetings]
M1 = -40

[[step]]
day = "M1"
action = "log meeting"
attendees = ["Chair"]
as = "M1"

[[step]]
day = "M1"
action = "log decision"
title = "Adopt a work plan"
commitments = ["ongoing-hrdd"]
owner = "legal"
as = "plan"
"""


def _scenario(extra: str) -> str:
    return GOOD_STEPS + extra


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[[step]]\nday = "M1+2"\naction = "milestone ad"\ntitle = "x"\n',
            r"/scenario\.toml: step 3: unknown action 'milestone ad' \(one of: log meeting, ",
        ),
        (
            '[[step]]\nday = "M1+2"\naction = "milestone add"\ntitle = "Checklist"\n'
            'commitment = "ongoing-hrdd"\ndue = 30\ndecission = "@plan"\n',
            r"/scenario\.toml: step 3 \(milestone add\): unknown field\(s\) decission \(fields: ",
        ),
        (
            '[[step]]\nday = "M1+2"\naction = "milestone add"\ntitle = "Checklist"\n'
            'commitment = "ongoing-hrdd"\ndue = 30\ndecision = "@checklist"\n'
            '[[step]]\nday = "M1+3"\naction = "milestone update"\nmilestone = "@checklist"\n'
            'status = "in-progress"\nas = "checklist"\n',
            r"/scenario\.toml: step 3 \(milestone add\) on \S+: @checklist is not made by a step "
            r"played before it$",
        ),
        (
            # written after the step that makes it, but played the day before
            '[[step]]\nday = "M1+5"\naction = "milestone add"\ntitle = "Checklist"\n'
            'commitment = "ongoing-hrdd"\ndue = 30\nas = "checklist"\n'
            '[[step]]\nday = "M1+4"\naction = "milestone done"\nmilestone = "@checklist"\n',
            r"/scenario\.toml: step 4 \(milestone done\) on \S+: @checklist is not made by a step ",
        ),
        (
            '[[step]]\nday = "M2"\naction = "milestone done"\nmilestone = "@plan"\n',
            r"/scenario\.toml: step 3 \(milestone done\): 'M2' is not a day \(-30, or a meeting",
        ),
        (
            '[[step]]\nday = 3\naction = "milestone update"\nstatus = "done"\n',
            r"/scenario\.toml: step 3 \(milestone update\): missing field\(s\) milestone$",
        ),
        (
            '[[step]]\nday = -3\naction = "milestone add"\ntitle = "x"\n'
            'commitment = "ongoing-hrdd"\ndue = 30\nby = "chair"\n',
            r"/scenario\.toml: step 3 \(milestone add\): by = 'chair' is not one of \[people\]",
        ),
    ],
)
def test_a_bad_step_is_refused_in_one_line_before_anything_is_written(tmp_path, extra, message):
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(_scenario(extra))
    with pytest.raises(ScenarioError, match=message) as refused:
        build_demo(tmp_path / "ledger", scenario=scenario)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "ledger").exists()


def test_a_scenario_file_of_ones_own(tmp_path):
    """A scenario by path: played through the same operations, so the rule book applies."""
    scenario = tmp_path / "mine.toml"
    scenario.write_text(_scenario(
        '[[step]]\nday = "M1+1"\naction = "decision status"\ndecision = "@plan"\n'
        'status = "implemented"\nnote = "Done."\n'
    ))
    demo = build_demo(tmp_path / "ledger", scenario=scenario, today=date(2026, 6, 15))
    assert demo.changes == 4 and demo.slipped_milestone == ""
    decision = demo.ledger.record("D-2026-0001")
    assert decision["status"] == "implemented" and decision["meeting"] == "MTG-2026-04-30"
    # A step the rule book refuses stops the play, naming the step.
    scenario.write_text(_scenario(
        '[[step]]\nday = "M1+1"\naction = "decision status"\ndecision = "@plan"\n'
        'status = "proposed"\n'
    ))
    refused = r"mine\.toml: step 3 \(decision status\) on 2026-05-01: D-2026-0001: cannot go "
    with pytest.raises(ScenarioError, match=refused):
        build_demo(tmp_path / "other", scenario=scenario, today=date(2026, 6, 15))


def test_every_action_is_a_command():
    """The scenario's vocabulary is the command line's."""
    import typer.main

    from hrgov.commands import app
    from hrgov.demo import ACTIONS

    root = typer.main.get_command(app)
    for action in ACTIONS:
        group, verb = action.split()
        assert verb in root.commands[group].commands, action


def test_the_scenario_ships_with_the_package():
    from importlib import resources

    shipped = resources.files("hrgov.data") / "demo" / "wikimedia-year.toml"
    assert shipped.is_file()
    assert len(load_scenario().steps) == len(load_scenario(str(shipped)).steps) > 150
