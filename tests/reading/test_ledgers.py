"""Loading ledgers: CSV in any office encoding and XLSX with merged headers, into typed tables
whose rows remember their line; every problem reported with the file and the cell."""

import datetime
import zipfile
from pathlib import Path

import charset_normalizer
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, strategies as st
from openpyxl.utils import get_column_letter

from example_ledgers import is_total, number, read_ledger
from wenmi.errors import WenmiError
from wenmi.reading.ledgers import _column_letter, _column_number, load_ledger
from wenmi.reading.specs import ColumnSpec, SourceSpec, load_project

ROOT = Path(__file__).resolve().parents[2]
SHOWN = "inputs/台账/送温暖.csv"

# 序号, 基层工会, 类别, 慰问金额 (as typed, as meant), 慰问人数 (as typed, as meant), 慰问日期, 备注
ROWS = [
    ("1", "城关镇总工会", "困难职工", "1,200", 1200.0, "3", 3, "2024-01-15", ""),
    ("2", "河西镇总工会", "农民工", "1.2万", 12000.0, "１２", 12, "2024/1/8", "银行代发"),
    ("3", "东坝乡工会", "劳模", "800", 800.0, "—", None, "2024年2月3日", "/"),
]
HEADER = "序号,基层工会,类别,慰问金额,慰问人数,慰问日期,备注"
COLUMNS = (ColumnSpec("类别", "category", ("困难职工", "农民工", "劳模")),
           ColumnSpec("慰问金额", "money"), ColumnSpec("慰问人数", "integer"),
           ColumnSpec("慰问日期", "date"))


def csv_text(rows=ROWS, total=True):
    lines = [HEADER]
    for serial, union, kind, amount, _, people, _, day, note in rows:
        lines.append(",".join((serial, union, kind, f'"{amount}"', people, day, note)))
    if total:
        amount = sum(row[4] for row in rows)
        people = sum(row[6] or 0 for row in rows)
        lines.append(f"合计,,,{amount:g},{people},,")
    return "\n".join(lines) + "\n"


def source(columns=COLUMNS, **fields):
    return SourceSpec(name="送温暖", file="台账/送温暖.csv", defined_at="inputs/数据源.yaml:3",
                      columns=tuple(columns), **fields)


def write(tmp_path, content, name="送温暖.csv", encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding=encoding, newline="")
    else:
        path.write_bytes(content)
    return path


def load(path, spec=None):
    return load_ledger(spec or source(), path, SHOWN)


def failure(path, spec=None) -> WenmiError:
    with pytest.raises(WenmiError) as caught:
        load(path, spec)
    assert caught.value.file == SHOWN
    return caught.value


# ---------------------------------------------------------------- CSV content and types

@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")])
def test_the_same_ledger_in_each_office_encoding_reads_the_same(tmp_path, encoding, detected):
    ledger = load(write(tmp_path, csv_text(), encoding=encoding))
    assert ledger.encoding == detected and ledger.sheet is None and ledger.file == SHOWN
    frame = ledger.frame
    assert list(frame.columns) == HEADER.split(",")
    assert frame["基层工会"].tolist() == [row[1] for row in ROWS]
    assert frame["慰问金额"].tolist() == [row[4] for row in ROWS]
    assert frame["慰问人数"].astype(object).where(frame["慰问人数"].notna(), None).tolist() == \
        [row[6] for row in ROWS]
    assert frame["慰问日期"].tolist() == [pd.Timestamp(2024, 1, 15), pd.Timestamp(2024, 1, 8),
                                       pd.Timestamp(2024, 2, 3)]
    assert frame["备注"].isna().tolist() == [True, False, True]
    assert tuple(ledger.row_numbers) == (2, 3, 4)


def test_encodings_give_equal_frames(tmp_path):
    frames = [load(write(tmp_path, csv_text(), name=f"{encoding}.csv", encoding=encoding)).frame
              for encoding in ("utf-8", "utf-8-sig", "gbk")]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])


