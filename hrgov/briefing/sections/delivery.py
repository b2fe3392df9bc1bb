"""What we are doing and how we track it: one row per commitment by owner, the ten most
overdue milestones, the latest moves of due dates. Full lists go to Annex D, capped, so the
paper stays short however large the ledger."""

from __future__ import annotations

from datetime import date

from hrgov.briefing.data import STATE_LABELS, Facts, long_date, plural, short_date, visible
from hrgov.briefing.ooxml import Cell, Column, Run, Table
from hrgov.briefing.sections import chart_numbers
from hrgov.model import HEALTH_STATES

BODY_ROWS = 10  # milestones named in the body's overdue and moved tables
# Rows of one list in Annex D (beyond, the annex says where the full list is: the ledger, and
# the companion workbook of brief --workbook); a 2,000-milestone paper keeps a margin under
# 30 pages.
ANNEX_ROWS = 25
EVIDENCE_ROWS = 20  # completed milestones with their evidence, in Annex D
TITLE_CHARACTERS = 70  # titles are shortened to this in tables; the annexes give them in full
GROUP_SHADE = "E4EAF1"
RESTRICTED = "counted in the figures but not named"


def shorten(text: str, limit: int = TITLE_CHARACTERS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


def state_label(state: str) -> str:
    """A commitment's state in the Board's words."""
    return {"no plan": "No plan yet", "retired": "Retired"}.get(state, state.capitalize())


def progress(w, facts: Facts, charts) -> None:
    w.heading("Progress on commitments")
    w.para(
        "What each department is doing on the policy's commitments: one row per commitment, "
        f"with its state as at {long_date(facts.day)}, its milestones done out of all of them, "
        "the next due date and, when a milestone is overdue, by how many days the worst one is. "
        "Annex A gives every commitment in full; Annex D the milestones overdue or moved.",
        keep_next=True,  # with its chart, never split from its heading at a page foot
    )
    counts = facts.status_by_department()
    png = charts.status_by_department(counts)
    alt, numbers = chart_numbers.by_department(counts) if png else ("", None)
    w.figure(
        png,
        "Figure 3. Milestones by owner department and state (dropped milestones left out). "
        "Numbers are milestones.",
        empty="No milestone is tracked in the period, so there is nothing to chart.",
        alt=alt, numbers=numbers,
    )
    groups: dict[str, list[dict]] = {}
    for c in facts.commitments:
        if c.get("status", "active") != "active" and not facts.by_commitment.get(c["id"]):
            continue
        groups.setdefault(c.get("owner") or "", []).append(c)
    order = sorted(groups, key=lambda d: (d == "", facts.department_name(d or None).lower()))
    states = (*HEALTH_STATES, "retired")
    table = Table([Column("Commitment", 7.4), Column("State", 2.2), Column("Done", 1.9, "right"),
                   Column("Next due", 2.4), Column("Worst overdue", 2.7, "right")])
    hidden = 0
    for department in order:
        rows, unplanned = [], 0
        for c in groups[department]:
            if not visible(c):
                hidden += 1
                continue
            row = facts.commitment_row(c)
            if row["state"] == "no plan":
                unplanned += 1  # one line for them all: their titles are in Annex A
                continue
            rows.append((states.index(row["state"]), -row["worst_overdue"], c["title"], c, row))
        if not rows and not unplanned:
            continue
        lead = facts.departments.get(department, {})
        name = facts.department_name(department or None)
        if lead.get("lead_role") and visible(lead):
            name += f" \u2014 led by the {lead['lead_role']}"
        table.group(name, shade=GROUP_SHADE)
        for *_, c, row in sorted(rows, key=lambda r: r[:3]):
            late = row["worst_overdue"]
            table.add(
                shorten(c["title"]),
                Run(state_label(row["state"]), bold=row["state"] == "off track"),
                f"{row['done']} of {row['total']}" if row["total"] else "\u2013",
                short_date(row["next_due"]) or "\u2013",
                plural(late, "day") if late else "\u2013",
            )
        if unplanned:
            table.add(Cell(Run(f"{plural(unplanned, 'further commitment')} with no milestone "
                               "yet (Annex A)", italic=True, color="595959"), span=2),
                      "", "", "")
    w.table(table)
    if hidden:
        w.para(f"{plural(hidden, 'restricted commitment')} {RESTRICTED}.")
    rows = facts.cumulative_delivery()
    alt, numbers = chart_numbers.cumulative_delivery(rows)
    w.figure(
        charts.cumulative_delivery([r[0].replace(" 20", "\n20") for r in rows],
                                   [r[2] for r in rows],
                                   [r[3] for r in rows], [r[4] for r in rows]),
        "Figure 4. Milestones planned against milestones done, added up from the start of "
        f"the period; done stops at the status date ({long_date(facts.day)}). A gap between "
        "planned and due is work moved later; between due and done, work late.",
        empty="No milestone falls due or is done in the period, so there is nothing to chart.",
        alt=alt, numbers=numbers,
    )


def overdue(w, facts: Facts) -> None:
    w.heading("Overdue and slipped milestones")
    w.heading(f"Overdue at {long_date(facts.day)}", 2)
    late = facts.overdue
    shown = [m for m in late if visible(m)]
    if not late:
        w.para("No milestone is overdue.")
    else:
        w.para(f"{plural(len(late), 'open milestone')} {'is' if len(late) == 1 else 'are'} "
               f"past the due date. The {min(BODY_ROWS, len(shown))} most overdue:",
               keep_next=True)
        w.table(_overdue_table(facts, shown[:BODY_ROWS]))
        rest = len(shown) - BODY_ROWS
        if rest > 0:
            w.para(f"{plural(rest, 'more overdue milestone')} in Annex D.")
        if len(shown) < len(late):
            w.para(f"{plural(len(late) - len(shown), 'restricted milestone')} {RESTRICTED}.")
    w.heading("Due dates moved in the period", 2)
    slips = facts.slips_in_period
    shown_slips = [(m, s) for m, s in slips if visible(m)]
    if not slips:
        w.para("No due date was moved in the period.")
        return
    latest = list(reversed(shown_slips))[:BODY_ROWS]
    w.para(f"{plural(len(slips), 'move')} of a due date in the period, each with the reason "
           f"recorded when it was made. The {len(latest)} latest:", keep_next=True)
    w.table(_slips_table(facts, latest))
    rest = len(shown_slips) - len(latest)
    if rest > 0:
        w.para(f"{plural(rest, 'more move')} in Annex D.")
    if len(shown_slips) < len(slips):
        w.para(f"{plural(len(slips) - len(shown_slips), 'restricted move')} {RESTRICTED}.")


def annex(w, facts: Facts) -> None:
    """Annex D: every overdue milestone and every move of a due date, up to ``ANNEX_ROWS``
    each, and the latest milestones completed with their evidence."""
    w.heading("Annex D. Milestones overdue, completed and moved", numbered=False,
              page_break=True)
    shown = [m for m in facts.overdue if visible(m)]
    w.heading(f"Overdue at {long_date(facts.day)} ({len(shown)})", 3, numbered=False)
    if shown:
        w.table(_overdue_table(facts, shown[:ANNEX_ROWS], full=True))
        _beyond(w, len(shown), "overdue milestones",
                f"hrgov due --format csv --as-of {facts.day.isoformat()}")
    else:
        w.para("None.")
    done = sorted((m for m in facts.milestones_done if visible(m)),
                  key=lambda m: (m["done_on"], m["id"]), reverse=True)
    w.heading(f"Completed in the period, latest first ({len(done)})", 3, numbered=False)
    if done:
        table = Table([Column("Milestone", 7.4), Column("Done", 2.3),
                       Column("Evidence", 6.9)])
        for m in done[:EVIDENCE_ROWS]:
            table.add(Cell(lines=[m["title"], Run(facts.department_name(m.get("owner")),
                                                  italic=True, color="595959")]),
                      short_date(m["done_on"]),
                      Cell(lines=[w.link(e) for e in m.get("evidence") or ()] or ["\u2013"]))
        w.table(table)
        if len(done) > EVIDENCE_ROWS:
            w.para(f"The latest {EVIDENCE_ROWS} of {len(done)} are listed; the companion "
                   "workbook (hrgov brief --workbook) and the ledger (hrgov list milestones "
                   "--status done --format csv) list them all.")
    else:
        w.para("None.")
    moves = [(m, s) for m, s in facts.slips_in_period if visible(m)]
    w.heading(f"Due dates moved in the period ({len(moves)})", 3, numbered=False)
    if moves:
        w.table(_slips_table(facts, moves[:ANNEX_ROWS], full=True))
        _beyond(w, len(moves), "moves", "hrgov list milestones --format csv")
    else:
        w.para("None.")


def _beyond(w, total: int, what: str, command: str) -> None:
    if total > ANNEX_ROWS:
        w.para(f"The first {ANNEX_ROWS} of {total} {what} are listed; the companion workbook "
               f"(hrgov brief --workbook) and the ledger ({command}) list them all.")


def _overdue_table(facts: Facts, milestones: list[dict], full: bool = False) -> Table:
    table = Table([Column("Milestone", 7.0), Column("Owner", 3.4), Column("Due", 2.3),
                   Column("Days late", 1.9, "right"), Column("Status", 2.0)])
    for m in milestones:
        late = (facts.day - date.fromisoformat(m["due"])).days
        slips = len(m.get("slips") or ())
        commitment = facts.commitment_title(m["commitment"])
        title = m["title"] if full else shorten(m["title"])
        table.add(
            Cell(lines=[title, Run(commitment if full else shorten(commitment), italic=True,
                                   color="595959")]),
            facts.department_name(m.get("owner")),
            short_date(m["due"]),
            str(late),
            STATE_LABELS.get(m["status"], m["status"])
            + (f", moved {slips}\u00d7" if slips else ""),
        )
    return table


def _slips_table(facts: Facts, moves: list, full: bool = False) -> Table:
    table = Table([Column("Milestone", 5.4), Column("Moved on", 2.2),
                   Column("From \u2192 to", 3.4), Column("Reason recorded", 5.6)])
    for m, slip in moves:
        table.add(
            Cell(lines=[m["title"] if full else shorten(m["title"]),
                        Run(facts.department_name(m.get("owner")), italic=True,
                            color="595959")]),
            short_date(slip["on"]),
            f"{short_date(slip['from'])} \u2192 {short_date(slip['to'])}",
            slip.get("reason") or "\u2013",
        )
    return table
