"""The public progress report: what the organisation has marked ``public``, and nothing else.

The policy commits the organisation to "track and publicly report" its efforts. This report is
built only from records whose sensitivity is ``public``: internal and restricted records are
not named, quoted or counted, and no person's name appears (meeting attendees and commit
authors are left out; departments are named by their department name only)::

    write_report(ledger, Path("progress-2026.html"), start="2026-01-01", end="2026-12-31")
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hrgov.briefing.blocks import Doc, to_html, to_markdown
from hrgov.briefing.data import (
    BODIES,
    STATE_LABELS,
    Facts,
    Period,
    long_date,
    open_snapshot,
    period_between,
    plural,
    short_date,
)
from hrgov.briefing.files import check_output, write_atomically
from hrgov.briefing.sections.delivery import state_label
from hrgov.model import HEALTH_RULE, HEALTH_STATES

FORMATS = (".md", ".html")


def public_only(facts: Facts) -> Facts:
    """The same facts restricted to public records (links to anything else are dropped when
    shown)."""

    def public(records):
        return [r for r in records if r.get("sensitivity") == "public"]

    return Facts(
        period=facts.period,
        day=facts.day,
        departments={k: v for k, v in facts.departments.items() if v.get("sensitivity") ==
                     "public"},
        instruments={k: v for k, v in facts.instruments.items()
                     if v.get("sensitivity") == "public"},
        commitments=public(facts.commitments),
        decisions=public(facts.decisions),
        meetings=public(facts.meetings),
        milestones=public(facts.milestones),
        # The taxonomy is the published policy pack's: its names may be shown unless a
        # category itself is restricted. Only public issues are counted.
        categories={k: v for k, v in facts.categories.items()
                    if v.get("sensitivity") != "restricted"},
        issues=public(facts.issues),
        # The register began with its first issue, public or not: a quarter with no public
        # issue after that is a zero, not "before the register".
        register_start=facts.register_began,
    )


def data_began(facts: Facts) -> date | None:
    """The first day the ledger's records speak of (a meeting, decision, milestone, issue or
    grievance; restricted ones left out): nothing before it is covered."""
    days = [r.get(name) for records, name in (
        (facts.meetings, "date"), (facts.decisions, "date"), (facts.issues, "reported"),
        (facts.grievances, "received"))
        for r in records if r.get("sensitivity") != "restricted"]
    days += [m.get("original_due") for m in facts.milestones
             if m.get("sensitivity") != "restricted"]
    days = [d for d in days if d]
    return date.fromisoformat(min(days)) if days else None


def build_report(facts: Facts, *, organisation: str, sha: str, generated: date,
                 began: date | None = None) -> Doc:
    """The report's blocks, from ``facts`` already limited to public records; ``began`` is
    the first day the ledger's data covers (``data_began`` of all the facts)."""
    period = facts.period
    doc = Doc(f"{organisation}: human rights progress report, {period.name}")
    doc.para(
        f"This report covers {period.label}. It lists the work on {organisation}'s Human Rights "
        "Policy that the organisation has chosen to publish: decisions, milestones and "
        f"commitments marked public in its governance ledger. States are as at "
        f"{long_date(facts.day)}."
    )
    if began is None:
        doc.para("The governance ledger holds no dated record yet, so this report has no data "
                 "to give.")
    elif began > period.start:
        doc.para(f"The ledger's data begins on {long_date(began)}: the period before then "
                 "is not covered, so figures for the whole period understate it.")
    else:
        doc.para(f"The ledger's data begins on {long_date(began)}, before the period: the "
                 "whole period is covered.")
    public_commitments = {c["id"]: c for c in facts.commitments}

    def department(department_id):
        record = facts.departments.get(department_id or "")
        return record.get("name", "") if record else ""

    doc.heading("Decisions")
    decisions = facts.decisions_taken
    if not decisions:
        doc.para("No public decision was taken in the period.")
    else:
        rows = []
        for d in decisions:
            served = [public_commitments[c]["title"] for c in d.get("commitments") or ()
                      if c in public_commitments]
            rows.append([short_date(d["date"]), d["title"], d["status"].capitalize(),
                         "; ".join(served) or "\u2013", department(d.get("owner")) or "\u2013"])
        doc.table(*_without_empty(["Date", "Decision", "Status", "Commitments", "Department"],
                                  rows))
        texts = [d for d in decisions if d.get("text")]
        for d in texts:
            doc.heading(d["title"], 3)
            doc.para(d["text"])
    doc.heading("Milestones")
    milestones = facts.tracked_milestones
    if not milestones:
        doc.para("No public milestone falls in the period.")
    else:
        done = sum(1 for m in milestones if facts.state(m) == "done")
        overdue = sum(1 for m in milestones if facts.state(m) == "overdue")
        doc.para(
            f"{plural(len(milestones), 'public milestone')}: {done} done, {overdue} overdue at "
            f"{long_date(facts.day)}."
        )
        rows = []
        for m in sorted(milestones, key=lambda m: (m["due"], m["id"])):
            state = STATE_LABELS.get(facts.state(m), m["status"])
            if m["status"] == "done" and m.get("done_on"):
                state += f" {short_date(m['done_on'])}"
            moved = len(m.get("slips") or ())
            due = short_date(m["due"]) + (f" (first due {short_date(m['original_due'])})"
                                          if moved else "")
            rows.append([m["title"], department(m.get("owner")) or "\u2013", due, state,
                         "; ".join(m.get("evidence") or ()) or "\u2013"])
        doc.table(*_without_empty(["Milestone", "Department", "Due", "State", "Evidence"], rows))
        slips = facts.slips_in_period
        if slips:
            doc.heading("Due dates moved, and why", 3)
            doc.table(
                ["Milestone", "Moved on", "From", "To", "Reason"],
                [[m["title"], short_date(s["on"]), short_date(s["from"]), short_date(s["to"]),
                  s.get("reason") or "\u2013"] for m, s in slips],
            )
    doc.heading("Commitments")
    if not facts.active_commitments:
        doc.para("No commitment is marked public in the ledger.")
    else:
        counts = facts.health_counts()
        doc.para(", ".join(f"{counts[s]} {state_label(s).lower()}" for s in HEALTH_STATES
                           if counts[s]) + ".")
        doc.table(
            ["Commitment", "Policy section", "State"],
            [[c["title"], c.get("section") or "\u2013", state_label(facts.health[c["id"]])]
             for c in facts.active_commitments],
        )
        doc.para(HEALTH_RULE, small=True)
    _issue_trends(doc, facts)
    if facts.meetings_held:
        held = {}
        for m in facts.meetings_held:
            held[m["body"]] = held.get(m["body"], 0) + 1
        doc.heading("Meetings")
        doc.para("Public meetings in the period: " + ", ".join(
            f"{BODIES.get(b, b)} {plural(n, 'time')}" for b, n in held.items()) + ".")
    doc.heading("About this report")
    doc.para(
        f"Built by hrgov on {long_date(generated)} from ledger commit {sha[:10]}. Anyone with "
        f"a copy of the ledger can check that commit with: hrgov verify --contains {sha[:10]}",
        small=True,
    )
    return doc


