"""The registers: issues, assessments, grievances and remedies — created, updated, held to
their lifecycles, with history, and never holding a way to reach a person."""

import pytest

from tests.conftest import commit_count, git, state


def test_an_issue_is_recorded_moved_and_refused_a_forbidden_move(hrgov, ledger_root):
    result = hrgov("log", "issue", "Volunteers threatened after an election article",
                   "--reported", "2026-05-02", "--category", "safety-of-defenders",
                   "--subcategory", "Threats", "--rightsholder", "volunteer", "--actor",
                   "non-state", "--impact", "3", "--likelihood", "2", "--salient",
                   "--commitment", "at-risk-volunteer-due-diligence", "-f", "json")
    assert result.code == 0, result.err
    issue = result.json[0]
    assert issue["id"] == "HRI-2026-0001" and issue["status"] == "open"
    assert issue["impact"] == 3 and issue["salient"] is True
    assert hrgov("issue", "status", "HRI-2026-0001", "mitigating", "--note", "Help given").code == 0
    refused = hrgov("issue", "status", "HRI-2026-0001", "open")
    assert refused.code == 2 and "cannot go from mitigating to open" in refused.err
    versions = hrgov("history", "HRI-2026-0001", "-f", "json").json
    assert [v["reason"] for v in versions] == [None, "Help given"]
    assert {"field": "status", "old": "open", "new": "mitigating"} in versions[1]["changes"]
    listed = hrgov("list", "issues", "--status", "mitigating", "-f", "json").json
    assert [i["id"] for i in listed] == ["HRI-2026-0001"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--category", "no-such-category"], "no category no-such-category"),
        (["--category", "harassment", "--subcategory", "Nope"], "not a subcategory"),
        (["--category", "harassment", "--impact", "4"], "one of: 1, 2, 3"),
        (["--category", "harassment", "--actor", "alien"], "not one of"),
    ],
)
def test_bad_issues_are_refused_and_change_nothing(hrgov, ledger_root, args, message):
    before = state(ledger_root)
    result = hrgov("log", "issue", "Summary", "--reported", "2026-05-02", *args)
    assert result.code == 2 and message in result.err, result.err
    assert state(ledger_root) == before


@pytest.mark.parametrize(
    "text, found",
    [
        ("Reported by jane.doe@example.org", "an email address"),
        ("Call the volunteer on +44 20 7946 0958", "a phone number"),
    ],
)
def test_personal_data_is_refused_unless_allowed(hrgov, ledger_root, text, found):
    before = state(ledger_root)
    result = hrgov("log", "issue", text, "--reported", "2026-05-02", "--category", "privacy")
    assert result.code == 2 and f"looks like {found}" in result.err
    assert state(ledger_root) == before
    grievance = hrgov("log", "grievance", "--channel", "ucoc", "--received", "2026-05-02",
                      "--summary", text)
    assert grievance.code == 2 and found in grievance.err
    assert state(ledger_root) == before
    allowed = hrgov("log", "issue", text, "--reported", "2026-05-02", "--category", "privacy",
                    "--allow-personal-data")
    assert allowed.code == 0


def test_an_assessment_with_findings_that_create_milestones(hrgov, ledger_root):
    assert hrgov("log", "assessment", "Enterprise HRIA", "--subject", "enterprise",
                 "--assessor", "external", "--phase", "1", "--started", "2026-02-01",
                 "--commitment", "periodic-hria").out == "HRIA-2026-01\n"
    before = commit_count(ledger_root)
    result = hrgov("assessment", "finding", "HRIA-2026-01", "Reporting is hard on mobile",
                   "--severity", "high", "--milestone", "Mobile reporting tool",
                   "--commitment", "ts-tools", "--due", "2027-03-31", "-f", "json")
    assert result.code == 0, result.err
    assert commit_count(ledger_root) == before + 1
    milestone, assessment = result.json
    assert milestone["kind"] == "milestone" and milestone["original_due"] == "2027-03-31"
    assert assessment["findings"] == [{"n": 1, "finding": "Reporting is hard on mobile",
                                       "severity": "high", "milestones": [milestone["id"]]}]
    done = hrgov("assessment", "update", "HRIA-2026-01", "--status", "completed", "--phase",
                 "5", "--completed", "2026-10-30", "--publication", "summary")
    assert done.code == 0, done.err
    again = hrgov("assessment", "update", "HRIA-2026-01", "--status", "in-progress")
    assert again.code == 2 and "cannot go from completed" in again.err
    assert len(hrgov("history", "HRIA-2026-01", "-f", "json").json) == 3


