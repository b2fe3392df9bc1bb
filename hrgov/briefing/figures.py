"""The Board briefing's headline figures for the audit copy: the ``briefing_figures`` table,
computed by the same code as the paper (``Facts.headline_figures``), with the ids of the
records behind each figure that the copy holds, so an auditor recounts every number::

    SELECT figure, value, restricted, in_this_copy, record_ids FROM briefing_figures

The period is the reporting year holding the copy's as-of date (``hrgov brief --year``); the
status date is that as-of date. Restricted records are counted in ``value`` and ``restricted``,
never listed.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from hrgov.briefing.data import Facts, open_snapshot, period_for_year
from hrgov.errors import InvalidInput

TABLE = "briefing_figures"


def reporting_year(day: date, year_start: str) -> int:
    """The year the reporting year holding ``day`` starts in."""
    period = period_for_year(day.year, year_start)
    return day.year if day >= period.start else day.year - 1


def headline_figures(ledger, at: str | None, as_of: date) -> tuple[Facts, list, str]:
    """``(facts, figures, commit)``: the paper's figures for the reporting year holding
    ``as_of``, from the ledger as of ``at`` (default HEAD), with ``as_of`` as status date."""
    year_start = ledger.settings().get("ledger.reporting_year_start", "01-01")
    period = period_for_year(reporting_year(as_of, year_start), year_start)
    with open_snapshot(ledger, at, today=as_of, status_date=as_of) as snap:
        facts = Facts.load(snap.conn, period, snap.day)
        return facts, facts.headline_figures(), snap.sha


def write_briefing_figures(conn: sqlite3.Connection, ledger, at: str | None, as_of: date
                           ) -> None:
    """Create and fill ``briefing_figures`` in the audit copy open on ``conn``."""
    try:
        facts, figures, sha = headline_figures(ledger, at, as_of)
    except InvalidInput:  # an as-of date no reporting year holds (9999-12-31): no figures
        facts, figures, sha = None, [], ""
    present = set()
    for table in {f.name.split("_")[0] for f in figures}:
        present.update(row[0] for row in conn.execute(f"SELECT id FROM [{table}]"))
    conn.execute(
        f"CREATE TABLE {TABLE} (figure TEXT PRIMARY KEY, label TEXT, value INTEGER, "
        "restricted INTEGER, in_this_copy INTEGER, record_ids TEXT, period_start TEXT, "
        "period_end TEXT, status_date TEXT, ledger_commit TEXT)"
    )
    rows = []
    for figure in figures:
        listed = [i for i in figure.public_ids if i in present]
        rows.append((figure.name, figure.label, figure.value, figure.restricted, len(listed),
                     json.dumps(listed), facts.period.start.isoformat(),
                     facts.period.end.isoformat(), facts.day.isoformat(), sha))
    conn.executemany(f"INSERT INTO {TABLE} VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
