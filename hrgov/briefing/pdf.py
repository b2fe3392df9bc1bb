"""``hrgov brief --pdf``: the briefing as a tagged PDF/A-2b beside the .docx, laid out by
LibreOffice (which also computes the contents page's numbers)::

    write_pdf(Path("board.docx"))  # → Path("board.pdf")

LibreOffice runs headless with a profile of its own in a temporary folder, so it neither
touches the user's profile nor waits for a running LibreOffice window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hrgov.errors import HrgovError

# Tagged (accessible) PDF/A-2b, as LibreOffice 7.4+ takes its export options.
EXPORT = ('pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
          '"UseTaggedPDF":{"type":"boolean","value":"true"}}')
TIMEOUT = 600  # seconds


class PdfUnavailable(HrgovError):
    """LibreOffice is not installed or failed: the .docx is written, the PDF is not."""

    exit_code = 1


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def write_pdf(docx: Path) -> Path:
    """Convert ``docx`` to a PDF beside it (same name, .pdf), replacing it atomically."""
    program = soffice()
    if program is None:
        raise PdfUnavailable(
            "--pdf needs LibreOffice (soffice) on the PATH: install it (Debian: apt-get "
            "install libreoffice-writer-nogui) or open the .docx and save it as PDF")
    docx = Path(docx)
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="hrgov-pdf-") as work:
        profile = Path(work) / "profile"
        done = subprocess.run(
            [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--convert-to", EXPORT, "--outdir", work, str(docx)],
            capture_output=True, text=True, timeout=TIMEOUT,
            env={**os.environ, "HOME": work},
        )
        made = Path(work) / target.name
        if done.returncode != 0 or not made.exists():
            last = (done.stderr or done.stdout).strip().splitlines()
            raise PdfUnavailable(f"LibreOffice could not convert {docx} to PDF"
                                 + (f": {last[-1]}" if last else ""))
        shutil.move(made, target)  # a rename when the two are on one file system
    return target
