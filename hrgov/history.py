"""Reading the ledger's git history: revisions, commits, the records they changed.

The write path and the index call git's plumbing through this module (one process per call,
never GitPython, whose import costs ~50 ms); the audit-facing checks use GitPython.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import os
import queue
import re
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, partial
from pathlib import Path

from hrgov.errors import GitFailed, InvalidInput, LedgerStateError
from hrgov.model import DATE_PATTERN, parse_date

ZERO_SHA = "0" * 40
PERSONAL_DATA = "personal-data"  # Hrgov-Allow's word: texts about people may hold contacts
RECORD_REASON = "Hrgov-Record-Reason"  # why one record of a change changes: "<id> <reason>"
RENUMBERED = "Hrgov-Renumbered"  # a sync gave a record not yet shared a new id: "<old> <new>"
RESOLVED = "Hrgov-Resolved"  # fields of a record a person settled in a sync: "<id> <field>…"
TRAILER = re.compile(r"^(Hrgov-[A-Za-z-]+): ?(.*)$", re.MULTILINE)
# Git must never stop to ask anything, nor read the user's pager or editor.
GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
# Variables that would point git at another repository, index or object store than the ledger.
FOREIGN_GIT_VARIABLES = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
)


# Settings every git child of hrgov runs with, given on its command line so that they win over
# the ledger's own .git/config (and anything it includes): a ledger copied from someone else (a
# folder, an archive, a backup) must run no program of theirs. Hooks are looked up under
# /dev/null/, where none can exist; attributes files named in a config are not read (the
# ledger's own are checked by ``unsafe_attributes``); the pager is never a program; signatures
# are never checked (that runs gpg.program); ext:: addresses, which run a command, are refused.
SAFE_CONFIG = (
    "core.fsmonitor=false",
    f"core.hooksPath={os.devnull}",
    f"core.attributesFile={os.devnull}",
    "core.pager=cat",
    "log.showSignature=false",
    "protocol.ext.allow=never",
)
SAFE_OPTIONS = ("--no-pager", *(option for c in SAFE_CONFIG for option in ("-c", c)))
# What keeps git's diff and log from running a diff driver (diff.external, diff.<driver>.command,
# diff.<driver>.textconv); hrgov reads --raw output only, but says so.
NO_DIFF_DRIVERS = ("--no-ext-diff", "--no-textconv")


def git_environment() -> dict[str, str]:
    """The environment every git child of hrgov runs in."""
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_GIT_VARIABLES}
    return {**env, **GIT_ENV}


def git_command(root: Path | None, *args: str) -> list[str]:
    """The command line of a git child of hrgov: ``git -C root`` with ``SAFE_OPTIONS``, then
    ``args``. Every git process hrgov starts is made here (with ``git_environment()``)."""
    where = ("-C", str(root)) if root is not None else ()
    return ["git", *where, *SAFE_OPTIONS, *args]


def git(root: Path, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    """Run ``git -C root args…`` and return its stdout; raise ``GitFailed`` on failure."""
    result = subprocess.run(
        git_command(root, *args),
        input=input,
        capture_output=True,
        env=git_environment(),
    )
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit {result.returncode}"
        raise GitFailed(f"git {args[0]} failed: {detail}")
    return result.stdout


# Attributes that make git run a program on a file (filter=, diff= with a driver's textconv or
# command) or change its bytes on the way in or out (working-tree-encoding=, ident).
_UNSAFE_ATTRIBUTE = re.compile(r"^(filter|diff|working-tree-encoding)=|^ident$")
_WILDCARD = re.compile(r"[*?\[\]]")


def unsafe_attributes(root: Path) -> str | None:
    """Why git would run a program of the ledger's sender, or change a file's bytes, on a record
    or ``hrgov.toml``: a line of the ledger's attributes that names a filter, a diff driver, an
    encoding or ident for them; ``None`` if none does. Reads the attributes at the top
    (``.gitattributes``, ``.git/info/attributes``) and those of ``records/`` and of each kind's
    folder: a few small files, never the whole tree (``verify`` looks deeper)."""
    places = [(root / ".gitattributes", True), (root / ".git" / "info" / "attributes", True),
              (root / "records" / ".gitattributes", False)]
    with contextlib.suppress(OSError):
        places += [(Path(entry.path) / ".gitattributes", False)
                   for entry in os.scandir(root / "records") if entry.is_dir()]
    for place, at_top in places:
        try:
            text = place.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = _unsafe_line(text, at_top)
        if found:
            number, line = found
            shown = place.relative_to(root)
            return (
                f"{shown} line {number} ({line!r}) makes git run a program or rewrite files "
                "for the ledger's records; remove that line (hrgov runs no program that a "
                "ledger names)"
            )
    return None


def _unsafe_line(text: str, at_top: bool) -> tuple[int, str] | None:
    """The first line of an attributes file that gives an unsafe attribute (itself or through
    a macro) to a path that may be a record or ``hrgov.toml``; every line of a file under
    ``records/`` counts, a line at the top only if its pattern may match one."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    unsafe = set()  # macros ([attr]name …) that give an unsafe attribute
    for _, line in lines:
        pattern, *attributes = line.split()
        if pattern.startswith("[attr]") and any(_UNSAFE_ATTRIBUTE.match(a) for a in attributes):
            unsafe.add(pattern[len("[attr]"):])
    for number, line in lines:
        pattern, *attributes = line.split()
        if pattern.startswith("[attr]"):
            continue
        if any(_UNSAFE_ATTRIBUTE.match(a) or a in unsafe for a in attributes) and (
            not at_top or _may_name_a_record(pattern)
        ):
            return number, line
    return None


