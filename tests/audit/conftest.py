"""The audit view's scenario: a ledger with public, internal and restricted records, slips, an
owner change, a record that was restricted and is no longer, built once through
``hrgov.operations`` (one commit per change, dated), and audit bundles of it.

Datasette is asked through its own in-process client (``ds.client``), with ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import shutil
import socket
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from hrgov import operations
from hrgov.ledger import Ledger

HRGOV = str(Path(sys.executable).with_name("hrgov"))
SECRETARY = "Committee Secretary <secretary@example.org>"
DEPUTY = "Deputy Secretary <deputy@example.org>"
AS_OF = date(2026, 4, 1)

# Everything written into restricted records: none of it may appear in an audit copy.
RESTRICTED_TITLE = "Relocate moderators at risk in Zembla before the elections"
RESTRICTED_TEXT = "Quietly fund the relocation of three moderators named in the threat memo."
RESTRICTED_RATIONALE = "Credible threats reported by the security team in Ostrava."
RESTRICTED_MILESTONE = "Safe houses for the Zembla moderators"
RESTRICTED_REASON = "The Zembla border closed to our travel team."
DECLASSIFIED_OLD_TITLE = "Answer the Zembla interior ministry's data demand"
RESTRICTED_SUCCESSOR = "Screen features used in Zembla with the security team"
RESTRICTED_ISSUE = (
    "Two administrators of the Zembla-language wiki were threatened after editing an article "
    "on the protests; one of them reports being followed."
)
SECRETS = (
    RESTRICTED_ISSUE,
    RESTRICTED_SUCCESSOR,
    RESTRICTED_TITLE,
    RESTRICTED_TEXT,
    RESTRICTED_RATIONALE,
    RESTRICTED_MILESTONE,
    RESTRICTED_REASON,
    DECLASSIFIED_OLD_TITLE,
    "Zembla",
)


def stamp(day: str, minute: int = 0) -> int:
    """10:00 UTC on ``day`` plus ``minute`` minutes, as a commit timestamp."""
    moment = datetime.fromisoformat(day).replace(hour=10, minute=minute, tzinfo=UTC)
    return int(moment.timestamp())


@dataclass
class Scenario:
    root: Path
    public_decision: str  # D-2026-0001, adopted at the January meeting
    restricted_decision: str  # D-2026-0002
    internal_decision: str  # D-2026-0003, superseded by a restricted decision in March
    declassified_decision: str  # D-2026-0004: restricted when logged, internal since
    slipped_milestone: str  # MS-2026-0001, internal, slipped twice, overdue on AS_OF
    restricted_milestone: str  # MS-2026-0002
    done_milestone: str  # MS-2026-0003, public, done
    linked_milestone: str  # MS-2026-0004, internal, created by the restricted decision
    reassigned_commitment: str  # owner moved to legal on 2026-03-02
    ownerless_commitment: str  # owner removed outside the commands
    restricted_successor: str  # D-2026-0005, restricted, supersedes the internal decision
    restricted_only_commitment: str  # its only milestone is restricted
    registers: Registers | None = None  # issues, an assessment, grievances, a remedy (April)


@dataclass
class Registers:
    """The registers' part of the scenario, committed from 2026-04-02 on (after everything
    above), with dates in the records themselves from 2025-11 on."""

    privacy_issue: str  # HRI-2025-0001, reported 2025-11-10, salient, score 6, assessing
    onwiki_issue: str  # HRI-2026-0001, reported 2026-01-12, not salient, score 6
    offwiki_issue: str  # HRI-2026-0002, reported 2026-02-03, salient, score 9, mitigating
    restricted_issue: str  # HRI-2026-0003, restricted, salient
    dismissed_issue: str  # HRI-2026-0004, reported 2026-03-05, privacy, dismissed
    assessment: str  # HRIA-2026-01, two findings: 1 with a milestone, 2 without
    planned_assessment: str  # HRIA-2026-02: planned, no finding
    finding_milestone: str  # MS-2026-0005, answers finding 1
    old_open_grievance: str  # received 2025-12-01, acknowledged after 3 days, investigating
    closed_grievance: str  # received 2026-01-05, acknowledged 2 days, closed after 30
    recent_grievance: str  # received 2026-02-15, acknowledged the same day, still open
    late_closed_grievance: str  # received 2025-12-20, closed 2026-03-31 (101 days)
    grievance_on_restricted_issue: str  # internal, received 2026-03-01, about the restricted issue
    remedy: str  # for the closed grievance and its issue


def build_scenario(root: Path) -> Scenario:
    ledger = Ledger(root)
    ops = operations
    meeting = ops.log_meeting(
        ledger, date="2026-01-15", notes="Quarterly meeting.", author=SECRETARY,
        timestamp=stamp("2026-01-15"),
    ).records[0]["id"]
    public = ops.log_decision(
        ledger, "Publish an annual human rights progress report", meeting=meeting,
        commitments=["ongoing-hrdd"], owner="legal", rationale="Transparency.",
        sensitivity="public", author=SECRETARY, timestamp=stamp("2026-01-15", 1),
    ).records[-1]["id"]
    restricted = ops.log_decision(
        ledger, RESTRICTED_TITLE, meeting=meeting, commitments=["staff-physical-safety"],
        owner="security", text=RESTRICTED_TEXT, rationale=RESTRICTED_RATIONALE,
        sensitivity="restricted", author=SECRETARY, timestamp=stamp("2026-01-15", 2),
    ).records[-1]["id"]
    internal = ops.log_decision(
        ledger, "Screen new product features for human-rights risk", date="2026-01-20",
        commitments=["expert-guided-product-development", "ongoing-hrdd"],
        owner="product-technology", author=SECRETARY, timestamp=stamp("2026-01-20"),
    ).records[-1]["id"]
    slipped = ops.add_milestone(
        ledger, "Publish the first progress report", commitment="ongoing-hrdd",
        decision=public, due="2026-02-15", owner="steering-committee", author=SECRETARY,
        timestamp=stamp("2026-01-21"),
    ).records[0]["id"]
    hidden = ops.add_milestone(
        ledger, RESTRICTED_MILESTONE, commitment="staff-physical-safety", decision=restricted,
        due="2026-03-01", sensitivity="restricted", author=SECRETARY,
        timestamp=stamp("2026-01-21", 1),
    ).records[0]["id"]
    done = ops.add_milestone(
        ledger, "Launch checklist asks the human-rights question",
        commitment="expert-guided-product-development", decision=internal, due="2026-03-10",
        sensitivity="public", author=SECRETARY, timestamp=stamp("2026-01-21", 2),
    ).records[0]["id"]
    linked = ops.add_milestone(
        ledger, "Brief the Board on moderator safety", commitment="ongoing-hrdd",
        decision=restricted, due="2026-05-01", author=SECRETARY,
        timestamp=stamp("2026-01-21", 3),
    ).records[0]["id"]
    with ledger.change("log decision", author=SECRETARY, timestamp=stamp("2026-02-01")) as tx:
        declassified = tx.next_id("decision", 2026)
        tx.put({
            "kind": "decision", "id": declassified, "title": DECLASSIFIED_OLD_TITLE,
            "date": "2026-02-01", "status": "adopted", "sensitivity": "restricted",
            "commitments": ["resist-rights-violating-data-requests"],
        })
    ops.update_milestone(
        ledger, slipped, due="2026-03-01", reason="Data from two regions arrived late.",
        author=DEPUTY, timestamp=stamp("2026-02-10"),
    )
    ops.update_milestone(
        ledger, hidden, due="2026-04-15", reason=RESTRICTED_REASON, author=DEPUTY,
        timestamp=stamp("2026-02-20"),
    )
    ops.update_milestone(
        ledger, slipped, due="2026-03-20", reason="The translation vendor withdrew.",
        author=DEPUTY, timestamp=stamp("2026-02-25"),
    )
    ops.assign_commitment(
        ledger, "expert-guided-product-development", "legal", keep_milestones=True,
        reason="Product asked Legal to lead.", author=SECRETARY, timestamp=stamp("2026-03-02"),
    )
    with ledger.change("decision edit", author=SECRETARY, timestamp=stamp("2026-03-03")) as tx:
        record = dict(tx.require(declassified, "decision"))
        record.update(title="Answer a government data demand", sensitivity="internal")
        tx.put(record)
    with ledger.change("commitment edit", author=SECRETARY, reason="The owner was dissolved.",
                       timestamp=stamp("2026-03-04")) as tx:
        record = dict(tx.require("children-rights", "commitment"))
        del record["owner"]
        tx.put(record)
    ops.complete_milestone(
        ledger, done, on="2026-03-05", evidence=["https://example.org/checklist"],
        author=DEPUTY, timestamp=stamp("2026-03-05"),
    )
    successor = ops.log_decision(
        ledger, RESTRICTED_SUCCESSOR, date="2026-03-06", supersedes=internal,
        commitments=["expert-guided-product-development"], sensitivity="restricted",
        author=SECRETARY, timestamp=stamp("2026-03-06"),
    ).records[-1]["id"]
    return Scenario(
        root=root,
        public_decision=public,
        restricted_decision=restricted,
        internal_decision=internal,
        declassified_decision=declassified,
        slipped_milestone=slipped,
        restricted_milestone=hidden,
        done_milestone=done,
        linked_milestone=linked,
        reassigned_commitment="expert-guided-product-development",
        ownerless_commitment="children-rights",
        restricted_only_commitment="staff-physical-safety",
        restricted_successor=successor,
        registers=build_registers(ledger),
    )


def build_registers(ledger: Ledger) -> Registers:
    """Issues, assessments, grievances and a remedy, committed in April 2026."""
    ops = operations
    minute = iter(range(1000))

    def at(day: str) -> dict:
        return {"author": SECRETARY, "timestamp": stamp(day, next(minute))}

    def issue(summary, **fields) -> str:
        return ops.log_issue(ledger, summary, **fields, **at("2026-04-02")).records[-1]["id"]

    privacy = issue(
        "A national regulator asked for the account data of contributors to a page about "
        "an opposition party.", reported="2025-11-10", category="privacy",
        subcategory="User-data requests", actor="state", involvement="linked", impact=3,
        likelihood=2, salient=True, board_example=True, rightsholder_group="volunteer",
        commitments=["resist-rights-violating-data-requests"],
    )
    onwiki = issue(
        "Coordinated personal attacks on talk pages against editors of articles on a "
        "contested election.", reported="2026-01-12", category="harassment",
        subcategory="On-wiki", actor="non-state", impact=2, likelihood=3, salient=False,
    )
    offwiki = issue(
        "Contributors to a small-language wiki were harassed on an external forum after a "
        "deletion debate.", reported="2026-02-03", category="harassment",
        subcategory="Off-wiki", actor="non-state", impact=3, likelihood=3, salient=True,
    )
    restricted = issue(
        RESTRICTED_ISSUE, reported="2026-02-20", category="safety-of-defenders",
        subcategory="Threats", actor="state", impact=3, likelihood=3, salient=True,
        board_example=True, sensitivity="restricted",
    )
    dismissed = issue(
        "A report of surveillance of readers that turned out to concern another website.",
        reported="2026-03-05", category="privacy", subcategory="Surveillance", impact=1,
        likelihood=1,
    )
    ops.set_status(ledger, "issue", privacy, "assessing", **at("2026-04-03"))
    ops.set_status(ledger, "issue", offwiki, "mitigating", **at("2026-04-03"))
    ops.set_status(
        ledger, "issue", dismissed, "dismissed", note="Not about our projects.",
        **at("2026-04-03"),
    )
    assessment = ops.log_assessment(
        ledger, "Enterprise-wide human rights impact assessment", subject="enterprise",
        trigger="periodic", assessor="external", phase=3, started="2026-01-10",
        commitments=["periodic-hria"], **at("2026-04-04"),
    ).records[-1]["id"]
    milestone = ops.add_finding(
        ledger, assessment, "Government data requests are answered without a written playbook.",
        severity="high", milestones=["Publish a playbook for government data requests"],
        commitment="ongoing-hrdd", due="2026-09-30", **at("2026-04-04"),
    ).records[0]["id"]
    ops.add_finding(
        ledger, assessment, "Volunteers in small language communities do not know where to "
        "report threats.", severity="medium", **at("2026-04-04"),
    )
    planned = ops.log_assessment(
        ledger, "Impact assessment of the new mobile editing feature", subject="product",
        trigger="launch", assessor="internal", **at("2026-04-04"),
    ).records[-1]["id"]

    def grievance(channel, received, **fields) -> str:
        return ops.log_grievance(
            ledger, channel=channel, received=received, **fields, **at("2026-04-05")
        ).records[-1]["id"]

    def stage(grievance_id, name, on, **fields) -> None:
        ops.grievance_stage(ledger, grievance_id, name, on=on, **fields, **at("2026-04-06"))

    old_open = grievance("talktohumanrights", "2025-12-01",
                         summary="A volunteer asks for help after a data request.",
                         issue=privacy)
    closed = grievance("ucoc", "2026-01-05", summary="Harassment on talk pages.", issue=onwiki)
    recent = grievance("emergency", "2026-02-15", summary="Threat against a contributor.")
    late = grievance("trust-and-safety", "2025-12-20", summary="Doxxing attempt.")
    on_restricted = grievance("other", "2026-03-01", summary="Follow-up by a community member.",
                              issue=restricted)
    stage(old_open, "acknowledged", "2025-12-04")
    stage(old_open, "investigating", "2025-12-10")
    stage(closed, "acknowledged", "2026-01-07")
    stage(closed, "closed", "2026-02-04", outcome="upheld")
    stage(recent, "acknowledged", "2026-02-15")
    stage(late, "closed", "2026-03-31", outcome="not-upheld")
    remedy = ops.add_remedy(
        ledger, "restoration", "The attacking accounts were blocked and the talk pages restored.",
        grievance=closed, issue=onwiki, provider="trust-and-safety", delivered_on="2026-02-04",
        verified=True, **at("2026-04-07"),
    ).records[-1]["id"]
    return Registers(
        privacy_issue=privacy, onwiki_issue=onwiki, offwiki_issue=offwiki,
        restricted_issue=restricted, dismissed_issue=dismissed, assessment=assessment,
        planned_assessment=planned, finding_milestone=milestone, old_open_grievance=old_open,
        closed_grievance=closed, recent_grievance=recent, late_closed_grievance=late,
        grievance_on_restricted_issue=on_restricted, remedy=remedy,
    )


@pytest.fixture(scope="session")
def scenario(_template_ledger, tmp_path_factory) -> Scenario:
    """The scenario, built once; tests must not write to it (copy ``scenario.root`` first)."""
    base = tmp_path_factory.mktemp("audit-scenario")
    root = base / "ledger"
    shutil.copytree(_template_ledger, root, symlinks=True)
    (base / "gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", str(base / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        return build_scenario(root)


@pytest.fixture(scope="session")
def bundles(scenario, tmp_path_factory):
    """``bundles(mode)``: the audit bundle of the scenario in ``internal`` (the default) or
    ``public`` mode, evaluated as of ``AS_OF``, built once per mode."""
    from hrgov.audit import write_bundle

    built = {}

    def get(mode: str = "internal"):
        if mode not in built:
            folder = tmp_path_factory.mktemp(f"bundle-{mode}") / "bundle"
            built[mode] = write_bundle(
                Ledger(scenario.root), folder, include_internal=mode == "internal", as_of=AS_OF
            )
        return built[mode]

    return get


@pytest.fixture(scope="session")
def bundle(bundles):
    return bundles("internal")


@pytest.fixture(scope="session")
def public_bundle(bundles):
    return bundles("public")


def connect(database: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def text_cells(conn):
    """Every text value in every table and view of the database, with where it is."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for name in names:
        for row in conn.execute(f"SELECT * FROM [{name}]"):
            for column, value in zip(row.keys(), row, strict=True):
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                if isinstance(value, str):
                    yield name, column, value


