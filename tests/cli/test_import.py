"""``hrgov import KIND FILE``: a spreadsheet comes in as one commit, or nothing is written and
every bad line is named."""

import csv
import json
import re

import pytest
import typer

from tests.conftest import (
    AUTHOR,
    commit_count,
    git,
    head,
    porcelain,
    rebuilt_snapshot,
    run_cli,
    snapshot,
    state,
)


@pytest.fixture(autouse=True)
def _import_registered(monkeypatch):
    """``hrgov`` with the import command, whether or not commands/__init__ registers it yet:
    the real global options, error handling and exit codes, plus ``import``, ``list``/``show``."""
    from hrgov import commands
    from hrgov.commands import importing, read

    root = typer.Typer(
        name="hrgov", rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False
    )
    root.callback()(commands.main_options)
    root.add_typer(importing.app)
    root.add_typer(read.app)
    monkeypatch.setattr(commands, "app", root)


@pytest.fixture
def write_csv(tmp_path):
    """``write_csv(name, header, rows)`` writes a CSV (UTF-8 with a BOM, as Excel saves it)."""

    def write(name, header, rows, *, bom=True):
        path = tmp_path / name
        with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


def hrgov_import(root, *args, stdin=""):
    return run_cli("--ledger", str(root), "import", *args, stdin=stdin)


def last_message(root):
    return git(root, "log", "-1", "--format=%an <%ae>%n%B")


def read_record(root, record_id):
    result = run_cli("--ledger", str(root), "show", record_id, "--format", "json")
    assert result.code == 0, result.err
    return result.json[0]


def error_lines(err):
    return [line for line in err.splitlines() if line]


# ---- a good file ---------------------------------------------------------------------------


def test_a_good_csv_of_decisions_is_one_commit_with_trailers(ledger_root, write_csv):
    path = write_csv(
        "décisions 2025.csv",
        ["title", "date", "status", "commitments", "owner", "text", "review_by"],
        [
            ["Adopt screening for new features", "2025-03-04", "adopted",
             "ongoing-hrdd; follow-ungps", "legal", "Le comité décide…\nSecond line.", ""],
            ["Protéger les bénévoles à risque — 保护志愿者", "2025-06-10", "proposed",
             "at-risk-volunteer-due-diligence", "", "", "2026-01-31"],
            ["Publish the annual update", "2026-01-15", "adopted", "", "executive", "", ""],
        ],
    )
    before = commit_count(ledger_root)
    result = hrgov_import(ledger_root, "decisions", str(path))
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["D-2025-0001", "D-2025-0002", "D-2026-0001"]
    assert commit_count(ledger_root) == before + 1
    assert re.match(r"Imported 3 new decisions in commit [0-9a-f]{10}\n", result.err)
    message = last_message(ledger_root)
    assert message.startswith(AUTHOR + "\nimport 3 decisions from décisions 2025.csv\n")
    assert "Hrgov-Command: import\n" in message
    for record_id in ("D-2025-0001", "D-2025-0002", "D-2026-0001"):
        assert f"Hrgov-Record: {record_id}\n" in message
    assert "Hrgov-Reason:" not in message  # no reason given: the subject says where from
    first = read_record(ledger_root, "D-2025-0001")
    assert first["commitments"] == ["ongoing-hrdd", "follow-ungps"]
    assert first["text"] == "Le comité décide…\nSecond line."
    assert first["sensitivity"] == "internal"
    second = read_record(ledger_root, "D-2025-0002")
    assert second["title"] == "Protéger les bénévoles à risque — 保护志愿者"
    assert second["status"] == "proposed" and "owner" not in second
    assert second["review_by"] == "2026-01-31"
    raw = (ledger_root / "records/decisions/2025/D-2025-0002.json").read_text(encoding="utf-8")
    assert "保护志愿者" in raw  # kept as written, not \\u-escaped
    assert porcelain(ledger_root) == ""


def test_the_index_after_an_import_equals_a_rebuild(ledger_root, write_csv, tmp_path):
    path = write_csv("d.csv", ["title", "date", "status", "commitments"],
                     [[f"Decision {i}", "2025-05-01", "adopted", "ongoing-hrdd"] for i in range(5)])
    assert hrgov_import(ledger_root, "decisions", str(path)).code == 0
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)


