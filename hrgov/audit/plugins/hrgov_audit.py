"""Datasette plugin of the hrgov audit view: read-only and safe by default, dates checked, ids
become links, changes become readable.

It is copied into every audit bundle's ``plugins/`` folder and needs nothing but Datasette, so a
bundle can be served or published where hrgov is not installed. What it does is configured in
the metadata (``plugins: hrgov-audit``), which hrgov generates from ``audit.yaml``::

    links:   {table: {column: {table: target, list: true|false}}}
    query_links: {column: target table}   (columns of canned queries and SQL, by name)
    field_links: {field: {table: target, list: true|false}}   (a change's old and new values,
                 and the items a list gained or lost, when its field is a link)
    changes: {table: [column, ...]}
    lines:   {table: [column, ...]}   (texts one per line; "queries" for canned queries' columns)
    folded:  {table: [column, ...]}   (long JSON, shown folded under a one-line summary)
    dates:   {query: [parameter, ...]}   (each must be blank or a real YYYY-MM-DD date)

Every response carries security headers; anything but GET and HEAD is answered 405 (only the
sign-in form of datasette-auth-passwords may be posted to).
"""

import json
import re
from datetime import date
from urllib.parse import parse_qs, urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

PLUGIN = "hrgov-audit"
READING = {"GET", "HEAD"}
SIGN_IN = {"/-/login", "/-/logout"}  # datasette-auth-passwords' own form, when it is in use
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    # Datasette's pages use inline scripts and styles of their own; nothing is loaded from
    # elsewhere, no page may be framed, no form posts elsewhere.
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
        b"'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        b"form-action 'self'; frame-ancestors 'none'",
    ),
]
_OURS = {name for name, _ in SECURITY_HEADERS}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _config(datasette):
    """The plugin's configuration, read once per Datasette instance: the metadata of an audit
    bundle does not change while it is served, and every cell of every page asks for it."""
    config = getattr(datasette, "_hrgov_audit_config", None)
    if config is None:
        config = datasette.plugin_config(PLUGIN) or {}
        datasette._hrgov_audit_config = config
    return config


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)

            async def send_safely(message):
                if message["type"] == "http.response.start":
                    headers = [
                        (bytes(k), bytes(v)) for k, v in message.get("headers", [])
                        if bytes(k).lower() not in _OURS
                    ]
                    message = {**message, "headers": headers + SECURITY_HEADERS}
                await send(message)

            if scope["method"] not in READING and scope["path"] not in SIGN_IN:
                return await _answer(
                    send_safely, 405,
                    "This audit view is read-only: it answers GET and HEAD only.",
                    headers=[(b"allow", b"GET, HEAD")],
                )
            problem = _bad_date(_config(datasette), scope)
            if problem:
                return await _refuse_date(datasette, scope, receive, send_safely, problem)
            return await app(scope, receive, send_safely)

        return guarded

    return wrap


def _bad_date(config, scope):
    """``(query, message)`` when a canned query is asked for with a date parameter that is
    not blank and not a real ``YYYY-MM-DD`` date; else ``None``."""
    database = config.get("database")
    parts = scope["path"].strip("/").split("/")
    if len(parts) != 2 or parts[0] != database:
        return None
    query = re.sub(r"\.(json|csv)$", "", parts[1])
    names = (config.get("dates") or {}).get(query)
    if not names:
        return None
    given = parse_qs(
        scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True
    )
    for name in names:
        for value in given.get(name, []):
            if value and not _is_date(value):
                return query, (
                    f"{name} = {value!r} is not a date: write it as YYYY-MM-DD "
                    "(e.g. 2026-03-31), or leave it blank."
                )
    return None


def _is_date(text):
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


