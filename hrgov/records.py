"""One record, one file: where a record lives in the ledger and how its JSON is written.

The file format is a contract other tools may rely on: UTF-8 JSON, keys sorted, indent 2,
non-ASCII kept as is, a trailing newline::

    >>> path_of({"kind": "decision", "id": "D-2026-0001"})
    'records/decisions/2026/D-2026-0001.json'
    >>> dumps({"kind": "department", "id": "legal", "name": "Légal"})[:12]
    b'{\\n  "id": "l'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from json.encoder import encode_basestring

from hrgov.errors import HrgovError, InvalidRecord
from hrgov.model import ID_NUMBER, KIND_BY_PLURAL, KINDS, SLUG, Kind, check_id

RECORDS_DIR = "records"


def path_of(record: Mapping) -> str:
    """The record's path inside the ledger, relative and with ``/`` separators."""
    return path_for(record["kind"], record["id"])


def path_for(kind_name: str, record_id: str) -> str:
    """The path of the record ``record_id`` of kind ``kind_name``; the id is validated first."""
    kind = KINDS[kind_name]
    check_id(kind, record_id)
    if kind.dated:  # a dated id, once checked, has its year's four digits after the prefix
        return f"{RECORDS_DIR}/{kind.plural}/{record_id.split('-', 2)[1]}/{record_id}.json"
    return f"{RECORDS_DIR}/{kind.plural}/{record_id}.json"


def _surely_canonical(kind: Kind) -> re.Pattern | None:
    """The paths that are certainly where a record of ``kind`` lives: a slug kind's
    ``records/departments/<slug>.json``, a dated kind's id in the folder of its own year.
    Meetings also need their date checked, so they take the full check."""
    folder = re.escape(f"{RECORDS_DIR}/{kind.plural}/")
    if not kind.dated:
        return re.compile(rf"{folder}{SLUG}\.json")
    if kind.name == "meeting":
        return None
    prefix = re.escape(kind.id_prefix)
    return re.compile(rf"{folder}([0-9]{{4}})/{prefix}-\1-{ID_NUMBER}\.json")


_SURELY_CANONICAL = {
    plural: pattern
    for plural, kind in KIND_BY_PLURAL.items()
    if (pattern := _surely_canonical(kind)) is not None
}


def kind_of_path(path: str) -> str | None:
    """The kind a ``records/…`` path holds, or ``None`` for any path that is not exactly where
    hrgov keeps a record of that kind (a copy in the wrong year's folder is no record).

    >>> kind_of_path("records/decisions/2026/D-2026-0001.json")
    'decision'
    >>> kind_of_path("records/decisions/2025/D-2026-0001.json") is None
    True
    """
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != RECORDS_DIR or not parts[-1].endswith(".json"):
        return None
    kind = KIND_BY_PLURAL.get(parts[1])
    if kind is None:
        return None
    # A rebuild asks this of every path in the history: most are settled by one pattern.
    pattern = _SURELY_CANONICAL.get(parts[1])
    if pattern is not None and pattern.fullmatch(path):
        return kind.name
    try:
        canonical = path_for(kind.name, parts[-1][: -len(".json")])
    except HrgovError:
        return None
    return kind.name if canonical == path else None


class _NotARecord(ValueError):
    """JSON that Python would read but that is no record file (see ``loads_text``)."""


def _not_json(constant: str):
    raise _NotARecord(f"{constant} is not a JSON value")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise _NotARecord(f"the number {text[:20]} is too large")
    return number


