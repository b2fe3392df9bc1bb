"""``hrgov disclose``: a framework's questions answered from a ledger built through the
command line, with the right citations, the gaps named, and restricted records counted but
never quoted."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from hrgov.disclosure import FRAMEWORK_FILES, load_framework
from tests.conftest import AUTHOR, git, run_cli, state

CANARY = "Canary-7Q grievance text that must never be printed"


@pytest.fixture(scope="module")
def story(_template_ledger, tmp_path_factory):
    """One ledger, built once for the module: a salient harassment issue with a commitment, a
    decision, a milestone done, a completed assessment and an indicator; then (after ``before``)
    an engagement and a restricted grievance, closed."""
    root = tmp_path_factory.mktemp("disclose") / "ledger"
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

        cli("log", "issue", "Editors targeted by an off-wiki campaign", "--reported",
            "2026-03-01", "--category", "harassment", "--rightsholder", "volunteer",
            "--impact", "3", "--likelihood", "2", "--salient", "--commitment",
            "volunteer-harassment-free")
        cli("log", "decision", "Fund a harassment response team", "--date", "2026-03-05",
            "--commitment", "volunteer-harassment-free", "--rationale",
            "Response times were too slow to protect targets")
        milestone = cli("milestone", "add", "Response team staffed", "--commitment",
                        "volunteer-harassment-free", "--due", "2026-06-30")
        cli("milestone", "done", milestone, "--on", "2026-06-20")
        cli("log", "assessment", "Harassment impact assessment", "--subject", "enterprise",
            "--started", "2026-02-01", "--commitment", "volunteer-harassment-free")
        cli("assessment", "update", "HRIA-2026-01", "--status", "completed", "--completed",
            "2026-05-01")
        cli("indicator", "add", "harassment-response-days", "--title",
            "Median days to respond to a harassment report", "--unit", "days", "--category",
            "harassment", "--direction", "down", "--baseline", "21", "--baseline-on",
            "2026-01-31", "--target", "7", "--target-by", "2027-06-30")
        cli("indicator", "value", "harassment-response-days", "12", "--on", "2026-06-30",
            "--source", "Trust and Safety case log")
        before = git(root, "rev-parse", "HEAD").strip()
        cli("log", "engagement", "Focus groups on off-wiki harassment", "--date", "2026-04-02",
            "--stakeholders", "volunteer", "--method", "focus-group", "--category",
            "harassment", "--outcome", "Report form shortened")
        grievance = cli("log", "grievance", "--channel", "talktohumanrights", "--received",
                        "2026-04-10", "--summary", CANARY, "--issue", "HRI-2026-0001",
                        "--sensitivity", "restricted")
        cli("grievance", "stage", grievance, "acknowledged", "--on", "2026-04-12")
        cli("grievance", "stage", grievance, "closed", "--on", "2026-05-01", "--outcome",
            "upheld")
    return {"root": root, "before": before, "milestone": milestone, "grievance": grievance}


def disclose(story, *args):
    result = run_cli("--ledger", str(story["root"]), "disclose", *args)
    assert result.code == 0, result.err
    return result


def answers(found: dict) -> dict:
    return {a["id"]: a for a in found["answers"]}


def cited(answer: dict) -> set[str]:
    return {c["id"] for c in answer["citations"]}


def test_a_salient_issue_with_assessment_milestones_and_indicator_is_answered(story):
    found = disclose(story, "--framework", "ungprf", "--year", "2026", "--format",
                     "json").json
    assert found["commit"] == git(story["root"], "rev-parse", "HEAD").strip()
    assert [s["name"] for s in found["salient_issues"]] == ["Harassment"]
    by_id = answers(found)
    for question in ("C1", "C2", "C3", "C4", "C4.3", "C5", "C5.1"):
        assert by_id[question]["mark"] == "answered", (question, by_id[question]["missing"])
    assert cited(by_id["C1"]) == {"volunteer-harassment-free"}
    assert cited(by_id["C2"]) == {"ENG-2026-0001"}
    assert cited(by_id["C3"]) == {"HRIA-2026-01"}
    assert cited(by_id["C4"]) == {"D-2026-0001", story["milestone"]}
    assert cited(by_id["C5"]) == {"harassment-response-days"}
    assert any("baseline 21 days (2026-01-31)" in line and "improving" in line
               for line in by_id["C5"]["answer"])
    assert {a["mark"] for a in found["answers"]} <= {"answered", "partly", "not evaluable"}
    assert sum(found["summary"].values()) == len(found["answers"]) == 35


def test_without_the_engagement_c2_is_not_evaluable_and_names_the_issue(story):
    found = disclose(story, "--framework", "ungprf", "--year", "2026", "--as-of",
                     story["before"], "--format", "json").json
    assert found["commit"] == story["before"]
    by_id = answers(found)
    assert by_id["C2"]["mark"] == "not evaluable"
    assert by_id["C2"]["missing"] == ["no engagement recorded for salient issue 'Harassment'"]
    assert by_id["C2"]["citations"] == []
    assert by_id["C3"]["mark"] == "answered"  # the rest of the answers stand


def test_a_restricted_grievance_counts_in_the_scorecard_and_appears_nowhere(story, tmp_path):
    result = disclose(story, "--framework", "ungprf", "--year", "2026", "--format", "json",
                      "-o", str(tmp_path / "ungprf.md"))
    scorecard = {c["criterion"]: c for c in result.json["grievance_mechanism"]}
    assert len(scorecard) == 8
    assert scorecard["Accessible"]["status"] == "measured"
    assert ("1 grievance (1 restricted, not described) through 1 channel: "
            "Talk to Human Rights 1.") in scorecard["Accessible"]["figures"]
    assert scorecard["Predictable"]["figures"] == [
        "Median 2 days to acknowledge (1 acknowledged).", "Median 21 days to close (1 closed)."]
    assert scorecard["Legitimate"]["status"] == "measured"
    assert scorecard["Based on engagement and dialogue"]["status"] == "not evaluable"
    document = (tmp_path / "ungprf.md").read_text(encoding="utf-8")
    assert "Grievance mechanism: effectiveness criteria (UNGP 31)" in document
    for text in (result.out, document):
        assert CANARY not in text
        assert not re.search(rf"\b{story['grievance']}\b", text)  # not ENG-…
    assert "1 restricted, not described" in document


def test_the_answers_come_as_a_word_document_too(story, tmp_path):
    import docx

    out = tmp_path / "csddd.docx"
    disclose(story, "--framework", "csddd", "--from", "2026-01-01", "--to", "2026-12-31",
             "-o", str(out))
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(p.startswith("Art. 13") for p in paragraphs)
    assert any("Completeness: answered" in p for p in paragraphs)
    assert not any(CANARY in p for p in paragraphs)
    commit = git(story["root"], "rev-parse", "HEAD").strip()
    footer = document.sections[0].footer.paragraphs[0]
    assert f"CSDDD · ledger commit {commit[:10]}" in footer.text
    assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml  # Page X of Y
    completeness = document.tables[0]
    assert [c.text for c in completeness.rows[0].cells] == ["Question", "Section",
                                                            "Completeness"]
    assert "w:tblHeader" in completeness.rows[0]._tr.xml  # repeated on every page


def test_esrs_answers_each_requirement_with_its_equivalents(story):
    found = disclose(story, "--framework", "esrs", "--year", "2026", "--format", "json").json
    by_id = answers(found)
    assert by_id["S1-3"]["also"] == ["S2-3", "S3-3", "S4-3"]
    assert by_id["S1-2"]["mark"] == "answered"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--framework", "gri", "--year", "2026", "--format", "json"], "unknown framework"),
        (["--framework", "ungprf", "--year", "2026"], "say where the answers go"),
        (["--framework", "ungprf", "--year", "2026", "-o", "out.pdf"], "must end with .md"),
        (["--framework", "ungprf", "--year", "2026", "--from", "2026-01-01", "-o", "a.md"],
         "either --year or --from/--to"),
        (["--framework", "ungprf", "--year", "2026", "--as-of", "nonsense", "-o", "a.md"],
         "--as-of"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(story, tmp_path, args, message):
    before = state(story["root"])
    result = run_cli("--ledger", str(story["root"]), "disclose", *args)
    assert result.code == 2 and message in result.err, result.err
    assert result.err.count("\n") == 1 and result.err.startswith("hrgov: error:")
    assert state(story["root"]) == before and not list(tmp_path.glob("*.md"))


def test_the_frameworks_hold_the_published_question_ids():
    ungprf = [q.id for q in load_framework("ungprf").questions]
    assert ungprf == [
        "A1", "A1.1", "A1.2", "A1.3", "A2", "A2.1", "A2.2", "A2.3", "A2.4", "A2.5",
        "B1", "B2", "B3", "B4",
        "C1", "C1.1", "C2", "C2.1", "C2.2", "C2.3", "C3", "C3.1", "C3.2",
        "C4", "C4.1", "C4.2", "C4.3", "C5", "C5.1",
        "C6", "C6.1", "C6.2", "C6.3", "C6.4", "C6.5",
    ]
    questions = [q for q in load_framework("ungprf").questions if q.level != "focus"]
    assert len(questions) == 31 and sum(q.level == "overarching" for q in questions) == 8
    csddd = [q.id for q in load_framework("csddd").questions]
    assert csddd == [f"Art. {n}" for n in range(7, 17)]
    for name in FRAMEWORK_FILES:  # every question names measures that exist, and says why
        assert all(q.evidence and q.complete for q in load_framework(name).questions)


def test_engagements_and_indicators_keep_their_rules(hrgov, ledger_root):
    assert hrgov("indicator", "add", "reports-resolved", "--title", "Reports resolved",
                 "--unit", "%", "--baseline", "40", "--baseline-on", "2026-01-31",
                 "--target", "80", "--target-by", "2027-01-31").code == 0
    assert hrgov("indicator", "value", "reports-resolved", "50", "--on", "2026-06-30",
                 "--source", "case log").code == 0
    before = state(ledger_root)
    for args, message in [
        (("indicator", "value", "reports-resolved", "45", "--on", "2026-05-01", "--source",
          "case log"), "values must be in date order"),
        (("indicator", "target", "reports-resolved", "--target", "60"), "without a reason"),
        (("indicator", "add", "bad", "--title", "T", "--unit", "u", "--baseline", "3"),
         "--baseline and its date go together"),
        (("log", "engagement", "Call with jane.doe@example.org", "--date", "2026-04-02",
          "--stakeholders", "volunteer", "--method", "interview"), "an email address"),
        (("log", "engagement", "Consultation", "--date", "2026-04-02", "--stakeholders",
          "neighbours", "--method", "interview"), "not one of"),
    ]:
        result = hrgov(*args)
        assert result.code == 2 and message in result.err, (args, result.err)
        assert state(ledger_root) == before
    moved = hrgov("indicator", "target", "reports-resolved", "--target", "60", "--reason",
                  "Team halved", "-f", "json")
    assert moved.code == 0 and moved.json[0]["target"] == 60
    versions = hrgov("history", "reports-resolved", "-f", "json").json
    assert versions[-1]["reason"] == "Team halved"
    record = json.loads(hrgov("show", "reports-resolved", "-f", "json").out)
    record = record[0] if isinstance(record, list) else record
    assert record["values"] == [{"on": "2026-06-30", "source": "case log", "value": 50}]
    listed = hrgov("list", "indicators")
    assert listed.code == 0 and "reports-resolved" in listed.out and "60" in listed.out


def test_an_index_made_before_engagements_existed_is_rebuilt_to_hold_them(hrgov, ledger_root):
    import sqlite3

    db = sqlite3.connect(ledger_root / ".hrgov" / "ledger.db")
    with db:
        db.execute("DROP TABLE engagements")
        db.execute("UPDATE meta SET value = '5' WHERE key = 'schema'")
    db.close()
    logged = hrgov("log", "engagement", "Consultation", "--date", "2026-04-02",
                   "--stakeholders", "volunteer", "--method", "interview")
    assert logged.code == 0, logged.err
    assert [e["id"] for e in hrgov("list", "engagements", "-f", "json").json] == [
        "ENG-2026-0001"]


def test_the_answers_come_as_a_workbook_with_the_commit_on_each_sheet(story, tmp_path):
    import openpyxl

    out = tmp_path / "ungprf.xlsx"
    found = disclose(story, "--framework", "ungprf", "--year", "2026", "-o", str(out),
                     "--format", "json").json
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Questions", "GP31 scorecard"]
    for sheet in book:
        assert f"ledger commit {found['commit']}" in sheet["A1"].value
    questions = book["Questions"]
    header = [c.value for c in questions[2]]
    assert header[:2] == ["Question", "Also"] and "What is missing" in header
    rows = {r[0]: dict(zip(header, r, strict=True))
            for r in questions.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 35
    assert rows["C2"]["Completeness"] == "answered"
    assert rows["C2"]["Citations"] == "Focus groups on off-wiki harassment (ENG-2026-0001)"
    assert rows["C5"]["Answer"].startswith("Median days to respond to a harassment report: "
                                           "baseline 21 days (2026-01-31)")
    assert rows["A2.3"]["Completeness"] == "not evaluable"
    assert rows["A2.3"]["What is missing"].startswith("no engagement with staff")
    scorecard = list(book["GP31 scorecard"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in scorecard] == [f"UNGP 31({k})" for k in "abcdefgh"]
    assert scorecard[2][2] == "measured" and "Median 2 days to acknowledge" in scorecard[2][3]
    every = " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for c in row if c)
    assert CANARY not in every and not re.search(rf"\b{story['grievance']}\b", every)


def test_every_measure_is_declared_once_and_used():
    from hrgov.disclosure import MEASURES, declared

    used = {m for name in FRAMEWORK_FILES for q in load_framework(name).questions
            for m in q.evidence}
    assert used == set(MEASURES)
    with pytest.raises(Exception, match="measure bad: judge 'most'"):
        declared("bad", {"records": "engagements", "judge": "most", "says": []})


def test_the_library_api_the_board_paper_and_audit_view_call(story):
    from hrgov.briefing.data import open_snapshot
    from hrgov.disclosure import Book, answer_framework, grievance_scorecard
    from hrgov.ledger import Ledger

    ledger = Ledger.find(story["root"])
    with open_snapshot(ledger, None) as snap:
        book = Book.load(snap.conn, _year(2026), snap.day)
        by_name = answer_framework("ungprf", book)
        by_framework = answer_framework(load_framework("ungprf"), book)
        scorecard = grievance_scorecard(book)
    assert [(a.question.id, a.mark) for a in by_name.answers] == [
        (a.question.id, a.mark) for a in by_framework.answers]
    assert by_name.summary == {"answered": 26, "partly": 1, "not evaluable": 8}
    assert [c.key for c in scorecard] == list("abcdefgh")
    from hrgov import disclosure, disclosure_documents  # the names callers used still work

    assert disclosure.build_document is disclosure_documents.build_document
    assert disclosure.write_docx is disclosure_documents.write_docx


def _year(year):
    from hrgov.briefing.data import period_between

    return period_between(f"{year}-01-01", f"{year}-12-31")
