"""Word documents on the organisation's template: the Board briefing (and the agenda's .docx).

``write_brief`` gathers the facts (``hrgov.briefing.data``), draws the charts, fills the
template's cover, header and footer placeholders and appends the numbered sections after the
cover. The file is built in memory, made reproducible (fixed dates in the document properties
and the zip entries) and written atomically: a temporary file in the output folder, renamed.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from hrgov.briefing import ooxml
from hrgov.briefing.data import (
    BODIES,
    CHANNELS,
    Changes,
    Facts,
    Period,
    Snapshot,
    compare,
    long_date,
    open_snapshot,
    plural,
    quotable,
    short_date,
    visible,
)
from hrgov.briefing.files import check_output, write_atomically
from hrgov.briefing.ooxml import TAB, Cell, Column, Run, Table, field
from hrgov.briefing.sections.delivery import BODY_ROWS, shorten, state_label
from hrgov.briefing.sections.examples import ISSUE_STATES
from hrgov.errors import InvalidInput, UnknownState

TEMPLATE_NAME = "board-briefing.docx"
TITLE = "Human rights briefing to the Board"
# Styles the code writes with; a template lacking one is refused. Names as Word shows them
# (matched without regard to case: Word stores "heading 1" and "toc 1").
REQUIRED_STYLES = {
    "paragraph": (
        "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption",
        "List Bullet", "TOC Heading", "TOC 1", "TOC 2", "Header", "Footer", "Table Text",
    ),
    "table": ("Board Table",),
}
# Styles used when present, else replaced by the one named.
OPTIONAL_STYLES = {"Note": "Normal", "Figure": "Normal", "Key Message": "Normal"}
PLACEHOLDER = re.compile(r"\{(organisation|title|period|classification|as_of|commit|generated)\}")
FIGURE_WIDTH_CM = 16.0
# An issue's status and the organisation's involvement (UNGPs) in the Board's words.
INVOLVEMENT = {"cause": "We caused it", "contribute": "We contributed",
               "linked": "Linked to our platform or services"}
LINKABLE = re.compile(r"(https?://|mailto:)[^<>\"]+\Z", re.IGNORECASE)
LINK_COLOUR = "0563C1"  # Word's own hyperlink blue: 5.6:1 on white
DECISION_ROWS = 15  # decisions listed in the body: those put to the Board first, then the latest


# ---- the template --------------------------------------------------------------------------


def open_template(path: Path | None):
    """The template as a python-docx ``Document``, checked for the styles the code needs."""
    from docx import Document

    if path is None:
        from importlib.resources import files

        data = (files("hrgov.templates") / TEMPLATE_NAME).read_bytes()
        label = "the built-in template"
    else:
        path = Path(path)
        label = f"template {path}"
        if path.suffix.lower() != ".docx":
            raise InvalidInput(f"{label} is not a Word .docx file (save it from Word as .docx)")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InvalidInput(f"{label} does not exist") from None
        except OSError as error:
            raise InvalidInput(f"{label} cannot be read: {error.strerror}") from None
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # a zip that is not a Word document fails in many ways
        raise InvalidInput(
            f"{label} is not a Word .docx file (save it from Word as .docx)"
        ) from None
    styles = style_ids(document)
    missing = [
        name
        for kind, names in REQUIRED_STYLES.items()
        for name in names
        if (kind, name.lower()) not in styles
    ]
    if missing:
        raise InvalidInput(
            f"{label} lacks the style{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            "(start from templates/board-briefing.docx and restyle it)"
        )
    return document


def style_ids(document) -> dict[tuple[str, str], str]:
    """``(kind, lower-case name)`` → style id, for every style in the document."""
    kinds = {1: "paragraph", 2: "character", 3: "table", 4: "numbering"}
    out = {}
    for style in document.styles:
        kind = kinds.get(int(style.type), "other")
        out[(kind, (style.name or "").lower())] = style.style_id
    return out


def fill_placeholders(document, values: dict[str, str]) -> None:
    """Replace ``{name}`` placeholders in the body, headers and footers, even where Word split
    one across several runs."""
    parts = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header,
                     section.even_page_footer):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    for root in parts:
        for p in root.iter(f"{{{ooxml.W_NS}}}p"):
            _replace_in_paragraph(p, values)


def _replace_in_paragraph(p, values: dict[str, str]) -> None:
    nodes = [t for t in p.iter(f"{{{ooxml.W_NS}}}t")]
    if not nodes:
        return
    text = "".join(t.text or "" for t in nodes)
    if "{" not in text:
        return
    matches = list(PLACEHOLDER.finditer(text))
    for match in reversed(matches):
        start, end = match.span()
        offset = 0
        first = True
        for node in nodes:
            value = node.text or ""
            lo, hi = offset, offset + len(value)
            offset = hi
            if hi <= start or lo >= end:
                continue
            keep_before = value[: max(0, start - lo)]
            keep_after = value[max(0, end - lo):] if end < hi else ""
            middle = ooxml.clean(values[match.group(1)]) if first else ""
            node.text = keep_before + middle + keep_after
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            first = False


def footer_has_commit(document) -> bool:
    for section in document.sections:
        footer = section.footer
        text = "".join(t.text or "" for t in footer._element.iter(f"{{{ooxml.W_NS}}}t"))
        if "{commit}" in text:
            return True
    return False


def add_provenance_footer(document, ids: dict, line: str) -> None:
    """A template whose footer lacks ``{commit}`` still gets the provenance on every page."""
    from lxml import etree

    xml = ooxml.paragraph(
        [line, TAB, "Page ", field("PAGE", "1"), " of ", field("NUMPAGES", "1")],
        style=ids[("paragraph", "footer")],
    )
    for section in document.sections:
        element = section.footer._element
        element.append(
            etree.fromstring(f'<w:body xmlns:w="{ooxml.W_NS}">{xml}</w:body>'.encode())[0]
        )


# ---- the writer ----------------------------------------------------------------------------


class Writer:
    """Collects body XML in order, numbers headings and builds the table of contents."""

    def __init__(self, document):
        self.document = document
        ids = style_ids(document)
        self.ids = ids

        def sid(name: str) -> str:
            key = ("paragraph", name.lower())
            if key in ids:
                return ids[key]
            return ids[("paragraph", OPTIONAL_STYLES[name].lower())]

        self.style = sid
        self.table_style = ids[("table", "board table")]
        self.parts: list = []
        self.toc: list[tuple[int, str, str, str]] = []  # level, number, text, bookmark
        self.numbers = [0, 0, 0]
        self.bookmark = 0
        self.shape = 100
        self.images = 0

    # ---- blocks --------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1, *, numbered: bool = True,
                page_break: bool = False, in_toc: bool = True) -> None:
        number = ""
        if numbered:
            self.numbers[level - 1] += 1
            for deeper in range(level, 3):
                self.numbers[deeper] = 0
            number = ".".join(str(n) for n in self.numbers[:level])
        self.bookmark += 1
        name = f"_Toc{self.bookmark:08d}"
        if level <= 2 and in_toc:
            self.toc.append((level, number, text, name))
        self.parts.append(
            ooxml.paragraph(
                text,
                style=self.style(f"Heading {level}"),
                numbered=numbered,
                page_break_before=page_break,
                bookmark=(self.bookmark, name),
            )
        )

    def para(self, content, *, style: str = "Normal", **options) -> None:
        self.parts.append(ooxml.paragraph(content, style=self.style(style), **options))

    def bullets(self, items: Sequence) -> None:
        for item in items:
            self.para(item, style="List Bullet")

    def note(self, content) -> None:
        self.para(content, style="Note")

    def table(self, table: Table) -> None:
        self.parts.append(ooxml.table(table, style=self.table_style,
                                      text_style=self.style("Table Text")))
        self.parts.append(ooxml.paragraph("", style=self.style("Normal"), space_after=0))

    def figure(self, png: bytes | None, caption: str, *, empty: str, alt: str,
               numbers: Table | None = None, width_cm: float = FIGURE_WIDTH_CM) -> None:
        """A chart with its caption, its alternative text ``alt`` (what a screen reader says
        instead of the picture) and, when given, the ``numbers`` it draws as a table right
        after it: every figure of a chart can be read without seeing it."""
        if png is None:
            self.para(Run(empty, italic=True))
            return
        picture = ooxml.Xml(self._picture(png, width_cm, alt))
        self.parts.append(ooxml.paragraph(picture, style=self.style("Figure"), keep_next=True))
        self.para(caption, style="Caption", keep_next=numbers is not None)
        if numbers is not None:
            self.table(numbers)

    def link(self, target: str, text: str | None = None):
        """``text`` (default: ``target``) as a clickable link when ``target`` is a web or mail
        address; anything else (a note, a path) stays plain text."""
        target = ooxml.clean(target).strip()
        if not LINKABLE.match(target) or any(c.isspace() for c in target):
            return text if text is not None else target
        from docx.opc.constants import RELATIONSHIP_TYPE

        rel_id = self.document.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK,
                                              is_external=True)
        shown = ooxml.run(text if text is not None else target, color=LINK_COLOUR)
        colour = f'<w:color w:val="{LINK_COLOUR}"/>'  # underline after it: the schema's order
        shown = shown.replace(colour, colour + '<w:u w:val="single"/>', 1)
        return ooxml.Xml(f'<w:hyperlink r:id="{rel_id}" w:history="1">{shown}</w:hyperlink>')

    def toc_here(self) -> None:
        self.parts.append(None)  # filled in by ``finish``, once every heading is known

    def _picture(self, png: bytes, width_cm: float, alt: str) -> str:
        from docx.oxml.shape import CT_Inline
        from docx.shared import Cm
        from lxml import etree

        rel_id, image = self.document.part.get_or_add_image(io.BytesIO(png))
        width = Cm(width_cm)
        height = int(width * image.px_height / image.px_width)
        self.shape += 1
        self.images += 1
        inline = CT_Inline.new_pic_inline(self.shape, rel_id, f"chart{self.images}.png",
                                          width, height)
        inline.docPr.set("descr", ooxml.clean(alt))
        inline.docPr.set("title", ooxml.clean(alt.split(":")[0])[:100])
        return f"<w:r><w:drawing>{etree.tostring(inline).decode()}</w:drawing></w:r>"

    # ---- the table of contents -----------------------------------------------------------

    def _toc_xml(self) -> str:
        heading = ooxml.paragraph("Contents", style=self.style("TOC Heading"),
                                  page_break_before=True)
        if not self.toc:
            return heading
        # No TOC field around the entries: hrgov writes them itself, from the headings it
        # wrote, and only their page numbers are fields, which LibreOffice and Word compute.
        paragraphs = [heading]
        for level, number, text, name in self.toc:
            link = [number, TAB, text] if number else [text]
            link += [TAB, field(f"PAGEREF {name} \\h", "")]
            entry = ooxml.Xml(
                f'<w:hyperlink w:anchor="{name}" w:history="1">{ooxml.runs(link)}</w:hyperlink>'
            )
            paragraphs.append(ooxml.paragraph(entry, style=self.style(f"TOC {level}")))
        return "".join(paragraphs)

    def finish(self) -> None:
        toc = self._toc_xml()
        ooxml.append(self.document, (toc if part is None else part for part in self.parts))


# ---- the briefing --------------------------------------------------------------------------


def write_brief(
    ledger,
    out_path: Path,
    *,
    start: date | str,
    end: date | str,
    as_of: str | None = None,
    template: Path | None = None,
    since: str | None = None,
    today: date | None = None,
    year: int | None = None,
    status_date: date | str | None = None,
    problems: Sequence[str] = (),
    workbook: Path | None = None,
) -> dict:
    """Write the Board briefing for the period ``start``–``end`` (both included) to
    ``out_path`` (a .docx), from the ledger as of ``as_of`` (a date or a git revision; default
    HEAD), on ``template`` (default: the built-in one). ``since`` names the commit of the
    previous briefing: the changes after it get their own section. ``today`` fixes the
    generation date (default: today, or ``SOURCE_DATE_EPOCH``); ``status_date`` the day
    milestones are overdue or not at (default: today at HEAD, else the day ``as_of`` names).
    ``problems`` are what ``hrgov.ledger.verify`` found wrong with the ledger: the cover then
    warns the Board not to rely on the paper before they are settled. ``workbook`` (.xlsx)
    also writes the figures behind the paper, one sheet per table (``briefing.workbook``).

    Returns what was built: ``{"path", "commit", "status_date", "pages_hint"...}``. Raises
    ``InvalidInput`` for a bad period, revision, template or output path; nothing is written
    then.
    """
    out_path = check_output(out_path, ".docx")
    if workbook is not None:
        from hrgov.briefing import workbook as companion

        workbook = companion.workbook_path(workbook)
    period = _period(start, end, year)
    document = open_template(template)
    with open_snapshot(ledger, as_of, today=today, status_date=status_date) as snap:
        facts = Facts.load(snap.conn, period, snap.day)
        changes = _changes(ledger, snap, facts, since)
        from hrgov.briefing.sections import framework

        disclosure = framework.load(snap.conn, period, snap.day)
        data = build_document(document, snap, facts, changes, template is not None,
                              problems=problems, disclosure=disclosure)
        sheets = None if workbook is None else companion.workbook_bytes(facts, snap, disclosure)
    write_atomically(out_path, data)
    if sheets is not None:
        write_atomically(workbook, sheets)
    return {
        "path": str(out_path),
        "workbook": None if workbook is None else str(workbook),
        "commit": snap.sha,
        "status_date": snap.day.isoformat(),
        "generated": snap.generated.isoformat(),
        "period": [period.start.isoformat(), period.end.isoformat()],
    }


def _period(start, end, year) -> Period:
    from hrgov.briefing.data import period_between

    period = period_between(str(start), str(end))
    return Period(period.start, period.end, year=year)


def _changes(ledger, snap: Snapshot, facts: Facts, since: str | None) -> Changes | None:
    if since is None:
        return None
    with open_snapshot(ledger, since, today=snap.generated, field="since") as old_snap:
        if old_snap.seq > snap.seq:
            raise UnknownState(
                "since", since,
                "{what} {value} is not an earlier state of the ledger at " + snap.sha[:10]
                + " (give the commit printed in the last briefing's footer)",
            )
        old = facts if old_snap.sha == snap.sha else Facts.load(
            old_snap.conn, facts.period, facts.day)
    return compare(old, facts, old_snap.sha, old_snap.committed)


def document_values(snap: Snapshot, period_label: str, title: str) -> dict[str, str]:
    return {
        "organisation": snap.settings.get("organisation.name") or "The organisation",
        "title": title,
        "period": period_label,
        "classification": snap.settings.get("briefing.classification") or "Board confidential",
        "as_of": long_date(snap.day),
        "commit": snap.sha[:10],
        "generated": long_date(snap.generated),
        "presenter": snap.settings.get("briefing.presenter") or "",
    }


def problems_summary(problems: Sequence[str]) -> str:
    """``hrgov verify``'s findings in one phrase for the cover: how many, and the first."""
    first = shorten(" ".join(str(problems[0]).split()), 160)
    return f"{plural(len(problems), 'problem')}, the first: {first}"