class Client:
    """Datasette's in-process client over a bundle, without an event loop of the test's own."""

    def __init__(self, folder: Path, metadata: dict | None = None):
        from datasette.app import Datasette

        self.ds = Datasette(
            [],
            immutables=[str(folder / "ledger.db")],
            metadata=metadata,
            template_dir=str(folder / "templates"),
            plugins_dir=str(folder / "plugins"),
        )

    def get(self, path: str, **kwargs):
        return asyncio.run(self.ds.client.get(path, **kwargs))

    def json(self, path: str):
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.json()

    def rows(self, path: str, **params) -> list[dict]:
        """The rows of a table, view or canned query (``params`` are its parameters)."""
        return self.json(f"{path}.json?" + urlencode({"_shape": "array", **params}))


@pytest.fixture(scope="session")
def client(bundle):
    return Client(bundle.folder, bundle.metadata)


@pytest.fixture(scope="session")
def public_client(public_bundle):
    return Client(public_bundle.folder, public_bundle.metadata)


@pytest.fixture
def audit_cli():
    """``run_cli`` with ``hrgov audit`` registered (the root app may not list it yet)."""
    from hrgov import commands
    from hrgov.commands import audit
    from tests.conftest import run_cli

    if not any(group.typer_instance is audit.app for group in commands.app.registered_groups):
        commands.app.add_typer(audit.app)
    return run_cli


