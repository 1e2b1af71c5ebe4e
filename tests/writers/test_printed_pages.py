"""What lands on which printed page: every DOCX of the example converted to PDF by LibreOffice
(tests/printed.py) and read page by page, as an office prints them."""

import re

import docx
import pytest

from example_nominees import nominees, own_values, shown
from helpers import needs_libreoffice
from printed import page_lines, to_pdf
from project_copies import BATCH, copy_project
from wenmi.cli import main

PAGE_NUMBER = re.compile(r"—\d+—")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")

pytestmark = needs_libreoffice


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The example built: its outputs/ folder."""
    root = copy_project(tmp_path_factory.mktemp("printed"))
    assert main(["build", "--project", str(root)]) == 0
    return root / "outputs"


@pytest.fixture(scope="module")
def printed(outputs, tmp_path_factory) -> dict[str, list[list[str]]]:
    """Each DOCX the example builds, by its path under outputs/, as lines of text per page."""
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


def test_the_merged_files_contents_gives_the_page_each_dossier_starts_on(printed):
    """The cover and 目录 carry no page number; each 目录 entry's number is the one printed
    at the foot of the page that dossier's title opens, counted from its first dossier."""
    pages = printed[f"{BATCH}/事迹材料合订本.docx"]
    entry = re.compile(r"(.+?)\.{3,}(\d+)")
    contents = [entry.fullmatch(line).groups() for page in pages[:3] for line in page
                if entry.fullmatch(line)]
    assert len(contents) == 32
    front = next(i for i, page in enumerate(pages) if page[0] == contents[0][0])
    assert not any(PAGE_NUMBER.fullmatch(line) for page in pages[:front] for line in page)
    opened = {}
    for page in pages[front:]:
        (number,) = [line for line in page if PAGE_NUMBER.fullmatch(line)]
        opened.setdefault(page[0], []).append(int(number.strip("—")))
    for title, page in contents:
        assert int(page) in opened[title], title          # two 王芳 and two 张伟: either page


def test_the_contents_page_numbers_saved_in_the_file_are_near_the_printed_ones(outputs, printed):
    """The numbers saved inside the PAGEREF fields (what a reader that does not update
    fields shows) are counted from the text, 28 characters a line and 22 lines a page: the
    fonts' own widths move a line now and then, so a dossier's length in pages (the step
    from one number to the next) is off by one at most, and seldom."""
    document = docx.Document(str(outputs / BATCH / "事迹材料合订本.docx"))
    saved = [int(p.text.split("\t")[1]) for p in document.paragraphs if p.style.name == "目录"]
    pages = printed[f"{BATCH}/事迹材料合订本.docx"]
    printed_numbers = [int(line.rsplit(".", 1)[1]) for page in pages[:3] for line in page
                       if re.fullmatch(r".+?\.{3,}\d+", line)]
    assert len(saved) == len(printed_numbers) == 32 and saved[0] == printed_numbers[0] == 1
    lengths = [(b - a, d - c) for a, b, c, d in zip(saved, saved[1:], printed_numbers, printed_numbers[1:])]
    assert all(abs(one - other) <= 1 for one, other in lengths)
    assert sum(one == other for one, other in lengths) >= 0.9 * len(lengths)


def test_the_roster_prints_one_line_a_nominee_on_two_landscape_pages(printed):
    """32 rows in two pages: each nominee's row is one printed line — serial, category,
    name, unit and post, and its figures whole (never "1.02万" above "元")."""
    pages = printed[f"{BATCH}/推荐名单汇总表.docx"]
    assert len(pages) == 2
    lines = [line for page in pages for line in page]
    for serial, nominee in enumerate(nominees(), start=1):
        (row,) = [line for line in lines if line.startswith(f"{serial}{nominee['类别']}{nominee['名称']}")]
        values = own_values(nominee)
        for metric in ("本人创新创效金额", "本会慰问金额"):
            if metric in values:
                assert shown(metric, values[metric]) in row
    header = "序号类别姓名/集体名称单位及职务所获荣誉本人创新创效本会慰问金额"
    assert [page.count(header) for page in pages] == [1, 1]            # repeated on page 2
