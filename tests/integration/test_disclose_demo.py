"""The demo's disclosure: a realistic mix of answers, and its restricted records never quoted."""

from __future__ import annotations

import re

import pytest

from hrgov.demo import build_demo
from tests.conftest import run_cli

pytestmark = pytest.mark.slow  # builds a whole demo year


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    base = tmp_path_factory.mktemp("disclose-demo")
    (base / "gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("HRGOV_AUTHOR", raising=False)
        patch.setenv("GIT_CONFIG_GLOBAL", str(base / "gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        return build_demo(base / "ledger")


def test_the_demo_answers_the_ungprf_with_every_mark_and_quotes_nothing_restricted(
        demo, tmp_path):
    start = demo.today.replace(year=demo.today.year - 1).isoformat()
    out = tmp_path / "ungprf.md"
    result = run_cli("--ledger", str(demo.root), "disclose", "--framework", "ungprf",
                     "--from", start, "--to", demo.today.isoformat(), "-o", str(out),
                     "--format", "json")
    assert result.code == 0, result.err
    found = result.json
    marks = {a["id"]: a["mark"] for a in found["answers"]}
    assert set(marks.values()) == {"answered", "partly", "not evaluable"}
    assert found["summary"]["answered"] >= 10 and found["summary"]["partly"] >= 10
    assert marks["C2"] == "partly"  # project blocking: no engagement recorded
    c2 = next(a for a in found["answers"] if a["id"] == "C2")
    assert ("no engagement recorded for salient issue "
            "'Freedom of expression and government censorship'") in c2["missing"]
    assert all(c["status"] == "measured" for c in found["grievance_mechanism"])
    document = out.read_text(encoding="utf-8")
    threats = demo.ledger.record(demo.restricted_issue)
    for text in (document, result.out):
        for restricted in (demo.restricted_issue, demo.restricted_decision):
            assert not re.search(rf"\b{restricted}\b", text)
        assert threats["summary"][:40] not in text
    assert "restricted, not described" in document
