"""The SQLite index: the ledger's records materialised for querying, with their history.

The index is derived data. It records the commit it reflects in ``meta.head``; it is brought
forward from the git history (``Index.absorb``) or recreated from scratch (``build``)::

    index = build(root, root / ".hrgov" / "ledger.db")
    found = history.commits(root, f"{index.head}..HEAD")
    index.absorb(found, blobs, history.head(root))   # blobs: blob sha → bytes

Tables: ``records`` (every record's JSON), one table per kind with a column per field, one link
table per list-of-links field (``decision_commitments``…), ``milestone_slips``, ``commits``,
``record_versions`` (every version of every record, with the fields it changed) and ``meta``.
``commits.seq`` and ``record_versions.seq`` number the commits of the first-parent line from 1:
``hrgov.snapshot`` reads the ledger as of any of them from these tables alone.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from hrgov import history, queries, records, signing
from hrgov.errors import HrgovError
from hrgov.model import KINDS, Field, Kind, changed_fields, validate

# 2: issues, assessments, grievances, remedies; 3: first-parent positions (``seq``) and each
# version's path and blob, so that "as of" is answered from the index (``hrgov.snapshot``)
# 3: first-parent positions; 4: unreadable versions told from removals; 5: witnesses;
# 6: who signed each commit, withdrawn records; 7: full-text search (``SEARCHED``);
# 8: engagements and indicators; 9: an issue's response and lessons (the Board's examples)
SCHEMA_VERSION = "9"
UNREADABLE = 2  # record_versions.deleted of a file that holds no valid record
# The witness row (no commit) that says when this machine began remembering with nothing
# remembered before.
WITNESSES_START = "witnesses start"
SQL_TYPES = {"bool": int, "int": int, "number": float}
# A version's sensitivity, as the partial index over record_versions spells it (a query must
# spell it the same way to use that index).
VERSION_SENSITIVITY = "json_extract(json, '$.sensitivity')"
RECORDS_PREFIX = records.RECORDS_DIR + "/"
# The columns ``hrgov search`` reads, per kind table: every text field the model declares. Each
# table gets a full-text table ``<plural>_fts`` that triggers keep in step with it.
SEARCHED = {
    kind.plural: [spec.name for spec in kind.fields if spec.type in ("line", "text")]
    for kind in KINDS.values()
}
SEARCH_TOKENIZER = "porter unicode61 remove_diacritics 2"  # "screening" finds "screen"


def link_table(kind: Kind, spec: Field) -> str:
    """The link table of a list-of-links field: ``decision`` + ``commitments`` →
    ``decision_commitments``."""
    return f"{kind.name}_{spec.name}"


def utc(seconds: int) -> str:
    """Seconds since the epoch as the index stores times: ``2026-03-04T10:00:00Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def create_indexes(conn: sqlite3.Connection) -> None:
    """The secondary indexes and the full-text tables (a bulk build adds them once its rows
    are in: faster)."""
    conn.execute("CREATE INDEX IF NOT EXISTS idx_records_kind ON records (kind)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_record_versions_sha ON record_versions (sha)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_commits_seq ON commits (seq)")
    # What changed after a commit; which records are, or ever were, public or restricted.
    conn.execute(
        "CREATE INDEX IF NOT EXISTS idx_record_versions_seq ON record_versions (seq, record_id)"
    )
    conn.execute(
        f"CREATE INDEX IF NOT EXISTS idx_record_versions_sensitivity ON record_versions "
        f"({VERSION_SENSITIVITY}, record_id) WHERE {VERSION_SENSITIVITY} IN "
        "('public', 'restricted')"
    )
    import sqlite_utils  # a bulk build fills the full-text tables once, here

    db = sqlite_utils.Database(conn)
    for plural, columns in SEARCHED.items():
        if columns and not db[plural].detect_fts():
            db[plural].enable_fts(columns, create_triggers=True, tokenize=SEARCH_TOKENIZER)