def _may_name_a_record(pattern: str) -> bool:
    """Whether a pattern of the top attributes file may match ``hrgov.toml`` or a record
    (``records/<kind>/[<year>/]<id>.json``). Says yes when unsure."""
    if pattern.startswith('"'):
        return True
    segments = pattern.strip("/").split("/")
    first, last = segments[0], segments[-1]
    if len(segments) > 1 and not _WILDCARD.search(first) and first != "records":
        return False
    if fnmatch.fnmatchcase("hrgov.toml", last):
        return True
    tail = _WILDCARD.split(last)[-1]  # what a matching name ends with
    return tail.endswith(".json") or ".json".endswith(tail)


def head(root: Path) -> str | None:
    """The commit HEAD points to, or ``None`` in a repository with no commit yet.

    Every command asks this first, so the common layout (HEAD naming a branch whose ref is a
    loose file or in packed-refs) is read directly; anything else is left to git.
    """
    git_dir = root / ".git"
    try:
        symbolic = (git_dir / "HEAD").read_text().strip()
        if symbolic.startswith("ref: refs/heads/"):
            ref = symbolic[5:]
            try:
                sha = (git_dir / ref).read_text().strip()
            except FileNotFoundError:
                sha = _packed_ref(git_dir, ref)
            if sha is None or re.fullmatch(r"[0-9a-f]{40}", sha):
                return sha
    except (OSError, UnicodeDecodeError):
        pass
    out = git(root, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False).strip()
    return out.decode() or None


def ref(root: Path, name: str) -> str | None:
    """The commit a full ref name (``refs/remotes/origin/main``) points to, or ``None``: read
    from its file or from packed-refs, as ``head`` reads HEAD's branch, else asked of git."""
    git_dir = root / ".git"
    try:
        sha = (git_dir / name).read_text().strip()
    except FileNotFoundError:
        sha = _packed_ref(git_dir, name)
        if sha is None:
            return None
    except (OSError, UnicodeDecodeError):
        sha = ""
    if re.fullmatch(r"[0-9a-f]{40}", sha):
        return sha
    return commit_named(root, name)


def current_branch(root: Path) -> str:
    """The name of the branch HEAD is on (``main``)."""
    try:
        symbolic = (root / ".git" / "HEAD").read_text().strip()
    except OSError:
        symbolic = ""
    if symbolic.startswith("ref: refs/heads/"):
        return symbolic[len("ref: refs/heads/"):]
    out = git(root, "symbolic-ref", "--short", "-q", "HEAD", check=False).decode().strip()
    if not out:
        raise LedgerStateError(
            "HEAD is not on a branch (detached); check out the ledger's branch "
            "(git checkout main) first"
        )
    return out


