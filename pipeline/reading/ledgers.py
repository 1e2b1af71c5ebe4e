"""The load stage: one declared ledger (CSV or an XLSX sheet) into a typed pandas table.

`load_ledger` reads the file into a grid of cells, names the columns from the header rows,
drops blank rows and the 合计 row (after checking it), then types each declared column.
Every kept row remembers its line or row number in the file, so a message about a bad cell
and a figure's provenance can point at the row the office sees.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import functools
import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine
from lxml import etree

from ..errors import WenmiError, at_cell, at_line
from ..inputfiles import INVISIBLE, LEDGER_LIMIT, invisible_message, regular_file, zip_checked
from ..numbers import format_number, is_blank, parse_date, parse_number
from ..problems import Problems
from .columnar import UTF8_BOM, TextColumn, read_regular_csv
from .specs import ColumnSpec, SourceSpec

TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计"})
TOTAL_CHARACTER = "计"                            # in every total word
CHECKED_TYPES = ("integer", "number", "money")   # columns whose 合计 must equal the rows' sum
TOTAL_TOLERANCE = 0.01
INTEGER_LIMIT = 2.0 ** 63                # an integer column's values are 64-bit integers
CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAVE_AS_CSV = "在 Excel/WPS 中打开后另存为“CSV UTF-8（逗号分隔）”"
SURE_ENCODINGS = (None, "utf-8", "utf-8-sig", "gb18030")   # others are charset-normalizer's guess


@dataclass(frozen=True)
class Ledger:
    """A loaded ledger: its typed table and where each of its rows sits in the file."""
    name: str                      # the source name
    file: str                      # as shown to users: "inputs/台账/2024/送温暖.csv"
    sheet: str | None              # XLSX sheet actually read; None for CSV
    frame: pd.DataFrame            # one column per header, typed as declared; index 0..n-1
    row_numbers: Sequence[int]     # 1-based line (CSV) or row (XLSX) of each frame row: a
                                   # range when they follow each other, else a tuple
    encoding: str | None           # CSV encoding detected; None for XLSX
    parts: tuple[LedgerPart, ...] = ()   # returns combined (reading/returns.py): whose rows are whose


UNIT_COLUMN = "填报单位"     # the column a ledger combined from units' returns adds


@dataclass(frozen=True)
class LedgerPart:
    """One unit's return within a combined ledger: its rows start at `start` of the frame."""
    unit: str
    file: str
    start: int


@dataclass
class _Grid:
    """A file's cells as read: CSV cells are text, XLSX cells python-calamine's values
    (numbers, dates, datetimes, times, text; None for an empty cell). Strings keep their
    surrounding spaces: `_data_rows` strips each distinct cell once and header names drop
    all spaces. Rows may differ in length."""
    shown: str                                          # the file as messages name it
    rows: list[list[object]]
    row_numbers: list[int] | np.ndarray                 # line or row of each of `rows`
    sheet: str | None = None
    encoding: str | None = None
    merges: tuple[tuple[int, int, int, int], ...] = ()  # 1-based (top, left, bottom, right)
    body: list[TextColumn] | None = None                # the rows below the header by column,
                                                        # when read so (columnar.py); `rows`
                                                        # then holds the rows above them only
                                                        # (and two at least)

    def error(self, row: int, column: str | None, message: str,
              hint: str | None = None) -> WenmiError:
        """An error at a row (and column) of this file."""
        return WenmiError(message, file=self.shown, place=at_cell(row, column, self.sheet),
                          hint=hint)


def load_ledger(spec: SourceSpec, path: Path, shown: str,
                problems: Problems | None = None) -> Ledger:
    """Read `path` as the ledger `spec` declares; `shown` names the file in messages.
    Broken column rules (required, unique, min, max) and undeclared columns are recorded in
    `problems`, every one of them; without `problems` the rule errors are raised together."""
    return ledger_of(spec, read_grid(spec, path, shown), problems)


def read_grid(spec: SourceSpec, path: Path, shown: str) -> _Grid:
    """The file's cells, the rows above the table included (where a form names its unit)."""
    return _read(path, shown, spec.sheet, spec.skip_rows + spec.header_rows)


def cell_at(grid: _Grid, reference: str) -> str:
    """The text of the cell at `reference` (A2) among the rows above the data, "" if empty."""
    letters = reference.rstrip("0123456789")
    row, column = int(reference[len(letters):]), _column_number(letters)
    found = next((cells for cells, number in zip(grid.rows, grid.row_numbers) if number == row), [])
    return _text(found[column - 1]).strip() if column <= len(found) else ""


