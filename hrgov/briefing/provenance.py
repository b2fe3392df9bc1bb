"""Proving where a document came from: ``hrgov verify --contains SHA``.

Every briefing, agenda and public report names the ledger commit it was built from. A commit
id is a hash over everything before it, so if that commit is an ancestor of the ledger's HEAD,
the records the document was built from are still the ledger's history, unrewritten::

    >>> contains(ledger.root, "8ee35deea9")  # doctest: +SKIP
    {'commit': '8ee35deea9…', 'time': '2026-11-09T10:00:00Z', 'author': '…', 'subject': '…',
     'head': '…', 'made_by_hrgov': True}
"""

from __future__ import annotations

import re
from pathlib import Path

from hrgov import history
from hrgov.errors import HrgovError, InvalidInput
from hrgov.index import utc

_SHA = re.compile(r"^[0-9a-fA-F]{4,40}$")


class NotInHistory(HrgovError):
    """The commit a document names is not part of this ledger's history (exit 1: the check
    failed, the input was well-formed)."""

    exit_code = 1


def contains(root: Path, revision: str) -> dict:
    """What ``verify --contains`` reports for ``revision``: the full commit id, its time,
    author and subject, and the HEAD it was checked against. Raises ``InvalidInput`` for
    something that is not a revision at all, ``NotInHistory`` when the commit is unknown or
    not an ancestor of HEAD."""
    revision = revision.strip()
    if not _SHA.match(revision):
        raise InvalidInput(
            f"--contains {revision!r} is not a commit id (give the one printed in the "
            "document's footer, e.g. 8ee35deea9)"
        )
    head = history.head(root)
    try:
        sha = history.resolve_at(root, revision)
    except InvalidInput:
        sha = None
    if sha is None or head is None or not history.is_ancestor(root, sha, head):
        raise NotInHistory(
            f"commit {revision} is not in this ledger's history: the document was not built "
            "from this ledger, or its history was rewritten since"
        )
    commit = history.commits(root, f"{sha}^!")[-1]
    return {
        "commit": sha,
        "time": utc(commit.time),
        "author": f"{commit.author_name} <{commit.author_email}>",
        "subject": commit.subject,
        "head": head,
        "made_by_hrgov": bool(commit.command) or not commit.parents,
    }


def describe(found: dict) -> str:
    """The lines ``verify --contains`` prints."""
    lines = [
        f"ok: commit {found['commit'][:10]} is in this ledger's history "
        f"(HEAD {found['head'][:10]})",
        f"  {found['time'].replace('T', ' ').rstrip('Z')} UTC  {found['author']}",
        f"  {found['subject']}",
    ]
    if not found["made_by_hrgov"]:
        lines.append("  note: that commit was made outside hrgov (no Hrgov trailers)")
    return "\n".join(lines)
