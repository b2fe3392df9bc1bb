"""A document as a list of blocks (headings, paragraphs, lists, tables), rendered to Markdown or
to one self-contained HTML page; the agenda also renders them into Word.

Text is plain: every renderer escapes it, so a record's title can never inject markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from hrgov.briefing.ooxml import clean


@dataclass
class Doc:
    title: str
    blocks: list[tuple] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(("h", level, text))

    def para(self, text: str, *, small: bool = False) -> None:
        self.blocks.append(("p", text, small))

    def items(self, items: list[str]) -> None:
        if items:
            self.blocks.append(("ul", list(items)))

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("table", list(headers), [list(r) for r in rows]))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text) -> str:
    """Plain text safe in Markdown: punctuation that means something is backslash-escaped and
    line breaks inside a block become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(clean(text).split()))


def to_markdown(doc: Doc) -> str:
    out = [f"# {md_escape(doc.title)}", ""]
    for block in doc.blocks:
        kind = block[0]
        if kind == "h":
            out += [f"{'#' * min(block[1], 6)} {md_escape(block[2])}", ""]
        elif kind == "p":
            text = md_escape(block[1])
            out += [f"*{text}*" if block[2] else text, ""]
        elif kind == "ul":
            out += [f"- {md_escape(item)}" for item in block[1]] + [""]
        elif kind == "table":
            headers, rows = block[1], block[2]
            out.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
            out.append("|" + "|".join(" --- " for _ in headers) + "|")
            for row in rows:
                out.append("| " + " | ".join(md_escape(c) or " " for c in row) + " |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _h(text) -> str:
    return html.escape(clean(text), quote=True)


STYLE = """
body { font-family: Arial, "Liberation Sans", sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #262626; line-height: 1.45; }
h1, h2, h3 { color: #1F3A5F; }
h1 { border-bottom: 2px solid #1F3A5F; padding-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.2rem; font-size: .9rem; }
th { background: #1F3A5F; color: #fff; text-align: left; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid #BFBFBF; vertical-align: top; }
p.small { color: #595959; font-size: .85rem; }
"""


def to_html(doc: Doc, *, lang: str = "en") -> str:
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_h(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(doc.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f'<h1 dir="auto">{_h(doc.title)}</h1>',
    ]
    for block in doc.blocks:
        kind = block[0]
        if kind == "h":
            level = min(block[1], 6)
            out.append(f'<h{level} dir="auto">{_h(block[2])}</h{level}>')
        elif kind == "p":
            css = ' class="small"' if block[2] else ""
            out.append(f'<p dir="auto"{css}>{_h(block[1])}</p>')
        elif kind == "ul":
            out.append("<ul>" + "".join(f'<li dir="auto">{_h(i)}</li>' for i in block[1])
                       + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{_h(h)}</th>" for h in block[1])
            rows = "".join(
                "<tr>" + "".join(f'<td dir="auto">{_h(c)}</td>' for c in row) + "</tr>"
                for row in block[2]
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
