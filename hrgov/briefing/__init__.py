"""The Board briefing: facts from the ledger (``data``), charts (``charts``) and the Word
document (``word``); its provenance is checked by ``hrgov.ledger.contains``.

Importing this package is cheap; python-docx and matplotlib load only when a document is built::

    from hrgov.briefing import write_brief
    write_brief(ledger, Path("board-2026.docx"), start="2026-01-01", end="2026-12-31")
"""

from __future__ import annotations

from pathlib import Path


def write_brief(ledger, out_path: Path, **options) -> dict:
    """Write the Board briefing; ``options`` are those of ``hrgov.briefing.word.write_brief``
    (start, end, as_of, template, since, today, year)."""
    from hrgov.briefing.word import write_brief as write

    return write(ledger, out_path, **options)
