"""``hrgov brief|agenda|report`` through their Typer app, and ``verify --contains``'s library."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hrgov.errors import InvalidInput

from .conftest import SECRET, TODAY, document_text


def invoke(root, *args):
    from typer.testing import CliRunner

    from hrgov.commands import State
    from hrgov.commands.brief import app

    return CliRunner().invoke(app, list(args), obj=State(ledger=root, author=None, quiet=True))


def test_brief_command_writes_the_year(scenario, tmp_path):
    out = tmp_path / "board.docx"
    result = invoke(scenario.root, "brief", "--year", "2025", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    text = document_text(out)
    assert "Reporting period: 1 January \u2013 31 December 2025" in text
    assert scenario.head[:10] in text


def test_brief_workbook_holds_the_figures_behind_the_paper(scenario, tmp_path):
    """``--workbook``: one sheet per table, reopened with openpyxl; the full lists the paper
    cuts to ten; restricted records counted in the figures and listed nowhere."""
    from openpyxl import load_workbook

    from hrgov.briefing.data import Facts, open_snapshot, period_for_year
    from hrgov.ledger import Ledger

    out, book = tmp_path / "board.docx", tmp_path / "figures.xlsx"
    result = invoke(scenario.root, "brief", "--year", "2025", "-o", str(out), "--workbook",
                    str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [str(out), str(book)]
    sheets = load_workbook(book).worksheets
    names = [s.title for s in sheets]
    assert names[:4] == ["About", "Figures", "Commitments", "Overdue"]
    assert "UNGPRF" in names and "Grievance mechanism" in names
    cells = {s.title: [[c.value for c in row] for row in s.iter_rows()] for s in sheets}
    assert cells["About"][1] == ["Ledger commit", scenario.head]
    with open_snapshot(Ledger.find(scenario.root)) as snap:
        facts = Facts.load(snap.conn, period_for_year(2025), snap.day)
        figures = {f.name: f for f in facts.headline_figures()}
    for name, _, value, restricted, ids in cells["Figures"][1:]:
        assert (value, restricted) == (figures[name].value, figures[name].restricted)
        assert (ids or "").split("; ") == (figures[name].public_ids or [""])
    overdue = [row[1] for row in cells["Overdue"][1:]]
    assert overdue == [m["id"] for m in facts.overdue if m.get("sensitivity") != "restricted"]
    assert scenario.ids["secret_milestone"] not in overdue  # counted, never listed
    assert SECRET not in repr(cells)


def test_brief_workbook_bad_path_writes_nothing(scenario, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "board.docx"
    result = invoke(scenario.root, "brief", "--year", "2025", "-o", str(out), "--workbook",
                    str(tmp_path / "figures.csv"))
    assert isinstance(result.exception, InvalidInput)  # exit 2, one line (hrgov.commands)
    assert f"--workbook {tmp_path / 'figures.csv'} must end with .xlsx" in str(result.exception)
    assert list(tmp_path.iterdir()) == []  # not even the .docx


def test_brief_command_refuses_two_periods_and_none(scenario, tmp_path):
    out = tmp_path / "b.docx"
    both = invoke(scenario.root, "brief", "--year", "2025", "--from", "2025-01-01", "--to",
                  "2025-02-01", "-o", str(out))
    assert isinstance(both.exception, InvalidInput)
    assert "either --year or --from/--to" in str(both.exception)
    neither = invoke(scenario.root, "brief", "-o", str(out))
    assert "say which period" in str(neither.exception)
    assert not out.exists()


def test_help_has_examples():
    from typer.testing import CliRunner

    from hrgov.commands.brief import app

    for command in ("brief", "agenda", "report"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output and f"hrgov {command} " in result.output


def test_commands_module_loads_no_heavy_library():
    code = (
        "import sys, hrgov.commands.brief; "
        "bad = [m for m in ('docx', 'matplotlib', 'lxml', 'hrgov.briefing.word') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# ---- the agenda ----------------------------------------------------------------------------


def test_agenda_markdown(scenario, tmp_path):
    from hrgov.agenda import write_agenda
    from hrgov.ledger import Ledger

    out = tmp_path / "agenda.md"
    write_agenda(Ledger.find(scenario.root), out, meeting_date="2025-12-18", today=TODAY)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Human Rights Steering Committee: agenda for 18 December 2025")
    # Matters arising: the last Steering Committee meeting and its decisions.
    assert "meeting of 6 February 2025" in text
    # Titles before ids, states in plain words (the Board paper's language).
    assert f"Commission an independent impact assessment ({scenario.ids['hria']})" in text
    # Milestones overdue or due by the meeting, by owner; the restricted one only counted.
    assert "### Legal" in text and f"Draft the public report ({scenario.ids['draft']})" in text
    assert "In progress, 80 days overdue" in text and "in-progress" not in text
    assert "Also 1 restricted milestone, not named here" in text
    # The decision whose review date (30 Sep 2025) has come.
    assert "## Decisions due for review" in text and "30 Sep 2025" in text
    assert SECRET not in text
    assert scenario.head[:10] in text


def test_agenda_docx_uses_the_template(scenario, tmp_path):
    from docx import Document

    out = tmp_path / "agenda.docx"
    result = invoke(scenario.root, "agenda", "--meeting-date", "2025-12-18", "-o", str(out))
    assert result.exit_code == 0, result.output
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Milestones overdue or due by the meeting" in headings
    assert "Commitments off track" in headings
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert scenario.head[:10] in footer
    assert SECRET not in document_text(out)


def test_agenda_bad_input(scenario, tmp_path):
    from hrgov.agenda import write_agenda
    from hrgov.ledger import Ledger

    with pytest.raises(InvalidInput, match="^meeting_date '18/12/2025' is not a date"):
        write_agenda(Ledger.find(scenario.root), tmp_path / "a.md", meeting_date="18/12/2025")
    with pytest.raises(InvalidInput, match="must end with .md or .docx"):
        write_agenda(Ledger.find(scenario.root), tmp_path / "a.txt", meeting_date="2025-12-18")


# ---- the public report ---------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_public_report_holds_only_public_records(scenario, tmp_path, suffix):
    out = tmp_path / f"progress{suffix}"
    result = invoke(scenario.root, "report", "--public", "--year", "2025", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Publish an annual public progress report" in text  # public decision
    assert "Draft the public report" in text  # public milestone
    assert "Commission an independent impact assessment" not in text  # internal
    assert "Select an independent assessor" not in text  # internal
    assert SECRET not in text
    for name in ("General Counsel", "Committee Secretary", "secretary@example.org",
                 "Chief Executive"):
        assert name not in text  # no names of people
    assert scenario.head[:10] in text
    assert f"hrgov verify --contains {scenario.head[:10]}" in text
    if suffix == ".html":
        assert text.startswith("<!DOCTYPE html>") and "<script" not in text


def test_public_report_says_when_its_data_begins(scenario, tmp_path):
    """The scenario's first dated record is an issue reported on 10 May 2024."""
    covered = tmp_path / "2025.md"
    assert invoke(scenario.root, "report", "--public", "--year", "2025", "-o",
                  str(covered)).exit_code == 0
    assert ("The ledger's data begins on 10 May 2024, before the period: the whole period is "
            "covered.") in covered.read_text(encoding="utf-8")
    partial = tmp_path / "2024.md"
    assert invoke(scenario.root, "report", "--public", "--year", "2024", "-o",
                  str(partial)).exit_code == 0
    text = partial.read_text(encoding="utf-8")
    assert "The ledger's data begins on 10 May 2024: the period before then is not " \
        "covered" in text