def test_declared_types_give_numeric_and_date_columns_undeclared_stay_text(tmp_path):
    frame = load(write(tmp_path, csv_text())).frame
    assert frame["慰问金额"].dtype == "float64"
    assert frame["慰问人数"].dtype == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(frame["慰问日期"])
    assert frame["序号"].tolist() == ["1", "2", "3"]


def test_utf8_is_tried_before_gb18030_which_would_also_decode_it_as_mojibake(tmp_path):
    text = "单位,工会\n河西,职工\n"
    assert text.encode("utf-8").decode("gb18030") != text   # both decode; only one is right
    ledger = load(write(tmp_path, text), source(()))
    assert ledger.encoding == "utf-8" and list(ledger.frame.columns) == ["单位", "工会"]


def test_utf16_text_is_read_through_the_fallback_detector(tmp_path):
    ledger = load(write(tmp_path, csv_text(), encoding="utf-16"))
    assert ledger.encoding.replace("_", "-").startswith("utf-16")
    assert ledger.frame["慰问金额"].sum() == sum(row[4] for row in ROWS)


def test_numbers_typed_the_chinese_way(tmp_path):
    cells = {"1,200": 1200.0, "1.2万": 12000.0, "３５": 35.0, "1.5万元": 15000.0,
             "2,000元": 2000.0, "  450 ": 450.0, "0.5亿": 50_000_000.0}
    text = "编号,金额\n" + "".join(f'{i},"{cell}"\n' for i, cell in enumerate(cells))
    frame = load(write(tmp_path, text), source([ColumnSpec("金额", "number")])).frame
    assert frame["金额"].tolist() == list(cells.values())


def test_percent_is_held_in_points_with_or_without_the_sign(tmp_path):
    text = "单位,入会率\n甲,90%\n乙,87.5\n丙,６０％\n丁,—\n"
    frame = load(write(tmp_path, text), source([ColumnSpec("入会率", "percent")])).frame
    assert frame["入会率"].tolist()[:3] == [90.0, 87.5, 60.0]
    assert pd.isna(frame["入会率"][3])


def test_blank_markers_read_as_missing_in_every_type(tmp_path):
    markers = ["", "—", "-", "/", "无", "——", "／"]
    text = "编号,金额,日期,类别,说明\n" + "".join(
        f"{i},{marker},{marker},{marker},{marker}\n" for i, marker in enumerate(markers, 1))
    columns = [ColumnSpec("金额", "money"), ColumnSpec("日期", "date"),
               ColumnSpec("类别", "category", ("农民工",))]
    ledger = load(write(tmp_path, text), source(columns))
    assert len(ledger.frame) == len(markers)
    for name in ("金额", "日期", "类别", "说明"):
        assert ledger.frame[name].isna().all(), name


def test_category_values_are_checked_and_stripped(tmp_path):
    text = "编号,类别\n1, 农民工 \n2,困难职工\n"
    ledger = load(write(tmp_path, text), source([COLUMNS[0]]))
    assert ledger.frame["类别"].tolist() == ["农民工", "困难职工"]
    error = failure(write(tmp_path, text + "3,困难户\n"), source([COLUMNS[0]]))
    assert error.place == "第4行“类别”列"
    assert error.message == "“困难户”不是允许的取值（可填：困难职工、农民工、劳模）"


def test_dates_in_several_written_forms(tmp_path):
    forms = ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305", "2024-03-05 14:30"]
    text = "编号,日期\n" + "".join(f"{i},{form}\n" for i, form in enumerate(forms))
    frame = load(write(tmp_path, text), source([ColumnSpec("日期", "date")])).frame
    assert frame["日期"].tolist() == [pd.Timestamp(2024, 3, 5)] * len(forms)


def test_row_numbers_count_header_rows_blank_lines_and_multiline_cells(tmp_path):
    text = ("会员情况,\n"          # line 1: upper header row
            "单位,备注\n"          # line 2: lower header row
            "甲,\"第一行\n第二行\"\n"  # lines 3-4: one record
            "\n"                   # line 5: blank
            ",\n"                  # line 6: only empty cells
            "乙,正常\n")           # line 7
    ledger = load(write(tmp_path, text), source((), header_rows=2))
    assert ledger.row_numbers == (3, 7)
    assert ledger.frame["备注"].tolist() == ["第一行\n第二行", "正常"]


