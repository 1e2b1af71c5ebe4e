"""Unlucky inputs that are not errors: the build must succeed and say exactly what the office
wrote, no more and no less.

A ledger's text is never read as Markdown (a "|" would split a table cell, a backtick would
swallow a figure, "<script>" would vanish); merged data cells are filled down and said so;
an 编号 Excel shows as 001 is read as 001; a title row above the header is skipped when
declared; a folder outside the project is read when the project names it. The small project
in base/ is copied and changed; every expectation is computed here from what the test wrote.
"""

import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

from helpers import document_xml, paragraph_texts
from wenmi.cli import main
from wenmi.figures import MARK_CLOSE, MARK_OPEN, MARK_SEP
from project_copies import edit

BASE = Path(__file__).resolve().parent / "base"
LEDGER = "inputs/台账/慰问.csv"
MARKS = re.compile(f"[{MARK_OPEN}{MARK_SEP}{MARK_CLOSE}]")

# names as an office might type them, each with characters Markdown or HTML would act on
NAMES = ["a|b", "`x`", "<script>alert(1)</script>", "c\\d *e* [f](g)", "#1 组", "- 乙", "&amp;丙"]
AMOUNTS = [1000, 800, 1200, 500, 700, 300, 900]


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "项目"
    shutil.copytree(BASE, root)
    return root


