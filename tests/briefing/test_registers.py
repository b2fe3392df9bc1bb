"""The issues register, impact assessments, grievances and remedies in the Board briefing and
the public report (issue 5). Expected figures are counted here from the scenario's own lists
(``conftest.ISSUES``, ``conftest.GRIEVANCES``), not from the briefing's code."""

from __future__ import annotations

import statistics
import zipfile
from collections import Counter
from datetime import date

import pytest

from .conftest import (
    AUTHOR,
    GRIEVANCES,
    ISSUES,
    LESSONS,
    RESPONSE,
    SECRET,
    TODAY,
    all_xml,
    document_text,
)

NAMES = {  # the policy pack's names of the categories the scenario uses
    "freedom-of-expression": "Freedom of expression and government censorship",
    "privacy": "Online privacy and government surveillance",
    "safety-of-defenders": "Safety of volunteers and human rights defenders",
    "harassment": "Harassment",
    "disinformation": "Disinformation",
    "child-rights": "Child rights",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory, scenario):
    from hrgov.briefing import write_brief
    from hrgov.ledger import Ledger

    path = tmp_path_factory.mktemp("registers") / "board.docx"
    write_brief(Ledger.find(scenario.root), path, start="2025-01-01", end="2025-12-31",
                today=TODAY, year=2025)
    return path


def rows_of(path, first_header: str) -> list[list[str]]:
    from docx import Document

    for table in Document(str(path)).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][0] == first_header:
            return rows
    raise AssertionError(f"no table headed {first_header!r}")


def section(text: str, start: str, end: str) -> str:
    begin = text.index(start, text.index("Annex C. How to verify"))  # after the contents
    return text[begin:text.index(end, begin + len(start))]


def in_2025(issue) -> bool:
    return issue["reported"].startswith("2025-")


def test_trends_equal_counts_from_the_scenario(built):
    # Count by hand: quarter of the reported month, per category. The register began in May
    # 2024 (its first issue), so 2024 is not compared; Q4 2025 runs to the status date.
    now: dict[str, list[int]] = {}
    for issue in ISSUES:
        if in_2025(issue):
            quarter = (int(issue["reported"][5:7]) - 1) // 3
            now.setdefault(issue["category"], [0, 0, 0, 0])[quarter] += 1
    before = Counter(i["category"] for i in ISSUES if i["reported"].startswith("2024-"))
    rows = rows_of(built, "Category")
    assert rows[0][1:] == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025 (to 20 Dec)", "Period"]
    text = document_text(built)
    assert "The issues register began on 10 May 2024 (its first issue)" in text
    assert "no comparison is made" in text
    table = {row[0]: row[1:] for row in rows[1:]}
    for category in set(now) | set(before):
        quarters = now.get(category, [0, 0, 0, 0])
        assert table.pop(NAMES[category]) == [*map(str, quarters), str(sum(quarters))]
    totals = table.pop("All categories")
    assert totals[4] == str(sum(1 for i in ISSUES if in_2025(i)))
    assert table == {}


def test_salient_table_lists_visible_salient_issues_without_their_text(built, scenario):
    salient = [n for n, i in enumerate(ISSUES) if in_2025(i) and i.get("salient")]
    visible = [n for n in salient if ISSUES[n].get("sensitivity") != "restricted"]
    rows = rows_of(built, "Issue")
    # The category first, the id last and small (titles before ids).
    ids = [r[0].splitlines()[-1] for r in rows[1:]]
    assert sorted(ids) == sorted(scenario.ids[f"issue{n}"] for n in visible)
    by_id = dict(zip(ids, rows[1:], strict=True))
    for n in visible:
        row = by_id[scenario.ids[f"issue{n}"]]
        issue = ISSUES[n]
        assert row[0].startswith(NAMES[issue["category"]])
        assert row[1:3] == [str(issue["impact"]), str(issue["likelihood"])]
        # The summary only when the issue is cleared as a Board example.
        assert (issue["summary"] in row[0]) == bool(issue.get("board_example"))
    text = document_text(built)
    hidden = len(salient) - len(visible)
    assert f"{hidden} restricted salient issue is counted above but not described" in text


def test_examples_quote_exactly_the_cleared_issues(built):
    text = document_text(built)
    examples = section(text, "Specific examples", "Trends in types of issues")
    cleared = [i for i in ISSUES if in_2025(i) and i.get("board_example")
               and i.get("sensitivity") != "restricted"]
    assert 0 < len(cleared) <= 5
    for issue in ISSUES:
        assert (issue["summary"] in examples) == (issue in cleared), issue["summary"]
    for issue in ISSUES:  # what is not cleared is quoted nowhere in the briefing
        if issue not in cleared:
            assert issue["summary"] not in text


