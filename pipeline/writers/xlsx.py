"""XLSX: a document's table as a workbook (the 推荐名单汇总表, a 汇总表 of units' returns),
numbers kept as numbers so they can be summed.

The package is written as SpreadsheetML text, part by part, in the schemas' element order
(an OOXML validator and Excel's repair check read them so): a title row merged across
the table, a row per paragraph above the table (a 汇总表's note on who has returned),
merged the same way, a header row, a row per table row. Every text is a shared string, so no cell
text — not even one starting with = + - @ — is ever taken for a formula; those that look
like one also carry Excel's quote prefix, so editing the cell keeps it text. The sheet
prints one page wide on landscape A4, the title and header repeated on every page, with
page numbers at the foot. File properties and entry times come from the document's date:
equal rosters give equal bytes.
"""

from __future__ import annotations

import re

from ..model import Document, FigureText, Paragraph, Table, plain
from ..numbers import format_number
from . import ooxml
from .tables import SERIAL as SERIAL_HEADER
from .text import text_width

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_NAME_LENGTH = 31                             # the most Excel takes
NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")     # characters Excel refuses in one
FORMULA_LIKE = ("=", "+", "-", "@", "\t", "\r")   # what spreadsheets read as the start of a formula

# cell formats (cellXfs), by index
TITLE, HEADER, TEXT, NUMBER, SERIAL, QUOTED, NOTE = range(1, 8)