def write_ledger(root: Path, names: list[str], amounts: list[int]) -> None:
    lines = ["序号,姓名,类别,金额,人数,日期"]
    for serial, (name, amount) in enumerate(zip(names, amounts), start=1):
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"{serial},{quoted},{'困难职工' if serial % 2 else '农民工'},{amount},1,2024-01-10")
    lines.append(f"合计,,,{sum(amounts)},{len(names)},")
    (root / LEDGER).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_ledger_text_in_a_table_and_a_loop_is_printed_as_it_is(root, capsys):
    write_ledger(root, NAMES, AMOUNTS)
    with open(root / "inputs/指标.yaml", "a", encoding="utf-8") as stream:
        stream.write("  各人金额: {source: 慰问, agg: sum, column: 金额, by: 姓名, sort: key, unit: 元}\n")
    (root / "inputs/正文.md").write_text(
        "全年慰问{{ 慰问户数 }}。\n\n{{ 各人金额 }}\n\n"
        "名单：{% for 姓名, 金额 in 各人金额.rows %}{{ 姓名 }}（{{ 金额|数值 }}元）；{% endfor %}\n",
        encoding="utf-8")
    edit(root / "inputs/报告.yaml", "formats: [md]", "formats: [md, docx, html]")

    assert main(["build", "--project", str(root)]) == 0, capsys.readouterr().err

    by_name = sorted(zip(NAMES, AMOUNTS))
    (table,) = docx.Document(str(root / "outputs/总结.docx")).tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == \
        [["序号", "姓名", "金额"]] + [[str(index), name, f"{amount}元"]
                                   for index, (name, amount) in enumerate(by_name, start=1)]
    rows = paragraph_texts(document_xml(root / "outputs/总结.docx"))
    listing = next(text for text in rows if text.startswith("名单："))
    assert listing == "名单：" + "".join(f"{name}（{amount}元）；" for name, amount in by_name)
    for output in ("总结.docx", "总结.html", "总结.md"):
        data = (root / "outputs" / output).read_bytes()
        assert not MARKS.search(data.decode("utf-8", errors="ignore")), output
    page = (root / "outputs/总结.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    markdown = (root / "outputs/总结.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "&lt;script>alert(1)&lt;/script>" in markdown
    assert r"| a\|b |" in markdown and "&amp;amp;丙" in markdown


def test_nominee_fields_are_printed_as_they_are(root, capsys):
    sheet = root / "inputs/先进/推荐对象.csv"
    sheet.write_text("编号,类别,名称,单位\nGR01,先进个人,**甲**,<b>城关镇</b>工会\nGR02,先进个人,乙,柳溪镇工会\n",
                     encoding="utf-8")
    assert main(["build", "--project", str(root)]) == 0, capsys.readouterr().err
    (dossier,) = (root / "outputs/先进材料").glob("1-*.md")
    text = dossier.read_text(encoding="utf-8")
    assert r"\*\*甲\*\*，现任&lt;b>城关镇&lt;/b>工会职工。" in text


def merged_ledger(root: Path) -> None:
    header = ["序号", "姓名", "类别", "金额", "人数", "日期"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "明细"
    for row in [header, [1, "甲", "困难职工", 1000, 3, "2024-01-10"], [2, "乙", None, 800, 2, "2024-01-12"],
                [3, "丙", "农民工", 1200, 4, "2024-01-15"], [4, "丁", "农民工", 500, 1, "2024-01-20"],
                ["合计", None, None, 3500, 10, None]]:
        sheet.append(row)
    sheet.merge_cells("C2:C3")
    workbook.save(root / "inputs/台账/慰问.xlsx")
    edit(root / "inputs/数据源.yaml", "file: 台账/慰问.csv", "file: 台账/慰问.xlsx")


def test_cells_merged_over_data_rows_are_filled_down_with_a_warning(root, capsys):
    merged_ledger(root)
    assert main(["build", "--project", str(root)]) == 0
    captured = capsys.readouterr()
    assert "合并单元格 C2:C3 只在第一行保存了值“困难职工”" in captured.err
    summary = (root / "outputs/总结.md").read_text(encoding="utf-8")
    assert "困难职工家庭占50%" in summary                    # 甲 and 乙 of four, not one of four


def nominees_in_xlsx(root: Path, number_format: str, ids: list[int]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["编号", "类别", "名称", "单位"])
    for number, name in zip(ids, "甲乙"):
        sheet.append([number, "先进个人", name, "城关镇工会"])
        sheet.cell(sheet.max_row, 1).number_format = number_format
    workbook.save(root / "inputs/先进/推荐对象.xlsx")
    edit(root / "inputs/先进.yaml", "file: 先进/推荐对象.csv", "file: 先进/推荐对象.xlsx")


@pytest.mark.parametrize("number_format, shown", [("000", "001"), ('"GR"00', "GR01")])
def test_an_id_is_read_as_excel_shows_it(root, capsys, number_format, shown):
    nominees_in_xlsx(root, number_format, [1, 2])
    story = root / "inputs/先进/事迹"
    (story / "GR01.md").rename(story / f"{shown}.md")
    assert main(["check", "--project", str(root)]) == 0
    assert "没有对应的推荐对象" not in capsys.readouterr().err  # the story file is the nominee's
    assert main(["build", "--project", str(root)]) == 0
    (dossier,) = (root / "outputs/先进材料").glob("1-*.md")
    assert "扎根一线，热心帮扶困难职工" in dossier.read_text(encoding="utf-8")


def test_a_title_row_is_skipped_when_declared(root, capsys):
    edit(root / LEDGER, "序号,", "2024年度慰问台账,,,,,\n序号,")
    edit(root / "inputs/数据源.yaml", "file: 台账/慰问.csv", "file: 台账/慰问.csv\n    skip_rows: 1")
    assert main(["build", "--project", str(root)]) == 0, capsys.readouterr().err
    assert "全年慰问4户，发放慰问金3500元" in (root / "outputs/总结.md").read_text(encoding="utf-8")


def test_an_external_folder_the_project_names_is_read(root, tmp_path, capsys):
    shared = tmp_path / "共享台账"
    shared.mkdir()
    shutil.move(root / LEDGER, shared / "慰问.csv")
    edit(root / "inputs/数据源.yaml", "file: 台账/慰问.csv", f"file: {shared / '慰问.csv'}")
    assert main(["check", "--project", str(root)]) == 2
    assert "指向项目文件夹之外" in capsys.readouterr().err
    edit(root / "inputs/项目.yaml", "year: 2024", f"year: 2024, external_folders: ['{shared}']")
    assert main(["build", "--project", str(root)]) == 0, capsys.readouterr().err
    assert "全年慰问4户" in (root / "outputs/总结.md").read_text(encoding="utf-8")
