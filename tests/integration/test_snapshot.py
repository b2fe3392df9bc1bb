"""The one snapshot (``hrgov.snapshot``): the ledger as of a date or revision, answered from the
index, equals a fresh index built from a checkout of that commit; confidentiality is decided
now, not then, in every output built "as of"."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hrgov import operations as ops
from hrgov import queries
from hrgov.errors import InvalidInput
from hrgov.index import build
from hrgov.ledger import Ledger
from hrgov.snapshot import SHADOWED, snapshot
from tests.conftest import AUTHOR, git, run_cli


def stamp(day: str, minute: int = 0) -> int:
    moment = datetime.fromisoformat(day).replace(hour=10, minute=minute, tzinfo=UTC)
    return int(moment.timestamp())


def plain_git(root: Path, day: str, *args: str) -> None:
    """A commit made with git itself, outside hrgov, dated ``day``."""
    when = f"{stamp(day)} +0000"
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


# ---- "as of" equals a fresh build of that commit ------------------------------------------


@pytest.fixture
def varied(ledger_root, tmp_path):
    """A history with slips, a supersession, a reassignment, a deletion by plain git and a
    merge; returns the ledger and the commits worth reading it at."""
    ledger = Ledger(ledger_root)
    marks = {"init": head(ledger_root)}
    meeting = ops.log_meeting(ledger, date="2026-01-10", author=AUTHOR,
                              timestamp=stamp("2026-01-10")).records[0]["id"]
    first = ops.log_decision(
        ledger, "Screen new features", meeting=meeting, commitments=["ongoing-hrdd",
        "periodic-hria"], owner="legal", author=AUTHOR, timestamp=stamp("2026-01-10", 1),
    ).records[-1]["id"]
    milestone = ops.add_milestone(
        ledger, "Checklist", commitment="periodic-hria", decision=first, due="2026-03-01",
        author=AUTHOR, timestamp=stamp("2026-01-11"),
    ).records[0]["id"]
    doomed = ops.log_decision(ledger, "Short-lived", date="2026-01-12", author=AUTHOR,
                              timestamp=stamp("2026-01-12")).records[-1]["id"]
    marks["jan12"] = head(ledger_root)
    ops.update_milestone(ledger, milestone, due="2026-04-01", reason="Late data",
                         author=AUTHOR, timestamp=stamp("2026-01-20"))
    ops.assign_commitment(ledger, "periodic-hria", "security", reason="Security leads",
                          author=AUTHOR, timestamp=stamp("2026-01-21"))
    ops.log_decision(ledger, "Screen every feature", date="2026-01-25", supersedes=first,
                     commitments=["ongoing-hrdd"], author=AUTHOR, timestamp=stamp("2026-01-25"))
    marks["jan25"] = head(ledger_root)
    plain_git(ledger_root, "2026-02-01", "rm", "-q", f"records/decisions/2026/{doomed}.json")
    plain_git(ledger_root, "2026-02-01", "commit", "-qm", "Remove a decision by hand")
    marks["deleted"] = head(ledger_root)
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(ledger_root), str(other))
    ops.add_milestone(Ledger(other), "From elsewhere", commitment="ongoing-hrdd",
                      due="2026-06-01", author=AUTHOR, timestamp=stamp("2026-02-03"))
    marks["side"] = head(other)
    ops.update_milestone(ledger, milestone, due="2026-05-01", reason="Vendor left",
                         author=AUTHOR, timestamp=stamp("2026-02-04"))
    plain_git(ledger_root, "2026-02-05", "pull", "-q", "--no-rebase", "--no-edit", str(other))
    marks["merge"] = head(ledger_root)
    ops.complete_milestone(ledger, milestone, on="2026-02-10", author=AUTHOR,
                           timestamp=stamp("2026-02-10"))
    marks["head"] = head(ledger_root)
    return ledger, marks


def tables(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    names = [*SHADOWED, "commits", "record_versions", "meta"]
    return {n: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM [{n}]")) for n in names}


def fresh_build(root: Path, sha: str, tmp_path: Path) -> dict[str, list[tuple]]:
    clone = tmp_path / f"checkout-{sha[:10]}"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    git(clone, "checkout", "-q", "--detach", sha)
    index = build(clone, tmp_path / f"checkout-{sha[:10]}.db")
    try:
        return tables(index.conn)
    finally:
        index.close()


@pytest.mark.parametrize("mark", ["init", "jan12", "jan25", "deleted", "merge", "head"])
def test_the_snapshot_at_a_revision_equals_a_fresh_build_of_it(varied, tmp_path, mark):
    ledger, marks = varied
    with snapshot(ledger, marks[mark]) as snap:
        assert snap.sha == marks[mark]
        found = tables(snap.conn)
    assert found == fresh_build(ledger.root, marks[mark], tmp_path)


@pytest.mark.parametrize("day, mark", [
    ("2026-01-12", "jan12"), ("2026-01-31", "jan25"), ("2026-02-02", "deleted"),
    ("2026-02-07", "merge"),
])
def test_the_snapshot_at_a_date_is_the_last_commit_of_that_day(varied, tmp_path, day, mark):
    ledger, marks = varied
    with snapshot(ledger, day) as snap:
        assert (snap.sha, snap.day) == (marks[mark], date.fromisoformat(day))
        found = tables(snap.conn)
        milestones = queries.list_records(snap.conn, "milestones")
    assert found == fresh_build(ledger.root, marks[mark], tmp_path)
    if mark == "jan25":
        assert [m["due"] for m in milestones] == ["2026-04-01"]


def test_a_snapshot_calls_no_git_for_a_date_or_a_commit_id(varied, monkeypatch, tmp_path):
    ledger, marks = varied
    ledger.reader()  # the index is current
    nothing = tmp_path / "no-programs"
    nothing.mkdir()
    monkeypatch.setenv("PATH", str(nothing))  # a machine without git: any git call fails
    for at in ("2026-01-25", marks["jan25"], marks["jan25"][:10]):
        with snapshot(ledger, at) as snap:
            assert snap.sha == marks["jan25"]
            assert len(queries.list_records(snap.conn, "decisions")) == 3


@pytest.mark.parametrize("at, message", [
    ("2026-13-01", "as-of '2026-13-01' is not a real date"),
    ("1999-01-01", "the ledger holds nothing on or before 1999-01-01"),
    ("no-such-branch",
     "as-of 'no-such-branch' is neither a date (YYYY-MM-DD) nor a revision of this ledger"),
    ("--help", "as-of '--help' is neither a date nor a git revision"),
])
def test_bad_as_of_values_name_the_field(varied, at, message):
    ledger, _ = varied
    with pytest.raises(InvalidInput) as raised, snapshot(ledger, at):
        pass
    assert str(raised.value) == message


def test_a_commit_off_the_first_parent_line_is_refused(varied):
    ledger, marks = varied
    result = run_cli("--ledger", str(ledger.root), "list", "decisions", "--at", marks["side"])
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"hrgov: error: --at '{marks['side']}' is not a commit of "
                                 "this ledger's own line of history")


@pytest.mark.parametrize("args, message", [
    (["list", "decisions", "--at", "2026-13-01"], "--at '2026-13-01' is not a real date"),
    (["show", "periodic-hria", "--at", "nope"], "--at 'nope' is neither a date"),
    (["due", "--at", "2026-02-30"], "--at '2026-02-30' is not a real date"),
    (["report", "--public", "--year", "2026", "-o", "r.md", "--as-of", "nope"],
     "--as-of 'nope' is neither a date"),
    (["brief", "--year", "2026", "-o", "b.docx", "--as-of", "1999-01-01"],
     "the ledger holds nothing on or before 1999-01-01"),
    (["brief", "--year", "2026", "-o", "b.docx", "--since-briefing", "nope"],
     "--since-briefing 'nope' is neither a date"),
    (["audit", "--build", "out", "--as-of", "nope"], "--as-of 'nope' is neither a date"),
    (["audit", "--build", "out", "--at", "nope"], "--at 'nope' is neither a date"),
])
def test_the_command_line_names_the_flag_typed(varied, tmp_path, args, message):
    ledger, _ = varied
    result = run_cli("--ledger", str(ledger.root), *args)
    assert result.code == 2, result.err
    assert result.err == f"hrgov: error: {message}" + result.err[len(message) + 14:]
    assert result.err.count("\n") == 1 and result.out == ""
    assert not (tmp_path / "out").exists() and not (tmp_path / "b.docx").exists()


def test_since_briefing_later_than_the_as_of_is_refused(varied):
    ledger, marks = varied
    result = run_cli("--ledger", str(ledger.root), "brief", "--year", "2026", "-o", "b.docx",
                     "--as-of", marks["jan12"], "--since-briefing", marks["jan25"])
    assert result.code == 2
    assert result.err.startswith(f"hrgov: error: --since-briefing '{marks['jan25']}' is not "
                                 "an earlier state of the ledger")


# ---- confidentiality is decided now, not then ---------------------------------------------

SECRET_TITLE = "Relocate the Xanadu moderators"
SECRET_RATIONALE = "Because of credible threats in Xanadu"
SECRET_COMMITMENT = "Protect the Zembla volunteers"
SECRET_TEXT = "Quietly protect the Zembla volunteers"
SECRET_MILESTONE = "Evacuate the Xanadu office"
SECRETS = (SECRET_TITLE, SECRET_RATIONALE, SECRET_COMMITMENT, SECRET_TEXT, SECRET_MILESTONE)


@pytest.fixture
def declassified_then_restricted(ledger_root):
    """Day 1 (2026-01-10): a decision, a commitment and a milestone, all public, the
    commitment listed by a public decision; day 2 (2026-01-20): all three restricted."""
    ledger = Ledger(ledger_root)
    with ledger.change("commitment add", author=AUTHOR, timestamp=stamp("2026-01-10")) as tx:
        tx.put({"kind": "commitment", "id": "protect-zembla", "title": SECRET_COMMITMENT,
                "text": SECRET_TEXT, "section": "3", "status": "active", "owner": "legal",
                "sensitivity": "public"})
    meeting = ops.log_meeting(ledger, date="2026-01-10", author=AUTHOR,
                              timestamp=stamp("2026-01-10", 1)).records[0]["id"]
    secret = ops.log_decision(
        ledger, SECRET_TITLE, meeting=meeting, rationale=SECRET_RATIONALE,
        commitments=["protect-zembla"], sensitivity="public", author=AUTHOR,
        timestamp=stamp("2026-01-10", 2),
    ).records[-1]["id"]
    visible = ops.log_decision(
        ledger, "Publish the annual report", meeting=meeting,
        commitments=["protect-zembla", "ongoing-hrdd"], sensitivity="public", author=AUTHOR,
        timestamp=stamp("2026-01-10", 3),
    ).records[-1]["id"]
    milestone = ops.add_milestone(
        ledger, SECRET_MILESTONE, commitment="ongoing-hrdd", decision=visible,
        due="2026-01-25", sensitivity="public", author=AUTHOR, timestamp=stamp("2026-01-10", 4),
    ).records[0]["id"]
    with ledger.change("restrict", author=AUTHOR, timestamp=stamp("2026-01-20")) as tx:
        for record_id, kind in (("protect-zembla", "commitment"), (secret, "decision"),
                                (milestone, "milestone")):
            record = dict(tx.require(record_id, kind))
            record["sensitivity"] = "restricted"
            tx.put(record)
    return ledger, secret, visible, milestone


DAY_1 = "2026-01-10"


def test_no_output_as_of_day_1_shows_what_is_restricted_now(declassified_then_restricted,
                                                           tmp_path):
    ledger, secret, visible, milestone = declassified_then_restricted
    hidden = (*SECRETS, secret, milestone, "protect-zembla")

    def cli(*args):
        result = run_cli("--ledger", str(ledger.root), *args)
        assert result.code == 0, result.err
        return result.out

    # list, show and due, in JSON and CSV
    for kind in ("decisions", "commitments", "milestones"):
        for fmt in ("json", "csv", "table"):
            out = cli("list", kind, "--at", DAY_1, "-f", fmt)
            assert not [s for s in hidden if s in out], (kind, fmt)
    decisions = json.loads(cli("list", "decisions", "--at", DAY_1, "-f", "json"))
    assert [d["id"] for d in decisions] == [visible]
    assert decisions[0]["commitments"] == ["ongoing-hrdd"]  # the restricted one dropped
    shown = json.loads(cli("show", visible, "--at", DAY_1, "-f", "json"))
    assert shown[0]["commitments"] == ["ongoing-hrdd"]
    assert not [s for s in hidden if s in cli("show", visible, "--at", DAY_1, "-f", "csv")]
    refused = run_cli("--ledger", str(ledger.root), "show", secret, "--at", DAY_1)
    assert refused.code == 2 and SECRET_TITLE not in refused.out + refused.err
    assert not [s for s in hidden if s in cli("due", "--at", DAY_1, "--within", "365",
                                              "-f", "json")]
    # the Board briefing, as of day 1 and with the changes since day 1
    cli("brief", "--year", "2026", "--as-of", DAY_1, "-o", str(tmp_path / "then.docx"))
    cli("brief", "--year", "2026", "--since-briefing", secret_free_commit(ledger),
        "-o", str(tmp_path / "since.docx"))
    for name in ("then.docx", "since.docx"):
        with zipfile.ZipFile(tmp_path / name) as docx:
            xml = "".join(docx.read(n).decode("utf-8", "replace") for n in docx.namelist()
                          if n.endswith(".xml"))
        assert not [s for s in hidden if s in xml], name
    # the public report
    cli("report", "--public", "--year", "2026", "--as-of", DAY_1, "-o",
        str(tmp_path / "report.md"))
    report = (tmp_path / "report.md").read_text()
    assert "Publish the annual report" in report
    assert not [s for s in hidden if s in report]
    # the audit copy, in both modes: not one byte of it
    for mode in ("--include-internal", "--public-only"):
        folder = tmp_path / f"audit{mode}"
        cli("audit", "--build", str(folder), "--at", DAY_1, mode)
        data = (folder / "ledger.db").read_bytes()
        assert not [s for s in hidden if s.encode() in data], mode
        conn = sqlite3.connect(folder / "ledger.db")
        links = conn.execute("SELECT commitments FROM decisions WHERE id = ?",
                             (visible,)).fetchone()[0]
        # public only: the internal commitment is left out as well
        assert links == ('["ongoing-hrdd"]' if mode == "--include-internal" else None)
    # the agenda has no "as of": at HEAD the records are restricted, counted but not named
    cli("agenda", "--meeting-date", "2026-02-01", "-o", str(tmp_path / "agenda.md"))
    agenda = (tmp_path / "agenda.md").read_text()
    assert not [s for s in (*SECRETS, secret, milestone) if s in agenda]


def secret_free_commit(ledger: Ledger) -> str:
    """The ledger's first commit, before the secret records were written."""
    return git(ledger.root, "rev-list", "--max-parents=0", "HEAD").strip()