def ledger_of(spec: SourceSpec, grid: _Grid, problems: Problems | None = None) -> Ledger:
    """The ledger in a file's cells (`read_grid`), as `load_ledger` describes."""
    shown = grid.shown
    grid = _skipped(grid, spec.skip_rows)
    found = Problems() if problems is None else problems
    if len(grid.rows) < spec.header_rows:
        whole = f"工作表“{grid.sheet}”" if grid.sheet else "文件"
        raise WenmiError(f"{whole}只有{len(grid.rows)}行，不够{spec.header_rows}行表头"
                         if grid.rows else f"{whole}是空的", file=shown,
                         hint=f"检查数据源“{spec.name}”的 sheet 和 header_rows（{spec.defined_at}）")
    header_row = grid.row_numbers[spec.header_rows - 1]
    width = max(len(row) for row in grid.rows[:spec.header_rows])
    names = _column_names(grid, spec.header_rows, width, spec)
    if not any(names):
        raise grid.error(header_row, None, "表头是空的（没有任何列名）",
                         hint=f"检查数据源“{spec.name}”的 sheet 和 header_rows（{spec.defined_at}）")
    declared = {column.name: column for column in spec.columns}
    missing = [name for name in declared if name not in names]
    if missing:
        existing = "、".join(name for name in names if name)
        hint = f"列名须与表头一致（数据源“{spec.name}”声明于{spec.defined_at}）"
        if grid.encoding not in SURE_ENCODINGS:
            hint += f"；文件按猜测的 {grid.encoding} 编码读取，表头若是乱码，请{SAVE_AS_CSV}"
        raise grid.error(header_row, None,
                         f"表头中没有声明的列“{'、'.join(missing)}”；现有列：{existing}"
                         + _renamed(missing, [name for name in names if name and name not in declared]),
                         hint="；".join(filter(None, (hint, _title_hint(grid, spec)))))
    _fill_merged_data(grid, spec.header_rows, names, found)
    raw, row_numbers, total = _data_rows(grid, spec, width)
    columns = {}
    for index, name in enumerate(names):
        if name:
            column = declared.get(name, ColumnSpec(name, "text"))
            columns[name] = _typed(raw[index], column, row_numbers, grid)
        else:
            filled = ~raw[index].blank()
            if filled.any():
                first = row_numbers[int(np.argmax(filled))]
                raise grid.error(header_row, _column_letter(index + 1),
                                 f"这一列有数据（第{first}行起）但没有表头", hint="补上列名")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(row_numbers)), copy=False)
    if total is not None:
        _check_total(total, frame, names, declared, grid)
    _check_rules(frame, spec.columns, row_numbers, grid, found)
    if spec.columns:
        for name in names:
            if name and name not in declared:
                found.warn(f"这一列未在数据源“{spec.name}”的 columns 中声明，按文本读取",
                           shown, at_cell(header_row, name, grid.sheet),
                           hint=f"在 {spec.defined_at} 的 columns 中声明它的类型（如 {name}: text）")
    if problems is None:
        found.stop_if_failed()
    return Ledger(spec.name, shown, grid.sheet, frame, row_numbers, grid.encoding)


# ---------------------------------------------------------------- reading the file

def _read(path: Path, shown: str, sheet: str | None, top_rows: int | None) -> _Grid:
    """The file's cells; `top_rows` (skipped rows and header rows) are above the data, or
    None: every row wanted as a row (a CSV then read record by record)."""
    if not path.exists():
        raise WenmiError("找不到文件", file=shown, hint="检查数据源的 file/previous 路径（相对于 inputs/）")
    if path.is_dir():
        raise WenmiError("这是一个文件夹，不是台账文件", file=shown)
    regular_file(path, shown, LEDGER_LIMIT)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, shown, top_rows)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, shown, sheet)
    if suffix in (".xls", ".et"):
        raise WenmiError(f"不支持旧版 {suffix} 格式", file=shown,
                         hint="在 Excel/WPS 中打开后另存为 .xlsx 或 CSV")
    raise WenmiError(f"不支持的文件类型“{suffix or '（无扩展名）'}”，台账须是 CSV 或 XLSX", file=shown)


def file_rows(spec: SourceSpec, path: Path, shown: str, numbers: set[int]) -> dict[int, list[str]]:
    """Rows of a ledger file by their line (CSV) or row (XLSX) number, every cell as text,
    however it would be typed: the row a problem names, shown as the office sees it."""
    grid = _read(path, shown, spec.sheet, None)
    return {number: [_text(cell) for cell in row]
            for number, row in zip(grid.row_numbers, grid.rows) if number in numbers}


def _read_csv(path: Path, shown: str, top_rows: int | None) -> _Grid:
    """The file's cells: column by column below its `top_rows` when it is regular
    (columnar.py), else record by record with Python's csv module."""
    data = path.read_bytes()
    _refuse_no_text(data, shown)
    if top_rows is not None and b"\x00" not in data:    # else UTF-16 or binary: for `_decode`
        bom = data.startswith(UTF8_BOM)
        grid = _regular_grid(data[len(UTF8_BOM):] if bom else data, top_rows, shown,
                             "utf-8-sig" if bom else "utf-8")
        if grid is not None:
            return grid
    text, encoding = _decode(data, shown)
    if top_rows is not None and not encoding.startswith("utf-8"):
        grid = _regular_grid(text.encode("utf-8"), top_rows, shown, encoding)
        if grid is not None:
            return grid
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[object]] = []
    row_numbers = []
    line = 1   # where the next record starts; a quoted cell may span lines
    try:
        for cells in reader:
            rows.append(cells)
            row_numbers.append(line)
            line = reader.line_num + 1
    except csv.Error as error:
        reason = (f"有一个单元格超过 {csv.field_size_limit():,} 个字符" if "field limit" in str(error)
                  else f"无法按 CSV 读取\n（原始信息：{error}）")
        raise WenmiError(f"CSV 格式错误：{reason}", file=shown, place=at_line(line)) from None
    return _Grid(shown, rows, row_numbers, encoding=encoding)


