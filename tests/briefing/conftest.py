"""A year of committee work (2025) with fixed dates, built once through ``hrgov.operations``."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

AUTHOR = "Committee Secretary <secretary@example.org>"
SECRET = "ZZSECRET"  # in every restricted record's title and text: must never be printed
UNICODE_TITLE = "Consult العربية and עברית readers, हिन्दी, 中文 and 日本語 editors 🌍"
TODAY = date(2025, 12, 20)  # the generation day the tests pass to the writers


def stamp(day: str, minute: int = 0) -> int:
    moment = datetime.fromisoformat(day).replace(hour=10, minute=minute, tzinfo=UTC)
    return int(moment.timestamp())


@dataclass
class Scenario:
    root: Path
    head: str
    since: str  # the commit a "previous briefing" was built from (mid-year)
    before_unicode: str  # a date before the Unicode decision existed
    ids: dict[str, str]


@pytest.fixture(scope="session")
def scenario(tmp_path_factory) -> Scenario:
    from hrgov import history, ledger, operations, policy

    root = tmp_path_factory.mktemp("briefing") / "ledger"
    book = ledger.init(root, policy.load("wikimedia-2021"), organisation="Example Foundation",
                       author=AUTHOR, timestamp=stamp("2025-01-02"))
    ids: dict[str, str] = {}

    def keep(name, written):
        ids[name] = written.records[-1]["id"]
        return ids[name]

    a = {"author": AUTHOR}
    keep("m1", operations.log_meeting(
        book, date="2025-02-06", attendees=["General Counsel", "Head of Trust and Safety",
                                            "Committee Secretary"], quorum=True,
        timestamp=stamp("2025-02-06"), **a))
    keep("hria", operations.log_decision(
        book, "Commission an independent impact assessment", meeting=ids["m1"],
        commitments=["periodic-hria"], owner="legal", review_by="2025-09-30",
        rationale="The last assessment predates the policy.", timestamp=stamp("2025-02-06", 1),
        **a))
    keep("secret_decision", operations.log_decision(
        book, f"{SECRET} protect a named volunteer", meeting=ids["m1"],
        commitments=["ongoing-hrdd"], owner="trust-and-safety", text=f"{SECRET} details",
        sensitivity="restricted", timestamp=stamp("2025-02-06", 2), **a))
    keep("public_decision", operations.log_decision(
        book, "Publish an annual public progress report", meeting=ids["m1"],
        commitments=["track-and-publicly-report"], owner="communications",
        text="A yearly report in plain language.", sensitivity="public",
        timestamp=stamp("2025-02-06", 3), **a))
    keep("assessor", operations.add_milestone(
        book, "Select an independent assessor", commitment="periodic-hria",
        decision=ids["hria"], due="2025-03-31", timestamp=stamp("2025-02-06", 4), **a))
    keep("findings", operations.add_milestone(
        book, "Publish the summary findings", commitment="periodic-hria", decision=ids["hria"],
        due="2025-06-30", timestamp=stamp("2025-02-06", 5), **a))
    keep("secret_milestone", operations.add_milestone(
        book, f"{SECRET} relocation support", commitment="ongoing-hrdd", due="2025-05-01",
        sensitivity="restricted", timestamp=stamp("2025-02-06", 6), **a))
    keep("draft", operations.add_milestone(
        book, "Draft the public report", commitment="track-and-publicly-report",
        decision=ids["public_decision"], due="2025-10-01", sensitivity="public",
        timestamp=stamp("2025-02-06", 7), **a))
    operations.complete_milestone(book, ids["assessor"], on="2025-03-20",
                                  evidence=["https://example.org/legal/assessor-contract"],
                                  timestamp=stamp("2025-03-20"), **a)
    operations.update_milestone(book, ids["findings"], due="2025-09-30",
                                reason="The assessor needs more interviews.",
                                timestamp=stamp("2025-06-15"), **a)
    since = history.head(root)
    operations.update_milestone(book, ids["draft"], status="in-progress",
                                timestamp=stamp("2025-07-01"), **a)
    keep("m2", operations.log_meeting(
        book, date="2025-09-04", body="executive-committee", attendees=["Chief Executive"],
        quorum=True, timestamp=stamp("2025-09-04"), **a))
    keep("unicode", operations.log_decision(
        book, UNICODE_TITLE + " \ufffe", meeting=ids["m2"], commitments=["children-rights"],
        owner="legal", timestamp=stamp("2025-09-04", 1), **a))
    operations.update_milestone(book, ids["findings"], due="2025-12-15",
                                reason="Legal review of the findings takes longer.",
                                timestamp=stamp("2025-09-20"), **a)
    operations.assign_commitment(book, "children-rights", "trust-and-safety",
                                 reason="Trust and Safety runs child-safety work.",
                                 timestamp=stamp("2025-10-02"), **a)
    return Scenario(root=root, head=history.head(root), since=since,
                    before_unicode="2025-08-31", ids=ids)


@pytest.fixture
def book(scenario):
    from hrgov.ledger import Ledger

    return Ledger.find(scenario.root)


def all_xml(path: Path) -> str:
    """Every XML part of a .docx, as one text (for "never appears anywhere" checks)."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(
            z.read(name).decode("utf-8") for name in z.namelist() if name.endswith((".xml",
                                                                                  ".rels"))
        )


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def document_text(path: Path) -> str:
    """The body's text, one line per paragraph (table cells included, in order)."""
    from docx import Document

    body = Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))
