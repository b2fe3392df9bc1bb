"""The companion workbook (``hrgov brief --workbook FILE.xlsx``): the figures behind the Board
paper in full, one sheet per table, so that an analyst can sort, filter and recount them
where the paper shows the worst ten. Written with openpyxl; the same rules as the paper:
restricted records are counted in the figures, never listed::

    write_workbook(path, facts, snap, disclosure)
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from hrgov.briefing import ooxml
from hrgov.briefing.data import CHANNELS, STATE_LABELS, Facts, Snapshot, visible
from hrgov.briefing.sections.delivery import state_label
from hrgov.briefing.sections.examples import ISSUE_STATES
from hrgov.briefing.sections.framework import MARKS, STATUS

HEADER_FILL = "1F3A5F"


def sheets(facts: Facts, snap: Snapshot, disclosure=None) -> list[tuple[str, list, list]]:
    """``(sheet name, headers, rows)`` for every table of the workbook."""
    out = [("About", ["What", "Value"], [
        ["Ledger commit", snap.sha],
        ["Period", f"{facts.period.start.isoformat()} to {facts.period.end.isoformat()}"],
        ["Status date", facts.day],
        ["Prepared", snap.generated],
        ["Restricted records", "counted in the figures, never listed"],
    ])]
    out.append(("Figures", ["Figure", "What it counts", "Number", "Of which restricted",
                            "Records (not restricted)"],
                [[f.name, f.label, f.value, f.restricted, "; ".join(f.public_ids)]
                 for f in facts.headline_figures()]))
    rows = []
    for c in facts.commitments:
        if not visible(c):
            continue
        row = facts.commitment_row(c)
        rows.append([c["title"], c["id"], facts.department_name(c.get("owner")),
                     c.get("section") or "", state_label(row["state"]), row["done"],
                     row["total"], _day(row["next_due"]), row["worst_overdue"] or None])
    out.append(("Commitments", ["Commitment", "Id", "Owner", "Policy section", "State",
                                "Milestones done", "Milestones", "Next due",
                                "Worst overdue (days)"], rows))
    out.append(("Overdue", ["Milestone", "Id", "Commitment", "Owner", "Due", "Days late",
                            "Status", "Times moved"],
                [[m["title"], m["id"], facts.commitment_title(m["commitment"]),
                  facts.department_name(m.get("owner")), _day(m["due"]),
                  (facts.day - date.fromisoformat(m["due"])).days,
                  STATE_LABELS.get(m["status"], m["status"]), len(m.get("slips") or ())]
                 for m in facts.overdue if visible(m)]))
    out.append(("Moves", ["Milestone", "Id", "Owner", "Moved on", "From", "To", "Reason"],
                [[m["title"], m["id"], facts.department_name(m.get("owner")), _day(s["on"]),
                  _day(s["from"]), _day(s["to"]), s.get("reason") or ""]
                 for m, s in facts.slips_in_period if visible(m)]))
    out.append(("Completed", ["Milestone", "Id", "Owner", "Done on", "Evidence"],
                [[m["title"], m["id"], facts.department_name(m.get("owner")),
                  _day(m["done_on"]), "; ".join(m.get("evidence") or ())]
                 for m in sorted(facts.milestones_done, key=lambda m: (m["done_on"], m["id"]))
                 if visible(m)]))
    out.append(("Delivery by month", ["Up to", "Planned (first due)", "Due (current date)",
                                      "Done"],
                [[last, planned, due, done] for _, last, planned, due, done in
                 facts.cumulative_delivery()]))
    quarters, trend = facts.issue_trends()
    out.append(("Issues by quarter", ["Category", *(f"{label} ({reach})" if reach != "full"
                                                    else label for label, reach in quarters),
                                      "Period", "Previous period"],
                [[facts.category_name(c), *counts, total, before]
                 for c, counts, total, before in trend]))
    out.append(("Salient issues", ["Category", "Id", "Impact", "Likelihood", "Where it stands"],
                [[facts.category_name(i["category"]), i["id"], i.get("impact"),
                  i.get("likelihood"), ISSUE_STATES.get(i["status"], i["status"])]
                 for i in facts.salient_issues if visible(i)]))
    out.append(("Grievances", ["Channel", "Received", "Acknowledged", "Median days to "
                               "acknowledge", "Closed", "Median days to close", "Open"],
                [[CHANNELS.get(r["channel"], r["channel"]), r["received"], r["acknowledged"],
                  _number(r["median_acknowledge"]), r["closed"], _number(r["median_close"]),
                  r["open"]]
                 for r in [*facts.grievances_by_channel(), facts.grievances_total()]]))
    if disclosure is not None:
        out.append(("UNGPRF", ["Question", "Section", "Asks", "From the ledger",
                               "What is missing"],
                    [[a.question.id, a.question.section, a.question.question,
                      MARKS.get(a.mark, a.mark), "; ".join(a.missing)]
                     for a in disclosure.answers]))
        out.append(("Grievance mechanism", ["Criterion (UNGP 31)", "Status",
                                            "What the ledger shows"],
                    [[f"({c.key}) {c.name}", STATUS.get(c.status, c.status),
                      " ".join(c.figures) or c.missing]
                     for c in disclosure.scorecard]))
    return out


def _number(median: str) -> float | None:
    """A median as the paper prints it (``4``, ``4.5``, a dash for none) as a number."""
    try:
        return float(median)
    except ValueError:
        return None


def _day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def workbook_bytes(facts: Facts, snap: Snapshot, disclosure=None) -> bytes:
    """The workbook's bytes: a header row in bold on each sheet, frozen, filterable; dates as
    dates; document properties dated by the ledger commit, like the paper's."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, headers, rows in sheets(facts, snap, disclosure):
        sheet = book.create_sheet(name[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([ooxml.clean(v) if isinstance(v, str) else v for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for n, header in enumerate(headers, start=1):
            longest = max([len(str(header))] + [len(str(r[n - 1] or "")) for r in rows[:500]])
            sheet.column_dimensions[get_column_letter(n)].width = min(max(longest, 8), 60) + 2
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    committed = snap.committed.replace(tzinfo=None, microsecond=0)
    book.properties.creator = snap.settings.get("organisation.name") or "hrgov"
    book.properties.title = "Figures behind the Board briefing"
    book.properties.identifier = snap.sha
    book.properties.created = committed
    book.properties.modified = committed
    book.properties.lastModifiedBy = "hrgov"
    buffer = io.BytesIO()
    book.save(buffer)
    return ooxml.reproducible_zip(buffer.getvalue(), committed)


def workbook_path(path) -> Path:
    """``--workbook``'s path, checked before anything is built."""
    from hrgov.briefing.files import check_output

    return check_output(path, ".xlsx", "--workbook")