def on_branch(root: Path) -> bool:
    """Whether HEAD names a branch (writes on a detached HEAD would be lost)."""
    try:
        return (root / ".git" / "HEAD").read_text().startswith("ref: refs/heads/")
    except OSError:
        return False


# What git leaves in its directory while an operation waits for a person, and how to end it.
_UNFINISHED = (
    ("rebase-merge", "a git rebase", "git rebase --continue", "git rebase --abort"),
    ("rebase-apply", "a git rebase or am", "git rebase --continue", "git rebase --abort"),
    ("MERGE_HEAD", "a git merge", "git commit", "git merge --abort"),
    ("CHERRY_PICK_HEAD", "a git cherry-pick", "git cherry-pick --continue",
     "git cherry-pick --abort"),
    ("REVERT_HEAD", "a git revert", "git revert --continue", "git revert --abort"),
)


def unfinished(root: Path) -> str | None:
    """What git operation is half done in ``root`` (a merge stopped on a conflict, a rebase…)
    and how to finish or abort it, or ``None``. A write made meanwhile would land on a
    branch that git is about to move, and a read would show one side only."""
    git_dir = root / ".git"
    for name, what, finish, abort in _UNFINISHED:
        if (git_dir / name).exists():
            return f"{what} is in progress; finish it ({finish}) or abort it ({abort}) first"
    return None


def _packed_ref(git_dir: Path, ref: str) -> str | None:
    try:
        lines = (git_dir / "packed-refs").read_text().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        if line.endswith(" " + ref):
            return line.split(" ", 1)[0]
    return None


def is_ancestor(root: Path, older: str, newer: str) -> bool:
    """Whether ``older`` is an ancestor of (or equal to) ``newer``."""
    result = subprocess.run(
        git_command(root, "merge-base", "--is-ancestor", older, newer),
        capture_output=True,
        env=git_environment(),
    )
    return result.returncode == 0


def resolve_at(root: Path, at: str) -> str:
    """The commit ``--at`` names: a date means the last commit by the end of that day (UTC).

    >>> resolve_at(ledger_root, "2026-03-31")  # doctest: +SKIP
    '3f2a9c1…'
    """
    if DATE_PATTERN.match(at):
        day = parse_date(at, "revision")
        if day >= datetime.now(UTC).date():
            # Nothing is later than today (and git cannot parse far-future dates).
            out = git(root, "rev-parse", "HEAD", check=False)
        else:
            out = git(root, "rev-list", "-1", f"--before={at}T23:59:59Z", "HEAD", check=False)
        sha = out.decode().strip()
        if not sha:
            raise InvalidInput(f"the ledger holds nothing on or before {at}")
        return sha
    if at.startswith("-") or any(ord(c) < 32 for c in at):
        raise InvalidInput(f"--at {at!r} is neither a date nor a git revision")
    out = git(root, "rev-parse", "-q", "--verify", f"{at}^{{commit}}", check=False).strip()
    if not out:
        raise InvalidInput(
            f"--at {at!r} is neither a date (YYYY-MM-DD) nor a revision of this ledger"
        )
    return out.decode()


def commit_named(root: Path, name: str) -> str | None:
    """The commit a revision name (a branch, a tag, ``HEAD~2``, an abbreviated id) names, or
    ``None``. ``name`` must not look like an option."""
    if name.startswith("-") or any(ord(c) < 32 for c in name):
        return None
    out = git(root, "rev-parse", "-q", "--verify", f"{name}^{{commit}}", check=False).strip()
    return out.decode() or None


def merge_base(root: Path, one: str, other: str) -> str | None:
    """The best common ancestor of two commits, or ``None`` if their histories are unrelated."""
    out = git(root, "merge-base", one, other, check=False).strip()
    return out.decode() or None


