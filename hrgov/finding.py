"""Finding things in the ledger: words anywhere, what changed between two points, and one
commitment with everything that hangs on it::

    >>> search(ledger, "screening")  # doctest: +SKIP
    [{'id': 'D-2026-0001', 'kind': 'decision', 'title': 'Adopt screening', ...}]
    >>> changes(ledger, since="2026-03-01")  # doctest: +SKIP
    [{'id': 'MS-2026-0003', 'author': 'Secretary <…>', 'reason': 'Vendor late', ...}]
    >>> commitment_view(ledger, "ongoing-hrdd")["milestones"]  # doctest: +SKIP

Restricted records are findable but never read out here: a search names a restricted record
(its id, so that ``hrgov show ID`` opens it) without its title or the words around the match,
and a list of changes says a restricted record changed, by whom and when, without its values,
its commit's subject or its reason. A record whose required link names a restricted one (a
milestone of a restricted commitment) is withheld with it. A search reads the ledger now; a
list of changes reads its history, where, as in every "as of" output (``hrgov.snapshot``),
confidentiality is decided now: a record that ever was restricted is withheld in all its
versions.
"""

from __future__ import annotations

from datetime import date

from hrgov import queries
from hrgov.errors import InvalidInput
from hrgov.model import DATE_PATTERN, parse_date
from hrgov.snapshot import WITHHOLDING, resolve, snapshot, strip_value, withheld_closure

WITHHELD = "(restricted)"


def search(ledger, text: str, *, limit: int = queries.SEARCH_LIMIT) -> list[dict]:
    """The records holding every word of ``text`` now, best first (``queries.search``); a
    restricted one is named with ``withheld: True`` and neither title nor snippet."""
    if not 1 <= limit <= 10000:
        raise InvalidInput("limit must be between 1 and 10000", field="limit")
    conn = ledger.reader()
    hits = queries.search(conn, text, limit=limit)
    hidden = _withheld(conn, queries.restricted_now(conn))
    for hit in hits:
        hit["withheld"] = hit["id"] in hidden
        if hit["withheld"]:
            hit["title"] = hit["snippet"] = WITHHELD
    return hits


def changes(ledger, since: str, until: str | None = None) -> list[dict]:
    """Every change to a record after ``since`` up to ``until`` (HEAD if ``None``), in the
    order made: ``queries.versions_between``'s versions with ``withheld`` set on those of
    restricted records (their values, subject and reason left out, see the module's notes).

    ``since``: a date (changes made on that day, UTC, or later) or a revision (changes made
    after it, as ``git log REV..``); ``until``: a date (to the end of that day) or a revision
    (included).
    """
    conn = ledger.reader()
    after = _position(conn, ledger, since, "since", start_of_day=True)
    last = queries.head_position(conn) if until is None else _position(
        conn, ledger, until, "until", start_of_day=False
    )
    found = queries.versions_between(conn, after, last)
    hidden = _withheld(conn, queries.ever_restricted(conn))
    touched = {v["commit"] for v in found if v["id"] in hidden}
    for version in found:
        version["withheld"] = version["id"] in hidden
        if version["commit"] in touched:  # its subject or reason may name the withheld one
            version["subject"] = f"{version['command'] or 'a change'} {version['id']}"
            version["reason"] = None
        if version["withheld"]:
            version["changes"], version["record"] = [], None
        else:
            version["changes"] = _without(version["kind"], version["changes"], hidden)
            if version["record"] is not None:
                version["record"] = _record_without(version["record"], hidden)
    return found


def commitment_view(ledger, commitment_id: str, at: str | None = None) -> dict:
    """One commitment now (or as at ``at``) with who owned it when (``owners``: since,
    owner, commit, author, reason), the decisions serving it and its milestones. The
    records are those ``list`` would show then."""
    with snapshot(ledger, at, withhold=True) as snap:
        commitment = queries.require(snap.conn, commitment_id, "commitment")
        owners = []
        for version in queries.versions(snap.conn, commitment_id):
            record = version["record"]
            owner = record.get("owner") if record else None
            if record is None or (owners and owners[-1]["owner"] == owner):
                continue
            owners.append({
                "since": version["time"][:10],
                "owner": owner,
                "commit": version["commit"],
                "author": version["author"],
                "reason": version["reason"],
            })
        return {
            "commitment": commitment,
            "owners": owners,
            "decisions": queries.decisions_for(snap.conn, commitment_id),
            "milestones": queries.milestones_of(snap.conn, commitment_id),
        }


def _position(conn, ledger, value: str, field: str, *, start_of_day: bool) -> int:
    """The first-parent position ``value`` names: for ``since`` a date names the last commit
    before that day, for ``until`` the last one by its end; a revision names itself."""
    value = str(value)
    if start_of_day and DATE_PATTERN.match(value):
        day: date = parse_date(value, field)
        return queries.last_position_before(conn, f"{day.isoformat()}T00:00:00Z")
    return resolve(conn, ledger.root, value, field).seq


def _withheld(conn, restricted: set[str]) -> set[str]:
    return withheld_closure(conn, "main", restricted) if restricted else set()


def _without(kind: str, changed: list[dict], hidden: set[str]) -> list[dict]:
    """A version's field changes with the ids of withheld records taken out of links."""
    naming = {spec.name: spec for spec in WITHHOLDING.get(kind, ())}
    kept = []
    for change in changed:
        spec = naming.get(change["field"])
        if spec is not None:
            old, new = (strip_value(spec, change[side], hidden) for side in ("old", "new"))
            change = {**change, "old": _value(old), "new": _value(new)}
            if change["old"] == change["new"]:
                continue
        kept.append(change)
    return kept


def _record_without(record: dict, hidden: set[str]) -> dict:
    kept = dict(record)
    for spec in WITHHOLDING.get(record.get("kind"), ()):
        if spec.name in kept:
            value = _value(strip_value(spec, kept[spec.name], hidden))
            if value is None:
                del kept[spec.name]
            else:
                kept[spec.name] = value
    return kept


def _value(kept):
    from hrgov.snapshot import GONE

    return None if kept is GONE else kept
