"""The auditor reconciles the paper with the audit view: every headline figure of the briefing
is a row of the audit copy's ``briefing_figures``, for the same commit and status date, with
the records behind it."""

from __future__ import annotations

import json
import sqlite3

from .conftest import TODAY, document_text


def test_every_headline_figure_is_in_the_audit_copy(scenario, tmp_path):
    from docx import Document

    from hrgov.audit.copy import build_audit_copy
    from hrgov.briefing import write_brief
    from hrgov.ledger import Ledger

    book = Ledger.find(scenario.root)
    paper = tmp_path / "board.docx"
    info = write_brief(book, paper, start="2025-01-01", end="2025-12-31", year=2025,
                       today=TODAY)
    glance = next(t for t in Document(str(paper)).tables
                  if [c.text for c in t.rows[0].cells][1:] == ["Number", "Of which restricted"])
    figures = {row.cells[0].text: (int(row.cells[1].text),
                                   0 if row.cells[2].text == "\u2013" else int(row.cells[2].text))
               for row in glance.rows[1:]}
    assert len(figures) >= 12
    copy = build_audit_copy(book, tmp_path / "audit", as_of=TODAY)
    conn = sqlite3.connect(copy)
    rows = conn.execute("SELECT label, value, restricted, in_this_copy, record_ids, "
                        "status_date, ledger_commit, period_start, period_end "
                        "FROM briefing_figures").fetchall()
    audited = {r[0]: r for r in rows}
    assert set(audited) == set(figures)
    for label, (value, restricted) in figures.items():
        _, audit_value, audit_restricted, held, ids, day, commit, start, end = audited[label]
        assert (audit_value, audit_restricted) == (value, restricted), label
        ids = json.loads(ids)
        assert held == len(ids) == value - restricted, label
        for record_id in ids:  # every id names a record the auditor can open in the copy
            assert conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone()
        assert (day, commit, start, end) == (TODAY.isoformat(), info["commit"], "2025-01-01",
                                             "2025-12-31")
    # Restricted records are counted in the paper's figures, so some figure says so.
    assert any(restricted for _, restricted in figures.values())
    # The key messages quote the same numbers.
    text = document_text(paper)
    off_track = audited["Active commitments off track"][1]
    assert f"{off_track} commitments are off track" in text
    overdue = next(v for label, (v, _) in figures.items() if label.startswith("Milestones overdue"))
    assert f"{overdue} milestones are overdue at 20 December 2025" in text