def prepare(document, snap: Snapshot, values: dict[str, str]) -> Writer:
    """Fill the template's placeholders and make sure the footer carries the provenance."""
    writer = Writer(document)
    if not footer_has_commit(document):
        add_provenance_footer(
            document, writer.ids,
            f"{values['classification']} \u00b7 ledger commit {values['commit']} \u00b7 "
            f"status as at {values['as_of']}",
        )
    fill_placeholders(document, values)
    return writer


def finish_package(document, snap: Snapshot, values: dict[str, str], subject: str) -> bytes:
    """Document properties dated by the commit, then the reproducible zip."""
    properties = document.core_properties
    properties.title = ooxml.clean(f"{values['title']}: {values['period']}")[:250]
    properties.subject = ooxml.clean(subject)[:250]
    properties.author = ooxml.clean(values.get("presenter") or values["organisation"])[:250]
    properties.last_modified_by = "hrgov"
    properties.keywords = f"ledger commit {snap.sha}"
    properties.identifier = snap.sha
    properties.comments = ooxml.clean(
        f"Built by hrgov from ledger commit {snap.sha}; status as at {snap.day.isoformat()}; "
        f"generated {snap.generated.isoformat()}."
    )
    properties.category = ooxml.clean(values["classification"])[:250]
    committed = snap.committed.replace(tzinfo=None, microsecond=0)
    properties.created = committed
    properties.modified = committed
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    app = ooxml.app_properties(values["organisation"], properties.title)
    return ooxml.reproducible_zip(buffer.getvalue(), committed, {"docProps/app.xml": app})


