"""Short at any scale: a ledger of 2,000+ milestones gives a paper of at most 30 pages, with
one row per commitment in the body and the ten most overdue milestones."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import document_text
from .large import MILESTONES, STATUS_DAY, build_large_ledger

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFINFO = shutil.which("pdfinfo")


@pytest.fixture
def large(tmp_path_factory):
    from hrgov.briefing import write_brief
    from hrgov.ledger import Ledger

    folder = tmp_path_factory.mktemp("large")
    root = build_large_ledger(folder / "ledger")
    path = folder / "large.docx"
    write_brief(Ledger.find(root), path, start="2026-01-01", end="2026-12-31",
                today=STATUS_DAY, year=2026)
    return root, path


@pytest.mark.slow
def test_a_ledger_of_2000_milestones_gives_a_short_paper(large, tmp_path):
    """One build serves both checks (the ledger and the paper take a while)."""
    from docx import Document

    root, path = large
    text = document_text(path)
    body = text[text.index("Annex D. Milestones overdue, completed") + 10:]  # after contents
    progress = body[body.index("Progress on commitments"):body.index("Overdue at ")]
    assert "Milestone 1" not in progress  # no milestone is listed in the progress section
    overdue = body[body.index("Overdue at "):body.index("Due dates moved in the period")]
    named = [line for line in overdue.splitlines() if line.startswith("Milestone ")]
    assert len(named) == 10
    more = [line for line in overdue.splitlines() if "more overdue milestones in Annex D" in line]
    assert more and int(more[0].split()[0]) > 100
    tables = Document(str(path)).tables
    rows = sum(len(t.rows) for t in tables)
    assert rows < MILESTONES / 4  # nothing lists every milestone
    if SOFFICE is None or PDFINFO is None:
        pytest.skip("LibreOffice (soffice) and pdfinfo (poppler-utils) count the pages")
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, check=True, timeout=600)
    info = subprocess.run([PDFINFO, str(tmp_path / "large.pdf")], capture_output=True,
                          text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    assert 10 <= pages <= 30
