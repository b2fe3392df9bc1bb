"""The briefing as LibreOffice prints it: every section's text is on a page."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import TODAY
from .test_brief import SECTIONS

NOTE = ("Key messages", "The Board is asked to", "At a glance")

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_briefing_renders_to_pdf_with_every_section(scenario, tmp_path):
    from hrgov.briefing import write_brief
    from hrgov.ledger import Ledger

    docx = tmp_path / "board.docx"
    write_brief(Ledger.find(scenario.root), docx, start="2025-01-01", end="2025-12-31",
                since=scenario.since, today=TODAY)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(docx)],
        capture_output=True, check=True, timeout=240,
    )
    pdf = tmp_path / "board.pdf"
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    contents = flat.index("Contents")
    note, body = flat[:contents], flat[flat.index("Annex C. How to verify", contents) + 20:]
    for section in SECTIONS:
        assert section in (note if section in NOTE else body), section
    pages = text.count("\f")
    # The contents page gives real page numbers, computed by LibreOffice from the headings.
    numbered = re.findall(r"Annex C\. How to verify this briefing\.{3,}\s*(\d+)", flat)
    assert numbered and 3 < int(numbered[0]) <= pages
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    assert f"ledger commit {scenario.head[:10]}" in flat
    assert "Commission an independent impact assessment" in flat
    assert "Carry out periodic human rights impact assessments" in flat


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                    reason="LibreOffice (soffice) and pdftotext are not installed")
def test_brief_pdf_writes_a_tagged_pdf_beside_the_docx(scenario, tmp_path):
    from typer.testing import CliRunner

    from hrgov.commands import State
    from hrgov.commands.brief import app

    out = tmp_path / "board.docx"
    result = CliRunner().invoke(app, ["brief", "--year", "2025", "-o", str(out), "--pdf"],
                                obj=State(ledger=scenario.root, author=None, quiet=True))
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "board.pdf"
    assert result.stdout.split() == [str(out), str(pdf)]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/StructTreeRoot" in data  # tagged
    assert b"pdfaid:part" in data  # PDF/A
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Progress on commitments\.{3,}\s*\d+", text)