def test_in_a_snapshot_sensitivity_is_the_most_restrictive_up_to_head(
        declassified_then_restricted):
    ledger, secret, visible, milestone = declassified_then_restricted
    with ledger.change("declassify", author=AUTHOR, timestamp=stamp("2026-01-30")) as tx:
        record = dict(tx.require(secret, "decision"))
        record["sensitivity"] = "public"
        tx.put(record)
    with snapshot(ledger, DAY_1) as snap:
        assert queries.get(snap.conn, secret)["sensitivity"] == "restricted"
        row = snap.conn.execute("SELECT sensitivity FROM decisions WHERE id = ?",
                                (secret,)).fetchone()
        assert row[0] == "restricted"
        assert queries.get(snap.conn, visible)["sensitivity"] == "public"
        links = snap.conn.execute("SELECT commitment FROM decision_commitments WHERE "
                                  "decision = ?", (visible,)).fetchall()
        assert [r[0] for r in links] == ["ongoing-hrdd"]
    with snapshot(ledger, DAY_1, withhold=True) as snap:
        assert queries.get(snap.conn, secret) is None
        assert secret not in [d["id"] for d in queries.list_records(snap.conn, "decisions")]
    assert ledger.record(secret)["sensitivity"] == "public"  # HEAD reads the index as it is