def create_schema(conn: sqlite3.Connection, *, indexes: bool = True) -> None:
    """Create every table of an empty index, derived from the model's declarations."""
    import sqlite_utils  # only when a database is created

    db = sqlite_utils.Database(conn)
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["records"].create(
        {
            "id": str,
            "kind": str,
            "title": str,
            "sensitivity": str,
            "path": str,
            "blob": str,
            "json": str,
            "updated_in": str,
            "updated_at": str,
        },
        pk="id",
    )
    all_foreign_keys = []
    for kind in KINDS.values():
        columns = {"id": str}
        foreign_keys = []
        for spec in kind.fields:
            columns[spec.name] = SQL_TYPES.get(spec.type, str)
            if spec.type == "link":
                foreign_keys.append((spec.name, KINDS[spec.link].plural, "id"))
        columns["sensitivity"] = str
        db[kind.plural].create(columns, pk="id")
        for spec in kind.fields:
            if spec.type == "links":
                table = link_table(kind, spec)
                db[table].create({kind.name: str, spec.link: str}, pk=(kind.name, spec.link))
                all_foreign_keys += [
                    (table, kind.name, kind.plural, "id"),
                    (table, spec.link, KINDS[spec.link].plural, "id"),
                ]
        all_foreign_keys += [(kind.plural, *fk) for fk in foreign_keys]
    db.add_foreign_keys(all_foreign_keys)
    db["milestone_slips"].create(
        {
            "milestone": str,
            "n": int,
            "from_due": str,
            "to_due": str,
            "reason": str,
            "slipped_on": str,
        },
        pk=("milestone", "n"),
        foreign_keys=[("milestone", "milestones", "id")],
    )
    db["commits"].create(
        {
            "sha": str,
            "time": str,
            "author_name": str,
            "author_email": str,
            "command": str,
            "subject": str,
            "reason": str,
            "records": str,
            "seq": int,
        },
        pk="sha",
    )
    db["record_versions"].create(
        {
            "record_id": str,
            "version": int,
            "kind": str,
            "sha": str,
            "time": str,
            "author_name": str,
            "author_email": str,
            "subject": str,
            "reason": str,
            "json": str,
            "changes": str,
            "deleted": int,
            "seq": int,
            "path": str,
            "blob": str,
        },
        pk=("record_id", "version"),
        foreign_keys=[("sha", "commits", "sha")],
    )
    # Every HEAD this machine has seen, kept across rebuilds: ``verify`` reports any that the
    # history no longer holds (a rewrite).
    db["witnesses"].create(
        {"sha": str, "seen_at": str, "subject": str, "how": str}, pk="sha"
    )
    # Who signed each commit (``hrgov.signing``): only signed commits whose signature was
    # good by the ledger's signers at their parent have a row.
    db["signatures"].create(
        {"sha": str, "signed_by": str}, pk="sha", foreign_keys=[("sha", "commits", "sha")]
    )
    if indexes:
        create_indexes(conn)
    db["meta"].insert_all(
        [{"key": "schema", "value": SCHEMA_VERSION}, {"key": "head", "value": ""}]
    )


def _reader(conn: sqlite3.Connection) -> str:
    """The key the index opened sealed records with ("" for none)."""
    row = conn.execute("SELECT value FROM meta WHERE key='reader'").fetchone()
    return row[0] if row else ""


