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


# The issues register of the scenario, as given to ``log_issue`` (tests count from this list,
# not from the briefing's code). "EXAMPLE" marks summaries cleared for the Board; the others
# must never be quoted.
ISSUES = (
    {"reported": "2024-05-10", "category": "harassment", "summary": "Earlier harassment case."},
    {"reported": "2024-11-05", "category": "harassment", "summary": "Earlier off-wiki case."},
    {"reported": "2024-12-01", "category": "privacy", "summary": "Earlier data request."},
    {"reported": "2025-01-15", "category": "freedom-of-expression", "impact": 3,
     "likelihood": 3, "salient": True, "board_example": True, "involvement": "linked",
     "summary": "EXAMPLE-A: a regulator ordered a language edition blocked after articles on "
                "a protest."},
    {"reported": "2025-02-20", "category": "harassment", "impact": 2, "likelihood": 3,
     "salient": True, "summary": "NOT-EXAMPLE-1 coordinated harassment of an admin group."},
    {"reported": "2025-04-02", "category": "harassment", "impact": 2, "likelihood": 2,
     "board_example": True, "sensitivity": "public",
     "summary": "EXAMPLE-B: gender-based abuse on talk pages of a mid-size wiki."},
    {"reported": "2025-05-18", "category": "safety-of-defenders", "impact": 3,
     "likelihood": 2, "salient": True, "board_example": True, "sensitivity": "restricted",
     "region": f"{SECRET}-region", "project": f"{SECRET}-project",
     "summary": f"{SECRET} an editor detained after questioning.",
     "response": f"{SECRET} legal support arranged.", "lessons": f"{SECRET} act sooner."},
    {"reported": "2025-07-07", "category": "privacy", "impact": 3, "likelihood": 1,
     "salient": True, "summary": "NOT-EXAMPLE-2 request for user data of editors."},
    {"reported": "2025-08-30", "category": "disinformation", "impact": 1, "likelihood": 2,
     "board_example": True,
     "summary": "EXAMPLE-C: a project capture attempt on historical articles."},
    {"reported": "2025-10-01", "category": "harassment", "impact": 1, "likelihood": 1,
     "sensitivity": "restricted", "summary": f"{SECRET} doxxing of a volunteer."},
    {"reported": "2025-11-11", "category": "freedom-of-expression", "sensitivity": "public",
     "summary": "NOT-EXAMPLE-3 a takedown demand for a biography."},
    {"reported": "2025-12-05", "category": "child-rights", "impact": 2, "likelihood": 3,
     "salient": True, "board_example": True, "sensitivity": "public",
     "summary": "EXAMPLE-D: grooming attempts reported through a youth outreach programme."},
)
# What was done about EXAMPLE-A and learned from it (recorded when it moved to mitigating).
RESPONSE = "RESPONSE-A: legal answered the regulator and published the order."
LESSONS = "LESSONS-A: a template reply would have saved a week."
# (channel, received, acknowledged, closed, outcome, sensitivity)
GRIEVANCES = (
    ("talktohumanrights", "2024-12-15", "2024-12-16", None, None, None),
    ("talktohumanrights", "2025-02-01", "2025-02-04", "2025-03-03", "upheld", None),
    ("talktohumanrights", "2025-05-10", "2025-05-11", "2025-06-19", "partly-upheld", None),
    ("talktohumanrights", "2025-09-01", "2025-09-08", None, None, None),
    ("ucoc", "2025-04-04", "2025-04-06", "2025-04-20", "not-upheld", None),
    ("emergency", "2025-06-06", "2025-06-06", "2025-06-10", "referred", "restricted"),
)


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
        decision=ids["public_decision"], due="2025-10-01", sensitivity="public", owner="legal",
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
    _registers(book, ids)
    return Scenario(root=root, head=history.head(root), since=since,
                    before_unicode="2025-08-31", ids=ids)


LAST_MINUTE = 39  # the registers are recorded on 19 December 2025, 10:01 to 10:39


def _registers(book, ids: dict[str, str]) -> None:
    """The issues register, two assessments, grievances and remedies (issue 5)."""
    from hrgov import operations

    minutes = iter(range(1, LAST_MINUTE + 1))

    def a():
        return {"author": AUTHOR, "timestamp": stamp("2025-12-19", next(minutes))}

    for n, issue in enumerate(ISSUES):
        written = operations.log_issue(book, **issue, **a())
        ids[f"issue{n}"] = written.records[-1]["id"]
    operations.set_status(book, "issue", ids["issue3"], "mitigating",
                          changes={"response": RESPONSE, "lessons": LESSONS}, **a())
    operations.set_status(book, "issue", ids["issue5"], "closed", **a())
    operations.set_status(book, "issue", ids["issue7"], "assessing", **a())
    ids["assessment"] = operations.log_assessment(
        book, "Enterprise-wide human rights impact assessment", subject="enterprise",
        trigger="periodic", assessor="external", phase=3, started="2025-03-01",
        next_due="2027-03-01", **a()).records[-1]["id"]
    operations.add_finding(book, ids["assessment"], "Volunteers in high-risk regions lack a "
                           "rapid-response channel.", severity="severe",
                           milestones=["Set up a rapid-response channel"],
                           commitment="periodic-hria", due="2026-03-31", **a())
    operations.add_finding(book, ids["assessment"], "Data requests are not logged centrally.",
                           severity="medium", **a())
    ids["secret_assessment"] = operations.log_assessment(
        book, f"{SECRET} assessment of a country programme", subject="country",
        started="2025-06-01", sensitivity="restricted", **a()).records[-1]["id"]
    for n, (channel, received, acknowledged, closed, outcome, sensitivity) in enumerate(
            GRIEVANCES):
        summary = f"{SECRET} a threatened editor" if sensitivity else "A complaint."
        gid = operations.log_grievance(book, channel=channel, received=received,
                                       summary=summary, sensitivity=sensitivity,
                                       **a()).records[-1]["id"]
        ids[f"grievance{n}"] = gid
        operations.grievance_stage(book, gid, "acknowledged", on=acknowledged, **a())
        if closed:
            operations.grievance_stage(book, gid, "closed", on=closed, outcome=outcome, **a())
    operations.add_remedy(book, "restoration", "Account access restored.",
                          grievance=ids["grievance1"], delivered_on="2025-03-03",
                          verified=True, **a())
    operations.add_remedy(book, "protection", f"{SECRET} relocation of an editor",
                          grievance=ids["grievance5"], delivered_on="2025-06-09",
                          sensitivity="restricted", **a())
    operations.add_remedy(book, "apology", "A written apology.", grievance=ids["grievance2"],
                          delivered_on="2025-06-19", verified=True, **a())
    operations.add_remedy(book, "policy-change", "Blocking-response playbook revised.",
                          issue=ids["issue3"], **a())
    assert next(minutes, None) is None  # LAST_MINUTE is the last commit's minute


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
