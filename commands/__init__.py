"""The ``hrgov`` command line: a thin shell over the ``hrgov`` library.

Each command group is a module with its own ``typer.Typer``; this module assembles them, holds
the global options and turns every error a user can cause into one line and an exit code.
"""

import contextlib
import os
import sys
from pathlib import Path

import typer

from hrgov import __version__
from hrgov.errors import HrgovError

from . import (
    _output,
    approval,
    audit,
    brief,
    calendar,
    commitment,
    completion,
    correct,
    decision,
    department,
    disclose,
    engagement,
    find,
    importing,
    indicator,
    init,
    log,
    maintenance,
    milestone,
    read,
    recipients,
    register,
    remind,
    seal,
    sharing,
    signers,
)

EPILOG = """Examples:

\b
  hrgov init hr-ledger --org "Example Foundation"
  hrgov log decision "Adopt screening" --date 2026-03-04 --commitment ongoing-hrdd
  hrgov due --within 30

Exit codes: 0 success, 1 the ledger or environment prevents the command, 2 wrong input.
"""

app = typer.Typer(
    name="hrgov",
    help="Keep an organisation accountable to its human-rights policy: a git-versioned ledger "
    "of Steering Committee decisions, commitment owners and milestones.",
    epilog=EPILOG,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # our variables can hold sensitive case data
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)


class State:
    """The global options, handed to every command through the typer context."""

    def __init__(self, ledger: Path | None, author: str | None, quiet: bool):
        self.ledger = ledger
        self.author = author
        self.quiet = quiet

    def open_ledger(self):
        from hrgov.ledger import Ledger

        found = Ledger.find(self.ledger)
        busy = found.unfinished()
        if busy:
            typer.echo(f"hrgov: warning: {busy}; until then the ledger shows this branch "
                       "only", err=True)
        return found


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hrgov {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    ledger: Path | None = typer.Option(
        None,
        "--ledger",
        "-L",
        envvar="HRGOV_LEDGER",
        help="The ledger folder (default: $HRGOV_LEDGER, else the nearest folder upwards "
        "holding hrgov.toml).",
        show_default=False,
    ),
    author: str | None = typer.Option(
        None,
        "--as",
        envvar="HRGOV_AUTHOR",
        help="Who is acting, as 'Name <email>' (default: $HRGOV_AUTHOR, else git's user).",
        show_default=False,
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Say nothing about what changed."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    ctx.obj = State(ledger=ledger, author=author, quiet=quiet)


# The recipients come before sealing and shredding (the help examples run in this order).
app.add_typer(recipients.app, name="recipients")
for module in (init, read, correct, find, maintenance, brief, disclose, calendar, remind, audit,
               sharing, approval, completion, seal):
    app.add_typer(module.app)
app.add_typer(importing.app)
app.add_typer(log.app, name="log")
app.add_typer(decision.app, name="decision")
app.add_typer(milestone.app, name="milestone")
app.add_typer(commitment.app, name="commitment")
app.add_typer(department.app, name="department")
app.add_typer(signers.app, name="signers")
app.add_typer(register.issue, name="issue")
app.add_typer(register.assessment, name="assessment")
app.add_typer(register.grievance, name="grievance")
app.add_typer(register.remedy, name="remedy")
log.app.command("engagement")(engagement.log_engagement)
app.add_typer(engagement.app, name="engagement")
app.add_typer(indicator.app, name="indicator")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every error a user can cause becomes ``hrgov: error: …``."""
    if completion.COMPLETE_VAR in os.environ:  # a shell asks what to complete (see completion)
        completion.prepare()
    try:
        result = app(args=argv, prog_name="hrgov", standalone_mode=False)
    except HrgovError as error:
        option = _options_of(argv).get(error.field) if error.field else None
        _output.error(error.worded(option) if option else str(error))
        return _exit(error.exit_code)
    except KeyboardInterrupt:
        _output.error("interrupted; nothing was changed unless a commit was reported")
        return _exit(130)
    except Exception as error:
        # The parser's own errors (unknown option, bad choice) carry an exit code and a message.
        if type(error).__name__ == "NoArgsIsHelpError":  # a group alone: show its help
            typer.echo(error.format_message())
            return _exit(2)
        if hasattr(error, "format_message") and hasattr(error, "exit_code"):
            command = getattr(getattr(error, "ctx", None), "command_path", "hrgov")
            _output.error(f"{error.format_message()} (see: {command} --help)")
            return _exit(error.exit_code)
        if type(error).__name__ == "Abort":
            _output.error("aborted; nothing was changed")
            # Ctrl-C at a prompt reaches here as click's Abort: it ends as an interrupt does
            interrupted = isinstance(error.__context__, KeyboardInterrupt)
            return _exit(130 if interrupted else 1)
        _output.error(f"unexpected {type(error).__name__}: {_crash_report()}")
        return _exit(1)
    return _exit(result if isinstance(result, int) else 0)


def run() -> None:
    """The ``hrgov`` console command: ``main``, then the end of the process.

    When only the parser ran (help, ``--version``, a usage error), nothing was opened that
    needs closing, and tearing typer's module graph down would cost a fifth of ``--help``
    (~15 ms): the process ends at once. Anything else exits the normal way.
    """
    try:
        main()
    except SystemExit as stop:
        if _only_the_parser_ran():
            code = stop.code if isinstance(stop.code, int) else 1
            with contextlib.suppress(BrokenPipeError, ValueError):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
        raise


def _only_the_parser_ran() -> bool:
    """No part of the library was loaded beyond what start-up loads: no ledger, index, git,
    SQLite or document was touched."""
    return {name for name in sys.modules if name.startswith("hrgov.")} <= _LOADED_AT_START_UP


# Start-up loads the command modules and hrgov.errors; the commands load the rest lazily.
_LOADED_AT_START_UP = frozenset(name for name in sys.modules if name.startswith("hrgov."))


def _options_of(argv: list[str] | None) -> dict[str, str]:
    """The options of the command ``argv`` runs, by the name of the value each sets
    (``{"due": "--due", "review_by": "--review-by"}``): the library's errors name fields, and
    the user is told the option they typed."""
    command = typer.main.get_command(app)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        ctx = command.make_context("hrgov", args, resilient_parsing=True)
        while hasattr(command, "resolve_command"):  # a group: find the command it runs
            rest = [*ctx._protected_args, *ctx.args]
            if not rest:
                break
            name, command, rest = command.resolve_command(ctx, rest)
            ctx = command.make_context(name, rest, parent=ctx, resilient_parsing=True)
    except Exception:  # the command did run, so this cannot fail; if it does, say the field
        return {}
    return {
        param.name: param.opts[0]
        for param in command.params
        if param.param_type_name == "option" and param.name
    }


def _crash_report() -> str:
    """Write the traceback to a private file and say where: it may hold case data, so it is
    never printed to a shared terminal or log."""
    import tempfile
    import traceback

    handle, path = tempfile.mkstemp(prefix="hrgov-crash-", suffix=".txt")
    with open(handle, "w", encoding="utf-8") as out:
        traceback.print_exc(file=out)
    return f"the traceback is in {path}; please report it to the hrgov maintainers"


def _exit(code: int) -> int:
    sys.exit(code)