def _regular_grid(data: bytes, top_rows: int, shown: str, encoding: str) -> _Grid | None:
    """The grid of UTF-8 `data` read column by column, or None when it is not regular."""
    regular = read_regular_csv(data, top_rows)
    if regular is None:
        return None
    return _Grid(shown, regular.first, regular.row_numbers, encoding=encoding, body=regular.body)


def _refuse_no_text(data: bytes, shown: str) -> None:
    """Refuse an empty file, and a workbook named .csv."""
    if not data or data.isspace():
        raise WenmiError("文件是空的", file=shown)
    if data.startswith(b"PK\x03\x04"):
        raise WenmiError("这其实是一个 Excel（.xlsx）文件，只是扩展名是 .csv", file=shown,
                         hint="把扩展名改为 .xlsx，并同样修改数据源的 file")


def _decode(data: bytes, shown: str) -> tuple[str, str]:
    """The file's text and encoding, judged from the bytes: UTF-8 (with or without BOM), then
    GB18030 (a superset of GBK, what WPS and older Excel save), then charset-normalizer."""
    if data.startswith(UTF8_BOM):
        candidates = ["utf-8-sig"]
    elif b"\x00" in data:   # never in UTF-8 or GBK text; UTF-16 or a binary file
        candidates = []
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    import charset_normalizer  # only for files neither UTF-8 nor GB18030
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None:
        return str(guess), guess.encoding
    if b"\x00" in data:
        raise WenmiError("这不是文本格式的 CSV 文件（含有二进制内容）", file=shown, hint=SAVE_AS_CSV)
    try:
        data.decode("utf-8")
        line = None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
    raise WenmiError("无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030"
                     + (f"（按 UTF-8 读到第{line}行出错）" if line else ""),
                     file=shown, hint=SAVE_AS_CSV)


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> _Grid:
    """The sheet's values as Excel shows them, and its merged ranges.

    python-calamine reads them (in Rust: a 50,000-row ledger in 0.5 s, where openpyxl took
    9 s, and 5 s more to look for formulas). It reports neither number formats nor formulas
    nor error values, so when the sheet holds any of what depends on them — a formula, an
    error, a percent format — one pass over the sheet's XML (`_by_the_sheet_xml`) puts them
    right: 0.9 shown as "90%", "#DIV/0!" kept, a formula never calculated refused.
    """
    zip_checked(path, shown)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if sheet is not None and sheet not in names:
            raise WenmiError(f"没有名为“{sheet}”的工作表；文件中的工作表：{'、'.join(names)}",
                             file=shown)
        title = sheet if sheet is not None else names[0]
        worksheet = workbook.get_sheet_by_name(title)
        values = worksheet.to_python(skip_empty_area=False)
        merged = worksheet.merged_cell_ranges or []
    except WenmiError:
        raise
    except Exception:  # a damaged file fails in the zip, the XML or the workbook, many ways
        raise WenmiError("无法打开这个 Excel 文件：文件已损坏，或不是 .xlsx 格式", file=shown,
                         hint="用 Excel/WPS 打开后另存为 .xlsx") from None
    rows = [[_xlsx_value(value) for value in row] for row in values]
    merges = tuple((top + 1, left + 1, bottom + 1, right + 1)
                   for (top, left), (bottom, right) in merged)
    grid = _Grid(shown, rows, list(range(1, len(rows) + 1)), sheet=title, merges=merges)
    try:
        _by_the_sheet_xml(path, grid)
    except WenmiError:
        raise
    except Exception:  # calamine read it, but its XML is not as the format describes
        raise WenmiError("无法读取这个 Excel 文件的单元格格式：文件已损坏，或不是 Excel/WPS 保存的 .xlsx",
                         file=shown, hint="用 Excel/WPS 打开后另存为 .xlsx") from None
    return grid


