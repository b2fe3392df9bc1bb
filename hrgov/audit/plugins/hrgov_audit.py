"""Datasette plugin of the hrgov audit view: ids become links, changes become readable.

It is copied into every audit bundle's ``plugins/`` folder and needs nothing but Datasette, so a
bundle can be served or published where hrgov is not installed. What it does is configured in
the metadata (``plugins: hrgov-audit``), which hrgov generates from ``audit.yaml``::

    links:   {table: {column: {table: target, list: true|false}}}
    changes: {table: [column, ...]}
    folded:  {table: [column, ...]}   (long JSON, shown folded under a one-line summary)
"""

import json

from datasette import hookimpl
from markupsafe import Markup, escape

PLUGIN = "hrgov-audit"


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Render id cells as links to the rows they name, and change lists one per line."""
    config = datasette.plugin_config(PLUGIN) or {}
    if not table or database != config.get("database") or not isinstance(value, str):
        return None
    if column in (config.get("changes") or {}).get(table, ()):
        return _changes(value)
    if column in (config.get("folded") or {}).get(table, ()):
        summary = _short(value, 32)
        return Markup("<details><summary>{}</summary><pre>{}</pre></details>").format(
            summary, value
        )
    target = ((config.get("links") or {}).get(table) or {}).get(column)
    if not target:
        return None
    if target.get("list"):
        try:
            ids = json.loads(value)
        except ValueError:
            return None
        if not isinstance(ids, list):
            return None
    else:
        ids = [value]
    links = [
        '<a href="{}">{}</a>'.format(
            escape(datasette.urls.row(database, target["table"], _quote(str(i)))), escape(i)
        )
        for i in ids
    ]
    return Markup(", ".join(links))


def _changes(value):
    try:
        changes = json.loads(value)
    except ValueError:
        return None
    if not isinstance(changes, list):
        return None
    if not changes:
        return Markup("<em>whole record</em>")
    lines = [
        "<strong>{}</strong>: {} → {}".format(
            escape(c.get("field")), escape(_short(c.get("old"))), escape(_short(c.get("new")))
        )
        for c in changes
        if isinstance(c, dict)
    ]
    return Markup("<br>".join(lines))


def _short(value, limit=80):
    if value is None:
        return "—"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text):
    # Datasette's own tilde encoding of a primary key in a row URL.
    from datasette.utils import tilde_encode

    return tilde_encode(text)
