"""Read-only questions to the SQLite index. Every read of the ledger's data goes through here.

Each function takes an open ``sqlite3.Connection`` (``Ledger.reader()`` gives one that is
current with HEAD) and returns records shaped like their JSON files::

    >>> list_records(conn, "milestones", status="planned")  # doctest: +SKIP
    [{'kind': 'milestone', 'id': 'MS-2026-0001', ...}]
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta

from hrgov.errors import InvalidInput, RecordNotFound
from hrgov.model import KINDS, Kind, kind_named, kind_of_id

# A kind table's row ``t`` → its record's JSON. A scalar subquery, not a join: through the
# views of a snapshot (``hrgov.snapshot``) SQLite then looks each record up by its key.
_JSON = "(SELECT r.json FROM records r WHERE r.id = t.id)"


def _records(rows) -> list[dict]:
    return [json.loads(row[0]) for row in rows]


def get(conn: sqlite3.Connection, record_id: str) -> dict | None:
    """The current version of a record, or ``None``."""
    row = conn.execute("SELECT json FROM records WHERE id=?", (record_id,)).fetchone()
    return json.loads(row[0]) if row else None


def get_many(conn: sqlite3.Connection, record_ids: Iterable[str]) -> dict[str, dict]:
    """The current version of each of ``record_ids`` that exists, by id: one query per 500
    ids (an import of 100,000 rows asks for every one)."""
    wanted = list(record_ids)
    found = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT id, json FROM records WHERE id IN ({marks})", chunk):
            found[row[0]] = json.loads(row[1])
    return found


def require(conn: sqlite3.Connection, record_id: str, kind: str | None = None) -> dict:
    """The record ``record_id`` (of kind ``kind`` if given); ``RecordNotFound`` otherwise.

    The message says how to find the right id.
    """
    id_kind = kind_of_id(record_id)
    wanted: Kind | None = KINDS[kind] if kind else id_kind
    record = get(conn, record_id)
    if record is None or (wanted and record["kind"] != wanted.name):
        what = wanted.name if wanted else "record"
        hint = f" (list them with: hrgov list {wanted.plural})" if wanted else ""
        raise RecordNotFound(f"no {what} {record_id}{hint}")
    return record


def list_records(
    conn: sqlite3.Connection,
    kind: str,
    *,
    status: str | None = None,
    owner: str | None = None,
    commitment: str | None = None,
    since: date | None = None,
    withdrawn: bool = False,
) -> list[dict]:
    """Every record of a kind (singular or plural name), oldest first, optionally filtered:
    by status, owner, the commitment it serves (``commitment``) and whether it was recorded
    or changed on ``since`` (UTC) or later. Records withdrawn as logged by mistake are left
    out (so out of every count and report built from these lists) unless ``withdrawn``.

    >>> [c["id"] for c in list_records(conn, "commitments", owner="legal")]  # doctest: +SKIP
    ['follow-ungps', ...]
    """
    spec = kind_named(kind)
    where, params = ["1=1" if withdrawn else "t.withdrawn IS NULL"], []
    for name, value in ((spec.status_field, status), ("owner", owner)):
        if value is None:
            continue
        field = spec.field(name)
        if field is None:
            raise InvalidInput(f"{name} does not apply: {spec.plural} have no {name}", field=name)
        if field.choices and value not in field.choices:
            raise InvalidInput(
                f"{value!r} is not a {spec.name} {name} (one of: {', '.join(field.choices)})"
            )
        where.append(f"t.[{name}] = ?")
        params.append(value)
    if commitment is not None:
        where.append(_serving(spec, conn, commitment))
        params.append(commitment)
    if since is not None:
        where.append("(SELECT r.updated_at FROM records r WHERE r.id = t.id) >= ?")
        params.append(f"{since.isoformat()}T00:00:00Z")
    order = f"t.[{spec.date_field}], t.id" if spec.date_field else "t.id"
    sql = f"SELECT {_JSON} FROM [{spec.plural}] t WHERE {' AND '.join(where)} ORDER BY {order}"
    return _records(conn.execute(sql, params))


def _serving(spec: Kind, conn: sqlite3.Connection, commitment: str) -> str:
    """The condition on ``spec``'s table ``t`` that a row serves ``commitment`` (one ``?``)."""
    require(conn, commitment, "commitment")
    field = spec.field("commitment") or spec.field("commitments")
    if field is None or field.link != "commitment":
        raise InvalidInput(
            f"commitment does not apply: {spec.plural} serve no commitment", field="commitment"
        )
    if field.type == "link":
        return "t.commitment = ?"
    table = f"{spec.name}_{field.name}"  # index.link_table
    return f"t.id IN (SELECT [{spec.name}] FROM [{table}] WHERE commitment = ?)"