def test_each_example_says_what_happened_what_we_did_where_it_stands_and_learned(built):
    text = document_text(built)
    examples = section(text, "Specific examples", "Trends in types of issues")
    a = examples[:examples.index("EXAMPLE-B")]  # EXAMPLE-A is the most serious: first
    assert "Freedom of expression and government censorship" in a  # the title, before the id
    assert a.index("What happened\nEXAMPLE-A") < a.index(f"What we did\n{RESPONSE}") \
        < a.index("Where it stands\nBeing mitigated; 1 remedy recorded (policy change), "
                  "0 delivered.") < a.index(f"What we learned\n{LESSONS}") \
        < a.index("issues register HRI-2025-")
    b = examples[examples.index("EXAMPLE-B"):]
    b = b[:b.index("Reported")]
    assert "What we did\nNot yet recorded in the issues register." in b
    assert "Where it stands\nClosed." in b
    assert "mitigating" not in examples  # states in plain words only


def test_what_was_done_and_learned_goes_through_the_commands(scenario, tmp_path):
    """``log issue --response/--lessons``, ``issue status --lessons`` and ``edit``; contact
    details in them are refused like in the summary, and nothing is written then."""
    import shutil

    from hrgov import history
    from tests.conftest import run_cli

    root = tmp_path / "ledger"
    shutil.copytree(scenario.root, root, symlinks=True)

    def run(*args):
        return run_cli("--ledger", str(root), "--as", AUTHOR, *args)

    logged = run("log", "issue", "A takedown demand for a biography.", "--reported",
                 "2025-06-01", "--category", "privacy", "--response", "Refused in writing.",
                 "--format", "json")
    assert logged.code == 0, logged.err
    issue_id = logged.json[-1]["id"]
    moved = run("issue", "status", issue_id, "closed", "--lessons", "Answer within a week.")
    assert moved.code == 0, moved.err
    edited = run("edit", issue_id, "response=Refused in writing; the author was told.",
                 "--reason", "Fuller account")
    assert edited.code == 0, edited.err
    record = run("show", issue_id, "--format", "json").json[0]
    assert record["response"] == "Refused in writing; the author was told."
    assert record["lessons"] == "Answer within a week." and record["status"] == "closed"
    head = history.head(root)
    refused = run("edit", issue_id, "lessons=Call the editor on +44 20 7946 0018 first",
                  "--reason", "More detail")
    assert refused.code == 2 and history.head(root) == head
    assert len(refused.err.strip().splitlines()) == 1, refused.err


def test_heat_map_is_an_image_and_its_counts_are_stated(built):
    with zipfile.ZipFile(built) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(images) == 4
    text = document_text(built)
    assert "Figure 1. Issues reported in the period by impact (rows) and likelihood" in text
    unscored = sum(1 for i in ISSUES if in_2025(i) and "impact" not in i)
    assert f"{unscored} issue without both scores is left out" in text


def test_heat_map_grid_counts(scenario):
    from hrgov.briefing.data import Facts, open_snapshot, period_for_year
    from hrgov.ledger import Ledger

    with open_snapshot(Ledger.find(scenario.root), today=TODAY) as snap:
        facts = Facts.load(snap.conn, period_for_year(2025), snap.day)
        grid, unscored = facts.heat_map()
    expected = [[0] * 3 for _ in range(3)]
    for issue in ISSUES:
        if in_2025(issue) and "impact" in issue:
            expected[issue["impact"] - 1][issue["likelihood"] - 1] += 1
    assert grid == expected
    assert unscored == 1


def test_assessment_register(built, scenario):
    rows = rows_of(built, "Assessment")
    assert len(rows) == 2  # the restricted assessment is counted, not listed
    row = rows[1]
    # the title first, the id after it for reference
    assert row[0] == f"Enterprise-wide human rights impact assessment\n{scenario.ids['assessment']}"
    assert row[1:] == ["Enterprise", "3", "In progress", "2", "1", "1 Mar 2027"]
    text = document_text(built)
    assert "1 restricted assessment is counted above but not named" in text
    assert "2 findings in all; 1 has no milestone answering it yet." in text


def test_grievances_by_channel_with_medians(built):
    def days(a, b):
        return (date.fromisoformat(b) - date.fromisoformat(a)).days

    rows = {r[0]: r[1:] for r in rows_of(built, "Channel")[1:]}
    period = [g for g in GRIEVANCES if g[1].startswith("2025-")]
    for channel in {g[0] for g in period}:
        mine = [g for g in period if g[0] == channel]
        ack = [days(g[1], g[2]) for g in mine]
        closed = [days(g[1], g[3]) for g in mine if g[3]]
        label = {"talktohumanrights": "Talk to Human Rights", "ucoc": "UCoC enforcement",
                 "emergency": "Emergency"}[channel]
        assert rows[label] == [
            str(len(mine)), str(len(ack)), f"{statistics.median(ack):g}", str(len(closed)),
            f"{statistics.median(closed):g}", str(len(mine) - len(closed))]
    assert rows["All channels"][0] == str(len(period))
    text = document_text(built)
    assert "1 restricted grievance is counted above." in text


def test_remedies_by_type(built):
    rows = {r[0]: r[1:] for r in rows_of(built, "Type of remedy")[1:]}
    assert rows == {
        "Apology": ["1", "1", "1"],
        "Policy change": ["1", "0", "0"],
        "Protection": ["1", "1", "0"],
        "Restoration": ["1", "1", "1"],
        "All remedies": ["4", "3", "2"],
    }


