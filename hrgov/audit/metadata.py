"""Datasette 0.65 metadata for an audit copy: titles, descriptions, facets, sort orders,
hidden tables, canned queries and permissions.

Everything an auditor reads comes from three places: ``audit.yaml`` (views, queries, the
descriptions of the tables hrgov adds), the model (``hrgov.model.KINDS``: every field's meaning
and allowed values) and the copy itself (the ledger commit it was built from, its as-of date,
the organisation). Nothing is described twice::

    >>> metadata = build_metadata(Path("audit/ledger.db"))  # doctest: +SKIP
    >>> metadata["databases"]["ledger"]["tables"]["milestones"]["columns"]["due"]  # doctest: +SKIP
    'Current due date. An ISO date (YYYY-MM-DD).'
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from hrgov.audit.declared import declarations
from hrgov.errors import HrgovError
from hrgov.index import link_table
from hrgov.model import HEALTH_RULE, KINDS, SENSITIVITY_FIELD, Field, Kind

PLUGIN = "hrgov-audit"
AUTH_PLUGIN = "datasette-auth-passwords"


@dataclass(frozen=True)
class Auth:
    """Password authentication: who may sign in, and the environment variable that holds the
    password hash (the hash itself is never written anywhere)."""

    user: str
    hash_variable: str


def build_metadata(database: Path, *, auth: Auth | None = None) -> dict:
    """The metadata for the audit copy at ``database`` (see the module's docstring)."""
    declared = declarations()
    conn = sqlite3.connect(f"file:{quote(str(database))}?mode=ro", uri=True)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        columns = _columns(conn)
    finally:
        conn.close()
    values = _values(meta, declared)
    name = declared["database"]
    tables = {}
    for kind in KINDS.values():
        tables[kind.plural] = _kind_table(kind, columns.get(kind.plural, []), declared, values)
    for view, spec in declared["views"].items():
        tables[view] = _declared_table(spec, values)
    for table, spec in declared["tables"].items():
        tables[table] = _declared_table(spec, values)
    for kind in KINDS.values():
        for spec in kind.fields:
            if spec.type == "links":
                tables[link_table(kind, spec)] = _link_table(kind, spec, declared)
    for table in declared["hidden"]:
        tables.setdefault(table, {})["hidden"] = True
    queries = {
        query: {
            "title": spec["title"],
            "description": _fill(" ".join(spec["description"].split()), values),
            "sql": spec["sql"].strip(),
            "hide_sql": True,  # the results first; "show" reveals the SQL
        }
        for query, spec in declared["queries"].items()
        if spec.get("requires") is None or spec["requires"] in columns
    }
    metadata = {
        "title": _fill(declared["title"], values),
        "description": _fill(declared["description"], values),
        **_policy_source(meta.get("policy", "")),
        "about": f"Built by {meta.get('built_by', 'hrgov')} from ledger commit {values['head']}",
        "databases": {
            name: {
                "description": _fill(declared["description"], values),
                "tables": tables,
                "queries": queries,
            }
        },
        "plugins": {PLUGIN: {**_cell_links(declared), "programme": _programme(declared,
                                                                              queries)}},
    }
    if auth is not None:
        # Anyone who reaches the server must sign in, and custom SQL is for signed-in auditors
        # only. The hash is read from the environment when the server needs it.
        metadata["allow"] = {"id": [auth.user]}
        metadata["allow_sql"] = {"id": [auth.user]}
        metadata["plugins"][AUTH_PLUGIN] = {
            f"{auth.user}_password_hash": {"$env": auth.hash_variable},
            "http_basic_auth": True,
        }
    return metadata


def _columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: [row[1] for row in conn.execute(f"PRAGMA table_info([{n}])")] for n in names}


def _values(meta: dict[str, str], declared: dict) -> dict[str, str]:
    head = meta.get("head", "")
    mode = declared["modes"][meta.get("mode", "internal")]
    return {
        "organisation": meta.get("organisation") or "The organisation",
        "head": head,
        "head_short": head[:12],
        "head_time": meta.get("head_time", "").replace("T", " ").replace("Z", " UTC"),
        "as_of": meta.get("as_of", ""),
        "built_at": meta.get("built_at", "").replace("T", " ").replace("Z", " UTC"),
        "withheld": mode["withheld"],
        "note": mode["note"],
        "health_rule": HEALTH_RULE,
        "policy": meta.get("policy") or "none recorded",
    }


def _fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders that ``values`` knows; leave any other braces alone."""
    text = " ".join(text.split())
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], m[0]), text)


def _policy_source(pack_id: str) -> dict[str, str]:
    """The policy's source and licence, from its pack (when the pack ships with hrgov)."""
    from hrgov import policy

    try:
        pack = policy.load(pack_id) if pack_id in policy.shipped() else None
    except HrgovError:
        pack = None
    if pack is None:
        return {}
    found = {"source": pack.title, "source_url": pack.source, "license": pack.licence}
    return {key: value for key, value in found.items() if value}