def ids_starting(conn: sqlite3.Connection, prefixes) -> set[str]:
    """The ids that start with any of ``prefixes`` (``D-2026-``, ``MTG-2026-03-04``)."""
    found = set()
    for prefix in prefixes:
        # A range on the primary key: the ids from the prefix to the next prefix.
        found.update(row[0] for row in conn.execute(
            "SELECT id FROM records WHERE id >= ? AND id < ?", (prefix, prefix + "\uffff")
        ))
    return found


def highest_number(conn: sqlite3.Connection, kind: Kind, year: int) -> int:
    """The highest number used by a dated kind in ``year`` (0 if none)."""
    prefix = f"{kind.id_prefix}-{year:04d}-"
    # A range on the primary key reads only that year's ids of that kind.
    row = conn.execute(
        "SELECT max(CAST(substr(id, ?) AS INTEGER)) FROM records WHERE id >= ? AND id < ?",
        (len(prefix) + 1, prefix, prefix[:-1] + "."),
    ).fetchone()
    return row[0] or 0


def meeting_ids_on(conn: sqlite3.Connection, day: str) -> list[str]:
    """Ids of the meetings held on ``day``."""
    rows = conn.execute("SELECT id FROM meetings WHERE date=?", (day,))
    return [row[0] for row in rows]


def milestones_of(conn: sqlite3.Connection, commitment: str) -> list[dict]:
    """The milestones of one commitment."""
    rows = conn.execute(
        f"SELECT {_JSON} FROM milestones t WHERE t.commitment=? AND t.withdrawn IS NULL "
        "ORDER BY t.due, t.id",
        (commitment,),
    )
    return _records(rows)


def due(
    conn: sqlite3.Connection,
    today: date,
    *,
    within: int = 30,
    overdue_only: bool = False,
    owner: str | None = None,
) -> list[dict]:
    """Open milestones that are overdue at ``today`` or fall due within ``within`` days.

    >>> due(conn, date(2026, 3, 1), within=14)  # doctest: +SKIP
    """
    if not 0 <= within <= 36500:
        raise InvalidInput("within must be between 0 and 36500 days", field="within")
    until = today - timedelta(days=1) if overdue_only else today + timedelta(days=within)
    sql = (
        f"SELECT {_JSON} FROM milestones t WHERE t.status NOT IN ('done', 'dropped') "
        "AND t.due <= ? AND t.withdrawn IS NULL"
    )
    params: list = [until.isoformat()]
    if owner is not None:
        sql += " AND t.owner = ?"
        params.append(owner)
    return _records(conn.execute(sql + " ORDER BY t.due, t.id", params))