def _xlsx_value(value: object) -> object:
    """A value as the loader handles it: an empty cell None, booleans as Excel prints them;
    strings, numbers and dates as they are."""
    if value == "":
        return None
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    return value


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PERCENT_FORMATS = {9, 10}                                  # Excel's built-in "0%" and "0.00%"
# a number format that pads whole numbers with zeros, with text before or after it: "000",
# "\"GR\"000", "GR000" escaped; an id such as 编号 001 is stored as the number 1
ZERO_PADDED = re.compile(r'((?:"[^"]*"|\\.)*)(0{2,})((?:"[^"]*"|\\.)*)')
FORMAT_LITERAL = re.compile(r'"([^"]*)"|\\(.)')           # "GR" or \G: text a format prints
# how a formula (<f>) or an error value (t="e") starts in a sheet whose main namespace has no
# prefix, as Excel, WPS, LibreOffice and openpyxl write it (a prefixed sheet is always walked)
FORMULA_OR_ERROR = (b"<f>", b"<f ", b't="e"', b"t='e'")
CELL_REFERENCE = re.compile(r"([A-Z]+)([0-9]+)")


def _by_the_sheet_xml(path: Path, grid: _Grid) -> None:
    """Put right in `grid` what python-calamine does not report, from the sheet's XML: a
    number in a percent format becomes the text the office sees ("90%", as a percent column
    reads it), so does a whole number in a zero-padded format ("001", an id), an error value
    its text ("#DIV/0!"), and a formula whose result was never saved (files written by
    programs, not by Excel or WPS) is refused rather than read as an empty cell. Skipped
    when the workbook has no such format and the sheet no formula or error: walking every
    cell costs a second per 50,000 rows."""
    with zipfile.ZipFile(path) as package:
        part, styles = _sheet_and_styles_parts(package, grid.sheet)
        shown_styles = _shown_styles(package, styles)
        data = package.read(part)
    unprefixed = b"<sheetData" in data
    if not shown_styles and unprefixed and not any(mark in data for mark in FORMULA_OR_ERROR):
        return
    row_number, column, current = 0, 0, None
    for _, cell in etree.iterparse(io.BytesIO(data), tag=f"{SHEET_NS}c"):
        row = cell.getparent()
        if row is not current:          # r is optional, on rows and cells: then the next one
            current, column = row, 0
            row_number = int(row.get("r") or row_number + 1)
        reference = CELL_REFERENCE.fullmatch(cell.get("r") or "")
        column = _column_number(reference[1]) if reference else column + 1
        _put_right(grid, row_number, column, cell, shown_styles)
        cell.clear(keep_tail=True)
        while row.getprevious() is not None:           # rows done with: keep memory flat
            del row.getparent()[0]


def _put_right(grid: _Grid, row_number: int, column: int, cell,
               shown_styles: dict[int, Callable[[float], str | None]]) -> None:
    """One cell of the sheet's XML applied to the grid (see `_by_the_sheet_xml`)."""
    kind = cell.get("t", "n")
    formula, saved = cell.find(f"{SHEET_NS}f"), cell.find(f"{SHEET_NS}v")
    # a saved result is a <v> with text, or an empty <v> for an empty text result (t="str")
    if formula is not None and (saved is None or saved.text is None and kind != "str"):
        raise grid.error(row_number, None,
                         f"单元格{_column_letter(column)}{row_number}是公式，但文件中没有保存它的计算结果",
                         hint="用 Excel/WPS 打开这个文件并保存一次")
    if saved is None or saved.text is None:
        return
    style = int(cell.get("s", 0))
    if kind == "e":
        shown = saved.text
    elif kind == "n" and style in shown_styles:
        shown = shown_styles[style](float(saved.text))
        if shown is None:
            return
    else:
        return
    while len(grid.rows) < row_number:       # beyond what calamine reported: an error only
        grid.rows.append([])
        grid.row_numbers.append(len(grid.rows))
    cells = grid.rows[row_number - 1]
    cells.extend([None] * (column - len(cells)))
    cells[column - 1] = shown


def _sheet_and_styles_parts(package: zipfile.ZipFile, title: str) -> tuple[str, str | None]:
    """The package paths of the sheet named `title` and of the styles, from the workbook
    part's relationships."""
    workbook = etree.fromstring(package.read("xl/workbook.xml"))
    relationships = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {relationship.get("Id"): (relationship.get("Type", "").rsplit("/", 1)[-1],
                                         _part_path(relationship.get("Target", "")))
               for relationship in relationships.iter(f"{RELATIONSHIPS_NS}Relationship")}
    sheet_id = next(sheet.get(OFFICE_RELATIONSHIP) for sheet in workbook.iter(f"{SHEET_NS}sheet")
                    if sheet.get("name") == title)
    styles = next((path for kind, path in targets.values() if kind == "styles"), None)
    return targets[sheet_id][1], styles


def _part_path(target: str) -> str:
    """A relationship target of the workbook part as a package path: absolute ("/xl/…")
    or relative to xl/."""
    return target[1:] if target.startswith("/") else f"xl/{target}"