async def _refuse_date(datasette, scope, receive, send, problem):
    from datasette.utils.asgi import Request

    query, message = problem
    if scope["path"].endswith((".json", ".csv")):
        body = json.dumps({"ok": False, "error": message, "status": 400, "title": "Not a date"})
        return await _answer(send, 400, body, content_type=b"application/json; charset=utf-8")
    database = _config(datasette).get("database")
    back = datasette.urls.query(database, query)
    await datasette.invoke_startup()  # the first request may be this one
    error = Markup('{} <a href="{}">Back to the query</a>').format(message, back)
    html = await datasette.render_template(
        "error.html",
        {"ok": False, "error": error, "status": 400, "title": "Not a date"},
        # outside Datasette's CSRF middleware: this page has no form to protect
        request=Request({**scope, "csrftoken": lambda: ""}, receive),
    )
    return await _answer(send, 400, html, content_type=b"text/html; charset=utf-8")


async def _answer(send, status, text, *, headers=(), content_type=b"text/plain; charset=utf-8"):
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", content_type), *headers],
    })
    await send({"type": "http.response.body", "body": text.encode("utf-8")})


CHANGE_VALUES = {"old": False, "new": False, "added": True, "removed": True}  # list or not


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Render id cells as links to the rows they name, lists one item per line, and change
    lists one change per line; a date or a time never breaks inside its digits."""
    shown = _render(row, value, column, table, database, datasette)
    if shown is None and isinstance(value, str) and _DATE.fullmatch(value):
        return _unbroken(value)
    return shown


def _unbroken(text):
    return Markup('<span style="white-space: nowrap">{}</span>').format(text)


def _render(row, value, column, table, database, datasette):
    config = _config(datasette)
    if database != config.get("database") or not isinstance(value, str):
        return None  # (an id Datasette expanded itself, with its label, is a dict)
    if column in CHANGE_VALUES and table in (None, "record_changes"):
        target = (config.get("field_links") or {}).get(_field_of(row))
        if target:  # the field is a link: its old and new values are ids
            return _links(datasette, database, {**target, "list": CHANGE_VALUES[column]},
                          value)
    if column == "time" and _TIME.fullmatch(value):  # 2026-01-21T10:00:00Z
        return Markup("{} {}").format(_unbroken(value[:10]), _unbroken(f"{value[11:19]} UTC"))
    if "\n" in value and column in (config.get("lines") or {}).get(table or "queries", ()):
        return Markup("<br>").join(value.split("\n"))
    lists = config.get("lists") or {}
    if not table:  # a canned query or custom SQL: its columns are named after what they hold
        if column in lists.get("queries", ()):
            return _items(value)
        target = (config.get("query_links") or {}).get(column)
        return _links(datasette, database, {"table": target}, value) if target else None
    if column in lists.get(table, ()):
        return _items(value)
    if column in (config.get("changes") or {}).get(table, ()):
        return _changes(value, lambda field, old_or_new: _change_value(
            datasette, database, (config.get("field_links") or {}).get(field), old_or_new))
    if column in (config.get("folded") or {}).get(table, ()):
        summary = _short(value, 32)
        return Markup("<details><summary>{}</summary><pre>{}</pre></details>").format(
            summary, value
        )
    target = ((config.get("links") or {}).get(table) or {}).get(column)
    if not target:
        return None
    if target.get("label"):  # on a record's own page: "Title (id)"
        return _labelled_link(datasette, database, target, value)
    return _links(datasette, database, target, value)


def _field_of(row):
    """The ``field`` column of a change's row, if it has one."""
    try:
        return row["field"]
    except (IndexError, KeyError, TypeError):
        return None


def _links(datasette, database, target, value):
    if target.get("list"):
        try:
            ids = json.loads(value)
        except ValueError:
            return None
        if not isinstance(ids, list):
            return None
    else:
        ids = [value]
    shown = 12 if target["table"] == "commits" else None  # a commit by its short id
    links = [
        '<a href="{}">{}</a>'.format(
            escape(datasette.urls.row(database, target["table"], _quote(str(i)))),
            escape(str(i)[:shown]),
        )
        for i in ids
    ]
    return Markup(", ".join(links))


async def _labelled_link(datasette, database, target, value):
    db = datasette.get_database(database)
    title = (await db.execute("SELECT title FROM records WHERE id = ?", [value])).first()
    href = datasette.urls.row(database, target["table"], _quote(value))
    if title and title[0] and title[0] != value:
        return Markup('<a href="{}">{}</a> ({})').format(href, title[0], value)
    return Markup('<a href="{}">{}</a>').format(href, value)