def test_a_commit_that_touched_withheld_records_is_summarised_once(ledger_root, tmp_path):
    from hrgov.audit import build_audit_copy

    ledger = Ledger(ledger_root)
    with ledger.change("import", author=AUTHOR, timestamp=stamp("2026-01-10")) as tx:
        for n in range(1, 7):
            tx.put({"kind": "milestone", "id": f"MS-2026-{n:04d}", "title": f"Step {n}",
                    "commitment": "ongoing-hrdd", "due": "2026-06-01", "status": "planned",
                    "original_due": "2026-06-01",
                    "sensitivity": "restricted" if n == 6 else "internal"})
    copy = sqlite3.connect(build_audit_copy(ledger, tmp_path / "audit"))
    subject, records, withheld = copy.execute(
        "SELECT subject, records, withheld FROM commits WHERE command = 'import'").fetchone()
    assert (subject, withheld) == ("import: 5 records, 1 withheld", 1)
    assert json.loads(records) == [f"MS-2026-{n:04d}" for n in range(1, 6)]
    subjects = {r[0] for r in copy.execute(
        "SELECT subject FROM record_versions WHERE kind = 'milestone'")}
    assert subjects == {"import: 5 records, 1 withheld"}


# ---- every field that names a record, one rule ---------------------------------------------

