"""The auditor's view of the ledger: a read-only Datasette over an audit copy.

An **audit bundle** is a Datasette configuration directory: the audit copy (``ledger.db``, see
``hrgov.audit.copy``), its ``metadata.json`` (``hrgov.audit.metadata``), ``settings.json``,
``inspect-data.json`` (so that Datasette serves the copy immutable), ``templates/`` and
``plugins/``. ``hrgov audit``
serves one; ``hrgov audit --build DIR`` writes one for hand-off, and ``datasette serve DIR``
(or ``datasette publish``) serves it where hrgov is not installed::

    >>> bundle = write_bundle(Ledger.find(), Path("audit"))  # doctest: +SKIP
    >>> bundle.database
    PosixPath('audit/ledger.db')

What auditors see (views, canned queries, descriptions) is declared in ``audit.yaml``.
Nothing here imports Datasette: that happens in ``hrgov.audit.serve`` only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from hrgov.audit.copy import COPY_FILE, build_audit_copy
from hrgov.audit.declared import PACKAGE, declarations
from hrgov.audit.metadata import Auth, build_metadata
from hrgov.errors import InvalidInput

__all__ = ["Auth", "Bundle", "build_audit_copy", "build_metadata", "write_bundle"]

METADATA_FILE = "metadata.json"
INSPECT_FILE = "inspect-data.json"
SETTINGS_FILE = "settings.json"
BUNDLE_FOLDERS = ("templates", "plugins")
BUNDLE_ENTRIES = {COPY_FILE, METADATA_FILE, INSPECT_FILE, SETTINGS_FILE, *BUNDLE_FOLDERS}


@dataclass(frozen=True)
class Bundle:
    """An audit bundle on disk, and what it holds."""

    folder: Path
    head: str  # the ledger commit the copy was built from
    as_of: str
    records: int
    withheld: int  # records left out (restricted; in public-only mode, all but public ones)
    signed_in_as: str | None = None  # the user who must sign in, if authentication is on

    @property
    def database(self) -> Path:
        return self.folder / COPY_FILE

    @property
    def metadata_path(self) -> Path:
        return self.folder / METADATA_FILE

    @property
    def metadata(self) -> dict:
        return json.loads(self.metadata_path.read_text(encoding="utf-8"))


def write_bundle(
    ledger,
    folder: Path,
    *,
    at: str | None = None,
    include_internal: bool = True,
    auth: Auth | None = None,
    as_of: date | None = None,
) -> Bundle:
    """Write an audit bundle of ``ledger`` into ``folder`` (new, empty, or an earlier bundle,
    which is replaced). ``at``, ``include_internal`` and ``as_of`` are those of
    ``build_audit_copy``; ``auth`` makes the metadata require signing in."""
    folder = Path(folder)
    check_bundle_folder(folder)
    database = build_audit_copy(
        ledger, folder, at=at, include_internal=include_internal, as_of=as_of
    )
    metadata = build_metadata(database, auth=auth)
    _write_text(folder / METADATA_FILE, json.dumps(metadata, indent=2, ensure_ascii=False))
    inspect, meta = _inspect(database)
    _write_text(folder / INSPECT_FILE, json.dumps(inspect, indent=2))
    _write_text(folder / SETTINGS_FILE, json.dumps(declarations()["settings"], indent=2))
    for name in BUNDLE_FOLDERS:
        _copy_resources(resources.files(PACKAGE) / name, folder / name)
    return Bundle(
        folder=folder,
        head=meta["head"],
        as_of=meta["as_of"],
        records=inspect[database.stem]["tables"]["records"]["count"],
        withheld=int(meta.get("withheld_records", 0)),
        signed_in_as=auth.user if auth else None,
    )


def check_bundle_folder(folder: Path) -> None:
    """Refuse a folder that holds anything but an earlier audit bundle: nothing else is ever
    overwritten."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; --build needs a folder")
    if folder.is_dir():
        strangers = sorted(
            p.name for p in folder.iterdir() if p.name not in BUNDLE_ENTRIES and not (
                p.name.startswith(f".{COPY_FILE}.") and p.name.endswith(".tmp")
            )
        )
        if strangers:
            raise InvalidInput(
                f"{folder} holds other files ({', '.join(strangers[:3])}); give --build a new "
                "or empty folder, or one holding an earlier audit bundle"
            )
    elif not folder.parent.is_dir():
        raise InvalidInput(f"the folder {folder.parent} does not exist")


def _inspect(database: Path) -> tuple[dict, dict]:
    """What ``datasette inspect`` would write (file name, hash, size, row counts): with it in
    the bundle, Datasette serves the copy immutable and need not count rows at start-up."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        counts = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    finally:
        conn.close()
    digest = hashlib.sha256()
    with database.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    inspect = {
        database.stem: {
            "hash": digest.hexdigest(),
            "size": database.stat().st_size,
            "file": database.name,
            "tables": {t: {"count": n} for t, n in counts.items()},
        }
    }
    return inspect, meta


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _copy_resources(source, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for item in source.iterdir():
        if item.is_file() and not item.name.endswith(".pyc"):
            (target / item.name).write_bytes(item.read_bytes())
