"""``hrgov list|show|history|due``: reading the ledger."""

import typer

from ._output import FORMAT_OPTION, Format, emit_record, emit_rows, options_typed, say

app = typer.Typer()

AT_OPTION = typer.Option(
    None,
    "--at",
    help="As the ledger said then: a date (end of that day, UTC) or a git revision.",
)

# What the human table shows per kind; --format json/csv always give every field.
LIST_COLUMNS = {
    "departments": ("id", "name", "lead_role", "active"),
    "instruments": ("id", "short_name", "instrument_type", "title"),
    "commitments": ("id", "title", "owner", "status", "section"),
    "meetings": ("id", "date", "body", "attendees"),
    "decisions": ("id", "date", "status", "title", "owner", "commitments"),
    "milestones": ("id", "due", "status", "title", "commitment", "owner", "slipped"),
    "categories": ("id", "name", "subcategories"),
    "issues": ("id", "reported", "status", "category", "impact", "likelihood", "salient",
               "summary"),
    "assessments": ("id", "status", "phase", "subject", "title", "next_due"),
    "grievances": ("id", "received", "stage", "channel", "acknowledged", "closed", "outcome"),
    "remedies": ("id", "remedy_type", "grievance", "issue", "delivered_on", "verified"),
    "engagements": ("id", "date", "stakeholders", "method", "title", "categories"),
    "indicators": ("id", "title", "unit", "baseline", "target", "target_by", "category"),
}


def _with_slips(record: dict) -> dict:
    slips = record.get("slips", [])
    return {**record, "slipped": f"{len(slips)}×" if slips else ""}


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: str = typer.Argument(
        ...,
        metavar="KIND",
        help="departments, instruments, commitments, meetings, decisions, milestones, "
        "categories, issues, assessments, grievances or remedies.",
    ),
    status: str | None = typer.Option(None, "--status", help="Only records with this status."),
    owner: str | None = typer.Option(
        None, "--owner", help="Only records owned by this department."
    ),
    withdrawn: bool = typer.Option(
        False, "--withdrawn", help="Also list records withdrawn as logged by mistake."
    ),
    commitment: str | None = typer.Option(
        None, "--commitment", help="Only records serving this commitment."
    ),
    since: str | None = typer.Option(
        None, "--since", help="Only records recorded or changed on this day (UTC) or later."
    ),
    at: str | None = AT_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List the records of one kind, now or as they were at a date or commit.

    Example:

      \b
      hrgov list commitments --owner legal

      \b
      hrgov list milestones --status blocked --format json

      \b
      hrgov list decisions --at 2026-03-31

      \b
      hrgov list milestones --commitment ongoing-hrdd --since 2026-01-01
    """
    from hrgov import queries
    from hrgov.model import kind_named, parse_date
    from hrgov.snapshot import snapshot

    plural = kind_named(kind).plural
    day = parse_date(since, "since") if since is not None else None
    with options_typed(as_of="--at"), snapshot(ctx.obj.open_ledger(), at, withhold=True) as snap:
        found = queries.list_records(snap.conn, plural, status=status, owner=owner,
                                     commitment=commitment, since=day, withdrawn=withdrawn)
    emit_rows(
        [_with_slips(r) for r in found],
        (*LIST_COLUMNS[plural], "withdrawn") if withdrawn else LIST_COLUMNS[plural],
        fmt,
        records=found,
        empty=f"no {plural} match",
    )


@app.command()
def show(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Any record's id."),
    at: str | None = AT_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show one record, now or as it was at a date or commit. A commitment is shown with
    who owned it when, the decisions serving it and its milestones (--format json and csv
    give the record alone).

    Example:

      \b
      hrgov show MS-2026-0003

      \b
      hrgov show MS-2026-0003 --at 2026-03-31

      \b
      hrgov show ongoing-hrdd
    """
    with options_typed(as_of="--at"):
        record = ctx.obj.open_ledger().record(record_id, at=at)
        if fmt is Format.table and record["kind"] == "commitment":
            from .find import show_commitment

            show_commitment(ctx, record_id, at)
            return
    emit_record(record, fmt)


