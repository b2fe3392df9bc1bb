"""git's merge driver for record files: the merge ``hrgov sync`` makes, for a plain ``git pull``.

Installed by ``hrgov init`` and ``hrgov clone`` in the clone's own configuration (never from
a file in the ledger: a ledger someone hands you configures nothing that runs)::

    [merge "hrgov"]
        driver = /path/to/python -P -m hrgov.commands merge-driver %O %A %B %P

git calls it for a record file changed on both sides, with the common ancestor's, our and
their versions; the merged record replaces ours, and a non-zero exit leaves the conflict to
settle.
"""

from __future__ import annotations

from pathlib import Path

from hrgov import merge, records
from hrgov.errors import InvalidInput
from hrgov.model import kind_of_id, validate


def merge_files(base: Path, ours: Path, theirs: Path, path: str) -> str | None:
    """Merge the record files ``base`` and ``theirs`` into ``ours``; ``None`` when merged,
    else why not (for git's output)."""
    try:
        versions = [_read(f, path) for f in (base, ours, theirs)]
    except InvalidInput as error:
        return f"not merged: {error}"
    old, mine, other = versions
    if old is None and mine is not None and other is not None and mine != other and (
        kind_of_id(mine["id"]) is not None
    ):
        return (f"{mine['id']} was created on both sides; run git merge --abort, then "
                "hrgov sync, which gives the one not yet shared the next free id")
    found = merge.merge_record(old, mine, other)
    if found.conflicts:
        fields = ", ".join(c.field for c in found.conflicts)
        return (f"conflict in {fields}; run git merge --abort, then hrgov sync, which lists "
                "each conflict and settles it with hrgov resolve")
    if found.record is not None:
        ours.write_bytes(records.dumps(found.record))
    return None


def _read(file: Path, path: str) -> dict | None:
    data = file.read_bytes()
    if not data.strip():
        return None  # git gives an empty file for a side that lacks it
    return validate(records.loads(data, path))
