"""``hrgov seal --all`` and ``hrgov shred``: sealing restricted records, and destroying one."""

import typer

from ._output import say

app = typer.Typer()


@app.command()
def seal(
    ctx: typer.Context,
    all_: bool = typer.Option(..., "--all", help="Every restricted record written in clear."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the commit)."),
) -> None:
    """Seal the restricted records written in clear before the ledger had recipients (or by
    an older hrgov), in one commit. Their older versions stay in clear in the history.

    Example:

      \b
      hrgov seal --all --reason "the committee seals restricted records"
    """
    from hrgov import sealing

    tx, count = sealing.seal_all(ctx.obj.open_ledger(), author=ctx.obj.author, reason=reason)
    say(ctx, f"Committed {tx.commit[:10]} ({count} restricted records sealed).")
    say(ctx, "Their earlier versions are still in clear in older commits, on every clone and "
        "remote. Only rewriting the history removes them — a deliberate step for the "
        "committee, which every clone then sees as a rewrite (see README: Sealed records, "
        "'Removing plaintext from older commits').")


@app.command()
def shred(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="The restricted record."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the commit, in clear)."),
) -> None:
    """Make a restricted record's content unreadable in every copy of the history, without
    rewriting it: its outline stays (id, kind, status, dates, links; shredded on), its data keys
    are destroyed in this clone's key store, and each other clone's next sync destroys them
    there.

    Example:

      \b
      hrgov shred HRI-2026-0016 --reason "the volunteer asked us to erase it"
    """
    from hrgov import sealing

    tx, destroyed = sealing.shred(ctx.obj.open_ledger(), record_id, author=ctx.obj.author,
                                  reason=reason)
    say(ctx, f"Committed {tx.commit[:10]} ({record_id} shredded; {destroyed} data keys "
        "destroyed in this clone)")