def test_json_output_is_the_records_written(ledger_root, write_csv):
    path = write_csv("d.csv", ["title", "date", "status"], [["A", "2025-02-01", "adopted"]])
    result = hrgov_import(ledger_root, "decisions", str(path), "--format", "json")
    assert result.code == 0, result.err
    assert result.json == [
        {"kind": "decision", "id": "D-2025-0001", "title": "A", "date": "2025-02-01",
         "status": "adopted", "sensitivity": "internal"}
    ]


def test_stdin_and_a_file_without_bom(ledger_root):
    text = "id,name,lead_role,active\ndata-protection,Data Protection,DPO,yes\nethics,Ethics,,0\n"
    result = hrgov_import(ledger_root, "departments", "-", stdin=text)
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["data-protection", "ethics"]
    assert read_record(ledger_root, "data-protection")["active"] is True
    assert read_record(ledger_root, "ethics")["active"] is False
    assert "import 2 departments from stdin\n" in last_message(ledger_root)


def test_meetings_get_their_ids_from_their_dates(ledger_root, write_csv):
    path = write_csv(
        "meetings.csv",
        ["date", "body", "attendees", "quorum"],
        [
            ["2025-03-04", "steering-committee", "General Counsel; CPO", "true"],
            ["2025-03-04", "board", "", "no"],
            ["2025-04-01", "Steering-Committee", "", ""],
        ],
    )
    result = hrgov_import(ledger_root, "meetings", str(path))
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["MTG-2025-03-04", "MTG-2025-03-04-2", "MTG-2025-04-01"]
    first = read_record(ledger_root, "MTG-2025-03-04")
    assert first["attendees"] == ["General Counsel", "CPO"] and first["quorum"] is True


def test_links_may_name_records_earlier_in_the_same_file(ledger_root, write_csv):
    path = write_csv(
        "d.csv",
        ["id", "title", "date", "status", "supersedes", "superseded_by"],
        [
            ["D-2025-0007", "Old rule", "2025-01-10", "superseded", "", "D-2025-0008"],
            ["", "New rule", "2025-02-10", "adopted", "D-2025-0007", ""],
        ],
    )
    result = hrgov_import(ledger_root, "decisions", str(path))
    assert result.code == 0, result.err
    # an assigned id never takes one the file gives
    assert result.out.splitlines() == ["D-2025-0007", "D-2025-0008"]
    assert read_record(ledger_root, "D-2025-0008")["supersedes"] == "D-2025-0007"


def test_milestones_and_commitments_import_too(ledger_root, write_csv):
    commitments = write_csv(
        "c.csv", ["id", "title", "owner", "status", "instruments"],
        [["volunteer-safety-fund", "Fund volunteer safety", "trust-and-safety", "active", ""]],
    )
    assert hrgov_import(ledger_root, "commitments", str(commitments)).code == 0
    milestones = write_csv(
        "m.csv", ["title", "commitment", "due", "original_due", "status", "evidence", "done_on"],
        [["Set up the fund", "volunteer-safety-fund", "2026-05-01", "2026-05-01", "done",
          "https://example.org/a; https://example.org/b", "2026-05-20"]],
    )
    result = hrgov_import(ledger_root, "milestones", str(milestones))
    assert result.code == 0, result.err
    record = read_record(ledger_root, result.out.strip())
    assert record["evidence"] == ["https://example.org/a", "https://example.org/b"]
    assert record["id"].startswith("MS-")


def test_the_registers_import_generically(ledger_root, write_csv):
    issues = write_csv(
        "issues.csv",
        ["summary", "reported", "category", "subcategory", "impact", "likelihood", "salient",
         "status", "commitments", "board_example"],
        [["Project blocked in one country", "2025-04-02", "freedom-of-expression",
          "Project blocking", "3", "2", "yes", "open", "ongoing-hrdd", "no"]],
    )
    result = hrgov_import(ledger_root, "issues", str(issues))
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["HRI-2025-0001"]  # the year it was reported
    issue = read_record(ledger_root, "HRI-2025-0001")
    assert (issue["impact"], issue["likelihood"], issue["salient"]) == (3, 2, True)
    assert issue["board_example"] is False
    assessments = write_csv(
        "a.csv", ["title", "subject", "phase", "status", "findings"],
        [["Screening of the upload feature", "feature", "2", "in-progress",
          '[{"finding": "Uploads reveal location metadata", "severity": "high"}]']],
    )
    result = hrgov_import(ledger_root, "assessments", str(assessments))
    assert result.code == 0, result.err
    (assessment_id,) = result.out.splitlines()
    assert re.fullmatch(r"HRIA-\d{4}-01", assessment_id)  # two digits, the current year
    assert read_record(ledger_root, assessment_id)["findings"][0]["severity"] == "high"
    grievances = write_csv(
        "g.csv", ["channel", "received", "stage", "issue"],
        [["talktohumanrights", "2025-05-01", "acknowledged", "HRI-2025-0001"]],
    )
    assert hrgov_import(ledger_root, "grievances", str(grievances)).code == 0
    backwards = write_csv("back.csv", ["id", "stage"], [["G-2025-0001", "received"]])
    result = hrgov_import(ledger_root, "grievances", str(backwards), "--update")
    assert result.code == 2
    assert "G-2025-0001: cannot go from acknowledged to received" in result.err


