"""Errors a user can cause or meet, each with a message written for them.

The command line prints ``hrgov: error: <message>`` and exits with ``exit_code``:
2 when the user's input is wrong, 1 when the ledger or the environment prevents the command.
"""

class HrgovError(Exception):
    """Base class: something hrgov can explain in one line.

    ``field`` names the field or value the message starts with (``due '2026-13-01' is not a
    real date``), so that the command line can say it with the option the user typed
    (``--due '2026-13-01' …``, see ``worded``).
    """

    exit_code = 2

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field

    def worded(self, option: str) -> str:
        """The message with ``option`` for the field it names:
        ``InvalidInput("due 'x' is not a date", field="due").worded("--due")`` →
        ``"--due 'x' is not a date"``."""
        message = str(self)
        if self.field and message.startswith(f"{self.field} "):
            return option + message[len(self.field):]
        return message


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
        # A missing reason is the one thing the user can add: worded, it says how.
        field = "reason" if broken[0].field == "reason" else None
        super().__init__(f"{broken[0]}{tail}", field=field)

    def worded(self, option: str) -> str:
        return f"{self}; give {option}"


class RecordNotFound(InvalidInput):
    """An id names no record in the ledger."""


class PolicyPackError(InvalidInput):
    """A policy pack cannot be read or does not follow the pack format."""


class NotALedger(HrgovError):
    """No hrgov ledger where the command looked: the environment, not a value, is wrong."""

    exit_code = 1


class EnvironmentProblem(HrgovError):
    """The machine prevents the command (a port in use, a permission missing)."""

    exit_code = 1


class LedgerStateError(HrgovError):
    """The ledger's state prevents the command (hand edits, a moved branch)."""

    exit_code = 1


class NotInHistory(HrgovError):
    """The commit a document names is not part of this ledger's history (exit 1: the check
    failed, the input was well-formed)."""

    exit_code = 1


class LedgerDirty(LedgerStateError):
    """records/ holds uncommitted hand-made changes."""


class GitFailed(LedgerStateError):
    """A git command failed for a reason hrgov cannot repair."""


class UnknownState(InvalidInput):
    """A date or revision to read the ledger "as of" that names no state of it.

    The message names the library's field (``as-of 'x' is neither a date…``);
    ``worded(flag)`` says the same with the option the user typed (``--at 'x' is…``)."""

    LABELS = {"as_of": "as-of", "since": "earlier briefing's commit"}

    def __init__(self, field: str, value: str, problem: str):
        self.value, self.problem = value, problem
        super().__init__(self.worded(self.LABELS.get(field, field)), field=field)

    def worded(self, what: str) -> str:
        """The message, with ``what`` naming the value (a field's name or a flag)."""
        return self.problem.format(what=what, value=repr(self.value), date=self.value)
