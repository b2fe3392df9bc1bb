"""Datasette plugin of the hrgov audit view: read-only and safe by default, dates checked, ids
become links, changes become readable.

It is copied into every audit bundle's ``plugins/`` folder and needs nothing but Datasette, so a
bundle can be served or published where hrgov is not installed. What it does is configured in
the metadata (``plugins: hrgov-audit``), which hrgov generates from ``audit.yaml``::

    links:   {table: {column: {table: target, list: true|false}}}
    query_links: {column: target table}   (columns of canned queries and SQL, by name)
    changes: {table: [column, ...]}
    folded:  {table: [column, ...]}   (long JSON, shown folded under a one-line summary)
    dates:   {query: [parameter, ...]}   (each must be blank or a real YYYY-MM-DD date)

Every response carries security headers; anything but GET and HEAD is answered 405 (only the
sign-in form of datasette-auth-passwords may be posted to).
"""

import json
import re
from datetime import date
from urllib.parse import parse_qs

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


def _config(datasette):
    return datasette.plugin_config(PLUGIN) or {}


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


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Render id cells as links to the rows they name, and change lists one per line."""
    config = _config(datasette)
    if database != config.get("database") or not isinstance(value, str):
        return None
    if not table:  # a canned query or custom SQL: its columns are named after what they hold
        target = (config.get("query_links") or {}).get(column)
        return _links(datasette, database, {"table": target}, value) if target else None
    if column in (config.get("changes") or {}).get(table, ()):
        return _changes(value)
    if column in (config.get("folded") or {}).get(table, ()):
        summary = _short(value, 32)
        return Markup("<details><summary>{}</summary><pre>{}</pre></details>").format(
            summary, value
        )
    target = ((config.get("links") or {}).get(table) or {}).get(column)
    return _links(datasette, database, target, value) if target else None


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

