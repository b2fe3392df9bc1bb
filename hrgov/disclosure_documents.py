"""The disclosure as documents: Markdown and Word (through the briefing's document blocks) and
an Excel workbook (openpyxl). Each reads a ``Disclosure`` (``hrgov.disclosure``) and nothing
else: what a document says was decided there::

    doc = build_document(disclosure, organisation="Example Foundation", commit=sha)
    Path("ungprf.docx").write_bytes(write_docx(doc))
"""

from __future__ import annotations

from hrgov.briefing.data import plural
from hrgov.disclosure import Disclosure

SHOWN = 10  # citations printed per answer in the document (JSON and the workbook carry all)

FORMATS = (".md", ".docx", ".xlsx")
# Word: column widths (cm) of the document's two tables, known by their first header; the
# text column gets the room.
COLUMN_WIDTHS_CM = {"Question": (2.4, 9.1, 4.5), "Criterion": (4.0, 2.6, 9.4)}
# Word: paragraphs that start with one of these labels show the label in bold.
LABELS = ("Completeness:", "Missing:")


def build_document(disclosure: Disclosure, *, organisation: str, commit: str):
    """The disclosure as document blocks (``hrgov.briefing.blocks.Doc``)."""
    from hrgov.briefing.blocks import Doc
    from hrgov.briefing.data import long_date

    f = disclosure.framework
    doc = Doc(f"{organisation}: {f.title}, {disclosure.period.label}")
    summary = disclosure.summary
    doc.para(
        f"Each question of the {f.title} ({f.publisher}, {f.published}; {f.url}) answered "
        f"from the organisation's human-rights governance ledger as it stood on "
        f"{long_date(disclosure.day)}, ledger commit {commit[:10]} (mapping version "
        f"{f.mapping_version}). Of {len(disclosure.answers)} questions, "
        f"{summary['answered']} are answered, {summary['partly']} partly and "
        f"{summary['not evaluable']} not evaluable from the ledger; what is missing is named "
        "under each."
    )
    doc.para("Restricted records are counted but never described or cited. Issues and "
             "grievances are cited by their id and category or channel only.", small=True)
    if disclosure.salient:
        doc.heading("Salient human rights issues")
        doc.items([f"{s.name} ({plural(len(s.issues), 'issue')} in the register)"
                   for s in disclosure.salient])
    doc.heading("Completeness")
    doc.table(["Question", "Section", "Completeness"],
              [[a.question.id, a.question.section, a.mark] for a in disclosure.answers])
    section = part = None
    for a in disclosure.answers:
        q = a.question
        if f.parts.get(q.id[:1]) and q.id[:1] != part:
            part = q.id[:1]
            doc.heading(f.parts[part], 1)
        if q.section != section:
            section = q.section
            doc.heading(section)
        also = f" (also {', '.join(q.also)})" if q.also else ""
        doc.heading(f"{q.id}{also}: {q.question}", 3)
        doc.para(f"Completeness: {a.mark}. Reference: {q.reference}.")
        doc.items(a.lines)
        if len(a.missing) == 1:
            doc.para(f"Missing: {a.missing[0]}.")
        elif a.missing:
            doc.para("Missing:")
            doc.items(a.missing)
        if a.cites:
            shown = [f"{c['title']} ({c['id']})" for c in a.cites[:SHOWN]]
            rest = len(a.cites) - len(shown)
            doc.para("Evidence: " + "; ".join(shown) + (f"; and {rest} more" if rest else "")
                     + ".", small=True)
        doc.para(f"Complete when: {q.complete}", small=True)
    doc.heading("Grievance mechanism: effectiveness criteria (UNGP 31)")
    doc.table(["Criterion", "Status", "What the ledger shows"],
              [[f"31({c.key}) {c.name}", c.status, " ".join(c.figures) or c.missing or ""]
               for c in disclosure.scorecard])
    doc.para(f"Built by hrgov from ledger commit {commit[:10]}. Anyone with a copy of the "
             f"ledger can check that commit with: hrgov verify --contains {commit[:10]}",
             small=True)
    return doc