def _object(pairs: list[tuple[str, object]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise _NotARecord(f"the key {twice!r} appears twice")
    return found


# One decoder for every record read (a rebuild reads hundreds of thousands).
_DECODER = json.JSONDecoder(
    parse_constant=_not_json, parse_float=_finite, object_pairs_hook=_object
)


def dumps(record: Mapping) -> bytes:
    """The bytes of a record file: exactly ``json.dumps(record, sort_keys=True, indent=2,
    ensure_ascii=False)`` and a newline.

    ``json`` writes an indented document with its pure-Python encoder, several times slower
    than its C one (an import writes 100,000 files): records of plain JSON values (text, whole
    numbers, booleans, null, lists and objects with text keys, nested up to 32 deep) are laid
    out here instead, each text quoted by the C encoder's own function; anything else (a
    float, a tuple, a key that is no text, a subclass, a cycle…) is left to ``json.dumps``.
    """
    try:
        if type(record) is not dict:
            raise _Unusual
        text = _object(record, "\n")
    except (_Unusual, TypeError, ValueError):  # TypeError: a key that is no text
        text = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False)
    return f"{text}\n".encode()


class _Unusual(Exception):
    """A value ``dumps`` leaves to ``json.dumps``."""


# The C encoder's quoting of a text with ensure_ascii=False (json.encoder.encode_basestring).
_quote = encode_basestring
_int = int.__repr__  # as json writes a whole number
# The newline and indentation of the deepest level laid out by hand (a cycle ends here too).
_DEEPEST = len("\n") + 2 * 32


def _value(value, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is list:
        return _array(value, newline)
    if kind is dict:
        return _object(value, newline)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return _int(value)
    raise _Unusual


def _array(items: list, newline: str) -> str:
    """A list whose opening bracket ends the line ``newline`` (``\n`` and its indentation)
    starts."""
    if not items:
        return "[]"
    inner = newline + "  "
    if len(inner) > _DEEPEST:
        raise _Unusual
    return f"[{inner}{(',' + inner).join([_value(item, inner) for item in items])}{newline}]"


def _object(obj: dict, newline: str) -> str:
    if not obj:
        return "{}"
    inner = newline + "  "
    if len(inner) > _DEEPEST:
        raise _Unusual
    # Keys are unique: sorting the items sorts the keys, as json does.
    members = [
        f"{_quote(key)}: {_quote(value) if type(value) is str else _value(value, inner)}"
        for key, value in sorted(obj.items())
    ]
    return f"{{{inner}{(',' + inner).join(members)}{newline}}}"


def loads(data: bytes, path: str = "record") -> dict:
    """Parse a record file, with a clear error when it is not UTF-8 JSON holding an object."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidRecord(f"{path} is not valid UTF-8: {error}") from None
    return loads_text(text, path)


def read_back(record: Mapping, data: bytes) -> tuple[dict, str] | None:
    """What a rebuild reads from ``data``, a file ``dumps`` wrote, as ``(record, text)``, if
    it is exactly ``record``: a change hands the records it validated to the index this way,
    so that their files are not validated again. ``None`` when ``data`` reads as anything
    else (a record changed after it was dumped, a tuple read back as a list, an infinite
    float refused): the index then reads the file as a rebuild does.
    """
    try:
        text = data.decode("utf-8")
        parsed = _READ_BACK.decode(text)
    except (ValueError, RecursionError):  # not UTF-8, not JSON (_NotARecord included)
        return None
    if parsed != record or _too_deep(text, parsed):
        return None
    return parsed, text


# ``loads_text``'s reading but for keys given twice, which no file ``dumps`` writes holds
# (json.dumps writes a dict's keys, sorted, each as a different text): quicker.
_READ_BACK = json.JSONDecoder(parse_constant=_not_json, parse_float=_finite)


def loads_text(text: str, path: str = "record") -> dict:
    """Parse a record file's text (see ``loads``).

    Only what every JSON reader reads the same way is a record: Python alone would accept
    ``NaN``, ``Infinity``, numbers beyond a float, or a key given twice (SQLite would read
    the first copy, Python the last), so those files are refused as invalid.
    """
    try:
        value = _DECODER.decode(text)
    except (json.JSONDecodeError, _NotARecord) as error:
        raise InvalidRecord(f"{path} is not valid JSON: {error}") from None
    except (RecursionError, ValueError):  # runaway nesting; an integer of 4,300+ digits
        raise InvalidRecord(f"{path} is not valid JSON: nested or sized beyond reason") from None
    if not isinstance(value, dict):
        raise InvalidRecord(f"{path} does not hold a JSON object")
    # Deep nesting would fail later, and at a depth that depends on the caller's stack.
    if _too_deep(text, value):
        raise InvalidRecord(f"{path} is not valid JSON: nested more than {MAX_NESTING} deep")
    return value


MAX_NESTING = 64


def _too_deep(text: str, value) -> bool:
    return text.count("[") + text.count("{") > MAX_NESTING and _nesting(value) > MAX_NESTING


def _nesting(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest
