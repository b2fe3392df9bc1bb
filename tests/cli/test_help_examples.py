"""Every example in every command's help is real: each line runs, as printed, against a demo
ledger (the shipped scenario, played up to a fixed day so that its ids are the ones the help
quotes), one after the other, as a secretary would copy them."""

import os
import shlex
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import typer

from tests.conftest import HRGOV, git, run_cli

DEMO_DAY = date(2026, 12, 3)
# Examples that cannot run here, each with why: they serve until Ctrl-C, or need a network
# remote or a conflict left by a sync. Each is checked to be in the help still.
NOT_RUN = {
    "hrgov audit --open": "serves until Ctrl-C (tests/audit runs the server)",
    "hrgov audit --at 2026-03-31 --public-only --port 8002": "serves until Ctrl-C",
    "hrgov audit --build audit-2026 && datasette serve audit-2026": "serves until Ctrl-C",
    "hrgov clone git@git.example.org:hr/ledger.git hr-ledger": "needs a network remote",
    "hrgov resolve MS-2026-0003 --take theirs --reason \"Legal's date was agreed on 3 May\"":
        "needs a sync stopped by a conflict (tests/integration/test_sync.py)",
    "hrgov resolve MS-2026-0003 --take due=2026-09-30 --reason \"Agreed at the June meeting\"":
        "needs a sync stopped by a conflict",
}
SHELL = ("&&", "|", ">", "<", "$(")
# What an example needs from its environment: the departing signer signs its own removal;
# Alice, a recipient once she adds herself, opens and writes sealed records.
ENVIRONMENT = {"hrgov signers remove": {"HRGOV_SIGNING_KEY": "alice"},
               "hrgov ": {"HRGOV_IDENTITY": "alice"}}


def commands():
    """Every command and group of the command line, by the words that run it."""
    from hrgov.commands import app

    def walk(command, path):
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


def example_lines(help_text: str) -> list[str]:
    """The example command lines of a help text, continuation lines joined."""
    found, current = [], None
    for line in help_text.splitlines():
        text = line.strip()
        if current is None and not (line.startswith("  ") and (
            text.startswith("hrgov ") or text.startswith("eval "))
        ):
            continue
        current = text if current is None else f"{current} {text}"
        if current.endswith("\\"):
            current = current[:-1].rstrip()
        else:
            found.append(current)
            current = None
    return found


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder holding the demo ledger, a bare remote it syncs with, and the files the
    examples name (a policy pack, spreadsheets, a template, a signer's public key)."""
    from hrgov.demo import build_demo

    base = tmp_path_factory.mktemp("examples")
    gitconfig = base / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Git User\n\temail = git@example.org\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("HRGOV_AUTHOR", "Committee Secretary <secretary@example.org>")
        build_demo(base / "demo", today=DEMO_DAY)
        (base / "shared").mkdir()
        subprocess.run(["git", "clone", "-q", "--bare", str(base / "demo"),
                        str(base / "shared" / "hr-ledger.git")], check=True)
        git(base / "demo", "remote", "add", "origin", str(base / "shared" / "hr-ledger.git"))
    root = Path(__file__).resolve().parents[2]
    shutil.copy(root / "data" / "policies" / "wikimedia-2021.toml", base / "our-policy.toml")
    shutil.copy(next((root / "templates").glob("*brief*.docx")), base / "ours.docx")
    (base / "decisions-2025.csv").write_text(
        "title,date,meeting,status,owner\n"
        "Adopt a policy on contributor safety,2025-12-25,MTG-2025-12-25,adopted,legal\n"
    )
    (base / "milestones.csv").write_text("id,due\nMS-2026-0019,2027-06-30\n")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@example.org",
                    "-f", str(base / "alice")], check=True)
    return base


