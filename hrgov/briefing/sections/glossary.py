"""Annex E: the glossary, one page, its terms in ``templates/board-wording.toml``."""

from __future__ import annotations

from hrgov.briefing.ooxml import Column, Run, Table
from hrgov.briefing.wording import text, wording


def write(w) -> None:
    w.heading(text("glossary", "heading"), numbered=False, page_break=True)
    w.para(text("glossary", "intro"))
    table = Table([Column("Term", 4.2), Column("Meaning", 12.4)])
    for term, meaning in wording()["glossary"]["terms"]:
        table.add(Run(term, bold=True), meaning)
    w.table(table)