def test_contact_details_are_refused_where_the_commands_refuse_them(ledger_root, write_csv):
    path = write_csv(
        "issues.csv", ["summary", "reported", "category", "status"],
        [["Threats reported by jane@example.org", "2025-04-02", "safety-of-defenders", "open"],
         ["Volunteer V-17 threatened", "2025-04-03", "safety-of-defenders", "open"]],
    )
    before = state(ledger_root)
    result = hrgov_import(ledger_root, "issues", str(path))
    assert result.code == 2
    (line,) = error_lines(result.err)
    assert line.startswith(f"hrgov: error: {path} line 2: HRI-2025-0001: summary contains "
                           "what looks like an email address")
    assert state(ledger_root) == before
    allowed = hrgov_import(ledger_root, "issues", str(path), "--allow-personal-data")
    assert allowed.code == 0, allowed.err
    assert allowed.out.splitlines() == ["HRI-2025-0001", "HRI-2025-0002"]


# ---- bad files: nothing written, every bad line named -------------------------------------


def test_three_bad_rows_are_all_named_and_nothing_is_written(ledger_root, write_csv):
    path = write_csv(
        "decisions.csv",
        ["title", "date", "status", "commitments"],
        [
            ["Fine", "2025-03-04", "adopted", "ongoing-hrdd"],
            ["Unknown commitment", "2025-03-04", "adopted", "ongoing-hrdd;no-such-commitment"],
            ["Fine too", "2025-03-05", "adopted", ""],
            ["Impossible date", "2025-02-30", "adopted", ""],
            ["", "2025-03-06", "adopted", "follow-ungps"],
        ],
    )
    before = state(ledger_root)
    result = hrgov_import(ledger_root, "decisions", str(path))
    assert result.code == 2
    assert result.out == ""
    lines = error_lines(result.err)
    assert len(lines) == 3, result.err
    assert lines[0].startswith(f"hrgov: error: {path} line 3: D-2025-0002: commitments: "
                               "no commitment no-such-commitment")
    assert lines[1] == f"hrgov: error: {path} line 5: date '2025-02-30' is not a real date"
    assert lines[2] == f"hrgov: error: {path} line 6: title is required"
    assert state(ledger_root) == before


def test_a_row_with_several_problems_is_one_line_naming_them_all(ledger_root, write_csv):
    path = write_csv("d.csv", ["title", "date", "status", "owner"],
                     [["", "2025-13-01", "approved", "nobody"]])
    result = hrgov_import(ledger_root, "decisions", str(path))
    assert result.code == 2
    (line,) = error_lines(result.err)
    assert line.startswith(f"hrgov: error: {path} line 2: ")
    for part in ("date '2025-13-01' is not a real date", "status 'approved' is not one of",
                 "title is required"):
        assert part in line


def test_line_numbers_count_physical_lines_of_multi_line_cells(ledger_root, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        'title,date,status,text\n'
        'A,2025-01-01,adopted,"one\ntwo\nthree"\n'
        '\n'
        'B,2025-01-32,adopted,\n',
        encoding="utf-8",
    )
    result = hrgov_import(ledger_root, "decisions", str(path))
    assert result.code == 2
    assert error_lines(result.err) == [
        f"hrgov: error: {path} line 6: date '2025-01-32' is not a real date"
    ]


def test_dry_run_writes_nothing(ledger_root, write_csv):
    path = write_csv("d.csv", ["title", "date", "status", "commitments"],
                     [["A", "2025-02-01", "adopted", "ongoing-hrdd"],
                      ["B", "2025-02-02", "proposed", ""]])
    before = state(ledger_root)
    result = hrgov_import(ledger_root, "decisions", str(path), "--dry-run")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["D-2025-0001", "D-2025-0002"]
    assert result.err == "Dry run, nothing written: would import 2 new decisions\n"
    assert state(ledger_root) == before
    json_run = hrgov_import(ledger_root, "decisions", str(path), "--dry-run", "-f", "json")
    assert [r["id"] for r in json_run.json] == ["D-2025-0001", "D-2025-0002"]
    assert state(ledger_root) == before


