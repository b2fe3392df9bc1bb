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
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from hrgov import history, sealing
from hrgov.errors import LedgerStateError

Report = Callable[[str], None]


class RemoteFailed(LedgerStateError):
    """A remote could not be reached, or refused what was sent."""


# Settings that make a fetch or push run a program: over ssh, to ask for a password, to fetch
# credentials, or on the other side instead of git's own (remote.<name>.uploadpack). The
# ledger's own .git/config (scope local or worktree) must not choose them; the user's global
# and system settings, and the user's own environment, still do.
_PROGRAMS = (
    r"^(core\.(sshcommand|askpass|gitproxy)|credential\..*helper"
    r"|remote\..*\.(uploadpack|receivepack))$"
)
_TRUSTED_SCOPES = ("system", "global", "command")
# The program a fetch or a push runs on the other side, and git's own.
_OTHER_SIDE = {"fetch": ("uploadpack", "git-upload-pack"),
               "push": ("receivepack", "git-receive-pack")}


def _transfer_settings(
    root: Path | None, command: str, remote: str | None
) -> tuple[dict[str, str], list]:
    """The environment and options of a fetch or push from ``root``: ``git_environment()``,
    with any program the ledger's own configuration names for transfers replaced by the
    user's own (from global or system settings) or by git's default. One ``git config``
    call."""
    env = history.git_environment()
    if root is None:
        return env, []
    entries = _program_settings(str(root))
    planted = {key for scope, key, _ in entries if scope not in _TRUSTED_SCOPES}
    if not planted:
        return env, []
    trusted = [(key, value) for scope, key, value in entries if scope in _TRUSTED_SCOPES]

    def own(key: str) -> str | None:
        values = [v for k, v in trusted if k == key]
        return values[-1] if values else None

    settings: list[tuple[str, str]] = []
    if any(key.startswith("credential.") for key in planted):
        # An empty helper clears the list so far; then the user's own helpers, in order.
        settings.append(("credential.helper", ""))
        settings += [(k, v) for k, v in trusted if k.startswith("credential.")]
    if "core.askpass" in planted:
        settings.append(("core.askpass", own("core.askpass") or ""))  # "": none
    # git takes the first uploadpack or receivepack it reads: only an option overrides it.
    options = []
    if command in _OTHER_SIDE:
        program, default = _OTHER_SIDE[command]
        key = f"remote.{remote}.{program}"
        if key in planted:
            options.append(f"--{program[:-4]}-pack={own(key) or default}")
    count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    for i, (key, value) in enumerate(settings, start=count):
        env[f"GIT_CONFIG_KEY_{i}"], env[f"GIT_CONFIG_VALUE_{i}"] = key, value
    env["GIT_CONFIG_COUNT"] = str(count + len(settings))
    # Environment variables win over any configuration: ssh as the user has it (their global
    # core.sshCommand, else GIT_SSH, else ssh); no proxy command for git:// addresses.
    if "core.sshcommand" in planted and "GIT_SSH_COMMAND" not in env:
        ssh = own("core.sshcommand") or (shlex.quote(env["GIT_SSH"]) if env.get("GIT_SSH")
                                         else "ssh")
        env["GIT_SSH_COMMAND"] = ssh
    if "core.gitproxy" in planted:
        env.setdefault("GIT_PROXY_COMMAND", "")
    return env, options


def _program_settings(root: str) -> list[tuple[str, str, str]]:
    """The settings of ``_PROGRAMS`` as git reads them: (scope, key, value), in order — as
    the sync's ``configured`` call read them, else read now."""
    found = _vetted.get(root)
    return found if found is not None else _read_settings(Path(root), _PROGRAMS)


def _transfer(
    root: Path | None, args: list[str], report: Report | None, doing: str,
    meanwhile: Callable | None = None, remote: str | None = None,
) -> tuple[int, str, str]:
    """Run a git transfer command in ``root``; relay its progress lines (``Receiving objects:
    45%``) to ``report`` as they come; run ``meanwhile()`` while git works. Returns the exit
    code, stdout and stderr."""
    env, options = _transfer_settings(root, args[0], remote)
    args = [args[0], *options, *args[1:]]
    if report is not None:
        args = [*args, "--progress"]
    process = subprocess.Popen(
        history.git_command(root, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env,
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
    """The remotes this ledger knows, and the remote each branch pulls from — one call, which
    also reads the settings the fetch and push that follow must vet (``_transfer_settings``)."""
    entries = _read_settings(root, rf"^(remote\..*\.url|branch\..*\.remote|{_PROGRAMS[2:-2]})$")
    _vetted[str(root)] = [e for e in entries if re.match(_PROGRAMS, e[1])]
    known, upstreams = [], {}
    for _, key, value in entries:
        section, _, rest = key.partition(".")
        name, _, field = rest.rpartition(".")
        if section == "remote" and field == "url" and name not in known:
            known.append(name)
        elif section == "branch" and field == "remote":
            upstreams[name] = value
    return known, upstreams


def _read_settings(root: Path, pattern: str) -> list[tuple[str, str, str]]:
    """git's settings whose names match ``pattern``: (scope, key, value), in the order git
    reads them."""
    out = history.git(root, "config", "--show-scope", "-z", "--get-regexp", pattern,
                      check=False).decode("utf-8", "surrogateescape")
    parts = out.split("\0")
    entries = []
    for scope, entry in zip(parts[::2], parts[1::2], strict=False):
        key, _, value = entry.partition("\n")
        entries.append((scope, key, value))
    return entries


# The transfer settings read by the last ``configured`` call, by ledger: a sync's fetch and
# push use them without asking git again.
_vetted: dict[str, list[tuple[str, str, str]]] = {}


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
        root, ["fetch", "--no-tags", "--no-write-fetch-head", "--no-recurse-submodules", remote,
               f"+refs/heads/{branch}:{tracking_ref(remote, branch)}", BRIEFING_TAGS,
               sealing.fetch_keys(remote)],
        report, f"fetching from {remote}", meanwhile, remote,
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
    keys = [sealing.PUSH_KEYS] if history.git(
        root, "rev-parse", "--verify", "-q", sealing.KEYS_REF, check=False).strip() else []
    code, told, said = _transfer(
        root, ["push", "--porcelain", "--no-recurse-submodules", remote,
               f"{sent}:refs/heads/{branch}", BRIEFING_TAGS, *keys],
        report, f"sending to {remote}", meanwhile, remote,
    )
    if code == 0:  # git moved the remote-tracking branch itself
        witness(root, remote, branch, sent)
        history.briefings_shared(root)
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
        None, ["clone", "--", address, str(directory)], report, f"cloning {address}",
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
