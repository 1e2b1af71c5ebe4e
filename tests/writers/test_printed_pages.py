"""What lands on which printed page: every DOCX of the example converted to PDF by LibreOffice
(tests/printed.py) and read page by page, as an office prints them."""

import re

import pytest

from printed import needs_libreoffice, page_lines, to_pdf
from project_copies import BATCH, copy_project
from wenmi.cli import main

PAGE_NUMBER = re.compile(r"—\d+—")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")

pytestmark = needs_libreoffice


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[list[str]]]:
    """Each DOCX the example builds, by its path under outputs/, as lines of text per page."""
    root = copy_project(tmp_path_factory.mktemp("printed"))
    assert main(["build", "--project", str(root)]) == 0
    outputs = root / "outputs"
    documents = sorted(outputs.glob("*.docx")) + sorted((outputs / BATCH).glob("*.docx"))
    pdfs = to_pdf(documents, tmp_path_factory.mktemp("pdf"))
    return {path.relative_to(outputs).as_posix(): page_lines(pdf) for path, pdf in pdfs.items()}


def test_every_document_of_the_example_is_printed(printed):
    assert len([name for name in printed if name.startswith(f"{BATCH}/")]) == 34
    assert all(pages for pages in printed.values())


def test_the_signature_and_date_never_stand_alone_on_a_page(printed):
    """The page that prints a 成文日期 (and the 署名 above it) prints at least two lines of
    the text they sign as well."""
    dated = 0
    for name, pages in printed.items():
        for number, lines in enumerate(pages, start=1):
            for index in (i for i, line in enumerate(lines) if DATE.fullmatch(line)):
                others = [line for i, line in enumerate(lines)
                          if i not in (index - 1, index) and not PAGE_NUMBER.fullmatch(line)]
                assert len(others) >= 2, f"{name} 第{number}页：{lines}"
                dated += 1
    assert dated >= 2 + 32 + 1 + 32          # reports, dossiers, roster, merged file
