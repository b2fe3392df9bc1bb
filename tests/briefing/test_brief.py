"""The Board briefing: built from a scenario, reopened with python-docx, checked against the
ledger's data."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime

import pytest

from hrgov.errors import InvalidInput

from .conftest import LAST_MINUTE, SECRET, TODAY, UNICODE_TITLE, W, all_xml, document_text

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

SECTIONS = (
    "Key messages",
    "The Board is asked to",
    "At a glance",
    "Human-rights issues: examples and trends",
    "Salient issues",
    "Impact and likelihood",
    "Specific examples",
    "Trends in types of issues",
    "Progress on commitments",
    "Overdue and slipped milestones",
    "Changes since the last briefing",
    "Due diligence: human rights impact assessments",
    "Grievances and remedy",
    "Grievances by channel",
    "Remedies",
    "Is the grievance mechanism effective?",
    "Governance",
    "Meetings and attendance",
    "Decisions of the period",
    "Annex A. Commitment register",
    "Annex B. Instruments",
    "Annex C. How to verify this briefing",
    "Annex D. Milestones overdue, completed and moved",
    "Annex E. Glossary",
    "Annex F. Where this paper answers the UNGP Reporting Framework",
)


def brief(book, path, **options):
    from hrgov.briefing import write_brief

    options.setdefault("start", "2025-01-01")
    options.setdefault("end", "2025-12-31")
    options.setdefault("today", TODAY)
    return write_brief(book, path, **options)


@pytest.fixture(scope="module")
def built(tmp_path_factory, scenario):
    from hrgov.ledger import Ledger

    path = tmp_path_factory.mktemp("brief") / "board.docx"
    info = brief(Ledger.find(scenario.root), path, since=scenario.since, year=2025)
    return path, info


def test_sections_in_order_with_numbered_headings(built):
    from docx import Document

    path, _ = built
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.lower().startswith(
        "heading")]
    positions = [headings.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    # Headings 1-3 carry the template's numbering; the annexes switch it off.
    annex = [p for p in document.paragraphs if p.text == "Annex A. Commitment register"][-1]
    assert annex._p.pPr.numPr.numId.val == 0
    style = document.styles["Heading 1"].element
    assert style.pPr.numPr is not None


def test_cover_and_footer_carry_provenance(built, scenario):
    from docx import Document

    path, info = built
    assert info["commit"] == scenario.head
    document = Document(str(path))
    text = document_text(path)
    assert "Example Foundation" in text.splitlines()[0].title() or "EXAMPLE" in text.upper()
    assert "Reporting period: 1 January \u2013 31 December 2025" in text
    assert "Board confidential" in text
    assert f"ledger commit {scenario.head[:10]}" in text
    assert "{" not in text  # every placeholder filled
    footer = document.sections[0].footer._element
    footer_text = "".join(t.text or "" for t in footer.iter(f"{W}t"))
    assert f"ledger commit {scenario.head[:10]}" in footer_text
    assert "status as at 20 December 2025" in footer_text
    instructions = " ".join(t.text for t in footer.iter(f"{W}instrText"))
    assert "PAGE" in instructions and "NUMPAGES" in instructions
    assert "Page " in footer_text and " of " in footer_text


def test_toc_field_and_update_on_open(built):
    path, _ = built
    xml = all_xml(path)
    # Each entry's page number is a PAGEREF field to the bookmark on its heading.
    for name in re.findall(r'w:hyperlink w:anchor="(_Toc\d+)"', xml):
        assert f"PAGEREF {name} \\h" in xml and 'w:bookmarkStart w:id' in xml
        assert f'w:name="{name}"' in xml
    assert xml.count("PAGEREF _Toc") >= 20
    assert '<w:updateFields w:val="true"/>' in xml


def test_summary_figures_come_from_the_ledger(built, scenario):
    path, _ = built
    text = document_text(path)
    # Health at 20 Dec 2025: the draft report (due 1 Oct, open) is more than 30 days late, the
    # findings slipped twice, the restricted milestone is late: three commitments off track.
    assert "3 commitments are off track" in text
    track = "\u201cTrack and publicly report on our human rights efforts\u201d"
    assert f"{track} (a milestone is 80 days overdue)" in text
    assert "Publish an annual public progress report" in text
    assert "Commission an independent impact assessment" in text
    # The restricted milestone is counted among the overdue, never named.
    assert "3 milestones are overdue at 20 December 2025" in text
    assert ("The longest overdue: \u201cDraft the public report\u201d (Legal), due 1 Oct 2025"
            in text)
    assert "The assessor needs more interviews." in text
    assert "Legal review of the findings takes longer." in text
    assert "https://example.org/legal/assessor-contract" in text
    assert "A commitment with no milestone has no plan." in text  # the rule, in words


def test_tables_repeat_header_and_never_split_rows(built):
    from docx import Document

    document = Document(str(built[0]))
    headed = 0
    for table in document.tables:
        rows = table._tbl.tr_lst
        labelled = table._tbl.tblPr.find(f"{W}tblLook").get(f"{W}firstRow") == "1"
        headed += labelled
        # a table with a header row repeats it; the examples' label-value tables have none
        assert (rows[0].trPr.find(f"{W}tblHeader") is not None) == labelled
        for row in rows:
            assert row.trPr.find(f"{W}cantSplit") is not None
        assert table.style.name == "Board Table"
    assert headed >= 8


def test_governance_tables_hold_meetings_attendance_and_decisions(built, scenario):
    from docx import Document

    document = Document(str(built[0]))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    meeting_rows = [r for r in cells if scenario.ids["m1"] in r]
    assert meeting_rows and meeting_rows[0][1] == "Steering Committee"
    assert meeting_rows[0][2] == "3" and meeting_rows[0][3] == "Yes"
    assert ["General Counsel", "1 of 2"] in cells
    decision = next(r for r in cells if r[0].startswith("Commission an independent")
                    and r[0].endswith(scenario.ids["hria"]))  # the title, then the id
    assert decision[2] == "Adopted"
    assert "Carry out periodic human rights impact assessments" in decision[3]
    assert decision[4] == "Legal"


def test_charts_are_images(built):
    from docx import Document

    document = Document(str(built[0]))
    assert len(document.inline_shapes) == 4  # two for milestones, heat map, issue trends
    with zipfile.ZipFile(built[0]) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(images) == 4 and all(n.endswith(".png") for n in images)


def test_every_chart_has_alternative_text_and_its_numbers_in_a_table(built):
    """Reopened: each drawing's ``wp:docPr`` carries a description, and the body element
    after its caption is a table holding the chart's numbers."""
    from docx import Document

    body = Document(str(built[0])).element.body
    children = list(body)
    drawings = [n for n, child in enumerate(children) if child.find(f".//{WP}docPr") is not None]
    assert len(drawings) == 4
    for n in drawings:
        descr = children[n].find(f".//{WP}docPr").get("descr")
        assert descr and len(descr) > 40, descr  # a sentence, not a file name
        caption, following = children[n + 1], children[n + 2:n + 4]
        assert "".join(t.text for t in caption.iter(f"{W}t")).startswith("Figure")
        assert any(c.tag == f"{W}tbl" for c in following)  # trends: after a sentence
    heat = children[drawings[0]]
    assert "impact and likelihood" in heat.find(f".//{WP}docPr").get("descr")
    table = children[drawings[0] + 2]
    rows = [["".join(t.text for t in c.iter(f"{W}t")) for c in r.iter(f"{W}tc")]
            for r in table.iter(f"{W}tr")]
    # the scenario's 2025 issues with both scores: (impact, likelihood) 3/3, 2/3, 2/2, 3/2
    # (restricted: counted), 3/1, 1/2, 1/1 (restricted), 2/3
    assert rows[1] == ["3 high", "1", "1", "1", "3"]
    assert rows[2] == ["2 medium", "0", "1", "2", "3"]
    assert rows[3] == ["1 low", "1", "1", "0", "2"]