def build_document(document, snap: Snapshot, facts: Facts, changes: Changes | None,
                   custom_template: bool = False, *, problems: Sequence[str] = (),
                   disclosure=None) -> bytes:
    """The briefing's bytes; ``disclosure`` is the UNGP Reporting Framework answered from the
    same snapshot (``sections.framework.load``), for Annex F and the grievance scorecard."""
    from hrgov.briefing import charts
    from hrgov.briefing.sections import board_note, delivery, framework, glossary

    values = document_values(snap, f"Reporting period: {facts.period.label}", TITLE)
    if problems:
        values["problems"] = problems_summary(problems)
    writer = prepare(document, snap, values)
    board_note.write(writer, facts, values, facts.headline_figures())
    writer.toc_here()
    # The body in the order of the UNGP Reporting Framework: the salient issues first, then
    # what is being done about them, how it is tracked, remedy, and governance.
    _issues(writer, facts, charts)
    delivery.progress(writer, facts, charts)
    delivery.overdue(writer, facts)
    _changes_section(writer, facts, changes, snap)
    _assessments(writer, facts)
    _remedy(writer, facts)
    if disclosure is not None:
        framework.scorecard(writer, disclosure)
    _governance(writer, facts)
    _annexes(writer, facts)
    _verify(writer, snap, facts, changes, custom_template)
    delivery.annex(writer, facts)
    glossary.write(writer)
    if disclosure is not None:
        framework.annex(writer, disclosure)
    writer.finish()
    return finish_package(document, snap, values, "Human rights governance: Board briefing")


