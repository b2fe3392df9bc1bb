"""``hrgov audit``: the auditor's read-only view of the ledger, in Datasette."""

from pathlib import Path

import typer

from hrgov.errors import InvalidInput

from ._output import options_typed, say

app = typer.Typer()


@app.command()
def audit(
    ctx: typer.Context,
    port: int = typer.Option(8001, "--port", min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on. Any address beyond this machine needs authentication: "
        "HRGOV_AUDIT_PASSWORD_HASH (from: datasette hash-password), user HRGOV_AUDIT_USER "
        "(default auditor).",
    ),
    at: str | None = typer.Option(
        None,
        "--at",
        help="The ledger as it was then: a date (end of that day, UTC) or a git revision.",
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="The same as --at."),
    include_internal: bool = typer.Option(
        True,
        "--include-internal/--public-only",
        help="Show internal and public records (default), or public records only. Restricted "
        "records are never in the audit view.",
    ),
    open_browser: bool = typer.Option(False, "--open", help="Open the view in a web browser."),
    build: Path | None = typer.Option(
        None,
        "--build",
        metavar="DIR",
        help="Write the audit database and its Datasette metadata to DIR and stop, for "
        "hand-off or datasette publish (serve it with: datasette serve DIR).",
    ),
) -> None:
    """Browse the ledger read-only in Datasette: every record, commit and version, with
    descriptions, audit queries and views. Restricted records are left out of the audit copy
    altogether, so nothing in the view can reach them. Ctrl-C stops the server.

    Example:

      \b
      hrgov audit --open

      \b
      hrgov audit --at 2026-03-31 --public-only --port 8002

      \b
      hrgov audit --build audit-2026 && datasette serve audit-2026
    """
    import os

    from hrgov.audit import write_bundle
    from hrgov.audit.serve import authentication, serve_ledger, stopping_on_sigterm

    if at is not None and as_of is not None:
        raise InvalidInput("give --at or --as-of (they mean the same), not both")
    typed = options_typed(as_of="--at" if as_of is None else "--as-of")
    at = at if as_of is None else as_of
    ledger = ctx.obj.open_ledger()
    if build is None:

        def ready(url: str, bundle) -> None:
            typer.echo(url)
            say(ctx, f"Audit view of {describe(bundle, include_internal)} at {url} "
                "— Ctrl-C stops it.")
            if open_browser:
                import webbrowser

                webbrowser.open(url)

        with typed:
            serve_ledger(
                ledger, host=host, port=port, at=at, include_internal=include_internal,
                on_ready=ready,
            )
        say(ctx, "Stopped the audit view.")
        return
    auth = authentication(os.environ)
    with typed, stopping_on_sigterm():
        bundle = write_bundle(ledger, build, at=at, include_internal=include_internal,
                              auth=auth)
    typer.echo(str(bundle.folder))
    say(ctx, f"Wrote the audit view of {describe(bundle, include_internal)} to "
        f"{bundle.folder}. Serve it with: datasette serve {bundle.folder}")


def describe(bundle, include_internal: bool) -> str:
    """``commit 3f2a9c1e0b7d (124 records, 2 restricted left out)``."""
    left_out = "restricted" if include_internal else "non-public"
    signing_in = f", signing in as {bundle.signed_in_as}" if bundle.signed_in_as else ""
    return (
        f"commit {bundle.head[:12]} ({bundle.records} records, {bundle.withheld} {left_out} "
        f"left out{signing_in})"
    )