def _reader_now(path: Path) -> str:
    """The key this machine opens sealed records with now: an index built with another (a
    member who has just set theirs) holds outlines it can now open, and is built again."""
    from hrgov import sealing

    return sealing.reader_of(path.parent.parent)


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with WAL journaling."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=60)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class Index:
    """Writer of the SQLite index. Only the ledger (under its lock) writes through it."""

    def __init__(self, conn: sqlite3.Connection, root: Path | None = None):
        self.conn = conn
        self.root = root  # the ledger's: sealed records are opened with its key store

    @classmethod
    def open(cls, path: Path) -> Index | None:
        """Open an existing, current index, or ``None`` if it is missing or outdated."""
        if not path.exists():
            return None
        try:
            conn = connect(path)
            row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or row[0] != SCHEMA_VERSION or _reader(conn) != _reader_now(path):
            conn.close()
            return None
        return cls(conn, path.parent.parent)

    @classmethod
    def create(cls, path: Path, *, indexes: bool = True) -> Index:
        """A new, empty index at ``path`` (which must not exist)."""
        conn = connect(path)
        create_schema(conn, indexes=indexes)
        conn.execute("INSERT INTO meta VALUES ('reader', ?)", (_reader_now(path),))
        return cls(conn, path.parent.parent)

    def close(self) -> None:
        self.conn.close()

    @property
    def head(self) -> str:
        return queries.index_head(self.conn)

    def absorb(
        self,
        commits: Iterable[history.Commit],
        blobs: Mapping[str, bytes],
        head: str,
        known: Mapping[str, tuple[dict, str]] | None = None,
        signatures: Mapping[str, str] | None = None,
    ) -> None:
        """Apply ``commits`` (oldest first) in one transaction and set ``meta.head``.
        ``signatures`` maps the signed ones to who signed them (``signing.signed_by``).

        ``blobs`` maps each changed file's new blob sha to its bytes. ``known`` maps blobs
        already read and validated (a change's own records) to their record and JSON text,
        exactly as a rebuild would find them (``records.read_back``): those are not validated
        again. The new state is worked out in memory first, then written in bulk.
        """
        commits = list(commits)
        # The ids of every file under records/: a few may be no record (the replay tells), and
        # looking up their ids as well costs less than telling them apart twice.
        touched = {
            _record_id(path)
            for c in commits
            for _, path, _ in c.changes
            if path.startswith(RECORDS_PREFIX)
        }
        with self.transaction():
            # A merge whose first parent is the other side's line (``hrgov sync``), or a
            # fast-forward to such a merge, puts commits this index followed on a second
            # parent: the first-parent line now forks from the index's at the first parent
            # of the oldest commit given, and the index goes back there first.
            fork = commits[0].parents[0] if commits and commits[0].parents else None
            if fork is not None and fork != self.head:
                touched |= self._rewind(fork)
            replay = _Replay(*self._current(touched), position=self._position(),
                             root=self.root)
            indexed = set(replay.current)
            replay.play(commits, blobs, known)
            self._write_records(replay, indexed)
            self._write_history(replay)
            self._write_signatures(signatures)
            self._set_head(head)

    def _rewind(self, sha: str) -> set[str]:
        """Take the index back to commit ``sha`` of its first-parent line: its later commits
        and versions are forgotten and each record they touched is as it was at ``sha``.
        Returns those records' ids; ``NotOnLine`` if ``sha`` is not on the index's line."""
        found = self.conn.execute("SELECT seq FROM commits WHERE sha=?", (sha,)).fetchone()
        if found is None:
            raise NotOnLine(f"commit {sha} is not on the index's first-parent line")
        seq = found[0]
        ids = {
            row[0] for row in self.conn.execute(
                "SELECT DISTINCT record_id FROM record_versions WHERE seq > ?", (seq,)
            )
        }
        self.conn.execute("DELETE FROM record_versions WHERE seq > ?", (seq,))
        self.conn.execute(
            "DELETE FROM signatures WHERE sha IN (SELECT sha FROM commits WHERE seq > ?)", (seq,)
        )
        self.conn.execute("DELETE FROM commits WHERE seq > ?", (seq,))
        self._remove(ids)
        states = []
        for chunk in _batches(sorted(ids), 500):
            marks = ",".join("?" * len(chunk))
            for text, path, blob, version_sha, when in self.conn.execute(
                "SELECT json, path, blob, sha, time FROM record_versions AS v "
                f"WHERE record_id IN ({marks}) AND deleted = 0 AND version = ("
                "SELECT max(version) FROM record_versions WHERE record_id = v.record_id)",
                chunk,
            ):
                states.append((json.loads(text), text, path, blob, version_sha, when))
        self._insert(states)
        self._set_head(sha)
        return ids

    def _write_records(self, replay: _Replay, indexed: set[str]) -> None:
        """Write the records ``replay`` touched since it was last written; ``indexed`` holds
        the ids the index has (and is kept up to date): those are replaced, or removed if
        they are gone."""
        touched, replay.final = replay.final, {}
        again = [record_id for record_id in touched if record_id in indexed]
        if again:
            self._remove(again)
            indexed.difference_update(again)
        states = [state for state in touched.values() if state is not None]
        self._insert(states)
        indexed.update(state[0]["id"] for state in states)

    def _write_history(self, replay: _Replay) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO commits VALUES (?,?,?,?,?,?,?,?,?)", replay.commit_rows
        )
        self.conn.executemany(
            "INSERT INTO record_versions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            replay.version_rows,
        )
        replay.commit_rows.clear()
        replay.version_rows.clear()

    def _write_signatures(self, signatures: Mapping[str, str] | None) -> None:
        if signatures:
            self.conn.executemany(
                "INSERT OR REPLACE INTO signatures VALUES (?,?)", sorted(signatures.items())
            )

    def _position(self) -> int:
        """The first-parent position of the last commit indexed (0 before the first)."""
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM commits").fetchone()[0]

    def _set_head(self, head: str) -> None:
        self.conn.execute("UPDATE meta SET value=? WHERE key='head'", (head,))
        self.conn.execute(
            "INSERT OR IGNORE INTO witnesses SELECT sha, ?, subject, "
            "coalesce(command, 'a commit made with plain git') FROM commits WHERE sha=?",
            (utc(int(time.time())), head),
        )

    def witness(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """Remember commits as seen: ``(sha, seen at, subject, how)``; a commit already
        remembered keeps its first sighting."""
        with self.transaction():
            self.conn.executemany("INSERT OR IGNORE INTO witnesses VALUES (?,?,?,?)", rows)

    def _current(self, ids: set[str]) -> tuple[dict[str, dict], dict[str, int]]:
        """The indexed version of each of ``ids`` and how many versions each has."""
        current, versions = {}, {}
        for chunk in _batches(sorted(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT id, json FROM records WHERE id IN ({marks})", chunk
            ):
                current[row[0]] = json.loads(row[1])
            for row in self.conn.execute(
                f"SELECT record_id, max(version) FROM record_versions "
                f"WHERE record_id IN ({marks}) GROUP BY record_id",
                chunk,
            ):
                versions[row[0]] = row[1]
        return current, versions

    def transaction(self):
        return _Transaction(self.conn)

    def _remove(self, ids: Iterable[str]) -> None:
        for chunk in _batches(sorted(ids), 500):
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM records WHERE id IN ({marks})", chunk)
            for kind in KINDS.values():
                self.conn.execute(f"DELETE FROM [{kind.plural}] WHERE id IN ({marks})", chunk)
                for spec in kind.fields:
                    if spec.type == "links":
                        self.conn.execute(
                            f"DELETE FROM [{link_table(kind, spec)}] "
                            f"WHERE [{kind.name}] IN ({marks})",
                            chunk,
                        )
            self.conn.execute(f"DELETE FROM milestone_slips WHERE milestone IN ({marks})", chunk)

    def _insert(self, states: list[tuple]) -> None:
        """Insert records, each given as (record, json text, path, blob, commit, when).

        The ``records`` rows are written from Python; every kind's table, link tables and
        slips are then filled from those rows' JSON by SQLite itself (``_FILL``), so that the
        bulk build and a single write store each column exactly alike.
        """
        self.conn.executemany(
            "INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    record["id"],
                    record["kind"],
                    str(record.get(KINDS[record["kind"]].title_field, "")),
                    record["sensitivity"],
                    path,
                    blob,
                    text,
                    sha,
                    when,
                )
                for record, text, path, blob, sha, when in states
            ],
        )
        by_kind: dict[str, list[str]] = {}
        for state in states:
            by_kind.setdefault(state[0]["kind"], []).append(state[0]["id"])
        for kind_name, ids in by_kind.items():
            listed = json.dumps(ids)
            for statement in _FILL[kind_name]:
                self.conn.execute(statement, (listed,))


