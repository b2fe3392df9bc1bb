"""``hrgov recipients list|add|remove``: who can read the ledger's sealed restricted records."""

from pathlib import Path

import typer

from ._output import FORMAT_OPTION, Format, emit_rows, examples, say

app = typer.Typer(
    no_args_is_help=True,
    help="Manage the keys restricted records are sealed to (the ledger's recipients).",
    epilog=examples("hrgov recipients list --format json"),
)

REASON = typer.Option(None, "--reason", help="Why (kept in the commit).")
KEY = typer.Argument(..., help="An age public key (age1…), or an SSH public key file (.pub) "
                     "or its text.")


def _key_text(key: str) -> str:
    """A key given as its text, or as the path of a ``.pub`` file."""
    path = Path(key).expanduser()
    if not key.startswith(("age1", "ssh-")) and path.is_file():
        from hrgov.errors import InvalidInput

        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(f"key {key} cannot be read ({error})", field="key") from None
    return key


@app.command("list")
def list_(ctx: typer.Context, fmt: Format = FORMAT_OPTION) -> None:
    """The keys restricted records are sealed to, one a row.

    Example:

      \b
      hrgov recipients list
    """
    from hrgov import sealing

    ledger = ctx.obj.open_ledger()
    emit_rows([{"key": key} for key in sealing.recipients(ledger.root)], ["key"], fmt)


@app.command()
def add(
    ctx: typer.Context,
    key: str = KEY,
    label: str | None = typer.Option(None, "--label", help="Whose key, kept as a comment."),
    reason: str | None = REASON,
) -> None:
    """Add a recipient: they can read every sealed record once they hold the ledger's key
    store. Only a recipient can add another (your key: HRGOV_IDENTITY or git's
    hrgov.identity); anyone may add the first.

    Example:

      \b
      hrgov recipients add ~/alice.pub --label alice --reason "the committee's secretary"
      hrgov recipients add age1sxwhp8mvhkzrz9hzwffhgww36ctqdqfthh7e67jf5d2m6dzcgeks3wsxd6 \\
        --label bob --reason "joined the committee"
    """
    from hrgov import sealing

    ledger = ctx.obj.open_ledger()
    first = not sealing.sealing_on(ledger.root)
    tx, stuck = sealing.change_recipients(ledger, add=_key_text(key), label=label,
                                          author=ctx.obj.author, reason=reason)
    say(ctx, f"Committed {tx.commit[:10]} (recipient added)")
    if first:
        say(ctx, "Restricted records are sealed from now on; seal the ones written before "
            "with: hrgov seal --all")
    _stuck(ctx, stuck)


@app.command()
def remove(
    ctx: typer.Context,
    key: str = KEY,
    reason: str | None = REASON,
) -> None:
    """Remove a recipient: every live restricted record is sealed anew, with fresh keys, to
    the recipients left. Older versions in the history stay sealed as they were: the key
    removed could open them, and whoever held it may have kept copies.

    Example:

      \b
      hrgov recipients remove \\
        age1sxwhp8mvhkzrz9hzwffhgww36ctqdqfthh7e67jf5d2m6dzcgeks3wsxd6 \\
        --reason "left the committee"
    """
    from hrgov import sealing

    tx, stuck = sealing.change_recipients(ctx.obj.open_ledger(), remove=_key_text(key),
                                          author=ctx.obj.author, reason=reason)
    say(ctx, f"Committed {tx.commit[:10]} (recipient removed; {len(tx.written)} restricted "
        "records sealed anew; older versions in the history keep their old seal)")
    _stuck(ctx, stuck)


def _stuck(ctx: typer.Context, stuck: list[str]) -> None:
    if stuck:
        say(ctx, f"Note: {len(stuck)} data keys in this clone's key store were not sealed to "
            "you and were left as they were")