@pytest.mark.slow  # a demo ledger, then some seventy commands one after the other
def test_every_example_in_every_help_runs(workdir, monkeypatch):
    from hrgov import history

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(workdir / "gitconfig"))
    monkeypatch.setenv("HRGOV_LEDGER", str(workdir / "demo"))
    monkeypatch.setenv("HOME", str(workdir))
    monkeypatch.chdir(workdir)
    # the commit ids the examples quote, as a user copies them from a document's footer
    commits = history.commits(workdir / "demo", "HEAD")
    shas = {"8ee35deea9": commits[-1].sha[:10], "3f2a9c1e0b": commits[len(commits) // 2].sha[:10]}
    env = {**os.environ, "PATH": f"{Path(HRGOV).parent}{os.pathsep}{os.environ['PATH']}"}
    (workdir / ".config" / "fish" / "completions").mkdir(parents=True, exist_ok=True)
    seen, failed = set(), []
    for words in commands():
        for line in example_lines(run_cli(*words, "--help").out):
            if line in seen or line in NOT_RUN:  # the root's examples are its commands' too
                seen.add(line)
                continue
            seen.add(line)
            for start, variables in ENVIRONMENT.items():
                for name, file in variables.items():
                    if line.startswith(start):
                        monkeypatch.setenv(name, str(workdir / file))
                    else:
                        monkeypatch.delenv(name, raising=False)
            for placeholder, sha in shas.items():
                line = line.replace(placeholder, sha)
            if any(mark in line for mark in SHELL):
                done = subprocess.run(["bash", "-c", line], env=env, capture_output=True,
                                      text=True, timeout=120)
                code, err = done.returncode, done.stderr
            else:
                result = run_cli(*shlex.split(line)[1:])
                code, err = result.code, result.err
            if code != 0:
                failed.append(f"{line}\n    exit {code}: {err.strip()[-300:]}")
            elif line.startswith("hrgov demo"):
                failed += try_lines_fail(err, env)
    assert not failed, "examples that fail:\n" + "\n".join(failed)
    assert set(NOT_RUN) <= seen, "NOT_RUN names examples no help shows any more"
    assert len(seen) > 60


def try_lines_fail(said: str, env: dict) -> list[str]:
    """Run the demo's "Try:" list as printed (its export line first): what fails."""
    lines = said.split("Try (in another terminal):\n", 1)[1].split("\n\n", 1)[0]
    tries = [line.strip() for line in lines.splitlines()]
    assert tries[0].startswith("export HRGOV_LEDGER=") and len(tries) >= 6
    failed = []
    for line in tries[1:]:
        if " audit " in line:  # serves until Ctrl-C, as NOT_RUN says
            continue
        done = subprocess.run(["bash", "-c", f"{tries[0]} && {line}"], capture_output=True,
                              text=True, timeout=120, env=env)
        if done.returncode != 0:
            failed.append(f"demo's Try: {line}\n    exit {done.returncode}: {done.stderr[-300:]}")
    return failed


def test_examples_are_found_with_their_continuation_lines():
    text = "Example:\n\n    hrgov log decision \"A\" \\\n      --date 2026-01-01\n\n  hrgov due\n"
    assert example_lines(text) == ['hrgov log decision "A" --date 2026-01-01', "hrgov due"]


@pytest.mark.parametrize("words", commands(), ids=lambda w: " ".join(w) or "hrgov")
def test_every_help_has_examples_and_no_stray_marks(words):
    result = run_cli(*words, "--help")
    assert result.code == 0, result.err
    assert "\\b" not in result.out and "\b" not in result.out
    assert " \\ " not in result.out  # a continuation line re-wrapped into its paragraph
    if words != ["merge-driver"]:  # run by git, never by people
        assert "Example" in result.out
        assert example_lines(result.out), "no example line"


def test_completion_scripts_and_answers():
    bash = subprocess.run([HRGOV, "completion", "bash"], capture_output=True, text=True)
    assert bash.returncode == 0 and "_HRGOV_COMPLETE=complete_bash" in bash.stdout
    for shell in ("zsh", "fish"):
        assert run_cli("completion", shell).out.strip()
    env = {**os.environ, "_HRGOV_COMPLETE": "complete_bash",
           "COMP_WORDS": "hrgov milestone update MS-2026-0001 --status ", "COMP_CWORD": "5"}
    answer = subprocess.run([HRGOV], env=env, capture_output=True, text=True)
    assert answer.stdout.split() == ["planned", "in-progress", "blocked", "done", "dropped"]
    wrong = run_cli("completion", "tcsh")
    assert wrong.code == 2 and "'tcsh' is not one of" in wrong.err


def test_a_choice_typo_is_caught_with_the_choices(hrgov):
    result = hrgov("milestone", "update", "MS-2026-0001", "--status", "doen")
    assert result.code == 2
    assert "'doen' is not one of 'planned', 'in-progress'" in result.err
    assert "planned|in-progress|blocked|done|dropped" in hrgov("milestone", "update",
                                                               "--help").out


if sys.platform != "linux":  # ssh-keygen and bash are taken as given on the CI's Debian
    pytestmark = pytest.mark.skip("Linux only")