def test_dry_run_of_a_bad_file_lists_the_errors_and_exits_2(ledger_root, write_csv):
    path = write_csv("d.csv", ["title", "date", "status"], [["A", "not a date", "adopted"]])
    before = state(ledger_root)
    result = hrgov_import(ledger_root, "decisions", str(path), "--dry-run")
    assert result.code == 2
    assert error_lines(result.err) == [
        f"hrgov: error: {path} line 2: date 'not a date' is not a date (expected YYYY-MM-DD)"
    ]
    assert state(ledger_root) == before


def test_an_id_that_exists_is_refused_without_update(ledger_root, write_csv):
    path = write_csv("deps.csv", ["id", "name"], [["ethics", "Ethics"], ["legal", "Legal Dept"]])
    before = state(ledger_root)
    result = hrgov_import(ledger_root, "departments", str(path))
    assert result.code == 2
    assert error_lines(result.err) == [
        f"hrgov: error: {path} line 3: department legal already exists (to change it, import "
        "with --update)"
    ]
    assert state(ledger_root) == before


def test_an_id_given_twice_in_the_file_is_refused(ledger_root, write_csv):
    path = write_csv("deps.csv", ["id", "name"],
                     [["ethics", "Ethics"], ["audit", "Audit"], ["ethics", "Ethics again"]])
    before = state(ledger_root)
    result = hrgov_import(ledger_root, "departments", str(path))
    assert result.code == 2
    assert error_lines(result.err) == [
        f"hrgov: error: {path} line 4: ethics is also on line 2"
    ]
    assert state(ledger_root) == before


def test_update_replaces_the_given_fields_and_checks_the_lifecycle(ledger_root, write_csv):
    first = write_csv("d.csv", ["title", "date", "status", "owner"],
                      [["A", "2025-02-01", "proposed", "legal"],
                       ["B", "2025-02-02", "adopted", ""]])
    assert hrgov_import(ledger_root, "decisions", str(first)).code == 0
    forbidden = write_csv("u.csv", ["id", "status"],
                          [["D-2025-0001", "adopted"], ["D-2025-0002", "proposed"]])
    before = state(ledger_root)
    refused = hrgov_import(ledger_root, "decisions", str(forbidden), "--update")
    assert refused.code == 2
    assert error_lines(refused.err) == [
        f"hrgov: error: {forbidden} line 3: D-2025-0002: cannot go from adopted to "
        "proposed (from adopted it can go to: implemented, rescinded, superseded)"
    ]
    assert state(ledger_root) == before
    allowed = write_csv("ok.csv", ["id", "status", "rationale"],
                        [["D-2025-0001", "adopted", "Agreed"], ["D-2025-0002", "", ""]])
    result = hrgov_import(ledger_root, "decisions", str(allowed), "--update")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["D-2025-0001"]  # the unchanged row writes nothing
    assert "Imported 1 updated decision, 1 unchanged in commit " in result.err
    record = read_record(ledger_root, "D-2025-0001")
    assert (record["status"], record["rationale"], record["owner"], record["title"]) == (
        "adopted", "Agreed", "legal", "A")


def test_unknown_columns_are_refused_on_line_1(ledger_root, write_csv):
    path = write_csv("d.csv", ["title", "date", "status", "Titel", "notes"],
                     [["A", "2025-02-01", "adopted", "x", "y"]])
    before = state(ledger_root)
    result = hrgov_import(ledger_root, "decisions", str(path))
    assert result.code == 2
    (line,) = error_lines(result.err)
    assert line.startswith(f"hrgov: error: {path} line 1: unknown columns 'Titel', 'notes' "
                           "(decisions have: id, kind, title, date,")
    assert state(ledger_root) == before


def test_header_problems(ledger_root, write_csv, tmp_path):
    missing = write_csv("m.csv", ["title", "status"], [["A", "adopted"]])
    result = hrgov_import(ledger_root, "decisions", str(missing))
    assert result.code == 2
    assert error_lines(result.err) == [
        f"hrgov: error: {missing} line 1: missing column date (required for every decision)"
    ]
    no_id = write_csv("n.csv", ["name"], [["Ethics"]])
    assert "an id column is needed" in hrgov_import(ledger_root, "departments", str(no_id)).err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = hrgov_import(ledger_root, "decisions", str(empty))
    assert result.code == 2 and "line 1: no header row" in result.err
    header_only = write_csv("h.csv", ["title", "date", "status"], [])
    result = hrgov_import(ledger_root, "decisions", str(header_only))
    assert result.code == 2 and "no rows: nothing to import" in result.err