# ---- sections ------------------------------------------------------------------------------


def _restricted(n: int, what: str) -> str:
    return (
        f"{plural(n, 'restricted ' + what)} {'is' if n == 1 else 'are'} counted above but not "
        "named: restricted records appear in this briefing only as numbers."
    )


def _listed(items: list[str]) -> list[str]:
    """Lines of a table cell: a bullet before each when there are several."""
    if not items:
        return ["\u2013"]
    if len(items) == 1:
        return items
    return [f"\u2022 {item}" for item in items]


def _command(text: str) -> Run:
    return Run(text, font="Courier New", color="262626", size=9.5)


def _status_summary(decisions: list[dict]) -> str:
    from collections import Counter

    counts = Counter(d["status"] for d in decisions)
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def _governance(w: Writer, facts: Facts) -> None:
    w.heading("Governance")
    w.heading("Meetings and attendance", 2)
    meetings = facts.meetings_held
    shown = [m for m in meetings if visible(m)]
    if not meetings:
        w.para("No meeting is recorded in the period.")
    else:
        by_body = {}
        for m in meetings:
            by_body[m["body"]] = by_body.get(m["body"], 0) + 1
        quorate = sum(1 for m in meetings if m.get("quorum"))
        w.para(
            "Held in the period: "
            + ", ".join(f"{BODIES.get(b, b)} {plural(n, 'time')}" for b, n in by_body.items())
            + f"; {quorate} of {plural(len(meetings), 'meeting')} recorded as quorate."
        )
        decided = {}
        for d in facts.decisions:
            if d.get("meeting"):
                decided[d["meeting"]] = decided.get(d["meeting"], 0) + 1
        table = Table([Column("Date", 2.4), Column("Body", 3.8), Column("Attendees", 2.2, "right"),
                       Column("Quorate", 2.4), Column("Decisions", 2.2, "right"),
                       Column("Meeting", 3.6)])
        for m in shown:
            table.add(short_date(m["date"]), BODIES.get(m["body"], m["body"]),
                      str(len(m.get("attendees") or ())),
                      {True: "Yes", False: "No"}.get(m.get("quorum"), "Not recorded"),
                      str(decided.get(m["id"], 0)), m["id"])
        w.table(table)
        if len(shown) < len(meetings):
            w.para(_restricted(len(meetings) - len(shown), "meeting"))
        attendance = facts.attendance()
        if attendance:
            w.para(f"Attendance across the {plural(len(shown), 'meeting')} listed:",
                   keep_next=True)
            table = Table([Column("Attendee (as recorded)", 11.6),
                           Column("Meetings attended", 5.0, "right")])
            for who, n in attendance:
                table.add(who, f"{n} of {len(shown)}")
            w.table(table)
    w.heading("Decisions of the period", 2)
    decisions = facts.decisions_taken
    shown = [d for d in decisions if visible(d)]
    if not decisions:
        w.para("No decision is recorded in the period.")
        return
    listed = sorted(shown, key=lambda d: (not d.get("for_board"), d["date"]),
                    reverse=False)[:DECISION_ROWS]
    listed.sort(key=lambda d: (d["date"], d["id"]))
    w.para(f"{plural(len(decisions), 'decision')} taken: {_status_summary(decisions)}."
           + (f" Those put to the Board and the latest, {len(listed)} in all:"
              if len(listed) < len(shown) else ""))
    table = Table([Column("Decision", 5.0), Column("Date", 2.1), Column("Status", 2.5),
                   Column("Commitments served", 4.0), Column("Owner", 3.0)])
    for d in listed:
        served = [shorten(facts.commitment_title(c)) for c in d.get("commitments") or ()]
        table.add(
            Cell(lines=[shorten(d["title"], 120), Run(d["id"], color="595959", size=8)]),
            short_date(d["date"]),
            d["status"].capitalize(),
            Cell(lines=_listed(served)),
            facts.department_name(d.get("owner")) if d.get("owner") else "\u2013",
        )
    w.table(table)
    if len(listed) < len(shown):
        w.para(f"{plural(len(shown) - len(listed), 'more decision')} of the period "
               f"{'is' if len(shown) - len(listed) == 1 else 'are'} in the audit view and the "
               "ledger (hrgov list decisions).")
    if len(shown) < len(decisions):
        w.para(_restricted(len(decisions) - len(shown), "decision"))
    # Who decided, provably (issue 14): filled by the caller from hrgov.queries when the
    # ledger signs its decisions; nothing is said otherwise.
    if facts.signatures is not None:
        signed, of = facts.signatures
        w.para(f"{signed} of {plural(of, 'decision')} of the period signed by a committee "
               "member (hrgov verify checks each signature against the allowed signers).")
    if facts.post_approval_changes:
        w.para(f"{plural(len(facts.post_approval_changes), 'change')} to decisions after "
               "their minutes were approved, each with its recorded reason:", keep_next=True)
        w.bullets([f"{c['decision']}, {short_date(c['day'])}: {c.get('reason') or 'no reason'}"
                   for c in facts.post_approval_changes])