def test_evidence_and_instrument_addresses_are_clickable(built):
    from docx import Document

    document = Document(str(built[0]))
    links = {}
    for link in document.element.body.iter(f"{W}hyperlink"):
        rel_id = link.get(f"{R}id")
        if rel_id:
            rel = document.part.rels[rel_id]
            assert rel.is_external
            links[rel.target_ref] = "".join(t.text for t in link.iter(f"{W}t"))
    assert links["https://example.org/legal/assessor-contract"] == \
        "https://example.org/legal/assessor-contract"  # the completed milestone's evidence
    assert any("ohchr.org" in url for url in links)  # Annex B's instruments


def test_changes_since_the_last_briefing(built, scenario):
    text = document_text(built[0])
    section = text[text.index("Changes between ledger commit"):]
    section = section[: section.index("Due diligence: human rights impact")]
    assert scenario.since[:10] in section
    assert f"Decision {scenario.ids['unicode']}" in section  # new
    assert "Trust and Safety" in section and "Legal \u2192 Trust and Safety" in section  # re-owned
    assert f"Milestone {scenario.ids['findings']}" in section  # slipped


def test_issues_section_reports_the_register(built):
    text = document_text(built[0])
    assert "9 issues were reported in the period" in text
    assert "No human-rights issue is recorded" not in text
    # states in plain words: EXAMPLE-A is being mitigated, NOT-EXAMPLE-2 being assessed
    intro = text[text.index("9 issues were reported in the period"):][:300]
    assert "1 being assessed" in intro and "1 being mitigated" in intro
    assert "mitigating" not in intro and "assessing" not in intro