@pytest.fixture
def linked_then_restricted(ledger_root):
    """Day 1 (2026-01-10), all public: a commitment ``zembla``; a decision OLD superseded by
    NEW; a milestone answering a finding of an assessment; a milestone created by OLD; a
    milestone of ``zembla``. Day 2 (2026-01-20): OLD, the finding's milestone and ``zembla``
    restricted."""
    ledger = Ledger(ledger_root)
    public = {"sensitivity": "public"}
    with ledger.change("commitment add", author=AUTHOR, timestamp=stamp("2026-01-10")) as tx:
        tx.put({"kind": "commitment", "id": "protect-zembla", "title": SECRET_COMMITMENT,
                "text": SECRET_TEXT, "section": "3", "status": "active", **public})
    old = ops.log_decision(ledger, SECRET_TITLE, date="2026-01-10", rationale=SECRET_RATIONALE,
                           author=AUTHOR, timestamp=stamp("2026-01-10", 1),
                           **public).records[-1]["id"]
    new = ops.log_decision(ledger, "Screen every feature", date="2026-01-10", supersedes=old,
                           author=AUTHOR, timestamp=stamp("2026-01-10", 2),
                           **public).records[-1]["id"]
    answering = ops.add_milestone(ledger, SECRET_MILESTONE, commitment="ongoing-hrdd",
                                  due="2026-02-01", author=AUTHOR,
                                  timestamp=stamp("2026-01-10", 3), **public).records[0]["id"]
    created = ops.add_milestone(ledger, "Publish the checklist", commitment="ongoing-hrdd",
                                decision=old, due="2026-02-01", author=AUTHOR,
                                timestamp=stamp("2026-01-10", 4), **public).records[0]["id"]
    orphan = ops.add_milestone(ledger, "Train the Zembla moderators",
                               commitment="protect-zembla", due="2026-02-01", author=AUTHOR,
                               timestamp=stamp("2026-01-10", 5), **public).records[0]["id"]
    with ledger.change("log assessment", author=AUTHOR, timestamp=stamp("2026-01-10", 6)) as tx:
        assessment = tx.next_id("assessment", 2026)
        tx.put({"kind": "assessment", "id": assessment, "title": "Moderation practices",
                "subject": "enterprise", "status": "in-progress", "started": "2026-01-10",
                "findings": [
                    {"finding": "No playbook for threats.", "milestones": [answering]},
                    {"finding": "Reports go unanswered.", "milestones": [answering, created]},
                ], **public})
    with ledger.change("restrict", author=AUTHOR, timestamp=stamp("2026-01-20")) as tx:
        for record_id, kind in ((old, "decision"), (answering, "milestone"),
                                ("protect-zembla", "commitment")):
            record = dict(tx.require(record_id, kind))
            record["sensitivity"] = "restricted"
            tx.put(record)
    return ledger, {"old": old, "new": new, "answering": answering, "created": created,
                    "orphan": orphan, "assessment": assessment}


