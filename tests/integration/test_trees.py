"""A write builds its commit's trees by splicing changed entries into the parent's: whatever
is added, changed or removed, git must read back exactly the intended files, in a tree it
accepts as well formed."""

import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrgov import history
from hrgov.ledger import _build_tree, _ObjectWriter
from tests.conftest import git

NAMES = st.sampled_from([
    "records/departments/legal.json", "records/departments/aaa.json",
    "records/departments/zzz.json", "records/departments/legal-2.json",
    "records/decisions/2026/D-2026-0001.json", "records/decisions/2026/D-2026-0500.json",
    "records/decisions/2019/D-2019-0001.json", "records/milestones/2026/MS-2026-0001.json",
    "records/categories/conflict.json", "records/new-kind/x.json", "hrgov.toml",
])


def _listing(root, tree: str) -> dict[str, str]:
    out = git(root, "ls-tree", "-r", tree)
    return {line.split("\t")[1]: line.split()[2] for line in out.splitlines()}


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_spliced_trees_hold_exactly_the_intended_files(ledger_root, data):
    blobs = git(ledger_root, "hash-object", "-w", "hrgov.toml", ".gitignore").split()
    base = git(ledger_root, "rev-parse", "HEAD^{tree}").strip()
    before = _listing(ledger_root, base)
    existing = st.sampled_from(sorted(p for p in before if p.startswith("records/")))
    changes = data.draw(st.dictionaries(NAMES | existing, st.none() | st.sampled_from(blobs),
                                        min_size=1, max_size=6))
    expected = dict(before)
    for path, blob in changes.items():
        if blob is None:
            expected.pop(path, None)
        else:
            expected[path] = blob
    at_head: dict = {}
    with history.CatFile(ledger_root) as reader:
        tree = _build_tree(reader, _ObjectWriter(ledger_root), base,
                           {tuple(p.split("/")): b for p, b in changes.items()}, at_head)
    assert _listing(ledger_root, tree) == expected
    assert at_head == {tuple(p.split("/")): before.get(p) for p in changes}
    checked = subprocess.run(["git", "-C", str(ledger_root), "fsck", "--strict", tree],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