def _shown_styles(package: zipfile.ZipFile, styles: str | None
                  ) -> dict[int, Callable[[float], str | None]]:
    """The cell styles (indexes into cellXfs) whose number format the grid must follow, each
    with how a number in it is shown: a percent ("90%"), or a zero-padded whole number
    ("001"; None, the number as it is, when it is not whole)."""
    if styles is None or styles not in package.namelist():
        return {}
    root = etree.fromstring(package.read(styles))
    shown: dict[int, Callable[[float], str | None]] = dict.fromkeys(PERCENT_FORMATS, _percent)
    for number_format in root.iter(f"{SHEET_NS}numFmt"):
        code = number_format.get("formatCode", "")
        padded = ZERO_PADDED.fullmatch(code)
        if "%" in code:
            shown[int(number_format.get("numFmtId"))] = _percent
        elif padded:
            shown[int(number_format.get("numFmtId"))] = functools.partial(_padded, *padded.groups())
    cell_formats = root.find(f"{SHEET_NS}cellXfs")
    return {index: shown[int(cell_format.get("numFmtId", 0))]
            for index, cell_format in enumerate(cell_formats if cell_formats is not None else ())
            if int(cell_format.get("numFmtId", 0)) in shown}


def _percent(number: float) -> str:
    return format_number(number * 100, 10) + "%"


def _padded(before: str, zeros: str, after: str, number: float) -> str | None:
    """A whole number as a zero-padded format shows it: "000" gives 001, "GR"000 gives GR001."""
    if not number.is_integer() or number < 0:
        return None
    def printed(literals: str) -> str:
        return FORMAT_LITERAL.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2),
                                  literals)
    return printed(before) + str(int(number)).zfill(len(zeros)) + printed(after)


# ---------------------------------------------------------------- header and rows

