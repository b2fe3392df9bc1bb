"""``hrgov sync|status|resolve|clone``: sharing a ledger through a git remote."""

import sys
from pathlib import Path

import typer

from ._output import FORMAT_OPTION, Format, emit_json, is_tty, say

app = typer.Typer()


def _transfer_report(ctx: typer.Context):
    """Progress of a fetch, push or clone, on a terminal only."""
    if (ctx.obj and ctx.obj.quiet) or not is_tty(sys.stderr):
        return None
    return lambda line: typer.echo(f"\r  {line:<60}", err=True, nl=False)


@app.command()
def sync(
    ctx: typer.Context,
    remote: str | None = typer.Argument(
        None, help="The remote to share with (default: the branch's, else origin)."
    ),
) -> None:
    """Share the ledger: fetch what others recorded, merge it record by record, check the
    result by the rule book, and send back what was recorded here — as one unit: the ledger
    ends on the merged commit, or exactly where it was.

    Ids others already have never change; a record logged here under an id someone else
    took meanwhile is renumbered, with every reference to it. A field set to two different
    values stops the sync before anything is committed: settle it with hrgov resolve, then
    run hrgov sync again.

    Example:

      \b
      hrgov sync

      \b
      hrgov sync origin && hrgov status
    """
    from hrgov.sync import SyncConflicts
    from hrgov.sync import sync as run_sync

    ledger = ctx.obj.open_ledger()
    report = _transfer_report(ctx)
    try:
        outcome = run_sync(ledger, remote, author=ctx.obj.author, report=report)
    except SyncConflicts as stop:
        if report:
            typer.echo("", err=True)
        for line in describe_conflicts(stop.conflicts):
            typer.echo(line)
        raise
    if report:
        typer.echo("", err=True)
    for old, new in sorted(outcome.renumbered.items()):
        say(ctx, f"renumbered {old} → {new} (that id was taken on {outcome.remote})")
    parts = []
    if outcome.received:
        parts.append(f"brought in {_count(outcome.received, 'record')}")
    if outcome.merge_commit:
        merged = len(outcome.merged)
        parts.append(f"merged {merged} record{'s' * (merged != 1)} changed on both sides"
                     if merged else "merged")
    if outcome.sent:
        parts.append(f"sent {_count(outcome.sent, 'record')}")
    say(ctx, f"Synced with {outcome.remote}: " + (", ".join(parts) or "already up to date"))


def describe_conflicts(conflicts: list[dict]) -> list[str]:
    """The lines that show each conflict: the field, both values and who set them."""
    import json

    def shown(value) -> str:
        return "(absent)" if value is None else json.dumps(value, ensure_ascii=False)

    lines = []
    for c in conflicts:
        lines.append(f"conflict: {c['record']} {c['field']}")
        lines.append(f"  here:  {shown(c['ours'])}" + (f"  (set by {c['ours_by']})"
                                                        if c.get("ours_by") else ""))
        lines.append(f"  there: {shown(c['theirs'])}" + (f"  (set by {c['theirs_by']})"
                                                          if c.get("theirs_by") else ""))
    return lines


@app.command()
def resolve(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="The record in conflict."),
    take: list[str] = typer.Option(
        ...,
        "--take",
        help="ours (this ledger's values), theirs (the remote's), or FIELD=VALUE for one "
        "field (FIELD=ours and FIELD=theirs too); repeat for several fields.",
    ),
    reason: str = typer.Option(
        ..., "--reason", help="Why it is settled this way (kept in the merge commit)."
    ),
) -> None:
    """Settle a conflict that stopped hrgov sync; the next hrgov sync applies it.

    Example:

      \b
      hrgov resolve MS-2026-0003 --take theirs --reason "Legal's date was agreed on 3 May"

      \b
      hrgov resolve MS-2026-0003 --take due=2026-09-30 --reason "Agreed at the June meeting"
    """
    from hrgov.sync import pending
    from hrgov.sync import resolve as settle

    ledger = ctx.obj.open_ledger()
    settle(ledger, record_id, take, reason)
    waiting = {c["record"] for c in pending(ledger)["conflicts"]}
    settled = set(pending(ledger)["resolutions"])
    left = sorted(waiting - settled)
    say(ctx, f"Settled {record_id}. " + (
        f"Still in conflict: {', '.join(left)}." if left else "Next: hrgov sync"
    ))


