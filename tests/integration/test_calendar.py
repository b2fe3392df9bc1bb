"""hrgov calendar through the real CLI; each file is read back with icalendar itself."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from icalendar import Calendar

from tests.conftest import git, new_ledger, run_cli


@pytest.fixture(scope="module")
def dated(tmp_path_factory) -> dict:
    """A ledger with a meeting, a decision to review, milestones of two owners and a
    restricted decision with its own milestone."""
    from hrgov import operations

    with new_ledger(tmp_path_factory, "calendar") as ledger:
        root = ledger.root
        operations.log_meeting(ledger, date="2026-03-04")
        operations.log_decision(ledger, "Adopt screening", meeting="MTG-2026-03-04",
                                commitments=["ongoing-hrdd"], owner="legal",
                                review_by="2026-09-01")
        operations.add_milestone(ledger, "Write the procedure", commitment="ongoing-hrdd",
                                 due="2026-04-01", owner="legal", decision="D-2026-0001")
        operations.add_milestone(ledger, "Train the moderators", commitment="ts-tools",
                                 due="2026-05-15", owner="trust-and-safety")
        operations.log_decision(ledger, "Evacuate the northern office", date="2026-03-04",
                                owner="legal", review_by="2026-06-01",
                                sensitivity="restricted")
        operations.add_milestone(ledger, "Secret relocation step", commitment="ongoing-hrdd",
                                 due="2026-04-20", owner="legal", decision="D-2026-0002",
                                 sensitivity="restricted")
    return {"root": root, "domain": git(root, "rev-list", "--max-parents=0", "HEAD")[:12]}


def calendar_of(root, out, *args):
    result = run_cli("--ledger", str(root), "calendar", "-o", str(out), *args)
    assert result.code == 0, result.err
    return Calendar.from_ical(out.read_bytes())


def events(calendar) -> dict:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_holds_due_dates_reviews_and_meetings_under_stable_uids(dated, tmp_path):
    found = events(calendar_of(dated["root"], tmp_path / "all.ics"))
    domain = f"@{dated['domain']}.hrgov"
    due = found[f"MS-2026-0001-due{domain}"]
    assert due["DTSTART"].dt == date(2026, 4, 1) and due["DTEND"].dt == date(2026, 4, 2)
    assert str(due["SUMMARY"]) == "Due: Write the procedure"
    assert "ongoing-hrdd" in str(due["DESCRIPTION"])
    assert found[f"MS-2026-0002-due{domain}"]["DTSTART"].dt == date(2026, 5, 15)
    review = found[f"D-2026-0001-review{domain}"]
    assert review["DTSTART"].dt == date(2026, 9, 1)
    assert str(review["SUMMARY"]) == "Review: Adopt screening"
    assert found[f"MTG-2026-03-04-meeting{domain}"]["DTSTART"].dt == date(2026, 3, 4)
    assert len(found) == 4  # the restricted decision and its milestone are left out


def test_restricted_records_never_reach_the_file(dated, tmp_path):
    calendar_of(dated["root"], tmp_path / "all.ics")
    data = (tmp_path / "all.ics").read_bytes()
    for secret in (b"northern", b"relocation", b"D-2026-0002", b"MS-2026-0003"):
        assert secret not in data


def test_owner_gets_their_own_deadlines_and_the_meetings(dated, tmp_path):
    found = events(calendar_of(dated["root"], tmp_path / "legal.ics", "--owner", "legal"))
    assert sorted(uid.split("@")[0] for uid in found) == [
        "D-2026-0001-review", "MS-2026-0001-due", "MTG-2026-03-04-meeting"]


def test_a_new_file_updates_the_same_events(dated, tmp_path):
    root = tmp_path / "ledger"
    shutil.copytree(dated["root"], root, symlinks=True)
    before = events(calendar_of(root, tmp_path / "one.ics"))
    again = calendar_of(root, tmp_path / "again.ics")
    assert (tmp_path / "one.ics").read_bytes() == (tmp_path / "again.ics").read_bytes()
    assert events(again).keys() == before.keys()
    moved = run_cli("--ledger", str(root), "milestone", "update", "MS-2026-0001",
                    "--due", "2026-06-30", "--reason", "Vendor late")
    assert moved.code == 0, moved.err
    run_cli("--ledger", str(root), "milestone", "update", "MS-2026-0002", "--status", "dropped")
    after = events(calendar_of(root, tmp_path / "two.ics"))
    assert after.keys() == before.keys()
    uid = next(u for u in after if u.startswith("MS-2026-0001-due@"))
    assert after[uid]["DTSTART"].dt == date(2026, 6, 30)
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert after[uid]["DTSTAMP"].dt >= before[uid]["DTSTAMP"].dt
    dropped = next(u for u in after if u.startswith("MS-2026-0002-due@"))
    assert str(after[dropped]["STATUS"]) == "CANCELLED"


def test_calendar_to_stdout(dated):
    result = run_cli("--ledger", str(dated["root"]), "calendar", "-o", "-")
    assert result.code == 0, result.err
    assert len(events(Calendar.from_ical(result.out))) == 4


@pytest.mark.parametrize("args, message", [
    (["--owner", "nobody"], "no department nobody (list them with: hrgov list departments)"),
    (["--owner", "../x"], "is not a valid id"),
])
def test_unknown_owner_is_one_line_and_writes_nothing(dated, tmp_path, args, message):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "x.ics"
    result = run_cli("--ledger", str(dated["root"]), "calendar", "-o", str(out), *args)
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith("hrgov: error: ") and message in result.err
    assert list(folder.iterdir()) == []


def test_a_bad_output_path_writes_nothing(dated, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    kept = tmp_path / "kept.ics"
    kept.write_text("earlier")
    for out, message in ((tmp_path / "x.txt", "must end with .ics"),
                         (tmp_path / "none" / "x.ics", "does not exist")):
        result = run_cli("--ledger", str(dated["root"]), "calendar", "-o", str(out),
                         "--owner", "nobody")
        assert result.code == 2 and message in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["kept.ics"]
    assert kept.read_text() == "earlier"


def test_help_examples_run(dated, tmp_path, monkeypatch):
    import shlex

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    text = run_cli("calendar", "--help").out
    examples = [line.strip() for line in text.splitlines() if line.strip().startswith("hrgov ")]
    assert len(examples) == 2
    for example in examples:
        result = run_cli("--ledger", str(dated["root"]), *shlex.split(example)[1:])
        assert result.code == 0, (example, result.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hr-deadlines.ics", "legal.ics"]
