"""Finding things through the real CLI: search, changes, show COMMITMENT-ID, list filters.

One ledger for the module, its weeks written at fixed times (March 2026) so that "since a
day" has a fixed answer; every test only reads it.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from tests.conftest import AUTHOR, git, new_ledger, run_cli, state


def at(day: str, hour: int = 10) -> int:
    return int(datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
def weekly(tmp_path_factory) -> dict:
    """A ledger of three weeks: a screening decision and its milestone (week 1), a restricted
    decision and a slip (week 2), a new owner for the commitment (week 3)."""
    from hrgov import operations

    with new_ledger(tmp_path_factory, "weekly", timestamp=at("2026-03-02", 9)) as ledger:
        root = ledger.root
        operations.log_meeting(ledger, date="2026-03-02", timestamp=at("2026-03-02"))
        operations.log_decision(
            ledger, "Adopt human-rights screening for new product features",
            meeting="MTG-2026-03-02", commitments=["ongoing-hrdd"], owner="legal",
            text="Screen every launch; the survey asks NEAR(x) and \"quoted\" questions.",
            review_by="2026-09-01", timestamp=at("2026-03-02", 11),
        )
        operations.add_milestone(
            ledger, "Write the screening procedure", commitment="ongoing-hrdd",
            due="2026-04-01", decision="D-2026-0001", timestamp=at("2026-03-03"),
        )
        operations.log_decision(
            ledger, "Protect contributors in the northern region",
            date="2026-03-09", commitments=["ongoing-hrdd"], owner="trust-and-safety",
            text="Relocation support for contributors at risk.", sensitivity="restricted",
            timestamp=at("2026-03-09"),
        )
        operations.update_milestone(
            ledger, "MS-2026-0001", due="2026-05-01", reason="Vendor late",
            timestamp=at("2026-03-10"),
        )
        operations.assign_commitment(
            ledger, "ongoing-hrdd", "trust-and-safety", reason="Reorganisation",
            timestamp=at("2026-03-16"),
        )
    return {"root": root, "week2": git(root, "rev-list", "-n1", "--before=2026-03-05", "HEAD")
            .strip()}


@pytest.fixture
def hrgov(weekly):
    def invoke(*args: str):
        return run_cli("--ledger", str(weekly["root"]), *args)

    return invoke


# ---- search ---------------------------------------------------------------------------------

def test_search_finds_titles_and_texts_by_stem_best_first(hrgov):
    result = hrgov("search", "screened", "-f", "json")
    assert result.code == 0, result.err
    ids = [hit["id"] for hit in result.json]
    assert {"D-2026-0001", "MS-2026-0001"} <= set(ids)
    decision = next(hit for hit in result.json if hit["id"] == "D-2026-0001")
    assert decision["title"] == "Adopt human-rights screening for new product features"
    assert "[screening]" in decision["snippet"] and decision["withheld"] is False
    table = hrgov("search", "screening", "procedure").out
    assert "MS-2026-0001" in table and "D-2026-0001" not in table  # every word must be there


def test_search_names_a_restricted_record_but_never_reads_it_out(hrgov):
    for fmt in ("table", "json", "csv"):
        result = hrgov("search", "relocation", "--format", fmt)
        assert result.code == 0, result.err
        assert "D-2026-0002" in result.out
        assert "Relocation" not in result.out and "northern" not in result.out
    hit = hrgov("search", "relocation", "-f", "json").json[0]
    assert hit["withheld"] is True and hit["title"] == "(restricted)"
    assert "Relocation" in hrgov("show", "D-2026-0002").out  # who may, opens it


@pytest.mark.parametrize("words", [
    ['"'], ["NEAR("], ["a:b"], ["(", ")"], ["*"], ["^x"], ["AND"], ["OR", "NOT"], ["'"],
    ["title:screening"], ["x*y"], ["--", "-launch"], ["{a b}"],
])
def test_search_syntax_characters_are_searched_for_never_an_error(hrgov, words):
    result = hrgov("search", *words)
    assert result.code == 0, result.err
    assert "error" not in result.err


def test_search_treats_operators_as_words(hrgov):
    found = hrgov("search", "NEAR(x)", '"quoted"', "-f", "json").json
    assert [hit["id"] for hit in found] == ["D-2026-0001"]
    prefixed = {hit["id"] for hit in hrgov("search", "proced*", "-f", "json").json}
    whole = {hit["id"] for hit in hrgov("search", "proced", "-f", "json").json}
    assert "MS-2026-0001" in prefixed and "MS-2026-0001" not in whole


def test_search_without_words_or_with_a_bad_limit_says_so(hrgov):
    blank = hrgov("search", "   ")
    assert blank.code == 2 and blank.err.count("\n") == 1
    assert blank.err.startswith("hrgov: error: give the words to search for")
    limit = hrgov("search", "x", "--limit", "0")
    assert limit.code == 2 and "--limit must be between 1 and 10000" in limit.err


def test_search_answers_alike_from_a_rebuilt_index(weekly, tmp_path):
    from hrgov import queries
    from hrgov.index import build
    from hrgov.ledger import Ledger

    live = Ledger(weekly["root"]).reader()
    fresh = build(weekly["root"], tmp_path / "fresh.db").conn
    for words in ("screening", "contributors", "due diligence", "procedure"):
        assert queries.search(live, words) == queries.search(fresh, words)
    assert "MS-2026-0001" in [hit["id"] for hit in queries.search(fresh, "procedure")]


# ---- changes --------------------------------------------------------------------------------

def test_changes_since_a_day_lists_who_changed_what_and_why(hrgov):
    result = hrgov("changes", "--since", "2026-03-09", "-f", "json")
    assert result.code == 0, result.err
    assert [(v["id"], v["time"][:10]) for v in result.json] == [
        ("D-2026-0002", "2026-03-09"),
        ("MS-2026-0001", "2026-03-10"),
        ("ongoing-hrdd", "2026-03-16"),
    ]
    slip, assign = result.json[1], result.json[2]
    assert slip["author"] == AUTHOR and slip["reason"] == "Vendor late"
    assert {"field": "due", "old": "2026-04-01", "new": "2026-05-01"} in slip["changes"]
    assert assign["reason"] == "Reorganisation" and assign["command"] == "commitment assign"
    table = hrgov("changes", "--since", "2026-03-09").out
    assert "due: 2026-04-01 → 2026-05-01" in table and "Vendor late" in table
    assert "owner: steering-committee → trust-and-safety" in table


def test_changes_of_a_restricted_record_say_when_and_who_not_what(hrgov):
    for fmt in ("table", "json", "csv"):
        out = hrgov("changes", "--since", "2026-03-09", "--until", "2026-03-09", "-f", fmt).out
        assert "D-2026-0002" in out and AUTHOR.split(" <")[0] in out
        assert "northern" not in out and "Relocation" not in out
    version = hrgov("changes", "--since", "2026-03-09", "--until", "2026-03-09",
                    "-f", "json").json[0]
    assert version["withheld"] is True and version["record"] is None
    assert version["subject"] == "log decision D-2026-0002"


def test_changes_between_revisions_and_up_to_a_day(hrgov, weekly):
    after_week1 = hrgov("changes", "--since", weekly["week2"], "-f", "json").json
    assert [v["id"] for v in after_week1] == ["D-2026-0002", "MS-2026-0001", "ongoing-hrdd"]
    week1 = hrgov("changes", "--since", "2026-03-02", "--until", "2026-03-08", "-f", "json").json
    assert [v["id"] for v in week1][-3:] == ["MTG-2026-03-02", "D-2026-0001", "MS-2026-0001"]
    assert hrgov("changes", "--since", "HEAD~1", "-f", "json").json[0]["id"] == "ongoing-hrdd"
    quiet = hrgov("changes", "--since", "2026-04-01")
    assert quiet.code == 0 and quiet.out == "" and "nothing changed" in quiet.err


@pytest.mark.parametrize("args, message", [
    (["--since", "last week"], "--since 'last week' is neither a date"),
    (["--since", "2026-02-30"], "--since '2026-02-30' is not a real date"),
    (["--since", "2026-03-01", "--until", "2026-01-01"], "nothing on or before 2026-01-01"),
    (["--since", "-p"], "--since '-p' is neither"),
])
def test_changes_refuses_what_names_no_point_of_the_history(hrgov, weekly, args, message):
    before = state(weekly["root"])
    result = hrgov("changes", *args)
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith("hrgov: error: ") and message in result.err
    assert state(weekly["root"]) == before


# ---- show COMMITMENT-ID, list filters -------------------------------------------------------

def test_show_commitment_has_owner_history_decisions_and_milestones(hrgov):
    result = hrgov("show", "ongoing-hrdd")
    assert result.code == 0, result.err
    out = result.out
    owners = out[out.index("Owners:"):out.index("Decisions:")]
    assert owners.index("steering-committee") < owners.index("trust-and-safety")
    assert "Reorganisation" in owners and "2026-03-16" in owners
    decisions = out[out.index("Decisions:"):out.index("Milestones:")]
    assert "D-2026-0001" in decisions and "D-2026-0002" in decisions
    milestones = out[out.index("Milestones:"):]
    assert "MS-2026-0001" in milestones and "2026-05-01" in milestones
    # the stable contract: --format json is the record alone
    assert hrgov("show", "ongoing-hrdd", "-f", "json").json[0]["owner"] == "trust-and-safety"


def test_show_commitment_as_at_an_earlier_day_withholds_restricted_decisions(hrgov):
    out = hrgov("show", "ongoing-hrdd", "--at", "2026-03-12").out
    assert "trust-and-safety" not in out[out.index("Owners:"):out.index("Decisions:")]
    assert "D-2026-0001" in out and "D-2026-0002" not in out and "northern" not in out
    assert "2026-05-01" in out
    early = hrgov("show", "ongoing-hrdd", "--at", "2026-03-02").out
    assert "no milestone: no plan" in early


def test_list_by_commitment_and_since(hrgov):
    decisions = hrgov("list", "decisions", "--commitment", "ongoing-hrdd", "-f", "json").json
    assert [d["id"] for d in decisions] == ["D-2026-0001", "D-2026-0002"]
    milestones = hrgov("list", "milestones", "--commitment", "ongoing-hrdd", "-f", "json").json
    assert [m["id"] for m in milestones] == ["MS-2026-0001"]
    assert hrgov("list", "milestones", "--commitment", "periodic-hria", "-f", "json").json == []
    changed = hrgov("list", "decisions", "--since", "2026-03-09", "-f", "json").json
    assert [d["id"] for d in changed] == ["D-2026-0002"]
    commitments = hrgov("list", "commitments", "--since", "2026-03-10", "-f", "json").json
    assert [c["id"] for c in commitments] == ["ongoing-hrdd"]
    then = hrgov("list", "decisions", "--commitment", "ongoing-hrdd", "--at", "2026-03-12",
                 "-f", "json").json
    assert [d["id"] for d in then] == ["D-2026-0001"]  # as of a day: restricted withheld


@pytest.mark.parametrize("args, message", [
    (["departments", "--commitment", "ongoing-hrdd"], "departments serve no commitment"),
    (["decisions", "--commitment", "no-such"], "no commitment no-such (list them with"),
    (["decisions", "--since", "March"], "--since 'March' is not a date (expected YYYY-MM-DD)"),
])
def test_list_filters_refuse_bad_input(hrgov, args, message):
    result = hrgov("list", *args)
    assert result.code == 2 and result.err.count("\n") == 1
    assert message in result.err


def test_help_examples_of_the_finding_commands(hrgov, weekly, tmp_path):
    """Every example these commands' help prints runs against a ledger."""
    import shlex

    from tests.conftest import run_cli as cli

    root = tmp_path / "copy"
    shutil.copytree(weekly["root"], root, symlinks=True)
    for command in (["search"], ["changes"], ["list"], ["show"]):
        text = cli(*command, "--help").out
        examples = [line.strip() for line in text.splitlines()
                    if line.strip().startswith("hrgov ")]
        assert examples, command
        for example in examples:
            args = shlex.split(example.replace("MS-2026-0003", "MS-2026-0001"))[1:]
            args = args[: args.index(">")] if ">" in args else args  # no redirection here
            result = cli("--ledger", str(root), *args)
            assert result.code == 0, (example, result.err)