def cli_out(ledger: Ledger, *args: str) -> str:
    result = run_cli("--ledger", str(ledger.root), *args)
    assert result.code == 0, result.err
    return result.out


def test_restricted_ids_leave_every_link_field_of_a_snapshot(linked_then_restricted):
    ledger, ids = linked_then_restricted
    hidden = (ids["old"], ids["answering"], "protect-zembla", *SECRETS)
    for fmt in ("json", "csv", "table"):
        for kind in ("assessments", "decisions", "milestones", "commitments"):
            out = cli_out(ledger, "list", kind, "--at", DAY_1, "-f", fmt)
            assert not [s for s in hidden if s in out], (kind, fmt)
        for record_id in (ids["assessment"], ids["new"], ids["created"]):
            out = cli_out(ledger, "show", record_id, "--at", DAY_1, "-f", fmt)
            assert not [s for s in hidden if s in out], (record_id, fmt)
        out = cli_out(ledger, "due", "--at", DAY_1, "--within", "365", "-f", fmt)
        assert not [s for s in hidden if s in out], fmt
    assessment = json.loads(cli_out(ledger, "show", ids["assessment"], "--at", DAY_1,
                                    "-f", "json"))[0]
    # the findings stay; only the withheld milestone leaves them
    assert assessment["findings"] == [
        {"finding": "No playbook for threats."},
        {"finding": "Reports go unanswered.", "milestones": [ids["created"]]},
    ]
    new = json.loads(cli_out(ledger, "show", ids["new"], "--at", DAY_1, "-f", "json"))[0]
    assert "supersedes" not in new
    due = json.loads(cli_out(ledger, "due", "--at", DAY_1, "--within", "365", "-f", "json"))
    assert [m["id"] for m in due] == [ids["created"]]
    assert "decision" not in due[0]
    with snapshot(ledger, DAY_1) as snap:  # the kind tables say the same as the records
        row = snap.conn.execute("SELECT findings FROM assessments WHERE id = ?",
                                (ids["assessment"],)).fetchone()
        assert ids["answering"] not in row[0]
        row = snap.conn.execute("SELECT supersedes FROM decisions WHERE id = ?",
                                (ids["new"],)).fetchone()
        assert row[0] is None


