"""What hrgov's reports say, written into the audit copy, so that an auditor holds each figure
and answer against the records behind it:

- ``briefing_figures``: the Board paper's headline figures (``hrgov.briefing.figures``);
- ``disclosure_answers``, ``disclosure_citations`` and ``grievance_scorecard``: the UNGP
  Reporting Framework answered, and the grievance mechanism against Guiding Principle 31
  (``hrgov.disclosure``).

Each report computes its own figures with its own code, from the ledger as of the copy's point
(``at``), for the reporting year holding the copy's as-of date, with that date as status date;
this module only writes what they return. Restricted records are counted, never listed or
cited; a cited record that the copy does not hold is counted, not named::

    write_reports(copier.conn, ledger, at, date(2026, 4, 1), withheld_titles)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from hrgov.errors import InvalidInput

FRAMEWORK = "ungprf"
# An answer's line that names a record this copy withholds (by its title) is replaced by this.
WITHHELD_LINE = "[a line naming a record withheld from this copy]"


def write_reports(conn: sqlite3.Connection, ledger, at: str | None, as_of: date,
                  withheld_titles: set[str]) -> None:
    """Create and fill the reports' tables in the audit copy open on ``conn``."""
    conn.execute("BEGIN")
    write_briefing_figures(conn, ledger, at, as_of)
    write_disclosure(conn, ledger, at, as_of, withheld_titles)
    conn.execute("COMMIT")


def write_briefing_figures(conn: sqlite3.Connection, ledger, at: str | None, as_of: date
                           ) -> None:
    """``briefing_figures``: each headline figure of the Board paper, with the ids of the
    records behind it that this copy holds."""
    from hrgov.briefing.figures import headline_figures  # the paper's own figures

    try:
        facts, figures, sha = headline_figures(ledger, at, as_of)
    except InvalidInput:  # an as-of date no reporting year holds (9999-12-31): no figures
        facts, figures, sha = None, [], ""
    present = set()
    for table in {f.name.split("_")[0] for f in figures}:
        present.update(row[0] for row in conn.execute(f"SELECT id FROM [{table}]"))
    conn.execute(
        "CREATE TABLE briefing_figures (figure TEXT PRIMARY KEY, label TEXT, value INTEGER, "
        "restricted INTEGER, in_this_copy INTEGER, record_ids TEXT, period_start TEXT, "
        "period_end TEXT, status_date TEXT, ledger_commit TEXT)"
    )
    rows = []
    for figure in figures:
        listed = [i for i in figure.public_ids if i in present]
        rows.append((figure.name, figure.label, figure.value, figure.restricted, len(listed),
                     json.dumps(listed), facts.period.start.isoformat(),
                     facts.period.end.isoformat(), facts.day.isoformat(), sha))
    conn.executemany("INSERT INTO briefing_figures VALUES (?,?,?,?,?,?,?,?,?,?)", rows)


def write_disclosure(conn: sqlite3.Connection, ledger, at: str | None, as_of: date,
                     withheld_titles: set[str]) -> None:
    """``disclosure_answers`` (one row per question of the UNGP Reporting Framework),
    ``disclosure_citations`` (one row per record an answer cites that this copy holds) and
    ``grievance_scorecard`` (the eight criteria of Guiding Principle 31)."""
    conn.execute(
        "CREATE TABLE disclosure_answers (question TEXT PRIMARY KEY, n INTEGER, section TEXT, "
        "asks TEXT, "
        "reference TEXT, mark TEXT, answer TEXT, missing TEXT, citations TEXT, cited INTEGER, "
        "cited_not_in_copy INTEGER, complete_when TEXT, framework TEXT, mapping_version TEXT, "
        "period_start TEXT, period_end TEXT, status_date TEXT, ledger_commit TEXT)"
    )
    conn.execute(
        "CREATE TABLE disclosure_citations (question TEXT REFERENCES "
        "disclosure_answers(question), record_id TEXT REFERENCES records(id), kind TEXT, "
        "cited_as TEXT, PRIMARY KEY (question, record_id))"
    )
    conn.execute(
        "CREATE TABLE grievance_scorecard (principle TEXT PRIMARY KEY, criterion TEXT, "
        "status TEXT, figures TEXT, missing TEXT, period_start TEXT, period_end TEXT, "
        "status_date TEXT, ledger_commit TEXT)"
    )
    found = _disclosure(ledger, at, as_of)
    if found is None:
        return
    disclosure, sha = found
    present = {row[0] for row in conn.execute("SELECT id FROM records")}
    period = (disclosure.period.start.isoformat(), disclosure.period.end.isoformat(),
              disclosure.day.isoformat(), sha)
    framework = disclosure.framework
    answers, citations = [], []
    for n, answer in enumerate(disclosure.answers, start=1):
        question = answer.question
        cited = [c for c in answer.cites if c["id"] in present]
        answers.append((
            question.id, n, question.section, question.question, question.reference, answer.mark,
            "\n".join(_said(line, withheld_titles) for line in answer.lines),
            "\n".join(_said(line, withheld_titles) for line in answer.missing),
            json.dumps([c["id"] for c in cited]), len(cited), len(answer.cites) - len(cited),
            question.complete, framework.id, framework.mapping_version, *period,
        ))
        citations += [(question.id, c["id"], c["kind"], _said(c["title"], withheld_titles))
                      for c in cited]
    conn.executemany(f"INSERT INTO disclosure_answers VALUES ({', '.join('?' * 18)})", answers)
    conn.executemany("INSERT OR IGNORE INTO disclosure_citations VALUES (?, ?, ?, ?)",
                     citations)
    conn.executemany(
        "INSERT INTO grievance_scorecard VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(f"UNGP 31({c.key})", c.name, c.status,
          "\n".join(_said(f, withheld_titles) for f in c.figures),
          _said(c.missing, withheld_titles) if c.missing else None, *period)
         for c in disclosure.scorecard],
    )


def _disclosure(ledger, at: str | None, as_of: date):
    """``(disclosure, commit)``: the framework answered for the reporting year holding
    ``as_of``, as ``hrgov disclose`` answers it; ``None`` when no reporting year holds it."""
    from hrgov.briefing.data import open_snapshot, period_for_year
    from hrgov.briefing.figures import reporting_year
    from hrgov.disclosure import Book, answer_framework, load_framework

    year_start = ledger.settings().get("ledger.reporting_year_start", "01-01")
    try:
        period = period_for_year(reporting_year(as_of, year_start), year_start)
    except InvalidInput:  # 9999-12-31
        return None
    with open_snapshot(ledger, at, today=as_of, status_date=as_of) as snap:
        book = Book.load(snap.conn, period, snap.day)
        return answer_framework(load_framework(FRAMEWORK), book), snap.sha


def _said(text: str, withheld_titles: set[str]) -> str:
    """``text``, unless it names a record withheld from the copy by its title."""
    return WITHHELD_LINE if any(title in text for title in withheld_titles) else text
