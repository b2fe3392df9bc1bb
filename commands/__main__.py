"""``python -m hrgov.commands``: the command line, as git's merge driver runs it."""

from hrgov.commands import run

run()