def _changes_section(w: Writer, facts: Facts, changes: Changes | None, snap: Snapshot) -> None:
    w.heading("Changes since the last briefing")
    if changes is None:
        w.para(
            "No earlier briefing was named, so changes are not listed. The next briefing can "
            f"list everything that changed after this one: build it with --since-briefing "
            f"{snap.sha[:10]}."
        )
        return
    when = f" ({long_date(changes.since_time.date())})" if changes.since_time else ""
    w.para(f"Changes between ledger commit {changes.since_sha[:10]}{when}, the state the last "
           f"briefing was built from, and commit {snap.sha[:10]}.")
    if changes.empty:
        w.para("Nothing was created, closed, slipped or re-owned in between.")
        return

    def label(record: dict) -> list:
        kind = record["kind"].capitalize()
        return [shorten(record.get("title", "")),
                Run(f"{kind} {record['id']}", color="595959", size=8)]

    sections = (
        ("New", [(r, _created(r)) for r in changes.new], "Date"),
        ("Closed", [(r, s.capitalize()) for r, s in changes.closed], "Now"),
        ("Slipped", [(r, f"{short_date(a)} \u2192 {short_date(b)}") for r, a, b in
                     changes.slipped], "Due date"),
        ("Re-owned", [(r, f"{facts.department_name(a)} \u2192 {facts.department_name(b)}")
                      for r, a, b in changes.reowned], "Owner"),
    )
    for title, items, column in sections:
        w.heading(f"{title} ({len(items)})", 3, numbered=False)
        if not items:
            w.para("None.")
            continue
        shown = [(r, text) for r, text in items if visible(r)]
        table = Table([Column("Record", 11.0), Column(column, 5.6)])
        for record, text in shown[:BODY_ROWS]:
            table.add(Cell(lines=label(record)), text)
        if shown:
            w.table(table)
        if len(shown) > BODY_ROWS:
            w.para(f"and {len(shown) - BODY_ROWS} more.")
        if len(shown) < len(items):
            w.para(_restricted(len(items) - len(shown), "record"))


