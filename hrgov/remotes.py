"""Git remotes: where a ledger is shared (GitHub, GitLab, Gitea, a bare repository over SSH).

A storage module, beside ``hrgov.history``: ``git fetch``, ``git push`` and ``git clone``,
with git's own progress report relayed line by line::

    tip = fetch(root, "origin", "main", report=print)    # the remote's branch, or None
    if not push(root, "origin", "main"):                 # False: someone pushed first
        ...

These run git's transfer commands directly rather than through GitPython's remote API:
importing GitPython took 130 ms of a 715 ms sync (measured with ``bench/budget.py --only
sync``), a fifth of the whole budget, for what git already reports itself.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from hrgov import history
from hrgov.errors import LedgerStateError

Report = Callable[[str], None]


class RemoteFailed(LedgerStateError):
    """A remote could not be reached, or refused what was sent."""


def _transfer(
    args: list[str], report: Report | None, doing: str, meanwhile: Callable | None = None
) -> tuple[int, str, str]:
    """Run a git transfer command; relay its progress lines (``Receiving objects: 45%``) to
    ``report`` as they come; run ``meanwhile()`` while git works. Returns the exit code,
    stdout and stderr."""
    if report is not None:
        args = [*args, "--progress"]
    process = subprocess.Popen(
        ["git", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=history.git_environment(),
    )
    if meanwhile is not None:
        try:
            meanwhile()
        except BaseException:
            process.communicate()  # git ends what it started: a killed one leaves lock files
            raise
    said = bytearray()
    if report is None:
        out, err = process.communicate()
        return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    while chunk := process.stderr.read1(4096):
        said += chunk
        line = re.split(rb"[\r\n]", bytes(said).rstrip(b"\r\n"))[-1].decode("utf-8", "replace")
        if line.strip() and not line.startswith(("fatal:", "error:", "remote: error")):
            report(f"{doing}: {line.strip()}")
    out = process.stdout.read()
    process.wait()
    return process.returncode, out.decode("utf-8", "replace"), said.decode("utf-8", "replace")


def _failure(stderr: str) -> str:
    """git's own last words, for a one-line message."""
    lines = [line.strip() for line in re.split(r"[\r\n]", stderr) if line.strip()]
    useful = [line for line in lines if line.startswith(("fatal:", "error:", "remote:", "!"))]
    return (useful or lines or ["unknown error"])[-1]


