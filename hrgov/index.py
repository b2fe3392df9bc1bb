"""The SQLite index: the ledger's records materialised for querying, with their history.

The index is derived data. It records the commit it reflects in ``meta.head``; it is brought
forward from the git history (``absorb``) or recreated from scratch (``rebuild``)::

    index = Index.open(root / ".hrgov" / "ledger.db")
    index.absorb(root, history.commits(root, "HEAD"))

Tables: ``records`` (every record's JSON), one table per kind with a column per field, one link
table per list-of-links field (``decision_commitments``…), ``milestone_slips``, ``commits``,
``record_versions`` (every version of every record, with the fields it changed) and ``meta``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from hrgov import history, records
from hrgov.errors import HrgovError
from hrgov.model import KINDS, Field, Kind, changed_fields, validate

SCHEMA_VERSION = "1"
SQL_TYPES = {"bool": int, "int": int}


def link_table(kind: Kind, spec: Field) -> str:
    """The link table of a list-of-links field: ``decision`` + ``commitments`` →
    ``decision_commitments``."""
    return f"{kind.name}_{spec.name}"


def utc(seconds: int) -> str:
    """Seconds since the epoch as the index stores times: ``2026-03-04T10:00:00Z``."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_schema(conn: sqlite3.Connection) -> None:
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
    db["records"].create_index(["kind"])
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
        },
        pk=("record_id", "version"),
        foreign_keys=[("sha", "commits", "sha")],
    )
    db["record_versions"].create_index(["sha"])
    db["meta"].insert_all(
        [{"key": "schema", "value": SCHEMA_VERSION}, {"key": "head", "value": ""}]
    )


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with WAL journaling."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=60)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class Index:
    """Writer of the SQLite index. Only the ledger (under its lock) writes through it."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

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
        if row is None or row[0] != SCHEMA_VERSION:
            conn.close()
            return None
        return cls(conn)

    @classmethod
    def create(cls, path: Path) -> Index:
        """A new, empty index at ``path`` (which must not exist)."""
        conn = connect(path)
        create_schema(conn)
        return cls(conn)

    def close(self) -> None:
        self.conn.close()

    @property
    def head(self) -> str:
        return self.conn.execute("SELECT value FROM meta WHERE key='head'").fetchone()[0]

    def record_json(self, record_id: str) -> str | None:
        row = self.conn.execute("SELECT json FROM records WHERE id=?", (record_id,)).fetchone()
        return row[0] if row else None

    def absorb(
        self,
        commits: Iterable[history.Commit],
        blobs: Mapping[str, bytes],
        head: str,
    ) -> None:
        """Apply ``commits`` (oldest first) in one transaction and set ``meta.head``.

        ``blobs`` maps each changed file's new blob sha to its bytes.
        """
        with self.transaction():
            for commit in commits:
                changes = []
                for status, path, blob in commit.changes:
                    kind = records.kind_of_path(path)
                    if kind is None:
                        continue
                    record_id = path.rsplit("/", 1)[1][: -len(".json")]
                    record = None if status == "D" else _valid_record(blobs[blob], path)
                    if record is not None and (record["id"], record["kind"]) != (record_id, kind):
                        record = None  # a file whose content does not match its name
                    changes.append((path, record_id, kind, record, blob))
                self._apply(commit, changes)
            self.conn.execute("UPDATE meta SET value=? WHERE key='head'", (head,))

    def transaction(self):
        return _Transaction(self.conn)

    def _apply(self, commit: history.Commit, changes) -> None:
        time = utc(commit.time)
        self.conn.execute(
            "INSERT OR REPLACE INTO commits VALUES (?,?,?,?,?,?,?,?)",
            (
                commit.sha,
                time,
                commit.author_name,
                commit.author_email,
                commit.command,
                commit.subject,
                commit.reason,
                json.dumps(sorted(c[1] for c in changes)),
            ),
        )
        for path, record_id, kind, record, blob in changes:
            old_json = self.record_json(record_id)
            old = json.loads(old_json) if old_json else None
            if record is None and old is None:
                continue
            version = self.conn.execute(
                "SELECT coalesce(max(version), 0) + 1 FROM record_versions WHERE record_id=?",
                (record_id,),
            ).fetchone()[0]
            self.conn.execute(
                "INSERT INTO record_versions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record_id,
                    version,
                    kind,
                    commit.sha,
                    time,
                    commit.author_name,
                    commit.author_email,
                    commit.subject,
                    commit.reason,
                    json.dumps(record, ensure_ascii=False, sort_keys=True) if record else None,
                    json.dumps(changed_fields(old, record), ensure_ascii=False),
                    int(record is None),
                ),
            )
            self._remove(record_id, old["kind"] if old else kind)
            if record is not None:
                self._insert(record, path, blob, commit.sha, time)

    def _remove(self, record_id: str, kind_name: str) -> None:
        kind = KINDS[kind_name]
        self.conn.execute("DELETE FROM records WHERE id=?", (record_id,))
        self.conn.execute(f"DELETE FROM [{kind.plural}] WHERE id=?", (record_id,))
        for spec in kind.fields:
            if spec.type == "links":
                self.conn.execute(
                    f"DELETE FROM [{link_table(kind, spec)}] WHERE [{kind.name}]=?", (record_id,)
                )
        if kind.name == "milestone":
            self.conn.execute("DELETE FROM milestone_slips WHERE milestone=?", (record_id,))

    def _insert(self, record: dict, path: str, blob: str, sha: str, time: str) -> None:
        kind = KINDS[record["kind"]]
        self.conn.execute(
            "INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?)",
            (
                record["id"],
                kind.name,
                str(record.get(kind.title_field, "")),
                record["sensitivity"],
                path,
                blob,
                json.dumps(record, ensure_ascii=False, sort_keys=True),
                sha,
                time,
            ),
        )
        row = [record["id"]]
        for spec in kind.fields:
            value = record.get(spec.name)
            if spec.type in ("links", "lines", "slips") and value is not None:
                value = json.dumps(value, ensure_ascii=False)
            elif spec.type == "bool" and value is not None:
                value = int(value)
            row.append(value)
        row.append(record["sensitivity"])
        marks = ",".join("?" * len(row))
        self.conn.execute(f"INSERT INTO [{kind.plural}] VALUES ({marks})", row)
        for spec in kind.fields:
            if spec.type == "links":
                self.conn.executemany(
                    f"INSERT INTO [{link_table(kind, spec)}] VALUES (?,?)",
                    [(record["id"], other) for other in record.get(spec.name, ())],
                )
        for n, slip in enumerate(record.get("slips", ()) if kind.name == "milestone" else (), 1):
            self.conn.execute(
                "INSERT INTO milestone_slips VALUES (?,?,?,?,?,?)",
                (record["id"], n, slip["from"], slip["to"], slip["reason"], slip["on"]),
            )


def _valid_record(data: bytes, path: str) -> dict | None:
    """The record a file holds, or ``None`` if it does not parse or validate (``verify`` says
    which: the index holds only valid records)."""
    try:
        return validate(records.loads(data, path))
    except HrgovError:
        return None


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def build(root: Path, path: Path, progress=None) -> Index:
    """Build a complete index of ``root``'s HEAD and history into ``path``, atomically: the
    database is written beside it and renamed into place."""
    tmp = path.with_name(path.name + f".rebuild-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    head = history.head(root)
    index = Index.create(tmp)
    if head:
        found = history.commits(root, head)
        wanted = {
            blob
            for c in found
            for status, path_, blob in c.changes
            if status != "D" and records.kind_of_path(path_)
        }
        blobs = {}
        with history.CatFile(root) as objects:
            for n, answer in enumerate(objects.read_many(sorted(wanted)), 1):
                if answer:
                    blobs[answer[0]] = answer[2]
                if progress and n % 5000 == 0:
                    progress(n, len(wanted))
        index.absorb(found, blobs, head)
    index.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return Index(connect(path))
