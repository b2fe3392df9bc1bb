"""What the commands print: CSV a spreadsheet opens safely, tables that fit the terminal."""

import csv
import io

import pytest


@pytest.fixture
def slipped(hrgov):
    for args in (
        ["log", "decision", "=HYPERLINK(\"https://evil.example\")", "--date", "2026-01-10",
         "--commitment", "ongoing-hrdd", "--commitment", "periodic-hria", "--owner", "legal"],
        ["milestone", "add", "--commitment", "ongoing-hrdd", "--due", "2030-01-31", "--",
         "-1 budget line"],
        ["milestone", "update", "MS-2026-0001", "--due", "2030-03-31", "--reason",
         "Vendor late"],
    ):
        assert hrgov(*args).code == 0
    return hrgov


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_cells_are_plain_text_and_never_formulas(slipped):
    decision = rows(slipped("list", "decisions", "--format", "csv").out)[0]
    assert decision["title"] == "'=HYPERLINK(\"https://evil.example\")"
    assert decision["commitments"] == "ongoing-hrdd; periodic-hria"
    milestone = rows(slipped("list", "milestones", "--format", "csv").out)[0]
    assert milestone["title"] == "'-1 budget line"
    today = milestone["slips"].split("(")[1][:10]
    assert milestone["slips"] == f"2030-01-31 → 2030-03-31 ({today}): Vendor late"
    history = rows(slipped("history", "MS-2026-0001", "--format", "csv").out)
    assert history[-1]["changes"].startswith("due: 2030-01-31 → 2030-03-31; slips: ")
    assert "{" not in slipped("history", "MS-2026-0001", "--format", "csv").out


def test_json_keeps_the_values_as_they_are(slipped):
    decision = slipped("list", "decisions", "--format", "json").json[0]
    assert decision["title"].startswith("=HYPERLINK")


@pytest.mark.parametrize("columns", [60, 100])
def test_tables_fit_the_terminal(slipped, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    out = slipped("list", "commitments").out
    assert max(len(line) for line in out.splitlines()) <= columns
    assert "ongoing-hrdd" in out  # ids are the last to give way


def test_a_table_into_a_file_keeps_its_width(slipped, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    out = slipped("list", "commitments").out
    assert max(len(line) for line in out.splitlines()) > 100


def test_an_exported_csv_imports_as_it_was_exported(slipped, tmp_path):
    exported = slipped("list", "decisions", "--format", "csv").out
    titles = [row["title"] for row in rows(exported)]
    assert titles == ["'=HYPERLINK(\"https://evil.example\")"]
    again = tmp_path / "again.csv"
    again.write_text("title,date\n" + "".join(f'"{t.replace(chr(34), chr(34) * 2)}",2026-01-11\n'
                                               for t in titles + ["'plain quote'"]))
    imported = slipped("import", "decisions", str(again))
    assert imported.code == 0, imported.err
    back = [d["title"] for d in slipped("list", "decisions", "--format", "json").json]
    assert back[1:] == ["=HYPERLINK(\"https://evil.example\")", "'plain quote'"]