@app.command()
def history(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Any record's id."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every version of a record: commit, date, author, reason and each field's old → new.

    Example:

      \b
      hrgov history MS-2026-0003

      \b
      hrgov history periodic-hria --format json
    """
    ledger = ctx.obj.open_ledger()
    versions = ledger.versions(record_id)
    moves = ledger.renumberings(record_id)
    rows = [
        {
            "commit": v["commit"][:10],
            "time": v["time"].replace("T", " ").rstrip("Z"),
            "author": v["author"],
            "what": v["subject"],
            "changes": _describe(v),
            "reason": v["reason"] or "",
        }
        for v in versions
    ]
    for v, row in zip(versions, rows, strict=True):
        if "renumbered_from" in v:
            row["changes"] = f"renumbered from {v['renumbered_from']} (the id was taken); " \
                + row["changes"]
        for side in v.get("merged_from", []):
            row["what"] += f"\n← {side['subject']} ({side['author'].split(' <')[0]}, " \
                f"{side['time'][:10]})"
    signed = any(v.get("signed_by") for v in versions)
    if signed:  # a ledger that signs: who signed each change (blank: unsigned or unknown key)
        for v, row in zip(versions, rows, strict=True):
            row["signed_by"] = v.get("signed_by") or ""
    for move in moves:
        if move["from"] == record_id:  # another record, logged under this id elsewhere
            say(ctx, f"note: another record, logged as {record_id} before it was shared, is "
                     f"now {move['to']} (renumbered by sync {move['commit'][:10]} on "
                     f"{move['time'][:10]}: the id was taken)")
    if fmt is Format.table:
        from tabulate import tabulate

        columns = ("commit", "time", "author", "what", "changes", "reason")
        widths = [None, None, 28, 36, 60, 40]
        if signed:
            columns, widths = (*columns, "signed_by"), [*widths, 28]
        table = [[r[c] for c in columns] for r in rows]
        headers = [c.replace("_", " ") for c in columns]
        typer.echo(tabulate(table, headers=headers, tablefmt="simple", maxcolwidths=widths))
        return
    emit_rows(rows, list(rows[0]) if rows else [], fmt, records=versions)


def _describe(version: dict) -> str:
    if version["deleted"]:
        return "deleted"
    if version["version"] == 1:
        return "created"
    lines = []
    for change in version["changes"]:
        if change["field"] == "slips":
            continue  # the due-date change already says it, with the reason
        lines.append(f"{change['field']}: {_short(change['old'])} → {_short(change['new'])}")
    return "\n".join(lines)


def _short(value) -> str:
    if value is None:
        return "—"
    text = ", ".join(value) if isinstance(value, list) and all(
        isinstance(v, str) for v in value
    ) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


@app.command()
def due(
    ctx: typer.Context,
    within: int = typer.Option(30, "--within", help="Include milestones due within DAYS."),
    overdue: bool = typer.Option(False, "--overdue", help="Only milestones already overdue."),
    owner: str | None = typer.Option(None, "--owner", help="Only this department's milestones."),
    at: str | None = typer.Option(
        None,
        "--at",
        help="As things stood at the end of that day (UTC): what was overdue or due then.",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Open milestones that are overdue or fall due soon, earliest first.

    Example:

      \b
      hrgov due --within 60 --owner legal

      \b
      hrgov due --overdue --format csv > overdue.csv

      \b
      hrgov due --overdue --at 2026-06-30
    """
    from datetime import date

    from hrgov import queries
    from hrgov.snapshot import snapshot

    with options_typed(as_of="--at"), snapshot(ctx.obj.open_ledger(), at, withhold=True) as snap:
        today = snap.day or date.today()
        found = queries.due(snap.conn, today, within=within, overdue_only=overdue, owner=owner)
    rows = []
    for record in found:
        days = (date.fromisoformat(record["due"]) - today).days
        when = f"{-days} days late" if days < 0 else ("today" if days == 0 else f"in {days} days")
        rows.append({**_with_slips(record), "when": when})
    emit_rows(
        rows,
        ("id", "due", "when", "status", "title", "owner", "commitment", "slipped"),
        fmt,
        records=found,
        empty="nothing overdue or due soon",
    )