@app.command()
def status(
    ctx: typer.Context,
    fetch: bool = typer.Option(
        False, "--fetch", help="Fetch from the remote first (otherwise: as of the last sync)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """What is not yet shared: commits and records here that the remote lacks, and the
    other way round (as of the last sync, or --fetch), and any conflict waiting.

    Example:

      \b
      hrgov status

      \b
      hrgov status --fetch --format json
    """
    from hrgov.sync import sharing_status

    found = sharing_status(ctx.obj.open_ledger(), fetch=fetch, report=_transfer_report(ctx))
    if fmt is Format.json:
        emit_json(found)
        return
    if found["remote"] is None:
        typer.echo("Not shared: this ledger has no remote (add one: git remote add origin URL).")
        return
    typer.echo(f"On {found['branch']}, shared through {found['remote']} ({found['url']})")
    if not found["looked"]:
        typer.echo("  never synced from here: run hrgov sync (or hrgov status --fetch)")
    elif found["remote_head"] is None:
        typer.echo("  the remote has nothing yet: hrgov sync sends everything")
    else:
        ahead, behind = found["ahead"], found["behind"]
        typer.echo(f"  here, not yet there: {_count(ahead['commits'], 'commit')}, "
                   f"{_count(len(ahead['records']), 'record')}" + _some(ahead["records"]))
        typer.echo(f"  there, not yet here: {_count(behind['commits'], 'commit')}, "
                   f"{_count(len(behind['records']), 'record')}" + _some(behind["records"])
                   + ("" if fetch else "  (as of the last sync; --fetch to look now)"))
    if found["rewritten"]:
        typer.echo(f"  warning: {found['rewritten']}")
    for line in describe_conflicts(found["conflicts"]):
        typer.echo(line)
    if found["unfinished"]:
        typer.echo(f"  {found['unfinished']}")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' * (n != 1)}"


def _some(ids: list[str]) -> str:
    if not ids:
        return ""
    shown = ", ".join(ids[:5])
    return f" ({shown}{', …' if len(ids) > 5 else ''})"


@app.command()
def clone(
    ctx: typer.Context,
    address: str = typer.Argument(..., metavar="URL", help="Where the ledger is shared."),
    directory: Path = typer.Argument(..., help="A new folder for your copy."),
) -> None:
    """Make a working copy of a shared ledger: clone it, build its index, install the
    record-by-record merge for git, and check who you are.

    Example:

      \b
      hrgov clone git@git.example.org:hr/ledger.git hr-ledger

      \b
      hrgov clone shared/hr-ledger.git my-ledger
    """
    from hrgov.sync import clone as make_clone

    made, identity = make_clone(address, directory, report=_transfer_report(ctx))
    typer.echo(str(made.root))
    if identity is None:
        say(ctx, "Before recording anything, say who you are: set HRGOV_AUTHOR='Name <email>' "
                 "or git's user.name and user.email.")
    say(ctx, f"Next: cd {directory} && hrgov status")


@app.command("merge-driver", hidden=True)
def merge_driver(
    base: Path = typer.Argument(...),
    ours: Path = typer.Argument(...),
    theirs: Path = typer.Argument(...),
    path: str = typer.Argument("record"),
) -> None:
    """git's merge driver for records/**/*.json (installed by hrgov init and hrgov clone):
    the same record-by-record merge as hrgov sync."""
    from hrgov.merge_driver import merge_files

    problem = merge_files(base, ours, theirs, path)
    if problem:
        typer.echo(f"hrgov: {path}: {problem}", err=True)
        raise typer.Exit(1)
