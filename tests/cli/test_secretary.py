"""The secretary's commands end to end: one commit each, the right author, the right output."""

import json
import subprocess

from tests.conftest import AUTHOR, commit_count, git, porcelain, rebuilt_snapshot, snapshot


def last_commit(root):
    return git(root, "log", "-1", "--format=%an <%ae>%n%B")


def test_every_write_command_makes_one_commit_with_trailers_and_author(hrgov, ledger_root):
    steps = [
        (["log", "meeting", "--date", "2026-03-04", "--attendee", "General Counsel"],
         "log meeting", "MTG-2026-03-04"),
        (["log", "decision", "Adopt screening", "--meeting", "MTG-2026-03-04",
          "--commitment", "ongoing-hrdd", "--owner", "legal"], "log decision", "D-2026-0001"),
        (["decision", "status", "D-2026-0001", "implemented", "--note", "Live since June"],
         "decision status", "D-2026-0001"),
        (["milestone", "add", "Write the procedure", "--commitment", "ongoing-hrdd",
          "--due", "2026-12-01", "--decision", "D-2026-0001"], "milestone add", None),
        (["milestone", "update", "MS", "--due", "2027-01-15", "--reason", "Vendor late"],
         "milestone update", None),
        (["milestone", "done", "MS", "--on", "2026-01-10", "--evidence", "https://x.org/p"],
         "milestone done", None),
        (["commitment", "assign", "ongoing-hrdd", "trust-and-safety", "--reason", "Reorg"],
         "commitment assign", "ongoing-hrdd"),
        (["department", "add", "data-protection", "--name", "Data Protection"],
         "department add", "data-protection"),
    ]
    milestone_id = None
    for args, command, expected_id in steps:
        args = [milestone_id if a == "MS" else a for a in args]
        before = commit_count(ledger_root)
        result = hrgov(*args)
        assert result.code == 0, result.err
        printed = result.out.strip()
        if command == "milestone add":
            milestone_id = printed
            assert printed.startswith("MS-")
        elif expected_id:
            assert printed == expected_id
        assert commit_count(ledger_root) == before + 1
        message = last_commit(ledger_root)
        assert message.startswith(AUTHOR + "\n")
        assert f"Hrgov-Command: {command}\n" in message
        assert f"Hrgov-Record: {printed}\n" in message
        assert porcelain(ledger_root) == ""
    reason_log = git(ledger_root, "log", "--format=%B", "-n", "3")
    assert "Hrgov-Reason: Reorg" in reason_log


def test_author_comes_from_as_then_env_then_git_config(hrgov, ledger_root, monkeypatch):
    hrgov("--as", "Deputy Secretary <deputy@example.org>", "log", "meeting", "--date", "2026-01-02")
    assert last_commit(ledger_root).startswith("Deputy Secretary <deputy@example.org>")
    monkeypatch.delenv("HRGOV_AUTHOR")
    hrgov("log", "meeting", "--date", "2026-01-03")
    assert last_commit(ledger_root).startswith("Git User <git@example.org>")
    result = hrgov("--as", "nobody", "log", "meeting", "--date", "2026-01-04")
    assert result.code == 2 and "Name <email>" in result.err


def test_write_commands_print_the_records_as_json(hrgov):
    result = hrgov("log", "meeting", "--date", "2026-03-04", "--format", "json")
    assert result.json == [{"kind": "meeting", "id": "MTG-2026-03-04", "date": "2026-03-04",
                            "body": "steering-committee", "sensitivity": "internal"}]
    result = hrgov("log", "meeting", "--date", "2026-03-04", "--body", "board", "-f", "json")
    assert result.json[0]["id"] == "MTG-2026-03-04-2"


