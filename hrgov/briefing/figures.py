"""The Board briefing's headline figures, computed by the same code as the paper
(``Facts.headline_figures``), with the ids of the records behind each figure, for the reporting
year holding a date (``hrgov brief --year``) with that date as status date. The audit copy
writes them as its ``briefing_figures`` table (``hrgov.audit.reports``), so an auditor
recounts every number::

    facts, figures, commit = headline_figures(ledger, None, date(2026, 4, 1))  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date

from hrgov.briefing.data import Facts, open_snapshot, period_for_year


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
