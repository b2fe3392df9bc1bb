"""The briefing's wording, kept in ``templates/board-wording.toml`` where a communications team
can change it without touching code::

    >>> say("messages", "off_track", n=2, names="A; B")
    'commitments are off track, the worst first: A; B.'  # doctest: +SKIP

A key with ``_one`` and ``_many`` variants takes the one that fits ``n``.
"""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from importlib.resources import files

from hrgov.errors import InvalidInput

WORDING_FILE = "board-wording.toml"


@lru_cache(maxsize=1)
def wording() -> dict[str, dict[str, str]]:
    """Every text of the wording file, by table and key."""
    return tomllib.loads((files("hrgov.templates") / WORDING_FILE).read_text("utf-8"))


def text(table: str, key: str, n: int | None = None) -> str:
    """The raw text of ``table.key`` (its ``_one``/``_many`` variant when ``n`` is given)."""
    entries = wording()[table]
    if n is not None and f"{key}_one" in entries:
        key = f"{key}_one" if n == 1 else f"{key}_many"
    return entries[key]


def say(table: str, key: str, **values) -> str:
    """``table.key`` filled in with ``values`` (``n`` also picks the singular or plural)."""
    template = text(table, key, values.get("n"))
    wanted = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    unknown = wanted - set(values)
    if unknown:
        raise InvalidInput(
            f"{WORDING_FILE}: [{table}] {key} names {', '.join(sorted(unknown))}, which the "
            f"briefing does not provide (it provides: {', '.join(sorted(values)) or 'nothing'})"
        )
    # numbers as a reader expects them: 1,079 rather than 1079
    return template.format(**{name: f"{value:,}" if type(value) is int else value
                              for name, value in values.items()})
