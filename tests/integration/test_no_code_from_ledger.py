"""A ledger copied from someone else (a folder, an archive, a backup, a clone's .git handed over)
runs no program of theirs during hrgov commands: every program its git settings name writes a
marker file here, and no marker ever appears. Real git, real hooks, no mocks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

HOOKS = ("reference-transaction", "post-index-change", "post-checkout", "pre-push",
         "pre-auto-gc", "post-merge", "post-commit", "pre-commit", "fsmonitor-watchman")
# The settings that run a program, each naming a script that leaves a marker.
PROGRAMS = {
    "core.fsmonitor": "fsmonitor",
    "diff.external": "external-diff",
    "core.pager": "pager",
    "pager.log": "pager-log",
    "pager.diff": "pager-diff",
    "core.sshCommand": "ssh",
    "core.askPass": "askpass",
    "credential.helper": "!{} credential",
    "remote.origin.uploadpack": "upload-pack",
    "remote.origin.receivepack": "receive-pack",
    "gpg.program": "gpg",
    "diff.records.textconv": "textconv",
    "diff.records.command": "diff-command",
}


def quiet_git(root: Path, *args: str) -> str:
    """Plain git for the test's own set-up, running none of the planted programs."""
    return subprocess.run(
        ["git", "-C", str(root), "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
         *args], capture_output=True, text=True, check=True,
    ).stdout


def cli(root: Path, *args: str):
    return run_cli("--ledger", str(root), *args)


def ok(root: Path, *args: str) -> str:
    result = cli(root, *args)
    assert result.code == 0, (args, result.out, result.err)
    return result.out


def log_decision(root: Path, title: str) -> str:
    return ok(root, "log", "decision", title, "--date", "2026-03-04", "--commitment",
              "ongoing-hrdd", "--no-input").split()[0]


class Planted:
    """Scripts that each leave a marker named after them, and where they are."""

    def __init__(self, base: Path):
        self.bin = base / "planted"
        self.markers = base / "markers"
        self.bin.mkdir()
        self.markers.mkdir()

    def script(self, name: str, then: str = "") -> Path:
        path = self.bin / name
        path.write_text(f"#!/bin/sh\ntouch '{self.markers / name}'\n{then}\n")
        path.chmod(0o755)
        return path

    def hooks(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for hook in HOOKS:
            shutil.copy(self.script(f"hook-{folder.parent.name}-{hook}"), folder / hook)

    def left(self) -> list[str]:
        return sorted(p.name for p in self.markers.iterdir())

    def into(self, root: Path) -> None:
        """Plant every program in ``root``'s own .git/config and hooks: hooks in .git/hooks and
        in a folder named by core.hooksPath, and all of the settings above. (Attributes that
        name a driver for records are refused: see below.)"""
        self.hooks(root / ".git" / "hooks")
        elsewhere = self.bin / "hooks-path" / "hooks"
        self.hooks(elsewhere)
        settings = {"core.hooksPath": str(elsewhere), "log.showSignature": "true",
                    "core.gitProxy": str(self.script("git-proxy")), "pager.status": "true"}
        for key, program in PROGRAMS.items():
            name = program.split()[-1] if program.startswith("!") else program
            then = {"upload-pack": 'exec git-upload-pack "$@"',
                    "receive-pack": 'exec git-receive-pack "$@"'}.get(name, "")
            path = str(self.script(name, then))
            settings[key] = program.format(path) if program.startswith("!") else path
        for key, value in settings.items():
            quiet_git(root, "config", key, value)


@pytest.fixture
def planted(tmp_path) -> Planted:
    return Planted(tmp_path)


def test_the_planted_programs_do_run_under_plain_git(ledger_root, planted):
    """The control: the same settings make plain git run them, so the tests below mean
    something."""
    planted.into(ledger_root)
    subprocess.run(["git", "-C", str(ledger_root), "update-ref", "refs/probe", "HEAD"],
                   check=True, capture_output=True)
    subprocess.run(["git", "-C", str(ledger_root), "status"], check=True, capture_output=True)
    left = planted.left()
    assert "fsmonitor" in left
    assert "hook-hooks-path-reference-transaction" in left


def test_a_write_verify_and_rebuild_run_no_program_of_the_ledger(ledger_root, planted):
    planted.into(ledger_root)
    decision = log_decision(ledger_root, "Adopt human-rights screening")
    assert decision in ok(ledger_root, "list", "decisions")
    ok(ledger_root, "verify")
    ok(ledger_root, "rebuild")
    assert planted.left() == []
    assert quiet_git(ledger_root, "status", "--porcelain", "--untracked-files=all") == ""


def test_healing_a_killed_write_runs_no_program_of_the_ledger(ledger_root, planted, tmp_path):
    # A write killed after it moved the branch: git's index, the working tree and the SQLite
    # index are as they were before it, HEAD has the new commit.
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(ledger_root / ".git" / "index", saved / "index")
    shutil.copytree(ledger_root / ".hrgov", saved / ".hrgov")
    decision = log_decision(ledger_root, "Adopt human-rights screening")
    (path,) = (ledger_root / "records").rglob(f"{decision}.json")
    path.unlink()
    shutil.copy(saved / "index", ledger_root / ".git" / "index")
    shutil.rmtree(ledger_root / ".hrgov")
    shutil.copytree(saved / ".hrgov", ledger_root / ".hrgov")
    planted.into(ledger_root)
    listed = ok(ledger_root, "list", "decisions")
    assert decision in listed
    assert path.is_file()  # healed with git checkout
    assert planted.left() == []
    assert quiet_git(ledger_root, "status", "--porcelain", "--untracked-files=all") == ""


def test_sync_and_clone_run_no_program_of_either_ledger(ledger_root, planted, tmp_path):
    remote = tmp_path / "shared.git"
    quiet_git(tmp_path, "clone", "-q", "--bare", str(ledger_root), str(remote))
    # The ledger cloned from carries settings and hooks of its own.
    planted.into(ledger_root)
    planted.hooks(remote / "hooks")  # upload-pack runs none; receive-pack's are the remote's
    alice = tmp_path / "alice"
    for source, target in ((remote, alice), (ledger_root, tmp_path / "copy")):
        result = run_cli("clone", str(source), str(target))
        assert result.code == 0, result.err
    assert planted.left() == []
    # Alice's copy is handed a .git/config with programs for fetch and push.
    quiet_git(alice, "remote", "set-url", "origin", str(remote))
    planted.into(alice)
    log_decision(alice, "Adopt human-rights screening")
    ok(alice, "sync")
    assert quiet_git(remote, "rev-parse", "main") == quiet_git(alice, "rev-parse", "HEAD")
    assert [m for m in planted.left() if not m.startswith("hook-shared.git-")] == []


def test_an_ext_address_is_refused_even_when_the_ledger_allows_it(ledger_root, planted):
    script = planted.script("ext")
    quiet_git(ledger_root, "config", "protocol.ext.allow", "always")
    quiet_git(ledger_root, "config", "protocol.allow", "always")
    quiet_git(ledger_root, "remote", "add", "origin", f"ext::{script} %S")
    result = cli(ledger_root, "sync")
    assert result.code != 0
    assert planted.left() == []


@pytest.mark.parametrize("where,line", [
    (".gitattributes", "records/** filter=planted"),
    (".gitattributes", "*.json filter=planted"),
    (".gitattributes", "hrgov.toml filter=planted"),
    (".gitattributes", "[attr]harmless filter=planted\nrecords/**/*.json harmless"),
    (".gitattributes", "*.json diff=planted"),
    (".gitattributes", "*.json working-tree-encoding=UTF-16"),
    (".gitattributes", "*.json ident"),
    (".git/info/attributes", "records/** filter=planted"),
    ("records/.gitattributes", "* filter=planted"),
    ("records/decisions/.gitattributes", "* filter=planted"),
])
def test_a_ledger_whose_attributes_name_a_filter_for_records_is_refused(
    ledger_root, planted, where, line
):
    target = ledger_root / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((target.read_text() if target.exists() else "") + line + "\n")
    if not where.startswith(".git/"):
        quiet_git(ledger_root, "add", "--", where)  # runs no filter: the file is not a record
        quiet_git(ledger_root, "commit", "-q", "-m", "attributes", "--no-verify")
    # The drivers the attributes name, in the ledger's own settings.
    quiet_git(ledger_root, "config", "filter.planted.clean",
              str(planted.script("clean", "cat")))
    quiet_git(ledger_root, "config", "filter.planted.smudge",
              str(planted.script("smudge", "cat")))
    quiet_git(ledger_root, "config", "diff.planted.textconv", str(planted.script("textconv")))
    before = quiet_git(ledger_root, "rev-parse", "HEAD")
    for args in (("log", "decision", "A", "--date", "2026-03-04", "--no-input"),
                 ("verify",), ("rebuild",), ("list", "decisions")):
        result = cli(ledger_root, *args)
        assert result.code == 1, (args, result.out)
        assert f"{where.split('/')[-1]} line" in result.err
        assert "remove that line" in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert quiet_git(ledger_root, "rev-parse", "HEAD") == before
    assert planted.left() == []


@pytest.mark.parametrize("line", [
    "docs/** filter=planted",
    "*.docx filter=planted",
    "*.png -diff",
    "records/** -text",
])
def test_attributes_that_spare_records_are_accepted(ledger_root, line):
    (ledger_root / ".gitattributes").write_text(line + "\n")
    ok(ledger_root, "list", "decisions")


def test_a_ledger_with_a_filter_is_not_kept_by_clone(ledger_root, planted, tmp_path):
    (ledger_root / ".gitattributes").write_text("records/** filter=planted\n")
    quiet_git(ledger_root, "add", ".gitattributes")
    quiet_git(ledger_root, "commit", "-q", "-m", "attributes")
    result = run_cli("clone", str(ledger_root), str(tmp_path / "copy"))
    assert result.code == 1
    assert ".gitattributes line 1" in result.err
    assert not (tmp_path / "copy").exists()
