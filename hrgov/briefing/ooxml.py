"""WordprocessingML written by hand, fast and deterministic: paragraphs, runs, fields and
tables as XML text, parsed in bulk and appended to a python-docx document.

Building a 500-row table cell by cell through python-docx's objects costs seconds; its XML
as one string costs milliseconds. Everything here is pure text in, text out, except
``append`` (which parses into a document) and ``reproducible_zip`` (bytes in, bytes out).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import datetime
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates,
# U+FFFE and U+FFFF. Anything else in a record (written by another tool, say) is dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo… and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def clean(text) -> str:
    """``text`` as a string XML can hold: characters XML forbids are removed, never fatal."""
    if text is None:
        return ""
    return _NOT_XML.sub("", str(text))


def esc(text) -> str:
    """Cleaned and escaped for an XML text node or attribute."""
    return escape(clean(text), {'"': "&quot;"})


def is_rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left script (it then gets a right-to-left paragraph)."""
    return bool(_RTL.search(text or ""))


# ---- runs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with one format."""

    text: str
    bold: bool = False
    italic: bool = False
    style: str | None = None  # a character style id
    color: str | None = None  # hex RGB, e.g. "595959"
    size: float | None = None  # points
    font: str | None = None  # e.g. a monospaced font for commands


def run(text, **formats) -> str:
    """One run's XML; newlines become line breaks and tabs become tab characters."""
    r = Run(clean(text), **formats)
    props = []
    if r.style:
        props.append(f'<w:rStyle w:val="{esc(r.style)}"/>')
    if r.font:
        props.append(f'<w:rFonts w:ascii="{esc(r.font)}" w:hAnsi="{esc(r.font)}" '
                     f'w:cs="{esc(r.font)}"/>')
    if r.bold:
        props.append("<w:b/><w:bCs/>")
    if r.italic:
        props.append("<w:i/><w:iCs/>")
    if r.color:
        props.append(f'<w:color w:val="{r.color}"/>')
    if r.size:
        half = int(round(r.size * 2))
        props.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if is_rtl(r.text):
        props.append("<w:rtl/>")
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    parts = []
    for i, line in enumerate(r.text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def runs(content) -> str:
    """``content`` as runs: a string, a ``Run``, a prepared XML fragment (``Xml``) or a list
    of those."""
    if content is None:
        return ""
    if isinstance(content, Xml):
        return content.xml
    if isinstance(content, Run):
        r = content
        return run(r.text, bold=r.bold, italic=r.italic, style=r.style, color=r.color,
                   size=r.size, font=r.font)
    if isinstance(content, str):
        return run(content)
    return "".join(runs(c) for c in content)


@dataclass(frozen=True)
class Xml:
    """A fragment of run-level XML written by this module (a field, a tab…)."""

    xml: str


def field(instruction: str, shown: str = "") -> Xml:
    """A complex field (``PAGE``, ``NUMPAGES``, ``PAGEREF _Toc1 \\h``…) with ``shown`` as its
    cached result, which Word and LibreOffice recompute."""
    return Xml(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(shown) if shown else ''}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


TAB = Xml("<w:r><w:tab/></w:r>")
PAGE_BREAK = Xml('<w:r><w:br w:type="page"/></w:r>')


# ---- paragraphs ----------------------------------------------------------------------------


def paragraph(
    content=None,
    *,
    style: str | None = None,
    align: str | None = None,
    keep_next: bool = False,
    page_break_before: bool = False,
    numbered: bool = True,
    bookmark: tuple[int, str] | None = None,
    space_after: int | None = None,
) -> str:
    """One paragraph's XML. ``style`` is a paragraph style id; ``numbered=False`` switches off
    the numbering a heading style carries; ``bookmark`` is ``(id, name)`` around the text."""
    # Children of w:pPr in the order the schema requires (Word refuses any other).
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{esc(style)}"/>')
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break_before:
        props.append("<w:pageBreakBefore/>")
    if not numbered:
        props.append('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>')
    body = runs(content)
    if is_rtl(_plain(content)):
        props.append("<w:bidi/>")
    if space_after is not None:
        props.append(f'<w:spacing w:after="{space_after}"/>')
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    if bookmark:
        number, name = bookmark
        body = (
            f'<w:bookmarkStart w:id="{number}" w:name="{esc(name)}"/>{body}'
            f'<w:bookmarkEnd w:id="{number}"/>'
        )
    return f"<w:p>{ppr}{body}</w:p>"


def _plain(content) -> str:
    if content is None or isinstance(content, Xml):
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Run):
        return content.text
    return "".join(_plain(c) for c in content)


# ---- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # centimetres
    align: str | None = None  # "right" for figures


@dataclass
class Cell:
    """A table cell's content (anything ``runs`` accepts, or a list of paragraphs' contents
    when ``lines`` is set) with optional shading and a span across columns."""

    content: object = ""
    span: int = 1
    shade: str | None = None
    bold: bool = False
    lines: Sequence | None = None