def test_restricted_register_records_absent_from_every_part(built, scenario):
    xml = all_xml(built)
    assert SECRET not in xml
    for name in ("issue6", "issue9", "secret_assessment"):
        assert scenario.ids[name] not in xml
    text = document_text(built)
    assert "2 restricted issues are counted above but not described" in text


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_public_report_trends_count_public_issues_only(scenario, tmp_path, suffix):
    from hrgov.ledger import Ledger
    from hrgov.report import write_report

    out = tmp_path / f"r{suffix}"
    write_report(Ledger.find(scenario.root), out, start="2025-01-01", end="2025-12-31",
                 today=TODAY, year=2025)
    text = out.read_text(encoding="utf-8")
    assert SECRET not in text
    public = [i for i in ISSUES if in_2025(i) and i.get("sensitivity") == "public"]
    assert f"{len(public)} issues marked public" in text
    for issue in ISSUES:
        assert issue["summary"] not in text  # counts only: no issue is described
    counted: dict[str, list[int]] = {}
    for issue in public:
        counted.setdefault(issue["category"], [0, 0, 0, 0])[
            (int(issue["reported"][5:7]) - 1) // 3] += 1
    for category, quarters in counted.items():
        cells = [NAMES[category], *map(str, quarters), str(sum(quarters))]
        if suffix == ".md":
            assert "| " + " | ".join(cells) + " |" in text
        else:
            assert "".join(f'<td dir="auto">{c}</td>' for c in cells) in text
    assert NAMES["harassment"] in text  # a public issue's category
    assert NAMES["privacy"] not in text  # internal issues only: not counted


def test_previous_period_of_the_same_length():
    from hrgov.briefing.data import Facts, period_between, period_for_year

    def previous(period):
        facts = Facts(period=period, day=TODAY, departments={}, instruments={}, commitments=[],
                      decisions=[], meetings=[], milestones=[])
        p = facts.previous_period
        return p.start.isoformat(), p.end.isoformat()

    assert previous(period_for_year(2025, "04-01")) == ("2024-04-01", "2025-03-31")
    assert previous(period_for_year(2025)) == ("2024-01-01", "2024-12-31")
    assert previous(period_between("2025-03-10", "2025-03-19")) == ("2025-02-28", "2025-03-09")


def test_annex_f_says_where_the_paper_answers_each_framework_question(built, scenario):
    """Every question of the UNGP Reporting Framework has a row, marked as ``hrgov disclose``
    marks it for the same commit and period, under its section with the paper's headings."""
    from hrgov.briefing.data import open_snapshot, period_for_year
    from hrgov.disclosure import Book, answer_framework, load_framework
    from hrgov.ledger import Ledger

    with open_snapshot(Ledger.find(scenario.root), today=TODAY) as snap:
        book = Book.load(snap.conn, period_for_year(2025), snap.day)
        expected = answer_framework(load_framework("ungprf"), book)
    rows = rows_of(built, "Question")
    groups = [row[0] for row in rows if row[0].startswith("Part ")]  # spanning rows
    marks = {row[0].split()[0]: row[1] for row in rows[1:] if row[0] not in groups}
    plain = {"answered": "Answered", "partly": "Partly", "not evaluable": "Not evaluable"}
    assert marks == {a.question.id: plain[a.mark] for a in expected.answers}
    assert len(marks) == 35
    assert "Part C · Remediation. In this paper: 6 Grievances and remedy; 6.3 Is the " \
        "grievance mechanism effective?" in groups
    assert any(g.startswith("Part C · Stakeholder engagement. In this paper: not in this "
                            "paper") for g in groups)
    text = document_text(built)
    annex = text[text.rindex("Annex F. Where this paper answers the UNGP Reporting"):]
    summary = expected.summary
    assert (f"{summary['answered']} answered, {summary['partly']} partly and "
            f"{summary['not evaluable']} not evaluable") in annex


def test_the_grievance_mechanism_is_held_against_guiding_principle_31(built):
    rows = rows_of(built, "Criterion (UNGP 31)")
    assert [row[0] for row in rows[1:]] == [
        "(a) Legitimate", "(b) Accessible", "(c) Predictable", "(d) Equitable",
        "(e) Transparent", "(f) Rights-compatible", "(g) A source of continuous learning",
        "(h) Based on engagement and dialogue"]
    received = [g for g in GRIEVANCES if g[1].startswith("2025")]
    accessible = rows[2][2]
    # the restricted grievance is counted (5 received in 2025, one of them restricted)...
    assert accessible.startswith(f"{len(received)} grievances (1 restricted, not described) "
                                 "through 3 channels")
    assert rows[8][1] == "Not evaluable"  # no engagement on the mechanism in the scenario
    assert rows[8][2].startswith("Not evaluable: no engagement")
    # ...and described nowhere
    assert SECRET not in all_xml(built)