def configured(root: Path) -> tuple[list[str], dict[str, str]]:
    """The remotes this ledger knows, and the remote each branch pulls from — one call."""
    out = history.git(
        root, "config", "--get-regexp", r"^(remote\..*\.url|branch\..*\.remote)$", check=False
    ).decode()
    known, upstreams = [], {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        section, _, rest = key.partition(".")
        name, _, field = rest.rpartition(".")
        if section == "remote" and field == "url":
            known.append(name)
        elif section == "branch" and field == "remote":
            upstreams[name] = value
    return known, upstreams


def upstream(root: Path, branch: str) -> str | None:
    """The remote the branch is set to pull from (``branch.<name>.remote``), if any."""
    out = history.git(root, "config", "--get", f"branch.{branch}.remote", check=False)
    return out.decode().strip() or None


def url(root: Path, remote: str) -> str:
    return history.git(root, "remote", "get-url", remote, check=False).decode().strip()


def tracking_ref(remote: str, branch: str) -> str:
    return f"refs/remotes/{remote}/{branch}"


def tracking(root: Path, remote: str, branch: str) -> str | None:
    """The remote's branch as this ledger last saw it (at the last fetch or push)."""
    return history.ref(root, tracking_ref(remote, branch))


def set_tracking(root: Path, remote: str, branch: str, sha: str | None) -> None:
    """Put the remote-tracking branch back where it was (``None``: it did not exist)."""
    ref = tracking_ref(remote, branch)
    if sha is None:
        history.git(root, "update-ref", "-d", ref, check=False)
    else:
        history.git(root, "update-ref", ref, sha)


def witness_ref(remote: str, branch: str) -> str:
    return f"refs/hrgov/seen/{remote}/{branch}"


def witnessed(root: Path, remote: str, branch: str) -> str | None:
    """The remote's branch as the last sync checked it, or as cloned. Unlike the
    remote-tracking branch, which any ``git fetch`` moves, only hrgov moves this one, after
    checking that the remote still holds what it saw before."""
    return history.ref(root, witness_ref(remote, branch)) or tracking(root, remote, branch)


def witness(root: Path, remote: str, branch: str, sha: str) -> None:
    """Remember ``sha`` as the remote's branch, checked. Written as git's own loose ref file
    (temp + rename: atomic), which git reads before packed-refs — no git process for it."""
    target = root / ".git" / witness_ref(remote, branch)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    tmp.write_text(sha + "\n")
    os.replace(tmp, target)


def fetch(
    root: Path, remote: str, branch: str, report: Report | None = None,
    meanwhile: Callable | None = None,
) -> str | None:
    """Fetch ``branch`` of ``remote`` into its remote-tracking branch, running
    ``meanwhile()`` while git fetches; the branch's commit, or ``None`` when the remote does
    not have that branch yet (an empty remote)."""
    code, _, said = _transfer(
        ["-C", str(root), "fetch", "--no-tags", "--no-write-fetch-head", remote,
         f"+refs/heads/{branch}:{tracking_ref(remote, branch)}", BRIEFING_TAGS],
        report, f"fetching from {remote}", meanwhile,
    )
    if code != 0:
        if "couldn't find remote ref" in said:
            return None
        raise RemoteFailed(
            f"cannot reach {remote} ({url(root, remote)}): {_failure(said)}; check the "
            "address and the network, then run hrgov sync again"
        )
    return tracking(root, remote, branch)


# The briefing tags travel with the branch, never overwritten (no "+"): they are witnesses
# of the history each briefing was built from (see ``history.tag_briefing``).
BRIEFING_TAGS = "refs/tags/hrgov/brief/*:refs/tags/hrgov/brief/*"

# How a remote says that another push got there first.
_RACES = ("fetch first", "non-fast-forward", "cannot lock ref", "failed to update ref",
          "stale info")


def push(
    root: Path, remote: str, branch: str, report: Report | None = None,
    meanwhile: Callable | None = None,
) -> bool:
    """Push HEAD to ``branch`` of ``remote``, never forcing, running ``meanwhile()`` while
    git sends. ``False`` if the remote moved meanwhile (someone else pushed first: fetch and
    integrate again)."""
    sent = history.head(root)
    code, told, said = _transfer(
        ["-C", str(root), "push", "--porcelain", remote, f"{sent}:refs/heads/{branch}",
         BRIEFING_TAGS],
        report, f"sending to {remote}", meanwhile,
    )
    if code == 0:  # git moved the remote-tracking branch itself
        witness(root, remote, branch, sent)
        return True
    if any(race in told or race in said for race in _RACES):
        return False
    refused = [line for line in told.splitlines() if line.startswith("!")]
    reason = refused[0].split("\t")[-1] if refused else _failure(said)
    raise RemoteFailed(f"{remote} refused what was sent: {reason}")


def clone(address: str, directory: Path, report: Report | None = None) -> None:
    """Clone ``address`` into ``directory`` (which must not exist or be empty)."""
    if address.startswith("-"):
        raise RemoteFailed(f"{address!r} is not an address of a repository")
    code, _, said = _transfer(
        ["clone", "--", address, str(directory)], report, f"cloning {address}"
    )
    if code != 0:
        raise RemoteFailed(f"cannot clone {address}: {_failure(said)}")
    if history.head(directory) is None:
        # The remote's HEAD names a branch it lacks (a bare repository made with git's old
        # default, master, then given main): take main, or its only branch.
        out = history.git(directory, "for-each-ref", "--format=%(refname:strip=3)",
                          "refs/remotes/origin/")
        branches = [b for b in out.decode().split() if b != "HEAD"]
        chosen = "main" if "main" in branches else (branches[0] if len(branches) == 1 else None)
        if chosen:
            history.git(directory, "checkout", "-q", "-b", chosen, f"origin/{chosen}")
