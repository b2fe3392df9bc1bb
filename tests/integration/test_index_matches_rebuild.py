"""Property: after any sequence of commands, good or bad, the index equals a fresh rebuild, each
accepted command added exactly one commit and each refused one changed nothing."""

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from hrgov import operations
from hrgov.errors import HrgovError
from hrgov.ledger import Ledger
from tests.conftest import commit_count, head, porcelain, rebuilt_snapshot, snapshot

COMMITMENTS = st.sampled_from(["ongoing-hrdd", "periodic-hria", "staff-education", "nope"])
DEPARTMENTS = st.sampled_from(["legal", "security", "trust-and-safety", "ghosts"])
DAYS = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(["2026-02-30", "soon"])
NEAR_DAYS = st.sampled_from(["2026-01-15", "2026-03-04", "2026-06-30", "2027-01-02"])
TEXT = st.text(min_size=0, max_size=40)
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

    @rule(title=TEXT, day=NEAR_DAYS, commitments=st.lists(COMMITMENTS, max_size=2),
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

    @rule(title=TEXT, commitment=COMMITMENTS, due=NEAR_DAYS, owner=st.none() | DEPARTMENTS)
    def add_milestone(self, title, commitment, due, owner):
        written = self.attempt(
            operations.add_milestone, title, commitment=commitment, due=due, owner=owner
        )
        if written:
            self.milestones.append(written.records[-1]["id"])

    @rule(data=st.data(), status=st.none() | MILESTONE_STATUS, due=st.none() | NEAR_DAYS,
          reason=st.none() | TEXT, evidence=st.lists(TEXT, max_size=2))
    def update_milestone(self, data, status, due, reason, evidence):
        if not self.milestones:
            return
        target = data.draw(st.sampled_from(self.milestones))
        self.attempt(operations.update_milestone, target, status=status, due=due,
                     reason=reason, evidence=evidence)

    @rule(commitment=COMMITMENTS, department=DEPARTMENTS, reason=st.none() | TEXT)
    def assign(self, commitment, department, reason):
        self.attempt(operations.assign_commitment, commitment, department, reason=reason)

    @invariant()
    def index_equals_a_fresh_rebuild(self):
        if hasattr(self, "root"):
            assert snapshot(self.root) == rebuilt_snapshot(self.root, self.tmp)

    def teardown(self):
        if hasattr(self, "tmp"):
            shutil.rmtree(self.tmp, ignore_errors=True)


def test_index_equals_rebuild_after_any_sequence(_template_ledger):
    LedgerMachine.template = _template_ledger
    runner = LedgerMachine.TestCase
    runner.settings = settings(
        max_examples=12,
        stateful_step_count=10,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # steps are slow to shrink
        suppress_health_check=list(HealthCheck),
    )
    runner("runTest").runTest()