def describe_field(kind: Kind, name: str) -> str:
    """What a column of ``kind``'s table means, with its allowed values: the model's own
    description of the field followed by what its type allows."""
    declared = declarations()
    if name == "id":
        formats = declared["id_formats"]
        if kind.name == "meeting":
            return formats["meeting"]
        key = "dated" if kind.dated else "slug"
        return formats[key].format(kind=kind.name, prefix=kind.id_prefix)
    spec: Field | None = SENSITIVITY_FIELD if name == "sensitivity" else kind.field(name)
    if spec is None:
        return ""
    phrase = declared["field_types"].get(spec.type, "")
    values = {
        "choices": ", ".join(spec.choices),
        "link": spec.link or "",
        "a_link": _a(spec.link or ""),
        "link_table": KINDS[spec.link].plural if spec.link else "",
        "table": link_table(kind, spec) if spec.type == "links" else "",
    }
    return " ".join(f"{spec.description} {_fill(phrase, values)}".split())


def _reference(text: str) -> str:
    """``"=milestone.due"`` → the model's description of that field; other text unchanged."""
    if not text.startswith("="):
        return text
    kind_name, _, field_name = text[1:].partition(".")
    description = describe_field(KINDS[kind_name], field_name)
    if not description:
        raise KeyError(f"audit.yaml refers to {text!r}, which the model does not declare")
    return description


def _kind_table(kind: Kind, columns: list[str], declared: dict, values: dict) -> dict:
    extra = declared["kind_tables"].get(kind.plural, {})
    table = {
        "description": f"{kind.description} {values['note']}",
        "columns": {c: describe_field(kind, c) for c in columns if describe_field(kind, c)},
        "facets": [c for c in declared["kind_facets"] if c in columns],
    }
    for key in ("sort", "sort_desc", "label_column"):
        if key in extra:
            table[key] = extra[key]
    return table


def _declared_table(spec: dict, values: dict) -> dict:
    table = {"description": _fill(spec["description"], values)}
    if spec.get("columns"):
        table["columns"] = {
            column: _fill(_reference(text), values) for column, text in spec["columns"].items()
        }
    for key in ("facets", "sort", "sort_desc", "label_column"):
        if key in spec:
            table[key] = spec[key]
    return table


def _a(noun: str) -> str:
    """``"an issue"``, ``"a decision"``."""
    return f"{'an' if noun[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {noun}"


def _link_table(kind: Kind, spec: Field, declared: dict) -> dict:
    words = declared["link_table"]
    values = {
        "kind": kind.name,
        "a_kind": _a(kind.name),
        "link": spec.link,
        "field": spec.name,
        "field_description": spec.description.rstrip("."),
        "kind_table": kind.plural,
        "link_table": KINDS[spec.link].plural,
    }
    return {
        "description": _fill(words["description"], values),
        "columns": {
            kind.name: _fill(words["owner_column"], values),
            spec.link: _fill(words["link_column"], values),
        },
        "facets": [spec.link],
    }


def _programme(declared: dict, queries: dict) -> list[dict]:
    """The audit programme's groups, each with the canned queries this copy offers."""
    groups = []
    for group in declared["programme"]:
        offered = [q for q in group["queries"] if q in queries]
        if offered:
            groups.append({
                "name": group["name"],
                "title": group["title"],
                "description": " ".join(group["description"].split()),
                "queries": offered,
                "findings": [q for q in group.get("findings", ()) if q in queries],
            })
    return groups


def _cell_links(declared: dict) -> dict:
    """The plugin's configuration: which cells hold ids to link to their rows."""
    links = {}
    for kind in KINDS.values():
        for spec in kind.fields:
            if spec.type == "links":
                links.setdefault(kind.plural, {})[spec.name] = {
                    "table": KINDS[spec.link].plural,
                    "list": True,
                }
            elif spec.type == "link":
                # Datasette links these on table pages itself (foreign keys, with labels); on a
                # record's own page the plugin does, with the record's title as the label.
                links.setdefault(kind.plural, {})[spec.name] = {
                    "table": KINDS[spec.link].plural,
                    "label": True,
                }
    for table, columns in declared.get("cell_links", {}).items():
        for column, target in columns.items():
            links.setdefault(table, {})[column] = target
    # A change's old and new values (and the items a list field gained or lost) are ids when
    # the field is a link: by field name, the table they name (one per name in the model).
    field_links = {}
    for kind in KINDS.values():
        for spec in kind.fields:
            if spec.type in ("link", "links"):
                field_links[spec.name] = {"table": KINDS[spec.link].plural,
                                          "list": spec.type == "links"}
    dates = {
        query: [name for name in declared["date_parameters"] if f":{name}" in spec["sql"]]
        for query, spec in declared["queries"].items()
    }
    return {
        "database": declared["database"],
        "links": links,
        "query_links": declared.get("query_links", {}),
        "field_links": field_links,
        "kinds": {kind.name: kind.plural for kind in KINDS.values()},
        "lists": declared.get("list_columns", {}),
        "dates": {query: names for query, names in dates.items() if names},
        "changes": declared.get("changes_columns", {}),
        "lines": declared.get("line_columns", {}),
        "folded": declared.get("folded_columns", {}),
    }