def _created(record: dict) -> str:
    if record["kind"] == "decision":
        return f"taken {short_date(record['date'])}"
    if record["kind"] == "milestone":
        return f"due {short_date(record['due'])}"
    return record.get("status", "")


def _issues(w: Writer, facts: Facts, charts) -> None:
    from hrgov.briefing.sections import chart_numbers, examples, trends

    w.heading("Human-rights issues: examples and trends")
    issues = facts.issues_reported
    hidden = sum(1 for i in issues if not visible(i))
    if not issues:
        w.para(
            "No human-rights issue is recorded in the issues register for the period, so this "
            "briefing has no issue data to report: no salient issues, no examples and no trends."
        )
        before = len(facts.issues_before)
        if before:
            w.para(f"In the previous period of the same length "
                   f"({facts.previous_period.label}) {plural(before, 'issue was', 'issues were')}"
                   " recorded.")
        return
    by_status = Counter(i["status"] for i in issues)
    states = ", ".join(f"{n} {ISSUE_STATES.get(s, s).lower()}" for s, n in
                       sorted(by_status.items()))
    w.para(
        f"{plural(len(issues), 'issue')} {'was' if len(issues) == 1 else 'were'} reported in "
        f"the period ({states} at "
        f"{long_date(facts.day)}). The policy asks the Board update to include \u201cexamples "
        "of specific human rights issues, and/or trends in types of human rights issues\u201d; "
        "both follow, computed from the issues register."
    )
    if hidden:
        w.note(_restricted_issues(hidden))
    # Salient issues
    w.heading("Salient issues", 2)
    salient = facts.salient_issues
    shown = [i for i in salient if visible(i)]
    if not salient:
        w.para("No issue reported in the period is marked salient.")
    else:
        w.para(f"{plural(len(salient), 'issue')} reported in the period "
               f"{'is' if len(salient) == 1 else 'are'} marked salient (severe and at risk of "
               "recurring, as the Steering Committee judged them), most severe first. Only "
               "issues cleared as Board examples are described.", keep_next=True)
        table = Table([Column("Issue", 7.6), Column("Impact", 1.6, "right"),
                       Column("Likelihood", 2.2, "right"), Column("Where it stands", 2.4),
                       Column("Our involvement", 2.8)])
        for i in shown[:BODY_ROWS]:
            lines = [Run(facts.category_name(i["category"]), bold=True)]
            if quotable(i):
                lines.append(Run(i["summary"], italic=True, color="595959"))
            lines.append(Run(i["id"], color="595959", size=8))
            table.add(Cell(lines=lines), str(i.get("impact") or "\u2013"),
                      str(i.get("likelihood") or "\u2013"),
                      ISSUE_STATES.get(i["status"], i["status"]),
                      INVOLVEMENT.get(i.get("involvement"), "Not assessed"))
        if shown:
            w.table(table)
        if len(shown) > BODY_ROWS:
            w.para(f"The {BODY_ROWS} most severe are listed; {len(shown) - BODY_ROWS} more "
                   "salient issues are in the issues register (audit view).")
        if len(shown) < len(salient):
            w.para(_restricted_issues(len(salient) - len(shown), "salient "))
    # Heat map
    w.heading("Impact and likelihood", 2)
    grid, unscored = facts.heat_map()
    alt, numbers = chart_numbers.heat_map(grid)
    w.figure(
        charts.heat_map(grid),
        "Figure 1. Issues reported in the period by impact (rows) and likelihood (columns), "
        "each scored 1 (low) to 3 (high). Numbers are issues; darker cells hold more."
        + (f" {plural(unscored, 'issue')} without both scores {'is' if unscored == 1 else 'are'}"
           " left out." if unscored else ""),
        empty="No issue reported in the period has both an impact and a likelihood score.",
        alt=alt, numbers=numbers, width_cm=9.0,
    )
    examples.write(w, facts)
    trends.write(w, facts, charts)


def _restricted_issues(n: int, what: str = "") -> str:
    return (f"{plural(n, 'restricted ' + what + 'issue')} {'is' if n == 1 else 'are'} counted "
            "above but not described: restricted records appear in this briefing only as "
            "numbers.")