def test_short_rows_are_padded_as_blank(tmp_path):
    text = HEADER + "\n1,城关镇总工会,农民工,500\n"
    frame = load(write(tmp_path, text)).frame
    assert frame["慰问金额"].tolist() == [500.0]
    assert frame[["慰问人数", "慰问日期", "备注"]].isna().all(axis=None)


def test_cells_are_stripped_and_rows_of_spaces_are_blank(tmp_path):
    text = ("单位,人数,备注\n"
            " 甲 ,\u3000３\u3000, 银行代发\n"
            "\u3000, \t ,\u2003\n"               # spaces only (U+2003 too): a blank row
            "乙\u2003, — ,\n")
    ledger = load(write(tmp_path, text), source([ColumnSpec("人数", "integer")]))
    assert ledger.row_numbers == (2, 4)
    assert ledger.frame["单位"].tolist() == ["甲", "乙"]
    assert ledger.frame["备注"].tolist()[0] == "银行代发" and pd.isna(ledger.frame["备注"][1])
    assert ledger.frame["人数"].tolist()[0] == 3 and pd.isna(ledger.frame["人数"][1])


def test_cells_equal_but_for_spaces_are_one_value_for_rules_and_messages(tmp_path):
    spec = source([ColumnSpec("单位", "text", unique=True), ColumnSpec("人数", "integer")])
    error = failure(write(tmp_path, "单位,人数\n甲,1\n 甲 ,2\n"), spec)
    assert (error.place, error.message) == ("第3行“单位”列", "应唯一，但与前面的行重复（值为“甲”）")
    error = failure(write(tmp_path, "单位,人数\n甲,1\n乙, 约50\n丙,约50 \n"), spec)
    assert (error.place, error.message) == ("第3行“人数”列", "“约50”不是数字")


def test_a_row_longer_than_the_header_deep_in_a_long_ledger(tmp_path):
    lines = [f"{i},城关镇总工会,农民工,100,1,2024-01-02,\n" for i in range(1, 5001)]
    lines[3000] = lines[3000].rstrip("\n") + ", ,\u3000\n"      # empty cells beyond: fine
    ledger = load(write(tmp_path, HEADER + "\n" + "".join(lines)))
    assert len(ledger.frame) == 5000 and ledger.row_numbers[-1] == 5001
    assert ledger.frame["慰问金额"].sum() == 500_000
    lines[4000] = "4000,河西镇总工会,农民工,1,200,1,2024-01-03,银行代发\n"   # line 4002
    error = failure(write(tmp_path, HEADER + "\n" + "".join(lines)))
    assert (error.place, error.message) == ("第4002行", "这一行在第7列之后还有内容“银行代发”，但表头只有7列")


def test_a_trailing_column_without_header_or_data_is_dropped(tmp_path):
    frame = load(write(tmp_path, "单位,金额,\n甲,100,\n"), source(())).frame
    assert list(frame.columns) == ["单位", "金额"]


# ---------------------------------------------------------------- the 合计 row

@pytest.mark.parametrize("word", ["合计", "合 计", "总计", "小计", "总合计", "　合　计　"])
def test_total_row_is_checked_and_dropped(tmp_path, word):
    text = csv_text().replace("\n合计,", f"\n{word},")
    ledger = load(write(tmp_path, text))
    assert len(ledger.frame) == len(ROWS)
    assert ledger.frame["慰问金额"].sum() == sum(row[4] for row in ROWS)


def test_a_wrong_total_is_reported_with_its_row_and_column(tmp_path):
    stated = sum(row[4] for row in ROWS) + 500
    text = csv_text(total=False) + f"合计,,,{stated:g},15,,\n"
    error = failure(write(tmp_path, text))
    assert error.place == f"第{len(ROWS) + 2}行“慰问金额”列"
    assert error.message == (f"合计行写的是{stated:g}，但上面{len(ROWS)}行相加是"
                             f"{sum(row[4] for row in ROWS):g}")