def write_docx(doc, *, footer: str = "") -> bytes:
    """The document blocks as a Word file (python-docx), returned as bytes; ``footer`` (the
    provenance) is printed on every page with "Page X of Y"."""
    import io

    import docx
    from docx.shared import Cm, Pt

    out = docx.Document()
    out.add_heading(doc.title, 0)
    for block in doc.blocks:
        if block[0] == "h":
            out.add_heading(block[2], min(block[1], 9))
        elif block[0] == "p":
            text, small = block[1], block[2]
            label = next((x for x in LABELS if text.startswith(x)), "")
            paragraph = out.add_paragraph()
            if label:
                paragraph.add_run(label).bold = True
            run = paragraph.add_run(text[len(label):])
            if small:
                run.italic = True
                run.font.size = Pt(9)
        elif block[0] == "ul":
            for item in block[1]:
                out.add_paragraph(item, style="List Bullet")
        elif block[0] == "table":
            _table(out, block[1], block[2], COLUMN_WIDTHS_CM.get(block[1][0]), Cm)
    if footer:
        _footer(out, footer)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _table(out, headers, rows, widths, unit) -> None:
    """A table whose header row is bold and repeats on each page, whose rows never split
    across pages, and whose columns take ``widths`` (cm) when given."""
    from docx.oxml import OxmlElement

    table = out.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = widths is None
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    for n, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if n == 0:
            properties.append(OxmlElement("w:tblHeader"))
        if widths:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = unit(width)
    if widths:  # LibreOffice lays out by the grid's widths, Word by the cells'
        for column, width in zip(table.columns, widths, strict=True):
            column.width = unit(width)
    out.add_paragraph()  # room between the table and what follows


def _footer(out, line: str) -> None:
    """``line`` and "Page X of Y" (fields Word and LibreOffice compute) in every footer."""
    from docx.shared import Pt
    from lxml import etree

    from hrgov.briefing import ooxml

    if "Footer" in [style.name for style in out.styles]:
        out.styles["Footer"].font.size = Pt(8)
    paragraph = out.sections[0].footer.paragraphs[0]
    paragraph.add_run(f"{line}    Page ")
    xml = ooxml.field("PAGE", "1").xml + ooxml.run(" of ") + ooxml.field("NUMPAGES", "1").xml
    for element in etree.fromstring(f'<w:p xmlns:w="{ooxml.W_NS}">{xml}</w:p>'.encode()):
        paragraph._p.append(element)


def _cell_text(value) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value or "")


def write_xlsx(disclosure: Disclosure, *, organisation: str, commit: str) -> bytes:
    """The disclosure as a workbook (openpyxl), returned as bytes: a sheet of questions (answer,
    completeness, what is missing, citations) and a sheet for the grievance mechanism's
    scorecard (UNGP 31); each sheet's first row names the framework, the period and the
    ledger commit. Every cell is text or a number, never a formula, whatever a record holds."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    f = disclosure.framework
    heading = (f"{organisation}: {f.title} ({f.short}, mapping {f.mapping_version}), "
               f"{disclosure.period.label}; as of {disclosure.day.isoformat()}, "
               f"ledger commit {commit}")
    book = Workbook()
    questions = book.active
    questions.title = "Questions"
    scorecard = book.create_sheet("GP31 scorecard")
    sheets = {
        questions: (
            [("Question", 10), ("Also", 14), ("Section", 24), ("Question asked", 48),
             ("Reference", 18), ("Completeness", 14), ("Answer", 70), ("What is missing", 48),
             ("Citations", 56), ("Complete when", 48)],
            [[q.id, ", ".join(q.also), q.section, q.question, q.reference, a.mark, a.lines,
              a.missing, [f"{c['title']} ({c['id']})" for c in a.cites], q.complete]
             for a in disclosure.answers for q in [a.question]],
        ),
        scorecard: (
            [("Principle", 12), ("Criterion", 30), ("Status", 14),
             ("What the ledger shows", 80), ("What is missing", 48)],
            [[f"UNGP 31({c.key})", c.name, c.status, c.figures, c.missing or ""]
             for c in disclosure.scorecard],
        ),
    }
    for sheet, (columns, rows) in sheets.items():
        sheet.append([heading])
        sheet["A1"].font = Font(bold=True)
        sheet.append([name for name, _ in columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell_text(value) for value in row])
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.data_type = "s"  # a text that starts with '=' stays text, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for n, (_, width) in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + n)].width = width
        sheet.freeze_panes = "B3"
        sheet.auto_filter.ref = f"A2:{chr(ord('A') + len(columns) - 1)}{sheet.max_row}"
    book.properties.title = f"{f.title}, {disclosure.period.label}"
    book.properties.creator = "hrgov"
    book.properties.description = heading
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


