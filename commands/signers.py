"""``hrgov signers list|add|remove|require``: who may sign, and what must be signed."""

from pathlib import Path

import typer

from ._output import FORMAT_OPTION, Format, emit_rows, examples, say

app = typer.Typer(
    no_args_is_help=True,
    help="Manage the committee's signing keys.",
    epilog=examples("hrgov signers list --format json"),
)

REASON = typer.Option(None, "--reason", help="Why (kept in the commit).")


@app.command("list")
def list_(ctx: typer.Context, fmt: Format = FORMAT_OPTION) -> None:
    """The signers in the ledger's allowed_signers, and what must be signed.

    Example:

      \b
      hrgov signers list
    """
    from hrgov import signing

    ledger = ctx.obj.open_ledger()
    mode = ledger.settings().get(signing.SETTING, "") or "none"
    rows = [{"principal": p, "key": k[:24] + "…"} for p, k in signing.signers(ledger.root)]
    say(ctx, f"{signing.SETTING} = {mode}")
    emit_rows(rows, ["principal", "key"], fmt)


@app.command()
def add(
    ctx: typer.Context,
    principal: str = typer.Argument(..., help="Who signs, e.g. alice@example.org."),
    key: Path = typer.Option(..., "--key", help="Their SSH public key file (.pub)."),
    reason: str | None = REASON,
) -> None:
    """Add a signer. Once the ledger has signers, only one of them can add another (the
    change is signed with your key: git's user.signingKey or HRGOV_SIGNING_KEY).

    Example:

      \b
      hrgov signers add alice@example.org --key alice.pub
    """
    from hrgov import signing
    from hrgov.errors import InvalidInput

    try:
        text = key.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"key {key} cannot be read ({error})", field="key") from None
    tx = signing.change_signers(ctx.obj.open_ledger(), add=(principal, text),
                                author=ctx.obj.author, reason=reason)
    say(ctx, f"Committed {tx.commit[:10]} ({principal} may sign)")


@app.command()
def remove(
    ctx: typer.Context,
    principal: str = typer.Argument(..., help="The signer to remove."),
    reason: str | None = REASON,
) -> None:
    """Remove a signer (signed by a remaining or departing signer's key).

    Example:

      \b
      hrgov signers remove alice@example.org --reason "left the committee"
    """
    from hrgov import signing

    tx = signing.change_signers(ctx.obj.open_ledger(), remove=principal,
                                author=ctx.obj.author, reason=reason)
    say(ctx, f"Committed {tx.commit[:10]} ({principal} removed)")


@app.command()
def require(
    ctx: typer.Context,
    what: str = typer.Argument(..., metavar="WHAT", help="none, decisions or all."),
    reason: str | None = REASON,
) -> None:
    """Set which changes must be signed (ledger.sign in hrgov.toml).

    Example:

      \b
      hrgov signers require decisions
    """
    from hrgov import signing

    tx = signing.set_mode(ctx.obj.open_ledger(), what, author=ctx.obj.author, reason=reason)
    say(ctx, f"Committed {tx.commit[:10]} (ledger.sign = {what})")