def test_a_total_written_in_wan_and_within_a_cent_passes(tmp_path):
    text = csv_text(total=False) + "合计,,,1.4万,15,,\n"
    assert len(load(write(tmp_path, text)).frame) == len(ROWS)
    rows = [("1", "甲", "农民工", "100.005", 100.005, "1", 1, "", ""),
            ("2", "乙", "农民工", "200.004", 200.004, "1", 1, "", "")]
    text = csv_text(rows, total=False) + "合计,,,300.00,2,,\n"
    assert load(write(tmp_path, text)).frame["慰问金额"].sum() == pytest.approx(300.009)


def test_notes_after_the_total_are_ignored_but_data_is_refused(tmp_path):
    notes = "填表人：张三,,,,,,\n备注：慰问金通过银行代发,,,,,,\n\n"
    assert len(load(write(tmp_path, csv_text() + notes)).frame) == len(ROWS)
    error = failure(write(tmp_path, csv_text() + notes + "4,石桥乡工会,农民工,500,1,,\n"))
    total_line = len(ROWS) + 2
    assert error.place == f"第{total_line + 4}行"
    assert error.message == f"合计行（第{total_line}行）之后还有数据行"


def test_with_total_row_false_a_total_row_is_data(tmp_path):
    text = "单位,金额\n甲,100\n合计,100\n"
    ledger = load(write(tmp_path, text), source([ColumnSpec("金额", "money")], total_row=False))
    assert ledger.frame["单位"].tolist() == ["甲", "合计"]


def test_in_a_long_ledger_a_subtotal_with_data_below_is_refused_at_the_first_data_row(tmp_path):
    lines = [f"{i},城关镇总工会,农民工,100,1,,\n" for i in range(1, 3001)]
    lines[1500] = "小 计,,,150100,1500,,\n"           # line 1502
    lines[1501] = "注：以上为一季度,,,,,,\n"            # a note, ignored
    error = failure(write(tmp_path, HEADER + "\n" + "".join(lines)))
    assert (error.place, error.message) == ("第1504行", "合计行（第1502行）之后还有数据行")


def test_whichever_comes_first_of_data_after_the_total_and_a_cell_beyond_the_header(tmp_path):
    over = "5,石桥乡工会,农民工,500,1,,,多出来\n"
    data = "4,石桥乡工会,农民工,500,1,,\n"
    total_line = len(ROWS) + 2
    error = failure(write(tmp_path, csv_text() + over + data))
    assert (error.place, error.message) == \
        (f"第{total_line + 1}行", "这一行在第7列之后还有内容“多出来”，但表头只有7列")
    error = failure(write(tmp_path, csv_text() + data + over))
    assert (error.place, error.message) == \
        (f"第{total_line + 1}行", f"合计行（第{total_line}行）之后还有数据行")


# ---------------------------------------------------------------- XLSX

