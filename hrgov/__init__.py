"""hrgov: a git-versioned ledger of an organisation's human-rights commitments.

The library does the work; ``hrgov.commands`` is a thin command line over it::

    from hrgov.ledger import Ledger
    from hrgov import operations

    ledger = Ledger.find()
    decision = operations.log_decision(ledger, "Adopt screening", date="2026-03-04")
"""

__version__ = "0.1.0"
