"""The ledger as of a date or a revision: the one way to read it "then".

::

    with snapshot(ledger, "2026-03-31") as snap:
        queries.list_records(snap.conn, "decisions")  # the decisions as they stood then
        snap.sha, snap.day

A snapshot is answered from the index alone, with neither git nor a second database: the index
keeps every version of every record (``record_versions``) with the first-parent position
(``seq``) of the commit that made it. On a private connection to the index, temporary tables
hold the records that changed after that commit as they stood at it, and temporary views named
like the index's tables (``records``, ``decisions``, ``decision_commitments``,
``milestone_slips``, ``commits``, ``record_versions``, ``meta``…) show the index's own rows for
every other record and those for these. SQLite resolves unqualified names in ``temp`` before
``main``, so every question in ``hrgov.queries`` answers "as of" unchanged. The work grows with
what changed after the commit, not with the ledger.

Confidentiality is decided now, not then. As of HEAD (``at=None``, ``"HEAD"``, its sha, or a
date on or after HEAD's day) the ledger reads exactly as the live index: current sensitivity
governs. As of any earlier commit, a record's sensitivity is the most restrictive that any of
its versions has had up to HEAD, and a record that is or ever was restricted is *withheld*:

- its id leaves every field of other records that names records (``WITHHOLDING``: the kinds'
  ``link``, ``links`` and ``findings`` fields, derived from ``hrgov.model.KINDS``): an optional
  single link is removed, a list loses the id (and is removed when empty), a finding keeps its
  text and loses the id from its ``milestones``;
- a record whose *required* link names a withheld record (a milestone of a restricted
  commitment, an issue of a restricted category) is withheld too, and counts as restricted:
  shown, it would name the withheld record, and without the link it would not be a valid
  record (``withheld_closure``);
- ``withhold=True`` also leaves withheld records out altogether (for outputs that print whole
  records: ``list``, ``show``, ``due``).

The audit copy (``hrgov.audit.copy``) applies the same rule (``withheld_closure``,
``strip_withheld``, ``strip_value``) to the records it leaves out.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

from hrgov import config, history, queries
from hrgov.errors import InvalidInput, UnknownState
from hrgov.index import VERSION_SENSITIVITY, _fill_statements, link_table
from hrgov.model import DATE_PATTERN, KINDS, Field

RANK = {"public": 0, "internal": 1, "restricted": 2}
_HEX = re.compile(r"[0-9a-f]{4,40}")
_SHA = re.compile(r"[0-9a-f]{40}")
# Each shadowed table, and the column that names the record a row belongs to.
SHADOWED = {
    "records": "id",
    **{kind.plural: "id" for kind in KINDS.values()},
    **{
        link_table(kind, spec): kind.name
        for kind in KINDS.values()
        for spec in kind.fields
        if spec.type == "links"
    },
    "milestone_slips": "milestone",
}
_TITLE = "CASE v.kind {} END".format(" ".join(
    f"WHEN '{kind.name}' THEN coalesce(json_extract(v.json, '$.{kind.title_field}'), '')"
    for kind in KINDS.values()
))


@dataclass(frozen=True)
class Point:
    """A commit of the ledger's first-parent line, as a snapshot is taken at it."""

    sha: str
    seq: int  # its position on the first-parent line, from 1
    time: str  # when it was committed, as the index stores it: 2026-03-04T10:00:00Z
    day: date | None  # the day asked for, when a date was given


@dataclass
class Snapshot:
    """The ledger at one commit: ``conn`` answers every ``queries`` function as of it."""

    conn: sqlite3.Connection
    sha: str
    seq: int
    time: str
    root: Path
    day: date | None  # the date asked for, or the commit's day for a revision; None at HEAD

    @property
    def at_head(self) -> bool:
        return self.day is None

    @property
    def committed(self) -> datetime:
        """When the commit was made, UTC."""
        if not self.time:
            return datetime(1980, 1, 1, tzinfo=UTC)
        return datetime.strptime(self.time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)

    def settings(self) -> dict[str, str]:
        """The ledger's settings as committed at this commit (a document then depends on the
        commit only), else as they are on disk."""
        data = history.file_at(self.root, self.sha, config.CONFIG_FILE) if self.sha else None
        if data is not None:
            try:
                return config.parse(data.decode("utf-8", "replace"))
            except InvalidInput:
                pass
        return config.parse((self.root / config.CONFIG_FILE).read_text(encoding="utf-8"))