def _assessments(w: Writer, facts: Facts) -> None:
    w.heading("Due diligence: human rights impact assessments")
    tracked = facts.assessments_tracked
    shown = [a for a in tracked if visible(a)]
    if not tracked:
        w.para("No human rights impact assessment is under way, planned, or completed in the "
               "period.")
        return
    w.para(f"{plural(len(tracked), 'assessment')}: those still open at "
           f"{long_date(facts.day)} and those started or completed in the period. Phases "
           "follow the Danish Institute for Human Rights: 1 planning and scoping, 2 data "
           "collection, 3 analysing impacts, 4 mitigation and management, 5 reporting and "
           "evaluation.", keep_next=True)
    table = Table([Column("Assessment", 5.4), Column("Subject", 1.9), Column("Phase", 1.6,
                   "right"), Column("Status", 2.3), Column("Findings", 1.6, "right"),
                   Column("With a plan", 1.9, "right"), Column("Next due", 2.2)])
    for a in shown:
        findings = a.get("findings") or []
        planned = sum(1 for f in findings if f.get("milestones"))
        table.add(Cell(lines=[Run(a["title"], bold=True), Run(a["id"], color="595959",
                                                              size=8)]),
                  (a.get("subject") or "").capitalize(), str(a.get("phase") or "\u2013"),
                  a["status"].replace("-", " ").capitalize(), str(len(findings)),
                  str(planned), short_date(a.get("next_due")) or "\u2013")
    if shown:
        w.table(table)
    if len(shown) < len(tracked):
        w.para(_restricted(len(tracked) - len(shown), "assessment"))
    findings = [f for a in tracked for f in a.get("findings") or []]
    unanswered = sum(1 for f in findings if not f.get("milestones"))
    if findings:
        w.para(f"{plural(len(findings), 'finding')} in all; {unanswered} "
               f"{'has' if unanswered == 1 else 'have'} no milestone answering "
               f"{'it' if unanswered == 1 else 'them'} yet.")


def _remedy(w: Writer, facts: Facts) -> None:
    w.heading("Grievances and remedy")
    w.heading("Grievances by channel", 2)
    received = facts.grievances_received
    if not received:
        w.para("No grievance is recorded as received in the period.")
    else:
        total = facts.grievances_total()
        w.para(f"{plural(len(received), 'grievance')} received in the period; "
               f"{total['open']} still open at {long_date(facts.day)}. Days are counted from "
               "receipt; medians over the grievances that reached that stage. No grievance's "
               "content is shown.", keep_next=True)
        table = Table([Column("Channel", 4.4), Column("Received", 1.9, "right"),
                       Column("Acknowl.", 1.9, "right"), Column("Median days to acknowledge",
                       2.6, "right"), Column("Closed", 1.6, "right"),
                       Column("Median days to close", 2.4, "right"),
                       Column("Open", 1.8, "right")])

        def add(row, bold=False):
            cells = [row["channel"], str(row["received"]), str(row["acknowledged"]),
                     row["median_acknowledge"], str(row["closed"]), row["median_close"],
                     str(row["open"])]
            table.add(*(Run(c, bold=bold) for c in cells))

        for row in facts.grievances_by_channel():
            row["channel"] = CHANNELS.get(row["channel"], row["channel"])
            add(row)
        add(total, bold=True)
        w.table(table)
        if total["restricted"]:
            w.para(f"{plural(total['restricted'], 'restricted grievance')} "
                   f"{'is' if total['restricted'] == 1 else 'are'} counted above.")
        outcomes = Counter(g["outcome"] for g in received if g.get("outcome"))
        if outcomes:
            w.para("Outcomes of those closed: " + ", ".join(
                f"{n} {o.replace('-', ' ')}" for o, n in sorted(outcomes.items())) + ".")
    w.heading("Remedies", 2)
    remedies = facts.remedies_tracked
    if not remedies:
        w.para("No remedy is recorded as delivered in the period or awaiting delivery.")
        return
    w.para("Remedies delivered in the period or not yet delivered, by type. A remedy is "
           "verified when its effect on the people concerned was checked.", keep_next=True)
    table = Table([Column("Type of remedy", 7.0), Column("Recorded", 3.2, "right"),
                   Column("Delivered", 3.2, "right"), Column("Verified", 3.2, "right")])
    for kind, count, delivered, verified in facts.remedies_by_type():
        table.add(kind.replace("-", " ").capitalize(), str(count), str(delivered), str(verified))
    table.add(Run("All remedies", bold=True), *(Run(str(sum(r[n] for r in
              facts.remedies_by_type())), bold=True) for n in (1, 2, 3)))
    w.table(table)
    hidden = sum(1 for r in remedies if not visible(r))
    if hidden:
        w.para(f"{plural(hidden, 'restricted remedy', 'restricted remedies')} "
               f"{'is' if hidden == 1 else 'are'} counted above.")


def _annexes(w: Writer, facts: Facts) -> None:
    w.heading("Annex A. Commitment register", numbered=False, page_break=True)
    commitments = facts.commitments
    shown = [c for c in commitments if visible(c)]
    w.para(f"Every commitment in the ledger ({len(commitments)}), with its owner and its state "
           f"as at {long_date(facts.day)}.")
    table = Table([Column("Commitment", 5.7), Column("Policy section", 3.2),
                   Column("Owner", 3.1), Column("State", 2.2), Column("Instruments", 2.4)])
    for c in sorted(shown, key=lambda c: (c.get("section") or "", c["title"])):
        state = facts.health.get(c["id"]) or c.get("status", "")
        instruments = [
            facts.instruments.get(i, {}).get("short_name", i) for i in c.get("instruments") or ()
        ]
        table.add(c["title"], c.get("section") or "\u2013",
                  facts.department_name(c.get("owner")), state_label(state),
                  ", ".join(instruments) or "\u2013")
    w.table(table)
    if len(shown) < len(commitments):
        w.para(_restricted(len(commitments) - len(shown), "commitment"))
    w.heading("Annex B. Instruments", numbered=False)
    instruments = [i for i in facts.instruments.values() if visible(i)]
    if not instruments:
        w.para("No instrument is recorded.")
    else:
        table = Table([Column("Short name", 2.3), Column("Instrument", 6.4),
                       Column("Type", 2.1), Column("Where published", 5.8)])
        for i in sorted(instruments, key=lambda i: i.get("short_name", i["id"]).lower()):
            table.add(i.get("short_name", i["id"]), i.get("title", ""),
                      (i.get("instrument_type") or "").capitalize(),
                      w.link(i["url"]) if i.get("url") else "\u2013")
        w.table(table)


