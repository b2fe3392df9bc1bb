"""A change is as large as it needs to be: no git call carries the paths on its command line,
so the operating system's limit on arguments never breaks a ledger."""

import pytest

from tests.conftest import commit_count, porcelain, run_cli

ROWS = 60_000


@pytest.mark.slow
def test_an_import_of_60000_records_is_one_commit_and_the_next_command_works(ledger_root, tmp_path):
    csv = tmp_path / "decisions.csv"
    lines = ["title,date,status,commitments"]
    lines += [f"Decision {n},2026-{1 + n % 12:02d}-{1 + n % 28:02d},adopted,ongoing-hrdd"
              for n in range(ROWS)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    count = commit_count(ledger_root)

    imported = run_cli("--ledger", str(ledger_root), "import", "decisions", str(csv))
    assert imported.code == 0, imported.err
    assert "warning" not in imported.err
    assert commit_count(ledger_root) == count + 1
    assert porcelain(ledger_root) == ""  # git's index and the working tree agree with HEAD

    logged = run_cli("--ledger", str(ledger_root), "log", "decision", "The next one",
                     "--date", "2026-03-04")
    assert logged.code == 0, logged.err
    assert logged.out.strip() == f"D-2026-{ROWS + 1:04d}"
    listed = run_cli("--ledger", str(ledger_root), "list", "decisions", "-f", "csv")
    assert listed.out.count("\n") == ROWS + 2  # the header, the import and the one after
    assert run_cli("--ledger", str(ledger_root), "verify").code == 0
