"""Links everywhere, the Datasette way: a record's page has its title in the heading, a History
link and its links labelled with the titles of what they name; canned queries link their ids;
list fields read as items."""

from __future__ import annotations

import html
import re


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return html.unescape(response.text)


def unbroken(text: str) -> str:
    """The page without the spans that keep dates and times from breaking across lines."""
    assert '<span style="white-space: nowrap">2026-' in text
    return re.sub(r'<span style="white-space: nowrap">([^<]*)</span>', r"\1", text)


def heading(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", text,
                                                                re.S)[1])).strip()


def test_a_milestone_page_has_its_title_history_and_labelled_links(client, scenario):
    text = page(client, f"/ledger/milestones/{scenario.slipped_milestone}")
    assert heading(text) == "Publish the first progress report"
    assert f'href="/ledger/record_history?id={scenario.slipped_milestone}"' in text
    assert ">History</a>" in text and "3 versions" in text
    assert (
        '<a href="/ledger/commitments/ongoing-hrdd">Conduct ongoing human rights due '
        "diligence</a> (ongoing-hrdd)"
    ) in text
    assert (
        '<a href="/ledger/departments/steering-committee">Human Rights Steering Committee</a>'
    ) in text
    assert (
        f'<a href="/ledger/decisions/{scenario.public_decision}">Publish an annual human '
        "rights progress report</a>"
    ) in text
    # slips read as items, and the slips table is one click away
    assert (
        "<li>2026-02-15 → 2026-03-01, recorded 2026-02-10: Data from two regions arrived "
        "late.</li>"
    ) in unbroken(text)
    assert f"/ledger/milestone_slips?milestone={scenario.slipped_milestone}" in text


def test_a_decision_page_links_its_meeting_owner_and_successor(client, scenario):
    text = page(client, f"/ledger/decisions/{scenario.public_decision}")
    assert heading(text) == "Publish an annual human rights progress report"
    assert 'href="/ledger/meetings/MTG-2026-01-15"' in text
    assert 'href="/ledger/departments/legal"' in text
    assert f'href="/ledger/record_history?id={scenario.public_decision}"' in text


def test_every_record_page_has_a_history_link(client, scenario):
    for path in (
        f"/ledger/records/{scenario.slipped_milestone}",
        "/ledger/commitments/ongoing-hrdd",
        "/ledger/departments/legal",
        f"/ledger/issues/{scenario.registers.onwiki_issue}",
        f"/ledger/grievances/{scenario.registers.closed_grievance}",
    ):
        text = page(client, path)
        record_id = path.rsplit("/", 1)[1]
        assert f'href="/ledger/record_history?id={record_id}"' in text, path
        assert ">History</a>" in text, path


def test_a_withheld_record_has_no_page(client, scenario):
    response = client.get(f"/ledger/decisions/{scenario.restricted_decision}")
    assert response.status_code == 404


def test_canned_queries_link_their_ids(client, scenario):
    text = page(client, "/ledger/overdue_milestones?as_of=2026-05-02")
    for target in (
        f"/ledger/milestones/{scenario.slipped_milestone}",
        f"/ledger/milestones/{scenario.linked_milestone}",
        "/ledger/commitments/ongoing-hrdd",
        "/ledger/departments/steering-committee",
    ):
        assert f'href="{target}"' in text, target
    decisions = page(client, "/ledger/decisions_of_a_period?from=2026-01-01&to=2026-01-31")
    assert f'href="/ledger/decisions/{scenario.public_decision}"' in decisions
    assert 'href="/ledger/meetings/MTG-2026-01-15"' in decisions


def test_the_history_page_names_the_record_and_shows_list_items(client, scenario):
    text = page(client, f"/ledger/record_history?id={scenario.slipped_milestone}")
    assert heading(text) == "History: Publish the first progress report"
    assert f'href="/ledger/milestones/{scenario.slipped_milestone}"' in text
    assert (
        "<li>2026-03-01 → 2026-03-20, recorded 2026-02-25: The translation vendor withdrew.</li>"
    ) in unbroken(text)
    assert '"from"' not in text  # no JSON blob in sight
    assert re.search(r'<a href="/ledger/commits/[0-9a-f]{40}">[0-9a-f]{12}</a>', text)


def test_table_pages_fold_the_column_descriptions_below_one_line(client):
    text = page(client, "/ledger/milestones")
    assert "What each column means" in text and "dl.column-descriptions" in text


def test_descriptions_use_the_right_article(client):
    text = client.get("/-/metadata.json").text
    assert not re.search(r"\ba (issue|assessment|instrument|[aeiou]\w*)\b", text)
    assert "that an issue lists" in text


def test_old_and_new_values_that_name_records_are_links(client, scenario):
    """The owner of a commitment moved from product-technology to legal: on its history, in
    the record_changes table (foreign keys, labelled) and in the versions' changes."""
    commitment = scenario.reassigned_commitment
    text = page(client, f"/ledger/record_history?id={commitment}")
    assert ('<td class="col-old"><a href="/ledger/departments/product-technology">'
            'product-technology</a></td>') in text
    assert '<td class="col-new"><a href="/ledger/departments/legal">legal</a></td>' in text
    # a decision was created with its commitments, a list of links: each a link
    decision = page(client, f"/ledger/record_history?id={scenario.public_decision}")
    assert '<td class="col-added"><a href="/ledger/commitments/ongoing-hrdd">ongoing-hrdd</a>' \
        in decision
    # a field that is not a link stays text
    assert '<td class="col-new">Impact of Wikimedia Projects</td>' in text

    rows = client.rows("/ledger/record_changes", record_id=commitment, field="owner",
                       what="changed")
    assert [(r["old"], r["new"], r["old_ref"], r["new_ref"]) for r in rows] == [
        ("product-technology", "legal", "product-technology", "legal")
    ]
    table = page(client, f"/ledger/record_changes?record_id={commitment}&field=owner"
                 "&what=changed")
    assert '<a href="/ledger/records/legal">Legal</a>' in table  # labelled by Datasette

    versions = page(client, f"/ledger/record_versions?record_id={commitment}&version=2")
    assert ('<strong>owner</strong>: <a href="/ledger/departments/product-technology">'
            'product-technology</a> → <a href="/ledger/departments/legal">legal</a>') in versions


def test_a_value_that_is_not_a_record_id_has_no_ref(client, scenario):
    rows = client.rows("/ledger/record_changes", record_id=scenario.slipped_milestone,
                       field="due", what="changed")
    assert rows and all(r["old_ref"] is None and r["new_ref"] is None for r in rows)