@contextmanager
def snapshot(
    ledger, at: str | None = None, *, field: str = "as_of", withhold: bool = False
) -> Iterator[Snapshot]:
    """The ledger as of ``at``: a date (the end of that day, UTC) or a git revision; ``None``
    is HEAD, read from the live index. ``field`` names the argument ``at`` came from in error
    messages (``UnknownState``); ``withhold`` leaves the records a snapshot of an earlier
    commit withholds out of it altogether (see the module's notes).
    """
    live = ledger.reader()
    if at is None:
        sha = queries.index_head(live)
        row = live.execute("SELECT seq, time FROM commits WHERE sha = ?", (sha,)).fetchone()
        yield Snapshot(live, sha, row[0] if row else 0, row[1] if row else "", ledger.root,
                       None)
        return
    path = live.execute("PRAGMA database_list").fetchone()[2]
    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("BEGIN")  # one consistent read of the index, whatever is written meanwhile
        point = resolve(conn, ledger.root, at, field)
        shadow(conn, point, withhold=withhold)
        day = point.day or date.fromisoformat(point.time[:10])
        yield Snapshot(conn, point.sha, point.seq, point.time, ledger.root, day)
    finally:
        conn.close()


def resolve(conn: sqlite3.Connection, root: Path, at: str, field: str = "as_of") -> Point:
    """The commit ``at`` names on the ledger's first-parent line (the one the index follows):
    for a date, the last commit made by the end of that day (UTC); a date from today on is
    HEAD. A full or abbreviated commit id is looked up in the index; any other revision name is
    asked of git. Raises ``UnknownState`` (naming ``field``) for anything else."""
    at = str(at)
    if DATE_PATTERN.match(at):
        try:
            day = date.fromisoformat(at)
        except ValueError:
            raise UnknownState(field, at, "{what} {value} is not a real date") from None
        if day >= datetime.now(UTC).date():
            row = conn.execute(
                "SELECT sha, seq, time FROM commits ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        else:
            row = conn.execute(
                "SELECT sha, seq, time FROM commits WHERE time <= ? ORDER BY seq DESC LIMIT 1",
                (f"{at}T23:59:59Z",),
            ).fetchone()
        if row is None:
            raise UnknownState(field, at, "the ledger holds nothing on or before {date}")
        return Point(row[0], row[1], row[2], day)
    if not at or at.startswith("-") or any(ord(c) < 32 for c in at):
        raise UnknownState(field, at, "{what} {value} is neither a date nor a git revision")
    rows = []
    if _HEX.fullmatch(at):
        rows = conn.execute(
            "SELECT sha, seq, time FROM commits WHERE sha >= ? AND sha < ? LIMIT 2",
            (at, at + "g"),
        ).fetchall()
    if len(rows) != 1:
        sha = history.commit_named(root, at)
        if sha is None:
            raise UnknownState(
                field, at,
                "{what} {value} is neither a date (YYYY-MM-DD) nor a revision of this ledger",
            )
        rows = conn.execute("SELECT sha, seq, time FROM commits WHERE sha = ?", (sha,)).fetchall()
        if not rows:
            raise UnknownState(
                field, at,
                "{what} {value} is not a commit of this ledger's own line of history (HEAD "
                "and its first parents); give one of those, or a date",
            )
    sha, seq, time = rows[0]
    return Point(sha, seq, time, None)


def shadow(
    conn: sqlite3.Connection, point: Point, *, source: str = "main", withhold: bool = False
) -> None:
    """Create, in ``conn``'s temp schema, the tables and views through which the index in
    schema ``source`` reads as of ``point`` (see the module's notes). Call it inside a read
    transaction, once per connection."""
    if not _SHA.fullmatch(point.sha) or not re.fullmatch(r"\w+", source):
        raise ValueError("a snapshot needs a commit id and a schema name")
    seq = int(point.seq)
    run = conn.execute
    # The records that changed after the commit; the others are as the index holds them.
    run("CREATE TEMP TABLE snap_changed (id TEXT PRIMARY KEY) WITHOUT ROWID")
    run(
        f"INSERT INTO temp.snap_changed SELECT DISTINCT record_id FROM {source}.record_versions "
        "WHERE seq > ?",
        (seq,),
    )
    for table in SHADOWED:
        run(f"CREATE TEMP TABLE [snap_{table}] AS SELECT * FROM {source}.[{table}] WHERE 0")
    run("CREATE UNIQUE INDEX temp.snap_records_id ON snap_records (id)")
    # Each of those as its latest version at the commit left it (nothing if that deleted it).
    run(
        f"INSERT INTO temp.snap_records SELECT v.record_id, v.kind, {_TITLE}, "
        f"json_extract(v.json, '$.sensitivity'), v.path, v.blob, v.json, v.sha, v.time "
        f"FROM temp.snap_changed AS ch CROSS JOIN {source}.record_versions AS v "
        "ON v.record_id = ch.id "
        f"WHERE v.version = (SELECT max(w.version) FROM {source}.record_versions AS w "
        "WHERE w.record_id = ch.id AND w.seq <= ?) AND NOT v.deleted",
        (seq,),
    )
    _fill(conn, [row[0] for row in run("SELECT id FROM temp.snap_records")])
    for table, key in SHADOWED.items():
        run(
            f"CREATE TEMP VIEW [{table}] AS SELECT * FROM {source}.[{table}] "
            f"WHERE [{key}] NOT IN (SELECT id FROM temp.snap_changed) "
            f"UNION ALL SELECT * FROM temp.[snap_{table}]"
        )
    for table in ("commits", "record_versions"):
        run(f"CREATE TEMP VIEW [{table}] AS SELECT * FROM {source}.[{table}] WHERE seq <= {seq}")
    run(
        "CREATE TEMP VIEW meta AS SELECT key, CASE key WHEN 'head' THEN "
        f"'{point.sha}' ELSE value END AS value FROM {source}.meta"
    )
    if not is_head(conn, point, source):  # as of HEAD, current sensitivity governs
        _decide_now(conn, source, withhold)


def is_head(conn: sqlite3.Connection, point: Point, source: str = "main") -> bool:
    """Whether ``point`` is the commit the index in schema ``source`` is at (HEAD): however
    it was named (``HEAD``, its sha, a date on or after its day), the ledger then reads as it
    is now."""
    row = conn.execute(f"SELECT value FROM {source}.meta WHERE key = 'head'").fetchone()
    return row is not None and row[0] == point.sha


def _fill(conn: sqlite3.Connection, ids: list[str]) -> None:
    """Fill the temporary kind, link and slip tables from ``temp.snap_records`` for ``ids``
    with the index's own statements."""
    if not ids:
        return
    by_kind: dict[str, list[str]] = {}
    for record_id, kind in conn.execute(
        "SELECT id, kind FROM temp.snap_records WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    ):
        by_kind.setdefault(kind, []).append(record_id)
    for kind, chosen in by_kind.items():
        for statement in _STATEMENTS[kind]:
            conn.execute(statement, (json.dumps(chosen),))


_STATEMENTS = {
    kind.name: _fill_statements(kind, "temp.[snap_{}]".format, "temp.snap_records")
    for kind in KINDS.values()
}


def _decide_now(conn: sqlite3.Connection, source: str, withhold: bool) -> None:
    """Give each record of the snapshot the most restrictive sensitivity any of its versions
    has had up to HEAD, withhold the records that are or were restricted (and those whose
    required link names one) from every field of the others that names records (or, with
    ``withhold``, leave those records out)."""
    most: dict[str, str] = {}
    for record_id, sensitivity in conn.execute(
        f"SELECT record_id, {VERSION_SENSITIVITY} FROM {source}.record_versions "
        f"WHERE {VERSION_SENSITIVITY} IN ('public', 'restricted')"
    ):
        if RANK[sensitivity] >= RANK[most.get(record_id, sensitivity)]:
            most[record_id] = sensitivity
    restricted = {i for i, s in most.items() if s == "restricted"}
    public = [i for i, s in most.items() if s == "public"]
    if public:  # public once: internal if any other version was
        for (record_id,) in conn.execute(
            f"SELECT DISTINCT record_id FROM {source}.record_versions "
            "WHERE record_id IN (SELECT value FROM json_each(?)) "
            f"AND {VERSION_SENSITIVITY} = 'internal'",
            (json.dumps(public),),
        ):
            most[record_id] = "internal"
    restricted = withheld_closure(conn, "temp", restricted)
    most.update(dict.fromkeys(restricted, "restricted"))
    lowered = [i for i, s in most.items() if s != "public"]
    linking = linking_to(conn, "temp", restricted) if restricted else set()
    rewrite = {}
    rows = conn.cursor()
    rows.row_factory = sqlite3.Row  # whatever the connection's own
    for row in rows.execute(
        "SELECT * FROM records WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(linking.union(lowered))),),
    ):
        record_id = row["id"]
        if withhold and record_id in restricted:
            continue
        record = json.loads(row["json"])
        if _sealed(record, most.get(record_id), restricted):
            rewrite[record_id] = (row, record)
    gone = restricted if withhold else frozenset()
    touched = sorted(gone.union(rewrite))
    if not touched:
        return
    chosen = json.dumps(touched)
    for table, key in SHADOWED.items():
        conn.execute(
            f"DELETE FROM temp.[snap_{table}] WHERE [{key}] IN (SELECT value FROM json_each(?))",
            (chosen,),
        )
    conn.execute(
        "INSERT OR IGNORE INTO temp.snap_changed SELECT value FROM json_each(?)", (chosen,)
    )
    conn.executemany(
        "INSERT INTO temp.snap_records VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (
                row["id"], row["kind"], row["title"], record["sensitivity"], row["path"],
                row["blob"],
                json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
                row["updated_in"], row["updated_at"],
            )
            for row, record in rewrite.values()
        ],
    )
    _fill(conn, sorted(rewrite))


