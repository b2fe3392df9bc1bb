"""Measure hrgov against the performance budget in DESIGN.md, beside a baseline measured in the
same run. A benchmark to run and report, not a test:

    .venv/bin/python bench/budget.py                      # 1,000 / 10,000 / 100,000 records
    .venv/bin/python bench/budget.py --sizes 1000 10000   # quicker
    .venv/bin/python bench/budget.py --only list-at,import --sizes 10000   # some figures
    .venv/bin/python bench/budget.py --only sync --sizes 10000             # hrgov sync

Ledgers are built quickly (one ``git fast-import`` stream, not one command per record) under
bench/out/ and kept for the next run; ``--fresh`` builds them again.

The baseline is a bare script doing the least work a write needs: insert one row with
sqlite-utils, write one file, ``git add`` + ``git commit`` (bench/baseline.py), run in a clone of
the same ledger, interleaved with the hrgov runs so that both see the same machine. An import
is compared likewise with a bare script (bench/baseline_import.py: sqlite-utils ``insert_all``,
one file per record, ``git add -A`` + ``git commit``), each run on a fresh copy of the ledger.

hrgov is measured as users install it: a regular ``pip install .`` into bench/out/venv (the
development install's editable-import hook costs every process ~15 ms that users never pay);
the baseline runs on that environment's Python too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
VENV = OUT / "venv"
PYTHON = str(VENV / "bin" / "python")
HRGOV = str(VENV / "bin" / "hrgov")
AUTHOR = "Bench Secretary <bench@example.org>"
FIGURES = ("write", "help", "rebuild", "brief", "audit", "growth", "list-at", "import", "sync",
           "sign", "seal")
YEARS = range(2016, 2027)
ENV = {**os.environ, "HRGOV_AUTHOR": AUTHOR, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL":
       "bench@example.org", "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL":
       "bench@example.org"}


def run(*args, cwd=None, input=None) -> str:
    return subprocess.run(args, cwd=cwd, input=input, capture_output=True, check=True,
                          env=ENV).stdout.decode()


def timed(*args, cwd=None) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, capture_output=True, check=True, env=ENV)
    return time.perf_counter() - started


@dataclass
class Run:
    """One process, run to its end."""

    seconds: float
    peak_kb: int  # the largest resident set of the process or of any child it waited for
    code: int
    last_error: str  # the last line of its stderr, when it failed or warned
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for
    warned: bool = False  # exit 0 but "hrgov: warning:" (e.g. committed, index left unfinished)

    @property
    def ok(self) -> bool:
        return self.code == 0 and not self.warned


def measured(*args, cwd=None) -> Run:
    """Run a command to its end; its wall time, CPU time and peak memory (from ``wait4``: the
    largest single process among it and the children it waited for, such as git) and, if it
    fails, the last line it wrote on stderr. A run that exits 0 but says ``hrgov: warning:``
    (a write that committed but left the rest to the next command) counts as failed, with that
    line: its time is not that of the whole work.
    A failure is returned, not raised: the bench reports it and goes on."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=stderr, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        lines = stderr.read().decode(errors="replace").strip().splitlines()
        warnings = [line.strip() for line in lines if line.startswith("hrgov: warning:")]
        last = ""
        if process.returncode:
            last = lines[-1].strip() if lines else "(nothing on stderr)"
        elif warnings:
            last = warnings[-1]
        return Run(seconds, usage.ru_maxrss, process.returncode, last,
                   usage.ru_utime + usage.ru_stime, warned=bool(warnings))


# ---- building a ledger of N records ---------------------------------------------------------


