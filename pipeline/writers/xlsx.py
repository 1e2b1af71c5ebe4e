"""XLSX: a document's table as a workbook (the 推荐名单汇总表), numbers kept as numbers so
they can be summed."""

from __future__ import annotations

import io
import re
import zipfile

from ..model import Document, FigureText, Table
from ..numbers import format_number
from . import ooxml
from .text import text_width


def write(document: Document) -> bytes:
    """The document's table as an XLSX workbook: title row, header row, one row per table row
    (the 推荐名单: one per nominee).

    Figures are stored as numbers with their unit in the header, text as text. openpyxl
    lays the sheet out — title, header, the first nominee's row, the named styles, column
    widths, frozen panes, print titles and page — and the other rows are added as
    SpreadsheetML text in the form of that first row (`_more_rows`): openpyxl spends some
    30 µs a cell, a third of a second on a thousand nominees. File properties and zip entry
    times are fixed, so equal rosters give equal bytes. openpyxl is imported here: a batch
    imports it while its workers render the dossiers.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    table = next(block for block in document.blocks if isinstance(block, Table))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "推荐名单"
    width = len(table.header)
    sheet.append([document.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(name="黑体", size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    units = [_unit(table, index) for index in range(width)]
    header = [f"{name}（{unit}）" if unit else name for name, unit in zip(table.header, units)]
    rows = [[_value(cell) for cell in row] for row in table.rows]
    for row in [header, *rows[:1]]:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"      # text, even "=HYPERLINK(…)": never a formula
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    # named styles are registered once; setting fonts and borders cell by cell costs
    # openpyxl a hash of each style object per cell
    for name, bold in (("名单表头", True), ("名单正文", False)):
        workbook.add_named_style(NamedStyle(name=name, font=Font(name="仿宋", size=12, bold=bold),
                                            border=border))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.style = "名单表头" if cell.row == 2 else "名单正文"
    for index in range(width):
        texts = [str(row[index] if row[index] is not None else "") for row in [header, *rows]]
        sheet.column_dimensions[get_column_letter(index + 1)].width = \
            2 + 2 * max(map(text_width, texts))
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    stamp = ooxml.document_stamp(document.date)
    workbook.properties.creator = workbook.properties.lastModifiedBy = document.issuer
    workbook.properties.title = document.title
    workbook.properties.created = workbook.properties.modified = stamp
    saved = io.BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp "modified" with the current time
    ExcelWriter(workbook, zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED)).save()
    package = saved.getvalue()
    with zipfile.ZipFile(io.BytesIO(package)) as written:
        sheet_xml = written.read(SHEET_PART).decode("utf-8")
    return ooxml.repack(package, {SHEET_PART: _more_rows(sheet_xml, rows[1:]).encode("utf-8")},
                        when=stamp)


SHEET_PART = "xl/worksheets/sheet1.xml"
LAST_ROW = re.compile(r'<row r="(\d+)"[^>]*>((?:(?!<row ).)*)</row></sheetData>', re.S)
CELL_STYLE = re.compile(r'<c r="[A-Z]+\d+" s="(\d+)"')


def _more_rows(sheet_xml: str, rows: list[list]) -> str:
    """`rows` appended to the sheet after the last row openpyxl wrote, each cell in the style
    of the cell above it: a number as a number, a text as an inline string (as openpyxl
    writes them), a blank as an empty bordered cell. The sheet's dimension grows to match."""
    from openpyxl.compat.strings import safe_string  # numbers as openpyxl writes them
    from openpyxl.utils import get_column_letter

    if not rows:
        return sheet_xml
    last = LAST_ROW.search(sheet_xml)
    styles = CELL_STYLE.findall(last.group(2))
    first = int(last.group(1)) + 1
    pieces = []
    for number, row in enumerate(rows, start=first):
        pieces.append(f'<row r="{number}">')
        for column, (value, style) in enumerate(zip(row, styles)):
            place = f'r="{get_column_letter(column + 1)}{number}" s="{style}"'
            if isinstance(value, (int, float)):
                pieces.append(f'<c {place} t="n"><v>{safe_string(value)}</v></c>')
            elif value:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                pieces.append(f'<c {place} t="inlineStr"><is><t{space}>{ooxml.escape(value)}</t></is></c>')
            else:
                pieces.append(f"<c {place}/>")
        pieces.append("</row>")
    last_row = first + len(rows) - 1
    sheet_xml = re.sub(r'<dimension ref="A1:([A-Z]+)\d+"/>', rf'<dimension ref="A1:\g<1>{last_row}"/>',
                       sheet_xml, count=1)
    return sheet_xml.replace("</sheetData>", "".join(pieces) + "</sheetData>", 1)


def _unit(table: Table, index: int) -> str:
    """The unit of a column of figures (万元 shown as 元: the workbook holds plain numbers)."""
    for row in table.rows:
        if row[index] and isinstance(row[index][0], FigureText):
            return row[index][0].figure.unit
    return ""


def _value(cell):
    """A cell's workbook value: a figure's number rounded half-up to its declared decimals
    (a 户均 of 1267.3469… is 1267.35, as the documents round it, in the unit of the
    header), a 序号 as a number, else the text."""
    if cell and isinstance(cell[0], FigureText):
        figure = cell[0].figure
        shown = format_number(figure.value, figure.digits)
        return float(shown) if "." in shown else int(shown)
    text = "".join(span.text for span in cell)
    return int(text) if text.isascii() and text.isdigit() and not text.startswith("0") else text