def _sealed(record: dict, most: str | None, withheld: set[str]) -> bool:
    """Make ``record`` as a snapshot shows it (in place); whether anything changed."""
    changed = False
    if most and RANK[most] > RANK.get(record.get("sensitivity", "internal"), 1):
        record["sensitivity"] = most
        changed = True
    return strip_withheld(record, withheld) or changed


# ---- withholding: the one rule for the snapshot and the audit copy --------------------------

# The fields of each kind that name other records, from the model.
WITHHOLDING: dict[str, tuple[Field, ...]] = {
    kind.name: tuple(s for s in kind.fields if s.type in ("link", "links", "findings"))
    for kind in KINDS.values()
}
# The required ones: a record whose required link names a withheld record is withheld too.
_REQUIRED = [(kind, spec) for kind in KINDS.values() for spec in WITHHOLDING[kind.name]
             if spec.required]
if any(spec.type != "link" for _, spec in _REQUIRED):  # pragma: no cover - a model change
    raise ImportError("hrgov.snapshot withholds through required single links only")
GONE = object()  # strip_value's answer for "remove the field"


def strip_value(spec: Field, value, withheld: Collection[str]):
    """``value`` of the field ``spec`` without the ids in ``withheld``: the value itself when
    it names none of them, ``GONE`` when nothing is left of it (a withheld single link, an
    emptied list)."""
    if not withheld or value is None:
        return value
    if spec.type == "link":
        return GONE if value in withheld else value
    if spec.type == "links" and isinstance(value, list):
        if not any(i in withheld for i in value):
            return value
        kept = [i for i in value if i not in withheld]
        return kept if kept else GONE
    if spec.type == "findings" and isinstance(value, list):
        findings = []
        for finding in value:
            named = finding.get("milestones") if isinstance(finding, dict) else None
            if isinstance(named, list) and any(i in withheld for i in named):
                finding = {k: v for k, v in finding.items() if k != "milestones"}
                kept = [i for i in named if i not in withheld]
                if kept:
                    finding["milestones"] = kept
            findings.append(finding)
        return findings
    return value