def _items(value):
    """A JSON list shown as a list: slips as "from → to, recorded on: reason", findings as
    "n. finding (severity)", other objects as "key: value", texts as they are."""
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    if not items:
        return Markup("<em>none</em>")
    return Markup('<ul class="hrgov-items">{}</ul>').format(
        Markup("").join(Markup("<li>{}</li>").format(_item(item)) for item in items)
    )


def _item(item):
    if not isinstance(item, dict):
        return str(item)
    if {"from", "to"} <= item.keys():
        recorded = Markup(", recorded {}").format(_unbroken(item["on"])) if item.get(
            "on") else ""
        return Markup("{} → {}{}: {}").format(_unbroken(item["from"]), _unbroken(item["to"]),
                                             recorded, item.get("reason", ""))
    if "finding" in item:
        severity = f" ({item['severity']})" if item.get("severity") else ""
        answered = item.get("milestones") or []
        plan = f"; milestones: {', '.join(answered)}" if answered else "; no milestone"
        return f"{item.get('n', '?')}. {item['finding']}{severity}{plan}"
    return "; ".join(f"{key}: {_short(val)}" for key, val in item.items())


def _changes(value, shown):
    """A JSON list of changes, one line each; ``shown(field, value)`` renders a value."""
    try:
        changes = json.loads(value)
    except ValueError:
        return None
    if not isinstance(changes, list):
        return None
    if not changes:
        return Markup("<em>whole record</em>")
    lines = [
        Markup("<strong>{}</strong>: {} → {}").format(
            c.get("field"), shown(c.get("field"), c.get("old")),
            shown(c.get("field"), c.get("new")),
        )
        for c in changes
        if isinstance(c, dict)
    ]
    return Markup("<br>").join(lines)


def _change_value(datasette, database, target, value):
    """One old or new value of a change: its ids linked when the field is a link."""
    ids = value if isinstance(value, list) else [value]
    if target and value and all(isinstance(i, str) for i in ids):
        return Markup(", ").join(
            _links(datasette, database, {"table": target["table"]}, i) for i in ids
        )
    return _short(value)


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



@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    """On a record's own page (its kind's row, or its row in ``records``) and on its history
    (the ``record_history`` query): ``hrgov_record``, the record's id, kind, title and the
    links to its history, its versions and its page."""
    config = _config(datasette)
    if request is None or database != config.get("database"):
        return {}
    if view_name == "row" and table in {"records", *config.get("kinds", {}).values()}:
        from datasette.utils import urlsafe_components

        keys = urlsafe_components(request.url_vars.get("pks", ""))
        record_id = keys[0] if len(keys) == 1 else None
    elif request.url_vars.get("table") == "record_history" or request.path.rstrip("/").endswith(
        "/record_history"
    ):
        record_id = request.args.get("id")
    else:
        return {}
    if not record_id:
        return {}

    async def record():
        db = datasette.get_database(database)
        row = (await db.execute(
            "SELECT id, kind, title, (SELECT count(*) FROM record_versions "
            "WHERE record_id = records.id) FROM records WHERE id = ?", [record_id]
        )).first()
        if row is None:
            return {}
        found_id, kind, title, versions = row
        plural = config.get("kinds", {}).get(kind, "records")
        return {"hrgov_record": {
            "id": found_id,
            "kind": kind,
            "title": title or found_id,
            "versions": versions,
            "page": datasette.urls.row(database, plural, _quote(found_id)),
            "history": datasette.urls.query(database, "record_history")
            + "?" + urlencode({"id": found_id}),
            "versions_page": datasette.urls.table(database, "record_versions")
            + "?" + urlencode({"record_id": found_id, "_sort": "version"}),
            "file": datasette.urls.row(database, "records", _quote(found_id)),
        }}

    return record


_FOLD_DESCRIPTIONS = """
document.querySelectorAll('dl.column-descriptions').forEach(function (list) {
  var details = document.createElement('details');
  var summary = document.createElement('summary');
  summary.textContent = 'What each column means';
  details.className = 'hrgov-column-descriptions';
  details.appendChild(summary);
  list.parentNode.insertBefore(details, list);
  details.appendChild(list);
});
"""