def test_a_record_whose_required_link_is_withheld_is_withheld_too(linked_then_restricted):
    ledger, ids = linked_then_restricted
    listed = json.loads(cli_out(ledger, "list", "milestones", "--at", DAY_1, "-f", "json"))
    assert [m["id"] for m in listed] == [ids["created"]]
    refused = run_cli("--ledger", str(ledger.root), "show", ids["orphan"], "--at", DAY_1)
    assert refused.code == 2 and "protect-zembla" not in refused.out + refused.err
    with snapshot(ledger, DAY_1) as snap:  # outputs that count restricted records still may
        assert queries.get(snap.conn, ids["orphan"])["sensitivity"] == "restricted"
        assert queries.get(snap.conn, ids["orphan"])["commitment"] == "protect-zembla"
    with snapshot(ledger) as snap:  # at HEAD the milestone is as it is
        assert queries.get(snap.conn, ids["orphan"])["sensitivity"] == "public"


@pytest.mark.parametrize("mode", ["--include-internal", "--public-only"])
def test_the_audit_copy_as_of_day_1_strips_every_link_field(linked_then_restricted, tmp_path,
                                                            mode):
    ledger, ids = linked_then_restricted
    folder = tmp_path / "audit"
    cli_out(ledger, "audit", "--build", str(folder), "--at", DAY_1, mode)
    data = (folder / "ledger.db").read_bytes()
    hidden = (ids["old"], ids["answering"], ids["orphan"], "protect-zembla", *SECRETS)
    assert not [s for s in hidden if s.encode() in data]
    conn = sqlite3.connect(folder / "ledger.db")
    findings = conn.execute("SELECT findings FROM assessments WHERE id = ?",
                            (ids["assessment"],)).fetchone()[0]
    assert json.loads(findings) == [
        {"finding": "No playbook for threats."},
        {"finding": "Reports go unanswered.", "milestones": [ids["created"]]},
    ]
    record = json.loads(conn.execute("SELECT json FROM records WHERE id = ?",
                                     (ids["assessment"],)).fetchone()[0])
    assert record["findings"] == json.loads(findings)
    versions = [json.loads(r[0]) for r in conn.execute(
        "SELECT json FROM record_versions WHERE record_id = ?", (ids["new"],))]
    assert versions and not [v for v in versions if "supersedes" in v]
    ids_in_copy = {r[0] for r in conn.execute("SELECT id FROM records")}
    assert ids["orphan"] not in ids_in_copy and ids["created"] in ids_in_copy