def test_supersedes_marks_the_old_decision_in_the_same_commit(hrgov, ledger_root):
    hrgov("log", "decision", "Old rule", "--date", "2026-01-10")
    before = commit_count(ledger_root)
    result = hrgov("log", "decision", "New rule", "--date", "2026-02-10", "--supersedes",
                   "D-2026-0001", "--format", "json")
    assert result.code == 0, result.err
    assert commit_count(ledger_root) == before + 1
    old, new = result.json
    assert old["status"] == "superseded" and old["superseded_by"] == "D-2026-0002"
    assert new["supersedes"] == "D-2026-0001"
    assert hrgov("show", "D-2026-0001", "-f", "json").json[0]["status"] == "superseded"


def test_decision_status_superseded_links_the_successor(hrgov):
    hrgov("log", "decision", "Old", "--date", "2026-01-10")
    hrgov("log", "decision", "New", "--date", "2026-01-11")
    result = hrgov("decision", "status", "D-2026-0001", "superseded", "--by", "D-2026-0002")
    assert result.code == 0, result.err
    assert hrgov("show", "D-2026-0002", "-f", "json").json[0]["supersedes"] == "D-2026-0001"
    assert hrgov("show", "D-2026-0001", "-f", "json").json[0]["superseded_by"] == "D-2026-0002"


def test_decision_ids_take_the_year_of_the_decision(hrgov):
    assert hrgov("log", "decision", "A", "--date", "2025-12-30").out.strip() == "D-2025-0001"
    assert hrgov("log", "decision", "B", "--date", "2026-01-02").out.strip() == "D-2026-0001"
    assert hrgov("log", "decision", "C", "--date", "2026-01-03").out.strip() == "D-2026-0002"


def test_milestone_owner_defaults_to_the_commitments(hrgov):
    owner = hrgov("show", "periodic-hria", "-f", "json").json[0]["owner"]
    result = hrgov("milestone", "add", "HRIA", "--commitment", "periodic-hria", "--due",
                   "2026-09-30", "-f", "json")
    record = result.json[0]
    assert record["owner"] == owner
    assert record["original_due"] == record["due"] == "2026-09-30"
    assert record["status"] == "planned"


def test_slips_keep_original_due_and_history_shows_the_reason(hrgov):
    ms = hrgov("milestone", "add", "HRIA", "--commitment", "periodic-hria",
               "--due", "2026-09-30").out.strip()
    refused = hrgov("milestone", "update", ms, "--due", "2026-10-31")
    assert refused.code == 2 and "--reason" in refused.err
    hrgov("milestone", "update", ms, "--due", "2026-10-31", "--reason", "Assessor unavailable")
    hrgov("milestone", "update", ms, "--due", "2026-12-15", "--reason", "Scope widened")
    record = hrgov("show", ms, "-f", "json").json[0]
    assert record["original_due"] == "2026-09-30" and record["due"] == "2026-12-15"
    assert [s["reason"] for s in record["slips"]] == ["Assessor unavailable", "Scope widened"]
    versions = hrgov("history", ms, "-f", "json").json
    assert len(versions) == 3
    assert versions[1]["reason"] == "Assessor unavailable"
    assert {"field": "due", "old": "2026-09-30", "new": "2026-10-31"} in versions[1]["changes"]
    assert versions[1]["author"] == AUTHOR
    table = hrgov("history", ms).out
    assert "due: 2026-09-30 → 2026-10-31" in table and "Assessor unavailable" in table


def test_show_at_returns_the_earlier_version(hrgov, ledger_root):
    ms = hrgov("milestone", "add", "HRIA", "--commitment", "periodic-hria",
               "--due", "2026-09-30").out.strip()
    first = git(ledger_root, "rev-parse", "HEAD").strip()
    hrgov("milestone", "update", ms, "--due", "2026-10-31", "--reason", "Late")
    assert hrgov("show", ms, "--at", first, "-f", "json").json[0]["due"] == "2026-09-30"
    assert hrgov("show", ms, "--at", "HEAD~1", "-f", "json").json[0]["due"] == "2026-09-30"
    assert hrgov("show", ms, "-f", "json").json[0]["due"] == "2026-10-31"
    # a date means the end of that day: before the ledger existed there was nothing
    result = hrgov("show", ms, "--at", "2000-01-01")
    assert result.code == 2 and "nothing on or before 2000-01-01" in result.err
    assert hrgov("show", ms, "--at", "2999-12-31", "-f", "json").json[0]["due"] == "2026-10-31"


