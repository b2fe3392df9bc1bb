"""Property: after any sequence of commands, imports and plain-git edits, good or bad, the index
equals a fresh rebuild, each accepted command added exactly one commit and each refused one
changed nothing; every commit hrgov made obeys the rule book, and ``verify`` reports exactly the
plain-git commits that break it."""

import io
import json
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from hrgov import operations
from hrgov.errors import HrgovError
from hrgov.importing import import_csv
from hrgov.ledger import Ledger, verify
from hrgov.model import MILESTONE_MOVES
from tests.conftest import commit_count, git, head, porcelain, rebuilt_snapshot, snapshot

COMMITMENTS = st.sampled_from(["ongoing-hrdd", "periodic-hria", "staff-education", "nope"])
DEPARTMENTS = st.sampled_from(["legal", "security", "trust-and-safety", "ghosts"])
DAYS = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(["2026-02-30", "soon"])
NEAR_DAYS = st.sampled_from(["2026-01-15", "2026-03-04", "2026-06-30", "2027-01-02"])
TEXT = st.text(min_size=0, max_size=40)
# Mostly titles a secretary would write, so that most commands go through.
TITLE = st.sampled_from(["Train staff", "Publish the report", "Screen new features"]) | TEXT
REASON = st.none() | st.sampled_from(["Vendor withdrew", "Reorganisation"]) | TEXT
DECISION_STATUS = st.sampled_from(
    ["proposed", "adopted", "implemented", "rejected", "superseded", "rescinded", "bogus"]
)
MILESTONE_STATUS = st.sampled_from(["planned", "in-progress", "blocked", "done", "dropped", "x"])


