"""Many secretaries at once: the ledger's lock makes them wait their turn."""

import subprocess

from tests.conftest import HRGOV, commit_count, porcelain, rebuilt_snapshot, run_cli, snapshot


def test_twenty_log_decisions_started_at_once(ledger_root, tmp_path):
    before = commit_count(ledger_root)
    processes = [
        subprocess.Popen(
            [HRGOV, "--ledger", str(ledger_root), "log", "decision", f"Decision {n}",
             "--date", "2026-05-05", "--commitment", "ongoing-hrdd"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(20)
    ]
    results = [(p.communicate(), p.returncode) for p in processes]
    assert [code for _, code in results] == [0] * 20, results
    ids = sorted(out.strip() for (out, _), _ in results)
    assert ids == [f"D-2026-{n:04d}" for n in range(1, 21)]
    assert commit_count(ledger_root) == before + 20
    listed = run_cli("--ledger", str(ledger_root), "list", "decisions", "-f", "json").json
    assert sorted(d["title"] for d in listed) == sorted(f"Decision {n}" for n in range(20))
    assert run_cli("--ledger", str(ledger_root), "verify").code == 0
    assert porcelain(ledger_root) == ""
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)
