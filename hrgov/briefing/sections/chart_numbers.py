"""Every chart's alternative text (what a screen reader says instead of the picture) and the
numbers it draws, as a table set right after it: a Trustee who cannot see a chart, or prints
it badly, reads the same figures."""

from __future__ import annotations

from collections import Counter

from hrgov.briefing.data import MILESTONE_STATES, STATE_LABELS, plural
from hrgov.briefing.ooxml import Column, Run, Table

LEVELS = ("1 low", "2 medium", "3 high")


def heat_map(grid: list[list[int]]) -> tuple[str, Table]:
    """``grid[impact - 1][likelihood - 1]`` as alt text and a 3×3 table, high impact first."""
    total = sum(map(sum, grid))
    worst = grid[2][2]
    alt = (f"Heat map of {plural(total, 'issue')} by impact and likelihood, each scored 1 to "
           f"3: {worst} scored high on both. The table after the figure gives every cell.")
    table = Table([Column("Impact \u2193 / likelihood \u2192", 4.6)]
                  + [Column(level, 2.2, "right") for level in LEVELS]
                  + [Column("All", 1.8, "right")])
    for impact in (2, 1, 0):
        row = grid[impact]
        table.add(LEVELS[impact], *map(str, row), Run(str(sum(row)), bold=True))
    return alt, table


def by_department(counts: dict[str, Counter]) -> tuple[str, Table]:
    """Milestones per owner department and state."""
    states = [s for s in MILESTONE_STATES if any(c.get(s) for c in counts.values())]
    busiest = max(counts, key=lambda d: (sum(counts[d].values()), d))
    total = sum(sum(c.values()) for c in counts.values())
    alt = (f"Bar chart of {plural(total, 'milestone')} by owner department, each bar split by "
           f"state ({', '.join(STATE_LABELS[s].lower() for s in states)}). The most: "
           f"{busiest}, {sum(counts[busiest].values())}. The table after the figure gives "
           "every number.")
    width = min(2.2, 9.0 / max(len(states), 1))
    table = Table([Column("Department", 16.6 - width * len(states) - 1.6)]
                  + [Column(STATE_LABELS[s], width, "right") for s in states]
                  + [Column("All", 1.6, "right")])
    for department, count in counts.items():
        table.add(department, *(str(count.get(s, 0)) for s in states),
                  Run(str(sum(count.values())), bold=True))
    return alt, table


def trends(series: list[tuple[str, list[int]]], quarters: int) -> str:
    """The trend chart's alt text (its numbers are in the table that follows it)."""
    total = sum(sum(values) for _, values in series)
    top = series[0][0] if series else "none"
    return (f"Stacked bar chart of {plural(total, 'issue')} reported in "
            f"{plural(quarters, 'quarter')} of the period, by category; the category with most "
            f"issues: {top}. The table after the figure gives every number, for every "
            "category.")


def cumulative_delivery(rows: list[tuple]) -> tuple[str, Table]:
    """Milestones planned, due and done, added up over the period."""
    reached = [r for r in rows if r[4] is not None]
    last = reached[-1] if reached else rows[0]
    alt = (f"Line chart of milestones added up over the period: up to {last[0]}, "
           f"{last[2]} were planned by their first due dates, {last[3]} due by their current "
           f"dates and {last[4] or 0} done. The table after the figure gives every number.")
    table = Table([Column("Up to", 4.6), Column("Planned (first due)", 4.0, "right"),
                   Column("Due (current date)", 4.0, "right"), Column("Done", 4.0, "right")])
    for label, _, planned, due, done in rows:
        table.add(label, str(planned), str(due),
                  "not yet reached" if done is None else str(done))
    return alt, table