def test_restricted_records_only_counted(built, scenario):
    xml = all_xml(built[0])
    assert SECRET not in xml
    assert scenario.ids["secret_decision"] not in xml
    assert scenario.ids["secret_milestone"] not in xml
    text = document_text(built[0])
    assert "1 restricted decision is counted above but not named" in text


def test_document_properties_and_zip_are_fixed(built, scenario):
    from docx import Document

    properties = Document(str(built[0])).core_properties
    assert properties.identifier == scenario.head
    created = datetime(2025, 12, 19, 10, LAST_MINUTE, tzinfo=UTC)  # the last commit
    assert properties.created == created
    assert properties.modified == properties.created
    with zipfile.ZipFile(built[0]) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2025, 12, 19, 10, LAST_MINUTE, 0)}


def test_byte_identical_when_built_twice(book, tmp_path, scenario):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    brief(book, first, since=scenario.since)
    brief(book, second, since=scenario.since)
    assert first.read_bytes() == second.read_bytes()


def test_as_of_a_date_reads_the_ledger_then(book, tmp_path, scenario):
    path = tmp_path / "then.docx"
    info = brief(book, path, as_of=scenario.before_unicode)
    assert info["status_date"] == scenario.before_unicode
    text = document_text(path)
    assert "Consult" not in text  # the decision came later
    assert "Legal review of the findings takes longer." not in text  # so did the second slip
    assert "The assessor needs more interviews." in text
    assert info["commit"] != scenario.head


def test_unicode_appears_and_forbidden_characters_are_dropped(built):
    text = document_text(built[0])
    assert UNICODE_TITLE in text
    assert "\ufffe" not in all_xml(built[0])
    xml = all_xml(built[0])
    assert "<w:rtl/>" in xml and "<w:bidi/>" in xml  # right-to-left runs are marked


