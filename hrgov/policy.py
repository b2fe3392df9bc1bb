"""Policy packs: an organisation's commitments, the instruments they cite and suggested owners.

A pack is a TOML file (``data/policies/wikimedia-2021.toml`` is the reference) with a ``[pack]``
table and ``[[departments]]``, ``[[instruments]]`` and ``[[commitments]]`` arrays whose entries
are records of those kinds, and optionally ``[grievance_stage_targets]``: how many days a
grievance may stay in each stage (``received = 7``)::

    >>> pack = load("wikimedia-2021")
    >>> pack.title, len(pack.records) > 50
    ('Wikimedia Foundation Human Rights Policy', True)
    >>> pack.stage_targets["received"]
    7
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from hrgov.errors import HrgovError, PolicyPackError
from hrgov.model import GRIEVANCE_STAGES, KINDS, SLUG_PATTERN, check_text, validate

STAGE_TARGETS = "grievance_stage_targets"
PACK_KINDS = {
    "departments": "department",
    "instruments": "instrument",
    "categories": "category",
    "commitments": "commitment",
}


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    organisation: str
    source: str
    licence: str
    records: tuple[dict, ...]  # departments, then instruments, then commitments
    # days a grievance may stay in a stage before it moves on, by stage (closed has none)
    stage_targets: dict[str, int] = field(default_factory=dict)


def shipped() -> list[str]:
    """Names of the packs that come with hrgov."""
    folder = resources.files("hrgov.data") / "policies"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def load(name_or_path: str | Path) -> Pack:
    """Load and validate a shipped pack by name, or any pack file by path."""
    text_name = str(name_or_path)
    if text_name in shipped():
        source = resources.files("hrgov.data") / "policies" / f"{text_name}.toml"
        label = text_name
    else:
        source = Path(name_or_path)
        label = str(source)
        if not source.is_file():
            raise PolicyPackError(
                f"no policy pack {label!r} (a file path, or one of: {', '.join(shipped())})"
            )
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PolicyPackError(f"policy pack {label} is not valid TOML: {error}") from None
    return parse(data, label)


def parse(data: dict, label: str = "policy pack") -> Pack:
    """Validate the parsed TOML of a pack; every problem names the entry at fault."""
    meta = data.get("pack")
    if not isinstance(meta, dict) or not meta.get("id") or not meta.get("title"):
        raise PolicyPackError(f"{label}: needs a [pack] table with id and title")
    if not isinstance(meta["id"], str) or not SLUG_PATTERN.match(meta["id"]):
        raise PolicyPackError(f"{label}: the pack id {meta['id']!r} is not a lower-case slug")
    for key in ("title", "organisation"):
        try:
            check_text(str(meta.get(key, "")), f"{label}: pack {key}", one_line=True)
        except HrgovError as error:
            raise PolicyPackError(str(error)) from None
    unknown = set(data) - {"pack", STAGE_TARGETS, *PACK_KINDS}
    if unknown:
        raise PolicyPackError(f"{label}: unknown table(s) {', '.join(sorted(unknown))}")
    found: list[dict] = []
    ids: dict[str, set[str]] = {}
    for table, kind in PACK_KINDS.items():
        entries = data.get(table, [])
        if not isinstance(entries, list):
            raise PolicyPackError(f"{label}: {table} must be an array of tables ([[{table}]])")
        ids[kind] = set()
        for n, entry in enumerate(entries, 1):
            where = f"{label}: {table} #{n}"
            if not isinstance(entry, dict):
                raise PolicyPackError(f"{where} is not a table")
            if "kind" in entry:
                raise PolicyPackError(f"{where}: 'kind' is implied by the table")
            record_id = entry.get("id")
            if not isinstance(record_id, str) or not SLUG_PATTERN.match(record_id):
                raise PolicyPackError(f"{where}: id {record_id!r} is not a lower-case slug")
            if record_id in ids[kind]:
                raise PolicyPackError(f"{where}: id {record_id} is used twice")
            ids[kind].add(record_id)
            record = {k: v for k, v in entry.items()}
            record["kind"] = kind
            if kind == "department":
                record.setdefault("active", True)
            if kind == "commitment":
                record.setdefault("status", "active")
            try:
                record = validate(record)
            except HrgovError as error:
                raise PolicyPackError(f"{where} ({record_id}): {error}") from None
            unknown_fields = set(record) - {f.name for f in KINDS[kind].fields} - {
                "kind",
                "id",
                "sensitivity",
            }
            if unknown_fields:
                raise PolicyPackError(
                    f"{where} ({record_id}): unknown field(s) {', '.join(sorted(unknown_fields))}"
                )
            found.append(record)
    for record in found:
        for spec in KINDS[record["kind"]].fields:
            if spec.type not in ("link", "links") or spec.name not in record:
                continue
            values = record[spec.name] if spec.type == "links" else [record[spec.name]]
            for value in values:
                if value not in ids.get(spec.link, ()):
                    raise PolicyPackError(
                        f"{label}: {record['kind']} {record['id']}: {spec.name} names "
                        f"{value!r}, which the pack does not define"
                    )
    return Pack(
        id=str(meta["id"]),
        title=str(meta["title"]),
        organisation=str(meta.get("organisation", "")),
        source=str(meta.get("source", "")),
        licence=str(meta.get("licence", "")),
        records=tuple(found),
        stage_targets=_stage_targets(data.get(STAGE_TARGETS, {}), label),
    )


def _stage_targets(table, label: str) -> dict[str, int]:
    """``[grievance_stage_targets]``: a whole number of days (1 or more) per open stage."""
    open_stages = GRIEVANCE_STAGES[:-1]  # closed is the end: no target
    if not isinstance(table, dict):
        raise PolicyPackError(f"{label}: {STAGE_TARGETS} must be a table of stage = days")
    for stage, days in table.items():
        if stage not in open_stages:
            raise PolicyPackError(
                f"{label}: {STAGE_TARGETS}: {stage!r} is not a stage with a target (one of: "
                f"{', '.join(open_stages)})"
            )
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise PolicyPackError(
                f"{label}: {STAGE_TARGETS}: {stage} = {days!r} must be a whole number of "
                "days, 1 or more"
            )
    return {stage: table[stage] for stage in open_stages if stage in table}
