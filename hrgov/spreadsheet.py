"""Cells a spreadsheet shows as text, never runs: written by every CSV export, read back by
``hrgov import``, so that an exported file imports as it was exported.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection); OWASP's advice is to put a single quote before it.

    >>> escaped("=HYPERLINK(1)"), unescaped(escaped("=HYPERLINK(1)"))
    ("'=HYPERLINK(1)", '=HYPERLINK(1)')
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def escaped(text: str) -> str:
    """``text`` as a cell no spreadsheet runs."""
    return QUOTE + text if text.startswith(FORMULA_STARTS) else text


def unescaped(text: str) -> str:
    """The text an ``escaped`` cell stands for (other cells are returned as they are).

    >>> unescaped("'-1 day"), unescaped("'quoted'")
    ('-1 day', "'quoted'")
    """
    return text[1:] if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS) else text