def versions(conn: sqlite3.Connection, record_id: str) -> list[dict]:
    """Every version of a record, oldest first: its id, version number, commit, time, author,
    subject, reason, the record as that version left it (``record``), the
    fields it changed (``[{"field", "old", "new"}]``; empty for the version that created or
    deleted the record), whether it deleted the record, and who signed its commit
    (``signed_by``: a signer's principal, or None)."""
    rows = conn.execute(
        "SELECT record_id, version, v.sha, time, author_name, author_email, subject, reason, "
        "changes, deleted, json, signed_by FROM record_versions AS v "
        "LEFT JOIN signatures AS s ON s.sha = v.sha WHERE record_id=? ORDER BY version",
        (record_id,),
    )
    return [
        {
            "id": row["record_id"],
            "version": row["version"],
            "commit": row["sha"],
            "time": row["time"],
            "author": f"{row['author_name']} <{row['author_email']}>",
            "subject": row["subject"],
            "reason": row["reason"],
            "changes": json.loads(row["changes"]),
            "deleted": bool(row["deleted"]),
            "record": json.loads(row["json"]) if row["json"] else None,
            "signed_by": row["signed_by"],
        }
        for row in rows
    ]


def any_signed(conn: sqlite3.Connection) -> bool:
    """Whether any commit of the ledger carries a signer's good signature."""
    return conn.execute("SELECT 1 FROM signatures LIMIT 1").fetchone() is not None


def signed_decisions(conn: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """Those of the decisions ``ids`` whose every version was committed with a good signature
    of one of the ledger's signers (``hrgov.signing``): what "signed by a committee member"
    means in the Board paper and the audit view.

    >>> signed_decisions(conn, ["D-2026-0001", "D-2026-0002"])  # doctest: +SKIP
    {'D-2026-0001'}
    """
    wanted, found = sorted(set(ids)), set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found |= {row[0] for row in conn.execute(
            "SELECT record_id FROM record_versions AS v LEFT JOIN signatures AS s "
            f"ON s.sha = v.sha WHERE record_id IN ({marks}) "
            "GROUP BY record_id HAVING count(s.signed_by) = count(*)",
            chunk,
        )}
    return found


def post_approval_changes(conn: sqlite3.Connection) -> list[dict]:
    """Every change to a decision after its meeting's minutes were approved (``hrgov
    approve``), oldest first, as ``verify`` lists them: the decision, its meeting, the
    commit, when, who, why, who signed it (or None) and the decision's sensitivity now.
    Callers that show them leave out the restricted ones."""
    rows = conn.execute(
        "SELECT v.record_id, json_extract(p.json, '$.meeting') AS meeting, v.sha, v.time, "
        "v.author_name, coalesce(nullif(v.reason, ''), v.subject) AS why, s.signed_by, "
        "coalesce(r.sensitivity, json_extract(v.json, '$.sensitivity')) AS sensitivity "
        "FROM record_versions AS v "
        "JOIN record_versions AS p ON p.record_id = v.record_id AND p.version = v.version - 1 "
        "JOIN record_versions AS m ON m.record_id = json_extract(p.json, '$.meeting') "
        "AND m.version = (SELECT max(version) FROM record_versions "
        "WHERE record_id = m.record_id AND seq < v.seq) "
        "LEFT JOIN signatures AS s ON s.sha = v.sha "
        "LEFT JOIN records AS r ON r.id = v.record_id "
        "WHERE v.kind = 'decision' AND v.deleted = 0 AND p.deleted = 0 AND m.deleted = 0 "
        "AND json_extract(m.json, '$.approved_on') IS NOT NULL ORDER BY v.seq, v.record_id"
    )
    return [
        {"decision": row[0], "meeting": row[1], "commit": row[2], "time": row[3],
         "author": row[4], "reason": row[5], "signed_by": row[6], "sensitivity": row[7]}
        for row in rows
    ]


def changes_in(conn: sqlite3.Connection, sha: str) -> list[tuple[str, dict | None, bool]]:
    """What commit ``sha`` did to records, as the index saw it on the first-parent line:
    ``(record id, the record it left or None, whether it left a file that is no record)``."""
    rows = conn.execute(
        "SELECT record_id, json, deleted FROM record_versions WHERE sha=? ORDER BY record_id",
        (sha,),
    )
    return [(row[0], None if row[2] else json.loads(row[1]), row[2] == 2) for row in rows]


def witnesses(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """The commits this machine has seen: sha, seen_at, subject, how."""
    return conn.execute(
        "SELECT sha, seen_at, subject, how FROM witnesses WHERE sha != ''"
    ).fetchall()


def witnesses_from(conn: sqlite3.Connection) -> str | None:
    """When this index began remembering with nothing remembered before, if it did."""
    row = conn.execute("SELECT min(seen_at) FROM witnesses WHERE sha = ''").fetchone()
    return row[0] if row else None


def first_parent_shas(conn: sqlite3.Connection) -> set[str]:
    """The commits of the first-parent line the index follows."""
    return {row[0] for row in conn.execute("SELECT sha FROM commits")}


def count_records(conn: sqlite3.Connection) -> int:
    """How many records the ledger holds."""
    return conn.execute("SELECT count(*) FROM records").fetchone()[0]


def index_head(conn: sqlite3.Connection) -> str:
    """The commit the index reflects."""
    return conn.execute("SELECT value FROM meta WHERE key='head'").fetchone()[0]


def indexed_blobs(conn: sqlite3.Connection) -> dict[str, str]:
    """path → blob sha of every record the index holds (``verify`` compares it with HEAD)."""
    return {row[0]: row[1] for row in conn.execute("SELECT path, blob FROM records")}


def snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every table's rows, sorted: two indexes of the same history have equal snapshots.
    The witnesses are left out: they are what this machine has seen, not the history; so are
    the full-text tables, whose pages depend on the order rows came in (``search`` answers
    the same from both)."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'witnesses' AND name NOT LIKE '%\\_fts%' ESCAPE '\\' ORDER BY name"
        )
    ]
    found = {
        table: sorted(tuple(row) for row in conn.execute(f"SELECT * FROM [{table}]"))
        for table in tables
    }
    return found


