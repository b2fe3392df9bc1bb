"""Every command explains itself with an example, and start-up stays light."""

import subprocess
import sys

import pytest

from tests.conftest import run_cli

COMMANDS = [
    ["init"], ["demo"], ["list"], ["show"], ["history"], ["due"], ["verify"], ["rebuild"],
    ["log", "meeting"], ["log", "decision"], ["decision", "status"], ["milestone", "add"],
    ["milestone", "update"], ["milestone", "done"], ["commitment", "assign"],
    ["department", "add"], ["audit"], ["brief"], ["agenda"], ["report"],
    ["log", "issue"], ["log", "assessment"], ["log", "grievance"], ["issue", "status"],
    ["assessment", "update"], ["assessment", "finding"], ["grievance", "stage"],
    ["remedy", "add"], ["remedy", "update"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_help_with_an_example(command):
    result = run_cli(*command, "--help")
    assert result.code == 0, result.err
    assert "Example:" in result.out
    assert f"hrgov {command[0]}" in result.out


def test_the_root_help_lists_the_groups_and_exit_codes():
    result = run_cli("--help")
    assert result.code == 0
    for name in ("log", "decision", "milestone", "commitment", "department", "list", "verify"):
        assert name in result.out
    assert "Exit codes" in result.out


def test_groups_without_a_command_show_their_help():
    result = run_cli("milestone")
    assert result.code == 2 and "Usage: hrgov milestone" in result.out
    assert "add" in result.out and "update" in result.out and "done" in result.out


def test_importing_the_command_line_loads_no_heavy_library():
    code = (
        "import sys, hrgov.commands; "
        "heavy = {'docx', 'datasette', 'matplotlib', 'git', 'sqlite_utils', 'tabulate', "
        "'pydantic', 'rich'} & set(sys.modules); print(sorted(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_version():
    assert run_cli("--version").out.startswith("hrgov ")


def test_the_installed_command_prints_all_of_its_help_and_exit_codes():
    from tests.conftest import HRGOV

    helped = subprocess.run([HRGOV, "--help"], capture_output=True, text=True)
    assert helped.returncode == 0
    assert helped.stdout == run_cli("--help").out  # nothing lost by ending the process early
    wrong = subprocess.run([HRGOV, "--no-such-option"], capture_output=True, text=True)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("hrgov: error: ")
    version = subprocess.run([HRGOV, "--version"], capture_output=True, text=True)
    assert (version.returncode, version.stdout) == (0, run_cli("--version").out)


def test_help_into_a_closed_pipe_ends_quietly():
    from tests.conftest import HRGOV

    shell = subprocess.run(f"'{HRGOV}' --help | head -c 10", shell=True, capture_output=True,
                           text=True)
    assert shell.returncode == 0
    assert shell.stdout == "Usage: hrg"
    assert "Traceback" not in shell.stderr
