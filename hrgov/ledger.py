"""The ledger on disk and its unit of work: one change is one git commit, or nothing.

::

    ledger = Ledger.find()
    with ledger.change("log decision", author="Ana Secretary <ana@example.org>") as tx:
        tx.put({"kind": "decision", "id": tx.next_id("decision", 2026), ...})

A change takes an exclusive lock, heals what a killed command left, brings the index up to
HEAD, lets the block stage records, validates them all, writes the git objects without
touching the working tree and moves the branch with a compare-and-swap (the single atomic
point), then updates the working tree, git's index and the SQLite index. An exception anywhere
before the compare-and-swap leaves the ledger exactly as it was.
"""

from __future__ import annotations

import bisect
import fcntl
import hashlib
import os
import re
import shlex
import shutil
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from hrgov import config, history, queries, records, rules, sealing, signing
from hrgov.errors import (
    GitFailed,
    InvalidInput,
    InvalidRecord,
    LedgerDirty,
    LedgerStateError,
    NotALedger,
    NotInHistory,
    RecordNotFound,
    RulesBroken,
)
from hrgov.index import Index, NotOnLine, build, utc
from hrgov.model import KINDS, check_text, format_dated_id, kind_of_id, validate

INDEX_DIR = ".hrgov"
INDEX_FILE = "ledger.db"
LOCK_FILE = "hrgov.lock"
STALE_GIT_LOCK_SECONDS = 5.0
GITIGNORE = f"{INDEX_DIR}/\n"
COMMIT_ID = re.compile(r"^[0-9a-fA-F]{4,40}$")
AUTHOR = re.compile(r"^\s*(?P<name>[^<>\n]+?)\s*<(?P<email>[^<>\s]+)>\s*$")


def parse_author(text: str) -> tuple[str, str]:
    """``"Ana Secretary <ana@example.org>"`` → ``("Ana Secretary", "ana@example.org")``."""
    match = AUTHOR.match(text or "")
    if not match:
        raise InvalidInput(f"author {text!r} is not of the form 'Name <email>'")
    check_text(match["name"], "author name", one_line=True)
    check_text(match["email"], "author email", one_line=True)
    return match["name"], match["email"]


def find_root(start: Path | None = None) -> Path:
    """The ledger given by ``HRGOV_LEDGER`` or found by walking up from ``start`` (the
    current directory) to a folder holding ``hrgov.toml``, as git finds ``.git``."""
    if start is None and os.environ.get("HRGOV_LEDGER"):
        return _check_root(Path(os.environ["HRGOV_LEDGER"]))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / config.CONFIG_FILE).is_file():
            return _check_root(folder)
    raise NotALedger(
        f"no hrgov ledger in {here} or its parents (create one with: hrgov init DIR, "
        "or point to one with --ledger PATH)"
    )


def _check_root(path: Path) -> Path:
    path = path.expanduser().resolve()
    if not (path / config.CONFIG_FILE).is_file() or not (path / ".git").is_dir():
        raise NotALedger(
            f"{path} is not an hrgov ledger (it needs {config.CONFIG_FILE} and a git "
            "repository; create one with: hrgov init DIR)"
        )
    check_attributes(path)
    return path


def check_attributes(root: Path) -> None:
    """Refuse a ledger whose git attributes would make git run a program (a filter, a diff
    driver) or rewrite the bytes of its records: a ledger handed over runs no code."""
    unsafe = history.unsafe_attributes(root)
    if unsafe:
        raise LedgerStateError(f"{root} cannot be used: {unsafe}")