def _text(value: object) -> str:
    """A cell as text: numbers without trailing zeros, a midnight datetime as its date."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return format_number(value, 10)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _column_letter(number: int) -> str:
    """A column's letters as Excel shows them, for messages: 1 → A, 28 → AB."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _column_number(letters: str) -> int:
    """A column's number from its letters: A → 1, AB → 28."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _squeezed(value: object) -> str:
    """A cell as text without any spaces, as header names and 合计 labels are compared."""
    return "".join(_text(value).split())   # str.split's spaces are exactly regex \s


def _column_names(grid: _Grid, header_rows: int, width: int, spec: SourceSpec) -> list[str]:
    """Each column's name: its lowest non-empty header cell, or all its non-empty header cells
    joined with "_" when that is not unique. "" marks a column without a header."""
    header = [[_squeezed(cell) for cell in row] + [""] * (width - len(row))
              for row in grid.rows[:header_rows]]
    for top, left, bottom, right in grid.merges:
        for row in range(top, min(bottom, header_rows) + 1):
            for column in range(left, min(right, width) + 1):
                header[row - 1][column - 1] = header[top - 1][left - 1]
    lowest = [next((row[index] for row in reversed(header) if row[index]), "")
              for index in range(width)]
    repeated = Counter(name for name in lowest if name)
    names = [name if repeated[name] < 2
             else "_".join(dict.fromkeys(row[index] for row in header if row[index]))
             for index, name in enumerate(lowest)]
    first_index: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in first_index:
            raise grid.error(grid.row_numbers[header_rows - 1], None,
                             f"表头有两列都叫“{name}”（{_column_letter(first_index[name] + 1)}列"
                             f"和{_column_letter(index + 1)}列）",
                             hint=_title_hint(grid, spec) or "给其中一列改个名字")
        if name:
            first_index[name] = index
    return names


def _renamed(missing: list[str], undeclared: list[str]) -> str:
    """The undeclared columns that look like a missing one renamed (赔付人次 for 理赔人次:
    an old form, or a header edited by hand), as a clause of the message; "" if none."""
    pairs = []
    for name in missing:
        close = difflib.get_close_matches(name, undeclared, n=1, cutoff=0.5)
        if close:
            pairs.append(f"“{close[0]}”像是改了名的“{name}”")
            undeclared.remove(close[0])
    return f"（{'，'.join(pairs)}）" if pairs else ""


def _skipped(grid: _Grid, rows: int) -> _Grid:
    """The grid without its first `rows` rows (`skip_rows`: a title above the table), its
    merged ranges moved up with it."""
    if not rows:
        return grid
    merges = tuple((max(top - rows, 1), left, bottom - rows, right)
                   for top, left, bottom, right in grid.merges if bottom > rows)
    return replace(grid, rows=grid.rows[rows:], row_numbers=grid.row_numbers[rows:], merges=merges)


def _title_hint(grid: _Grid, spec: SourceSpec) -> str | None:
    """When the header's first row looks like a title above the table (a single filled cell,
    often merged across it, over a row of several), how to say so; else None."""
    filled = [[cell for cell in row if _squeezed(cell)] for row in grid.rows[:2]]
    if len(filled) < 2 or len(filled[0]) != 1 or len(filled[1]) < 2:
        return None
    return (f"第{grid.row_numbers[0]}行“{_text(filled[0][0]).strip()}”像是表头上方的标题行：请在数据源"
            f"“{spec.name}”（{spec.defined_at}）中设 skip_rows: {spec.skip_rows + 1}"
            f"，或把 header_rows 设为 {spec.header_rows + 1}")


def _fill_merged_data(grid: _Grid, header_rows: int, names: list[str], problems: Problems) -> None:
    """Fill down the cells merged over several data rows, and warn about each range.

    Excel keeps a merged range's value in its first cell only, so the rows below would read
    as blank (a 类别 merged over two rows counted once). The value is put in every row of the
    range that holds any data, in the range's first column, and the range is named: the
    office may have merged cells that do not belong together."""
    offset = grid.row_numbers[0] - 1 if len(grid.row_numbers) else 0   # XLSX rows are contiguous
    for top, left, bottom, right in grid.merges:
        if top <= header_rows or bottom == top or top > len(grid.rows):
            continue
        first = grid.rows[top - 1]
        value = first[left - 1] if left <= len(first) else None
        below = [row for row in grid.rows[top:bottom] if any(cell not in (None, "") for cell in row)]
        if value is None or not below:
            continue
        for row in below:
            row.extend([None] * (left - len(row)))
            row[left - 1] = value
        problems.warn(
            f"合并单元格 {_column_letter(left)}{top + offset}:{_column_letter(right)}{bottom + offset} "
            f"只在第一行保存了值“{_text(value).strip()}”，已填入其下 {len(below)} 行",
            grid.shown, at_cell(top + offset, names[left - 1] if left <= len(names) else None, grid.sheet),
            hint="Excel 中合并的单元格只有第一格有值；请确认这几行确实同属此值，最好取消合并、逐行填写")


@dataclass
class _Column:
    """A column of cells as codes into its distinct cells: ledgers repeat amounts, dates and
    names a lot, so each check of a cell runs once per distinct cell."""
    codes: np.ndarray          # each row's index into `distinct`; -1 (a missing cell) picks None
    distinct: list[object]     # the distinct cells, strings stripped, then None
    blanks: np.ndarray         # whether each distinct cell is blank (numbers.is_blank)

    @classmethod
    def of(cls, cells: np.ndarray) -> _Column:
        """The column of `cells`, an object array with None for a missing cell."""
        codes, distinct = pd.factorize(cells, use_na_sentinel=True)
        distinct = [cell.strip() if isinstance(cell, str) else cell for cell in distinct] + [None]
        return cls(codes, distinct, np.array([is_blank(cell) for cell in distinct]))

    def rows(self, which: np.ndarray) -> _Column:
        """The column of the rows `which` (a mask) selects."""
        return _Column(self.codes[which], self.distinct, self.blanks)

    def value(self, code: int) -> object:
        return self.distinct[code]

    def cell(self, row: int) -> object:
        return self.distinct[self.codes[row]]

    def blank(self) -> np.ndarray:
        """Whether each row's cell is blank."""
        return self.blanks[self.codes]

    def filled(self) -> np.ndarray:
        """Whether each row's cell has any text ("—" has, "" has not). Only a blank cell can
        lack text, so only those (few) are turned into text."""
        filled = ~self.blanks
        for code in np.flatnonzero(self.blanks).tolist():
            filled[code] = _text(self.distinct[code]) != ""
        return filled[self.codes]

    def codes_containing(self, character: str) -> list[int]:
        """The distinct cells whose text contains `character`."""
        return [code for code, cell in enumerate(self.distinct)
                if isinstance(cell, str) and character in cell]

    def typed(self, column_type: str, allowed: tuple[str, ...],
              parse: Callable[[int], object]) -> np.ndarray:
        """Each row's value as `column_type`: each distinct cell the rows hold, unless blank,
        by `parse(code)`, in order of appearance (`parse` checks the `allowed` values)."""
        held = np.zeros(len(self.distinct), dtype=bool)
        held[self.codes] = True
        parsed = [None] * len(self.distinct)
        for code in np.flatnonzero(held & ~self.blanks).tolist():
            parsed[code] = parse(code)
        return np.array(parsed, dtype=_PARSERS[column_type][1])[self.codes]


