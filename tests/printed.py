"""DOCX files printed the way an office prints them on Linux: LibreOffice makes the PDF (with
the font stand-ins of scripts/fonts.conf, as scripts/preview.sh does) and pdftotext reads
each page's text. For tests of what lands on which page; they skip where LibreOffice or
poppler is not installed."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="需要 LibreOffice 和 pdftotext（scripts/install-libreoffice.sh）")


def to_pdf(paths: list[Path], folder: Path) -> dict[Path, Path]:
    """Each DOCX converted to PDF in `folder`, all by one LibreOffice run with a profile of
    its own (a LibreOffice the user has open would otherwise take the job)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)],
                       check=True, capture_output=True, timeout=900,
                       env=dict(os.environ, FONTCONFIG_FILE=str(REPO / "scripts" / "fonts.conf")))
    return {path: folder / f"{path.stem}.pdf" for path in paths}


def page_lines(pdf: Path) -> list[list[str]]:
    """The non-blank lines of each page as laid out (a table row is one line), spaces
    removed (pdftotext spaces out digits and columns)."""
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, timeout=120).stdout.decode("utf-8")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[line.replace(" ", "") for line in page.splitlines() if line.strip()] for page in pages]