def test_show_at_a_date_uses_commit_dates(hrgov, ledger_root):
    ms = hrgov("milestone", "add", "HRIA", "--commitment", "periodic-hria",
               "--due", "2026-09-30").out.strip()
    # Backdate nothing: every commit is today, so "yesterday" predates the milestone.
    import datetime
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    result = hrgov("show", ms, "--at", yesterday)
    assert result.code == 2


def test_list_filters_and_formats(hrgov):
    hrgov("log", "decision", "A", "--date", "2026-01-02", "--owner", "legal")
    hrgov("log", "decision", "B", "--date", "2026-01-03", "--status", "proposed")
    adopted = hrgov("list", "decisions", "--status", "adopted", "-f", "json").json
    assert [d["title"] for d in adopted] == ["A"]
    assert [d["id"] for d in hrgov("list", "decisions", "--owner", "legal", "-f", "json").json] == [
        "D-2026-0001"]
    csv_out = hrgov("list", "decisions", "--format", "csv").out.splitlines()
    assert csv_out[0].startswith("id,kind,") and len(csv_out) == 3
    table = hrgov("list", "decisions").out
    assert "D-2026-0002" in table and "proposed" in table
    commitments = hrgov("list", "commitments", "-f", "json").json
    assert len(commitments) >= 50
    bad = hrgov("list", "decisions", "--status", "approved")
    assert bad.code == 2 and "not a decision status" in bad.err
    bad = hrgov("list", "instruments", "--owner", "legal")
    assert bad.code == 2 and "have no owner" in bad.err


def test_due_lists_overdue_and_soon(hrgov):
    import datetime

    today = datetime.date.today()
    def day(n):
        return (today + datetime.timedelta(days=n)).isoformat()
    late = hrgov("milestone", "add", "Late", "--commitment", "periodic-hria", "--due", day(-5))
    soon = hrgov("milestone", "add", "Soon", "--commitment", "periodic-hria", "--due", day(10))
    hrgov("milestone", "add", "Far", "--commitment", "periodic-hria", "--due", day(90))
    done = hrgov("milestone", "add", "Done", "--commitment", "periodic-hria", "--due", day(-9))
    hrgov("milestone", "done", done.out.strip())
    ids = [r["id"] for r in hrgov("due", "-f", "json").json]
    assert ids == [late.out.strip(), soon.out.strip()]
    assert [r["id"] for r in hrgov("due", "--overdue", "-f", "json").json] == [late.out.strip()]
    assert len(hrgov("due", "--within", "120", "-f", "json").json) == 3
    assert "5 days late" in hrgov("due").out


def test_unicode_and_a_megabyte_of_text_round_trip(hrgov, ledger_root, tmp_path):
    title = "قرار — निर्णय — 决定 — 🌍✊"
    text = ("مرحبا بالعالم\nनमस्ते दुनिया\n你好，世界\n👩🏽‍⚖️ " * 20000)[: 1_000_000]
    path = tmp_path / "text.txt"
    path.write_text(text, encoding="utf-8")
    result = hrgov("log", "decision", title, "--date", "2026-03-04", "--text-file", str(path),
                   "-f", "json")
    assert result.code == 0, result.err
    shown = hrgov("show", "D-2026-0001", "-f", "json").json[0]
    assert shown["title"] == title and shown["text"] == text
    file_text = (ledger_root / "records/decisions/2026/D-2026-0001.json").read_text("utf-8")
    assert json.loads(file_text)["text"] == text
    assert "قرار" in file_text  # stored as UTF-8, not \u escapes
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)


def test_text_from_stdin(hrgov):
    result = hrgov("log", "decision", "From stdin", "--date", "2026-03-04", "--text-file", "-",
                   "-f", "json", stdin="Full text\nof the decision")
    assert result.json[0]["text"] == "Full text\nof the decision"


