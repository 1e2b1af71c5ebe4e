"""The example project under inputs/ has the shape `make demo` and new users rely on."""

import codecs
import re

import openpyxl
import pytest
import yaml

from example_ledgers import INPUTS, LEDGERS, XLSX_SHEET, YEARS, is_total, ledger_paths, number, read_ledger


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_the_six_ledgers(year):
    assert {path.name for path in ledger_paths(year)} >= set(LEDGERS)


def test_last_years_ledgers_have_this_years_columns_so_tongbi_works():
    for name in LEDGERS:
        this_year, _ = read_ledger(INPUTS / "台账" / "2024" / name)
        last_year, _ = read_ledger(INPUTS / "台账" / "2023" / name)
        assert this_year == last_year, f"{name} 两年的表头不同"


@pytest.mark.parametrize("year", YEARS)
def test_header_names_can_be_used_in_where_filters(year):
    for path in ledger_paths(year):
        header, _ = read_ledger(path)
        for name in header:
            assert name.isidentifier(), f"{path.name} 的列名“{name}”不能写进 where 条件"


def test_the_2024_ledgers_hold_at_least_300_data_rows():
    data_rows = sum(len([row for row in read_ledger(path)[1] if not is_total(row)])
                    for path in ledger_paths("2024"))
    assert data_rows >= 300


def test_at_least_12_grassroots_unions_appear():
    unions = set()
    for path in ledger_paths("2024"):
        header, rows = read_ledger(path)
        if "基层工会" in header:
            column = header.index("基层工会")
            unions |= {row[column] for row in rows if not is_total(row) and row[column]}
    assert len(unions) >= 12


@pytest.mark.parametrize("year", YEARS)
def test_one_csv_is_saved_in_gbk_and_one_in_utf8_with_bom(year):
    gbk, bom = [], []
    for path in ledger_paths(year):
        if path.suffix != ".csv":
            continue
        data = path.read_bytes()
        if data.startswith(codecs.BOM_UTF8):
            bom.append(path.name)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data.decode("gb18030")      # raises if the file is neither
            gbk.append(path.name)
    assert gbk == ["法律援助案件.csv"]
    assert bom == ["送温暖.csv"]


@pytest.mark.parametrize("year", YEARS)
def test_the_xlsx_header_has_merged_cells_over_two_rows(year):
    sheet = openpyxl.load_workbook(INPUTS / "台账" / year / "建会与会员.xlsx")[XLSX_SHEET]
    merged = {str(cells): sheet.cell(cells.min_row, cells.min_col).value
              for cells in sheet.merged_cells.ranges}
    assert merged["B1:B2"] == "基层工会"
    assert merged["H1:J1"] == "会员情况"
    assert [sheet.cell(2, column).value for column in (8, 9, 10)] == ["会员总数", "女职工", "农民工会员"]


@pytest.mark.parametrize("year", YEARS)
def test_total_rows_equal_the_sums_of_the_rows_above(year):
    checked = []
    for path in ledger_paths(year):
        header, rows = read_ledger(path)
        totals = [row for row in rows if is_total(row)]
        if not totals:
            continue
        assert len(totals) == 1 and is_total(rows[-1]), f"{path.name}：合计行应只有一行且在末尾"
        for column, cell in enumerate(totals[0]):
            if column == 0 or number(cell) is None:
                continue
            above = sum(number(row[column]) or 0 for row in rows[:-1])
            assert abs(above - number(cell)) < 0.01, f"{path.name} 的“{header[column]}”合计不符"
            checked.append((path.name, header[column]))
    assert {name for name, _ in checked} >= {"送温暖.csv", "金秋助学.csv", "建会与会员.xlsx"}
    assert ("送温暖.csv", "慰问金额") in checked


def test_numbers_are_typed_the_messy_way_somewhere():
    cells = [str(cell) for path in ledger_paths("2024") for row in read_ledger(path)[1]
             for cell in row if cell is not None]
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", cell) for cell in cells)
    assert any(re.fullmatch(r"\d+(\.\d+)?万", cell) for cell in cells)
    assert {"—", "/"} <= set(cells)


def declared_names() -> set[str]:
    names = set()
    for path in INPUTS.glob("*.yaml"):
        specs = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names |= {name for section in ("metrics", "figures", "targets") for name in specs.get(section) or ()}
    return names


@pytest.mark.parametrize("body", sorted((INPUTS / "正文").glob("*.md")), ids=lambda path: path.stem)
def test_report_bodies_cite_only_declared_figures_and_type_no_numbers(body):
    text = body.read_text(encoding="utf-8")
    cited = set(re.findall(r"\{\{\s*([^\s|}.]+)", text))
    cited |= set(re.findall(r"\bin\s+([^\s.]+)\.rows", text))
    loop_names = {name for pair in re.findall(r"for\s+(\S+),\s*(\S+)\s+in", text) for name in pair}
    assert cited - loop_names - {"项目"} <= declared_names()
    outside = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text)
    typed = set(re.findall(r"\d+(?:\.\d+)?", outside))
    assert typed <= {"2023", "2024", "2025", "12351"}, f"正文中手写了数字：{typed}"
