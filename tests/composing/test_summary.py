"""The 汇总表 of the towns' 互助保障 returns, as the example builds it: a row per town of the
roster with its 报送情况, the sums of its return computed here with openpyxl, blanks (not 0)
for the towns missing or left out, a 合计 row, the note on who is missing; the workbook with
numbers as numbers, the DOCX in the roster's landscape table."""

import io
import json
import zipfile

import docx
import openpyxl
import pytest

from example_returns import counted, returns, roster, summed_columns
from project_copies import RETURNS_TABLE, copy_project
from wenmi.build import build
from wenmi.cli import main
from wenmi.model import Document, Paragraph, Table, Text
from wenmi.writers import xlsx

TITLE = "2024年度职工互助保障参保情况汇总表"
NOTE = "应报12个单位，已报10个，其中2个有误未计入，未报2个。金额单位：元。"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("summary"))
    build(root, [RETURNS_TABLE])
    return root


def expected_rows() -> list[list]:
    """序号, 填报单位, 报送情况, the rows of the return and each summed column, from the files."""
    towns, columns = returns(), summed_columns()
    rows = []
    for serial, unit in enumerate(roster(), start=1):
        town = towns.get(unit)
        if town is None:
            rows.append([serial, unit, "未报送"] + [None] * (1 + len(columns)))
        elif not counted(town, columns):
            rows.append([serial, unit, "有误未计入"] + [None] * (1 + len(columns)))
        else:
            rows.append([serial, unit, "已报送", len(town.rows)]
                        + [sum(row[column] or 0 for row in town.rows) for column in columns])
    kept = [row for row in rows if row[2] == "已报送"]
    rows.append([None, "合计", f"计入{len(kept)}个"] + [sum(row[index] for row in kept)
                                                     for index in range(3, 4 + len(columns))])
    return rows


def test_the_two_faulty_towns_and_the_two_missing_ones_are_the_examples():
    """The independent reading agrees with what the example was made to hold."""
    towns, columns = returns(), summed_columns()
    assert {unit for unit, town in towns.items() if not counted(town, columns)} == {"石桥镇总工会", "杨集乡总工会"}
    assert [unit for unit in roster() if unit not in towns] == ["北岭乡总工会", "高庄乡总工会"]


def test_the_workbook_has_a_row_per_town_in_roster_order_with_sums_from_the_returns(built):
    workbook = openpyxl.load_workbook(built / "outputs" / f"{RETURNS_TABLE}.xlsx")
    sheet = workbook.active
    assert workbook.sheetnames == [TITLE]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == TITLE
    assert values[1][0] == NOTE
    money = {"参保金额", "理赔金额"}
    assert values[2] == ["序号", "填报单位", "报送情况", "基层工会数"] + [
        f"{column}（元）" if column in money else column for column in summed_columns()]
    assert values[3:] == expected_rows()
    numbers = [cell for row in values[3:] for cell in row[3:] if cell is not None]
    assert numbers and all(isinstance(cell, int) for cell in numbers)      # stored as numbers
    assert sorted(cells.coord for cells in sheet.merged_cells.ranges) == ["A1:K1", "A2:K2"]
    assert sheet.print_title_rows == "$1:$3" and sheet.freeze_panes == "A4"


def test_the_docx_prints_the_same_table_landscape_under_the_note(built):
    document = docx.Document(built / "outputs" / f"{RETURNS_TABLE}.docx")
    section = document.sections[0]
    assert round(section.page_width.mm) == 297
    texts = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert texts == [TITLE, NOTE, "青禾县总工会"]                  # the example gives no date
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "填报单位", "报送情况", "基层工会数",
                                                          *summed_columns()]   # the unit of money: in the note
    shown = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert shown == [["" if cell is None else str(cell) for cell in row] for row in expected_rows()]


def test_the_summary_is_made_of_the_specs_and_the_returns_only(built):
    """Its inputs are the specs and the returns (and the roster): a changed 送温暖 ledger
    does not make it again."""
    manifest = json.loads((built / ".wenmi" / "manifest.json").read_text(encoding="utf-8"))
    inputs = manifest["inputs"][RETURNS_TABLE]
    assert {name for name in inputs if name.startswith("inputs/台账/")} == {
        f"inputs/台账/2024/互助保障/{town.path.name}" for town in returns().values()}
    assert "inputs/报告.yaml" in inputs and not any(name.startswith("templates/") for name in inputs)


def test_check_counts_it_and_list_names_its_files(built, capsys):
    assert main(["check", "--project", str(built)]) == 0
    assert "1 份汇总表" in capsys.readouterr().out
    assert main(["list", "--project", str(built)]) == 0
    listed = capsys.readouterr().out
    assert f"{RETURNS_TABLE}（汇总表，每个应报单位一行）" in listed
    assert f"outputs/{RETURNS_TABLE}.xlsx、outputs/{RETURNS_TABLE}.docx" in listed


def test_a_summary_of_a_source_that_is_not_returns_is_refused_at_its_line(tmp_path, capsys):
    root = copy_project(tmp_path)
    with open(root / "inputs" / "报告.yaml", "a", encoding="utf-8") as specs:
        specs.write("\n  送温暖汇总表:\n    returns: 送温暖\n")
    lines = (root / "inputs" / "报告.yaml").read_text(encoding="utf-8").splitlines()
    assert main(["check", "--project", str(root)]) == 2
    error = capsys.readouterr().err
    assert f"inputs/报告.yaml：第{len(lines)}行" in error
    assert "“送温暖”不是用 files 声明的一批单位报表" in error


def test_a_sheet_name_is_the_title_without_what_excel_refuses_cut_to_31():
    title = "关于[2024]年度:各乡镇*互助/保障?报表\\汇总情况的统计表（含未报送单位和有误未计入单位）"
    document = Document(title=title, blocks=(Paragraph((Text("说明"),)),
                                             Table((), ("序号", "单位"), (((Text("1"),), (Text("甲"),)),))))
    name = xlsx.sheet_name(document)
    assert name == "关于2024年度各乡镇互助保障报表汇总情况的统计表（含未报送单" and len(name) == 31
    data = xlsx.write(document)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == [name]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b'cellXfs count="8"' in package.read("xl/styles.xml")     # the note's format


def test_the_rosters_workbook_keeps_its_sheet_and_formats(tmp_path):
    root = copy_project(tmp_path)
    build(root, ["2024年度先进事迹材料"])
    data = (root / "outputs" / "2024年度先进事迹材料" / "推荐名单汇总表.xlsx").read_bytes()
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["推荐名单"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b'cellXfs count="7"' in package.read("xl/styles.xml")
