"""Framework references on records (``framework_refs``): any record can say which framework
questions it answers; the rule book refuses a reference that names no question; ``disclose``
cites the record under that question, and counts a restricted one without quoting it."""

from __future__ import annotations

import re

import pytest

from hrgov.rules import Circumstances, Records, check
from tests.conftest import AUTHOR, run_cli, state

SECRET = "Canary-R9 restricted decision title"


@pytest.fixture(scope="module")
def refs(_template_ledger, tmp_path_factory):
    """A small ledger: a decision referenced to UNGPRF A2.3 (which nothing else answers) and
    C4, a restricted decision referenced to A2.3, an engagement referenced as it is logged."""
    import shutil

    root = tmp_path_factory.mktemp("refs") / "ledger"
    shutil.copytree(_template_ledger, root, symlinks=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HRGOV_AUTHOR", AUTHOR)
        patch.setenv("GIT_CONFIG_GLOBAL", str(root.parent / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        (root.parent / "gitconfig").write_text("")

        def cli(*args):
            result = run_cli("--ledger", str(root), *args)
            assert result.code == 0, result.err
            return result.out.strip()

        cli("log", "decision", "Brief all staff on the policy", "--date", "2026-03-05")
        cli("log", "decision", SECRET, "--date", "2026-03-06", "--sensitivity", "restricted")
        cli("framework-ref", "D-2026-0001", "ungprf:A2.3", "UNGPRF:c4")
        cli("framework-ref", "D-2026-0002", "ungprf:A2.3")
        engagement = cli("log", "engagement", "Consultation on the policy", "--date",
                         "2026-04-02", "--stakeholders", "staff", "--method", "survey",
                         "--framework-ref", "csddd:art.13", "--framework-ref", "esrs:S2-2")
    return {"root": root, "engagement": engagement}


def cli(refs, *args):
    return run_cli("--ledger", str(refs["root"]), *args)


def answers(refs, framework):
    result = cli(refs, "disclose", "--framework", framework, "--year", "2026", "--format",
                 "json")
    assert result.code == 0, result.err
    return {a["id"]: a for a in result.json["answers"]}, result.out


def test_references_are_kept_as_the_framework_spells_them(refs):
    shown = cli(refs, "show", "D-2026-0001", "-f", "json").json
    shown = shown[0] if isinstance(shown, list) else shown
    assert shown["framework_refs"] == ["ungprf:A2.3", "ungprf:C4"]
    logged = cli(refs, "show", refs["engagement"], "-f", "json").json
    logged = logged[0] if isinstance(logged, list) else logged
    assert logged["framework_refs"] == ["csddd:Art. 13", "esrs:S2-2"]


def test_disclose_cites_a_referenced_record_under_its_question(refs):
    by_id, out = answers(refs, "ungprf")
    a23 = by_id["A2.3"]
    # the survey of staff answers A2.3 through its measure; the references add the decisions
    assert "D-2026-0001" in {c["id"] for c in a23["citations"]}
    assert any("2 records (1 restricted, not described) say it answers this question" in line
               for line in a23["answer"])
    assert "D-2026-0001" in {c["id"] for c in by_id["C4"]["citations"]}
    assert "D-2026-0001" not in {c["id"] for c in by_id["C5"]["citations"]}
    assert SECRET not in out and not re.search(r"\bD-2026-0002\b", out)


def test_a_reference_makes_an_otherwise_unanswered_question_partly_answered(refs):
    by_id, _ = answers(refs, "ungprf")
    assert by_id["C4"]["mark"] == "partly"  # no salient issue: the measures find nothing
    assert by_id["C5"]["mark"] == "not evaluable"
    esrs, _ = answers(refs, "esrs")
    assert refs["engagement"] in {c["id"] for c in esrs["S1-2"]["citations"]}  # via S2-2
    csddd, _ = answers(refs, "csddd")
    assert refs["engagement"] in {c["id"] for c in csddd["Art. 13"]["citations"]}


@pytest.mark.parametrize(
    "args, message",
    [
        (("framework-ref", "D-2026-0001", "ungprf:C9"), "no question C9 in ungprf"),
        (("framework-ref", "D-2026-0001", "gri:2-23"), "names no framework 'gri'"),
        (("framework-ref", "D-2026-0001", "C4"), "is not a framework reference"),
        (("framework-ref", "D-2026-0001", "ungprf:C5", "--remove"), "carries no reference"),
        (("framework-ref", "D-2026-9999", "ungprf:C5"), "D-2026-9999"),
        (("edit", "D-2026-0001", "framework_refs=ungprf:A1; ungprf:Z1", "--reason", "Cite"),
         "no question Z1 in ungprf"),
        (("indicator", "add", "staff-briefed", "--title", "Staff briefed", "--unit", "%",
          "--framework-ref", "esrs:S9-1"), "no question S9-1 in esrs"),
        (("log", "engagement", "Survey", "--date", "2026-05-01", "--stakeholders", "staff",
          "--method", "survey", "--framework-ref", "csddd:Art. 99"), "no question Art. 99"),
        (("log", "decision", "Screen launches", "--date", "2026-05-01", "--framework-ref",
          "ungprf:C9"), "no question C9 in ungprf"),
        (("milestone", "add", "Checklist", "--commitment", "ongoing-hrdd", "--due",
          "2026-09-30", "--framework-ref", "nope:C4"), "nope"),
    ],
)
def test_an_unknown_reference_is_refused_in_one_line_and_nothing_changes(refs, args, message):
    before = state(refs["root"])
    result = cli(refs, *args)
    assert result.code == 2 and message in result.err, result.err
    assert result.err.count("\n") == 1 and result.err.startswith("hrgov: error:")
    assert state(refs["root"]) == before


def test_a_decision_and_a_milestone_carry_references_from_the_moment_they_are_logged(hrgov):
    logged = hrgov("log", "decision", "Screen launches", "--date", "2026-05-01",
                   "--framework-ref", "UNGPRF:c4", "-f", "json")
    assert logged.code == 0, logged.err
    assert logged.json[0]["framework_refs"] == ["ungprf:C4"]
    added = hrgov("milestone", "add", "Checklist", "--commitment", "ongoing-hrdd", "--due",
                  "2026-09-30", "--framework-ref", "ungprf:C4.1", "-f", "json")
    assert added.code == 0, added.err
    assert added.json[0]["framework_refs"] == ["ungprf:C4.1"]


def test_a_reference_can_be_removed(hrgov):
    assert hrgov("log", "decision", "Brief staff", "--date", "2026-03-05").code == 0
    assert hrgov("framework-ref", "D-2026-0001", "ungprf:C4", "ungprf:C5").code == 0
    removed = hrgov("framework-ref", "D-2026-0001", "ungprf:C4", "--remove", "-f", "json")
    assert removed.code == 0, removed.err
    assert removed.json[0]["framework_refs"] == ["ungprf:C5"]


def test_the_rule_book_judges_only_references_a_change_adds():
    old = {"kind": "department", "id": "legal", "name": "Legal", "sensitivity": "internal",
           "framework_refs": ["ungprf:X9"]}  # accepted under an earlier mapping
    kept = check(old, {**old, "name": "Legal team"}, Records({}), Circumstances())
    assert kept == []
    twice = check(None, {**old, "framework_refs": ["ungprf:C4", "ungprf:C4"]}, Records({}),
                  Circumstances())
    assert [b.message for b in twice] == ["framework_refs lists ungprf:C4 twice"]


def test_a_record_text_that_looks_like_a_formula_stays_text_in_the_workbook(hrgov, tmp_path):
    import openpyxl

    assert hrgov("log", "decision", '=HYPERLINK("http://example.org","x")', "--date",
                 "2026-03-05").code == 0
    assert hrgov("framework-ref", "D-2026-0001", "ungprf:A2.5").code == 0
    out = tmp_path / "refs.xlsx"
    assert hrgov("disclose", "--framework", "ungprf", "--year", "2026", "-o", str(out)).code == 0
    rows = {r[0].value: r for r in openpyxl.load_workbook(out)["Questions"].iter_rows(min_row=3)}
    citations = rows["A2.5"][8]
    assert citations.value == '=HYPERLINK("http://example.org","x") (D-2026-0001)'
    assert citations.data_type == "s"
