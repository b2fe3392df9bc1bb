"""Shared fixtures: real git repositories and real SQLite files in tmp_path, never mocks."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No wall-clock limits in tests: a loaded machine must not fail them (hypothesis's default
# deadline is 200 ms per example).
settings.register_profile(
    "hrgov", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("hrgov")


def pytest_collection_modifyitems(items):
    """Files holding a slow test run first: with one file per worker (``--dist loadfile``),
    a long file started last would keep the whole run waiting for it alone."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # a stable sort keeps the rest in order

AUTHOR = "Committee Secretary <secretary@example.org>"
ROOT = Path(__file__).resolve().parent.parent
HRGOV = str(Path(sys.executable).with_name("hrgov"))


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path):
    """Every test acts as the committee secretary, outside any ledger, with git configured."""
    monkeypatch.setenv("HRGOV_AUTHOR", AUTHOR)
    monkeypatch.delenv("HRGOV_LEDGER", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # tables fit it: tests read them whole
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Git User\n\temail = git@example.org\n")
    monkeypatch.chdir(tmp_path)


@contextmanager
def new_ledger(tmp_path_factory, name: str, **options):
    """A ledger of a module's own, initialised from the Wikimedia pack, to be filled inside
    the ``with``: ``with new_ledger(tmp_path_factory, "weekly") as ledger: …``.

    Module and session fixtures run before any test's own environment is set, so this sets
    one for the while, and leaves none behind: which tests a worker ran first must not change
    what the next one sees.
    """
    from hrgov import policy
    from hrgov.ledger import Ledger, init

    base = tmp_path_factory.mktemp(name)
    (base / "gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", str(base / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("HRGOV_AUTHOR", AUTHOR)
        init(base / "ledger", policy.load("wikimedia-2021"), organisation="Example Foundation",
             author=AUTHOR, **options)
        yield Ledger(base / "ledger")


@pytest.fixture(scope="session")
def _template_ledger(tmp_path_factory) -> Path:
    """One ledger initialised from the Wikimedia pack, copied for each test that needs one."""
    with new_ledger(tmp_path_factory, "template") as ledger:
        return ledger.root


@pytest.fixture
def ledger_root(_template_ledger, tmp_path) -> Path:
    """A fresh ledger holding the Wikimedia pack (one commit)."""
    root = tmp_path / "ledger"
    shutil.copytree(_template_ledger, root, symlinks=True)
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


def run_cli(*args: str, stdin: str = "") -> Result:
    """Run ``hrgov args…`` in this process, as a user would, and capture what it prints."""
    from hrgov.commands import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def hrgov(ledger_root):
    """``hrgov(*args)`` runs a command against the test's ledger."""

    def invoke(*args: str, stdin: str = "") -> Result:
        return run_cli("--ledger", str(ledger_root), *args, stdin=stdin)

    return invoke


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def porcelain(root: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all")


def commit_count(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def snapshot(root: Path) -> dict:
    """The index's content (every table, sorted)."""
    from hrgov import queries
    from hrgov.ledger import Ledger

    return queries.snapshot(Ledger(root).reader())


def rebuilt_snapshot(root: Path, tmp: Path) -> dict:
    """The content of an index built from scratch from the same git history."""
    from hrgov import queries
    from hrgov.index import build

    return queries.snapshot(build(root, tmp / "fresh.db").conn)


def state(root: Path) -> tuple:
    """Everything a failed command must leave untouched: HEAD, git status, every file's bytes
    under records/ and the index's content."""
    files = {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted((root / "records").rglob("*"))
        if p.is_file()
    }
    return head(root), porcelain(root), files, snapshot(root)


def kill(process, whole_group: bool) -> None:
    """``kill -9`` a command, or it and its git children (its process group)."""
    import os
    import signal

    try:
        if whole_group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            os.kill(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