def test_the_audit_copy_and_the_snapshot_withhold_the_same_records(linked_then_restricted,
                                                                  tmp_path):
    from hrgov.audit import build_audit_copy

    ledger, _ = linked_then_restricted
    with snapshot(ledger, DAY_1) as snap:
        shown = {r[0]: json.loads(r[1]) for r in snap.conn.execute(
            "SELECT id, json FROM records WHERE sensitivity != 'restricted'")}
    copy = sqlite3.connect(build_audit_copy(ledger, tmp_path / "audit", at=DAY_1))
    copied = {r[0]: json.loads(r[1]) for r in copy.execute("SELECT id, json FROM records")}
    assert copied == shown


# ---- as of HEAD reads like HEAD --------------------------------------------------------------

@pytest.fixture
def restricted_then_public(ledger_root):
    """A decision logged restricted on 2026-01-10 and made public on 2026-01-20 (HEAD); another
    public on 2026-01-10, restricted on 2026-01-15 and public again at HEAD."""
    ledger = Ledger(ledger_root)
    once = ops.log_decision(ledger, SECRET_TITLE, date="2026-01-10", sensitivity="restricted",
                            author=AUTHOR, timestamp=stamp("2026-01-10")).records[-1]["id"]
    twice = ops.log_decision(ledger, "Publish the annual report", date="2026-01-10",
                             sensitivity="public", author=AUTHOR,
                             timestamp=stamp("2026-01-10", 1)).records[-1]["id"]

    def set_sensitivity(day, pairs):
        with ledger.change("decision edit", author=AUTHOR, timestamp=stamp(day)) as tx:
            for record_id, sensitivity in pairs:
                record = dict(tx.require(record_id, "decision"))
                record["sensitivity"] = sensitivity
                tx.put(record)

    set_sensitivity("2026-01-15", [(twice, "restricted")])
    set_sensitivity("2026-01-20", [(once, "public"), (twice, "public")])
    return ledger, once, twice


@pytest.mark.parametrize("at", ["HEAD", "sha", "2026-01-20", "2026-02-01", "9999-12-31"])
def test_as_of_head_reads_exactly_like_head(restricted_then_public, tmp_path, at):
    ledger, once, twice = restricted_then_public
    if at == "sha":
        at = head(ledger.root)
    listed = cli_out(ledger, "list", "decisions", "-f", "json")
    assert [d["id"] for d in json.loads(listed)] == [once, twice]
    assert cli_out(ledger, "list", "decisions", "--at", at, "-f", "json") == listed
    assert cli_out(ledger, "show", once, "--at", at, "-f", "json") == cli_out(
        ledger, "show", once, "-f", "json")
    with snapshot(ledger, at, withhold=True) as snap:
        assert queries.get(snap.conn, once)["sensitivity"] == "public"
    cli_out(ledger, "report", "--public", "--year", "2026", "-o", str(tmp_path / "now.md"))
    cli_out(ledger, "report", "--public", "--year", "2026", "--as-of", "9999-12-31", "-o",
            str(tmp_path / "then.md"))
    now = (tmp_path / "now.md").read_text()
    assert SECRET_TITLE in now and now == (tmp_path / "then.md").read_text()
    from hrgov.audit import build_audit_copy

    def copied(**kwargs):
        conn = sqlite3.connect(build_audit_copy(ledger, tmp_path / str(len(kwargs)), **kwargs))
        return sorted(conn.execute("SELECT id, json FROM records"))

    assert copied(at=at) == copied()


@pytest.mark.parametrize("day", ["2026-01-10", "2026-01-15", "2026-01-19"])
def test_before_head_the_most_restrictive_sensitivity_governs(restricted_then_public, day):
    ledger, once, twice = restricted_then_public
    assert json.loads(cli_out(ledger, "list", "decisions", "--at", day, "-f", "json")) == []
    with snapshot(ledger, day) as snap:
        assert queries.get(snap.conn, once)["sensitivity"] == "restricted"
        assert queries.get(snap.conn, twice)["sensitivity"] == "restricted"