def strip_withheld(record: dict, withheld: Collection[str]) -> bool:
    """Remove the ids in ``withheld`` from every field of ``record`` that names records (in
    place; see the module's notes); whether anything changed. A record that is itself withheld
    keeps its required links: it is never named, and outputs that count withheld records
    (the Board briefing) count it under the record it belongs to."""
    changed = False
    itself = record.get("id") in withheld
    for spec in WITHHOLDING.get(record.get("kind"), ()):
        if spec.name not in record or (itself and spec.required):
            continue
        value = record[spec.name]
        kept = strip_value(spec, value, withheld)
        if kept is GONE:
            del record[spec.name]
        elif kept == value:
            continue
        else:
            record[spec.name] = kept
        changed = True
    return changed


def strip_text(spec: Field, text: str | None, withheld: Collection[str]) -> str | None:
    """``strip_value`` for a kind table's column (JSON text for a list; None when gone)."""
    if text is None or spec.type == "link":
        kept = strip_value(spec, text, withheld)
        return None if kept is GONE else kept
    value = json.loads(text)
    kept = strip_value(spec, value, withheld)
    if kept is GONE:
        return None
    return text if kept == value else json.dumps(kept, ensure_ascii=False,
                                                 separators=(",", ":"))


def withheld_closure(conn: sqlite3.Connection, schema: str, withheld: Iterable[str]) -> set[str]:
    """``withheld`` and every record whose required link names one of them, over and over,
    read from the kind tables in ``schema`` (``temp`` for a snapshot's views)."""
    found = set(withheld)
    frontier = found
    while frontier and _REQUIRED:
        listed = json.dumps(sorted(frontier))
        named = set()
        for kind, spec in _REQUIRED:
            named.update(row[0] for row in conn.execute(
                f"SELECT id FROM {schema}.[{kind.plural}] "
                f"WHERE [{spec.name}] IN (SELECT value FROM json_each(?))",
                (listed,),
            ))
        frontier = named - found
        found |= frontier
    return found


