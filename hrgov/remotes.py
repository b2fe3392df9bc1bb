"""Git remotes: where a ledger is shared (GitHub, GitLab, Gitea, a bare repository over SSH).

A storage module, beside ``hrgov.history``: it talks to remotes through GitPython's remote API,
which also reports the progress of a transfer::

    tip = fetch(root, "origin", "main", report=print)    # the remote's branch, or None
    if not push(root, "origin", "main"):                 # False: someone pushed first
        ...

GitPython is imported here only, so that commands that never reach a remote do not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hrgov import history
from hrgov.errors import LedgerStateError

Report = Callable[[str], None]


class RemoteFailed(LedgerStateError):
    """A remote could not be reached, or refused what was sent."""


def _repo(root: Path):
    import git  # GitPython: ~50 ms to import, paid by the commands that use a remote

    return git.Repo(root)


def _progress(report: Report | None, doing: str):
    """A GitPython progress object that reports ``doing: receiving objects 45%``."""
    import git

    if report is None:
        return None

    class _Progress(git.RemoteProgress):
        def update(self, op_code, cur_count, max_count=None, message=""):
            stage = self._cur_line.split(":", 1)[0].strip() if self._cur_line else ""
            if max_count:
                report(f"{doing}: {stage.lower()} {int(100 * cur_count / max_count)}%")

    return _Progress()


def _failure(error) -> str:
    """git's own last words from a GitPython error, for a one-line message."""
    text = str(getattr(error, "stderr", "") or error).strip().strip("'\"").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line.removeprefix("stderr:").strip() for line in lines]
    useful = [line for line in lines if line.startswith(("fatal:", "error:", "remote:"))]
    return (useful or lines or ["unknown error"])[-1]


def names(root: Path) -> list[str]:
    """The remotes this ledger knows, by name."""
    out = history.git(root, "remote").decode()
    return out.split()


def url(root: Path, remote: str) -> str:
    out = history.git(root, "remote", "get-url", remote, check=False).decode().strip()
    return out


def tracking_ref(remote: str, branch: str) -> str:
    return f"refs/remotes/{remote}/{branch}"


def tracking(root: Path, remote: str, branch: str) -> str | None:
    """The remote's branch as this ledger last saw it (at the last fetch or push)."""
    return history.commit_named(root, tracking_ref(remote, branch))


def set_tracking(root: Path, remote: str, branch: str, sha: str | None) -> None:
    """Put the remote-tracking branch back where it was (``None``: it did not exist)."""
    ref = tracking_ref(remote, branch)
    if sha is None:
        history.git(root, "update-ref", "-d", ref, check=False)
    else:
        history.git(root, "update-ref", ref, sha)


def fetch(root: Path, remote: str, branch: str, report: Report | None = None) -> str | None:
    """Fetch ``branch`` of ``remote`` into its remote-tracking branch; its commit, or ``None``
    when the remote does not have that branch yet (an empty remote)."""
    import git

    repo = _repo(root)
    try:
        listed = repo.git.ls_remote("--heads", remote, f"refs/heads/{branch}")
    except git.GitCommandError as error:
        raise RemoteFailed(
            f"cannot reach {remote} ({url(root, remote)}): {_failure(error)}; check the "
            "address and the network, then run hrgov sync again"
        ) from None
    finally:
        repo.close()
    if not listed.strip():
        return None
    repo = _repo(root)
    try:
        repo.remote(remote).fetch(
            f"+refs/heads/{branch}:{tracking_ref(remote, branch)}",
            progress=_progress(report, f"fetching from {remote}"),
            no_tags=True,
        )
    except git.GitCommandError as error:
        raise RemoteFailed(f"fetching from {remote} failed: {_failure(error)}") from None
    finally:
        repo.close()
    return tracking(root, remote, branch)


def push(root: Path, remote: str, branch: str, report: Report | None = None) -> bool:
    """Push HEAD to ``branch`` of ``remote``, never forcing. ``False`` if the remote moved
    meanwhile (someone else pushed first: fetch and integrate again)."""
    import git

    repo = _repo(root)
    try:
        results = repo.remote(remote).push(
            f"HEAD:refs/heads/{branch}", progress=_progress(report, f"sending to {remote}")
        )
    except git.GitCommandError as error:
        raise RemoteFailed(f"sending to {remote} failed: {_failure(error)}") from None
    finally:
        repo.close()
    if not results:
        raise RemoteFailed(f"sending to {remote} failed: git reported nothing")
    for result in results:
        summary = result.summary.strip()
        if result.flags & result.REJECTED or any(race in summary for race in _RACES):
            return False
        if result.flags & (result.REMOTE_REJECTED | result.REMOTE_FAILURE | result.ERROR):
            raise RemoteFailed(f"{remote} refused the push: {summary or 'no reason given'}")
    return True


# How a remote says that another push got there first.
_RACES = ("fetch first", "non-fast-forward", "cannot lock ref", "failed to update ref")


def clone(address: str, directory: Path, report: Report | None = None) -> None:
    """Clone ``address`` into ``directory`` (which must not exist or be empty)."""
    import git

    try:
        git.Repo.clone_from(
            address, directory, progress=_progress(report, f"cloning {address}"),
            multi_options=["--no-tags"],
        ).close()
    except git.GitCommandError as error:
        raise RemoteFailed(f"cannot clone {address}: {_failure(error)}") from None
