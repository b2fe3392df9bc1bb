"""Set up the ``sync`` figure's scenario once, so that an outside timer can repeat it.

    .venv/bin/python bench/sync_scenario.py [--size 10000] [WORK]

bench/budget.py builds a fresh change before every timed sync. An outside timer (``/usr/bin/time
-v``, hyperfine, …) runs one command again and again instead, so this script builds one
round of the scenario (see budget.sync_cost: each side's bare remote, its measured clone and
another person's clone; the other person's decision pushed, a local decision logged) and
writes WORK/reset-hrgov.sh and WORK/reset-git.sh, which put a side back exactly as it was
before its sync: the remote's branch, the clone's branch and remote-tracking branch, the
worktree and the index database. Each timed command then starts with its reset:

    sh -c '. WORK/reset-hrgov.sh && exec hrgov -q sync'
    sh -c '. WORK/reset-git.sh && git pull --no-edit && git push'

Both resets do the same work (a ``git reset --hard`` of one commit, two ``update-ref`` and a
copy of the index database), so they add the same few tens of milliseconds to both sides and
pull the ratio slightly towards 1; time the resets alone to subtract them. It prints the two
commands.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
from pathlib import Path

import budget


def snapshot(shared: budget.Sharing, name: str, work: Path) -> Path:
    """A shell script that puts ``shared`` back as it is now and leaves the shell in its clone."""
    branch = budget.run("git", "symbolic-ref", "--short", "HEAD", cwd=shared.mine).strip()
    remote_head = shared.head(shared.remote, branch)
    mine = shared.head()
    tracking = shared.head(ref=f"refs/remotes/origin/{branch}")
    witness = f"refs/hrgov/seen/origin/{branch}"
    seen = subprocess.run(["git", "rev-parse", "-q", "--verify", witness], cwd=shared.mine,
                          capture_output=True, text=True).stdout.strip()
    saved = work / f"{name}-ledger.db"
    shutil.copy2(shared.mine / ".hrgov" / "ledger.db", saved)
    q = shlex.quote
    script = work / f"reset-{name}.sh"
    # The commit hrgov sync last saw on the remote goes back too (it refuses a remote that
    # lost a commit it saw).
    witnessed = f"git update-ref {witness} {seen}" if seen else f"git update-ref -d {witness}"
    script.write_text(
        f"git -C {q(str(shared.remote))} update-ref refs/heads/{branch} {remote_head}\n"
        f"cd {q(str(shared.mine))}\n"
        f"git reset -q --hard {mine}\n"
        f"git update-ref refs/remotes/origin/{branch} {tracking}\n"
        f"{witnessed}\n"
        f"cp {q(str(saved))} .hrgov/ledger.db\n"
    )
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", nargs="?", type=Path, default=budget.OUT / "sync-scenario")
    parser.add_argument("--size", type=int, default=10000, help="records in the ledger")
    args = parser.parse_args()
    budget.install(fresh=False)
    root = budget.ledger_of(args.size, fresh=False)
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ours, theirs = budget.sharing(root, work, "hrgov"), budget.sharing(root, work, "git")
    budget.run("git", "config", "pull.rebase", "false", cwd=theirs.mine)
    # as one round of budget.sync_cost: the same id taken on both sides for hrgov, another
    # year's path for git (a pull of one path added on both sides would stop on a conflict)
    budget.log_decision(ours.other, "Decision logged elsewhere", "2026-06-01")
    budget.run(budget.HRGOV, "-q", "--ledger", str(ours.other), "sync")
    budget.log_decision(theirs.other, "Decision logged elsewhere", "2025-06-01")
    budget.run(budget.HRGOV, "-q", "--ledger", str(theirs.other), "sync")
    budget.log_decision(ours.mine, "Decision logged here", "2026-06-01")
    budget.log_decision(theirs.mine, "Decision logged here", "2026-06-01")
    reset_ours, reset_theirs = snapshot(ours, "hrgov", work), snapshot(theirs, "git", work)
    q = shlex.quote
    print("A:", f"sh -c {q(f'. {reset_ours} && exec {budget.HRGOV} -q sync')}")
    print("B:", f"sh -c {q(f'. {reset_theirs} && git pull --no-edit && git push')}")
    print("resets alone:", f"sh -c {q(f'. {reset_ours}')}", "/",
          f"sh -c {q(f'. {reset_theirs}')}")


if __name__ == "__main__":
    main()
