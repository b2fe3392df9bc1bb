"""Build ``templates/board-briefing.docx``, the Word template of the Board briefing and agenda.

Run it again after changing it (the output is byte-identical for the same python-docx)::

    .venv/bin/python templates/make_template.py

A communications team restyles the result in Word (fonts, colours, spacing, the cover, the
header and footer) and hands it to ``hrgov brief --template``. What the code relies on:

- the paragraph styles Normal, Title, Subtitle, Heading 1-3, Caption, List Bullet, TOC Heading,
  TOC 1, TOC 2, Header, Footer and Table Text, and the table style Board Table
  (``hrgov.briefing.word.REQUIRED_STYLES``);
- Heading 1-3 numbered through the heading styles (Word's "Define New Multilevel List" linked to
  the styles), so restyling the numbers needs no code;
- placeholders in the cover, header and footer, replaced when the briefing is built:
  {organisation} {title} {period} {classification} {as_of} {commit} {generated}.
  The footer's "Page X of Y" is made of PAGE and NUMPAGES fields. A footer without {commit} gets
  the provenance line added at its end, so the commit is on every page whatever the template.
- the body holds the cover block at the top of page 1; the Board note follows it on the same
  page, then the contents and the body.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from docx import Document  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.shared import Cm  # noqa: E402
from lxml import etree  # noqa: E402

from hrgov.briefing.ooxml import (  # noqa: E402
    W_NS,
    Run,
    field,
    paragraph,
    reproducible_zip,
)

OUT = HERE / "board-briefing.docx"
FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)  # the template's own date: fixed, reproducible

NAVY = "1F3A5F"  # headings and rules: dark enough to print as near-black in greyscale
GREY = "595959"
FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
TEXT_WIDTH = 16.6  # cm: A4 (21 cm) less 2.2 cm margins each side
TEXT_TWIPS = int(TEXT_WIDTH * 567)
HEADING_NUMBERING = 90  # numId/abstractNumId of the heading numbering

FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'


def style(style_id, name, body, *, kind="paragraph", based="Normal", next_="Normal", extra=""):
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    next_xml = f'<w:next w:val="{next_}"/>' if next_ and kind == "paragraph" else ""
    return (
        f'<w:style xmlns:w="{W_NS}" w:type="{kind}" w:customStyle="{int(extra == "custom")}" '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/>{based_xml}{next_xml}'
        f'<w:uiPriority w:val="9"/><w:qFormat/>{body}</w:style>'
    )


def heading(level: int, size: int, before: int, after: int) -> str:
    return style(
        f"Heading{level}",
        f"heading {level}",
        "<w:pPr><w:keepNext/><w:keepLines/>"
        f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{HEADING_NUMBERING}"/></w:numPr>'
        f'<w:spacing w:before="{before}" w:after="{after}"/>'
        f'<w:outlineLvl w:val="{level - 1}"/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{NAVY}"/>'
        f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr>',
    )


STYLES = [
    style(
        "Normal",
        "Normal",
        '<w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>',
        based=None,
        next_=None,
    ),
    heading(1, 16, 360, 160),
    heading(2, 13, 280, 100),
    heading(3, 11, 200, 80),
    style(
        "Title",
        "Title",
        f'<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="8" w:color="{NAVY}"/>'
        '</w:pBdr><w:spacing w:before="120" w:after="160" w:line="240" w:lineRule="auto"/>'
        "</w:pPr>"
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="44"/><w:szCs w:val="44"/>'
        "</w:rPr>",
    ),
    style(
        "Subtitle",
        "Subtitle",
        '<w:pPr><w:spacing w:after="120"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>',
    ),
    style(
        "CoverOrganisation",
        "Cover Organisation",
        '<w:pPr><w:spacing w:before="0" w:after="60"/></w:pPr>'
        f'<w:rPr><w:caps/><w:color w:val="{GREY}"/><w:spacing w:val="20"/>'
        '<w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr>',
        extra="custom",
    ),
    style(
        "CoverMeta",
        "Cover Meta",
        '<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/>'
        f'<w:color w:val="{GREY}"/></w:rPr>',
        extra="custom",
    ),
    style(
        "CoverNote",
        "Cover Note",
        f'<w:pPr><w:pBdr><w:top w:val="single" w:sz="4" w:space="6" w:color="{GREY}"/></w:pBdr>'
        '<w:spacing w:before="3200" w:after="0"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>',
        extra="custom",
    ),
    style(
        "KeyMessage",
        "Key Message",
        '<w:pPr><w:keepLines/><w:spacing w:after="100"/><w:ind w:left="357" w:hanging="357"/>'
        "</w:pPr>",
        extra="custom",
    ),
    style(
        "Caption",
        "caption",
        '<w:pPr><w:spacing w:before="60" w:after="240"/></w:pPr>'
        f'<w:rPr><w:i/><w:iCs/><w:color w:val="{GREY}"/><w:sz w:val="18"/><w:szCs w:val="18"/>'
        "</w:rPr>",
    ),
    style(
        "Figure",
        "Figure",
        '<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="0"/><w:jc w:val="center"/>'
        "</w:pPr>",
        extra="custom",
    ),
    style(
        "Note",
        "Note",
        f'<w:pPr><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="{NAVY}"/>'
        '</w:pBdr><w:spacing w:after="120"/><w:ind w:left="227"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>',
        extra="custom",
    ),
    style(
        "ListBullet",
        "List Bullet",
        '<w:pPr><w:numPr><w:numId w:val="91"/></w:numPr><w:spacing w:after="80"/>'
        '<w:ind w:left="357" w:hanging="357"/></w:pPr>',
    ),
    style(
        "TOCHeading",
        "TOC Heading",
        '<w:pPr><w:keepNext/><w:pageBreakBefore/><w:spacing w:before="0" w:after="240"/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        "</w:rPr>",
    ),
    style(
        "TOC1",
        "toc 1",
        f'<w:pPr><w:tabs><w:tab w:val="left" w:pos="567"/>'
        f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_TWIPS}"/></w:tabs>'
        '<w:spacing w:before="120" w:after="40"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr>',
    ),
    style(
        "TOC2",
        "toc 2",
        f'<w:pPr><w:tabs><w:tab w:val="left" w:pos="1134"/>'
        f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_TWIPS}"/></w:tabs>'
        '<w:spacing w:after="40"/><w:ind w:left="567"/></w:pPr>',
    ),
    style(
        "Header",
        "header",
        f'<w:pPr><w:tabs><w:tab w:val="right" w:pos="{TEXT_TWIPS}"/></w:tabs>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>',
    ),
    style(
        "Footer",
        "footer",
        f'<w:pPr><w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="{GREY}"/></w:pBdr>'
        f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_TWIPS}"/></w:tabs>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>',
    ),
    style(
        "TableText",
        "Table Text",
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>',
        extra="custom",
    ),
    style(
        "BoardTable",
        "Board Table",
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        "<w:tblPr><w:tblBorders>"
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        "</w:tblBorders><w:tblCellMar>"
        '<w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr></w:tblStylePr>',
        kind="table",
        based="TableNormal",
        extra="custom",
    ),
]

ABSTRACT_NUMBERING = (
    f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{HEADING_NUMBERING}">'
    '<w:multiLevelType w:val="multilevel"/>'
    + "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="Heading{level + 1}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr>'
        "</w:lvl>"
        for level, text, indent in ((0, "%1", 567), (1, "%1.%2", 709), (2, "%1.%2.%3", 851))
    )
    + "</w:abstractNum>"
)
BULLETS = (
    f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="91">'
    '<w:multiLevelType w:val="singleLevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind w:left="357" w:hanging="357"/></w:pPr>'
    f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/></w:rPr></w:lvl></w:abstractNum>'
)

COVER = [
    paragraph("{organisation}", style="CoverOrganisation"),
    paragraph("{title}", style="Title"),
    paragraph("{period}", style="Subtitle"),
    paragraph(
        [Run("{classification}", bold=True),
         " \u00b7 status as at {as_of} \u00b7 ledger commit {commit} \u00b7 prepared {generated}"],
        style="CoverMeta",
    ),
]


def _replace_styles(document) -> None:
    styles = document.styles.element
    defaults = styles.find(f"{{{W_NS}}}docDefaults")
    defaults.getparent().replace(
        defaults,
        etree.fromstring(
            f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>{FONTS}'
            '<w:sz w:val="21"/><w:szCs w:val="21"/>'
            '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    for xml in STYLES:
        new = etree.fromstring(xml)
        style_id = new.get(f"{{{W_NS}}}styleId")
        for old in styles.findall(f"{{{W_NS}}}style"):
            if old.get(f"{{{W_NS}}}styleId") == style_id:
                styles.remove(old)
        styles.append(new)
    # Theme fonts would override the fonts named above: drop every theme font reference.
    for fonts in styles.iter(f"{{{W_NS}}}rFonts"):
        for attribute in list(fonts.attrib):
            if attribute.endswith("Theme") or attribute.endswith("theme"):
                del fonts.attrib[attribute]


def _numbering(document) -> None:
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{W_NS}}}num")
    for xml in (ABSTRACT_NUMBERING, BULLETS):
        first_num.addprevious(etree.fromstring(xml))
    for num_id in (HEADING_NUMBERING, 91):
        numbering.append(
            etree.fromstring(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{num_id}"/></w:num>'
            )
        )


def _header_footer(document) -> None:
    section = document.sections[0]
    header = section.header._element
    footer = section.footer._element
    for part in (header, footer):
        for child in list(part):
            part.remove(child)
    header.append(
        _fragment(paragraph(["{organisation}: {title}", "\t", Run("{classification}", bold=True)],
                            style="Header"))
    )
    footer.append(
        _fragment(
            paragraph(
                [
                    "{classification} \u00b7 ledger commit {commit} \u00b7 status as at {as_of}",
                    "\t",
                    "Page ",
                    field("PAGE", "1"),
                    " of ",
                    field("NUMPAGES", "1"),
                ],
                style="Footer",
            )
        )
    )


def _fragment(xml: str):
    wrapper = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>')
    return wrapper[0]


def _settings(document) -> None:
    settings = document.settings.element
    for name in ("savePreviewPicture", "rsids", "attachedTemplate"):
        for found in settings.findall(f"{{{W_NS}}}{name}"):
            settings.remove(found)
    compat = settings.find(f"{{{W_NS}}}compat")
    # Word refreshes the table of contents and page fields when the file is opened.
    compat.addprevious(etree.fromstring(f'<w:updateFields xmlns:w="{W_NS}" w:val="true"/>'))


def _drop_extras(document) -> None:
    """Remove what python-docx's own template carries that ours should not: its thumbnail
    (a python-docx logo), the Word 2010 stylesWithEffects copy and a customXml item."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects") or rel.reltype == RT.CUSTOM_XML:
            document.part.rels.pop(rel_id)


def build(out: Path = OUT) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.1), Cm(1.0)
    _replace_styles(document)
    _numbering(document)
    _header_footer(document)
    _settings(document)
    _drop_extras(document)
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    sect = body.find(f"{{{W_NS}}}sectPr")
    for xml in COVER:
        sect.addprevious(_fragment(xml))
    properties = document.core_properties
    properties.title = "Board briefing template"
    properties.author = properties.last_modified_by = "hrgov"
    properties.subject = "Human rights governance"
    properties.keywords = properties.comments = properties.category = ""
    properties.created = properties.modified = FIXED_TIME.replace(tzinfo=None)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(reproducible_zip(buffer.getvalue(), FIXED_TIME))
    return out


if __name__ == "__main__":
    print(build())