def write(document: Document) -> bytes:
    """The document's table as an XLSX workbook: title row, a row per paragraph above the
    table, header row, one row per table row (the 推荐名单: one per nominee). Figures are
    stored as numbers with their unit in the header (unless the header names it), text as
    text."""
    position = next(index for index, block in enumerate(document.blocks) if isinstance(block, Table))
    table = document.blocks[position]
    notes = [plain(block.content) for block in document.blocks[:position] if isinstance(block, Paragraph)]
    units = [_unit(table, index) for index in range(len(table.header))]
    header = [f"{name}（{unit}）" if unit and not name.endswith(f"（{unit}）") else name
              for name, unit in zip(table.header, units)]
    rows = [[_value(cell) for cell in row] for row in table.rows]
    strings = _Strings()
    sheet = _sheet(document.title, notes, header, rows, strings)
    name = sheet_name(document)
    stamp = ooxml.document_stamp(document.date)
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELATIONSHIPS,
        "docProps/app.xml": APP_PROPERTIES,
        "docProps/core.xml": CORE_PROPERTIES.format(
            title=ooxml.escape(document.title), author=ooxml.escape(document.issuer),
            stamp=stamp.strftime("%Y-%m-%dT%H:%M:%SZ")),
        "xl/workbook.xml": WORKBOOK.format(sheet=ooxml.escape(name),
                                           quoted=ooxml.escape(name.replace("'", "''")),
                                           header=len(notes) + 2),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELATIONSHIPS,
        "xl/styles.xml": _styles(bool(notes)),
        "xl/theme/theme1.xml": THEME,
        "xl/sharedStrings.xml": strings.xml(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    return ooxml.pack([ooxml.zip_entry(name, (DECLARATION + text).encode("utf-8"))
                       for name, text in parts.items()], stamp)


class _Strings:
    """The shared-strings table: each distinct text once, cells refer to it by index."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.count = 0

    def __call__(self, text: str) -> int:
        self.count += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f"<si>{_text_element(text)}</si>" for text in self.index)
        return f'<sst xmlns="{MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'


def sheet_name(document: Document) -> str:
    """The document's sheet name, else its title as a sheet name: without the characters
    Excel refuses there, at most 31 characters, not starting or ending with an apostrophe."""
    name = NOT_IN_SHEET_NAME.sub("", document.sheet or document.title)[:SHEET_NAME_LENGTH]
    return name.strip("'") or "Sheet1"


def _sheet(title: str, notes: list[str], header: list[str], rows: list[list], strings: _Strings) -> str:
    """The worksheet: frozen under the header, columns as wide as their texts."""
    width = len(header)
    last = _column(width - 1)
    merged = [(1, title, TITLE)] + [(number, note, NOTE) for number, note in enumerate(notes, start=2)]
    tall = ' ht="30" customHeight="1"'      # the title's row
    cells = [f'<row r="{number}"{tall if style == TITLE else ""}>{_cell(f"A{number}", text, style, strings)}'
             + "".join(f'<c r="{_column(i)}{number}" s="{style}"/>' for i in range(1, width)) + "</row>"
             for number, text, style in merged]
    top = len(merged) + 1                   # the header's row
    cells.append(f'<row r="{top}">' + "".join(_cell(f"{_column(i)}{top}", name, HEADER, strings)
                                              for i, name in enumerate(header)) + "</row>")
    styles = [SERIAL if name == SERIAL_HEADER else TEXT for name in header]
    for number, row in enumerate(rows, start=top + 1):
        cells.append(f'<row r="{number}">' + "".join(
            _cell(f"{_column(i)}{number}", value, style, strings)
            for i, (value, style) in enumerate(zip(row, styles))) + "</row>")
    columns = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{_width(texts)}" customWidth="1"/>'
        for i, texts in enumerate(zip(header, *([_shown(value) for value in row] for row in rows))))
    return (f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{last}{len(rows) + top}"/>'
            f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{top}" topLeftCell="A{top + 1}" '
            f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A{top + 1}" '
            f'sqref="A{top + 1}"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="18"/>'
            f'<cols>{columns}</cols><sheetData>{"".join(cells)}</sheetData>'
            f'<mergeCells count="{len(merged)}">'
            + "".join(f'<mergeCell ref="A{number}:{last}{number}"/>' for number, _, _ in merged)
            + "</mergeCells>"
            '<printOptions horizontalCentered="1"/>'
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            '<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>'
            "</worksheet>")


def _cell(place: str, value, style: int, strings: _Strings) -> str:
    """One cell: a number as a number, a text as a shared string (quote-prefixed when it
    looks like a formula), a blank as an empty cell in the row's style."""
    if isinstance(value, (int, float)):
        return f'<c r="{place}" s="{NUMBER if style == TEXT else style}"><v>{value!r}</v></c>'
    if not value:
        return f'<c r="{place}" s="{style}"/>'
    if style == TEXT and value.startswith(FORMULA_LIKE):
        style = QUOTED
    return f'<c r="{place}" s="{style}" t="s"><v>{strings(value)}</v></c>'


def _text_element(text: str) -> str:
    """A shared string's w:t: spaces at either end kept, a carriage return as a reference
    (XML readers turn a literal one into a line feed)."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{ooxml.escape(text).replace(chr(13), '&#13;')}</t>"


def _column(index: int) -> str:
    """The letters of a column from 0: A … Z, AA …"""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _width(texts) -> float:
    """A column's width in Excel's units (the width of a "0" of the default font): a 仿宋
    12 pt character takes about 2.3 of them, and a little room for the borders."""
    return round(2.5 + 2.3 * max(map(text_width, texts)), 1)


def _shown(value) -> str:
    return "" if value is None else str(value)


def _unit(table: Table, index: int) -> str:
    """The unit of a column of figures (万元 shown as 元: the workbook holds plain numbers)."""
    for row in table.rows:
        if row[index] and isinstance(row[index][0], FigureText):
            return row[index][0].figure.unit
    return ""


def _value(cell):
    """A cell's workbook value: a figure's number rounded half-up to its declared decimals
    (a 户均 of 1267.3469… is 1267.35, as the documents round it, in the unit of the
    header), a 序号 as a number, else the text; None for a blank."""
    if cell and isinstance(cell[0], FigureText):
        figure = cell[0].figure
        shown = format_number(figure.value, figure.digits)
        return float(shown) if "." in shown else int(shown)
    text = "".join(span.text for span in cell)
    if text.isascii() and text.isdigit() and not text.startswith("0"):     # not "²" or "１"
        return int(text)
    return text or None


DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.theme+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/></Types>')
ROOT_RELATIONSHIPS = (
    f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>')
WORKBOOK_RELATIONSHIPS = (
    f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId4" Type="{RELATIONSHIPS}/theme" Target="theme/theme1.xml"/>'
    "</Relationships>")
# the title and header rows print on every page (Excel's print titles)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView/></bookViews>'
    '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets>'
    "<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'{quoted}'!$1:${header}"
    "</definedName></definedNames></workbook>")
APP_PROPERTIES = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                  'extended-properties"><Application>Wenmi</Application></Properties>')
CORE_PROPERTIES = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
    "<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
# Fonts: the sheet's default, the title (黑体 16), header (仿宋 12 bold), body (仿宋 12); each
# font's children in the schema's order (b, sz, name, charset). Named styles 名单表头 and
# 名单正文 carry the header's and the body's font and borders.
THIN = '<left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/>'
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="4">'
    '<font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
    '<font><sz val="16"/><name val="黑体"/><charset val="134"/></font>'
    '<font><b/><sz val="12"/><name val="仿宋"/><charset val="134"/></font>'
    '<font><sz val="12"/><name val="仿宋"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    f"<border>{THIN}</border></borders>"
    '<cellStyleXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1"/></cellStyleXfs>'
    "<cellXfs count=\"{count}\">{formats}</cellXfs>"
    '<cellStyles count="3"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    '<cellStyle name="名单表头" xfId="1"/><cellStyle name="名单正文" xfId="2"/></cellStyles>'
    "</styleSheet>")
# The cell formats by index (TITLE, HEADER…): a sheet without a note row lists the first
# seven only, so a roster's workbook keeps the bytes it had before notes were printed.
CELL_FORMATS = (
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center"/></xf>',
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="1" applyFont="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>',
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="2" applyFont="1" applyBorder="1" '
    'applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>',
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="2" applyFont="1" applyBorder="1" '
    'applyAlignment="1"><alignment vertical="center"/></xf>',
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="2" applyFont="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>',
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="2" applyFont="1" applyBorder="1" '
    'applyAlignment="1" quotePrefix="1"><alignment vertical="center" wrapText="1"/></xf>',
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center"/></xf>')


def _styles(notes: bool) -> str:
    formats = CELL_FORMATS if notes else CELL_FORMATS[:NOTE]
    return STYLES.format(count=len(formats), formats="".join(formats))


# The smallest theme a workbook must have (Excel requires the part): colours, fonts and
# the three of each format its schema asks for; the cells name their fonts themselves.
_COLOURS = "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in (
    ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
    ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"),
    ("hlink", "0563C1"), ("folHlink", "954F72")))
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = f'<a:ln w="6350">{_FILL}</a:ln>'
THEME = (
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Wenmi">'
    '<a:themeElements><a:clrScheme name="Wenmi"><a:dk1><a:sysClr val="windowText" lastClr="000000"/>'
    '</a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>' + _COLOURS + "</a:clrScheme>"
    '<a:fontScheme name="Wenmi"><a:majorFont><a:latin typeface="宋体"/><a:ea typeface="宋体"/>'
    '<a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="宋体"/><a:ea typeface="宋体"/>'
    '<a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="Wenmi">'
    f"<a:fillStyleLst>{_FILL * 3}</a:fillStyleLst>"
    f"<a:lnStyleLst>{_LINE * 3}</a:lnStyleLst>"
    f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
    f"<a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>")
