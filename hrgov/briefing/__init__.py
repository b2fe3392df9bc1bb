"""The Board briefing: facts from the ledger (``data``), charts (``charts``), the Word
document (``word``) and its provenance check (``provenance``).

Importing this package is cheap; python-docx and matplotlib load only when a document is built::

    from hrgov.briefing import write_brief
    write_brief(ledger, Path("board-2026.docx"), start="2026-01-01", end="2026-12-31")
"""

from __future__ import annotations

from datetime import date
from pathlib import Path


def write_brief(
    ledger,
    out_path: Path,
    *,
    start: date | str,
    end: date | str,
    as_of: str | None = None,
    template: Path | None = None,
    since: str | None = None,
    today: date | None = None,
    year: int | None = None,
) -> dict:
    """Write the Board briefing (see ``hrgov.briefing.word.write_brief``)."""
    from hrgov.briefing.word import write_brief as write

    return write(ledger, out_path, start=start, end=end, as_of=as_of, template=template,
                 since=since, today=today, year=year)
