"""``hrgov completion bash|zsh|fish``: tab completion of commands, options and choices."""

from enum import StrEnum

import typer

app = typer.Typer()
COMPLETE_VAR = "_HRGOV_COMPLETE"  # set by the scripts below when the shell asks to complete


def prepare() -> None:
    """Make typer answer the shells' completion requests (left out of ordinary start-up)."""
    from typer._completion_classes import completion_init

    completion_init()


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@app.command()
def completion(
    shell: Shell = typer.Argument(..., metavar="SHELL", help="The shell to complete in."),
) -> None:
    """Print the script that lets SHELL complete hrgov's commands, options and their choices
    (statuses, bodies, sensitivities…). Save it, then load it from your shell's start-up
    file (for bash: . ~/.hrgov-complete.bash in ~/.bashrc).

    Example:

      \b
      hrgov completion bash > ~/.hrgov-complete.bash

      \b
      hrgov completion zsh > ~/.hrgov-complete.zsh

      \b
      hrgov completion fish > ~/.config/fish/completions/hrgov.fish
    """
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name="hrgov", complete_var=COMPLETE_VAR,
                                     shell=shell.value))
