"""``hrgov init`` and ``hrgov demo``: create a ledger."""

import shlex
from pathlib import Path

import typer

from ._output import progress, say

app = typer.Typer()


@app.command()
def init(
    ctx: typer.Context,
    directory: Path = typer.Argument(Path("."), help="Folder for the new ledger (new or empty)."),
    policy: str = typer.Option(
        "wikimedia-2021",
        "--policy",
        help="A shipped policy pack by name, or the path of your own pack (.toml).",
    ),
    org: str | None = typer.Option(
        None, "--org", help="Organisation name (default: the pack's organisation)."
    ),
) -> None:
    """Create a ledger: a git repository holding the policy pack's departments, instruments
    and commitments, in one first commit.

    Example:

      \b
      hrgov init hr-ledger --org "Example Foundation"

      \b
      hrgov init our-ledger --policy ./our-policy.toml
    """
    from hrgov import ledger
    from hrgov import policy as policies

    pack = policies.load(policy)
    created = ledger.init(directory, pack, organisation=org, author=ctx.obj.author)
    typer.echo(str(created.root))
    say(
        ctx,
        f"Created a ledger with {len(pack.records)} records from {pack.id}. "
        f"Next: cd {directory} && hrgov list commitments",
    )


@app.command()
def demo(
    ctx: typer.Context,
    directory: Path = typer.Argument(Path("demo-ledger"), help="Folder for the demo ledger."),
    serve: bool = typer.Option(
        True,
        "--serve/--no-serve",
        help="End by serving the demo's audit view until Ctrl-C; --no-serve builds everything "
        "and stops (for scripts).",
    ),
    port: int = typer.Option(8001, "--port", min=1, max=65535, help="Port of the audit view."),
) -> None:
    """Build a realistic sample ledger: the Wikimedia policy pack plus a year of Steering
    Committee meetings, decisions and milestones (some done, some slipped, some overdue);
    write its Board briefing beside it; then serve its audit view.

    Example:

      \b
      hrgov demo my-demo --no-serve && hrgov --ledger my-demo due
    """
    from datetime import timedelta

    from hrgov.briefing import write_brief
    from hrgov.demo import build_demo

    if serve:  # a port in use is said before a minute is spent building
        from hrgov.audit.serve import check_port

        check_port("127.0.0.1", port)
    created = build_demo(directory, progress=progress(ctx, "changes"))
    briefing = created.root.with_name(created.root.name + "-briefing.docx")
    write_brief(
        created.ledger,
        briefing,
        start=created.today - timedelta(days=365),
        end=created.today,
    )
    typer.echo(str(created.root))
    hrgov = _program()
    tries = [
        f"export HRGOV_LEDGER={shlex.quote(str(created.root.resolve()))}",
        f"{hrgov} list decisions",
        f"{hrgov} due --within 60",
        f"{hrgov} history {created.slipped_milestone}",
        f"{hrgov} show {created.superseded_decision} --at {created.before}",
        f"{hrgov} verify",
    ]
    if not serve:  # when serving, the demo holds the port: its address is printed below
        tries.append(f"{hrgov} audit --open")
    say(
        ctx,
        "\nDemo ledger ready. Try (in another terminal):\n"
        + "".join(f"  {line}\n" for line in tries)
        + f"\nThe Board briefing of the demo year: {briefing}",
    )
    if serve:
        from hrgov.audit.serve import serve_ledger

        def ready(url, bundle) -> None:
            say(ctx, f"\nThe auditor's view of the demo is at {url} (Ctrl-C stops it).")

        serve_ledger(created.ledger, port=port, on_ready=ready)
        say(ctx, "Stopped the audit view.")


def _program() -> str:
    """How to run this hrgov from any terminal: ``hrgov`` when that is it on the PATH, else
    its full path (``make demo`` runs it from the project's virtual environment)."""
    import shutil
    import sys

    own = Path(sys.executable).with_name("hrgov")
    found = shutil.which("hrgov")
    if found and own.exists() and Path(found).resolve() == own.resolve():
        return "hrgov"
    return shlex.quote(str(own)) if own.exists() else "hrgov"