def test_record_files_follow_the_format_contract(hrgov, ledger_root):
    hrgov("log", "decision", "Équité", "--date", "2026-03-04", "--commitment", "ongoing-hrdd")
    data = (ledger_root / "records/decisions/2026/D-2026-0001.json").read_bytes()
    record = json.loads(data)
    expected = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data == expected.encode()
    assert "text" not in record  # empty optionals are omitted


def test_the_sqlite_file_is_never_committed(hrgov, ledger_root):
    hrgov("log", "decision", "A", "--date", "2026-03-04")
    tracked = git(ledger_root, "ls-files").splitlines()
    assert not [p for p in tracked if p.startswith(".hrgov")]
    assert (ledger_root / ".hrgov" / "ledger.db").exists()


def test_ledger_is_found_from_env_and_by_walking_up(ledger_root, monkeypatch):
    from tests.conftest import run_cli

    monkeypatch.setenv("HRGOV_LEDGER", str(ledger_root))
    assert run_cli("list", "departments", "-f", "json").code == 0
    monkeypatch.delenv("HRGOV_LEDGER")
    monkeypatch.chdir(ledger_root / "records" / "commitments")
    assert run_cli("show", "periodic-hria", "-f", "json").json[0]["id"] == "periodic-hria"


def test_installed_hrgov_runs_as_a_real_process(ledger_root):
    from tests.conftest import HRGOV

    done = subprocess.run([HRGOV, "--ledger", str(ledger_root), "log", "decision", "Real",
                           "--date", "2026-03-04"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "D-2026-0001\n"
    assert done.stderr.startswith("Committed ")


def test_list_and_due_as_they_stood_at_a_commit(hrgov, ledger_root):
    hrgov("log", "decision", "First", "--date", "2026-01-02")
    first = git(ledger_root, "rev-parse", "HEAD").strip()
    hrgov("log", "decision", "Second", "--date", "2026-01-03")
    hrgov("decision", "status", "D-2026-0001", "implemented")
    then = hrgov("list", "decisions", "--at", first, "-f", "json").json
    assert [(d["title"], d["status"]) for d in then] == [("First", "adopted")]
    assert len(hrgov("list", "decisions", "-f", "json").json) == 2
    import datetime

    def day(n):
        return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()

    hrgov("milestone", "add", "M", "--commitment", "periodic-hria", "--due", day(10))
    assert hrgov("due", "--overdue", "-f", "json").json == []
    late = hrgov("due", "--overdue", "--at", day(20), "-f", "json").json
    assert [m["title"] for m in late] == ["M"]
    before_it_existed = hrgov("due", "--at", "2001-01-01")
    assert before_it_existed.code == 2 and "nothing on or before" in before_it_existed.err


def test_a_merge_is_indexed_as_it_was_resolved(hrgov, ledger_root, tmp_path):
    ms = hrgov("milestone", "add", "M", "--commitment", "periodic-hria",
               "--due", "2026-09-01").out.strip()
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(ledger_root), str(other))
    hrgov("milestone", "update", ms, "--status", "in-progress")
    from tests.conftest import run_cli

    assert run_cli("--ledger", str(other), "milestone", "update", ms, "--status",
                   "blocked").code == 0
    path = f"records/milestones/{ms[3:7]}/{ms}.json"
    done = subprocess.run(["git", "-C", str(ledger_root), "pull", "-q", "--no-rebase",
                           "--no-edit", str(other)], capture_output=True, text=True)
    assert done.returncode != 0  # both sides changed the status: a conflict
    resolved = json.loads(git(ledger_root, "show", f"HEAD:{path}"))
    resolved["status"] = "done"
    resolved["done_on"] = "2026-08-30"
    (ledger_root / path).write_text(json.dumps(resolved, indent=2, sort_keys=True) + "\n")
    git(ledger_root, "add", path)
    git(ledger_root, "commit", "-qm", "Merge: resolved as done")
    assert hrgov("show", ms, "-f", "json").json[0]["status"] == "done"
    assert hrgov("rebuild").code == 0
    assert hrgov("show", ms, "-f", "json").json[0]["status"] == "done"
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)
