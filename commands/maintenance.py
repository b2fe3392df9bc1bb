"""``hrgov verify`` and ``hrgov rebuild``: checking and repairing the index."""


import typer

from ._output import progress, say

app = typer.Typer()


@app.command()
def verify(
    ctx: typer.Context,
    contains: str | None = typer.Option(
        None,
        "--contains",
        metavar="SHA",
        help="Only check that this commit (printed in a briefing's or report's footer) is in "
        "the ledger's history.",
    ),
) -> None:
    """Check the ledger: the index matches HEAD, every record file parses and validates,
    every commit in the history obeys the rule book (the same rules every hrgov command
    applies: original due dates never change, due dates move only by a slip with its reason,
    status moves follow the lifecycle, links resolve…), and records/ holds no uncommitted
    change. Prints each problem on its own line; exit 1 if any. A commit made with plain git
    that breaks no rule is a notice, not a problem.

    Example:

      \b
      hrgov verify && echo "ledger sound"

      \b
      hrgov verify --contains 8ee35deea9
    """
    from hrgov.ledger import contains as find
    from hrgov.ledger import verify as check

    ledger = ctx.obj.open_ledger()
    if contains is not None:
        typer.echo(describe(find(ledger, contains)))
        return
    verdict = check(ledger)
    for line in verdict.notices:
        typer.echo(f"notice: {line}")
    for line in verdict.failures:
        typer.echo(line)
    if verdict.failures:
        raise typer.Exit(1)
    count = len(verdict.notices)
    noted = f" ({count} notice{'s' * (count > 1)} above)" if count else ""
    say(ctx, f"ok: {ledger.root} is sound{noted}")


def describe(found: dict) -> str:
    """The lines ``verify --contains`` prints for what ``ledger.contains`` found."""
    lines = [
        f"ok: commit {found['commit'][:10]} is in this ledger's history "
        f"(HEAD {found['head'][:10]})",
        f"  {found['time'].replace('T', ' ').rstrip('Z')} UTC  {found['author']}",
        f"  {found['subject']}",
    ]
    if not found["made_by_hrgov"]:
        lines.append("  note: that commit was made outside hrgov (no Hrgov trailers)")
    return "\n".join(lines)


@app.command()
def rebuild(ctx: typer.Context) -> None:
    """Recreate the SQLite index from the git history (it is derived data: safe any time).

    Example:

      \b
      hrgov rebuild
    """
    ledger = ctx.obj.open_ledger()
    from hrgov import queries

    count = queries.count_records(ledger.rebuild(progress=progress(ctx, "commits replayed:")))
    say(ctx, f"\rRebuilt the index: {count} records.")
