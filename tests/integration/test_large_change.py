"""A change is as large as it needs to be: no git call carries the paths on its command line,
so the operating system's limit on arguments never breaks a ledger."""

import resource
import subprocess

import pytest

from tests.conftest import HRGOV, commit_count, porcelain, run_cli

# Linux allows a quarter of the stack limit for a command's arguments: a 1 MB stack leaves
# 256 KB, which the paths of this many records exceed.
STACK = 1024 * 1024
ROWS = 10_000


def with_little_room_for_arguments():
    resource.setrlimit(resource.RLIMIT_STACK, (STACK, resource.getrlimit(resource.RLIMIT_STACK)[1]))


def hrgov_with_little_room(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([HRGOV, *args], capture_output=True, text=True, timeout=600,
                          preexec_fn=with_little_room_for_arguments)


@pytest.mark.slow
def test_an_import_larger_than_the_argument_limit_is_one_commit_and_the_next_command_works(
    ledger_root, tmp_path
):
    csv = tmp_path / "decisions.csv"
    lines = ["title,date,status,commitments"]
    lines += [f"Decision {n},2026-{1 + n % 12:02d}-{1 + n % 28:02d},adopted,ongoing-hrdd"
              for n in range(ROWS)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    count = commit_count(ledger_root)
    paths = [f"records/decisions/2026/D-2026-{n:04d}.json" for n in range(1, ROWS + 1)]
    with pytest.raises(OSError, match="Argument list too long"):  # as git arguments: refused
        subprocess.run(["git", "add", *paths], preexec_fn=with_little_room_for_arguments)

    imported = hrgov_with_little_room("--ledger", str(ledger_root), "import", "decisions",
                                      str(csv))
    assert imported.returncode == 0, imported.stderr
    assert "warning" not in imported.stderr
    assert commit_count(ledger_root) == count + 1
    assert porcelain(ledger_root) == ""  # git's index and the working tree agree with HEAD

    logged = hrgov_with_little_room("--ledger", str(ledger_root), "log", "decision",
                                    "The next one", "--date", "2026-03-04")
    assert logged.returncode == 0, logged.stderr
    assert logged.stdout.strip() == f"D-2026-{ROWS + 1:04d}"
    listed = run_cli("--ledger", str(ledger_root), "list", "decisions", "-f", "csv")
    assert listed.out.count("\n") == ROWS + 2  # the header, the import and the one after
    assert run_cli("--ledger", str(ledger_root), "verify").code == 0


def test_a_large_import_says_how_far_it_is_on_a_terminal_only(ledger_root, tmp_path):
    import os
    import pty

    csv = tmp_path / "decisions.csv"
    rows = [f"Decision {n},2026-03-04,adopted" for n in range(2_500)]
    csv.write_text("title,date,status\n" + "\n".join(rows) + "\n", encoding="utf-8")
    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm"}
    done = subprocess.run([HRGOV, "--ledger", str(ledger_root), "import", "decisions", str(csv)],
                          stdout=subprocess.DEVNULL, stderr=terminal, env=env, timeout=600)
    os.close(terminal)
    said = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed and drained
            break
        if not chunk:
            break
        said += chunk
    os.close(controller)
    assert done.returncode == 0
    assert b"rows checked: 1,000/2,500" in said and b"rows checked: 2,500/2,500" in said

    quiet = subprocess.run(
        [HRGOV, "--ledger", str(ledger_root), "import", "decisions", str(csv)],
        capture_output=True, env=env, timeout=600,
    )
    assert quiet.returncode == 0 and b"rows checked" not in quiet.stderr  # not a terminal