# Until the root command line registers ``audit``, run it as the root app would.
SHIM = (
    "import sys\n"
    "from hrgov import commands\n"
    "from hrgov.commands import audit\n"
    "if not any(g.typer_instance is audit.app for g in commands.app.registered_groups):\n"
    "    commands.app.add_typer(audit.app)\n"
    "commands.main(sys.argv[1:])\n"
)


def hrgov_audit_command() -> list[str]:
    """``hrgov`` itself once it has the audit command, else the same entry point via a shim."""
    probe = subprocess.run([HRGOV, "audit", "--help"], capture_output=True)
    return [HRGOV] if probe.returncode == 0 else [sys.executable, "-c", SHIM]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_line(process: subprocess.Popen, timeout: float) -> str:
    """The first line the process prints on stdout, waiting at most ``timeout`` seconds."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            running = process.poll() is None
            detail = "still starting" if running else process.stderr.read().decode()
            raise AssertionError(f"no URL within {timeout} s: {detail}")
    return process.stdout.readline().decode().strip()


def start_audit(root: Path, scratch: Path, *options: str, attempts: int = 5):
    """Start the real ``hrgov audit`` on a free loopback port, its temporary files in
    ``scratch``; return ``(url, process, port)`` once it prints its URL.

    The port is free when asked for, but tests run in parallel (pytest-xdist), and another
    worker's server or client may take it before this server binds it: then the server says
    the port is in use and exits, and another free port is tried."""
    for attempt in range(1, attempts + 1):
        port = free_port()
        process = subprocess.Popen(
            [*hrgov_audit_command(), "--ledger", str(root), "audit", "--port", str(port),
             *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
        try:
            url = read_line(process, timeout=60)
        except BaseException:
            process.kill()
            process.communicate()
            raise
        if url:
            return url, process, port
        _, err = process.communicate()  # it printed nothing: it has stopped
        err = err.decode()
        if "in use" not in err or attempt == attempts:
            raise AssertionError(f"hrgov audit did not start (exit {process.returncode}): {err}")


@contextmanager
def serving(root: Path, scratch: Path, *options: str):
    """Run the real ``hrgov audit`` on a free loopback port; yield ``(url, process)``; stop it
    with Ctrl-C (SIGINT) on the way out."""
    import signal

    url, process, _ = start_audit(root, scratch, *options)
    try:
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        finally:
            process.stdout.close()
