"""What hrgov verify reports, in the audit copy: a change made with plain git that breaks the
rule book is listed with its commit, author, record and rule; one that concerns a restricted
record is counted, never named; a restricted grievance is counted in the reports, never cited.
Built once: the scenario, a restricted grievance, then a hand edit committed with git."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from hrgov import operations
from hrgov.ledger import Ledger
from tests.audit.conftest import AS_OF, SECRETARY, Client, connect, stamp, text_cells

HAND = ["-c", "user.name=Hand Editor", "-c", "user.email=hand@example.org"]
RESTRICTED_GRIEVANCE = "A moderator under threat asks for the case to be kept confidential."


def hand_edit(root, record_path, **changes) -> None:
    path = root / record_path
    record = json.loads(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


@pytest.fixture(scope="module")
def broken(scenario, tmp_path_factory):
    """The scenario with a restricted grievance, then one plain-git commit that moves the due
    dates of an internal and a restricted milestone without a slip (hrgov would refuse it)."""
    from hrgov.audit import write_bundle

    base = tmp_path_factory.mktemp("rule-breaks")
    root = base / "ledger"
    shutil.copytree(scenario.root, root, symlinks=True)
    ledger = Ledger(root)
    grievance = operations.log_grievance(
        ledger, channel="emergency", received="2026-01-02", summary=RESTRICTED_GRIEVANCE,
        sensitivity="restricted", author=SECRETARY, timestamp=stamp("2026-04-08"),
    ).records[-1]["id"]
    hand_edit(root, f"records/milestones/2026/{scenario.slipped_milestone}.json",
              due="2026-12-31")
    hand_edit(root, f"records/milestones/2026/{scenario.restricted_milestone}.json",
              due="2026-12-31")
    subprocess.run(["git", "-C", str(root), *HAND, "commit", "-qam", "Tidy the due dates"],
                   check=True)
    sha = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                         capture_output=True, text=True).stdout.strip()
    bundle = write_bundle(Ledger(root), base / "bundle", as_of=AS_OF)
    return bundle, sha, grievance


@pytest.fixture(scope="module")
def client(broken):
    bundle = broken[0]
    return Client(bundle.folder, bundle.metadata)


def test_a_plain_git_commit_that_breaks_a_rule_is_listed(client, broken, scenario):
    _, sha, _ = broken
    rows = client.rows("/ledger/rule_breaks")
    assert [(r["sha"], r["author_name"], r["record_id"]) for r in rows] == [
        (sha, "Hand Editor", scenario.slipped_milestone)
    ]
    assert rows[0]["message"] == (
        "due moved from 2026-03-20 to 2026-12-31 without a slip (a due date moves only with "
        "its reason, kept in the slip)"
    )
    commit = client.rows("/ledger/commits", sha=sha)
    assert rows[0]["day"] == commit[0]["time"][:10]
    assert commit[0]["command"] is None  # made outside hrgov


def test_the_canned_query_names_the_record_and_counts_what_is_withheld(client, broken,
                                                                       scenario):
    _, sha, _ = broken
    rows = client.rows("/ledger/rule_breaks_reported_by_verify")
    assert [(r["sha"], r["record_id"], r["title"]) for r in rows[:1]] == [
        (sha, scenario.slipped_milestone, "Publish the first progress report")
    ]
    assert len(rows) == 2 and rows[1]["sha"] is None
    assert rows[1]["message"].startswith("1 more problem(s) concern records withheld")
    programme = client.json("/-/metadata.json")["plugins"]["hrgov-audit"]["programme"]
    integrity = next(group for group in programme if group["name"] == "integrity")
    assert "rule_breaks_reported_by_verify" in integrity["queries"]


def test_the_ids_of_links_become_links(client, broken, scenario):
    html = client.get("/ledger/rule_breaks").text
    assert f'href="/ledger/commits/{broken[1]}"' in html
    assert f'href="/ledger/records/{scenario.slipped_milestone}"' in html


def test_nothing_of_the_restricted_records_is_in_the_copy(broken, scenario):
    bundle, _, grievance = broken
    with connect(bundle.database) as conn:
        for table, column, value in text_cells(conn):
            for secret in (scenario.restricted_milestone, grievance, RESTRICTED_GRIEVANCE):
                assert secret not in value, (table, column)


def test_a_restricted_grievance_is_never_beyond_its_target_here(client, broken):
    rows = client.rows("/ledger/grievances_beyond_stage_targets", as_of="2026-05-20")
    assert broken[2] not in {r["grievance"] for r in rows}
    assert len(rows) == 2  # the scenario's two (test_audit_registers)


def test_a_clean_ledger_has_no_rule_break(scenario, bundle):
    with connect(bundle.database) as conn:
        assert conn.execute("SELECT count(*) FROM rule_breaks").fetchone()[0] == 0
        assert dict(conn.execute("SELECT key, value FROM meta"))["rule_breaks_withheld"] == "0"


def test_the_restricted_grievance_is_counted_in_the_scorecard_never_cited(client, broken):
    rows = {r["criterion"]: r for r in client.rows("/ledger/grievance_scorecard")}
    assert rows["Accessible"]["figures"].startswith(
        "4 grievances (1 restricted, not described) through 3 channels"
    )
    cited = {r["record_id"] for r in client.rows("/ledger/disclosure_citations", _size="max")}
    assert broken[2] not in cited


def test_a_copy_as_of_an_earlier_day_keeps_the_breaks_of_its_own_commits(broken,
                                                                           tmp_path):
    """The hand edit was committed today; the copy as of 2026-06-30 holds nothing after."""
    from hrgov.audit import write_bundle

    bundle = write_bundle(Ledger(broken[0].folder.parent / "ledger"), tmp_path / "bundle",
                          at="2026-06-30")
    with connect(bundle.database) as conn:
        assert conn.execute("SELECT count(*) FROM rule_breaks").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM commits WHERE sha = ?",
                            (broken[1],)).fetchone()[0] == 0