def build_ledger(root: Path, size: int, seed: int = 7) -> None:
    """A ledger with ``size`` records (the Wikimedia pack included) and a history: meetings,
    decisions and milestones over 11 years, one commit per meeting's worth of records, and one
    milestone in five slipped once in a later commit."""
    from hrgov import ledger, policy, records

    rng = random.Random(seed)
    pack = policy.load("wikimedia-2021")
    start = int(time.mktime(date(2016, 1, 4).timetuple()))
    ledger.init(root, pack, author=AUTHOR, timestamp=start)
    commitments = [r["id"] for r in pack.records if r["kind"] == "commitment"]
    departments = [r["id"] for r in pack.records if r["kind"] == "department"]
    remaining = size - len(pack.records)
    per_year = remaining // len(YEARS)
    stream = []
    mark = 0
    when = start
    numbers = {}

    def commit(message: str, files: list[tuple[str, bytes]]) -> None:
        nonlocal mark, when
        mark += 1
        when += 3600
        body = message.encode()
        stream.append(
            b"commit refs/heads/%s\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\n"
            b"data %d\n%s\n" % (branch, mark, AUTHOR.encode(), when, AUTHOR.encode(), when,
                                 len(body), body)
        )
        if mark == 1:
            stream.append(b"from %s\n" % head.encode())
        for path, data in files:
            stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))

    def next_id(prefix: str, year: int) -> str:
        numbers[(prefix, year)] = numbers.get((prefix, year), 0) + 1
        return f"{prefix}-{year}-{numbers[(prefix, year)]:04d}"

    branch = run("git", "symbolic-ref", "--short", "HEAD", cwd=root).strip().encode()
    head = run("git", "rev-parse", "HEAD", cwd=root).strip()
    slips = []
    for year in YEARS:
        made = 0
        day = date(year, 1, 8)
        while made < per_year:
            meeting = {"kind": "meeting", "id": f"MTG-{day}", "date": str(day),
                       "body": "steering-committee", "attendees": ["General Counsel"]}
            batch = [meeting]
            for _ in range(3):
                batch.append({
                    "kind": "decision", "id": next_id("D", year), "date": str(day),
                    "meeting": meeting["id"], "title": f"Decision taken on {day}",
                    "status": "adopted", "commitments": [rng.choice(commitments)],
                    "owner": rng.choice(departments), "text": "Text " * rng.randint(5, 80),
                })
            for _ in range(4):
                due = day + timedelta(days=rng.randint(30, 400))
                milestone = {
                    "kind": "milestone", "id": next_id("MS", year),
                    "title": f"Milestone set on {day}", "commitment": rng.choice(commitments),
                    "decision": batch[1]["id"], "owner": rng.choice(departments),
                    "due": str(due), "original_due": str(due), "status": "planned",
                }
                batch.append(milestone)
                if rng.random() < 0.2:
                    slips.append(milestone)
            batch = batch[: per_year - made]
            made += len(batch)
            ids = [r["id"] for r in batch]
            message = (f"log meeting {ids[0]}: bench\n\nHrgov-Command: log meeting\n"
                       + "".join(f"Hrgov-Record: {i}\n" for i in ids))
            commit(message, [(records.path_of(r), records.dumps({**r, "sensitivity":
                                                                 "internal"})) for r in batch])
            day += timedelta(days=3) if day.month < 12 or day.day < 25 else timedelta(days=0)
            if day.year != year:
                day = date(year, 12, 28)
        for milestone in [m for m in slips if m["id"].split("-")[1] == str(year)]:
            moved = dict(milestone, due=str(date.fromisoformat(milestone["due"]) +
                                            timedelta(days=45)), sensitivity="internal")
            moved["slips"] = [{"from": milestone["due"], "to": moved["due"],
                               "reason": "Supplier delay", "on": f"{year}-12-30"}]
            commit(f"milestone update {moved['id']}: slip\n\nHrgov-Command: milestone update\n"
                   f"Hrgov-Record: {moved['id']}\nHrgov-Reason: Supplier delay\n",
                   [(records.path_of(moved), records.dumps(moved))])
    stream.append(b"done\n")
    run("git", "fast-import", "--quiet", "--done", cwd=root, input=b"".join(stream))
    run("git", "read-tree", "-u", "--reset", "HEAD", cwd=root)
    run("git", "gc", "-q", cwd=root)
    run(HRGOV, "-q", "--ledger", str(root), "rebuild")


def ledger_of(size: int, fresh: bool) -> Path:
    root = OUT / f"ledger-{size}"
    if fresh or not (root / ".hrgov" / "ledger.db").exists():
        shutil.rmtree(root, ignore_errors=True)
        OUT.mkdir(exist_ok=True)
        started = time.perf_counter()
        build_ledger(root, size)
        print(f"  built a {size:,}-record ledger in {time.perf_counter() - started:.1f} s",
              flush=True)
    return root


# ---- measurements ---------------------------------------------------------------------------


def write_costs(roots: dict[int, Path], runs: int) -> dict[int, tuple[float, float]]:
    """Median seconds of ``hrgov log decision`` and of the baseline for each ledger size.

    Every run goes round all the sizes, hrgov then the baseline for each: the machine's speed
    drifts over minutes, and the budget compares sizes with each other as well as with the
    baseline, so all of them are measured under the same conditions.
    """
    clones = {}
    for size, root in roots.items():
        clones[size] = OUT / f"baseline-{root.name}"
        shutil.rmtree(clones[size], ignore_errors=True)
        run("git", "clone", "-q", "--local", str(root), str(clones[size]))
    ours = {size: [] for size in roots}
    theirs = {size: [] for size in roots}
    for n in range(runs + 1):
        for size, root in roots.items():
            hrgov = timed(HRGOV, "-q", "--ledger", str(root), "log", "decision",
                          f"Bench decision {n}", "--date", "2026-06-01",
                          "--commitment", "ongoing-hrdd")
            base = timed(PYTHON, str(HERE / "baseline.py"), str(clones[size]), str(n))
            if n:  # the first of each warms the disk cache
                ours[size].append(hrgov)
                theirs[size].append(base)
    for clone in clones.values():
        shutil.rmtree(clone, ignore_errors=True)
    return {size: (statistics.median(ours[size]), statistics.median(theirs[size]))
            for size in roots}


def help_cost(runs: int) -> float:
    return statistics.median(timed(HRGOV, "--help") for _ in range(runs))


def rebuild_costs(root: Path, runs: int = 3) -> list[float]:
    """Seconds of each of ``runs`` rebuilds: a shared machine's speed drifts by tens of per
    cent within minutes, so the median is the figure and the spread is shown beside it."""
    return sorted(timed(HRGOV, "-q", "--ledger", str(root), "rebuild") for _ in range(runs))


def history_growth(root: Path, decisions: int = 50) -> float:
    """Bytes of packed history added per logged decision."""
    clone = OUT / "growth"
    shutil.rmtree(clone, ignore_errors=True)
    run("git", "clone", "-q", "--no-local", str(root), str(clone))
    shutil.copytree(root / ".hrgov", clone / ".hrgov")

    def packed() -> int:
        run("git", "gc", "-q", "--prune=now", cwd=clone)
        sizes = run("git", "count-objects", "-v", cwd=clone)
        return 1024 * int(next(x for x in sizes.splitlines() if x.startswith("size-pack"))
                           .split()[1])

    run(HRGOV, "-q", "--ledger", str(clone), "rebuild")
    before = packed()
    for n in range(decisions):
        run(HRGOV, "-q", "--ledger", str(clone), "log", "decision",
            f"Adopt a screening rule for product area {n}", "--date", "2026-06-01",
            "--commitment", "ongoing-hrdd", "--owner", "legal",
            "--rationale", "The Steering Committee agreed the policy requires it.")
    growth = (packed() - before) / decisions
    shutil.rmtree(clone, ignore_errors=True)
    return growth