def raw_diff(root: Path, old: str, new: str, path: str = ".") -> bytes:
    """``git diff --raw -z`` of two commits' trees under ``path`` (see ``parse_raw_diff``)."""
    return git(
        root, "-c", "core.quotepath=off", "diff", "--raw", "-z", "--no-renames", "--no-abbrev",
        *NO_DIFF_DRIVERS, old, new, "--", path,
    )


def changed_files(root: Path, old: str, new: str, path: str = "records") -> dict[str, tuple]:
    """What changed under ``path`` from commit ``old`` to ``new``: path → (blob before, blob
    after), ``None`` where the file did not exist — one ``git diff`` of the two trees."""
    return parse_raw_diff(raw_diff(root, old, new, path))


def changes_since(root: Path, base: str, *commits: str) -> list[dict[str, tuple]]:
    """What changed from ``base`` to each of ``commits`` (full commit ids), as
    ``changed_files`` with path ``.`` says it, from one ``git diff-tree`` for them all."""
    out = git(
        root, "-c", "core.quotepath=off", "diff-tree", "--stdin", "-r", "--raw", "-z",
        "--no-renames", "--no-abbrev", *NO_DIFF_DRIVERS,
        # A line "<commit> <parent>" diffs the parent to the commit, under a line naming it.
        input="".join(f"{commit} {base}\n" for commit in commits).encode(),
    )
    found: dict[str, bytearray] = {}
    current = None
    fields = out.split(b"\0")
    i = 0
    while i < len(fields):
        field = fields[i]
        if field.startswith(b":"):
            found[current] += field + b"\0" + fields[i + 1] + b"\0"
            i += 2
            continue
        if field.strip():
            current = field.strip().decode()
            found.setdefault(current, bytearray())
        i += 1
    return [parse_raw_diff(bytes(found.get(commit, b""))) for commit in commits]


def parse_raw_diff(out: bytes) -> dict[str, tuple]:
    """path → (blob before, blob after) from ``raw_diff``'s output."""
    fields = out.split(b"\0")
    found = {}
    for i in range(0, len(fields) - 1, 2):
        meta = fields[i].split()
        if not meta:
            continue
        before, after = meta[2].decode(), meta[3].decode()
        found[fields[i + 1].decode("utf-8", "surrogateescape")] = (
            None if before == ZERO_SHA else before, None if after == ZERO_SHA else after
        )
    return found


def last_change(root: Path, revisions: str, path: str) -> Commit | None:
    """The latest commit of ``revisions`` (e.g. ``"base..HEAD"``) that changed ``path``."""
    out = git(root, "log", "-1", "-z", f"--format={LOG_FORMAT}", revisions, "--", path)
    found = [_parse_commit(block) for block in out.split(b"\x1e")[1:]]
    return found[0] if found else None


def renumberings(root: Path, record_id: str) -> list[tuple[Commit, str, str]]:
    """The syncs that gave a record not yet shared a new id, from or to ``record_id``:
    ``(commit, old id, new id)``, oldest first."""
    out = git(
        root, "log", "--reverse", "-z", f"--format={LOG_FORMAT}", "--fixed-strings",
        f"--grep={RENUMBERED}: ", "--grep", record_id, "--all-match", "HEAD",
    )
    found = []
    for block in out.split(b"\x1e")[1:]:
        commit = _parse_commit(block)
        for old, new in commit.renumbered.items():
            if record_id in (old, new):
                found.append((commit, old, new))
    return found


BRIEFING_TAGS = "refs/tags/hrgov/brief/"


