"""Specific examples, as the policy asks: each issue the Committee cleared for the Board as what
happened, what we did, where it stands and what we learned. Restricted issues are never
quoted (``quotable``); a part not yet recorded says so rather than being left out."""

from __future__ import annotations

from hrgov.briefing.data import Facts, plural, short_date, visible
from hrgov.briefing.ooxml import Column, Run, Table
from hrgov.briefing.wording import say, text

# An issue's status in the Board's words (the glossary's), and where it stands in a sentence.
ISSUE_STATES = {"open": "Open", "assessing": "Being assessed", "mitigating": "Being mitigated",
                "closed": "Closed", "dismissed": "Dismissed"}


def write(w, facts: Facts) -> None:
    w.heading(text("examples", "heading"), 2)
    examples = facts.examples
    if not examples:
        w.para(text("examples", "none"))
        return
    w.para(say("examples", "intro", n=len(examples)), keep_next=True)
    for issue in examples:
        title = facts.category_name(issue["category"])
        if issue.get("subcategory"):
            title += f": {issue['subcategory']}"
        w.heading(title, 3, numbered=False)
        table = Table([Column("", 3.6), Column("", 13.0)], header=False)
        rows = (
            ("happened", issue["summary"]),
            ("did", issue.get("response")),
            ("stands", where_it_stands(facts, issue)),
            ("learned", issue.get("lessons")),
        )
        for key, value in rows:
            shown = value if value else Run(text("examples", "not_recorded"), italic=True,
                                             color="595959")
            table.add(Run(text("examples", key), bold=True), shown)
        table.add("", Run(say("examples", "reference", reported=short_date(issue["reported"]),
                              ref=issue["id"]), color="595959", size=8))
        w.table(table)


def where_it_stands(facts: Facts, issue: dict) -> str:
    """The issue's state in plain words, with the remedies recorded for it (restricted ones
    counted, never described)."""
    state = ISSUE_STATES.get(issue["status"], issue["status"].capitalize())
    remedies = [r for r in facts.remedies if r.get("issue") == issue["id"]]
    if not remedies:
        return f"{state}."
    delivered = sum(1 for r in remedies if r.get("delivered_on"))
    kinds = sorted({r["remedy_type"].replace("-", " ") for r in remedies if visible(r)})
    what = f" ({', '.join(kinds)})" if kinds else ""
    return (f"{state}; {plural(len(remedies), 'remedy', 'remedies')} recorded{what}, "
            f"{delivered} delivered.")