def test_a_grievance_moves_forward_and_records_its_days(hrgov, ledger_root):
    assert hrgov("log", "grievance", "--channel", "talktohumanrights", "--received",
                 "2026-06-03", "--summary", "Complaint about a data request").out == \
        "G-2026-0001\n"
    acknowledged = hrgov("grievance", "stage", "G-2026-0001", "acknowledged", "--on", "2026-06-05")
    assert acknowledged.code == 0
    before = state(ledger_root)
    refused = hrgov("grievance", "stage", "G-2026-0001", "closed", "--on", "2026-07-20")
    assert refused.code == 2 and "closed date and outcome" in refused.err
    early = hrgov("grievance", "stage", "G-2026-0001", "closed", "--on", "2026-06-01",
                  "--outcome", "upheld")
    assert early.code == 2 and "before received" in early.err
    assert state(ledger_root) == before
    assert hrgov("grievance", "stage", "G-2026-0001", "closed", "--on", "2026-07-20",
                 "--outcome", "upheld").code == 0
    backwards = hrgov("grievance", "stage", "G-2026-0001", "investigating")
    assert backwards.code == 2 and "cannot go from closed" in backwards.err
    grievance = hrgov("show", "G-2026-0001", "-f", "json").json[0]
    assert (grievance["acknowledged"], grievance["closed"], grievance["outcome"]) == (
        "2026-06-05", "2026-07-20", "upheld")
    listed = hrgov("list", "grievances", "--status", "closed", "-f", "json").json
    assert [g["id"] for g in listed] == ["G-2026-0001"]
    stages = [
        next(c["new"] for c in v["changes"] if c["field"] == "stage")
        for v in hrgov("history", "G-2026-0001", "-f", "json").json[1:]
    ]
    assert stages == ["acknowledged", "closed"]


def test_a_remedy_answers_a_grievance_or_an_issue(hrgov, ledger_root):
    hrgov("log", "grievance", "--channel", "ucoc", "--received", "2026-06-03")
    result = hrgov("remedy", "add", "protection", "Account security review offered",
                   "--grievance", "G-2026-0001", "--provider", "trust-and-safety",
                   "--delivered-on", "2026-07-01", "--verified", "-f", "json")
    assert result.code == 0, result.err
    assert result.json[0]["id"] == "R-2026-0001" and result.json[0]["verified"] is True
    alone = hrgov("remedy", "add", "apology", "An apology")
    assert alone.code == 2 and "answers a grievance or an issue" in alone.err
    unknown = hrgov("remedy", "add", "apology", "An apology", "--grievance", "G-2026-0099")
    assert unknown.code == 2 and "no grievance G-2026-0099" in unknown.err
    assert "remedy add R-2026-0001" in git(ledger_root, "log", "--format=%s")
    hrgov("remedy", "add", "apology", "A written apology", "--grievance", "G-2026-0001")
    assert hrgov("remedy", "update", "R-2026-0002", "--delivered-on", "2026-07-05",
                 "--verified", "--note", "Confirmed with the complainant's advocate").code == 0
    nothing = hrgov("remedy", "update", "R-2026-0002")
    assert nothing.code == 2 and "nothing to change" in nothing.err
    versions = hrgov("history", "R-2026-0002", "-f", "json").json
    assert versions[-1]["reason"] == "Confirmed with the complainant's advocate"
    assert {"field": "verified", "old": None, "new": True} in versions[-1]["changes"]


def test_a_restricted_issue_never_reaches_the_audit_copy(hrgov, ledger_root, tmp_path):
    secret = "Defender in a named town under surveillance"
    hrgov("log", "issue", secret, "--reported", "2026-05-02", "--category", "privacy",
          "--sensitivity", "restricted")
    hrgov("log", "issue", "Visible issue", "--reported", "2026-05-03", "--category", "privacy")
    assert hrgov("audit", "--build", str(tmp_path / "audit")).code == 0
    raw = (tmp_path / "audit" / "ledger.db").read_bytes()
    assert secret.encode() not in raw
    assert b"Visible issue" in raw
