"""DOCX files printed the way an office prints them on Linux: LibreOffice makes the PDFs (with
the font stand-ins of the PDF writer's fonts.conf), all in one run, and pdftotext reads
each page's text. For tests of what lands on which page; they are marked
`helpers.needs_libreoffice` (pdftotext comes with poppler-utils, which
scripts/install-libreoffice.sh installs beside it)."""

import os
import subprocess
import tempfile
from pathlib import Path

from wenmi.writers.pdf import FONTS_CONF, soffice


def to_pdf(paths: list[Path], folder: Path) -> dict[Path, Path]:
    """Each DOCX converted to PDF in `folder` by one LibreOffice run with a profile of its
    own (converting them one by one, as the pdf writer does, takes three times as long)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)],
                       check=True, capture_output=True, timeout=900,
                       env=dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF)))
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
