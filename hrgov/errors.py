"""Errors a user can cause or meet, each with a message written for them.

The command line prints ``hrgov: error: <message>`` and exits with ``exit_code``:
2 when the user's input is wrong, 1 when the ledger or the environment prevents the command.
"""


class HrgovError(Exception):
    """Base class: something hrgov can explain in one line."""

    exit_code = 2


class InvalidInput(HrgovError):
    """A value given by the user is malformed (a date, an id, a format, a text)."""


class InvalidRecord(InvalidInput):
    """A record breaks a rule of the model (a missing field, a forbidden move)."""


class RulesBroken(InvalidRecord):
    """A change breaks the rule book (``hrgov.rules``); ``broken`` lists every rule it breaks."""

    def __init__(self, broken: list):
        self.broken = broken
        more = len(broken) - 1
        tail = f" (and {more} more)" if more else ""
        super().__init__(f"{broken[0]}{tail}")


class RecordNotFound(InvalidInput):
    """An id names no record in the ledger."""


class PolicyPackError(InvalidInput):
    """A policy pack cannot be read or does not follow the pack format."""


class NotALedger(InvalidInput):
    """The path given is not an hrgov ledger."""


class LedgerStateError(HrgovError):
    """The ledger's state prevents the command (hand edits, a moved branch)."""

    exit_code = 1


class LedgerDirty(LedgerStateError):
    """records/ holds uncommitted hand-made changes."""


class GitFailed(LedgerStateError):
    """A git command failed for a reason hrgov cannot repair."""