def _issue_trends(doc: Doc, facts: Facts) -> None:
    """Counts of public issues per category and quarter: aggregate figures, no issue
    described."""
    doc.heading("Trends in types of human-rights issues")
    issues = facts.issues_reported
    if not issues:
        doc.para("No issue marked public was reported in the period. This section counts only "
                 "the issues the organisation has marked public in its register; others are "
                 "not counted.")
        return
    quarters, rows = facts.issue_trends()
    doc.para(
        f"{plural(len(issues), 'issue')} marked public {'was' if len(issues) == 1 else 'were'} "
        "reported in the period. The counts below include only issues the organisation has "
        "marked public in its issues register: internal and restricted issues are not counted, "
        "so they understate the issues the organisation deals with. No issue is described."
    )
    if facts.register_began:
        doc.para(f"The issues register's data begins on {long_date(facts.register_began)}; "
                 f"figures are as at {long_date(facts.day)}. A dash marks a quarter not yet "
                 "reached, or before the register began.")

    def shown(n):
        return "\u2013" if n is None else str(n)

    table_rows = [
        [facts.category_name(category), *(shown(n) for n in counts), str(total)]
        for category, counts, total, _ in rows
        if total
    ]
    sums = [None if reach not in ("full", "partial") else sum(r[1][q] for r in rows)
            for q, (_, reach) in enumerate(quarters)]
    table_rows.append(["All categories", *(shown(n) for n in sums), str(len(issues))])
    doc.table(["Category", *(label for label, _ in quarters), "Period"], table_rows)


def _without_empty(headers: list[str], rows: list[list[str]]):
    """Drop the columns in which no row has anything to say (e.g. departments, when none is
    public)."""
    keep = [i for i in range(len(headers)) if any(row[i] not in ("", "\u2013") for row in rows)]
    return [headers[i] for i in keep], [[row[i] for i in keep] for row in rows]


def write_report(
    ledger,
    out_path: Path,
    *,
    start: date | str,
    end: date | str,
    as_of: str | None = None,
    today: date | None = None,
    year: int | None = None,
) -> dict:
    """Write the public progress report for ``start``–``end`` to ``out_path`` (.md or .html),
    from the ledger as of ``as_of`` (default HEAD). Only public records are used."""
    out_path = check_output(out_path, FORMATS)
    base = period_between(str(start), str(end))
    period = Period(base.start, base.end, year=year)
    with open_snapshot(ledger, as_of, today=today) as snap:
        everything = Facts.load(snap.conn, period, snap.day)
        facts = public_only(everything)
        organisation = snap.settings.get("organisation.name") or "The organisation"
        doc = build_report(facts, organisation=organisation, sha=snap.sha,
                           generated=snap.generated, began=data_began(everything))
    text = to_html(doc) if out_path.suffix.lower() == ".html" else to_markdown(doc)
    write_atomically(out_path, text.encode("utf-8"))
    return {"path": str(out_path), "commit": snap.sha, "records": {
        "decisions": len(facts.decisions_taken), "milestones": len(facts.tracked_milestones),
        "commitments": len(facts.active_commitments),
        "issues": len(facts.issues_reported)}}