def _fill_statements(
    kind: Kind, table: Callable[[str], str] = "[{}]".format, source: str = "records"
) -> list[str]:
    """The SQL that fills ``kind``'s table, link tables and slips from the rows of ``source``
    (a table shaped like ``records``) whose ids a JSON array parameter lists. A list field's
    column holds its JSON text; a boolean, 0 or 1 (``json_extract`` gives both). ``table``
    names each table written (``hrgov.snapshot`` fills temporary ones the same way)."""
    # CROSS JOIN keeps the listed ids as the outer loop: each row is found by its key.
    chosen = f"FROM json_each(?1) AS chosen CROSS JOIN {source} AS r"
    where = "WHERE r.id = chosen.value"
    columns = ["r.id", *(f"json_extract(r.json, '$.{s.name}')" for s in kind.fields),
               "json_extract(r.json, '$.sensitivity')"]
    statements = [f"INSERT INTO {table(kind.plural)} SELECT {', '.join(columns)} {chosen} {where}"]
    for spec in kind.fields:
        if spec.type == "links":
            statements.append(
                f"INSERT INTO {table(link_table(kind, spec))} SELECT r.id, item.value {chosen} "
                f"CROSS JOIN json_each(r.json, '$.{spec.name}') AS item {where}"
            )
        if spec.type == "slips":
            statements.append(
                f"INSERT INTO {table('milestone_slips')} SELECT r.id, slip.key + 1, "
                "json_extract(slip.value, '$.from'), json_extract(slip.value, '$.to'), "
                "json_extract(slip.value, '$.reason'), json_extract(slip.value, '$.on') "
                f"{chosen} CROSS JOIN json_each(r.json, '$.{spec.name}') AS slip {where}"
            )
    return statements


