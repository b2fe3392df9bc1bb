"""The ledger's settings, kept in ``hrgov.toml`` at its root.

Every setting is declared once in ``SETTINGS``; reading, writing and the help text derive from
that table::

    >>> settings = parse('[organisation]\\nname = "Example Org"\\n')
    >>> settings["organisation.name"], settings["briefing.classification"]
    ('Example Org', 'Board confidential')
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hrgov.errors import InvalidInput

CONFIG_FILE = "hrgov.toml"


@dataclass(frozen=True)
class Setting:
    name: str  # "<table>.<key>"
    default: str
    help: str


SETTINGS = (
    Setting("organisation.name", "", "The organisation whose policy the ledger tracks."),
    Setting("ledger.policy", "", "The policy pack the ledger was created from."),
    Setting(
        "ledger.reporting_year_start",
        "01-01",
        "First day (MM-DD) of the reporting year used by briefings and reports.",
    ),
    Setting(
        "ledger.sign",
        "",
        'Which commits hrgov signs with your SSH key (git\'s user.signingKey or '
        'HRGOV_SIGNING_KEY), checked by verify against allowed_signers: "" (none), '
        '"decisions" (changes to decisions, settings or signers) or "all".',
    ),
    Setting(
        "briefing.classification",
        "Board confidential",
        "The marking printed on the cover and in the footer of the Board briefing.",
    ),
    Setting(
        "briefing.presenter",
        "",
        "Who presents the Board briefing, as printed on its first page (a role, e.g. "
        "\"General Counsel, on behalf of the Human Rights Steering Committee\").",
    ),
    Setting(
        "reminders.from",
        "",
        "The role address hrgov remind sends each department's digest from.",
    ),
)
SETTING_NAMES = {s.name: s for s in SETTINGS}
# Role addresses (a team's or a role's, never a person's) to send each department's digest
# to, one per department: ``[reminders.to]`` then ``legal = "legal-hr@example.org"``. Kept
# in the values as ``reminders.to.<department>``.
ADDRESSES = "reminders.to"
ADDRESSES_HELP = (
    "Where hrgov remind sends each department's digest: one role address per department "
    "(a team's or a role's mailbox, never a person's), e.g. legal = \"legal-hr@example.org\"."
)


def parse(text: str) -> dict[str, str]:
    """Settings from the text of an ``hrgov.toml``, defaults filled in, unknown keys refused."""
    import tomllib  # only where settings are read: most commands never need them

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{CONFIG_FILE} is not valid TOML: {error}") from None
    values = {s.name: s.default for s in SETTINGS}
    for table, entries in data.items():
        if not isinstance(entries, dict):
            raise InvalidInput(f"{CONFIG_FILE}: {table} must be a table")
        for key, value in entries.items():
            name = f"{table}.{key}"
            if name == ADDRESSES and isinstance(value, dict):
                values.update(_addresses(value))
                continue
            if name not in SETTING_NAMES:
                known = ", ".join(SETTING_NAMES)
                raise InvalidInput(f"{CONFIG_FILE}: unknown setting {name} (known: {known})")
            values[name] = str(value)
    return values


def _addresses(table: dict) -> dict[str, str]:
    """``[reminders.to]``'s entries as values, each a department's slug and one address."""
    from hrgov.model import EMAIL, SLUG_PATTERN

    found = {}
    for department, address in table.items():
        if not SLUG_PATTERN.match(department):
            raise InvalidInput(f"{CONFIG_FILE}: [{ADDRESSES}] {department!r} is not a "
                               "department's id (a lower-case slug such as legal)")
        if not isinstance(address, str) or not EMAIL.fullmatch(address):
            raise InvalidInput(f"{CONFIG_FILE}: [{ADDRESSES}] {department} must be one e-mail "
                               f'address, e.g. {department} = "{department}@example.org"')
        found[f"{ADDRESSES}.{department}"] = address
    return found


def addresses(values: dict[str, str]) -> dict[str, str]:
    """Department → the role address its reminders go to, from parsed settings.

    >>> addresses(parse('[reminders.to]\\nlegal = "legal-hr@example.org"\\n'))
    {'legal': 'legal-hr@example.org'}
    """
    prefix = ADDRESSES + "."
    return {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix)}


def render(values: dict[str, str]) -> str:
    """The text of an ``hrgov.toml`` holding ``values``, each setting with its help as a
    comment."""
    lines = ["# hrgov ledger settings"]
    table = None
    for setting in SETTINGS:
        section, key = setting.name.split(".")
        if section != table:
            lines += ["", f"[{section}]"]
            table = section
        value = values.get(setting.name, setting.default)
        # A JSON string is a valid TOML basic string: every quote and control escaped.
        lines += [f"# {setting.help}", f"{key} = {json.dumps(value, ensure_ascii=False)}"]
    to = addresses(values)
    if to:
        lines += ["", f"[{ADDRESSES}]", f"# {ADDRESSES_HELP}"]
        lines += [f"{department} = {json.dumps(address)}" for department, address in to.items()]
    return "\n".join(lines) + "\n"