@dataclass
class Table:
    columns: Sequence[Column]
    rows: list = _field(default_factory=list)  # lists of cells (str, Run, Cell…)
    header: bool = True  # False: a table of labels and values, without a header row

    def add(self, *cells) -> None:
        self.rows.append(list(cells))

    def group(self, content, shade: str = "E7E6E6") -> None:
        """A row spanning every column: a heading inside the table (kept with the next)."""
        self.rows.append([Cell(content, span=len(self.columns), shade=shade, bold=True)])


TWIPS_PER_CM = 567


def table(t: Table, *, style: str, text_style: str | None = None) -> str:
    """A table's XML: ``style`` is a table style id; the header row repeats on each page and
    no row is split across pages."""
    widths = [int(c.width * TWIPS_PER_CM) for c in t.columns]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    total = sum(widths)
    out = [
        "<w:tbl><w:tblPr>"
        f'<w:tblStyle w:val="{esc(style)}"/><w:tblW w:w="{total}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/>'
        # w:val repeats the flags in hex for older readers (LibreOffice reads it): 0x0020 is
        # the header row's look, 0x0400 no vertical banding.
        f'<w:tblLook w:val="{"0420" if t.header else "0400"}" w:firstRow="{int(t.header)}" '
        'w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    if t.header:
        header = [Cell(Run(c.header, bold=True)) for c in t.columns]
        out.append(_row(header, t.columns, widths, header=True, text_style=text_style))
    for cells in t.rows:
        out.append(_row(cells, t.columns, widths, header=False, text_style=text_style))
    out.append("</w:tbl>")
    return "".join(out)


def _row(cells, columns, widths, *, header: bool, text_style: str | None) -> str:
    trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    out = [f"<w:tr><w:trPr>{trpr}</w:trPr>"]
    col = 0
    keep = any(isinstance(c, Cell) and c.span == len(columns) and len(columns) > 1 for c in cells)
    for cell in cells:
        if not isinstance(cell, Cell):
            cell = Cell(cell)
        span = max(1, min(cell.span, len(columns) - col))
        width = sum(widths[col : col + span])
        tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            tcpr += f'<w:gridSpan w:val="{span}"/>'
        if cell.shade:
            tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.shade}"/>'
        align = columns[col].align if span == 1 else None
        contents = cell.lines if cell.lines is not None else [cell.content]
        paras = []
        for content in contents or [""]:
            if cell.bold and isinstance(content, str):
                content = Run(content, bold=True)
            paras.append(
                paragraph(content, style=text_style, align=align, keep_next=keep or header)
            )
        out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{''.join(paras)}</w:tc>")
        col += span
    out.append("</w:tr>")
    return "".join(out)


# ---- into a document -----------------------------------------------------------------------


def append(document, fragments: Iterable[str]) -> None:
    """Append body-level XML fragments to ``document``'s body, before its final section
    properties.

    The document's XML is serialised, the fragments spliced in as text and the whole parsed
    once: moving tens of thousands of parsed elements into python-docx's tree one by one costs
    seconds per thousand, a single parse a fraction of a second.
    """
    from docx.oxml.parser import parse_xml
    from lxml import etree

    xml = "".join(fragments)
    if not xml:
        return
    element = document.element
    text = etree.tostring(element, encoding="unicode")
    at = text.rfind("<w:sectPr")
    if at < 0:
        at = text.rfind("</w:body>")
    if element.nsmap.get("w") != W_NS or element.nsmap.get("r") != R_NS or at < 0:
        _append_slowly(document, xml)  # a document whose prefixes are not Word's own
        return
    new = parse_xml((text[:at] + xml + text[at:]).encode("utf-8"))
    document.part._element = new
    document._element = new
    document._Document__body = None  # python-docx caches the body's proxy


def _append_slowly(document, xml: str) -> None:
    from lxml import etree

    wrapper = etree.fromstring(
        f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{xml}</w:body>'.encode()
    )
    body = document.element.body
    sect = body.find(f"{{{W_NS}}}sectPr")
    for child in list(wrapper):
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)


# ---- the package ---------------------------------------------------------------------------


def app_properties(company: str, title: str) -> bytes:
    """``docProps/app.xml`` naming what made the file (hrgov) and the organisation, with no
    template of anyone else's (python-docx's default claims Word and Normal.dotm)."""
    from hrgov import __version__

    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes">'
        f"<Template></Template><Application>hrgov {esc(__version__)}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        f"<Company>{esc(company)}</Company><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        f"<TitlesOfParts><vt:vector size=\"1\" baseType=\"lpstr\"><vt:lpstr>{esc(title)}"
        "</vt:lpstr></vt:vector></TitlesOfParts></Properties>"
    ).encode()


def reproducible_zip(data: bytes, when: datetime, parts: dict[str, bytes] | None = None
                     ) -> bytes:
    """The same .docx with every zip entry dated ``when`` (no earlier than 1980, as zip
    requires), fixed permissions and ``[Content_Types].xml`` first, then the parts in the order
    written: two builds of the same content are byte-identical. ``parts`` replaces the named
    parts' content."""
    stamp = max((when.year, when.month, when.day, when.hour, when.minute, when.second),
                (1980, 1, 1, 0, 0, 0))
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    names.sort(key=lambda n: n != "[Content_Types].xml")  # stable: keeps the rest in order
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, (parts or {}).get(name) or source.read(name))
    return out.getvalue()
