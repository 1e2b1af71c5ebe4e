"""The roster from hand-made nominees: table cells, the XLSX rows and the landscape DOCX."""

import io
import zipfile
from datetime import date

import docx
import openpyxl
import pytest

from helpers import make_figure
from wenmi.reading.nominees import Nominee
from wenmi.model import FigureText, Text
from wenmi.reading.specs import BatchSpec, CategorySpec, RosterColumn
from wenmi.composing.roster import roster_document, roster_table
from wenmi.writers import xlsx
from wenmi.writers.docx import write

PERSON = CategorySpec("先进个人", "先进个人")
SPEC = BatchSpec(
    name="测试", defined_at="inputs/先进.yaml:1", nominees="推荐对象", categories=(PERSON,),
    date=date(2024, 12, 25), issuer="青禾县总工会", roster_title="推荐名单汇总表",
    roster_columns=(RosterColumn("序号", "序号"), RosterColumn("姓名", "名称"),
                    RosterColumn("职务", "职务"), RosterColumn("慰问金额", "本单位慰问金额")),
)


def nominee(serial: int, name: str, post: str, amount: float) -> Nominee:
    figure = make_figure("本单位慰问金额", amount, unit="元", digits=2)
    return Nominee(serial, f"GR{serial:02d}", PERSON, {"名称": name, "职务": post}, serial + 1,
                   {"本单位慰问金额": figure}, f"{serial:02d}-{name}")


NOMINEES = [nominee(1, "陈晓燕", "护士长", 4400), nominee(2, "刘建国", "", 32380)]


def test_cells_are_text_and_the_same_figures():
    table = roster_table(SPEC, NOMINEES)
    assert table.header == ("序号", "姓名", "职务", "慰问金额")
    first, second = table.rows
    assert first[:3] == ((Text("1"),), (Text("陈晓燕"),), (Text("护士长"),))
    assert second[2] == ()                                       # a blank 职务 stays blank
    assert isinstance(second[3][0], FigureText)
    assert second[3][0].figure is NOMINEES[1].figures["本单位慰问金额"]
    assert second[3][0].text == "3.24万元"


def test_xlsx_holds_the_same_rows_with_figures_as_numbers():
    data = xlsx.write(roster_document(SPEC, NOMINEES, "2024年12月25日"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "推荐名单汇总表"
    assert values[1] == ["序号", "姓名", "职务", "慰问金额（元）"]
    assert values[2] == [1, "陈晓燕", "护士长", 4400]
    assert values[3] == [2, "刘建国", None, 32380]
    # the first row is openpyxl's, the others are written after its pattern: same styles
    for row in sheet.iter_rows(min_row=3):
        assert [(cell.style, cell.font.name, cell.border.bottom.style) for cell in row] == \
            [("名单正文", "仿宋", "thin")] * 4
    assert sheet.dimensions == f"A1:D{2 + len(NOMINEES)}"
    assert xlsx.write(roster_document(SPEC, NOMINEES, "2024年12月25日")) == data      # deterministic


def test_xlsx_rows_after_a_first_row_with_a_blank_keep_every_column():
    """The rows after the first follow the first row's cells: a blank there must still be
    a (bordered) cell, or the columns after it would be lost."""
    nominees = [nominee(1, "刘建国", "", 32380), nominee(2, "陈晓燕", "护士长", 4400),
                nominee(3, "王芳", "车间主任 ", 15.5)]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.write(roster_document(SPEC, nominees, "2024年12月25日")))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert values == [[1, "刘建国", None, 32380], [2, "陈晓燕", "护士长", 4400],
                      [3, "王芳", "车间主任 ", 15.5]]
    assert all(cell.border.left.style == "thin" for row in sheet.iter_rows(min_row=3) for cell in row)


def test_xlsx_figures_are_rounded_as_declared_like_the_documents():
    """A quotient (户均) is held to its declared decimals, half up, as the DOCX shows it."""
    nominees = [nominee(1, "刘建国", "", 1267.3469387755), nominee(2, "陈晓燕", "", 0.125),
                nominee(3, "王芳", "", 2.0000001)]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.write(roster_document(SPEC, nominees, "2024年12月25日")))).active
    values = [row[3].value for row in sheet.iter_rows(min_row=3)]
    assert values == [1267.35, 0.13, 2] and isinstance(values[2], int)


def test_docx_roster_is_landscape_and_as_wide_as_the_turned_page():
    document = docx.Document(io.BytesIO(write(roster_document(SPEC, NOMINEES, "2024年12月25日"))))
    section = document.sections[0]
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    table = document.tables[0]
    assert [cell.text for cell in table.rows[2].cells] == ["2", "刘建国", "", "3.24万元"]
    width = sum(cell.width for cell in table.rows[0].cells)
    assert abs(width - (section.page_width - section.left_margin - section.right_margin)) < 20 * 635


@pytest.mark.parametrize("first", [True, False], ids=["first row (openpyxl's)", "later rows"])
def test_xlsx_text_that_looks_like_a_formula_stays_text(first):
    """A 单位 typed as =HYPERLINK(…), or starting + - @ tab: the workbook must show the text,
    never run it; and text of digits other than ASCII stays text."""
    texts = ['=HYPERLINK("http://example.invalid","点此")', "+1+1", "-2", "@SUM(A1)", "\t=1", "①"]
    ordinary = [nominee(1, "陈晓燕", "护士长", 4400)]
    hostile = [nominee(index + 1, text, "职工", 100) for index, text in enumerate(texts)]
    nominees = hostile + ordinary if first else ordinary + hostile
    data = xlsx.write(roster_document(SPEC, nominees, "2024年12月25日"))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [name for name in names if name != "陈晓燕"] == texts
