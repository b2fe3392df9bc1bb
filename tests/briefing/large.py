"""A generated ledger of 2,000+ milestones (and decisions, meetings, issues) in one year, built
with ``hrgov import`` (one commit per kind): the briefing must stay short at that scale."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path

from .conftest import AUTHOR, stamp

MILESTONES = 2100
DECISIONS = 400
ISSUES = 240
YEAR_START = date(2026, 1, 1)
STATUS_DAY = date(2026, 12, 20)
RECORDED = date(2026, 12, 1)  # the day the imports are stamped: nothing is done after it


def _csv(rows: list[dict]) -> io.StringIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out


def build_large_ledger(root: Path, seed: int = 5) -> Path:
    from hrgov import ledger, policy
    from hrgov.importing import import_csv

    rng = random.Random(seed)
    pack = policy.load("wikimedia-2021")
    book = ledger.init(root, pack, organisation="Large Foundation", author=AUTHOR,
                       timestamp=stamp("2025-12-01"))
    commitments = [r["id"] for r in pack.records if r["kind"] == "commitment"]
    departments = [r["id"] for r in pack.records if r["kind"] == "department"]
    categories = [r["id"] for r in pack.records if r["kind"] == "category"]
    meetings = [YEAR_START + timedelta(days=7 + 14 * n) for n in range(25)]
    import_csv(book, "meetings", _csv([
        {"date": str(d), "body": "steering-committee", "attendees": "General Counsel;Secretary",
         "quorum": "true"} for d in meetings]), author=AUTHOR, timestamp=stamp("2026-12-01"))
    import_csv(book, "decisions", _csv([
        {"date": str(d), "meeting": f"MTG-{d}", "status": "adopted",
         "title": f"Decision {n} on a long matter of policy implementation that the "
                  "Committee discussed at length and settled",
         "commitments": rng.choice(commitments), "owner": rng.choice(departments)}
        for n, d in enumerate(rng.choice(meetings) for _ in range(DECISIONS))]),
        author=AUTHOR, timestamp=stamp("2026-12-01", 1))
    rows = []
    for n in range(MILESTONES):
        due = YEAR_START + timedelta(days=rng.randint(0, 540))
        status = rng.choice(("planned", "in-progress", "done", "planned", "blocked"))
        row = {"title": f"Milestone {n}: deliver a long-named piece of work for the policy",
               "commitment": rng.choice(commitments), "owner": rng.choice(departments),
               "due": str(due), "original_due": str(due), "status": status,
               "done_on": str(min(due, RECORDED)) if status == "done" else "", "slips": ""}
        if rng.random() < 0.15:
            moved = due + timedelta(days=30)
            row["slips"] = json.dumps([{"from": str(due), "to": str(moved),
                                        "reason": "Supplier delay", "on": "2026-06-01"}])
            row["due"] = str(moved)
        rows.append(row)
    import_csv(book, "milestones", _csv(rows), author=AUTHOR, timestamp=stamp("2026-12-01", 2))
    import_csv(book, "issues", _csv([
        {"summary": "An anonymised issue.", "reported": str(YEAR_START + timedelta(
            days=rng.randint(0, 350))), "category": rng.choice(categories),
         "impact": str(rng.randint(1, 3)), "likelihood": str(rng.randint(1, 3)),
         "salient": "true" if rng.random() < 0.2 else "false"} for _ in range(ISSUES)]),
        author=AUTHOR, timestamp=stamp("2026-12-01", 3))
    return root