# ---- finding things --------------------------------------------------------------------

SEARCH_LIMIT = 50


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query that finds records holding all of them: each word
    a quoted phrase, so that FTS syntax in what was typed (``"``, ``(``, ``NEAR``, ``-``,
    ``:``) is searched for, never obeyed; a word ending in ``*`` finds every word it starts.

    >>> fts_query("NEAR(screening new) AND review*")
    '"NEAR(screening" "new)" "AND" "review"*'
    """
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and word.strip("*") != ""
        word = word.rstrip("*") if prefix else word
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    if not terms:
        raise InvalidInput("give the words to search for, e.g. hrgov search screening",
                           field="text")
    return " ".join(terms)


def search(conn: sqlite3.Connection, text: str, *, limit: int = SEARCH_LIMIT) -> list[dict]:
    """The records whose text fields (``index.SEARCHED``) hold every word of ``text``, best
    match first: ``{"id", "kind", "sensitivity", "title", "snippet"}``, the words found marked
    ``[…]`` in the snippet. Read from the live index (HEAD).

    >>> [hit["id"] for hit in search(conn, "screening")]  # doctest: +SKIP
    ['D-2026-0001', 'ongoing-hrdd']
    """
    from hrgov.index import SEARCHED

    query = fts_query(text)
    hits = []
    for plural, columns in SEARCHED.items():
        if not columns:
            continue
        fts = f"{plural}_fts"
        hits += conn.execute(
            f"SELECT t.id, snippet([{fts}], -1, '[', ']', '…', 16), [{fts}].rank "
            f"FROM [{fts}] JOIN [{plural}] t ON t.rowid = [{fts}].rowid "
            f"WHERE [{fts}] MATCH ? ORDER BY [{fts}].rank LIMIT ?",
            (query, limit),
        ).fetchall()
    hits.sort(key=lambda hit: (hit[2], hit[0]))  # bm25: lower is better
    hits = hits[:limit]
    about = {
        row[0]: row
        for row in conn.execute(
            "SELECT id, kind, sensitivity, title FROM records "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([hit[0] for hit in hits]),),
        )
    }
    return [
        {
            "id": record_id,
            "kind": about[record_id][1],
            "sensitivity": about[record_id][2],
            "title": about[record_id][3],
            "snippet": " ".join(snippet.split()),
        }
        for record_id, snippet, _ in hits
        if record_id in about
    ]


def last_position_before(conn: sqlite3.Connection, moment: str) -> int:
    """The first-parent position of the last commit made before ``moment`` (an index time,
    ``2026-03-04T00:00:00Z``); 0 if none was."""
    row = conn.execute("SELECT max(seq) FROM commits WHERE time < ?", (moment,)).fetchone()
    return row[0] or 0


def head_position(conn: sqlite3.Connection) -> int:
    """The first-parent position of HEAD (0 for a ledger with no commit)."""
    return conn.execute("SELECT coalesce(max(seq), 0) FROM commits").fetchone()[0]


def versions_between(conn: sqlite3.Connection, after: int, until: int) -> list[dict]:
    """Every record version made by the commits at first-parent positions ``after`` (not
    included) to ``until`` (included), in the order they were made; shaped as ``versions``,
    with each commit's ``command`` and ``seq``.

    >>> versions_between(conn, 3, 5)  # doctest: +SKIP
    [{'id': 'D-2026-0001', 'version': 2, 'command': 'decision status', ...}]
    """
    rows = conn.execute(
        "SELECT v.record_id, v.version, v.kind, v.sha, v.time, v.author_name, v.author_email, "
        "v.subject, v.reason, v.changes, v.deleted, v.json, v.seq, c.command "
        "FROM record_versions v JOIN commits c ON c.sha = v.sha "
        "WHERE v.seq > ? AND v.seq <= ? ORDER BY v.seq, v.record_id",
        (after, until),
    )
    return [
        {
            "id": row[0],
            "version": row[1],
            "kind": row[2],
            "commit": row[3],
            "time": row[4],
            "author": f"{row[5]} <{row[6]}>",
            "subject": row[7],
            "reason": row[8],
            "changes": json.loads(row[9]),
            "deleted": bool(row[10]),
            "record": json.loads(row[11]) if row[11] else None,
            "seq": row[12],
            "command": row[13],
        }
        for row in rows
    ]


def ever_restricted(conn: sqlite3.Connection) -> set[str]:
    """The ids of the records any version of which was restricted."""
    from hrgov.index import VERSION_SENSITIVITY

    return {
        row[0]
        for row in conn.execute(
            f"SELECT DISTINCT record_id FROM record_versions "
            f"WHERE {VERSION_SENSITIVITY} = 'restricted'"
        )
    }


def restricted_now(conn: sqlite3.Connection) -> set[str]:
    """The ids of the records that are restricted now."""
    return {row[0] for row in conn.execute("SELECT id FROM records WHERE sensitivity = ?",
                                           ("restricted",))}


def decisions_for(conn: sqlite3.Connection, commitment: str) -> list[dict]:
    """The decisions that serve one commitment, oldest first."""
    rows = conn.execute(
        f"SELECT {_JSON} FROM decisions t WHERE t.id IN "
        "(SELECT decision FROM decision_commitments WHERE commitment = ?) ORDER BY t.date, t.id",
        (commitment,),
    )
    return _records(rows)


def last_changes(conn: sqlite3.Connection, record_ids: Iterable[str]) -> dict[str, tuple]:
    """For each of ``record_ids``: how many versions it has had and when the last was made."""
    return {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT record_id, max(version), max(time) FROM record_versions "
            "WHERE record_id IN (SELECT value FROM json_each(?)) GROUP BY record_id",
            (json.dumps(list(record_ids)),),
        )
    }


def first_commit(conn: sqlite3.Connection) -> str:
    """The first commit of the ledger's first-parent line (the same on every clone)."""
    row = conn.execute("SELECT sha FROM commits ORDER BY seq LIMIT 1").fetchone()
    return row[0] if row else ""