# A canned query's page says how many rows the list has, not "Custom SQL query returning…":
# the auditor did not write it (custom SQL keeps Datasette's words).
_NAME_THE_LIST = """
document.querySelectorAll('body.query[class*="query-"] form.sql > h3').forEach(function (h) {
  var text = h.firstChild;
  if (!text || text.nodeType !== 3 || !/Custom SQL query/.test(text.textContent)) return;
  var found = /returning (more than )?([\\d,]+) rows?/.exec(text.textContent);
  text.textContent = found
    ? (found[1] ? 'More than ' : '') + found[2] + (found[2] === '1' ? ' row' : ' rows')
      + '; the query behind them '
    : 'No rows; the query behind this list ';
});
"""


@hookimpl
def extra_body_script(view_name):
    """On a table page, the column descriptions fold under one line, so the rows come first;
    on a canned query's page, the heading says how many rows it found."""
    # (Datasette 0.65 renders canned queries through its table view: both scripts look for
    # what they change and do nothing elsewhere.)
    return _FOLD_DESCRIPTIONS + _NAME_THE_LIST if view_name in ("table", "database") else None


@hookimpl
def register_routes():
    return [(r"^/-/dashboard$", dashboard)]


async def dashboard(datasette, request):
    """The audit programme on one page: for each group, each canned query with the number of
    rows it finds now (its parameters blank), linking to the list itself."""
    from datasette.utils import derive_named_parameters
    from datasette.utils.asgi import Forbidden, Response

    config = _config(datasette)
    database = config.get("database")
    for permission, resource in (("view-instance", None), ("view-database", database)):
        if not await datasette.permission_allowed(
            request.actor, permission, resource, default=True
        ):
            raise Forbidden("You may not see this dashboard")
    db = datasette.get_database(database)
    queries = await datasette.get_canned_queries(database, request.actor)
    figures = []
    for label, sql, link in (
        ("records in this copy", "SELECT count(*) FROM records",
         datasette.urls.table(database, "records")),
        ("versions of them", "SELECT count(*) FROM record_versions",
         datasette.urls.table(database, "record_versions")),
        ("commits", "SELECT count(*) FROM commits", datasette.urls.table(database, "commits")),
        ("records withheld", "SELECT coalesce(sum(CAST(w.value AS INTEGER)), 0) FROM meta m, "
         "json_each(m.value) w WHERE m.key = 'withheld_by_kind'",
         datasette.urls.query(database, "withheld_records_per_kind")),
    ):
        figures.append({"label": label, "count": (await db.execute(sql)).single_value(),
                        "link": link})
    groups = []
    for group in config.get("programme") or []:
        items = []
        for name in group["queries"]:
            query = queries.get(name)
            if query is None:
                continue
            names = await derive_named_parameters(db, query["sql"])
            blank = dict.fromkeys(names, "")
            dated = set((config.get("dates") or {}).get(name, ()))
            count = None  # a query that needs a value (a record's id) is not counted
            if set(names) <= dated:
                try:
                    found = await db.execute(f"SELECT count(*) FROM ({query['sql']})", blank)
                    count = found.single_value()
                except Exception as error:  # too slow or broken: say so, not a crash
                    count = f"not counted ({type(error).__name__})"
            items.append({
                "name": name,
                "finding": name in group.get("findings", ()),  # each row needs an answer
                "title": query.get("title") or name,
                "description": query.get("description", ""),
                "count": count,
                "parameters": sorted(blank),
                "link": datasette.urls.query(database, name),
            })
        groups.append({**group, "items": items})
    meta = dict((await db.execute("SELECT key, value FROM meta")).rows)
    html = await datasette.render_template(
        "dashboard.html",
        {"database": database, "figures": figures, "groups": groups, "as_of": meta.get("as_of"),
         "head": meta.get("head", "")[:12], "title": datasette.metadata("title")},
        request=request,
    )
    return Response.html(html)
