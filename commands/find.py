"""``hrgov search|changes``: finding words anywhere and what changed since a day or commit."""

import typer

from ._output import FORMAT_OPTION, Format, emit_rows

app = typer.Typer()


@app.command()
def search(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., metavar="TEXT...", help="The words to look for."),
    limit: int = typer.Option(50, "--limit", help="Show at most this many records."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Find the records whose titles and texts hold every word, best match first.

    Words are matched whole and by their stem ("screening" finds "screened"); end one with *
    to match every word it begins ("assess*"). Punctuation and quotes are searched for as
    typed. A restricted record is named by its id only: open it with hrgov show ID.

    Example:

      \b
      hrgov search screening

      \b
      hrgov search "content moderation" --format json

      \b
      hrgov search "assess*" --limit 10
    """
    from hrgov.finding import search as find

    hits = find(ctx.obj.open_ledger(), " ".join(words), limit=limit)
    emit_rows(
        hits,
        ("id", "kind", "sensitivity", "title", "snippet"),
        fmt,
        empty="no record holds every one of those words",
        width=70,
    )


@app.command()
def changes(
    ctx: typer.Context,
    since: str = typer.Option(
        ...,
        "--since",
        help="From this day on (UTC), or after this commit (a git revision).",
    ),
    until: str | None = typer.Option(
        None,
        "--until",
        help="Up to the end of this day (UTC), or up to this commit included (default: now).",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """What changed, by whom and why: every record version made in a period, oldest first.

    A restricted record's change is listed (when, by whom, which record) without its
    values or reason.

    Example:

      \b
      hrgov changes --since 2026-03-01

      \b
      hrgov changes --since 2026-01-01 --until 2026-03-31 --format csv > q1.csv

      \b
      hrgov changes --since HEAD~5
    """
    from hrgov.finding import WITHHELD
    from hrgov.finding import changes as changed

    from .read import _describe

    found = changed(ctx.obj.open_ledger(), since, until)
    rows = [
        {
            "time": v["time"].replace("T", " ").rstrip("Z"),
            "commit": v["commit"][:10],
            "author": v["author"],
            "record": v["id"],
            "what": v["subject"],
            "changes": WITHHELD if v["withheld"] else _describe(v),
            "reason": v["reason"] or "",
        }
        for v in found
    ]
    columns = ("time", "commit", "author", "record", "what", "changes", "reason")
    if fmt is Format.table:
        if not rows:
            typer.echo("nothing changed in that period", err=True)
            return
        from tabulate import tabulate

        table = [[row[c] for c in columns] for row in rows]
        typer.echo(tabulate(table, headers=list(columns), tablefmt="simple",
                            maxcolwidths=[None, None, 28, None, 36, 50, 36]))
        return
    emit_rows(rows, columns, fmt, records=found if fmt is Format.json else None)


def show_commitment(ctx: typer.Context, commitment_id: str, at: str | None) -> None:
    """``hrgov show COMMITMENT-ID`` for people: the record, then who owned it when, the
    decisions serving it and its milestones."""
    from hrgov.finding import commitment_view

    from ._output import emit_record

    view = commitment_view(ctx.obj.open_ledger(), commitment_id, at)
    emit_record(view["commitment"], Format.table)
    owners = [
        {**o, "commit": o["commit"][:10], "reason": o["reason"] or ""} for o in view["owners"]
    ]
    sections = (
        ("Owners", owners, ("since", "owner", "author", "commit", "reason"), "no owner yet"),
        ("Decisions", view["decisions"], ("id", "date", "status", "title", "owner"),
         "no decision serves it"),
        ("Milestones", view["milestones"], ("id", "due", "status", "title", "owner"),
         "no milestone: no plan"),
    )
    for heading, rows, columns, empty in sections:
        typer.echo(f"\n{heading}:")
        if rows:
            emit_rows(rows, columns, Format.table)
        else:
            typer.echo(f"  {empty}")