def middle_date(root: Path) -> str:
    """The day (UTC) of the commit halfway along the ledger's first-parent history: ``--at``
    that day answers from about half of the history."""
    times = run("git", "log", "--first-parent", "--format=%ct", cwd=root).split()
    return datetime.fromtimestamp(int(times[len(times) // 2]), UTC).date().isoformat()


def decisions_listed(root: Path, *at: str) -> int | None:
    """How many decisions ``hrgov list decisions`` shows (None if it fails)."""
    try:
        out = run(HRGOV, "-q", "--ledger", str(root), "list", "decisions", *at, "--format", "json")
    except subprocess.CalledProcessError:
        return None
    return len(json.loads(out))


@dataclass
class Comparison:
    """Medians of hrgov and of its yardstick over the counted runs, or the first failure."""

    ours: float = 0.0
    theirs: float = 0.0
    ours_peak_kb: int = 0
    theirs_peak_kb: int = 0
    failed: Run | None = None  # the hrgov run that failed (the figure stops there)
    failed_theirs: Run | None = None  # the yardstick's, if it failed
    ratios: list[float] = field(default_factory=list)  # pair by pair, in the order run
    ours_cpu: float = 0.0  # median CPU seconds: steadier than wall time on a busy machine
    theirs_cpu: float = 0.0
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs


def compare(pairs: list[tuple[Run, Run]]) -> Comparison:
    """Medians of the pairs' times and peak memory; the failure if the last pair failed."""
    result = Comparison()
    last_ours, last_theirs = pairs[-1]
    if not last_ours.ok or not last_theirs.ok:
        result.failed = None if last_ours.ok else last_ours
        result.failed_theirs = None if last_theirs.ok else last_theirs
        pairs = pairs[-1:]  # the failed pair's own times are what is left to report
    result.ours = statistics.median(o.seconds for o, _ in pairs)
    result.theirs = statistics.median(t.seconds for _, t in pairs)
    result.ours_peak_kb = int(statistics.median(o.peak_kb for o, _ in pairs))
    result.theirs_peak_kb = int(statistics.median(t.peak_kb for _, t in pairs))
    result.ratios = [o.seconds / t.seconds for o, t in pairs]
    result.ours_cpu = statistics.median(o.cpu for o, _ in pairs)
    result.theirs_cpu = statistics.median(t.cpu for _, t in pairs)
    return result


def list_at_cost(root: Path, day: str, runs: int) -> Comparison:
    """``hrgov list decisions --at DAY`` against the same list at HEAD, alternating; the first
    of each warms the caches. A failure ends the figure (it is reported, not raised)."""
    head = (HRGOV, "-q", "--ledger", str(root), "list", "decisions")
    pairs = []
    for n in range(runs + 1):
        pair = (measured(*head, "--at", day), measured(*head))
        if not (pair[0].ok and pair[1].ok):
            return compare([pair])
        if n:
            pairs.append(pair)
    return compare(pairs)


def sign_cost(root: Path, runs: int) -> Comparison:
    """``hrgov log decision`` with signing required (``ledger.sign = "decisions"``, an
    ed25519 key made here) against the same command in an unsigned copy, alternating."""
    signed, plain = fresh_copy(root, "sign-on"), fresh_copy(root, "sign-off")
    key = OUT / "sign-key"
    for leftover in (key, key.with_suffix(".pub")):
        leftover.unlink(missing_ok=True)
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench@example.org", "-f",
        str(key))
    run("git", "config", "user.signingKey", str(key), cwd=signed)
    run(HRGOV, "-q", "--ledger", str(signed), "signers", "add", "bench@example.org", "--key",
        str(key.with_suffix(".pub")))
    run(HRGOV, "-q", "--ledger", str(signed), "signers", "require", "decisions")
    pairs = []
    for n in range(runs + 1):
        pair = tuple(
            measured(HRGOV, "-q", "--ledger", str(copy), "log", "decision", f"Signed? {n}",
                     "--date", "2026-06-01", "--commitment", "ongoing-hrdd", "--no-input")
            for copy in (signed, plain)
        )
        if not (pair[0].ok and pair[1].ok):
            return compare([pair])
        if n:
            pairs.append(pair)
    return compare(pairs)


def paired_row(name: str, found, against: str, budget: float, what: str, runs: int,
               notes: list[str]) -> tuple:
    """One figure measured in pairs against its yardstick (``against``), with its budget."""
    limit = f"≤ {budget} × {against}"
    if found.failed or found.failed_theirs:
        which = found.failed or found.failed_theirs
        notes.append(f"{what}: {which.last_error}")
        return (name, f"failed (exit {which.code})", limit, "FAILED")
    notes.append(f"{what}: ratio {min(found.ratios):.2f}–{max(found.ratios):.2f} over {runs} "
                 "pairs")
    return (name, f"{show(found.ours)} = {found.ratio:.2f} × {against} {show(found.theirs)}",
            limit, verdict(found.ratio <= budget))


def sign_rows(roots: dict[int, Path], runs: int, notes: list[str]) -> list[tuple]:
    return [paired_row(f"log decision signed, {size:,} records", sign_cost(root, runs),
                       "unsigned", 1.3, f"signing, {size:,} records", runs, notes)
            for size, root in roots.items()]


def sealed_copy(root: Path, name: str) -> tuple[Path, Path]:
    """A copy of the ledger whose recipient is an age key made here, named by the copy's own
    git config (``hrgov.identity``, as a user sets it); returns the copy and the key."""
    copy = fresh_copy(root, name)
    key = OUT / f"{name}-key"
    run(PYTHON, "-c", "import sys; from pyrage import x25519; i = x25519.Identity.generate(); "
        "open(sys.argv[1], 'w').write(f'{i}\\n'); print(i.to_public())", str(key))
    recipient = run(PYTHON, "-c", "import sys; from pyrage import x25519; print(x25519.Identity"
                    ".from_str(open(sys.argv[1]).read().strip()).to_public())", str(key))
    run("git", "config", "hrgov.identity", str(key), cwd=copy)
    run(HRGOV, "-q", "--ledger", str(copy), "recipients", "add", recipient.strip())
    return copy, key


def seal_cost(root: Path, runs: int) -> Comparison:
    """``hrgov log decision --sensitivity restricted`` (sealed to one recipient) against the
    same command writing an internal decision, in the same ledger, alternating."""
    copy, _ = sealed_copy(root, "seal-write")
    pairs = []
    for n in range(runs + 1):
        pair = tuple(
            measured(HRGOV, "-q", "--ledger", str(copy), "log", "decision", f"Sealed? {n}",
                     "--date", "2026-06-01", "--commitment", "ongoing-hrdd", "--sensitivity",
                     sensitivity, "--no-input")
            for sensitivity in ("restricted", "internal")
        )
        if not (pair[0].ok and pair[1].ok):
            return compare([pair])
        if n:
            pairs.append(pair)
    return compare(pairs)


# Marks every meeting, decision and milestone of a ledger restricted, in one change (each is
# then sealed with a data key of its own).
_RESTRICT_ALL = """
import sys
from pathlib import Path
from hrgov.ledger import Ledger
ledger = Ledger(Path(sys.argv[1]))
rows = ledger.reader().execute(
    "SELECT json FROM records WHERE kind IN ('meeting', 'decision', 'milestone')").fetchall()
import json
with ledger.change("restrict", reason="bench: seal every record") as tx:
    for (text,) in rows:
        tx.put({**json.loads(text), "sensitivity": "restricted"})
print(len(rows))
"""


def sealed_rebuild_rows(root: Path, runs: int, notes: list[str]) -> list[tuple]:
    """``hrgov rebuild`` of the ledger once its meetings, decisions and milestones are all
    made restricted in one change and sealed: with the key (every one opened) and without
    (outlines), against the rebuild of a copy given the same change without recipients
    (restricted, not sealed: the same history), alternating."""
    plain = fresh_copy(root, "seal-plain")
    run(PYTHON, "-c", _RESTRICT_ALL, str(plain))
    copy, key = sealed_copy(root, "seal-rebuild")
    count = int(run(PYTHON, "-c", _RESTRICT_ALL, str(copy)).strip())
    keyless = fresh_copy(copy, "seal-keyless")
    run("git", "config", "--unset", "hrgov.identity", cwd=keyless)
    times = {"plain": [], "key": [], "keyless": []}
    for n in range(runs + 1):
        for name, where in (("plain", plain), ("key", copy), ("keyless", keyless)):
            found = measured(HRGOV, "-q", "--ledger", str(where), "rebuild")
            if not found.ok:
                notes.append(f"sealed rebuild ({name}): {found.last_error}")
                return [(f"rebuild, {count:,} sealed records", f"failed (exit {found.code})",
                         "(info)", "FAILED")]
            if n:
                times[name].append(found.seconds)
    plain_s, key_s, keyless_s = (statistics.median(times[k]) for k in ("plain", "key", "keyless"))
    notes.append(f"sealed rebuild: the ledger's {count:,} meetings, decisions and milestones "
                 f"restricted in one commit, sealed or not; unsealed {show(plain_s)}, median of "
                 f"{runs}")
    return [  # no budget is set for these: they are reported
        (f"rebuild, {count:,} sealed records, with the key",
         f"{show(key_s)} = {key_s / plain_s:.2f} × unsealed", "(info)", "info"),
        (f"rebuild, {count:,} sealed records, no key",
         f"{show(keyless_s)} = {keyless_s / plain_s:.2f} × unsealed", "(info)", "info"),
    ]


def seal_rows(roots: dict[int, Path], runs: int, notes: list[str]) -> list[tuple]:
    rows = []
    for size, root in roots.items():
        rows.append(paired_row(f"log decision restricted (sealed), {size:,} records",
                               seal_cost(root, runs), "internal", 1.2,
                               f"sealing, {size:,} records", runs, notes))
        if size == 10000:
            rows += sealed_rebuild_rows(root, max(3, runs // 5), notes)
    return rows


def import_csv_for(root: Path, size: int, seed: int = 11) -> Path:
    """A CSV of ``size`` new milestones for the ledger at ``root``. Each links a commitment of
    the policy pack, a decision and a department of the ledger; every field is given (so that
    the baseline writes exactly the files hrgov writes), and the ids follow the ledger's
    highest milestone of this year, as the import would assign them."""
    rng = random.Random(seed)

    def ids(folder: str) -> list[str]:
        names = run("git", "ls-tree", "-r", "--name-only", "HEAD", f"records/{folder}/", cwd=root)
        return sorted(Path(name).stem for name in names.split())

    commitments, departments = ids("commitments"), ids("departments")
    decisions = ids("decisions")
    year = date.today().year
    taken = [int(i.split("-")[2]) for i in ids(f"milestones/{year}")]
    first = max(taken, default=0) + 1
    source = OUT / f"import-{size}.csv"
    columns = ["id", "title", "commitment", "decision", "owner", "due", "original_due",
               "status", "sensitivity"]
    with open(source, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        for n in range(first, first + size):
            due = date(year + 1, 1, 1) + timedelta(days=rng.randint(0, 700))
            writer.writerow([f"MS-{year}-{n:04d}", f"Imported milestone {n} for the review",
                             rng.choice(commitments), rng.choice(decisions),
                             rng.choice(departments), due, due, "planned", "internal"])
    return source


def fresh_copy(root: Path, name: str) -> Path:
    """A copy of the ledger (index database included) whose git index is up to date with the
    copied files' new inodes, so that neither side pays for re-hashing every file. Automatic
    ``git gc`` is off in the copy: the baseline's commit of thousands of loose objects would
    start one in the background, unmeasured, slowing whatever runs next."""
    copy = OUT / name
    shutil.rmtree(copy, ignore_errors=True)
    run("cp", "-a", str(root), str(copy))
    run("git", "config", "gc.auto", "0", cwd=copy)
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=copy, env=ENV,
                   capture_output=True)
    return copy


def import_cost(root: Path, size: int, runs: int) -> Comparison:
    """``hrgov import`` of ``size`` new milestones against the bare baseline of the same rows,
    each run on a fresh copy of the ledger made outside the timing, hrgov then the baseline
    in each round. A warm-up round comes first below 100,000 rows (above, a cold start is
    lost in the minutes a run takes). A failure ends the figure."""
    source = import_csv_for(root, size)
    warm = 1 if size < 100000 else 0
    pairs = []
    checked = ""
    for n in range(runs + warm):
        ours_copy = fresh_copy(root, "import-hrgov")
        theirs_copy = fresh_copy(root, "import-baseline")
        pair = (measured(HRGOV, "-q", "--ledger", str(ours_copy), "import", "milestones",
                         str(source)),
                measured(PYTHON, str(HERE / "baseline_import.py"), str(theirs_copy),
                         "milestones", str(source)))
        if pair[0].ok and pair[1].ok and not checked:
            trees = [run("git", "rev-parse", "HEAD^{tree}", cwd=c).strip()
                     for c in (ours_copy, theirs_copy)]
            checked = "same" if trees[0] == trees[1] else "the baseline's tree differs from hrgov's"
        shutil.rmtree(ours_copy, ignore_errors=True)
        shutil.rmtree(theirs_copy, ignore_errors=True)
        if not (pair[0].ok and pair[1].ok):
            return compare([pair])
        if n >= warm:
            pairs.append(pair)
    result = compare(pairs)
    if checked != "same":
        result.note = checked
    return result


# ---- hrgov sync ------------------------------------------------------------------------------


@dataclass
class Sharing:
    """A bare remote made from a ledger, the clone whose sync is measured and a second person's
    clone that pushes to the remote in between, both made with ``hrgov clone``."""

    remote: Path
    mine: Path
    other: Path

    def head(self, where: Path | None = None, ref: str = "HEAD") -> str:
        return run("git", "rev-parse", ref, cwd=where or self.mine).strip()

    def pushed(self) -> bool:
        """The remote's branch is where the measured clone's branch is."""
        branch = run("git", "symbolic-ref", "--short", "HEAD", cwd=self.mine).strip()
        return self.head(self.remote, branch) == self.head()


def sharing(root: Path, work: Path, name: str) -> Sharing:
    remote = work / f"{name}.git"
    run("git", "clone", "-q", "--bare", "--no-local", str(root), str(remote))
    shared = Sharing(remote, work / name, work / f"{name}-other")
    for clone in (shared.mine, shared.other):
        run(HRGOV, "-q", "clone", str(remote), str(clone))
        run("git", "config", "gc.auto", "0", cwd=clone)  # no unmeasured background gc
    return shared


def log_decision(clone: Path, title: str, day: str) -> str:
    return run(HRGOV, "-q", "--ledger", str(clone), "log", "decision", title, "--date", day,
               "--commitment", "ongoing-hrdd", "--no-input").strip()


def merge_trailers(clone: Path) -> tuple[int, str]:
    """How many parents HEAD has, and its Hrgov-Renumbered trailer (empty if none)."""
    parents = len(run("git", "rev-list", "--parents", "-n", "1", "HEAD", cwd=clone).split()) - 1
    body = run("git", "log", "-1", "--format=%B", cwd=clone)
    renumbered = [line.split(":", 1)[1].strip() for line in body.splitlines()
                  if line.startswith("Hrgov-Renumbered:")]
    return parents, "; ".join(renumbered)


def sync_cost(root: Path, runs: int) -> tuple[Comparison, list[str]]:
    """``hrgov sync`` of one new decision against ``git pull --no-edit && git push`` of the
    same change, alternating, a warm-up pair first.

    Each side has its own bare remote (``git clone --bare`` of the ledger) and two clones made
    with ``hrgov clone``: the measured one and another person's. Before each pair, not timed,
    the other person logs a decision and syncs it to the remote, and the measured clone logs
    its own decision, so that the timed step must fetch one commit, merge and push two.

    On the hrgov side both log a decision of the same day, so both took the same next id:
    the sync must renumber the local one (the case it exists for). On the git side the other
    person's decision is dated a year earlier, so it lands at another path
    (records/decisions/2025/…): a plain ``git pull`` of the same path added on both sides
    would stop on an add/add conflict, which is no yardstick. With different paths git does
    the same transfer (one commit in, a merge commit and the local commit out) and a real
    three-way merge of the trees, without a conflict — the least that integrating and
    sending the change costs. The git clone's ``pull.rebase`` is set to false: git 2.27+
    otherwise refuses a pull of divergent branches until told how to reconcile them.
    """
    work = OUT / "sync"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ours, theirs = sharing(root, work, "hrgov"), sharing(root, work, "git")
    run("git", "config", "pull.rebase", "false", cwd=theirs.mine)
    pairs = []
    notes = []
    renumbered = merged = 0
    for n in range(runs + 1):
        # the other person's change, already on each remote
        log_decision(ours.other, f"Decision {n} logged elsewhere", "2026-06-01")
        run(HRGOV, "-q", "--ledger", str(ours.other), "sync")
        log_decision(theirs.other, f"Decision {n} logged elsewhere", "2025-06-01")
        run(HRGOV, "-q", "--ledger", str(theirs.other), "sync")
        # this clone's own change, not yet shared
        log_decision(ours.mine, f"Decision {n} logged here", "2026-06-01")
        log_decision(theirs.mine, f"Decision {n} logged here", "2026-06-01")
        pair = (measured(HRGOV, "-q", "--ledger", str(ours.mine), "sync"),
                measured("sh", "-c", "git pull --no-edit && git push", cwd=theirs.mine))
        if not (pair[0].ok and pair[1].ok):
            result = compare([pair])
            result.note = f"failed in round {n}"
            return result, notes
        for shared, label in ((ours, "hrgov sync"), (theirs, "git pull && git push")):
            if not shared.pushed():
                notes.append(f"sync, round {n}: after {label} the remote is not at the clone's "
                             f"HEAD")
        parents, trailer = merge_trailers(ours.mine)
        git_parents, _ = merge_trailers(theirs.mine)
        if n:
            pairs.append(pair)
            merged += parents == 2 and git_parents == 2
            renumbered += bool(trailer)
        if n == 1:
            notes.append(f"sync, first counted round: hrgov's merge says Hrgov-Renumbered: "
                         f"{trailer or '(none)'}")
    result = compare(pairs)
    notes.append(f"sync: {merged} of {runs} rounds ended on a merge commit on both sides, "
                 f"{renumbered} of {runs} hrgov merges renumbered the local decision")
    return result, notes


def large_sync_cost(root: Path, size: int = 10000) -> tuple[dict[str, Run], list[str]]:
    """A sync that brings ``size`` changed records, once each way, with plain git beside it.

    In one clone (``big``) ``hrgov import`` adds ``size`` milestones (one commit, not pushed);
    the other clone logs one decision and syncs it. Timed: ``hrgov sync`` in ``big`` (fetch one
    commit, merge, push the import and the merge), then ``hrgov sync`` in the other clone,
    which fast-forwards over the ``size`` records and brings its index up to date. The same
    is done on a second remote with ``git pull --no-edit && git push`` and a plain
    ``git pull`` for scale (a reference, no budget: git leaves the index to the next hrgov
    command)."""
    work = OUT / "sync-large"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ours, theirs = sharing(root, work, "hrgov"), sharing(root, work, "git")
    run("git", "config", "pull.rebase", "false", cwd=theirs.mine)
    run("git", "config", "pull.rebase", "false", cwd=theirs.other)
    source = import_csv_for(root, size)
    notes = []
    for shared in (ours, theirs):
        run(HRGOV, "-q", "--ledger", str(shared.mine), "import", "milestones", str(source))
        log_decision(shared.other, "A decision logged elsewhere", "2025-06-01")
        run(HRGOV, "-q", "--ledger", str(shared.other), "sync")
    before = ours.head(ours.other)
    found = {
        "hrgov sync, sending": measured(HRGOV, "-q", "--ledger", str(ours.mine), "sync"),
        "git pull && push, sending": measured("sh", "-c", "git pull --no-edit && git push",
                                               cwd=theirs.mine),
        "hrgov sync, receiving": measured(HRGOV, "-q", "--ledger", str(ours.other), "sync"),
        "git pull, receiving": measured("git", "pull", "--no-edit", cwd=theirs.other),
    }
    if ours.head(ours.other) != ours.head():
        notes.append("large sync: the receiving clone did not end on the sender's merge")
    received = run("git", "diff", "--name-only", before, "HEAD", cwd=ours.other).split()
    notes.append(f"large sync: the receiving hrgov sync brought {len(received):,} changed record "
                 f"files; merge parents on the sending side: {merge_trailers(ours.mine)[0]}")
    return found, notes


def sync_rows(roots: dict[int, Path], runs: int, notes: list[str]) -> list[tuple]:
    rows = []
    for size, root in roots.items():
        name = f"sync of one new decision, {size:,} records"
        budget = "≤ 2 × git pull+push" + ("" if size == 10000 else " (info)")
        found, said = sync_cost(root, runs)
        notes += said
        if found.failed or found.failed_theirs:
            which = found.failed or found.failed_theirs
            what = "hrgov sync" if found.failed else "git pull && git push"
            rows.append((name, f"{what} failed (exit {which.code})", budget, "FAILED"))
            notes.append(f"sync, {size:,} records: {what} {found.note}: {which.last_error}")
            continue
        rows.append((name, f"{show(found.ours)} = {statistics.median(found.ratios):.2f} × "
                           f"git {show(found.theirs)}", budget,
                     verdict(statistics.median(found.ratios) <= 2)))
        notes.append(f"sync, {size:,} records: ratio {min(found.ratios):.2f}–"
                     f"{max(found.ratios):.2f} over {len(found.ratios)} pairs (ratio of medians "
                     f"{found.ratio:.2f}); CPU {found.ours_cpu * 1000:.0f} ms vs "
                     f"{found.theirs_cpu * 1000:.0f} ms; peak {found.ours_peak_kb // 1024} MB vs "
                     f"{found.theirs_peak_kb // 1024} MB")
        if size != 10000:
            continue  # the large sync is measured on the 10,000-record ledger only
        large, said = large_sync_cost(root)
        notes += said
        for what, measured_run in large.items():
            figure = (f"{show(measured_run.seconds)}, peak {measured_run.peak_kb // 1024} MB"
                      if measured_run.ok else f"failed (exit {measured_run.code})")
            rows.append((f"{what} 10,000 new records, {size:,}-record ledger", figure,
                         "reported, no budget", "info" if measured_run.ok else "FAILED"))
            if not measured_run.ok:
                notes.append(f"large sync, {what}: {measured_run.last_error}")
    return rows


def show(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def list_at_rows(roots: dict[int, Path], runs: int, notes: list[str]) -> list[tuple]:
    rows = []
    for size, root in roots.items():
        day = middle_date(root)
        name = f"list decisions --at {day}, {size:,} records"
        budget = "≤ 2 × HEAD read" + ("" if size in (10000, 100000) else " (info)")
        found = list_at_cost(root, day, runs)
        if found.failed or found.failed_theirs:
            which = found.failed or found.failed_theirs
            what = "--at" if found.failed else "at HEAD"
            rows.append((name, f"the read {what} failed (exit {which.code})", budget, "FAILED"))
            notes.append(f"list decisions {what}, {size:,} records: {which.last_error}")
            continue
        rows.append((name, f"{show(found.ours)} = {found.ratio:.2f} × HEAD read "
                           f"{show(found.theirs)}", budget, verdict(found.ratio <= 2)))
        notes.append(f"list decisions, {size:,} records: {decisions_listed(root, '--at', day)} "
                     f"decisions at {day}, {decisions_listed(root)} at HEAD; ratio "
                     f"{min(found.ratios):.2f}–{max(found.ratios):.2f} over {runs} pairs")
    return rows


def import_rows(roots: dict[int, Path], runs: int, notes: list[str]) -> list[tuple]:
    rows = []
    for size, root in roots.items():
        name = f"import {size:,} new milestones, {size:,} records"
        budget = "≤ 1.5 × baseline" + ("" if size in (10000, 100000) else " (info)")
        found = import_cost(root, size, runs)
        if found.failed:
            how = "warned" if found.failed.warned else "failed"
            rows.append((name, f"{how} after {show(found.ours)} (baseline {show(found.theirs)})",
                         budget, "FAILED"))
            notes.append(f"import, {size:,} records: hrgov exited {found.failed.code}"
                         f"{' with a warning' if found.failed.warned else ''}: "
                         f"{found.failed.last_error}")
        elif found.failed_theirs:
            rows.append((name, f"{show(found.ours)}; the baseline failed", budget, "FAILED"))
            notes.append(f"import baseline, {size:,} records: exited "
                         f"{found.failed_theirs.code}: {found.failed_theirs.last_error}")
        else:
            rows.append((name, f"{show(found.ours)} = {found.ratio:.2f} × baseline "
                               f"{show(found.theirs)}", budget, verdict(found.ratio <= 1.5)))
        ours_mb, theirs_mb = found.ours_peak_kb / 1024, found.theirs_peak_kb / 1024
        rows.append((f"peak memory, import of {size:,} rows",
                     f"{ours_mb:.0f} MB (baseline {theirs_mb:.0f} MB)", "reported, no budget",
                     "info"))
        if not (found.failed or found.failed_theirs):
            spread = ", ".join(f"{r:.2f}" for r in found.ratios)
            notes.append(f"import, {size:,} records: ratio in each round {spread}; CPU "
                         f"{found.ours_cpu:.1f} s vs {found.theirs_cpu:.1f} s; "
                         + (found.note or "hrgov and the baseline committed the same tree"))
    return rows


BRIEF_FLOOR = "import docx, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"


def brief_rows(large: Path, runs: int) -> list[tuple]:
    """The Board briefing of the demo and of the 10,000-record ledger against the floor any
    briefing pays (a process that only imports python-docx and matplotlib.pyplot with Agg),
    the three alternating, medians of ``runs``."""
    demo = OUT / "demo-ledger"
    if not (demo / ".hrgov" / "ledger.db").exists():
        shutil.rmtree(demo, ignore_errors=True)
        run(HRGOV, "-q", "demo", str(demo), "--no-serve")
    today = date.today()
    period = ("--from", str(today - timedelta(days=365)), "--to", str(today))
    floor, small, big = [], [], []
    for _ in range(runs):
        floor.append(timed(PYTHON, "-c", BRIEF_FLOOR))
        small.append(timed(HRGOV, "-q", "--ledger", str(demo), "brief", *period, "-o",
                           str(OUT / "demo.docx")))
        big.append(timed(HRGOV, "-q", "--ledger", str(large), "brief", "--year", "2026", "-o",
                         str(OUT / "large.docx")))
    base = statistics.median(floor)
    demo_s, big_s = statistics.median(small), statistics.median(big)
    return [
        ("Board briefing, demo ledger",
         f"{demo_s:.2f} s = {demo_s / base:.2f} × floor {base:.2f} s", "≤ 2.5 × floor",
         verdict(demo_s / base <= 2.5)),
        (f"Board briefing, {large.name}",
         f"{big_s:.2f} s = {big_s / base:.2f} × floor {base:.2f} s", "≤ 5 × floor",
         verdict(big_s / base <= 5)),
    ]


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def install(fresh: bool) -> None:
    """A regular (not editable) install of this checkout into bench/out/venv: the
    dependencies once, hrgov itself again at every run (it is what is measured)."""
    if fresh or not Path(HRGOV).exists():
        shutil.rmtree(VENV, ignore_errors=True)
        OUT.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([PYTHON, "-m", "pip", "install", "-q", str(HERE.parent)], check=True)
    else:  # a dependency added since the venv was made is installed too
        subprocess.run([PYTHON, "-m", "pip", "install", "-q", "--force-reinstall",
                        "--no-deps", str(HERE.parent)], check=True)
        subprocess.run([PYTHON, "-m", "pip", "install", "-q", str(HERE.parent)], check=True)


def figures(text: str) -> set[str]:
    """``--only`` values: names separated by commas or spaces."""
    names = {name for name in text.replace(",", " ").split()}
    unknown = names - set(FIGURES)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown figure {', '.join(sorted(unknown))} (choose from: {', '.join(FIGURES)})")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per figure")
    parser.add_argument("--import-runs", type=int, default=3,
                        help="timed runs of each import (each on a fresh copy of the ledger)")
    parser.add_argument("--only", type=figures, nargs="+", metavar="FIGURE",
                        help=f"measure only these figures, e.g. --only list-at,import "
                             f"(from: {', '.join(FIGURES)})")
    parser.add_argument("--fresh", action="store_true", help="build the ledgers again")
    args = parser.parse_args()
    only = set().union(*args.only) if args.only else set(FIGURES)
    sizes = sorted(args.sizes)
    install(args.fresh)
    print(f"hrgov performance budget ({os.cpu_count()} cores, git "
          f"{run('git', '--version').split()[-1]}, Python {sys.version.split()[0]})")
    roots = {size: ledger_of(size, args.fresh) for size in sizes}
    rows = []
    notes: list[str] = []
    if "write" in only:
        writes = write_costs(roots, args.runs)
        for size in sizes:
            ours, base = writes[size]
            limit = 0.6 if size >= 100000 else 1.0
            rows.append((f"log decision, {size:,} records",
                         f"{ours * 1000:.0f} ms = {ours / base:.2f} × baseline "
                         f"{base * 1000:.0f} ms",
                         f"≤ {limit} × baseline" + ("" if size in (10000, 100000) else " (info)"),
                         verdict(ours / base <= limit)))
        if len(sizes) > 1:
            growth = writes[sizes[-1]][0] / writes[sizes[0]][0]
            rows.append((f"write cost {sizes[-1]:,} vs {sizes[0]:,} records", f"{growth:.2f} ×",
                         "≤ 1.4 ×", verdict(growth <= 1.4)))
    if "help" in only:
        help_median = help_cost(args.runs)
        bare = statistics.median(timed(PYTHON, "-c", "pass") for _ in range(args.runs))
        rows.append(("hrgov --help, cold process (median)",
                     f"{help_median * 1000:.0f} ms (bare python: {bare * 1000:.0f} ms)",
                     "≤ 100 ms", verdict(help_median <= 0.100)))
    if "rebuild" in only:
        rebuilds = rebuild_costs(roots[sizes[-1]])
        rebuild = statistics.median(rebuilds)
        rows.append((f"rebuild, {sizes[-1]:,} records with history (median of {len(rebuilds)})",
                     f"{rebuild:.1f} s ({rebuilds[0]:.1f}–{rebuilds[-1]:.1f})",
                     "≤ 10 s", verdict(rebuild <= 10)))
    middle = roots[sizes[min(1, len(sizes) - 1)]]
    label = f"{sizes[min(1, len(sizes) - 1)]:,} records"
    if "brief" in only:
        rows += brief_rows(roots.get(10000, middle), max(3, args.runs // 5))
    if "audit" in only:
        audit = OUT / "audit"
        audit_copy = statistics.median(
            timed(HRGOV, "-q", "--ledger", str(middle), "audit", "--build", str(audit))
            for _ in range(3)
        )
        rows.append((f"audit copy with metadata, {label}", f"{audit_copy:.1f} s", "≤ 5 s",
                     verdict(audit_copy <= 5)))
    if "growth" in only:
        growth_bytes = history_growth(middle)
        rows.append(("packed history per logged decision", f"{growth_bytes / 1024:.1f} KB",
                     "≤ 4 KB", verdict(growth_bytes <= 4096)))
    if "list-at" in only:
        rows += list_at_rows(roots, args.runs, notes)
    if "import" in only:
        rows += import_rows(roots, args.import_runs, notes)
    if "sync" in only:
        rows += sync_rows(roots, args.runs, notes)
    if "sign" in only:
        rows += sign_rows(roots, args.runs, notes)
    if "seal" in only:
        rows += seal_rows(roots, args.runs, notes)
    print()
    width = max(len(r[0]) for r in rows)
    for name, figure, budget, result in rows:
        print(f"{name:<{width}}  {figure:<38} {budget:<28} {result}")
    for note in notes:
        print(f"  {note}")


if __name__ == "__main__":
    main()