_FILL = {kind.name: _fill_statements(kind) for kind in KINDS.values()}


class NotOnLine(HrgovError):
    """The index cannot be brought forward from where it is: it must be rebuilt."""


class _Replay:
    """Replays commits over the records' current versions, collecting the rows to write:
    one per commit, one per record version, and the latest state of each record touched
    since the index last wrote them (``final``). ``position`` is the first-parent position of
    the last commit already indexed: the commits replayed are numbered on from it."""

    def __init__(self, current: dict[str, dict], versions: dict[str, int], position: int = 0,
                 root: Path | None = None):
        self.root = root
        self.current = current
        self.versions = versions
        self.position = position
        self.commit_rows: list[tuple] = []
        self.version_rows: list[tuple] = []
        self.final: dict[str, tuple | None] = {}

    def play(
        self,
        commits: Iterable[history.Commit],
        blobs: Mapping[str, bytes],
        known: Mapping[str, tuple[dict, str]] | None = None,
    ) -> None:
        """Replay ``commits``, reading each file from ``blobs``, or from ``known`` (blob →
        record and text, already read and validated: see ``Index.absorb``)."""
        # A rebuild runs this loop for every version of every record: names are bound
        # locally, and nothing is worked out twice.
        current, versions, final = self.current, self.versions, self.final
        known = known or {}
        add_version, kind_of_path = self.version_rows.append, records.kind_of_path
        position = self.position
        for commit in commits:
            position += 1
            when, sha = utc(commit.time), commit.sha
            who = (sha, when, commit.author_name, commit.author_email)
            why = (commit.subject, _opened_reason(self.root, commit.reason))
            ids = []
            for status, path, blob in commit.changes:
                kind = kind_of_path(path)
                if kind is None:
                    continue
                record_id = _record_id(path)
                ids.append(record_id)
                if status == "D":
                    record, text = None, None
                elif blob in known:
                    record, text = known[blob]
                else:
                    record, text = _valid_record(blobs[blob], path, self.root)
                if record is not None and (record["id"] != record_id or record["kind"] != kind):
                    record, text = None, None  # a file whose content does not match its name
                old = current.get(record_id)
                if record is None and old is None:
                    continue
                version = versions[record_id] = versions.get(record_id, 0) + 1
                add_version((
                    record_id, version, kind, *who, commit.subject,
                    _opened_reason(self.root, commit.reason_for(record_id)),
                    text, _changes(old, record),
                    _gone(status, record), position, path, None if record is None else blob,
                ))
                current[record_id] = record
                final[record_id] = None if record is None else (record, text, path, blob, sha,
                                                                when)
            ids.sort()
            self.commit_rows.append((*who, commit.command, *why, json.dumps(ids), position))
        self.position = position


def _gone(status: str, record: dict | None) -> int:
    """A version's ``deleted``: 0 the record is there, 1 its file was removed, 2 its file is
    there but holds no valid record (``verify`` tells the two apart)."""
    if record is not None:
        return 0
    return 1 if status == "D" else UNREADABLE


def _changes(old: dict | None, new: dict | None) -> str:
    """The field-level changes a version made, as JSON; a version that creates or deletes a
    record changes it whole, which its ``json`` and ``deleted`` columns already say."""
    if old is None or new is None:
        return "[]"
    return json.dumps(changed_fields(old, new), ensure_ascii=False)


def _record_id(path: str) -> str:
    return path.rsplit("/", 1)[1][: -len(".json")]


def _valid_record(
    data: bytes, path: str, root: Path | None = None
) -> tuple[dict | None, str | None]:
    """The record a file holds and its JSON text, or ``(None, None)`` if it does not parse or
    validate (``verify`` says which: the index holds only valid records). A sealed record is
    opened with the key store of the ledger at ``root``, or kept as its outline
    (``hrgov.sealing``)."""
    try:
        text = data.decode("utf-8")
        parsed = records.loads_text(text, path)
        if "sealed" in parsed or "shredded" in parsed:
            return _sealed_record(parsed, root)
        record = validate(parsed)
    except (HrgovError, UnicodeDecodeError):
        return None, None
    if record == parsed:
        return record, text
    return record, json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _sealed_record(parsed: dict, root: Path | None) -> tuple[dict | None, str | None]:
    from hrgov import sealing

    if parsed.get("sensitivity") != sealing.RESTRICTED or root is None:
        return None, None  # only restricted records are sealed
    return sealing.sealer_for(root).read(parsed)