def _data_rows(grid: _Grid, spec: SourceSpec, width: int
               ) -> tuple[list[_Column], Sequence[int], tuple[int, list[object]] | None]:
    """The rows below the header as one `_Column` per header column (short rows padded with
    None), blank rows and the total row left out, and the rows' numbers; and the total row (its
    number and cells) if there is one. Notes after the total row are ignored; a data row after
    it, or a cell beyond the header's width, is refused, whichever comes first."""
    numbers = np.array(grid.row_numbers[spec.header_rows:], dtype=int)
    if grid.body is not None:
        columns, overflow = grid.body, None     # regular: every row as wide as the header
    else:
        body = grid.rows[spec.header_rows:]
        lengths = np.fromiter(map(len, body), dtype=int, count=len(body))
        columns = _columns(body, lengths, width)
        overflow = _overflow(body, lengths, width)
    kept = ~_blank_rows(columns)
    total = late = None   # positions in the body of the total row and of the first data row after it
    if spec.total_row:
        first_filled = _first_filled(columns)
        total = _first(kept & _totals(columns, first_filled))
        if total is not None:
            after = np.flatnonzero(kept)
            late = next((position for position in after[after > total].tolist()
                         if not _is_note(_squeezed(columns[first_filled[position]].cell(position)))),
                        None)
    if overflow is not None and (late is None or overflow[0] <= late):
        position, text = overflow
        raise WenmiError(f"这一行在第{width}列之后还有内容“{text}”，但表头只有{width}列",
                         file=grid.shown, place=at_line(int(numbers[position])),
                         hint='数字中的逗号要加引号，例如 "1,200"；或检查是否多了分隔符')
    if late is not None:
        raise grid.error(int(numbers[late]), None,
                         f"合计行（第{int(numbers[total])}行）之后还有数据行",
                         hint="把这一行移到合计行之前；说明文字请以“备注：”等开头")
    total_row = None
    if total is not None:
        kept[total:] = False
        total_row = (int(numbers[total]), [column.cell(total) for column in columns])
    if kept.all():
        return columns, _kept_numbers(numbers), total_row
    return [column.rows(kept) for column in columns], _kept_numbers(numbers[kept]), total_row


def _kept_numbers(numbers: np.ndarray) -> Sequence[int]:
    """The kept rows' numbers as a ledger holds them: a range when they follow each other
    (a big file without blank rows: no million ints made), else a tuple."""
    if len(numbers) and numbers[-1] - numbers[0] == len(numbers) - 1:
        return range(int(numbers[0]), int(numbers[-1]) + 1)
    return tuple(numbers.tolist())


def _columns(rows: list[list[object]], lengths: np.ndarray, width: int) -> list[_Column]:
    """The rows' cells by column, longer rows cut to `width` and shorter ones padded with None."""
    if (lengths != width).any():
        rows = [row[:width] + [None] * (width - len(row)) for row in rows]
    cells = np.fromiter(itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return [_Column.of(column) for column in cells.reshape(len(rows), width).T]


def _blank_rows(columns: list[_Column]) -> np.ndarray:
    """Whether each row is blank in every column; a column without blanks settles it."""
    blank = columns[0].blank()
    for column in columns[1:]:
        if not blank.any():
            break
        blank = blank & column.blank()
    return blank


def _first_filled(columns: list[_Column]) -> np.ndarray:
    """Each row's first column with any text (0 when none has), asking each column only
    about the rows the columns before it leave open."""
    first = np.zeros(len(columns[0].codes), dtype=int)
    open_rows = ~columns[0].filled()
    for index, column in enumerate(columns[1:], start=1):
        if not open_rows.any():
            break
        found = open_rows & column.filled()
        first[found] = index
        open_rows &= ~found
    return first


def _totals(columns: list[_Column], first_filled: np.ndarray) -> np.ndarray:
    """Whether each row's label — its first cell with any text (`first_filled`: that cell's
    column), without spaces — is a total word (合计…). Only the cells holding 计 can be."""
    totals = np.zeros(len(first_filled), dtype=bool)
    for index in np.flatnonzero(np.bincount(first_filled, minlength=len(columns))).tolist():
        column = columns[index]
        labels = column.codes_containing(TOTAL_CHARACTER)
        if not labels:
            continue
        by_code = np.zeros(len(column.blanks), dtype=bool)
        for code in labels:
            by_code[code] = _squeezed(column.value(code)) in TOTAL_WORDS
        on = first_filled == index
        totals[on] = by_code[column.codes[on]]
    return totals


def _is_note(label: str) -> bool:
    """Whether a row after the total row is a note (填表人：…, 备注：…), not data."""
    return ":" in label or "：" in label


def _overflow(rows: list[list[object]], lengths: np.ndarray,
              width: int) -> tuple[int, str] | None:
    """The first row with a cell beyond the header's width that is not empty: its position and
    that cell's text."""
    for position in np.flatnonzero(lengths > width).tolist():
        text = next(filter(None, (_text(cell).strip() for cell in rows[position][width:])), None)
        if text is not None:
            return position, text
    return None


def _first(marks: np.ndarray) -> int | None:
    """The position of the first true mark, or None."""
    positions = np.flatnonzero(marks)
    return int(positions[0]) if len(positions) else None


# ---------------------------------------------------------------- typing the columns

def _integer(cell: object, column: ColumnSpec) -> float | None:
    number = parse_number(cell)
    if number is not None and not number.is_integer():
        raise ValueError(f"“{_text(cell)}”不是整数")
    return number


def _number(cell: object, column: ColumnSpec) -> float | None:
    return parse_number(cell)


def _date(cell: object, column: ColumnSpec) -> datetime.date | None:
    return parse_date(cell)


def _string(cell: object, column: ColumnSpec) -> str:
    text = _text(cell)
    if (invisible := INVISIBLE.search(text)) is not None:
        raise ValueError(invisible_message(invisible.group()))
    if column.values and text not in column.values:
        raise ValueError(f"“{text}”不是允许的取值（可填：{'、'.join(column.values)}）")
    return text


# column type → (parser of a non-blank cell, raising ValueError with a Chinese reason,
#                numpy dtype of results); blank cells are missing values in every type
_PARSERS = {
    "integer": (_integer, float), "number": (_number, float), "money": (_number, float),
    "percent": (_number, float), "date": (_date, "datetime64[D]"),
    "category": (_string, object), "text": (_string, object),
}


def _typed(cells: _Column, column: ColumnSpec, row_numbers: Sequence[int], grid: _Grid) -> pd.Series:
    """A column parsed as declared, each distinct non-blank cell of its rows once (a cell only
    the total row or a note holds is not data); a bad one is reported at the first row holding
    it, and so is an integer too large for a 64-bit integer."""
    parse, dtype = _PARSERS[column.type]

    def parsed(code: int) -> object:
        try:
            return parse(cells.value(code), column)
        except ValueError as error:
            first = row_numbers[int(np.argmax(cells.codes == code))]
            raise grid.error(first, column.name, str(error)) from None
    values = cells.typed(column.type, column.values, parsed)
    if column.type == "integer":
        beyond = np.abs(values) >= INTEGER_LIMIT          # NaN, a blank, is not
        if beyond.any():
            row = int(np.argmax(beyond))
            raise grid.error(row_numbers[row], column.name,
                             f"“{_text(cells.cell(row))}”太大，不是合理的整数")
        missing = np.isnan(values)       # whole numbers all, once parsed: no cast to check
        return pd.Series(pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing))
    if dtype is object:
        return pd.Series(values, dtype="str")
    return pd.Series(values)