def linking_to(conn: sqlite3.Connection, schema: str, ids: Collection[str]) -> set[str]:
    """The records (in the kind and link tables of ``schema``) that name one of ``ids`` in a
    field that names records."""
    listed = json.dumps(sorted(ids))
    chosen = "(SELECT value FROM json_each(?1))"
    found = set()
    for kind in KINDS.values():
        # One pass over the kind's table for its single links and findings.
        tests = []
        for spec in WITHHOLDING[kind.name]:
            if spec.type == "link":
                tests.append(f"t.[{spec.name}] IN {chosen}")
            elif spec.type == "findings":
                tests.append(
                    f"(t.[{spec.name}] IS NOT NULL AND EXISTS (SELECT 1 FROM "
                    f"json_each(t.[{spec.name}]) AS f, json_each(f.value, '$.milestones') AS m "
                    f"WHERE m.value IN {chosen}))"
                )
            else:
                found.update(row[0] for row in conn.execute(
                    f"SELECT [{kind.name}] FROM {schema}.[{link_table(kind, spec)}] "
                    f"WHERE [{spec.link}] IN {chosen}",
                    (listed,),
                ))
        if tests:
            found.update(row[0] for row in conn.execute(
                f"SELECT t.id FROM {schema}.[{kind.plural}] AS t WHERE {' OR '.join(tests)}",
                (listed,),
            ))
    return found