class Ledger:
    """A ledger: a git repository of record files with its SQLite index."""

    def __init__(self, root: Path):
        self.root = root
        self.index_path = root / INDEX_DIR / INDEX_FILE

    @classmethod
    def find(cls, path: str | Path | None = None) -> Ledger:
        """The ledger at ``path`` (``--ledger``), else ``HRGOV_LEDGER``, else found upwards."""
        return cls(_check_root(Path(path)) if path else find_root())

    def settings(self) -> dict[str, str]:
        return config.parse((self.root / config.CONFIG_FILE).read_text(encoding="utf-8"))

    def unfinished(self) -> str | None:
        """A git operation left half done (a merge stopped on a conflict…), said for people."""
        return history.unfinished(self.root)

    # ---- locking and healing ---------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the ledger's exclusive lock; other hrgov processes wait their turn. The kernel
        releases it if this process dies."""
        with open(self.root / ".git" / LOCK_FILE, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _heal(
        self,
        progress: Callable | None = None,
        diff: tuple | None = None,
        blobs: Mapping[str, bytes] | None = None,
    ) -> Index:
        """Repair what a killed command left and return an index current with HEAD.

        Call with the lock held. A caller that just moved the branch from ``old`` to ``new``
        gives ``diff`` (``(old, new, raw diff of their trees)``) and the files it read or
        wrote meanwhile (``blobs``: blob sha → bytes), which are then not asked of git again.
        """
        self._remove_stale_git_locks()
        index = Index.open(self.index_path)
        head = history.head(self.root) or ""
        if index is not None and index.head == head:
            return index
        moved = diff is not None and index is not None and (diff[0], diff[1]) == (
            index.head, head
        )
        since = None
        if index is not None and index.head and head and (moved or history.is_ancestor(
            self.root, index.head, head
        )):
            since = index.head
        if head:
            self._repair_working_tree(since, diff[2] if moved else None, blobs)
        if since:
            found = history.commits(self.root, f"{index.head}..{head}")
            try:
                index.absorb(found, self._blobs(found, blobs), head,
                             signatures=signing.signed_by(self.root, [c.sha for c in found]))
                return index
            except NotOnLine:
                pass  # the line forked before anything this index holds: rebuild
        if index is not None:
            index.close()
        return self._rebuild(progress)

    def _rebuild(self, progress: Callable | None = None, *, first_sight: bool = False) -> Index:
        self.index_path.parent.mkdir(exist_ok=True)
        return build(self.root, self.index_path, progress, first_sight=first_sight)

    def _blobs(
        self, commits: list[history.Commit], have: Mapping[str, bytes] | None = None
    ) -> dict[str, bytes]:
        """The record files ``commits`` wrote, by blob: those in ``have`` (already read by
        the caller), the rest read from git."""
        have = have or {}
        wanted = {
            blob
            for c in commits
            for status, path, blob in c.changes
            if status != "D" and records.kind_of_path(path)
        }
        found = {blob: have[blob] for blob in wanted if blob in have}
        missing = sorted(wanted - found.keys())
        if missing:
            with history.CatFile(self.root) as objects:
                found.update({a[0]: a[2] for a in objects.read_many(missing) if a})
        return found

    def _remove_stale_git_locks(self) -> None:
        """A git child killed mid-write leaves ``*.lock`` files that block every later git
        write. We hold hrgov's lock, so no hrgov process owns them; wait briefly in case a
        git command run by hand does, then remove them."""
        git_dir = self.root / ".git"
        candidates = [git_dir / "index.lock", git_dir / "HEAD.lock"]
        candidates += list((git_dir / "refs" / "heads").glob("**/*.lock"))
        for lock in candidates:
            try:
                age = time.time() - lock.stat().st_mtime
            except FileNotFoundError:
                continue
            deadline = time.time() + STALE_GIT_LOCK_SECONDS - age
            while lock.exists() and time.time() < deadline:
                time.sleep(0.05)
            lock.unlink(missing_ok=True)

    def _repair_working_tree(
        self, since: str | None, diff: bytes | None = None,
        blobs: Mapping[str, bytes] | None = None,
    ) -> None:
        """Bring record files that lag behind HEAD up to it.

        A command killed after moving the branch but before updating the working tree leaves
        files (and git's index) at the version of ``since``, the commit the index reflects. A
        file changed in ``since..HEAD`` is restored from HEAD when its working copy is missing
        or holds either version; anything else is a hand edit and is left alone (write
        commands then refuse). Without ``since`` (no usable index), only files that are missing
        or already equal HEAD are restored, so that no hand edit is ever overwritten.
        """
        options = ("--raw", "--no-abbrev", "--no-renames", "-z", *history.NO_DIFF_DRIVERS)
        # Every path, not only records/: a sync brings hrgov.toml and other files too.
        if since:
            out = diff if diff is not None else history.git(
                self.root, "diff", *options, since, "HEAD"
            )
        else:
            out = history.git(self.root, "diff-index", "--cached", *options, "HEAD")
        fields = out.split(b"\0")
        restore, drop, known = [], [], {}
        blobs = blobs or {}
        for i in range(0, len(fields) - 1, 2):
            meta = fields[i].split()
            if not meta:
                continue
            before, after = meta[2].decode(), meta[3].decode()
            if not since:  # diff-index --cached: HEAD is the first side
                before, after = after, before
            path = fields[i + 1].decode("utf-8", "surrogateescape")
            working = _blob_sha(self.root / path)
            safe = (None, before, after) if since else (None, after)
            if working not in safe:
                continue
            if after == history.ZERO_SHA:
                drop.append(path)
            elif after in blobs:
                known[path] = blobs[after]
            else:
                restore.append(path)
        if known:  # files whose bytes the caller holds: written here, then staged
            self._write_files(known)
        if restore:
            history.git(
                self.root, "checkout", "HEAD", "--pathspec-from-file=-", "--pathspec-file-nul",
                input=_nul_separated(restore),
            )
        if drop:
            history.git(
                self.root, "update-index", "--force-remove", "-z", "--stdin",
                input=_nul_separated(drop),
            )
        for path in drop:
            (self.root / path).unlink(missing_ok=True)

    def _write_files(self, files: Mapping[str, bytes]) -> None:
        """Put files in the working tree (temp + rename) and stage exactly those paths."""
        scratch = self.root / INDEX_DIR / "tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        tmp = f"{scratch}/{os.getpid()}.file"
        folders: set[str] = set()
        for path, data in files.items():
            target = f"{self.root}/{path}"
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            with open(tmp, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        history.git(self.root, "update-index", "--add", "-z", "--stdin",
                    input=_nul_separated(files))

    # ---- reading ---------------------------------------------------------------------

    def reader(self, progress: Callable | None = None) -> sqlite3.Connection:
        """A connection to the index, brought up to HEAD first if it lags behind."""
        index = Index.open(self.index_path)
        if index is None or index.head != (history.head(self.root) or ""):
            if index is not None:
                index.close()
            with self.lock():
                index = self._heal(progress)
        return index.conn

    def record(self, record_id: str, *, at: str | None = None) -> dict:
        """The record now, or as it was at ``at`` (a date: the end of that day, UTC; or a git
        revision; see ``hrgov.snapshot``: before HEAD, it withholds records that are or were
        restricted since). ``RecordNotFound`` if it did not exist then."""
        if at is None:
            return queries.require(self.reader(), record_id)
        from hrgov.snapshot import snapshot

        kind_of_id(record_id)
        with snapshot(self, at, withhold=True) as snap:
            found = queries.get(snap.conn, record_id)
        if found is None:
            raise RecordNotFound(f"no record {record_id} at {at} (commit {snap.sha[:10]})")
        return found

    def versions(self, record_id: str) -> list[dict]:
        """Every version of a record on the first-parent line, oldest first (see
        ``queries.versions``). A version a merge made also says where it came from: the
        commits of the merged side that changed the record (``merged_from``: commit, time,
        author, subject), and the id it had there if the merge renumbered it
        (``renumbered_from``)."""
        kind_of_id(record_id)
        found = queries.versions(self.reader(), record_id)
        if not found:
            raise RecordNotFound(f"no record {record_id} has ever existed in this ledger")
        merges = history.merges_among(self.root, sorted({v["commit"] for v in found}))
        if merges:
            renamed = {m["commit"]: m["from"] for m in self.renumberings(record_id)
                       if m["to"] == record_id}
            for version in found:
                if version["commit"] not in merges or version["record"] is None:
                    continue
                was = renamed.get(version["commit"], record_id)
                if was != record_id:
                    version["renumbered_from"] = was
                path = records.path_for(version["record"]["kind"], was)
                version["merged_from"] = [
                    {"commit": c.sha, "time": utc(c.time), "subject": c.subject,
                     "author": f"{c.author_name} <{c.author_email}>"}
                    for c in history.side_changes(self.root, version["commit"], path)
                ]
        return found

    def briefing_signer(self) -> signing.Signer | None:
        """The key a briefing's tag is signed with when the ledger signs (None when it does
        not). Ask before writing the briefing: it refuses, saying what to set, when the key
        is missing."""
        return signing.briefing_signer(self.root)

    def witness_briefing(
        self, sha: str, day: str, signer: signing.Signer | None = None
    ) -> str:
        """Record that a Board briefing was built from commit ``sha`` on ``day``: a tag
        ``hrgov/brief/<day>-<sha>`` (shared by ``hrgov sync``; signed by ``signer``) and
        this machine's witness. Returns the tag's name."""
        tagger = ""
        if signer is not None:
            name, email = resolve_author(self.root, None)
            now = int(time.time())
            tagger = f"{name} <{email}> {now} {_utc_offset(now)}"
        name = history.tag_briefing(
            self.root, sha, day, tagger=tagger, sign=signer.sign_tag if signer else None
        )
        index = Index.open(self.index_path)
        if index is not None:
            try:
                index.witness(history.briefing_witnesses(self.root))
            finally:
                index.close()
        return name

    def renumberings(self, record_id: str) -> list[dict]:
        """Where a record went when a sync renumbered it (its id was taken elsewhere before
        it was shared): ``{"commit", "time", "author", "from", "to"}``, oldest first."""
        kind_of_id(record_id)
        return [
            {"commit": c.sha, "time": utc(c.time), "author": f"{c.author_name} <"
             f"{c.author_email}>", "from": old, "to": new}
            for c, old, new in history.renumberings(self.root, record_id)
        ]

    def rebuild(
        self, progress: Callable | None = None, *, first_sight: bool = False
    ) -> sqlite3.Connection:
        """Recreate the index from the git history, from scratch (its witnesses are kept).
        ``first_sight``: a new clone, which has seen nothing of the ledger before."""
        with self.lock():
            self._remove_stale_git_locks()
            if history.head(self.root):
                self._repair_working_tree(None)
            return self._rebuild(progress, first_sight=first_sight).conn

    # ---- writing ---------------------------------------------------------------------

    @contextmanager
    def integrating(self) -> Iterator[Integration]:
        """Hold the lock and bring in other people's commits (see ``Integration``). Refuses
        while a git operation is half done or records/ holds uncommitted changes."""
        busy = self.unfinished()
        if busy:
            raise LedgerStateError(f"{busy}; nothing was changed")
        if not history.on_branch(self.root):
            raise LedgerStateError(
                "HEAD is not on a branch (detached); check out the ledger's branch "
                "(git checkout main) first"
            )
        with self.lock():
            work = Integration(self)
            work._refresh()
            try:
                yield work
            finally:
                work.close()

    def change(
        self,
        command: str,
        *,
        author: str | None = None,
        reason: str | None = None,
        timestamp: int | None = None,
        allow_personal_data: bool = False,
        dry_run: bool = False,
    ) -> Change:
        """A unit of work that becomes exactly one commit, or nothing. The rule book
        (``hrgov.rules``) is applied to every record it writes.

        ``author`` is "Name <email>" (default ``HRGOV_AUTHOR``, else git's user config);
        ``reason`` goes into the commit as a ``Hrgov-Reason:`` trailer;
        ``allow_personal_data`` lets texts about people hold contact details, and says so in
        the commit (``Hrgov-Allow: personal-data``); ``dry_run`` checks everything and
        writes nothing.
        """
        return Change(
            self, command, author=author, reason=reason, timestamp=timestamp,
            allow_personal_data=allow_personal_data, dry_run=dry_run,
        )


def resolve_author(root: Path, author: str | None) -> tuple[str, str]:
    """The person acting: ``author``, else ``HRGOV_AUTHOR``, else git's user config."""
    if author:
        return parse_author(author)
    if os.environ.get("HRGOV_AUTHOR"):
        return parse_author(os.environ["HRGOV_AUTHOR"])
    ident = history.git(root, "var", "GIT_AUTHOR_IDENT", check=False).decode().strip()
    match = re.match(r"^(.*) <(.*)> \d+ [+-]\d{4}$", ident)
    if not match or not match[1].strip():
        raise InvalidInput(
            "who is acting? give --as 'Name <email>', set HRGOV_AUTHOR, or set git's "
            "user.name and user.email"
        )
    return match[1], match[2]


@dataclass
class _Staged:
    path: str
    data: bytes
    record: dict | None
    # The data key a restricted record's file is sealed with (None: written in clear).
    data_key: object | None = None


class Change:
    """Records staged for one commit. Use as a context manager (see ``Ledger.change``)."""

    def __init__(
        self, ledger, command, *, author, reason, timestamp, allow_personal_data=False,
        dry_run=False,
    ):
        self.ledger = ledger
        self.command = command
        self.author_text = author
        self.reason = reason
        self.allow_personal_data = allow_personal_data
        self.dry_run = dry_run
        self.reasons: dict[str, str] = {}  # record id → why it changes, when said per record
        self._broken: list[rules.Broken] | None = None  # the rule book's answer, until a put
        self._signer: signing.Signer | None = None  # the key the commit was signed with
        self._looked_up: dict[str, dict | None] = {}
        self.timestamp = timestamp
        self.subject: str | None = None
        # Set by commands whose subject and reason never hold a record's content (shred,
        # recipients): they are then written in clear even when restricted records are sealed.
        self.says_no_content = False
        # Set where records are sealed anew to other recipients (hrgov recipients remove):
        # otherwise an unchanged sealed record is not written again (see ``put``).
        self.seal_anew = False
        self._unchanged: list[str] = []  # sealed records put back as they were
        self._seal_to: list | None = None  # the recipients' keys, once a record is sealed
        self.staged: dict[str, _Staged] = {}
        self._by_id: dict[str, dict] = {}
        self.written: list[dict] = []
        self.commit: str | None = None
        self.warning: str | None = None
        self.conn: sqlite3.Connection | None = None
        self._index: Index | None = None
        self._lock = None

    # -- the block's API --

    def get(self, record_id: str) -> dict | None:
        """The record as this change leaves it: staged if put here, else from the index."""
        staged = self._by_id.get(record_id)
        if staged is not None:
            return staged
        if record_id not in self._looked_up:  # links repeat: an import names a few records often
            self._looked_up[record_id] = queries.get(self.conn, record_id)
        return self._looked_up[record_id]

    def require(self, record_id: str, kind: str) -> dict:
        """The record, or ``RecordNotFound`` with a hint listing that kind."""
        staged = self.get(record_id)
        if staged is not None and staged["kind"] == kind:
            return staged
        return queries.require(self.conn, record_id, kind)

    def next_id(self, kind_name: str, year: int) -> str:
        """The next free id of a dated kind in ``year``, counting records staged here."""
        kind = KINDS[kind_name]
        number = queries.highest_number(self.conn, kind, year)
        prefix = f"{kind.id_prefix}-{year:04d}-"
        for staged in self.staged.values():
            if staged.record and staged.record["id"].startswith(prefix):
                number = max(number, int(staged.record["id"][len(prefix) :]))
        return format_dated_id(kind, year, number + 1)

    def put(self, record: dict, *, reason: str | None = None) -> dict:
        """Stage a record (new or changed). It is validated now and again at commit.
        ``reason`` is why this record changes, where the change's own reason does not say it
        (an import row's ``reason`` cell); it goes into the commit as a
        ``Hrgov-Record-Reason:`` trailer."""
        self._refuse_sealed(record)
        record = validate(record)
        self._broken = None
        if reason is not None and reason.strip():
            check_text(reason, "the reason")
            self.reasons[record["id"]] = reason
        path = records.path_of(record)
        if self._sealed_as_it_was(record, path):
            # Sealing again gives new ciphertext for the same record: a change that changes
            # nothing would be committed. Left as it is, it is "nothing to change" as anywhere.
            self.staged.pop(path, None)
            self._by_id[record["id"]] = record
            self._unchanged.append(record["id"])
            return record
        data, data_key = self._file_of(record)
        self.staged[path] = _Staged(path, data, record, data_key)
        self._by_id[record["id"]] = record
        return record

    def _sealed_as_it_was(self, record: dict, path: str) -> bool:
        return (not self.seal_anew and record["sensitivity"] == sealing.RESTRICTED
                and record["id"] not in self.reasons
                and record == _AtHead(self.conn).get(record["id"])
                and sealing.sealed_on_disk(self.ledger.root, record))

    def _refuse_sealed(self, record: dict) -> None:
        """A record this clone reads only in outline cannot be rewritten from it."""
        record_id = record.get("id", "?")
        if sealing.SHREDDED in record:
            raise InvalidInput(f"{record_id} was shredded: its content is gone and it cannot "
                               "change any more")
        if record.get(sealing.SEALED) is True:
            sealing.identities(self.ledger.root, required=f"changing {record_id}")
            raise LedgerStateError(
                f"{record_id} is sealed and this clone holds no key that opens it (shredded, "
                "or not yet shared with you: run hrgov sync); nothing was written"
            )

    def _file_of(self, record: dict) -> tuple[bytes, object | None]:
        """The bytes of a record's file: sealed when it is restricted and the ledger has
        recipients (``hrgov.sealing``), with the data key it is sealed with."""
        if record["sensitivity"] != sealing.RESTRICTED:
            return records.dumps(record), None
        if self._seal_to is None:
            root = self.ledger.root
            listed = sealing.recipients(root)
            if listed:
                sealing.require_recipient(root, f"writing the restricted record {record['id']}",
                                          listed)
            self._seal_to = [sealing.recipient_key(key) for key in listed]
        if not self._seal_to:
            return records.dumps(record), None
        outline, key = sealing.sealer_for(self.ledger.root).seal(record, self._seal_to)
        return records.dumps(outline), key

    def shred(self, record_id: str) -> dict:
        """Stage the shredded form of a sealed restricted record: its outline (the fields a
        sealed file keeps in clear, ``sealing.clear_fields``) and the day it was shredded.
        The caller destroys its data keys once the commit stands (``hrgov.sealing.shred``)."""
        record = self.get(record_id)
        if record is None:
            raise RecordNotFound(f"no record {record_id} in this ledger")
        if record["sensitivity"] != sealing.RESTRICTED:
            raise InvalidInput(
                f"{record_id} is {record['sensitivity']}, not restricted: only restricted "
                "records are sealed, and only they can be shredded"
            )
        if sealing.SHREDDED in record:
            raise InvalidInput(f"{record_id} was shredded on {record[sealing.SHREDDED]} already")
        if not sealing.sealed_on_disk(self.ledger.root, record):
            raise InvalidInput(
                f"{record_id} is written in clear, and so is its history, which shredding "
                "cannot reach: seal it first (hrgov seal --all)"
            )
        clear = sealing.clear_fields(record["kind"])
        outline = {k: v for k, v in record.items() if k in clear}
        outline[sealing.SHREDDED] = self._today()
        path = records.path_of(outline)
        self.staged[path] = _Staged(path, records.dumps(outline), outline)
        self._by_id[record_id] = outline
        self._broken = None
        return outline

    def put_file(self, path: str, data: bytes) -> None:
        """Stage a file that is not a record (``hrgov.toml`` at init)."""
        if path.startswith("records/"):
            raise ValueError(f"{path} is a record's place: put the record, which is checked")
        self.staged[path] = _Staged(path, data, None)

    # -- the unit of work --

    def __enter__(self) -> Change:
        self.author = resolve_author(self.ledger.root, self.author_text)
        if self.reason is not None:
            check_text(self.reason, "the reason")
        busy = history.unfinished(self.ledger.root)
        if busy:
            raise LedgerStateError(f"{busy}; nothing was written")
        if not history.on_branch(self.ledger.root):
            raise LedgerStateError(
                "HEAD is not on a branch (detached); check out the ledger's branch "
                "(git checkout main) before recording anything"
            )
        self._lock = self.ledger.lock()
        self._lock.__enter__()
        try:
            self._index = self.ledger._heal()
            self.conn = self._index.conn
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None and self.staged and self.dry_run:
                self._check_rules()
                self.written = [s.record for s in self.staged.values() if s.record]
            elif exc_type is None and (self.staged or self._unchanged) and not self.dry_run:
                self._commit()
        finally:
            self._release()

    def _release(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None

    def broken(self) -> list[rules.Broken]:
        """Every rule of the rule book that the records staged break, each old (at HEAD)
        against new."""
        if self._broken is None:
            change = rules.Circumstances(
                self.reason, self.allow_personal_data, self.command,
                before=_AtHead(self.conn), today=self._today(),
            )
            self._broken = []
            olds = queries.get_many(self.conn, self._by_id)
            for staged in self.staged.values():
                if staged.record is not None and not sealing.is_sealed(staged.record):
                    record_id = staged.record["id"]
                    why = self.reasons.get(record_id)
                    old = olds.get(record_id)
                    self._broken += rules.check(
                        old, staged.record, self, replace(change, reason=why) if why else change
                    )
            linked = {i for s in self.staged.values() for v in (s.record, olds.get(
                s.record["id"]) if s.record else None) for i in rules.partners(v)}
            before = _AtHead(self.conn)
            for record_id in sorted(linked - set(self._by_id)):
                partner = before.get(record_id)
                if partner is not None:
                    self._broken += rules.check_unwritten(partner, before, self)
        return self._broken

    def _today(self) -> str:
        """The day of this change: the timestamp's (UTC), else the local calendar's."""
        if self.timestamp is None:
            return time.strftime("%Y-%m-%d")
        return time.strftime("%Y-%m-%d", time.gmtime(self.timestamp))

    def _check_rules(self) -> None:
        broken = self.broken()
        if broken:
            raise RulesBroken(broken)

    def _commit(self) -> None:
        root = self.ledger.root
        self._check_rules()
        signer = self._signer = signing.signer_for(root, self.staged)  # refuses now if needed
        ids = [s.record["id"] for s in self.staged.values() if s.record]
        if not self.staged and self._unchanged:
            raise InvalidInput(f"nothing to change: {', '.join(self._unchanged)} already as given")
        message = self._message(ids)
        now = self.timestamp if self.timestamp is not None else int(time.time())
        objects = _ObjectWriter(root)
        with history.CatFile(root) as reader:
            # Build on the commit the index was brought to, and only on it: a commit made
            # meanwhile by hand makes the compare-and-swap below fail instead of being skipped.
            parent = reader.read(self._index.head) if self._index.head else None
            base_tree = parent[2].split(b"\n", 1)[0].split()[1].decode() if parent else None
            shas = objects.write_blobs([s.data for s in self.staged.values()])
            blobs = {
                tuple(path.split("/")): sha for path, sha in zip(self.staged, shas, strict=True)
            }
            at_head: dict[tuple, str | None] = {}
            tree = _build_tree(reader, objects, base_tree, blobs, at_head)
        self._refuse_hand_edits(at_head)
        self._refuse_overwriting_unindexed(at_head)
        if tree == base_tree:
            raise InvalidInput(f"nothing to change: {', '.join(ids)} already as given")
        name, email = self.author
        offset = _utc_offset(now)
        ident = f"{name} <{email}> {now} {offset}"
        body = f"tree {tree}\n"
        if parent:
            body += f"parent {parent[0]}\n"
        body += f"author {ident}\ncommitter {ident}\n\n{message}"
        data = body.encode("utf-8")
        sha = objects.write(b"commit", signer.sign(data) if signer else data)
        # The single atomic point: the branch moves only if it is still where we read it.
        try:
            history.git(
                root,
                "update-ref",
                "-m",
                f"hrgov: {self.command}",
                "HEAD",
                sha,
                parent[0] if parent else history.ZERO_SHA,
            )
        except GitFailed:
            if history.head(root) == (parent[0] if parent else None):
                raise
            raise LedgerStateError(
                "the ledger's branch moved while this command ran (a commit made outside "
                "hrgov?); nothing was written: run the command again"
            ) from None
        self.commit = sha
        self.written = [s.record for s in self.staged.values() if s.record]
        try:
            self._finish(sha, message, now, parent, blobs)
        except Exception as error:  # the commit stands: the next command completes the rest
            self.warning = (
                f"committed, but updating the working tree or index failed ({error}); "
                "the next hrgov command repairs it"
            )

    def _finish(self, sha, message, now, parent, blobs) -> None:
        """After the commit: the working tree, git's index and the SQLite index."""
        name, email = self.author
        self._write_working_tree()
        commit = history.Commit(
            sha=sha,
            parents=(parent[0],) if parent else (),
            author_name=name,
            author_email=email,
            time=now,
            subject=message.split("\n", 1)[0],
            message=message,
            changes=tuple(
                ("M", path, blobs[tuple(path.split("/"))])
                for path, s in self.staged.items()
                if s.record
            ),
        )
        written = {blobs[tuple(p.split("/"))]: s for p, s in self.staged.items() if s.record}
        # The records were validated when staged: the index takes them as they read back.
        known = {}
        for blob, staged in written.items():
            if staged.data_key is not None:  # sealed: the index keeps what it opens to
                known[blob] = (staged.record, records.dumps(staged.record).decode())
                continue
            found = records.read_back(staged.record, staged.data)
            if found is not None:
                known[blob] = found
        signer = self._signer
        self._index.absorb(
            [commit], {blob: s.data for blob, s in written.items()}, sha, known,
            signatures={sha: signer.principal} if signer and signer.principal else None,
        )

    def _refuse_overwriting_unindexed(self, at_head: dict[tuple, str | None]) -> None:
        """A new record never replaces a file HEAD already holds: such a file exists but is not
        in the index (invalid, or written by a newer tool), and ``hrgov verify`` names it."""
        for parts, blob in at_head.items():
            staged = self.staged["/".join(parts)]
            unreadable = blob is not None and staged.record is not None and (
                queries.get(self.conn, staged.record["id"]) is None
            )
            if unreadable:
                raise LedgerStateError(
                    f"{'/'.join(parts)} is in the ledger but hrgov cannot read it (see: "
                    "hrgov verify); fix or remove it with git before writing"
                )

    def _refuse_hand_edits(self, at_head: dict[tuple, str | None]) -> None:
        """Refuse to overwrite a file that holds an uncommitted hand edit.

        Commits are built from HEAD, never from the working tree, so a hand edit elsewhere can
        neither be committed by accident nor lost; ``hrgov verify`` reports it. Checked in
        Python against HEAD's blobs, so a write costs no scan of the whole tree.
        """
        root = str(self.ledger.root)
        folders: set[tuple] = set()  # checked already: a year's folder holds thousands
        for parts, blob in at_head.items():
            path = "/".join(parts)
            for depth in range(1, len(parts)):
                if parts[:depth] in folders:
                    continue
                folders.add(parts[:depth])
                if os.path.islink(os.path.join(root, *parts[:depth])):
                    raise LedgerStateError(
                        f"{'/'.join(parts[:depth])} is a symbolic link; hrgov writes only "
                        "inside the ledger: replace it with a folder"
                    )
            where = f"{root}/{path}"
            if (blob is None and os.path.lexists(where)) or (
                blob is not None and _blob_sha(Path(where)) not in (None, blob)
            ):
                raise LedgerDirty(
                    f"{path} has uncommitted changes made by hand; commit them with git or "
                    f"discard them (git checkout -- {path}), then run the command again"
                )

    def _write_working_tree(self) -> None:
        self.ledger._write_files({path: s.data for path, s in self.staged.items()})

    def _message(self, ids: list[str]) -> str:
        keys = {s.record["id"]: s.data_key for s in self.staged.values()
                if s.record and s.data_key is not None}
        sealer = sealing.sealer_for(self.ledger.root) if keys else None
        if keys and not self.says_no_content:  # nothing of a sealed record in clear
            others = f" and {len(ids) - 1} more" if len(ids) > 1 else ""
            self.subject = f"{self.command} {ids[0]}{others}: sealed"
        if self.subject is None:
            first = next((s.record for s in self.staged.values() if s.record), None)
            title = ""
            if first is not None:
                title = str(first.get(KINDS[first["kind"]].title_field, ""))
            self.subject = f"{self.command} {ids[0]}: {title}" if ids else self.command
        subject = " ".join(self.subject.split())
        if len(subject) > 100:
            subject = subject[:99] + "…"
        trailers = [f"Hrgov-Command: {self.command}"]
        trailers += [f"Hrgov-Record: {i}" for i in ids]
        if self.reason:
            reason = " ".join(self.reason.split())
            if sealer and not self.says_no_content:  # with the first sealed record's key
                reason = sealer.seal_text(reason, *next(iter(keys.items())))
            trailers.append("Hrgov-Reason: " + reason)
        for record_id, why in self.reasons.items():
            why = " ".join(why.split())
            if sealer and record_id in keys and not self.says_no_content:
                why = sealer.seal_text(why, record_id, keys[record_id])
            trailers.append(f"{history.RECORD_REASON}: {record_id} {why}")
        if self.allow_personal_data:
            trailers.append(f"Hrgov-Allow: {history.PERSONAL_DATA}")
        return f"{subject}\n\n" + "\n".join(trailers) + "\n"


@dataclass
class MergedRecord:
    """A record as a merge commit leaves it, with the versions it was merged from: ``first``
    is the first parent's (the shared line's), ``second`` the second parent's (renumbered if
    its id was), ``base`` their common ancestor's. ``resolved`` names the fields a person
    settled (``hrgov resolve``), with ``reason``."""

    path: str
    record: dict | None
    base: dict | None
    first: dict | None
    second: dict | None
    resolved: frozenset[str] = frozenset()
    reason: str | None = None


class Integration:
    """Bringing other people's commits into the ledger (``hrgov sync``): the ledger's lock is
    held throughout, and the branch moves only by compare-and-swap — by a fast-forward or by
    one merge commit — so that a kill at any moment leaves the ledger where it was, or moved
    as a whole and healed by the next command. Use through ``Ledger.integrating()``."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.root = ledger.root
        self.conn: sqlite3.Connection | None = None
        # Files read or written during the integration (blob sha → bytes): the index takes
        # them from here after the branch moves.
        self.blobs: dict[str, bytes] = {}
        self._objects: history.CatFile | None = None
        self._unsettled: tuple | None = None  # a move whose working tree and index wait

    @property
    def objects(self) -> history.CatFile:
        """One ``cat-file`` for everything the integration reads from git."""
        if self._objects is None:
            self._objects = history.CatFile(self.root)
        return self._objects

    def close(self) -> None:
        self.settle()
        if self._objects is not None:
            self._objects.close()
            self._objects = None
        if self.conn is not None:
            self.conn.close()

    @property
    def head(self) -> str | None:
        return history.head(self.root)

    def _refresh(self, diff: tuple | None = None) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = self.ledger._heal(diff=diff, blobs=self.blobs).conn

    def reopen(self) -> None:
        """Rebuild the index from scratch (data keys arrived: the sealed records they open
        are read anew, their history included)."""
        self.settle()
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.ledger._rebuild().close()
        self._refresh()

    def settle(self) -> None:
        """Bring the working tree and the index up to a merge committed with
        ``settle=False`` (meanwhile, its push can already be on its way)."""
        if self._unsettled is not None:
            diff, self._unsettled = self._unsettled, None
            self._refresh(diff or None)

    def advance(self, tip: str) -> dict[str, tuple]:
        """Fast-forward the branch to ``tip``, which descends from HEAD. Returns what changed:
        path → (blob before, blob after)."""
        return self._move(tip, self.head, "fast-forward")

    def merge(
        self,
        *,
        first: str,
        merged: list[MergedRecord],
        lookup: rules.Lookup,
        message: str,
        author: str | None = None,
        timestamp: int | None = None,
        files: Mapping[str, bytes | None] | None = None,
        settle: bool = True,
    ) -> str:
        """Commit the merge of ``first`` (the shared line's commit) with HEAD: the tree of
        ``first`` with the ``merged`` records written in. The rule book's merge rules judge
        every record first (``lookup`` answers for records the merge does not write); a
        broken rule raises ``RulesBroken`` and nothing is written. Returns the commit."""
        second = self.head
        staged = {m.record["id"]: m.record for m in merged if m.record is not None}
        around = _Around(staged, lookup)
        broken = []
        for m in merged:
            change = rules.Circumstances(m.reason, False, "sync")
            broken += rules.check_merge(
                m.base, m.first, m.second, m.record, around, change, m.resolved
            )
        linked = {i for m in merged for v in (m.first, m.second, m.record)
                  for i in rules.partners(v)} - set(staged)
        for record_id in sorted(linked):
            partner = lookup.get(record_id)
            if partner is not None:
                broken += rules.check_unwritten(partner, lookup, around)
        if broken:
            raise RulesBroken(broken)
        name, email = resolve_author(self.root, author)
        now = timestamp if timestamp is not None else int(time.time())
        objects = _ObjectWriter(self.root)
        writes = [m for m in merged if m.record is not None]
        reader = self.objects
        parent = reader.read(first)
        base_tree = parent[2].split(b"\n", 1)[0].split()[1].decode()
        others = {p: data for p, data in (files or {}).items() if data is not None}
        keys: dict = {}
        seal = self._sealing(first, keys)
        contents = [seal(m.record) for m in writes] + list(others.values())
        message += self._resolution_reasons(writes, keys)
        shas = objects.write_blobs(contents)
        self.blobs.update(zip(shas, contents, strict=True))
        paths = [m.path for m in writes] + list(others)
        changes: dict[tuple, str | None] = {
            tuple(path.split("/")): sha for path, sha in zip(paths, shas, strict=True)
        }
        changes.update({tuple(m.path.split("/")): None for m in merged if m.record is None})
        changes.update({tuple(p.split("/")): None for p, d in (files or {}).items()
                        if d is None})
        def at_first(path: str) -> bytes | None:
            found = reader.read(f"{first}:{path}")
            return found[2] if found else None

        # Judged as verify judges a merge: by the settings and signers of its first parent.
        signer = signing.signer_for(
            self.root, ["/".join(parts) for parts in changes], at_first
        )
        tree = _build_tree(reader, objects, base_tree, changes, {})
        ident = f"{name} <{email}> {now} {_utc_offset(now)}"
        body = f"tree {tree}\nparent {first}\nparent {second}\n"
        body += f"author {ident}\ncommitter {ident}\n\n{message}"
        data = body.encode("utf-8")
        sha = objects.write(b"commit", signer.sign(data) if signer else data)
        self._move(sha, second, "sync", settle=settle)
        return sha

    def _resolution_reasons(self, writes: list[MergedRecord], keys: Mapping) -> str:
        """The trailers giving why each settled record was settled so: a sealed record's
        reason sealed with its own data key (``keys``), as a change's is."""
        lines = []
        for m in writes:
            if not (m.resolved and m.reason):
                continue
            record_id, why = m.record["id"], " ".join(m.reason.split())
            if record_id in keys:
                why = sealing.sealer_for(self.root).seal_text(why, record_id, keys[record_id])
            lines.append(f"{history.RECORD_REASON}: {record_id} {why}\n")
        return "".join(lines)

    def _sealing(self, first: str, keys: dict) -> Callable[[dict], bytes]:
        """How a merge writes a record's file: a restricted one sealed to the recipients of
        ``first`` (the shared line's) when it has any, as a change would; others as they are.
        The data key of each record sealed goes into ``keys``, by id. Sealing needs a
        recipient's key (``hrgov.sealing``)."""
        found = self.objects.read(f"{first}:{sealing.RECIPIENTS_FILE}")
        listed = sealing.recipients_in(found[2] if found else None)
        to: list = []

        def file_of(record: dict) -> bytes:
            if sealing.SHREDDED in record:  # shredding wins: nothing but the outline
                clear = sealing.clear_fields(record["kind"]) | {sealing.SHREDDED}
                return records.dumps({k: v for k, v in record.items() if k in clear})
            if not listed or record.get("sensitivity") != sealing.RESTRICTED:
                return records.dumps(record)
            if not to:
                sealing.require_recipient(self.root, f"merging the restricted record "
                                          f"{record['id']}", listed)
                to.extend(sealing.recipient_key(key) for key in listed)
            outline, keys[record["id"]] = sealing.sealer_for(self.root).seal(record, to)
            return records.dumps(outline)

        return file_of

    def _move(
        self, new: str, old: str | None, why: str, *, settle: bool = True
    ) -> dict[str, tuple]:
        # As for a write: a hand edit where the move changes a file refuses it (and only
        # there, so that a large ledger is not scanned). The working tree follows HEAD.
        raw = history.raw_diff(self.root, old, new) if old else b""
        changes = history.parse_raw_diff(raw)
        for path, (before, _) in changes.items():
            if _blob_sha(self.root / path) not in (before, None) or (
                before is None and os.path.lexists(self.root / path)
            ):
                raise LedgerDirty(
                    f"{path} has uncommitted changes made by hand; commit them with git or "
                    f"discard them (git checkout -- {path}), then run hrgov sync again; "
                    "nothing was changed"
                )
        try:
            history.git(
                self.root, "update-ref", "-m", f"hrgov: {why}", "HEAD", new,
                old or history.ZERO_SHA,
            )
        except GitFailed:
            raise LedgerStateError(
                "the ledger's branch moved during the sync (a commit made outside hrgov?); "
                "nothing was changed: run hrgov sync again"
            ) from None
        self._unsettled = (old, new, raw) if old else ()
        if settle:
            self.settle()
        return changes


class _AtHead:
    """The records at HEAD, as the index has them."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def get(self, record_id: str):
        return queries.get(self.conn, record_id)


class _Before:
    """The records as they were before a commit: those it changed as they were, the others
    as they are."""

    def __init__(self, previous: dict[str, dict | None], state: dict[str, dict]):
        self.previous, self.state = previous, state

    def get(self, record_id: str):
        if record_id in self.previous:
            return self.previous[record_id]
        return self.state.get(record_id)


class _Around:
    """The ledger as a merge leaves it: its own records, else what ``fallback`` says."""

    def __init__(self, staged: dict[str, dict], fallback: rules.Lookup):
        self.staged, self.fallback = staged, fallback

    def get(self, record_id: str):
        found = self.staged.get(record_id)
        return found if found is not None else self.fallback.get(record_id)


class _ObjectWriter:
    """Writes git objects: loose (zlib-compressed, named by the SHA-1 of their content), or
    for many blobs at once, one pack written by ``git fast-import``."""

    PACK_FROM = 100  # blobs; fewer are written loose (as fast-import itself would)

    def __init__(self, root: Path):
        self.root = root
        self.objects = str(root / ".git" / "objects")
        self.pid = os.getpid()
        self.folders: set[str] = set()  # fan-out folders known to exist

    def write(self, kind: bytes, data: bytes) -> str:
        raw = kind + b" " + str(len(data)).encode() + b"\0" + data
        sha = hashlib.sha1(raw).hexdigest()
        # Plain strings and os calls: a change of 100,000 records writes 100,000 objects.
        folder = f"{self.objects}/{sha[:2]}"
        target = f"{folder}/{sha[2:]}"
        if not os.path.exists(target):
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            tmp = f"{folder}/tmp_obj_hrgov_{self.pid}_{sha[2:8]}"
            with open(tmp, "wb") as out:
                out.write(zlib.compress(raw, 1))
            os.replace(tmp, target)
        return sha

    def write_blobs(self, blobs: list[bytes]) -> list[str]:
        """Write each of ``blobs`` and return their shas, in order. A large change (an import
        of 100,000 rows) goes to git as one stream and lands as one pack, not as a file per
        record; no ref moves, so a killed stream leaves only a temporary file."""
        if len(blobs) < self.PACK_FROM:
            return [self.write(b"blob", data) for data in blobs]
        stream = bytearray()
        for data in blobs:
            stream += b"blob\ndata %d\n" % len(data)
            stream += data
            stream += b"\n"
        stream += b"done\n"
        history.git(self.root, "fast-import", "--quiet", "--done", input=bytes(stream))
        return [hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() for data in blobs]


def _build_tree(reader, objects, base, changes: dict[tuple, str | None], at_head: dict) -> str:
    """The sha of ``base`` (a tree sha or None) with ``changes`` (path parts → blob sha).

    ``at_head`` receives, for each changed path, the blob it replaces (None if new). The new
    tree is the old one's bytes with only the changed entries spliced in: a year's folder
    holds thousands of records, and a write changes one or two.
    """
    data = reader.read(base)[2] if base else b""
    entries = history.tree_entries(data)
    where = {name: i for i, (_, name, _, _) in enumerate(entries)}
    replaced: dict[int, bytes] = {}  # entry index → its new bytes (b"": removed)
    added: list[tuple[bytes, bytes]] = []  # (git's sort key, entry bytes) of new names

    def put(name: bytes, mode: bytes, sha: str | None) -> None:
        entry = mode + b" " + name + b"\0" + bytes.fromhex(sha) if sha else b""
        i = where.get(name)
        if i is not None and (entries[i][0] == b"40000") == (mode == b"40000"):
            replaced[i] = entry
            return
        if i is not None:
            replaced[i] = b""  # a file where a folder was, or the other way round
        if entry:
            added.append((_git_order(mode, name), entry))

    def sha_of(i: int) -> str:
        return data[entries[i][3] - 20 : entries[i][3]].hex()

    def existing(name: bytes) -> tuple[bytes, str | None]:
        i = where.get(name)
        return (entries[i][0], sha_of(i)) if i is not None else (b"40000", None)

    chosen: dict[bytes, tuple[bytes, str | None]] = {}  # name → its new (mode, sha or None)
    nested: dict[str, dict] = {}
    for parts, blob in changes.items():
        if len(parts) == 1:
            name = parts[0].encode("utf-8", "surrogateescape")
            mode, sha = existing(name)
            at_head[parts] = sha if mode != b"40000" else None
            chosen[name] = (b"100644", blob)
        else:
            nested.setdefault(parts[0], {})[parts[1:]] = blob
    for folder, sub in nested.items():
        name = folder.encode("utf-8", "surrogateescape")
        mode, sha = chosen.get(name) or existing(name)
        found: dict[tuple, str | None] = {}
        subtree = sha if mode == b"40000" else None
        chosen[name] = (b"40000", _build_tree(reader, objects, subtree, sub, found))
        at_head.update({(folder, *parts): blob for parts, blob in found.items()})
    for name, (mode, sha) in chosen.items():
        put(name, mode, sha)
    inserted: dict[int, list[bytes]] = {}
    if added:
        keys = [_git_order(mode, name) for mode, name, _, _ in entries]
        for key, entry in sorted(added):
            inserted.setdefault(bisect.bisect_left(keys, key), []).append(entry)
    pieces, cursor = [], 0
    for i in sorted(replaced.keys() | inserted.keys()):
        start = entries[i][2] if i < len(entries) else len(data)
        pieces += [data[cursor:start], *inserted.get(i, ())]
        if i in replaced:
            pieces.append(replaced[i])
            cursor = entries[i][3]
        else:
            cursor = start
    pieces.append(data[cursor:])
    return objects.write(b"tree", b"".join(pieces))


def _git_order(mode: bytes, name: bytes) -> bytes:
    """The key git sorts a tree's entries by: the name, a folder's as if it ended in ``/``."""
    return name + b"/" if mode == b"40000" else name


def _utc_offset(when: int) -> str:
    minutes = time.localtime(when).tm_gmtoff // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _nul_separated(paths) -> bytes:
    """Paths for git's ``--stdin -z`` / ``--pathspec-file-nul``: a command line has a length
    limit, a change of 100,000 records has not."""
    return b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in paths)


def _blob_sha(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


MERGE_DRIVER = "hrgov"
MERGED_FILES = "records/**/*.json"


def merge_driver_installed(root: Path) -> bool:
    """Whether this clone merges record files with hrgov's driver (a ledger made by an
    earlier hrgov, or cloned with plain git, may not yet)."""
    attributes = root / ".git" / "info" / "attributes"
    try:
        return f"{MERGED_FILES} merge={MERGE_DRIVER}" in attributes.read_text(encoding="utf-8")
    except OSError:
        return False


def configure_repository(root: Path) -> None:
    """git's settings for a ledger, in this clone's own configuration (nothing in the ledger
    itself configures git: a ledger someone hands you runs no code of theirs).

    Large ledgers: git's index is split and untracked files cached, so that status and
    update-index stay fast as the ledger grows. Record files are merged by hrgov's driver, so
    that a plain ``git pull`` merges records field by field as ``hrgov sync`` does.
    """
    settings = {
        "core.splitIndex": "true",
        "core.untrackedCache": "true",
        "pull.rebase": "false",  # a plain git pull merges (with the driver), as sync does
        f"merge.{MERGE_DRIVER}.name": "hrgov: records merged field by field",
        f"merge.{MERGE_DRIVER}.driver": (
            # -P: git runs the driver in the ledger's folder, and Python would otherwise
            # import from there first: a folder named hrgov/ in a ledger would run.
            f"{shlex.quote(sys.executable)} -P -m hrgov.commands merge-driver %O %A %B %P"
        ),
    }
    for name, value in settings.items():
        history.git(root, "config", name, value)
    attributes = root / ".git" / "info" / "attributes"
    attributes.parent.mkdir(exist_ok=True)
    line = f"{MERGED_FILES} merge={MERGE_DRIVER}"
    present = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if line not in present.splitlines():
        attributes.write_text(present + ("" if present.endswith("\n") or not present else "\n")
                              + line + "\n", encoding="utf-8")


@contextmanager
def new_folder(directory: Path) -> Iterator[Path]:
    """Fill ``directory``, which must be new or empty; on any failure inside the block it is
    left as it was (removed if the block created it)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InvalidInput(f"{directory} exists and is not empty; choose a new folder",
                           field="directory")
    if not directory.parent.is_dir():
        raise InvalidInput(f"the folder {directory.parent} does not exist", field="directory")
    created = not directory.exists()
    try:
        yield directory
    except BaseException:
        if created:
            shutil.rmtree(directory, ignore_errors=True)
        elif directory.is_dir():
            for child in directory.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise


def init(
    directory: Path,
    pack,
    *,
    organisation: str | None = None,
    author: str | None = None,
    timestamp: int | None = None,
) -> Ledger:
    """Create a ledger in ``directory`` holding ``pack``'s records, in one first commit.

    On any failure the folder is left as it was (removed if this call created it).
    """
    directory = directory.expanduser().resolve()
    if (directory / config.CONFIG_FILE).exists():
        raise InvalidInput(f"{directory} already holds an hrgov ledger")
    organisation = organisation if organisation is not None else pack.organisation
    check_text(organisation, "the organisation name", one_line=True)
    with new_folder(directory):
        resolve_author(directory.parent, author)
        directory.mkdir(exist_ok=True)
        history.git(directory, "init", "-q", "--initial-branch=main")
        configure_repository(directory)
        settings = {"organisation.name": organisation, "ledger.policy": pack.id}
        ledger = Ledger(directory)
        with ledger.change("init", author=author, timestamp=timestamp) as tx:
            tx.subject = f"init: {organisation or pack.title} ledger from {pack.id}"
            tx.put_file(config.CONFIG_FILE, config.render(settings).encode("utf-8"))
            tx.put_file(".gitignore", GITIGNORE.encode())
            for record in pack.records:
                tx.put(dict(record))
    return ledger


@dataclass
class Verdict:
    """What ``hrgov verify`` found: failures (the ledger is not sound) and notices (worth an
    auditor's eye, such as a commit made with plain git that breaks no rule)."""

    failures: list[str]
    notices: list[str]


def problems(ledger: Ledger) -> list[str]:
    """Everything ``hrgov verify`` finds wrong, one line each; empty when the ledger is sound."""
    return verify(ledger).failures


def verify(ledger: Ledger) -> Verdict:
    """Check the ledger: HEAD's files parse and validate and match the index; every commit on
    the first-parent line obeys the rule book, old against new (the same rules the unit of
    work applies); records/ holds no uncommitted change."""
    found = []
    root = ledger.root
    conn = ledger.reader()
    head = history.head(root)
    files = history.tree_files(root, head) if head else {}
    indexed = queries.indexed_blobs(conn)
    with history.CatFile(root) as objects:
        answers = objects.read_many(sorted(set(files.values())))
        contents = {a[0]: a[2] for a in answers if a}
    for path, blob in sorted(files.items()):
        kind = records.kind_of_path(path)
        if kind is None:
            found.append(f"{path}: not a record file of a known kind")
            continue
        try:
            record = records.loads(contents[blob], path)
            if sealing.is_sealed(record):
                sealing.check_file(root, record, path)
            else:
                record = validate(record)
        except (InvalidInput, InvalidRecord) as error:
            found.append(f"{path}: {error}")
            continue
        if records.path_of(record) != path:
            found.append(f"{path}: holds {record['kind']} {record['id']}, which belongs elsewhere")
            continue
        if indexed.get(path) != blob:
            found.append(f"{path}: the index does not match HEAD (run: hrgov rebuild)")
    for path in sorted(set(indexed) - set(files)):
        found.append(f"{path}: in the index but not at HEAD (run: hrgov rebuild)")
    history_failures, notices = _check_history(root, conn, head)
    found += history_failures
    gone, unwitnessed = _check_witnesses(root, conn, head)
    found += gone
    notices += unwitnessed
    found += signing.check_history(root, head)
    found += sealing.check_recipients_history(root, head)
    found += signing.check_briefing_tags(root, head)
    for line in history.uncommitted(root):
        found.append(f"uncommitted change in records/: {line.strip()}")
    if queries.index_head(conn) != (head or ""):
        found.append("the index is not at HEAD (run: hrgov rebuild)")
    return Verdict(found, notices)


def _check_history(root: Path, conn, head: str | None) -> tuple[list[str], list[str]]:
    """Replay the first-parent line from the index's record versions and apply the rule book
    to every change each commit made; a commit without the Hrgov trailers is a notice."""
    failures, notices = [], []
    if not head:
        return failures, notices
    state: dict[str, dict] = {}
    lookup = rules.Records(state)
    in_outline = 0  # changes of sealed records this clone holds no key for
    opener = sealing.sealer_for(root)  # a sealed reason is shown opened, or as "(sealed)"
    for commit in history.first_parent_line(root, head):
        changed, unreadable = [], []
        previous: dict[str, dict | None] = {}
        for record_id, new, holds_no_record in queries.changes_in(conn, commit.sha):
            if holds_no_record:  # judged later against the last version that could be read
                unreadable.append(record_id)
                continue
            changed.append((record_id, state.get(record_id), new))
            previous.setdefault(record_id, state.get(record_id))
            if new is None:
                state.pop(record_id, None)
            else:
                state[record_id] = new
        before = _Before(previous, state)
        circumstances = rules.Circumstances(  # the latest calendar day anywhere at that time
            commit.reason, commit.allows_personal_data, commit.command, before=before,
            today=time.strftime("%Y-%m-%d", time.gmtime(commit.time + 14 * 3600)),
        )
        if len(commit.parents) > 1:
            broken = [str(b) for b in _judge_merge(root, commit, changed, state, circumstances)]
        else:
            outlines = sum(1 for _, old, new in changed
                           if sealing.is_sealed(old) or sealing.is_sealed(new))
            in_outline += outlines
            broken = [
                str(b) for record_id, old, new in changed
                if (old is not None or new is not None)
                and not (sealing.is_sealed(old) or sealing.is_sealed(new))
                for b in rules.check(
                    old, new, lookup, replace(circumstances, reason=commit.reason_for(record_id))
                )
            ]
            broken += [str(b) for b in _judge_partners(changed, state)]
            notices += [
                f"post-approval change: {record_id} in commit {commit.sha[:12]} ("
                f"{time.strftime('%Y-%m-%d', time.gmtime(commit.time))}, {commit.author_name})"
                f": {opener.open_text(commit.reason_for(record_id)) or commit.subject}"
                for record_id, old, new in changed
                if old is not None and new is not None and old != new
                and old["kind"] == "decision" and rules.approved(old, before)
            ]
        broken += [f"{record_id}: its file holds no valid record" for record_id in unreadable]
        when = time.strftime("%Y-%m-%d", time.gmtime(commit.time))
        where = f"commit {commit.sha[:12]} ({when}, {commit.author_name})"
        failures += [f"{where}: {b}" for b in broken]
        if commit.parents and commit.command is None and not broken:
            notices.append(f"{where} was made outside hrgov (no Hrgov trailers): {commit.subject}")
    if in_outline:
        notices.append(
            f"{in_outline} changes of sealed or shredded records were checked in outline only: "
            "this clone holds no key that opens them"
        )
    return failures, notices


def _check_witnesses(root: Path, conn, head: str | None) -> tuple[list[str], list[str]]:
    """Every commit this machine has seen (and every briefing tag's) must still be in the
    history: a commit that is gone means the history was rewritten."""
    witnesses = queries.witnesses(conn)
    tags = history.briefing_witnesses(root)
    notices = []
    since = queries.witnesses_from(conn)
    if since:
        from_reflog = sum(1 for w in witnesses if w["how"].startswith("git's reflog"))
        notices.append(
            f"no witnesses before {since[:10]}: this machine's index was built from nothing "
            f"then; {from_reflog} commits from git's reflog and {len(tags)} briefing tags "
            "stand in, so a rewrite of the history before then is caught only as far as "
            "they reach; fetch the briefing tags of a clone that has them (git fetch origin "
            "'refs/tags/hrgov/brief/*:refs/tags/hrgov/brief/*'), then hrgov rebuild"
        )
    on_line = queries.first_parent_shas(conn)
    unsure = [w for w in witnesses if w["sha"] not in on_line]
    unsure_tags = [t for t in tags if t[0] not in on_line]
    if not (unsure or unsure_tags) or not head:
        return [], notices
    present = history.reachable(root, head)
    failures = []
    gone = sorted((w for w in unsure if w["sha"] not in present), key=lambda w: w["seen_at"])
    if gone:
        first = gone[0]
        many = len(gone) > 1
        failures.append(
            f"history rewritten: {len(gone)} commit{'s' * many} seen on this machine since "
            f"{first['seen_at'][:10]} {'are' if many else 'is'} gone; first: "
            f"{first['sha'][:10]} '{first['subject']}'"
        )
    for sha, _, subject, how in unsure_tags:
        if sha not in present:
            failures.append(f"history rewritten: the {how} names commit {sha[:10]} "
                            f"'{subject}', which is no longer in the history")
    return failures, notices


def _judge_merge(root: Path, commit: history.Commit, changed, state, circumstances):
    """The rule book's merge rules for every record a merge commit wrote or left out: each
    record it changed on the first-parent line, and each record the second parent's side
    changed that the merge does not hold as that side left it. The versions merged are read
    from git: at the merge base, and at the second parent (under the id it had there, when
    the merge renumbered it)."""
    from hrgov.merge import renumber

    first, second = commit.parents[:2]
    base = history.merge_base(root, first, second)
    renumbered = commit.renumbered
    was = {new: old for old, new in renumbered.items()}
    judged = {}  # record id → (kind, first parent's version, merged version)
    for record_id, old, new in changed:
        judged[record_id] = ((new or old or {}).get("kind"), old, new)
    side = history.changed_files(root, base, second) if base else {
        path: (None, blob) for path, blob in history.tree_files(root, second).items()
    }
    after = history.changed_files(root, second, commit.sha)
    for path in side.keys() & after.keys():
        kind = records.kind_of_path(path)
        record_id = path.rsplit("/", 1)[1][: -len(".json")]
        if kind and record_id not in renumbered and record_id not in judged:
            judged[record_id] = (kind, state.get(record_id), state.get(record_id))
    names = []
    for record_id, (kind, _, _) in judged.items():
        if kind is None:
            names += ["", ""]
            continue
        at_base = records.path_for(kind, record_id)
        at_second = records.path_for(kind, was.get(record_id, record_id))
        names += [f"{base}:{at_base}" if base else "", f"{second}:{at_second}"]
    with history.CatFile(root) as objects:
        answers = list(objects.read_many([n or history.ZERO_SHA for n in names]))
    lookup = rules.Records(state)
    for i, (record_id, (_, old, new)) in enumerate(judged.items()):
        at_base = _record_in(answers[2 * i], root)
        at_second = _record_in(answers[2 * i + 1], root)
        if any(sealing.is_sealed(v) for v in (at_base, old, at_second, new)):
            continue  # judged in outline only: this clone cannot open it
        if record_id in was:
            at_base = None  # new on its side: its old id meant nothing at the base
        if renumbered and at_second is not None:  # as the merge read it: links renumbered
            at_second = renumber(at_second, renumbered)
        why = replace(circumstances, reason=commit.reason_for(record_id))
        yield from rules.check_merge(
            at_base, old, at_second, new, lookup, why, commit.resolved.get(record_id, frozenset())
        )
    yield from _judge_partners([(i, old, new) for i, (_, old, new) in judged.items()], state)


def _judge_partners(changed, state):
    """The state rules a commit breaks on records it did not write (``rules.partners``)."""
    linked = {i for _, old, new in changed for v in (old, new) for i in rules.partners(v)}
    linked -= {record_id for record_id, _, _ in changed}
    if not linked:
        return
    before = rules.Records({**state, **{record_id: old for record_id, old, _ in changed}})
    after = rules.Records(state)
    for record_id in sorted(linked):
        if state.get(record_id) is not None and not sealing.is_sealed(state[record_id]):
            yield from rules.check_unwritten(state[record_id], before, after)


def _record_in(answer, root: Path) -> dict | None:
    """The record a blob holds (a sealed one opened, or its outline where this clone cannot
    open it), or None."""
    if answer is None or answer[1] != "blob":
        return None
    try:
        found = records.loads(answer[2])
        if sealing.is_sealed(found):
            return sealing.sealer_for(root).read(found)[0]
        return validate(found)
    except (InvalidInput, InvalidRecord):
        return None


def contains(ledger: Ledger, revision: str) -> dict:
    """Where a document came from (``hrgov verify --contains SHA``). Every briefing, agenda and
    report names the commit it was built from; a commit id is a hash over everything before
    it, so if that commit is an ancestor of HEAD, the records the document was built from are
    still the ledger's history, unrewritten::

        >>> contains(ledger, "8ee35deea9")  # doctest: +SKIP
        {'commit': '8ee35deea9…', 'time': '2026-11-09T10:00:00Z', 'author': '…',
         'subject': '…', 'head': '…', 'made_by_hrgov': True}

    Raises ``InvalidInput`` for something that is not a commit id, ``NotInHistory`` when the
    commit is unknown or not an ancestor of HEAD."""
    root = ledger.root
    revision = revision.strip()
    if not COMMIT_ID.match(revision):
        raise InvalidInput(
            f"contains {revision!r} is not a commit id (give the one printed in the "
            "document's footer, e.g. 8ee35deea9)",
            field="contains",
        )
    head = history.head(root)
    try:
        sha = history.resolve_at(root, revision)
    except InvalidInput:
        sha = None
    if sha is None or head is None or not history.is_ancestor(root, sha, head):
        raise NotInHistory(
            f"commit {revision} is not in this ledger's history: the document was not built "
            "from this ledger, or its history was rewritten since"
        )
    commit = history.commits(root, f"{sha}^!")[-1]
    return {
        "commit": sha,
        "time": utc(commit.time),
        "author": f"{commit.author_name} <{commit.author_email}>",
        "subject": commit.subject,
        "head": head,
        "made_by_hrgov": bool(commit.command) or not commit.parents,
    }