def test_other_bad_input(ledger_root, write_csv, tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,name\nok,Fine\nlegal-fr,Département\n".encode("latin-1"))
    result = hrgov_import(ledger_root, "departments", str(latin1))
    assert result.code == 2
    assert error_lines(result.err) == [
        f"hrgov: error: {latin1} line 3: not UTF-8 text (save the spreadsheet as 'CSV UTF-8')"
    ]
    result = hrgov_import(ledger_root, "departments", str(tmp_path / "missing.csv"))
    assert result.code == 2 and "cannot read" in result.err
    result = hrgov_import(ledger_root, "grants", str(latin1))
    assert result.code == 2 and "unknown kind 'grants'" in result.err
    extra = write_csv("x.csv", ["id", "name"], [["a", "A", "surplus"], ["b", "B", ""]])
    result = hrgov_import(ledger_root, "departments", str(extra))
    assert error_lines(result.err) == [
        f"hrgov: error: {extra} line 2: 3 cells but the header names 2 columns (a comma too "
        "many, or a cell that should be quoted?)"
    ]
    bad = write_csv("b.csv", ["id", "name", "active", "kind"],
                    [["Not A Slug", "X", "maybe", "department"],
                     ["ok", "Ok\x1b[31m", "", "meeting"]])
    result = hrgov_import(ledger_root, "departments", str(bad))
    lines = error_lines(result.err)
    assert len(lines) == 2
    assert "line 2: 'Not A Slug' is not a valid id" in lines[0]
    assert "active 'maybe' is not true/false, yes/no or 1/0" in lines[0]
    assert "line 3: " in lines[1] and "control character U+001B" in lines[1]
    assert "kind 'meeting': this file is departments" in lines[1]


# ---- performance --------------------------------------------------------------------------


@pytest.mark.slow  # its speed is measured by bench/budget.py, not here
def test_five_thousand_decisions_import_in_one_commit(ledger_root, write_csv):
    commitments = ["ongoing-hrdd", "follow-ungps", "at-risk-volunteer-due-diligence",
                   "children-rights", "labour-standards"]
    departments = ["legal", "trust-and-safety", "product-technology", "executive"]
    rows = [
        [f"Décision {i}: screening wave {i}", f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
         "adopted", f"{commitments[i % 5]};{commitments[(i + 1) % 5]}", departments[i % 4],
         f"Full text of decision {i}.\nSecond paragraph."]
        for i in range(5000)
    ]
    path = write_csv("big.csv", ["title", "date", "status", "commitments", "owner", "text"], rows)
    before = commit_count(ledger_root)
    result = hrgov_import(ledger_root, "decisions", str(path))  # its speed: bench/budget.py
    assert result.code == 0, result.err
    assert commit_count(ledger_root) == before + 1
    ids = result.out.splitlines()
    assert len(ids) == 5000 and ids[0] == "D-2025-0001" and ids[-1] == "D-2025-5000"
    assert porcelain(ledger_root) == ""
    files = list((ledger_root / "records/decisions/2025").iterdir())
    assert len(files) == 5000
    trailers = git(ledger_root, "log", "-1", "--format=%B").count("Hrgov-Record: ")
    assert trailers == 5000
    sample = json.loads((ledger_root / "records/decisions/2025/D-2025-4321.json").read_text())
    assert sample["title"] == "Décision 4320: screening wave 4320"
    assert head(ledger_root) == git(ledger_root, "rev-parse", "HEAD").strip()


def test_new_rows_start_as_the_commands_start_them(tmp_path, ledger_root):
    from tests.conftest import run_cli

    path = tmp_path / "milestones.csv"
    path.write_text("title,commitment,due\nWrite the procedure,ongoing-hrdd,2026-12-01\n")
    result = run_cli("--ledger", str(ledger_root), "import", "milestones", str(path),
                     "-f", "json")
    assert result.code == 0, result.err
    milestone = result.json[0]
    assert (milestone["status"], milestone["original_due"]) == ("planned", "2026-12-01")
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("title,date\nAdopt screening,2026-03-04\n")
    result = run_cli("--ledger", str(ledger_root), "import", "decisions", str(decisions),
                     "-f", "json")
    assert result.code == 0, result.err
    assert result.json[0]["status"] == "adopted"