def _opened_reason(root: Path | None, reason: str | None) -> str | None:
    """A commit's reason, opened if it was sealed and this clone holds a key for it."""
    if root is None or not reason or "sealed:" not in reason:
        return reason
    from hrgov import sealing

    return sealing.sealer_for(root).open_text(reason)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def build(root: Path, path: Path, progress=None, *, first_sight: bool = False) -> Index:
    """Build a complete index of ``root``'s history up to HEAD into ``path``, atomically: the
    database is written beside it and renamed into place.

    ``git log`` streams the history while this process replays it (a long history is
    diffed by two of them at once); the files of each batch of commits are
    read through one ``cat-file`` while the batch before is replayed.
    """
    tmp = path.with_name(path.name + f".rebuild-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    head = history.head(root)
    seen = _witnesses_in(path)
    index = Index.create(tmp, indexes=False)
    if head and not seen and not first_sight:
        # The history was there, its witnesses are not (the index was deleted): verify
        # says from when this machine can tell a rewrite, and what git's reflog still knows
        # of the commits it had stands in. A new clone sees its history first now.
        seen = [("", utc(int(time.time())), "", WITNESSES_START)]
        seen += history.reflog_witnesses(root)
    seen += history.briefing_witnesses(root)
    index.conn.executemany("INSERT OR IGNORE INTO witnesses VALUES (?,?,?,?)", seen)
    # A half-built file is thrown away, never read: no journal is needed while building.
    index.conn.execute("PRAGMA journal_mode=OFF")
    index.conn.execute("PRAGMA synchronous=OFF")
    index.conn.execute("PRAGMA cache_size=-262144")  # 256 MB: the build never spills pages
    if head:
        # Every object a build makes lives to its end and none is part of a cycle: the
        # collector would only walk them again and again (~10% of a large rebuild).
        collecting = gc.isenabled()
        gc.disable()
        try:
            _build_from_history(index, root, head, progress)
        finally:
            if collecting:
                gc.enable()
    if head:
        index._write_signatures(signing.signed_by(root, queries.first_parent_shas(index.conn)))
    create_indexes(index.conn)
    index.conn.execute("PRAGMA journal_mode=WAL")
    index.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return Index(connect(path), root)


# Commits replayed and written together by a bulk build; their files are read while the
# batch before is replayed.
BUILD_BATCH = 200


def _witnesses_in(path: Path) -> list[tuple]:
    """The witnesses an index file holds (a rebuild keeps them: a rewrite of the history
    must not erase the memory of what it replaced), or none if it holds no readable ones."""
    if not path.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [tuple(row) for row in conn.execute(
                "SELECT sha, seen_at, subject, how FROM witnesses"
            )]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []


def _build_from_history(index: Index, root: Path, head: str, progress) -> None:
    """Replay the whole first-parent history up to ``head`` into the empty ``index``."""
    total, found = history.stream_history(root, head)
    replay = _Replay({}, {}, root=root)
    indexed: set[str] = set()
    done = 0
    with index.transaction(), history.CatFile(root) as objects:
        # While this batch is replayed, git reads the next one's files.
        asked = None
        for batch in itertools.chain(_batches(found, BUILD_BATCH), [None]):
            wanted = _wanted(batch) if batch else []
            objects.ask(wanted)
            if asked:
                previous, blobs = asked
                answers = [objects.answer() for _ in blobs]
                replay.play(previous, {a[0]: a[2] for a in answers if a})
                index._write_history(replay)
                index._write_records(replay, indexed)
                done += len(previous)
                if progress:
                    progress(done, total)
            asked = batch, wanted
        index._set_head(head)


def _wanted(commits: list[history.Commit]) -> list[str]:
    """The blobs of the record files ``commits`` wrote."""
    return sorted({
        blob
        for c in commits
        for status, path, blob in c.changes
        if status != "D" and records.kind_of_path(path)
    })


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def restricted_records(conn: sqlite3.Connection) -> list[dict]:
    """Every restricted record at HEAD, as the index holds it (opened, or its outline)."""
    return [json.loads(row[0]) for row in conn.execute(
        "SELECT json FROM records WHERE sensitivity = 'restricted' ORDER BY id"
    )]


def shredded_ids(conn: sqlite3.Connection) -> list[str]:
    """The records shredded at HEAD (``hrgov shred``)."""
    return [row[0] for row in conn.execute(
        "SELECT id FROM records WHERE sensitivity = 'restricted' "
        "AND json_extract(json, '$.shredded') IS NOT NULL"
    )]
