"""In a real browser (Debian's chromium, headless, driven by Playwright for Python; no browser is
downloaded): an auditor opens the home page, follows a milestone to its commitment, its owner
department and its history, runs a dated canned query with a good and a bad date, and opens the
dashboard, checking what they see at each step. No page breaks the content security policy.

``make test-browser`` installs chromium (apt-get install chromium) and runs this file; with
``HRGOV_SCREENSHOTS=DIR`` it also saves screenshots of the record, history and dashboard
pages there."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from tests.audit.conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium, or run "
    "make test-browser)",
)


@pytest.fixture(scope="module")
def served(scenario, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("browser-tmp")
    with serving(scenario.root, scratch) as (url, process):
        yield url


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh page; every console error (a script or style the policy blocked) fails the
    test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    assert not [e for e in errors if "400" not in e], errors  # the refused date is a 400


def screenshot(page, name: str) -> None:
    folder = os.environ.get("HRGOV_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def follow(page, link) -> None:
    """Click a link and wait for the page it opens to load."""
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state()


def run_query(page) -> None:
    """Press "Run SQL" and wait for the answer to load."""
    with page.expect_navigation():
        page.locator('input[type="submit"][value="Run SQL"]').click()
    page.wait_for_load_state()


def heading(page) -> str:
    return " ".join(page.locator("h1:visible").first.inner_text().split())


def test_the_home_page_lists_the_tables_and_the_programme(served, page):
    with urllib.request.urlopen(f"{served}-/metadata.json", timeout=10) as response:
        metadata = json.loads(response.read())  # what this server was given
    page.goto(served)
    assert page.title() == metadata["title"] + ": ledger" or metadata["title"] in page.title()
    text = " ".join(page.locator("body").inner_text().split())
    tables = metadata["databases"]["ledger"]["tables"]
    shown = [name for name, spec in tables.items() if not spec.get("hidden")]
    assert len(shown) >= 18
    for name in shown:
        assert page.locator(f'a[href="/ledger/{name}"]').count() >= 1, name
        assert " ".join(tables[name]["description"].split()) in text, name
    for group in ("Completeness", "Timeliness", "Integrity"):
        assert page.get_by_role("heading", name=group, exact=True).is_visible()
    for query in metadata["databases"]["ledger"]["queries"].values():
        assert query["title"] in text


def test_a_milestone_leads_to_its_commitment_owner_and_history(served, page, scenario):
    page.goto(served)
    follow(page, page.locator('.hrgov-tables a[href="/ledger/milestones"]'))
    assert "milestones" in page.title()
    # the rows come first: the column descriptions are folded under one line
    assert page.get_by_text("What each column means").is_visible()
    assert not page.locator("dl.column-descriptions").is_visible()
    follow(page, page.get_by_role("link", name=scenario.slipped_milestone, exact=True).first)
    assert heading(page) == "Publish the first progress report"
    assert page.get_by_text("2026-02-15 → 2026-03-01, recorded 2026-02-10: Data from two "
                            "regions arrived late.").is_visible()
    assert page.locator("td.col-done_on").inner_text() == "—"  # not recorded, said so
    screenshot(page, "record-page")

    follow(page, page.locator("td.col-commitment a"))
    assert heading(page) == "Conduct ongoing human rights due diligence"
    assert page.url.endswith("/ledger/commitments/ongoing-hrdd")
    page.go_back(wait_until="load")

    follow(page, page.locator("td.col-owner a"))
    assert heading(page) == "Human Rights Steering Committee"
    assert page.url.endswith("/ledger/departments/steering-committee")
    page.go_back(wait_until="load")

    follow(page, page.get_by_role("link", name="History", exact=True))
    assert heading(page) == "History: Publish the first progress report"
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == 12  # 8 fields it was created with, then due and slips twice
    assert page.get_by_text("12 rows; the query behind them").is_visible()
    assert page.get_by_text("Custom SQL query").count() == 0
    assert page.get_by_text("The translation vendor withdrew.").first.is_visible()
    assert page.locator("ul.hrgov-items li").first.is_visible()  # slips as items, no JSON
    assert '{"from"' not in page.locator("table.rows-and-columns").inner_text()
    screenshot(page, "history-page")
    follow(page, page.get_by_role("link", name=scenario.slipped_milestone).first)
    assert heading(page) == "Publish the first progress report"


def test_a_dated_query_with_a_good_and_a_bad_date(served, page, scenario):
    page.goto(served)
    follow(page, page.get_by_role("link", name="Overdue milestones", exact=True))
    page.locator('input[name="as_of"]').fill("2026-05-02")
    run_query(page)
    assert "as_of=2026-05-02" in page.url
    table = page.locator("table.rows-and-columns")
    assert table.locator("tbody tr").count() == 2
    for milestone in (scenario.slipped_milestone, scenario.linked_milestone):
        assert table.get_by_role("link", name=milestone, exact=True).is_visible()
    assert table.locator('a[href="/ledger/departments/steering-committee"]').count() >= 1

    page.locator('input[name="as_of"]').fill("02/05/2026")
    run_query(page)
    assert heading(page) == "Not a date"
    message = page.get_by_text("is not a date: write it as YYYY-MM-DD")
    assert message.is_visible()
    assert "02/05/2026" in message.inner_text()
    assert page.locator("table.rows-and-columns").count() == 0  # no answer at all
    follow(page, page.get_by_role("link", name="Back to the query"))
    assert page.url.endswith("/ledger/overdue_milestones")


def test_the_dashboard_shows_the_counts_and_links_to_each_list(served, page, scenario):
    page.goto(served)
    follow(page, page.get_by_role("link", name="Audit dashboard"))
    assert heading(page) == "Audit dashboard"
    overdue = page.locator('.hrgov-programme a[href="/ledger/overdue_milestones"]')
    count = int(overdue.locator(".count").inner_text())  # as of the copy's date: today
    assert count >= 2
    assert "attention" in overdue.locator(".count").get_attribute("class")  # to explain
    figures = page.locator('.hrgov-programme a[href="/ledger/briefing_figures"] .count')
    assert "attention" not in figures.get_attribute("class")  # a count to read
    assert overdue.locator("xpath=..").get_by_text("the list takes another date").is_visible()
    screenshot(page, "dashboard")
    follow(page, overdue)
    assert page.locator("table.rows-and-columns tbody tr").count() == count
    assert page.get_by_role("link", name=scenario.slipped_milestone, exact=True).is_visible()