def _verify(w: Writer, snap: Snapshot, facts: Facts, changes: Changes | None,
            custom_template: bool) -> None:
    w.heading("Annex C. How to verify this briefing", numbered=False, page_break=True)
    w.para(
        f"This briefing was built by hrgov on {long_date(snap.generated)} from the governance "
        f"ledger at commit {snap.sha}, recorded on {long_date(snap.committed.date())} at "
        f"{snap.committed.strftime('%H:%M')} UTC. Milestone states are as at "
        f"{long_date(snap.day)}. The ledger is a git repository: each change to it is a commit "
        "naming who made it, when, and why, and a commit's identifier changes if anything "
        "before it is altered."
    )
    w.para("To check that this briefing came from the ledger as it stands, and that nothing it "
           "was built from has been rewritten since, run in a copy of the ledger:")
    w.para(_command(f"hrgov verify --contains {snap.sha[:10]}"), style="Note")
    w.para(
        "It succeeds only if that commit is part of the ledger's history, and prints the "
        "commit's date and author. The ledger's own check, hrgov verify, then confirms that "
        "every later change was made through hrgov and carries its reason."
    )
    w.para("To see any record exactly as this briefing saw it:")
    w.para(_command(f"hrgov show ID --at {snap.sha[:10]}"), style="Note")
    w.para("To rebuild this briefing from the same records, with the same status date "
           f"({long_date(snap.day)}) and the same date of preparation:", keep_next=True)
    w.para(_command(rebuild_command(snap, facts, changes, custom_template)), style="Note")
    w.para(
        "It gives a file identical to the byte"
        + (" when given the same template with --template" if custom_template else "")
        + ". The document properties (File \u203a Info) also carry the full commit identifier "
        "and the status date."
    )


def rebuild_command(snap: Snapshot, facts: Facts, changes: Changes | None,
                    custom_template: bool = False) -> str:
    """The command line that rebuilds this briefing byte for byte: the same commit, period,
    status date and generation day (``SOURCE_DATE_EPOCH``), and the same earlier briefing."""
    generated = datetime.combine(snap.generated, datetime.min.time(), UTC)
    period = facts.period
    if period.year is not None:
        which = f"--year {period.year}"
    else:
        which = f"--from {period.start.isoformat()} --to {period.end.isoformat()}"
    since = f" --since-briefing {changes.since_sha[:10]}" if changes is not None else ""
    template = " --template TEMPLATE.docx" if custom_template else ""
    return (f"SOURCE_DATE_EPOCH={int(generated.timestamp())} hrgov brief {which} --as-of "
            f"{snap.sha[:10]} --status-date {snap.day.isoformat()}{since}{template} "
            "-o copy.docx")


# ---- simple documents (the agenda) ---------------------------------------------------------


def blocks_document(document, doc, snap: Snapshot, *, title: str, subtitle: str) -> bytes:
    """A ``blocks.Doc`` on the template, without its cover: headings of level 2 become the
    numbered items, level 3 their sub-items."""
    values = document_values(snap, subtitle, title)
    values["classification"] = "Steering Committee"
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    writer = prepare(document, snap, values)
    writer.para(title, style="Title")
    writer.para(subtitle, style="Subtitle")
    for block in doc.blocks:
        kind = block[0]
        if kind == "h":
            writer.heading(block[2], 1 if block[1] <= 2 else 2)
        elif kind == "p":
            if block[2]:
                writer.note(block[1])
            else:
                writer.para(block[1])
        elif kind == "ul":
            writer.bullets(block[1])
        elif kind == "table":
            writer.table(_auto_table(block[1], block[2]))
    writer.finish()
    return finish_package(document, snap, values, "Human rights governance: agenda")


def _auto_table(headers: list[str], rows: list[list[str]], width: float = 16.6) -> Table:
    """Columns sized to their content (longest line, capped), filling the text width."""
    weights = []
    for i, header in enumerate(headers):
        longest = max([len(header)] + [len(str(r[i])) for r in rows])
        weights.append(min(max(longest, 12), 48))
    total = sum(weights)
    table = Table([Column(h, round(width * w / total, 2)) for h, w in zip(headers, weights,
                                                                         strict=True)])
    for row in rows:
        table.add(*row)
    return table