def briefing_witnesses(root: Path) -> list[tuple[str, str, str, str]]:
    """The commits Board briefings were built from, as their tags (``hrgov/brief/…``) name
    them: ``(sha, tagged at, subject, how)`` — witnesses any clone that fetched the tags has."""
    out = git(
        root, "for-each-ref", "--format=%(*objectname)%(objectname)%00%(creatordate:unix)%00"
        "%(refname:strip=2)%00%(*subject)%(subject)", BRIEFING_TAGS, check=False,
    ).decode("utf-8", "replace")
    found = []
    for line in out.splitlines():
        parts = line.split("\0")
        if len(parts) == 4 and len(parts[0]) >= 40:
            sha = parts[0][:40]
            when = datetime.fromtimestamp(int(parts[1] or 0), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            found.append((sha, when, parts[3], f"briefing tag {parts[2]}"))
    return found


def reflog_witnesses(root: Path) -> list[tuple[str, str, str, str]]:
    """Every commit the current branch pointed to on this machine, as git's reflog keeps
    them: ``(sha, when, subject, how)``. They let a rebuilt witness list catch a rewrite made
    while it was gone (until git expires the entries, 90 days by default)."""
    try:
        branch = current_branch(root)
    except LedgerStateError:  # detached (a snapshot's scratch copy): no branch to ask after
        return []
    out = git(root, "log", "-g", "--date=unix", "--format=%H%x00%gd%x00%s",
              f"refs/heads/{branch}", "--", check=False).decode("utf-8", "replace")
    found = []
    for line in out.splitlines():
        parts = line.split("\0")
        if len(parts) == 3 and len(parts[0]) >= 40:
            seconds = parts[1].rpartition("@{")[2].rstrip("}")
            when = datetime.fromtimestamp(int(seconds) if seconds.isdigit() else 0, UTC)
            found.append((parts[0], when.strftime("%Y-%m-%dT%H:%M:%SZ"), parts[2],
                          f"git's reflog of {branch}"))
    return found[::-1]  # oldest first, as they were seen


def reachable(root: Path, head: str) -> set[str]:
    """Every commit in ``head``'s history."""
    return set(git(root, "rev-list", head).decode().split())


def tag_briefing(
    root: Path, sha: str, day: str, *, tagger: str = "", sign: Callable | None = None
) -> str:
    """Tag the commit a briefing was built from (``hrgov/brief/<day>-<sha>``): a witness
    that travels with the ledger. With ``sign`` (a tag object's content → the same, signed),
    an annotated tag by ``tagger`` ("Name <email> seconds offset") signed as ``git tag -s``
    signs. Returns the tag's name; an existing one is kept."""
    name = f"hrgov/brief/{day}-{sha[:10]}"
    target = sha
    if sign is not None:
        body = (f"object {sha}\ntype commit\ntag {name}\ntagger {tagger}\n\n"
                f"Board briefing built from {sha}\n").encode()
        target = git(root, "hash-object", "-t", "tag", "-w", "--stdin",
                     input=sign(body)).decode().strip()
    git(root, "update-ref", f"refs/tags/{name}", target, "", check=False)
    with open(root / UNSHARED_BRIEFINGS, "a", encoding="utf-8") as out:
        out.write(name + "\n")
    return name


# The briefing tags made here since the last push: ``hrgov sync`` pushes even when the
# branch has nothing to send while this file lists any.
UNSHARED_BRIEFINGS = ".git/hrgov-unshared-briefings"


def unshared_briefings(root: Path) -> bool:
    """Whether briefing tags were made here since the last successful push."""
    return (root / UNSHARED_BRIEFINGS).exists()


def briefings_shared(root: Path) -> None:
    """A push sent every briefing tag."""
    (root / UNSHARED_BRIEFINGS).unlink(missing_ok=True)


def merges_among(root: Path, shas: list[str]) -> set[str]:
    """Those of ``shas`` that are merge commits."""
    if not shas:
        return set()
    out = git(root, "rev-list", "--no-walk", "--merges", "--stdin",
              input="\n".join(shas).encode() + b"\n")
    return set(out.decode().split())


def side_changes(root: Path, merge: str, path: str) -> list[Commit]:
    """The commits a merge brought in from its second parent's side that changed ``path``,
    oldest first: who recorded what the merge carries."""
    out = git(root, "log", "--reverse", "-z", f"--format={LOG_FORMAT}", f"{merge}^1..{merge}^2",
              "--", path)
    return [_parse_commit(block) for block in out.split(b"\x1e")[1:]]


def count_between(root: Path, ours: str, theirs: str) -> tuple[int, int]:
    """How many commits ``ours`` has that ``theirs`` lacks, and the other way round."""
    out = git(root, "rev-list", "--left-right", "--count", f"{ours}...{theirs}").split()
    return int(out[0]), int(out[1])


def file_at(root: Path, revision: str, path: str) -> bytes | None:
    """The bytes of ``path`` at ``revision``, or ``None`` if it did not exist there."""
    result = subprocess.run(
        git_command(root, "cat-file", "blob", f"{revision}:{path}"),
        capture_output=True,
        env=git_environment(),
    )
    return result.stdout if result.returncode == 0 else None


class CatFile:
    """One ``git cat-file --batch`` process, reading objects by name as they are needed.

    ::

        with CatFile(root) as objects:
            sha, kind, data = objects.read("HEAD:hrgov.toml")
    """

    # Requests sent but not yet answered stay under this many bytes, well inside any pipe:
    # hrgov never waits on a full request pipe while git waits on a full answer pipe.
    IN_FLIGHT = 32 << 10

    def __init__(self, root: Path):
        self._process = subprocess.Popen(
            git_command(root, "cat-file", "--batch"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=git_environment(),
        )
        _widen_pipe(self._process.stdout)
        self._asked: deque[int] = deque()  # the size of each unanswered request
        self._asked_bytes = 0
        self._answered: deque[tuple[str, str, bytes] | None] = deque()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._asked and self._process.poll() is None:
            self._process.kill()  # answers nobody will read: git would wait on them for ever
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.close()
        self._process.wait()
        self._process.stdout.close()

    def read(self, name: str) -> tuple[str, str, bytes] | None:
        """``(sha, type, content)`` of the object ``name``, or ``None`` if it does not exist."""
        self.ask([name])
        return self.answer()

    def read_many(self, names: Iterable[str]) -> Iterator[tuple[str, str, bytes] | None]:
        """Read many objects, streaming requests in bulk (no round trip per object)."""
        names = list(names)
        self.ask(names)
        for _ in names:
            yield self.answer()

    def ask(self, names: Iterable[str]) -> None:
        """Request objects now; ``answer`` gives them, in order, later. git reads them while
        the caller does something else::

            objects.ask(next_batch)
            work_on(this_batch)
            contents = [objects.answer() for _ in next_batch]
        """
        stdin = self._process.stdin
        for name in names:
            request = name.encode() + b"\n"
            while self._asked and self._asked_bytes + len(request) > self.IN_FLIGHT:
                self._answered.append(self._receive())
            stdin.write(request)
            self._asked.append(len(request))
            self._asked_bytes += len(request)
        stdin.flush()

    def answer(self) -> tuple[str, str, bytes] | None:
        """The answer to the oldest request not yet answered: ``(sha, type, content)``, or
        ``None`` for an object that does not exist."""
        if self._answered:
            return self._answered.popleft()
        if not self._asked:
            raise GitFailed("git cat-file was asked for nothing more")
        return self._receive()

    def _receive(self) -> tuple[str, str, bytes] | None:
        self._process.stdin.flush()
        self._asked_bytes -= self._asked.popleft()
        header = self._process.stdout.readline().split()
        if len(header) == 2 and header[1] == b"missing":
            return None
        if len(header) != 3:
            raise GitFailed("git cat-file stopped answering")
        size = int(header[2])
        data = self._process.stdout.read(size + 1)[:-1]
        return header[0].decode(), header[1].decode(), data


_TREE_ENTRY = re.compile(rb"([0-7]+) ([^\0]+)\0", re.DOTALL)


def tree_entries(data: bytes) -> list[tuple[bytes, bytes, int, int]]:
    """A tree object's entries as ``(mode, name, start, end)``, in git's order: each entry
    is ``data[start:end]``, its last 20 bytes the object's sha."""
    entries = []
    position, match = 0, _TREE_ENTRY.match
    while position < len(data):
        found = match(data, position)
        if found is None or found.end() + 20 > len(data):
            raise GitFailed("git holds a tree this version of hrgov cannot read")
        end = found.end() + 20
        entries.append((found[1], found[2], position, end))
        position = end
    return entries


@dataclass(frozen=True)
class Commit:
    """A commit as hrgov reads it: who, when, what for, and which record files changed."""

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    time: int  # committer time, seconds since the epoch
    subject: str
    message: str
    changes: tuple[tuple[str, str, str], ...]  # (status A/M/D, path, new blob sha)

    @cached_property
    def trailers(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, value in TRAILER.findall(self.message):
            found.setdefault(key, []).append(value.strip())
        return found

    @property
    def command(self) -> str | None:
        return (self.trailers.get("Hrgov-Command") or [None])[0]

    @property
    def reason(self) -> str | None:
        reasons = self.trailers.get("Hrgov-Reason")
        return "\n".join(reasons) if reasons else None

    @property
    def allows_personal_data(self) -> bool:
        """Whether the change was made with contact details allowed (``Hrgov-Allow``)."""
        return PERSONAL_DATA in self.trailers.get("Hrgov-Allow", [])

    @cached_property
    def record_reasons(self) -> dict[str, str]:
        """Why single records changed, where the commit says it per record
        (``Hrgov-Record-Reason: <id> <reason>``, an import row's reason cell)."""
        lines = self.trailers.get(RECORD_REASON, [])
        return dict((line.split(" ", 1) + [""])[:2] for line in lines)

    @property
    def renumbered(self) -> dict[str, str]:
        """The ids a sync changed: old id → new id (``Hrgov-Renumbered``)."""
        pairs = (line.split() for line in self.trailers.get(RENUMBERED, []))
        return {p[0]: p[1] for p in pairs if len(p) == 2}

    @property
    def resolved(self) -> dict[str, frozenset[str]]:
        """The fields a person settled in a sync, by record (``Hrgov-Resolved``)."""
        pairs = (line.split() for line in self.trailers.get(RESOLVED, []))
        return {p[0]: frozenset(p[1:]) for p in pairs if p}

    def reason_for(self, record_id: str) -> str | None:
        """Why this commit changed ``record_id``: its own reason, else the commit's."""
        return self.record_reasons.get(record_id) or self.reason if (
            RECORD_REASON in self.trailers
        ) else self.reason


LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%ct%x1f%B%x1f"


def _log_arguments(revisions: str) -> list[str]:
    return [
        # --first-parent: the ledger's own line, a merge diffed against it, so that a merge's
        # resolution is applied exactly as it stands.
        "-c", "core.quotepath=off", "log", "--reverse", "--topo-order",
        "--first-parent", "--diff-merges=first-parent", "--raw", "--no-renames", "--no-abbrev",
        *NO_DIFF_DRIVERS, "-z", f"--format={LOG_FORMAT}", revisions,
    ]


def commits(root: Path, revisions: str) -> list[Commit]:
    """The commits of ``revisions`` (e.g. ``"HEAD"`` or ``"a1b2..HEAD"``), oldest first, with
    the files each changed — one ``git log`` call for the whole range."""
    out = git(root, *_log_arguments(revisions))
    return [_parse_commit(block) for block in out.split(b"\x1e")[1:]]


class _LogStream:
    """One ``git log`` of ``revisions``, started at once and read through a pipe. The first
    segment of a history is read as git writes it; a later one (``ahead=True``) is drained
    by a thread meanwhile, so that its git runs on the other core without waiting for the
    reader, whose chunks then wait in memory."""

    def __init__(self, root: Path, revisions: str, *, ahead: bool = False):
        self.revisions = revisions
        self._process = subprocess.Popen(
            git_command(root, *_log_arguments(revisions)),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_environment(),
        )
        _widen_pipe(self._process.stdout)
        self._drained: queue.SimpleQueue | None = None
        if ahead:
            self._drained = queue.SimpleQueue()
            threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        read = self._process.stdout.read1
        while chunk := read(1 << 20):
            self._drained.put(chunk)
        self._drained.put(b"")

    def _chunks(self) -> Iterator[bytes]:
        # Whatever git has written so far, without waiting for more.
        read = self._drained.get if self._drained else partial(self._process.stdout.read1, 1 << 20)
        while chunk := read():
            yield chunk

    def __iter__(self) -> Iterator[Commit]:
        pending = b""
        for chunk in self._chunks():
            blocks = (pending + chunk).split(b"\x1e")
            pending = blocks.pop()
            for block in blocks:
                if block:
                    yield _parse_commit(block)
        if pending:
            yield _parse_commit(pending)
        if self._process.wait() != 0:
            raise GitFailed(f"git log {self.revisions} failed")

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._process.stdout.close()


def _widen_pipe(stream) -> None:
    """Let git run up to a megabyte ahead of its reader (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError):  # a smaller pipe only means more waits
        fcntl.fcntl(stream.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)


# A history longer than this is read by two ``git log`` processes at once (one for each part
# of the first-parent line): diffing the trees is most of a rebuild's work, and it shares
# out between cores.
SPLIT_HISTORY_AT = 2000


def stream_history(root: Path, head: str) -> tuple[int, Iterator[Commit]]:
    """The number of commits on ``head``'s first-parent line, and those commits oldest first,
    with the files each changed, yielded as git produces them::

        total, found = stream_history(root, history.head(root))
    """
    line = git(root, "rev-list", "--first-parent", head).split()
    if len(line) <= SPLIT_HISTORY_AT:
        segments = [head]
    else:
        # ``line`` is newest first. The older third is read as git writes it; meanwhile the
        # rest is diffed on the other core (measured: a third beats a half by ~1 s at 100,000
        # records, as the reader starts on work that is ready sooner).
        middle = line[len(line) * 2 // 3].decode()
        segments = [middle, f"{middle}..{head}"]
    streams = [_LogStream(root, r, ahead=n > 0) for n, r in enumerate(segments)]

    def commits_in_order() -> Iterator[Commit]:
        try:
            for stream in streams:
                yield from stream
        finally:
            for stream in streams:
                stream.close()

    return len(line), commits_in_order()


def _parse_commit(block: bytes) -> Commit:
    sha, parents, name, email, ctime, message, raw = block.split(b"\x1f", 6)
    text = message.decode("utf-8", "replace")
    return Commit(
        sha=sha.decode(),
        parents=tuple(parents.decode().split()),
        author_name=name.decode("utf-8", "replace"),
        author_email=email.decode("utf-8", "replace"),
        time=int(ctime),
        subject=text.split("\n", 1)[0],
        message=text,
        changes=tuple(_parse_raw(raw)),
    )


def _parse_raw(raw: bytes) -> Iterator[tuple[str, str, str]]:
    # -z --raw: ":<modes> <old> <new> <status>\0<path>\0" repeated.
    fields = raw.lstrip(b"\n\0").split(b"\0")
    for i in range(0, len(fields) - 1, 2):
        meta = fields[i].lstrip(b"\n").split()
        if not meta or not meta[0].startswith(b":"):
            continue
        path = fields[i + 1].decode("utf-8", "surrogateescape")
        yield meta[4].decode()[0], path, meta[3].decode()


def tree_files(root: Path, revision: str, path: str = "records") -> dict[str, str]:
    """Every file under ``path`` at ``revision``: path → blob sha."""
    out = git(root, "-c", "core.quotepath=off", "ls-tree", "-r", "-z", revision, "--", path)
    files = {}
    for entry in out.split(b"\0"):
        if entry:
            meta, name = entry.split(b"\t", 1)
            files[name.decode("utf-8", "surrogateescape")] = meta.split()[2].decode()
    return files


def uncommitted(root: Path, path: str = "records") -> list[str]:
    """Hand-made changes under ``path`` that are not committed, as ``git status`` lines."""
    out = git(root, "status", "--porcelain", "--untracked-files=all", "--", path)
    return [line for line in out.decode("utf-8", "replace").splitlines() if line]


def first_parent_line(root: Path, revision: str = "HEAD") -> list[Commit]:
    """The commits on ``revision``'s first-parent line, oldest first, without their changes:
    who, when and the message (its trailers) — one ``git log`` call that diffs nothing."""
    out = git(
        root, "log", "--reverse", "--first-parent", "--topo-order", "-z",
        f"--format={LOG_FORMAT}", revision,
    )
    return [_parse_commit(block) for block in out.split(b"\x1e")[1:]]
