"""Measure the audit view's slowest pages at scale, against its home page in the same run.

    .venv/bin/python bench/audit_pages.py                 # the 10,000-record bench ledger
    .venv/bin/python bench/audit_pages.py --size 1000 --runs 5

The ledger is the one ``bench/budget.py`` builds (bench/out/ledger-SIZE, built if missing). Its
audit bundle is served by ``datasette serve`` on a loopback port, as ``hrgov audit --build``
hands it off; each page is fetched over HTTP, alternating with the home page, and the median of
the runs is reported with the page's size and its ratio to the home page (the yardstick). The
budget (issue 12): ``record_changes`` and ``changes_between`` within 0.5 s.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import budget  # noqa: E402  (bench/ is not a package)

BIN = Path(sys.executable).parent
BUDGET_SECONDS = 0.5


def pages(milestone: str, day: str) -> dict[str, str]:
    """What an auditor opens, by name: the home page first (the yardstick)."""
    month = day[:8] + "01"
    return {
        "home page": "/",
        "record_changes (table, first page)": "/ledger/record_changes",
        "record_changes of one record": f"/ledger/record_changes?record_id={milestone}",
        "changes_between (one month)": f"/ledger/changes_between?from={month}&to={day}",
        "changes_between (no limits, first page)": "/ledger/changes_between",
        "record_history": f"/ledger/record_history?id={milestone}",
        "a milestone's page": f"/ledger/milestones/{milestone}",
        "overdue_milestones as of a date": f"/ledger/overdue_milestones?as_of={day}",
        "milestone_status": "/ledger/milestone_status",
        "grievances_beyond_stage_targets": f"/ledger/grievances_beyond_stage_targets?as_of={day}",
        "rule_breaks_reported_by_verify": "/ledger/rule_breaks_reported_by_verify",
        "disclosure_answers": "/ledger/disclosure_answers",
        "dashboard": "/-/dashboard",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return time.perf_counter() - started, len(body), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    budget.HRGOV = str(BIN / "hrgov")  # this environment's hrgov builds and rebuilds
    root = budget.ledger_of(args.size, fresh=False)
    bundle = budget.OUT / f"audit-{args.size}"
    started = time.perf_counter()
    subprocess.run([str(BIN / "hrgov"), "-q", "--ledger", str(root), "audit", "--build",
                    str(bundle)], check=True)
    print(f"  audit bundle of {args.size:,} records built in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    import sqlite3

    conn = sqlite3.connect(f"file:{bundle / 'ledger.db'}?mode=ro", uri=True)
    milestone = conn.execute(
        "SELECT record_id FROM record_versions WHERE kind = 'milestone' GROUP BY record_id "
        "ORDER BY count(*) DESC, record_id LIMIT 1"
    ).fetchone()[0]
    day = conn.execute("SELECT max(time) FROM commits").fetchone()[0][:10]
    versions = conn.execute("SELECT count(*) FROM record_versions").fetchone()[0]
    conn.close()
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "datasette"), "serve", str(bundle), "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        chosen = pages(milestone, day)
        for path in chosen.values():  # warm: the first request of each page pays for startup
            fetch(base + path)
        home = []
        times: dict[str, list[float]] = {name: [] for name in chosen}
        sizes: dict[str, int] = {}
        statuses: dict[str, int] = {}
        for _ in range(args.runs):
            for name, path in chosen.items():
                home.append(fetch(base + "/")[0])
                seconds, size, status = fetch(base + path)
                times[name].append(seconds)
                sizes[name], statuses[name] = size, status
    finally:
        server.terminate()
        server.wait()
    yardstick = statistics.median(home)
    print(f"\naudit pages, {args.size:,} records ({versions:,} versions), median of "
          f"{args.runs} runs, alternating with the home page ({yardstick * 1000:.0f} ms)\n")
    print(f"{'page':45} {'median':>9} {'× home':>7} {'size':>9}  status")
    for name in chosen:
        median = statistics.median(times[name])
        mark = ""
        if name.startswith(("record_changes", "changes_between")):
            mark = "  ok" if median <= BUDGET_SECONDS else f"  OVER {BUDGET_SECONDS} s"
        print(f"{name:45} {median * 1000:7.0f} ms {median / yardstick:7.1f} "
              f"{sizes[name] / 1024:7.0f} KB  {statuses[name]}{mark}")


if __name__ == "__main__":
    main()