def _check_total(total: tuple[int, list[object]], frame: pd.DataFrame, names: list[str],
                 declared: dict[str, ColumnSpec], grid: _Grid) -> None:
    """Each total the row states for a numeric column must equal the sum of the rows above."""
    number, cells = total
    for index, name in enumerate(names):
        column = declared.get(name)
        if column is None or column.type not in CHECKED_TYPES \
                or _squeezed(cells[index]) in TOTAL_WORDS:   # the label itself
            continue
        stated = _typed(_Column.of(np.array([cells[index]], dtype=object)), column, [number],
                        grid)[0]
        if pd.isna(stated):
            continue
        computed = float(frame[name].sum())
        if abs(float(stated) - computed) > TOTAL_TOLERANCE:
            raise grid.error(number, name,
                             f"合计行写的是{format_number(stated, 2)}，但上面{len(frame)}行相加是"
                             f"{format_number(computed, 2)}",
                             hint="核对合计行和各行数据（合计行只用于核对，不计入汇总）")


RULE_ROWS_SHOWN = 5   # rows named per broken rule; the rest are counted


def _repeated(values: pd.Series, filled: np.ndarray) -> np.ndarray:
    """Whether each filled row repeats the value of a row above it. Numbers that only go up
    (a 序号 column, most often) repeat none, which one comparison shows without hashing."""
    if filled.all() and pd.api.types.is_numeric_dtype(values):
        numbers = values.to_numpy(dtype=float)     # float(a) < float(b) only if a < b
        if (numbers[1:] > numbers[:-1]).all():
            return np.zeros(len(values), dtype=bool)
    return values.duplicated(keep="first").to_numpy(dtype=bool) & filled


def _check_rules(frame: pd.DataFrame, columns: tuple[ColumnSpec, ...], row_numbers: Sequence[int],
                 grid: _Grid, problems: Problems) -> None:
    """The declared column rules: required cells filled, key values unique, numbers in range."""
    for column in columns:
        values = frame[column.name]
        broken: list[tuple[np.ndarray, str]] = []
        filled = values.notna().to_numpy(dtype=bool)
        if column.required:
            broken.append((~filled, "必填，但这一行是空的"))
        if column.unique:
            broken.append((_repeated(values, filled), "应唯一，但与前面的行重复"))
        if column.minimum is not None:
            broken.append((filled & (values < column.minimum).fillna(False).to_numpy(dtype=bool),
                           f"不应小于{format_number(column.minimum, 10)}"))
        if column.maximum is not None:
            broken.append((filled & (values > column.maximum).fillna(False).to_numpy(dtype=bool),
                           f"不应大于{format_number(column.maximum, 10)}"))
        for rows, rule in broken:
            positions = np.flatnonzero(rows)
            for position in positions[:RULE_ROWS_SHOWN]:
                cell = values.iloc[position]
                shown = f"（值为“{_text(cell)}”）" if filled[position] else ""
                problems.error(grid.error(row_numbers[position], column.name, f"{rule}{shown}",
                                          hint=f"列的规则声明于 {column.defined_at}"))
            if len(positions) > RULE_ROWS_SHOWN:
                problems.error(grid.error(row_numbers[positions[RULE_ROWS_SHOWN]], column.name,
                                          f"另有 {len(positions) - RULE_ROWS_SHOWN} 行同样{rule}"))
