"""Trends in types of issues, honestly: a quarter still running is marked as partial, quarters
after the status date are "not yet reached" (not zero), the previous period is compared only
where the issues register covered it (else the paper says when the register began), and the
chart shows the top categories."""

from __future__ import annotations

from hrgov.briefing.data import Facts, long_date, short_date
from hrgov.briefing.ooxml import Column, Run, Table
from hrgov.briefing.sections import chart_numbers

TOP_CATEGORIES = 5  # categories the chart shows; the others are summed as "Other categories"
DASH = "\u2013"


def quarter_heading(label: str, first, last, reach: str, facts: Facts) -> str:
    """A quarter's column heading: its label, and what it covers when not the whole of it."""
    if reach == "partial":
        if first <= facts.day < last:
            return f"{label} (to {short_date(facts.day)[:-5]})"
        return f"{label} (from {short_date(facts.register_began)[:-5]})"
    if reach == "not yet reached":
        return f"{label} (not yet reached)"
    if reach == "before the register":
        return f"{label} (before the register)"
    return label


def write(w, facts: Facts, charts) -> None:
    w.heading("Trends in types of issues", 2)
    quarters, rows = facts.issue_trends()
    reached = [n for n, (_, reach) in enumerate(quarters) if reach in ("full", "partial")]
    labels = [quarter_heading(label, first, last, reach, facts)
              for label, first, last, reach in facts.quarters_reached(facts.register_began)]
    ranked = sorted(rows, key=lambda r: (-r[2], rows.index(r)))
    series = [(facts.category_name(c), [counts[n] for n in reached])
              for c, counts, total, _ in ranked[:TOP_CATEGORIES] if total]
    others = [r for r in ranked[TOP_CATEGORIES:] if r[2]]
    if others:
        series.append((f"Other categories ({len(others)})",
                       [sum(r[1][n] for r in others) for n in reached]))
    w.figure(
        charts.issue_trends([_chart_label(labels[n]) for n in reached], series),
        f"Figure 2. Issues reported per quarter of the period: the {TOP_CATEGORIES} categories "
        "with most issues, the others together. Numbers are issues; quarters not yet reached "
        "are left out.",
        empty="No issue is reported in the period, so there is nothing to chart.",
        alt=chart_numbers.trends(series, len(reached)),
    )
    previous = facts.comparable_period
    began = facts.register_began
    if previous is not None:
        w.para(f"Issues per category, by quarter of the period, and against the previous "
               f"period of the same length ({previous.label}), which the register covered:",
               keep_next=True)
    else:
        w.para(
            "Issues per category, by quarter of the period. "
            + (f"The issues register began on {long_date(began)} (its first issue), so it "
               f"does not cover the previous period of the same length "
               f"({facts.previous_period.label}) and no comparison is made."
               if began else "The issues register holds no issue yet."),
            keep_next=True)
    compare = previous is not None
    extra = 5.6 if compare else 1.8
    width = max(1.4, min(2.2, 9.4 / max(len(quarters), 1)))
    table = Table([Column("Category", max(3.6, 16.6 - extra - width * len(quarters)))]
                  + [Column(label, width, "right") for label in labels]
                  + [Column("Period", 1.8, "right")]
                  + ([Column("Previous", 2.0, "right"), Column("Change", 1.8, "right")]
                     if compare else []))

    def cells(counts, total, before, bold=False):
        out = [DASH if n is None else str(n) for n in counts] + [str(total)]
        if compare:
            out += [str(before), f"{total - before:+d}" if total != before else "0"]
        return [Run(c, bold=bold) for c in out]

    for category, counts, total, before in rows:
        table.add(facts.category_name(category), *cells(counts, total, before))
    sums = [None if quarters[q][1] not in ("full", "partial")
            else sum(r[1][q] for r in rows) for q in range(len(quarters))]
    table.add(Run("All categories", bold=True),
              *cells(sums, sum(r[2] for r in rows), sum(r[3] for r in rows), bold=True))
    w.table(table)
    notes = []
    if any(reach == "partial" for _, reach in quarters):
        notes.append(f"A partial quarter counts the issues reported up to the status date "
                     f"({long_date(facts.day)}) or from the register's first day.")
    if any(reach in ("not yet reached", "before the register") for _, reach in quarters):
        notes.append(f"{DASH} marks a quarter not yet reached at the status date, or before "
                     "the register began: no count, rather than zero.")
    if notes:
        w.note(" ".join(notes))


def _chart_label(label: str) -> str:
    """A column heading on two or three short lines, so that neighbours never overlap."""
    head, _, note = label.partition(" (")
    name, _, year = head.rpartition(" ")
    return "\n".join(part for part in (name, year, f"({note}" if note else "") if part)