def workbook_with_two_row_header(path, total=None):
    """A 建会 sheet after a 填报说明 sheet: merged group headers over member columns."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "填报说明"
    workbook.active["A1"] = "本表由各基层工会填报"
    sheet = workbook.create_sheet("明细")
    sheet.append(["序号", "基层工会", "会员情况", None, None, "职工情况", None, "入会率", "建会日期"])
    sheet.append([None, None, "会员\n总数", "女职工", "农民工", "职工总数", "女职工", None, None])
    for area in ("A1:A2", "B1:B2", "C1:E1", "F1:G1", "H1:H2", "I1:I2"):
        sheet.merge_cells(area)
    data = [
        (1, "城关镇总工会", 120, 48, 30, 130, 50, 0.923, datetime.datetime(2015, 6, 1)),
        (2, "河西镇总工会", "1,050", 400, 600, 1100, 420, 0.955, 45356),
        (None,) * 9,
        (3, "东坝乡工会", 88, "—", 60, 90, 41, 0.978, "2020年5月4日"),
    ]
    for row in data:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=3, min_col=8, max_col=8):
        row[0].number_format = "0.0%"
    if total is not None:
        sheet.append(["合 计", None] + list(total))
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                          end_column=2)
    workbook.save(path)
    return path


XLSX_COLUMNS = (ColumnSpec("会员总数", "integer"), ColumnSpec("会员情况_女职工", "integer"),
                ColumnSpec("农民工", "integer"), ColumnSpec("职工总数", "integer"),
                ColumnSpec("入会率", "percent"), ColumnSpec("建会日期", "date"))


def xlsx_source(**fields):
    fields.setdefault("sheet", "明细")
    return SourceSpec(name="建会", file="台账/建会.xlsx", defined_at="inputs/数据源.yaml:9",
                      header_rows=2, columns=XLSX_COLUMNS, **fields)


def test_xlsx_two_row_merged_header_names_and_typed_values(tmp_path):
    path = workbook_with_two_row_header(tmp_path / "建会.xlsx",
                                        total=(120 + 1050 + 88, 448, 690, 1320, 511))
    ledger = load(path, xlsx_source())
    assert ledger.sheet == "明细" and ledger.encoding is None
    assert list(ledger.frame.columns) == ["序号", "基层工会", "会员总数", "会员情况_女职工", "农民工",
                                          "职工总数", "职工情况_女职工", "入会率", "建会日期"]
    frame = ledger.frame
    assert frame["会员总数"].tolist() == [120, 1050, 88]
    assert frame["会员情况_女职工"].isna().tolist() == [False, False, True]
    assert frame["入会率"].tolist() == pytest.approx([92.3, 95.5, 97.8])
    excel_day = datetime.date(1899, 12, 30) + datetime.timedelta(days=45356)
    assert frame["建会日期"].tolist() == [pd.Timestamp(2015, 6, 1), pd.Timestamp(excel_day),
                                       pd.Timestamp(2020, 5, 4)]
    assert frame["序号"].tolist() == ["1", "2", "3"]
    assert ledger.row_numbers == (3, 4, 6)


def test_xlsx_wrong_total_names_sheet_row_and_column(tmp_path):
    path = workbook_with_two_row_header(tmp_path / "建会.xlsx",
                                        total=(120 + 1050 + 88, 448, 690, 1300, 511))
    error = failure(path, xlsx_source())
    assert error.place == "工作表“明细”第7行“职工总数”列"
    assert error.message == f"合计行写的是1300，但上面3行相加是{130 + 1100 + 90}"


def test_xlsx_bad_cell_message_quotes_the_cell(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "建会情况"
    sheet.append(["单位", "会员数"])
    for index in range(2, 12):
        sheet.append([f"单位{index}", index * 10])
    sheet.append(["单位12", "约50"])
    workbook.save(tmp_path / "建会.xlsx")
    spec = SourceSpec(name="建会", file="建会.xlsx", defined_at="x:1",
                      columns=(ColumnSpec("会员数", "integer"),))
    error = failure(tmp_path / "建会.xlsx", spec)
    assert str(error) == f"{SHOWN}：工作表“建会情况”第12行“会员数”列：“约50”不是数字"


def test_xlsx_default_is_the_first_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "台账"
    workbook.active.append(["单位", "金额"])
    workbook.active.append(["甲", 300])
    workbook.create_sheet("其他").append(["别的", "表"])
    workbook.save(tmp_path / "a.xlsx")
    ledger = load(tmp_path / "a.xlsx", source([ColumnSpec("金额", "money")]))
    assert ledger.sheet == "台账" and ledger.frame["金额"].tolist() == [300.0]


def test_xlsx_text_cells_are_stripped(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "类别", "人数"])
    workbook.active.append([" 甲 ", "农民工\u3000", 1])
    workbook.active.append(["乙", " ", 2])
    workbook.save(tmp_path / "a.xlsx")
    frame = load(tmp_path / "a.xlsx", source([COLUMNS[0], ColumnSpec("人数", "integer")])).frame
    assert frame["单位"].tolist() == ["甲", "乙"]
    assert frame["类别"].tolist()[0] == "农民工" and pd.isna(frame["类别"][1])


def test_xlsx_booleans_read_as_excel_prints_them(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "已建会", "人数"])
    workbook.active.append(["甲", True, 1])
    workbook.active.append(["乙", False, 1])
    workbook.save(tmp_path / "a.xlsx")
    frame = load(tmp_path / "a.xlsx", source([ColumnSpec("人数", "integer")])).frame
    assert frame["已建会"].tolist() == ["TRUE", "FALSE"]


def test_xlsx_missing_sheet_lists_the_sheets(tmp_path):
    path = workbook_with_two_row_header(tmp_path / "建会.xlsx")
    error = failure(path, xlsx_source(sheet="汇总"))
    assert error.message == "没有名为“汇总”的工作表；文件中的工作表：填报说明、明细"


def test_xlsx_formula_without_cached_value_is_named(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "男", "女", "合计人数"])
    workbook.active.append(["甲", 3, 4, 7])
    workbook.active.append(["乙", 5, 6, "=B3+C3"])   # openpyxl saves no result for it
    workbook.save(tmp_path / "a.xlsx")
    error = failure(tmp_path / "a.xlsx", source(()))
    assert error.place == "工作表“Sheet”第3行"
    assert error.message == "单元格D3是公式，但文件中没有保存它的计算结果"


def test_xlsx_error_value_is_quoted_not_read_as_blank(tmp_path):
    """python-calamine reads an error value (#DIV/0!) as an empty cell; the sheet's XML has it."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "人数"])
    workbook.active.append(["甲", 3])
    workbook.active.append(["乙", "#DIV/0!"])        # openpyxl stores it as an error value
    workbook.save(tmp_path / "a.xlsx")
    error = failure(tmp_path / "a.xlsx", source([ColumnSpec("人数", "integer")]))
    assert error.place == "工作表“Sheet”第3行“人数”列"
    assert error.message == "“#DIV/0!”不是数字"


def rewritten_sheet(path: Path, *replacements: tuple[str, str]) -> Path:
    """`path` with its first sheet's XML edited, as other programs write it."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for old, new in replacements:
        assert old in sheet, old
        sheet = sheet.replace(old, new)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_xlsx_saved_formula_results_cells_without_references_and_percent_formats(tmp_path):
    """What Excel and WPS write: formulas with their saved results (a percent-formatted one
    too); and cells without an r="B3" reference, which the format allows."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "人数", "会员", "入会率"])
    workbook.active.append(["甲", 4, 3, "=C2/B2"])
    workbook.active.append(["乙", 8, 6, "=C3/B3"])
    workbook.active.append(["合计", "=SUM(B2:B3)", 9, None])
    for row in (2, 3):
        workbook.active.cell(row, 4).number_format = "0.0%"
    workbook.save(tmp_path / "a.xlsx")
    path = rewritten_sheet(tmp_path / "a.xlsx",
                           ("<f>C2/B2</f><v></v>", "<f>C2/B2</f><v>0.75</v>"),
                           ("<f>C3/B3</f><v></v>", "<f>C3/B3</f><v>0.75</v>"),
                           ("<f>SUM(B2:B3)</f><v></v>", "<f>SUM(B2:B3)</f><v>12</v>"),
                           ('<c r="A3" t="inlineStr">', '<c t="inlineStr">'), ('<c r="B3" t="n">', '<c t="n">'),
                           ('<c r="C3" t="n">', "<c>"), ('<c r="D3" s="1">', '<c s="1">'))
    spec = source([ColumnSpec("人数", "integer"), ColumnSpec("会员", "integer"),
                   ColumnSpec("入会率", "percent")], total_row=True)
    frame = load(path, spec).frame
    assert frame["单位"].tolist() == ["甲", "乙"] and frame["人数"].tolist() == [4, 8]
    assert frame["入会率"].tolist() == pytest.approx([75.0, 75.0])


@given(st.integers(min_value=1, max_value=16_384))
def test_column_letters_are_excels(number):
    assert _column_letter(number) == get_column_letter(number)
    assert _column_number(_column_letter(number)) == number


# ---------------------------------------------------------------- file-level problems

def test_missing_file(tmp_path):
    error = failure(tmp_path / "没有.csv")
    assert error.message == "找不到文件"


def test_directory(tmp_path):
    (tmp_path / "台账.csv").mkdir()
    assert failure(tmp_path / "台账.csv").message == "这是一个文件夹，不是台账文件"


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n"])
def test_empty_file(tmp_path, content):
    assert failure(write(tmp_path, content)).message == "文件是空的"


def test_binary_file_named_csv(tmp_path):
    error = failure(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    assert error.message == "这不是文本格式的 CSV 文件（含有二进制内容）"


def test_xlsx_named_csv(tmp_path):
    path = workbook_with_two_row_header(tmp_path / "建会.xlsx")
    error = failure(write(tmp_path, path.read_bytes()))
    assert error.message == "这其实是一个 Excel（.xlsx）文件，只是扩展名是 .csv"


def test_undecodable_bytes_say_which_encodings_were_tried(tmp_path):
    error = failure(write(tmp_path, b"name,amount\n" + b"\xff\xfe\x80\x81" * 50))
    assert error.message == "无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（按 UTF-8 读到第2行出错）"


@pytest.mark.parametrize("content", [b"not a zip at all", None])
def test_corrupt_xlsx(tmp_path, content):
    if content is None:   # a real workbook cut in half
        content = workbook_with_two_row_header(tmp_path / "whole.xlsx").read_bytes()[:2000]
    error = failure(write(tmp_path, content, name="建会.xlsx"), xlsx_source())
    assert error.message == "无法打开这个 Excel 文件：文件已损坏，或不是 .xlsx 格式"


@pytest.mark.parametrize("name, message", [
    ("台账.json", "不支持的文件类型“.json”，台账须是 CSV 或 XLSX"),
    ("台账.xls", "不支持旧版 .xls 格式"),
    ("台账", "不支持的文件类型“（无扩展名）”，台账须是 CSV 或 XLSX"),
])
def test_unsupported_extensions(tmp_path, name, message):
    assert failure(write(tmp_path, "单位,金额\n", name=name)).message == message


# ---------------------------------------------------------------- layout problems

def test_ragged_row_is_reported_with_its_line(tmp_path):
    text = HEADER + "\n1,城关镇总工会,农民工,500,1,2024-01-02,,\n2,河西镇总工会,农民工,1,200,1,2024-01-03,银行代发\n"
    error = failure(write(tmp_path, text))
    assert error.place == "第3行"
    assert error.message == "这一行在第7列之后还有内容“银行代发”，但表头只有7列"


def test_empty_header_over_data_names_the_column_letter(tmp_path):
    error = failure(write(tmp_path, "单位,,金额\n甲,,100\n乙,x,200\n"), source(()))
    assert error.place == "第1行“B”列"
    assert error.message == "这一列有数据（第3行起）但没有表头"


def test_declared_column_missing_lists_the_columns(tmp_path):
    error = failure(write(tmp_path, "序号,基层工会\n1,甲\n"), source([ColumnSpec("慰问金额", "money")]))
    assert error.message == "表头中没有声明的列“慰问金额”；现有列：序号、基层工会"
    assert "inputs/数据源.yaml:3" in error.hint


def test_a_guessed_encoding_is_named_when_the_header_does_not_match(tmp_path):
    data = b"a,b\n\xff\xfe\xff,1\n"   # neither UTF-8 nor GB18030; the detector guesses
    guess = charset_normalizer.from_bytes(data).best().encoding
    error = failure(write(tmp_path, data), source([ColumnSpec("慰问金额", "money")]))
    assert f"文件按猜测的 {guess} 编码读取" in error.hint


def test_headers_are_stripped_of_spaces_and_newlines(tmp_path):
    frame = load(write(tmp_path, '" 慰问 金额 ","基层\n工会"\n100,甲\n'),
                 source([ColumnSpec("慰问金额", "money")])).frame
    assert list(frame.columns) == ["慰问金额", "基层工会"]


def test_two_columns_with_one_name_are_refused(tmp_path):
    error = failure(write(tmp_path, "单位,金额,金额\n甲,1,2\n"), source(()))
    assert error.message == "表头有两列都叫“金额”（B列和C列）"


def test_an_empty_sheet_has_no_header(tmp_path):
    openpyxl.Workbook().save(tmp_path / "a.xlsx")
    assert failure(tmp_path / "a.xlsx", source(())).message == "工作表“Sheet”是空的"
    workbook = openpyxl.Workbook()
    workbook.active["B3"] = "说明在下面"   # a header row that is empty
    workbook.save(tmp_path / "b.xlsx")
    error = failure(tmp_path / "b.xlsx", source(()))
    assert (error.place, error.message) == ("工作表“Sheet”第1行", "表头是空的（没有任何列名）")


def test_a_header_without_rows_gives_an_empty_typed_table(tmp_path):
    ledger = load(write(tmp_path, "单位,金额\n"), source([ColumnSpec("金额", "money")]))
    assert len(ledger.frame) == 0 and ledger.row_numbers == ()
    assert ledger.frame["金额"].dtype == "float64" and ledger.frame["金额"].sum() == 0


def test_fewer_rows_than_header_rows(tmp_path):
    error = failure(write(tmp_path, "单位,金额\n"), source((), header_rows=2))
    assert error.message == "文件只有1行，不够2行表头"


@pytest.mark.parametrize("cell, message", [
    ("约50", "“约50”不是数字"),
    ("3.5", "“3.5”不是整数"),
    ("0x1F", "“0x1F”不是数字"),
    ("99999999999999999999", "“99999999999999999999”太大，不是合理的整数"),   # was a TypeError
    ("９９９９９９９９９９９９９９９９９９９９", "“９９９９９９９９９９９９９９９９９９９９”太大，不是合理的整数"),
])
def test_bad_integer_cells(tmp_path, cell, message):
    text = HEADER + f"\n1,城关镇总工会,农民工,500,1,,\n2,河西镇总工会,农民工,500,{cell},,\n"
    error = failure(write(tmp_path, text))
    assert (error.place, error.message) == ("第3行“慰问人数”列", message)


def test_bad_date_cell(tmp_path):
    error = failure(write(tmp_path, HEADER + "\n1,城关镇总工会,农民工,500,1,2024-02-30,\n"))
    assert error.place == "第2行“慰问日期”列"
    assert error.message == "“2024-02-30”不是存在的日期"


# ---------------------------------------------------------------- the example project

def example_ledgers():
    project = load_project(ROOT)
    for source_spec in (s for s in project.sources.values() if s.returns is None):   # returns: test_returns.py
        for file in filter(None, (source_spec.file, source_spec.previous)):
            yield pytest.param(project, source_spec, project.inputs / file, id=file)


@pytest.mark.parametrize("project, spec, path", list(example_ledgers()))
def test_every_example_source_loads_with_the_rows_an_independent_reader_sees(project, spec, path):
    ledger = load_ledger(spec, path, project.shown(path))
    header, rows = read_ledger(path)
    data = [row for row in rows if not is_total(row)]
    assert ledger.file == f"inputs/{path.relative_to(project.inputs).as_posix()}"
    assert len(ledger.frame) == len(data)
    assert {column.name for column in spec.columns} <= set(ledger.frame.columns)
    for column in spec.columns:
        if column.type in ("integer", "money"):
            expected = sum(number(row[header.index(column.name)]) or 0 for row in data)
            assert ledger.frame[column.name].sum() == pytest.approx(expected), column.name
    first_data_row = spec.header_rows + 1
    assert ledger.row_numbers[0] == first_data_row
    assert list(ledger.row_numbers) == sorted(set(ledger.row_numbers))
