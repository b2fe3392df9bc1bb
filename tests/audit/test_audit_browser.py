"""In a real browser (Debian's chromium, headless, printing the DOM it rendered): the home page
lists the tables with their descriptions, and a canned query page shows its results.

``make test-browser`` installs chromium (apt-get install chromium) and runs this file."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.audit.conftest import serving

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium, or run "
    "make test-browser)",
)


def rendered(url: str, profile: Path) -> str:
    """The page's DOM after chromium loaded it and ran its scripts, as text."""
    done = subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--dump-dom", url,
        ],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return html.unescape(done.stdout.decode())


@pytest.fixture
def served(scenario, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with serving(scenario.root, scratch) as (url, process):
        yield url, tmp_path / "chromium-profile"
    shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def test_the_home_page_lists_the_tables_with_their_descriptions(served):
    url, profile = served
    page = rendered(url, profile)
    with urllib.request.urlopen(f"{url}-/metadata.json", timeout=10) as response:
        metadata = json.loads(response.read())  # what this server was given
    assert metadata["title"] in page
    tables = metadata["databases"]["ledger"]["tables"]
    shown = [name for name, spec in tables.items() if not spec.get("hidden")]
    assert len(shown) >= 18  # six kinds, five views, history, links, health
    for name in shown:
        assert f'href="/ledger/{name}"' in page, name
        assert " ".join(tables[name]["description"].split()) in " ".join(page.split()), name
    for query in metadata["databases"]["ledger"]["queries"].values():
        assert query["title"] in page


def test_a_canned_query_page_shows_its_results(served, scenario):
    url, profile = served
    page = rendered(f"{url}ledger/milestones_slipped_more_than_once", profile)
    assert "Milestones that slipped more than once" in page
    assert "1 row" in page
    assert f">{scenario.slipped_milestone}<" in page
    assert "The translation vendor withdrew." in page
    history = rendered(f"{url}ledger/record_history?id={scenario.slipped_milestone}", profile)
    assert "History: Publish the first progress report" in history
    assert "Data from two regions arrived late." in history
