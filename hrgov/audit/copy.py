"""The audit copy: a separate SQLite file, built from the index, holding only what auditors
may see.

Records an auditor may not see do not exist in the copy at all: a new file is written from the
index with only the rows that may be seen, so no deleted row lingers in a free page::

    >>> build_audit_copy(Ledger.find(), Path("audit"))  # doctest: +SKIP
    PosixPath('audit/ledger.db')

The rules, in ``include_internal`` mode (the default; ``False`` keeps ``public`` records only):

- a record is in the copy when its current version is not restricted, nor is a record its
  required link names (a milestone of a restricted commitment: ``snapshot.withheld_closure``);
- the history of a record that is, or ever was, restricted is withheld: none of its versions,
  and no commit lists it; a commit that touched it keeps its sha, time and author, but its
  subject (which names the record) and reason are replaced and ``withheld`` is 1;
- ids of records that are not in the copy are removed from every field that names records
  (``snapshot.strip_withheld``: links, lists of links, findings' milestones; in the kind
  tables, link tables, JSON of records and versions, and the versions' changes), so every id
  in the copy names a record in it;
- the views and ``commitment_health`` of ``audit.yaml`` are added, evaluated "as of" one date.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from hrgov import __version__, index, snapshot
from hrgov.audit.declared import declarations
from hrgov.audit.reports import write_reports
from hrgov.model import (
    CLOSED_MILESTONE,
    GRIEVANCE_STAGES,
    KINDS,
    commitment_health,
    is_overdue,
)

if TYPE_CHECKING:
    from hrgov.ledger import Ledger

COPY_FILE = "ledger.db"
# A commit that touched a withheld record names the records it kept in its subject up to this
# many; beyond, it counts them.
NAMED_IN_SUBJECT = 3
ALLOWED = {"internal": ("public", "internal"), "public": ("public",)}
# An id inside JSON text: a quoted slug or dated id. Only records mentioning a withheld id are
# parsed and rewritten; the others are copied as they are.
_QUOTED_ID = re.compile(r'"([A-Za-z0-9][A-Za-z0-9-]{0,80})"')
# Any word that could be a record's id, in hrgov verify's lines.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,80}")
# A line of hrgov verify about one commit: "commit SHA12 (DAY, AUTHOR): RECORD-ID: MESSAGE".
_COMMIT_LINE = re.compile(r"commit ([0-9a-f]{7,40}) \((\d{4}-\d\d-\d\d), (.*?)\): (.*)", re.S)


def build_audit_copy(
    ledger: Ledger,
    out_dir: Path,
    *,
    at: str | None = None,
    include_internal: bool = True,
    as_of: date | None = None,
) -> Path:
    """Write the audit copy of ``ledger`` to ``out_dir/ledger.db`` and return its path.

    ``at`` (a date: the end of that day, UTC; or a git revision) builds the copy of the ledger
    as it was then. ``as_of`` is the date status figures are evaluated at: by default ``at``'s
    date (a revision: its commit's day), else today (UTC). The file is written beside its
    final name and renamed into place, read-only.
    """
    out_dir = Path(out_dir)
    mode = "internal" if include_internal else "public"
    settings = ledger.settings()
    source = ledger.reader()
    source_path = source.execute("PRAGMA database_list").fetchone()[2]
    point = None
    if at is not None:
        point = snapshot.resolve(source, ledger.root, at)
        if as_of is None and point.day is not None:
            as_of = point.day
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / COPY_FILE
    tmp = out_dir / f".{COPY_FILE}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    copier = None
    try:
        copier = _Copier(tmp, Path(source_path), mode, point)
        copier.copy()
        copier.finish(settings, as_of, pinned=at is not None)
        from hrgov.ledger import verify  # hrgov verify's own checks, run once here

        copier.rule_breaks(verify(ledger).failures, pinned=at is not None)
        day = copier.conn.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone()[0]
        write_reports(copier.conn, ledger, at, date.fromisoformat(day), copier.withheld_titles)
        copier.close()
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    finally:
        if copier is not None:
            copier.close()
        tmp.unlink(missing_ok=True)
    return target


class _Copier:
    """Copies the allowed rows of one index into a new database, then adds the audit tables.

    With a ``point``, the index is read as of that commit (``hrgov.snapshot``, through views
    in the temp schema); else as it is."""

    def __init__(self, path: Path, source: Path, mode: str, point: snapshot.Point | None = None):
        self.mode = mode
        self.point = point
        self.src = "src" if point is None else "temp"  # where the rows are read from
        self.declared = declarations()
        self.conn = sqlite3.connect(f"file:{quote(str(path))}", uri=True, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=OFF")  # a half-built copy is thrown away
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute(
            "ATTACH DATABASE ? AS src", (f"file:{quote(str(source))}?mode=ro",)
        )
        self.withheld: set[str] = set()  # not in the copy: links to them are removed
        self.withheld_by_kind: dict[str, int] = {}
        self.history_withheld: set[str] = set()  # no version of them is in the copy
        self.withheld_titles: set[str] = set()
        for name, function, arity in (
            ("audit_value", self._value, 3),
            ("audit_record", self._record, 2),
            ("audit_changes", self._changes, 2),
        ):
            self.conn.create_function(name, arity, function, deterministic=True)

    # ---- copying the index ------------------------------------------------------------

    def copy(self) -> None:
        """Create the index's schema and copy the rows that may be seen, in one read
        transaction of the source (a consistent snapshot even while the ledger is written)."""
        conn = self.conn
        conn.execute("BEGIN")
        src = self.src
        # The witnesses are what the machine serving the view has seen, not the ledger; who
        # signed each commit goes into the copy's commits.
        for (sql,) in conn.execute(
            "SELECT sql FROM src.sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%' AND tbl_name NOT IN ('witnesses', 'signatures') "
            # The index's full-text tables and their triggers: the copy builds its own.
            "AND type != 'trigger' AND tbl_name NOT LIKE '%\\_fts%' ESCAPE '\\' "
            "ORDER BY type = 'index', rowid"
        ).fetchall():
            conn.execute(sql)
        conn.execute("ALTER TABLE commits ADD COLUMN withheld INTEGER NOT NULL DEFAULT 0")
        if self.point is not None:  # after the schema: its views shadow the names in temp
            snapshot.shadow(conn, self.point, source="src")
        self._sort_records()
        conn.execute("CREATE TEMP TABLE withheld (id TEXT PRIMARY KEY)")
        conn.executemany("INSERT INTO temp.withheld VALUES (?)", [(i,) for i in self.withheld])
        conn.execute("CREATE TEMP TABLE history_withheld (id TEXT PRIMARY KEY)")
        conn.executemany(
            "INSERT INTO temp.history_withheld VALUES (?)", [(i,) for i in self.history_withheld]
        )
        allowed = ",".join("?" * len(ALLOWED[self.mode]))
        columns = self._columns("records")
        conn.execute(
            f"INSERT INTO main.records ({_names(columns)}) SELECT "
            + ", ".join("audit_record(kind, json)" if c == "json" else f"[{c}]" for c in columns)
            + f" FROM {src}.records WHERE sensitivity IN ({allowed}) "
            "AND id NOT IN (SELECT id FROM temp.withheld)",
            ALLOWED[self.mode],
        )
        for kind in KINDS.values():
            self._copy_kind(kind)
        conn.execute(
            f"INSERT INTO main.milestone_slips SELECT * FROM {src}.milestone_slips "
            "WHERE milestone IN (SELECT id FROM main.milestones)"
        )
        self._copy_commits()
        columns = self._columns("record_versions")
        select = {
            "subject": "CASE WHEN c.withheld THEN c.subject ELSE v.subject END",
            "reason": "CASE WHEN c.withheld THEN NULL ELSE v.reason END",
            "json": "audit_record(v.kind, v.json)",
            "changes": "audit_changes(v.kind, v.changes)",
        }
        conn.execute(
            f"INSERT INTO main.record_versions ({_names(columns)}) SELECT "
            + ", ".join(select.get(c, f"v.[{c}]") for c in columns)
            + f" FROM {src}.record_versions v LEFT JOIN main.commits c ON c.sha = v.sha "
            "WHERE v.record_id NOT IN (SELECT id FROM temp.history_withheld)"
        )
        # which key this machine reads sealed records with is this machine's, not the copy's
        conn.execute(f"INSERT INTO main.meta SELECT * FROM {src}.meta WHERE key != 'reader'")
        conn.execute("COMMIT")
        if self.point is not None:  # the snapshot's views and tables read src
            for kind, name in conn.execute(
                "SELECT type, name FROM temp.sqlite_master WHERE type IN ('view', 'table') "
                "AND (name LIKE 'snap%' OR type = 'view')"
            ).fetchall():
                conn.execute(f"DROP {kind} temp.[{name}]")
        conn.execute("DETACH DATABASE src")

    def _sort_records(self) -> None:
        """Work out which records are withheld, and whose history is."""
        allowed = ALLOWED[self.mode]
        visible = set()
        hidden_now = set()
        restricted = set()
        for record_id, sensitivity in self.conn.execute(
            f"SELECT id, sensitivity FROM {self.src}.records"
        ):
            (visible if sensitivity in allowed else hidden_now).add(record_id)
            if sensitivity == "restricted":
                restricted.add(record_id)
        # A record whose required link names a restricted one is withheld with it.
        named = snapshot.withheld_closure(self.conn, self.src, restricted) - restricted
        hidden_now |= named
        visible -= named
        marks = ",".join("?" * len(allowed))
        ever_hidden = {
            row[0]
            for row in self.conn.execute(
                f"SELECT DISTINCT record_id FROM {self.src}.record_versions WHERE NOT deleted AND "
                f"coalesce(json_extract(json, '$.sensitivity'), 'internal') NOT IN ({marks})",
                allowed,
            )
        }
        self.history_withheld = hidden_now | ever_hidden
        self.withheld = self.history_withheld - visible
        kinds = defaultdict(int)
        for (kind,) in self.conn.execute(
            f"SELECT kind FROM {self.src}.records WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(self.withheld)),),
        ):
            kinds[kind] += 1
        self.withheld_by_kind = dict(kinds)
        # What the reports may not quote: the titles of the records the copy withholds,
        # where a title is the record's own words (a grievance's "title" is its channel).
        self.withheld_titles = {
            title for kind, title in self.conn.execute(
                f"SELECT kind, title FROM {self.src}.records WHERE id IN (SELECT value FROM "
                "json_each(?)) AND length(title) > 3", (json.dumps(sorted(self.withheld)),),
            )
            if _worded_title(kind)
        }

    def _copy_kind(self, kind) -> None:
        columns = self._columns(kind.plural)
        expressions = []
        naming = {spec.name for spec in snapshot.WITHHOLDING[kind.name]}
        for column in columns:
            if column in naming:
                expressions.append(f"audit_value('{kind.name}', '{column}', [{column}])")
            else:
                expressions.append(f"[{column}]")
        self.conn.execute(
            f"INSERT INTO main.[{kind.plural}] ({_names(columns)}) SELECT {', '.join(expressions)}"
            f" FROM {self.src}.[{kind.plural}] WHERE id IN (SELECT id FROM main.records)"
        )
        for spec in kind.fields:
            if spec.type == "links":
                table = index.link_table(kind, spec)
                self.conn.execute(
                    f"INSERT INTO main.[{table}] SELECT * FROM {self.src}.[{table}] "
                    f"WHERE [{kind.name}] IN (SELECT id FROM main.[{kind.plural}]) "
                    f"AND [{spec.link}] NOT IN (SELECT id FROM temp.withheld)"
                )

    def _copy_commits(self) -> None:
        """Every commit, with every column the index keeps (``signed_by`` too, where the index
        records who signed); those that touched a record whose history is withheld lose their
        subject (it names the record) and reason, and every list loses withheld ids. Such a
        commit's subject is said once, briefly: ``log decision D-2026-0003: [withheld…]`` when
        it kept a few records, ``import: 2,988 records, 12 withheld`` when it kept many (every
        version it made repeats that subject). A copy always has ``signed_by`` (empty where the
        index does not say), so that its history pages can show who signed each change."""
        replaced = self.declared["modes"][self.mode]["redacted_subject"]
        columns = self._columns("commits")
        rows = []
        for values in self.conn.execute(f"SELECT {_names(columns)} FROM {self.src}.commits"):
            row = dict(zip(columns, values, strict=True))
            ids = json.loads(row["records"] or "[]")
            kept = [i for i in ids if i not in self.history_withheld]
            withheld = len(kept) != len(ids)
            if withheld:
                command = row["command"] or "change"
                if len(kept) <= NAMED_IN_SUBJECT:
                    named = f" {', '.join(kept)}" if kept else ""
                    row["subject"] = f"{command}{named}: {replaced}"
                else:
                    row["subject"] = (f"{command}: {len(kept):,} records, "
                                      f"{len(ids) - len(kept):,} withheld")
                row["reason"] = None
                row["records"] = json.dumps(kept)
            rows.append([*row.values(), int(withheld)])
        self.conn.executemany(
            f"INSERT INTO main.commits ({_names([*columns, 'withheld'])}) VALUES "
            f"({', '.join('?' * (len(columns) + 1))})",
            rows,
        )
        if "signed_by" not in columns:
            self.conn.execute("ALTER TABLE main.commits ADD COLUMN signed_by TEXT")
        # Who signed each commit, as the index verified it (its ``signatures`` table).
        self.conn.execute(
            "UPDATE main.commits SET signed_by = (SELECT s.signed_by FROM src.signatures "
            "AS s WHERE s.sha = main.commits.sha)"
        )

    def _columns(self, table: str) -> list[str]:
        return [row[1] for row in self.conn.execute(f"PRAGMA src.table_info([{table}])")]

    # ---- SQL functions that remove links to withheld records --------------------------

    def _mentions_withheld(self, text: str | None) -> bool:
        return bool(self.withheld and text) and any(
            token in self.withheld for token in _QUOTED_ID.findall(text)
        )

    def _value(self, kind_name, column, text):
        """A kind table's column: a single link's id, or a list's JSON text."""
        if text in self.withheld:
            return None
        if not self._mentions_withheld(text):
            return text
        return snapshot.strip_text(KINDS[kind_name].field(column), text, self.withheld)

    def _record(self, kind_name, text):
        if not self._mentions_withheld(text):
            return text
        record = json.loads(text)
        snapshot.strip_withheld(record, self.withheld)
        return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2) + "\n"

    def _changes(self, kind_name, text):
        if not self._mentions_withheld(text):
            return text
        naming = {s.name: s for s in snapshot.WITHHOLDING[kind_name]}
        kept = []
        for change in json.loads(text):
            spec = naming.get(change["field"])
            if spec is not None:
                old, new = self._clean(spec, change["old"]), self._clean(spec, change["new"])
                change = {**change, "old": old, "new": new}
                if change["old"] == change["new"]:
                    continue
            kept.append(change)
        return json.dumps(kept, ensure_ascii=False)

    def _clean(self, spec, value):
        kept = snapshot.strip_value(spec, value, self.withheld)
        return None if kept is snapshot.GONE else kept

    # ---- what the audit view adds -------------------------------------------------------

    def finish(self, settings: dict, as_of: date | None, *, pinned: bool) -> None:
        """Add provenance, ``commitment_health``, full-text search and the views, then leave
        the file as an ordinary (rollback-journal) database."""
        conn = self.conn
        conn.execute("BEGIN")
        head = conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0]
        row = conn.execute("SELECT time FROM commits WHERE sha = ?", (head,)).fetchone()
        head_time = row[0] if row else ""
        if as_of is None:
            as_of = date.fromisoformat(head_time[:10]) if pinned and head_time else _today()
        provenance = {
            "as_of": as_of.isoformat(),
            "mode": self.mode,
            "head_time": head_time,
            "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "built_by": f"hrgov {__version__}",
            "organisation": settings.get("organisation.name", ""),
            "policy": settings.get("ledger.policy", ""),
            "withheld_records": str(len(self.withheld)),
            "withheld_by_kind": json.dumps(self.withheld_by_kind, sort_keys=True),
        }
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", provenance.items())
        self._health(as_of)
        self._stage_targets(settings.get("ledger.policy", ""))
        for table, spec in self._searchable().items():
            fts = f"{table}_fts"
            columns = _names(spec)
            conn.execute(
                f'CREATE VIRTUAL TABLE [{fts}] USING fts5({columns}, content="{table}")'
            )
            conn.execute(
                f"INSERT INTO [{fts}] (rowid, {columns}) SELECT rowid, {columns} FROM [{table}]"
            )
        for name, view in self.declared["views"].items():
            if view.get("materialize"):  # read often, costly to compute: a table, indexed
                conn.execute(f"CREATE TABLE [{name}] AS {view['sql']}")
            else:
                conn.execute(f"CREATE VIEW [{name}] AS {view['sql']}")
        self._value_refs()
        for table, columns in self.declared["indexes"].items():
            for n, names in enumerate(columns, start=1):
                conn.execute(
                    f"CREATE INDEX [audit_{table}_{n}] ON [{table}] ({_names(names)})"
                )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")  # the query planner picks the indexes above
        conn.execute("PRAGMA journal_mode=DELETE")

    def rule_breaks(self, failures: list[str], *, pinned: bool) -> None:
        """``rule_breaks``: what ``hrgov verify`` found wrong, one row per line, the commit
        and record it names split out. A line that names a record withheld from this copy is
        not written (only counted, in ``meta.rule_breaks_withheld``); a copy as of an earlier
        point keeps the lines about its own commits only."""
        conn = self.conn
        conn.execute("BEGIN")
        conn.execute(
            "CREATE TABLE rule_breaks (sha TEXT REFERENCES commits(sha), day TEXT, "
            "author_name TEXT, record_id TEXT REFERENCES records(id), message TEXT NOT NULL)"
        )
        rows, withheld = [], 0
        for line in failures:
            if any(word in self.history_withheld for word in _WORD.findall(line)):
                withheld += 1
                continue
            found = _COMMIT_LINE.fullmatch(line)
            if found is None:  # about the ledger as it is now, not about one commit
                if not pinned:
                    rows.append((None, None, None, None, line))
                continue
            prefix, day, author, rest = found.groups()
            sha = conn.execute(
                "SELECT sha FROM commits WHERE sha >= ? AND sha < ? || 'g'", (prefix, prefix)
            ).fetchone()
            if sha is None:  # after the point this copy was built at
                continue
            record_id, _, message = rest.partition(": ")
            if not message or conn.execute(
                "SELECT 1 FROM records WHERE id = ? UNION SELECT 1 FROM record_versions "
                "WHERE record_id = ?", (record_id, record_id)
            ).fetchone() is None:
                record_id, message = None, rest
            rows.append((sha[0], day, author, record_id, message))
        conn.executemany("INSERT INTO rule_breaks VALUES (?, ?, ?, ?, ?)", rows)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('rule_breaks_withheld', ?)",
                     (str(withheld),))
        conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()  # closing twice is harmless

    def _searchable(self) -> dict[str, list[str]]:
        found = {}
        for plural, spec in self.declared["kind_tables"].items():
            if spec.get("search"):
                found[plural] = spec["search"]
        for table, spec in self.declared["tables"].items():
            if spec.get("search"):
                found[table] = spec["search"]
        return found

    def _value_refs(self) -> None:
        """``record_changes.old_ref`` and ``new_ref``: the record an old or new value names,
        where the field is a link (the model says which), as foreign keys to ``records``, so
        that Datasette links each to its record and labels it with the record's title."""
        conn = self.conn
        conn.execute("CREATE TEMP TABLE link_fields (kind TEXT, field TEXT)")
        conn.executemany("INSERT INTO temp.link_fields VALUES (?, ?)", [
            (kind.name, spec.name) for kind in KINDS.values() for spec in kind.fields
            if spec.type == "link"
        ])
        for column in ("old", "new"):
            conn.execute(f"ALTER TABLE record_changes ADD COLUMN {column}_ref TEXT "
                         "REFERENCES records(id)")
        conn.execute(
            "UPDATE record_changes SET "
            "old_ref = (SELECT id FROM records WHERE id = record_changes.old), "
            "new_ref = (SELECT id FROM records WHERE id = record_changes.new) "
            "WHERE (kind, field) IN (SELECT kind, field FROM temp.link_fields)"
        )

    def _stage_targets(self, pack_id: str) -> None:
        """How many days a grievance may stay in each stage, as the ledger's policy pack
        declares (``[grievance_stage_targets]``); empty when the pack declares none or is not
        one that ships with hrgov."""
        from hrgov import policy

        pack = policy.load(pack_id) if pack_id in policy.shipped() else None
        targets = pack.stage_targets if pack else {}
        self.conn.execute(
            "CREATE TABLE grievance_stage_targets (stage TEXT PRIMARY KEY, target_days INTEGER "
            "NOT NULL, next_stages TEXT, policy TEXT)"
        )
        self.conn.executemany(
            "INSERT INTO grievance_stage_targets VALUES (?, ?, ?, ?)",
            [
                (stage, days, ", ".join(GRIEVANCE_STAGES[GRIEVANCE_STAGES.index(stage) + 1:]),
                 pack_id)
                for stage, days in targets.items()
            ],
        )

    def _health(self, as_of: date) -> None:
        """How each commitment is doing, by the model's one rule (``commitment_health``)."""
        conn = self.conn
        conn.execute(
            "CREATE TABLE commitment_health (commitment TEXT PRIMARY KEY REFERENCES "
            "commitments(id), title TEXT, owner TEXT REFERENCES departments(id), status TEXT, "
            "health TEXT, milestones INTEGER, open INTEGER, done INTEGER, overdue INTEGER, "
            "blocked INTEGER, slipped INTEGER, next_due TEXT, as_of TEXT)"
        )
        milestones = defaultdict(list)
        for commitment, status, due, slips in conn.execute(
            "SELECT commitment, status, due, slips FROM milestones WHERE commitment IS NOT NULL"
        ):
            milestones[commitment].append(
                {"status": status, "due": due, "slips": json.loads(slips) if slips else []}
            )
        rows = []
        for commitment, title, owner, status in conn.execute(
            "SELECT id, title, owner, status FROM commitments ORDER BY id"
        ).fetchall():
            mine = milestones.get(commitment, [])
            still_open = [m for m in mine if m["status"] not in CLOSED_MILESTONE]
            rows.append((
                commitment, title, owner, status, commitment_health(mine, as_of), len(mine),
                len(still_open), sum(m["status"] == "done" for m in mine),
                sum(is_overdue(m, as_of) for m in mine),
                sum(m["status"] == "blocked" for m in mine),
                sum(bool(m["slips"]) for m in mine),
                min((m["due"] for m in still_open), default=None), as_of.isoformat(),
            ))
        conn.executemany(
            "INSERT INTO commitment_health VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows
        )


def _worded_title(kind_name: str) -> bool:
    """Whether a record of this kind is titled in its own words (not by a choice or link)."""
    kind = KINDS.get(kind_name)
    spec = kind.field(kind.title_field) if kind else None
    return spec is not None and spec.type in ("line", "text")


def _names(columns) -> str:
    return ", ".join(f"[{c}]" for c in columns)


def _today() -> date:
    return datetime.now(UTC).date()