def test_report_needs_public_flag(scenario, tmp_path):
    result = invoke(scenario.root, "report", "--year", "2025", "-o", str(tmp_path / "r.md"))
    assert isinstance(result.exception, InvalidInput)


def test_report_escapes_markup():
    from hrgov.briefing.blocks import Doc, md_escape, to_html

    doc = Doc("<script>alert(1)</script>")
    doc.para("a | b * c \x01")
    assert "<script>" not in to_html(doc)
    assert md_escape("a | b * c \x01") == "a \\| b \\* c"


# ---- provenance ----------------------------------------------------------------------------


def test_verify_contains(scenario):
    from hrgov.commands.maintenance import describe
    from hrgov.errors import NotInHistory
    from hrgov.ledger import Ledger
    from hrgov.ledger import contains as found_in

    def contains(root, revision):
        return found_in(Ledger(root), revision)

    found = contains(scenario.root, scenario.since[:10])
    assert found["commit"] == scenario.since
    assert found["made_by_hrgov"] is True
    assert "is in this ledger's history" in describe(found)
    with pytest.raises(NotInHistory) as missing:
        contains(scenario.root, "0123456789abcdef")
    assert missing.value.exit_code == 1
    with pytest.raises(InvalidInput):
        contains(scenario.root, "--upload-pack=evil")
    with pytest.raises(InvalidInput):
        contains(scenario.root, "2025-06-01")  # a date is not a commit


def test_annex_c_command_rebuilds_the_same_bytes(scenario, tmp_path):
    """The status date (20 December) differs from the commit's day (19 December) and from the
    day the copy is rebuilt: the command in Annex C still gives identical bytes."""
    import shlex

    from hrgov.briefing import write_brief
    from hrgov.ledger import Ledger

    original = tmp_path / "board.docx"
    write_brief(Ledger.find(scenario.root), original, start="2025-01-01", end="2025-12-31",
                year=2025, since=scenario.since, today=TODAY)
    text = document_text(original)
    annex = text[text.rindex("Annex C. How to verify"):]
    line = next(x for x in annex.splitlines() if x.startswith("SOURCE_DATE_EPOCH="))
    assert "--status-date 2025-12-20" in line and f"--as-of {scenario.head[:10]}" in line
    assert "status as at 20 December 2025" in text  # the provenance line (cover, footer)
    words = shlex.split(line)
    epoch = words[0].split("=")[1]
    assert words[1:3] == ["hrgov", "brief"] and words[-2:] == ["-o", "copy.docx"]
    copy = tmp_path / "copy.docx"
    from typer.testing import CliRunner

    from hrgov.commands import State
    from hrgov.commands.brief import app

    result = CliRunner().invoke(app, ["brief", *words[3:-1], str(copy)],
                                obj=State(ledger=scenario.root, author=None, quiet=True),
                                env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.output
    assert copy.read_bytes() == original.read_bytes()


def test_a_status_date_after_the_build_day_is_refused(scenario, tmp_path):
    out = tmp_path / "b.docx"
    result = invoke(scenario.root, "brief", "--year", "2025", "--status-date", "2999-01-01",
                    "-o", str(out))
    assert isinstance(result.exception, InvalidInput)
    assert "--status-date 2999-01-01 is after the day the briefing is built" in str(
        result.exception)
    assert not out.exists()
