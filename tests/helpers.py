"""Shared test helpers: figures made by hand, so stage tests do not depend on ledgers, the
body XML of a written DOCX, and the mark of tests that need LibreOffice."""

import io
import os
import shutil
import zipfile

import pytest
from lxml import etree

from wenmi.figures import Figure, Provenance, SourceRef

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Tests that open documents in LibreOffice: skipped on a developer's machine without it, never
# in CI (CI=true), where .ci/run installs it and its absence must fail.
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true",
    reason="没有安装 LibreOffice（soffice）：运行 scripts/install-libreoffice.sh 后可测")


def make_figure(name, value, unit="", digits=0, previous=None, rows=3):
    provenance = Provenance("inputs/指标.yaml:1", f"合计({name})",
                            (SourceRef("台账", "inputs/台账.csv", None, "", rows),))
    last = None if previous is None else Figure(name, name, previous, unit, digits, provenance)
    return Figure(name, name, value, unit, digits, provenance, last)


def document_xml(docx):
    """word/document.xml of a DOCX, given as a path or as its bytes, parsed."""
    with zipfile.ZipFile(io.BytesIO(docx) if isinstance(docx, bytes) else docx) as package:
        return etree.fromstring(package.read("word/document.xml"))


def paragraph_texts(root) -> list[str]:
    """The text of every w:p under `root`, in order, as a reader sees it (without the
    WORD JOINERs that keep numbers with their units)."""
    return ["".join(t.text or "" for t in p.iter(f"{W}t")).replace("\u2060", "") for p in root.iter(f"{W}p")]


class Composed:
    """The example's ordinary reports read and composed, not written: the project, its
    figures, each report's document, and each document in every format of its report."""

    def __init__(self, root):
        from wenmi.composing.jobs import compose_jobs
        from wenmi.reading.inspection import inspect_or_stop
        from wenmi.writers import FORMATS
        inspection = inspect_or_stop(root)
        self.project, self.figures = inspection.project, inspection.figures
        jobs, _ = compose_jobs(inspection, self.project.reports.values())
        self.documents = {job.report: job.make() for job in jobs}
        self.outputs = {(job.report, fmt): FORMATS[fmt].write(self.documents[job.report])
                        for job in jobs for fmt in job.formats}