class LedgerMachine(RuleBasedStateMachine):
    template: Path | None = None

    @initialize()
    def create(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.root = self.tmp / "ledger"
        shutil.copytree(LedgerMachine.template, self.root, symlinks=True)
        self.ledger = Ledger(self.root)
        self.decisions: list[str] = []
        self.milestones: list[str] = []
        self.tainted: set[str] = set()  # records a plain-git edit broke: left alone by hand
        self.breaking: set[str] = set()  # plain-git commits that break a rule
        self.obeying: set[str] = set()  # plain-git commits that break none
        for title, due in (("Train staff", "2026-06-30"), ("Publish the report", "2027-01-02")):
            written = operations.add_milestone(
                self.ledger, title, commitment="ongoing-hrdd", due=due
            )
            self.milestones.append(written.records[-1]["id"])

    def attempt(self, action, *args, **kwargs):
        before_head, before_count = head(self.root), commit_count(self.root)
        try:
            written = action(self.ledger, *args, **kwargs)
        except HrgovError:
            assert head(self.root) == before_head
            assert porcelain(self.root) == ""
            return None
        assert commit_count(self.root) == before_count + 1
        return written

    @rule(day=DAYS, body=st.sampled_from(["steering-committee", "board", "club"]), notes=TEXT)
    def log_meeting(self, day, body, notes):
        self.attempt(operations.log_meeting, date=day, body=body, notes=notes or None)

    @rule(title=TITLE, day=NEAR_DAYS, commitments=st.lists(COMMITMENTS, max_size=2),
          owner=st.none() | DEPARTMENTS, status=st.sampled_from(["adopted", "proposed", "x"]),
          supersede=st.booleans())
    def log_decision(self, title, day, commitments, owner, status, supersede):
        supersedes = self.decisions[-1] if supersede and self.decisions else None
        written = self.attempt(
            operations.log_decision, title, date=day, commitments=commitments, owner=owner,
            status=status, supersedes=supersedes,
        )
        if written:
            self.decisions.append(written.records[-1]["id"])

    @rule(data=st.data(), status=DECISION_STATUS)
    def decision_status(self, data, status):
        if not self.decisions:
            return
        target = data.draw(st.sampled_from(self.decisions))
        by = data.draw(st.sampled_from(self.decisions)) if status == "superseded" else None
        self.attempt(operations.set_decision_status, target, status, by=by)

    @rule(title=TITLE, commitment=COMMITMENTS, due=NEAR_DAYS, owner=st.none() | DEPARTMENTS)
    def add_milestone(self, title, commitment, due, owner):
        written = self.attempt(
            operations.add_milestone, title, commitment=commitment, due=due, owner=owner
        )
        if written:
            self.milestones.append(written.records[-1]["id"])

    @rule(data=st.data(), status=st.none() | MILESTONE_STATUS, due=st.none() | NEAR_DAYS,
          reason=REASON, evidence=st.lists(TEXT, max_size=2))
    def update_milestone(self, data, status, due, reason, evidence):
        if not self.milestones:
            return
        target = data.draw(st.sampled_from(self.milestones))
        self.attempt(operations.update_milestone, target, status=status, due=due,
                     reason=reason, evidence=evidence)

    @rule(commitment=COMMITMENTS, department=DEPARTMENTS, reason=REASON)
    def assign(self, commitment, department, reason):
        self.attempt(operations.assign_commitment, commitment, department, reason=reason)

    @rule(data=st.data(), due=st.none() | NEAR_DAYS, original_due=st.none() | NEAR_DAYS,
          status=st.none() | MILESTONE_STATUS, cell_reason=REASON, reason=REASON)
    def import_milestones(self, data, due, original_due, status, cell_reason, reason):
        if not self.milestones:
            return
        target = data.draw(st.sampled_from(self.milestones))
        row = {"id": target, "due": due, "original_due": original_due, "status": status,
               "reason": cell_reason}
        row = {k: v for k, v in row.items() if v is not None and "," not in v and "\n" not in v}
        if len(row) == 1:
            return
        text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
        self.attempt(import_csv, "milestones", io.StringIO(text), update=True, reason=reason)

    @rule(title=TITLE, day=NEAR_DAYS, status=DECISION_STATUS,
          year=st.sampled_from(["", "2025", "2026"]))
    def import_decision(self, title, day, status, year):
        if "," in title or "\n" in title or '"' in title:
            return
        row = f"D-{year}-0901" if year else ""
        text = f"id,title,date,status\n{row},{title},{day},{status}\n"
        written = self.attempt(import_csv, "decisions", io.StringIO(text))
        if written:
            self.decisions.append(written.records[-1]["id"])

    @rule(data=st.data(), edit=st.sampled_from(
        ["retitle", "original_due", "due", "status", "delete"]))
    def edit_by_hand(self, data, edit):
        """A secretary edits a milestone's file and commits it with plain git."""
        choices = [m for m in self.milestones if m not in self.tainted]
        if not choices:
            return
        target = data.draw(st.sampled_from(choices))
        path = next((self.root / "records").rglob(f"{target}.json"))
        record = json.loads(path.read_text())
        breaks = True
        if edit == "retitle":
            record["title"] = record["title"] + " (edited)"
            breaks = False
        elif edit in ("original_due", "due"):
            record[edit] = (date.fromisoformat(record[edit]) + timedelta(days=1)).isoformat()
        elif edit == "status":
            now = record["status"]
            new = data.draw(st.sampled_from([s for s in MILESTONE_MOVES if s != now]))
            breaks = new not in MILESTONE_MOVES[now]
            record["status"] = new
            if new == "done":
                record["done_on"] = "2026-03-04"
            else:
                record.pop("done_on", None)
        if edit == "delete":
            git(self.root, "rm", "-q", str(path))
            self.milestones.remove(target)
        else:
            path.write_text(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False)
                            + "\n")
            git(self.root, "add", str(path))
        git(self.root, "commit", "-qm", f"hand edit: {edit} {target}")
        (self.breaking if breaks else self.obeying).add(head(self.root))
        if breaks:
            self.tainted.add(target)

    @invariant()
    def verify_reports_exactly_the_plain_git_breaks(self):
        if not hasattr(self, "root"):
            return
        verdict = verify(self.ledger)
        failed = {line.split()[1] for line in verdict.failures}
        assert all(line.startswith("commit ") for line in verdict.failures), verdict.failures
        assert failed == {sha[:12] for sha in self.breaking}, verdict.failures
        noticed = {line.split()[1] for line in verdict.notices}
        assert noticed == {sha[:12] for sha in self.obeying}, verdict.notices

    @invariant()
    def index_equals_a_fresh_rebuild(self):
        if hasattr(self, "root"):
            assert snapshot(self.root) == rebuilt_snapshot(self.root, self.tmp)

    def teardown(self):
        if hasattr(self, "tmp"):
            shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.mark.slow
def test_index_equals_rebuild_after_any_sequence(_template_ledger):
    LedgerMachine.template = _template_ledger
    runner = LedgerMachine.TestCase
    runner.settings = settings(
        max_examples=5,
        stateful_step_count=15,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # steps are slow to shrink
        suppress_health_check=list(HealthCheck),
    )
    runner("runTest").runTest()