def test_a_period_without_data_says_so(book, tmp_path):
    path = tmp_path / "empty.docx"
    brief(book, path, start="2031-01-01", end="2031-12-31")
    text = document_text(path)
    assert "No meeting is recorded in the period." in text
    assert "No decision is recorded in the period." in text
    assert "No human-rights issue is recorded in the issues register for the period" in text
    assert "No grievance is recorded as received in the period." in text


@pytest.mark.parametrize(
    "options, message",
    [
        ({"start": "2025-12-31", "end": "2025-01-01"}, "end 2025-01-01 is before start"),
        ({"start": "2025-02-30"}, "not a real date"),
        # The library names the field; the command line says the flag (tests/cli).
        ({"as_of": "no-such-branch"}, "^as-of 'no-such-branch' is neither"),
        ({"as_of": "1999-01-01"}, "holds nothing on or before 1999-01-01"),
        ({"since": "no-such-commit"}, "^earlier briefing's commit 'no-such-commit' is neither"),
    ],
)
def test_bad_input_writes_nothing(book, tmp_path, options, message):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(InvalidInput, match=message):
        brief(book, folder / "out.docx", **options)
    assert list(folder.iterdir()) == []


def test_bad_templates_and_outputs(book, tmp_path):
    from docx import Document

    text_file = tmp_path / "notes.docx"
    text_file.write_text("not a zip")
    plain = tmp_path / "plain.docx"
    Document().save(str(plain))  # python-docx's own template: no Board Table, no Table Text
    cases = [
        ({"template": tmp_path / "styles.dotx"}, "is not a Word .docx file"),
        ({"template": tmp_path / "missing.docx"}, "does not exist"),
        ({"template": text_file}, "is not a Word .docx file"),
        ({"template": plain}, "lacks the styles .*Table Text.*Board Table"),
    ]
    before = sorted(tmp_path.iterdir())
    for options, message in cases:
        with pytest.raises(InvalidInput, match=message):
            brief(book, tmp_path / "out.docx", **options)
    with pytest.raises(InvalidInput, match="does not exist"):
        brief(book, tmp_path / "no" / "such" / "folder" / "out.docx")
    with pytest.raises(InvalidInput, match="must end with .docx"):
        brief(book, tmp_path / "out.pdf")
    assert sorted(tmp_path.iterdir()) == before


def test_a_restyled_template_is_used(book, tmp_path):
    from docx import Document
    from docx.shared import Pt

    from hrgov.briefing.word import open_template

    template = open_template(None)
    template.styles["Heading 1"].font.size = Pt(22)
    for paragraph in template.sections[0].footer.paragraphs:  # a footer without {commit}
        paragraph._p.getparent().remove(paragraph._p)
    restyled = tmp_path / "ours.docx"
    template.save(str(restyled))
    path = tmp_path / "b.docx"
    info = brief(book, path, template=restyled)
    document = Document(str(path))
    assert document.styles["Heading 1"].font.size == Pt(22)
    footer = "".join(t.text or "" for t in document.sections[0].footer._element.iter(f"{W}t"))
    assert info["commit"][:10] in footer  # the provenance line is added


def test_shipped_template_matches_its_script(tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "templates" / "make_template.py"
    spec = importlib.util.spec_from_file_location("make_template", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.build(tmp_path / "t.docx")
    assert out.read_bytes() == (script.parent / "board-briefing.docx").read_bytes()


def test_document_properties_are_the_organisations(built, scenario):
    path, _ = built
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert "<Application>hrgov " in app and "<Company>Example Foundation</Company>" in app
    assert "Microsoft" not in app and "Normal.dotm" not in app
    assert scenario.head in core and "status as at 2025-12-20" in core


def test_the_glossary_explains_the_papers_own_words(built):
    text = document_text(built[0])
    glossary = text[text.rindex("Annex E. Glossary"):]
    for term in ("Salient issue", "Cause, contribute, linked", "Impact and likelihood (1 to 3)",
                 "On track, at risk, off track", "Restricted"):
        assert term in glossary
