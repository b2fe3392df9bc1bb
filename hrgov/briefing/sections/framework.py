"""Where this paper answers the UNGP Reporting Framework (an annex), and the grievance
mechanism held against the effectiveness criteria of Guiding Principle 31 (in "Grievances
and remedy"). The answers come from ``hrgov.disclosure`` — the same as ``hrgov disclose`` —
which counts restricted records and never quotes them."""

from __future__ import annotations

import re

from hrgov.briefing.data import CHANNELS, long_date
from hrgov.briefing.ooxml import Column, Run, Table
from hrgov.briefing.sections.delivery import GROUP_SHADE, shorten
from hrgov.briefing.wording import say, text, wording

MARKS = {"answered": "Answered", "partly": "Partly", "not evaluable": "Not evaluable"}
STATUS = {"measured": "Measured", "not evaluable": "Not evaluable"}


def load(conn, period, day):
    """The UNGP Reporting Framework answered from the snapshot open on ``conn``."""
    from hrgov.disclosure import Book, answer_framework, load_framework

    return answer_framework(load_framework("ungprf"), Book.load(conn, period, day))


def where(w, section: str) -> str:
    """The headings of this paper that answer a framework section, numbered as in its
    contents (``[framework.where]`` of the wording file names them)."""
    numbers = {title: number for _, number, title, _ in w.toc}
    found = []
    for title in wording()["framework"]["where"].get(section, ()):
        number = numbers.get(title)
        if number is not None:
            found.append(f"{number} {title}" if number else title)
    return "; ".join(found) or text("framework", "nowhere")


def annex(w, disclosure) -> None:
    """The annex: every question, grouped by the framework's sections, with where this paper
    answers it, how completely the ledger answers it and what is missing."""
    framework = disclosure.framework
    w.heading(text("framework", "heading"), numbered=False, page_break=True)
    summary = disclosure.summary
    published = framework.published
    if re.fullmatch(r"\d{4}-\d\d-\d\d", published):
        published = long_date(published)
    w.para(say("framework", "intro", title=framework.title, publisher=framework.publisher,
               published=published, questions=len(disclosure.answers),
               answered=summary["answered"], partly=summary["partly"],
               not_evaluable=summary["not evaluable"], version=framework.mapping_version))
    table = Table([Column("Question", 9.0), Column("From the ledger", 2.6),
                   Column("What is missing", 5.0)])
    section = None
    for a in disclosure.answers:
        q = a.question
        if q.section != section:
            section = q.section
            table.group(say("framework", "group", part=q.id[0], section=section,
                            where=where(w, section)), shade=GROUP_SHADE)
        table.add([Run(f"{q.id}  ", bold=True), shorten(q.question, 150)],
                  Run(MARKS.get(a.mark, a.mark), bold=a.mark == "answered"),
                  first_gap(a.missing))
    w.table(table)
    w.note(say("framework", "note", url=framework.url))


def first_gap(missing: list[str]) -> str:
    """What is missing, short: the first gap and how many more (the workbook and ``hrgov
    disclose`` list them all)."""
    if not missing:
        return "\u2013"
    more = len(missing) - 1
    return shorten(plain(missing[0]), 100) + (f" (and {more} more)" if more else "")


# Register values as the ledger spells them, in the paper's words ("other" and "emergency"
# read well as they are, and are ordinary words elsewhere).
_WORDS = {**{key: name for key, name in CHANNELS.items() if key not in ("other", "emergency")},
          "not-upheld": "not upheld", "partly-upheld": "partly upheld",
          "human-rights-defender": "human rights defender", "policy-change": "policy change",
          "workers-representative": "workers' representative"}
_WORD = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(_WORDS, key=len,
                                                                    reverse=True)))
                   + r")(?![\w-])")


def plain(text_: str) -> str:
    """``text_`` with channel ids and hyphenated register values in plain words."""
    return _WORD.sub(lambda m: _WORDS[m.group(1)], text_)


def scorecard(w, disclosure) -> None:
    """The grievance mechanism against the eight criteria of Guiding Principle 31."""
    w.heading(text("framework", "scorecard_heading"), 2)
    cards = disclosure.scorecard
    measured = sum(1 for c in cards if c.status == "measured")
    w.para(say("framework", "scorecard_intro", n=len(cards), measured=measured),
           keep_next=True)
    table = Table([Column("Criterion (UNGP 31)", 4.2), Column("", 2.4),
                   Column("What the ledger shows", 10.0)])
    for c in cards:
        shows = plain(" ".join(c.figures)) if c.figures else Run(
            say("framework", "scorecard_missing", missing=c.missing or ""), italic=True,
            color="595959")
        table.add(Run(f"({c.key}) {c.name}", bold=True), STATUS.get(c.status, c.status), shows)
    w.table(table)
