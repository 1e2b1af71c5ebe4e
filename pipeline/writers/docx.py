"""The DOCX writer: the document model as a GB/T 9704-2012 公文 in named Word styles.

Every paragraph carries one of the named styles in STYLES, so an office can restyle the
whole document in Word or WPS. Direct formatting is kept to what depends on the text: the
right indents of 署名 and date, the 附件说明 alignment, the body text after a run-in
heading, a fallback font for characters outside GB2312, and keep-with-next on blank lines.
Numbers come from GBT9704.md.
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import docx
import docx.document
from docx.enum.section import WD_ORIENT
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Mm, Pt

from ..model import Block, Document, Enumeration, FigureText, Heading, Inlines, Paragraph, Table, Text, plain
from . import ooxml
from .text import (attachment_lines, enumeration_paragraphs, heading_lead, recipient_line,
                   signature_indents, text_width)

BODY_FONT = "仿宋_GB2312"
BODY_SIZE = 16                       # 三号, also the width of one character in indents
EXACT_LINE = Pt(28)                  # 22 lines in the 225 mm text block
TEXT_WIDTH = Mm(156)

# Fonts that cover only GB2312, and the wider font of the same face a rarer character
# (e.g. 鎔 in a name) falls back to.
FALLBACK_FONTS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}

# A table cell holding a bare number ("1,200", "97.5%") is right-aligned like a figure.
NUMBER = re.compile(r"[-+]?\d[\d,]*(\.\d+)?%?")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
UNDATED = datetime.datetime(2000, 1, 1)
# Han characters: the unified ideographs with extension A, the compatibility block and
# the supplementary planes' extensions B and after.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class ParagraphStyle:
    """A named paragraph style; every property is stated so no template default leaks in."""
    name: str
    font: str
    size: float = BODY_SIZE
    bold: bool = False
    alignment: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    first_line: float = 0            # first-line indent in characters
    character_spacing: float = 0     # points; −0.25 fits 28 characters a line
    line_spacing: Length | float = EXACT_LINE   # a Length is exact, a float a multiple
    keep_with_next: bool = False
    outline_level: int | None = None  # 0 = level 1 in the navigation pane


def _heading(name: str, font: str, level: int, bold: bool = False) -> ParagraphStyle:
    """A heading style: placed like body text, in its own font, listed in the outline."""
    return ParagraphStyle(name, font, bold=bold, first_line=2, character_spacing=-0.25,
                          keep_with_next=True, outline_level=level - 1)


STYLES = (
    ParagraphStyle("Normal", BODY_FONT, first_line=2, character_spacing=-0.25),  # 正文
    ParagraphStyle("公文标题", "方正小标宋简体", size=22, alignment=WD_ALIGN_PARAGRAPH.CENTER),
    ParagraphStyle("公文副标题", "楷体_GB2312", alignment=WD_ALIGN_PARAGRAPH.CENTER),
    ParagraphStyle("主送机关", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.LEFT),
    _heading("一级标题", "黑体", 1),
    _heading("二级标题", "楷体_GB2312", 2),
    _heading("三级标题", BODY_FONT, 3, bold=True),
    _heading("四级标题", BODY_FONT, 4),
    ParagraphStyle("表格标题", "黑体", alignment=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True),
    ParagraphStyle("表格文字", BODY_FONT, size=14, alignment=WD_ALIGN_PARAGRAPH.LEFT,
                   line_spacing=1.0),
    ParagraphStyle("附件说明", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True),
    ParagraphStyle("署名", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True),
    ParagraphStyle("成文日期", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.RIGHT),
    ParagraphStyle("页码", "宋体", size=14, alignment=WD_ALIGN_PARAGRAPH.RIGHT, line_spacing=1.0),
)
FONT_OF_STYLE = {style.name: style.font for style in STYLES}
HEADING_STYLES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}


def write(document: Document) -> bytes:
    """The document as DOCX bytes; the same document always gives the same bytes."""
    return _package([document])


def write_merged(documents: Sequence[Document]) -> bytes:
    """Several documents in one file for printing (a batch's dossiers): each starts on a
    new page, and the page numbers run on through all of them, as it is one section.
    The file properties are the first document's."""
    return _package(documents)


@dataclass(frozen=True)
class _Base:
    """What every DOCX shares, made once per process: the python-docx document holding the
    styles and page set-up, its empty body, and every other part already compressed."""
    output: docx.document.Document
    body: object                     # the pristine w:document element, copied per file
    parts: tuple[ooxml.ZipEntry | str, ...]   # compressed parts; names of the per-file ones
    style_ids: dict[str, str]


PER_FILE_PARTS = ("word/document.xml", "docProps/core.xml")


@functools.cache
def _base() -> _Base:
    output = docx.Document()
    _define_styles(output)
    _set_up_page(output)
    saved = io.BytesIO()
    output.save(saved)
    with zipfile.ZipFile(saved) as package:
        parts = tuple(info.filename if info.filename in PER_FILE_PARTS
                      else ooxml.zip_entry(info.filename, package.read(info))
                      for info in package.infolist())
    style_ids = {spec.name: output.styles[spec.name].style_id for spec in STYLES}
    return _Base(output, copy.deepcopy(output.element), parts, style_ids)


def _package(documents: Sequence[Document]) -> bytes:
    """A DOCX of `documents` one after another; only the body and the properties are new."""
    base = _base()
    element = copy.deepcopy(base.body)
    output = docx.document.Document(element, base.output.part)
    if documents[0].landscape:
        _turn_landscape(output.sections[0])
    for index, document in enumerate(documents):
        title_at = len(element.body) - 1          # before the closing w:sectPr
        _add_front_matter(output, document)
        if index:
            element.body[title_at].get_or_add_pPr().pageBreakBefore_val = True
        for block in document.blocks:
            _add_block(output, block)
        _add_attachments(output, document)
        _add_signature(output, document)
    ooxml.bookmark_figure_runs(element)           # found again by `wenmi refresh`
    stamp = _timestamp(documents[0])
    fresh = {"word/document.xml": ooxml.serialize(element),
             "docProps/core.xml": _core_properties(documents[0], stamp)}
    return ooxml.pack([ooxml.zip_entry(part, fresh[part]) if isinstance(part, str) else part
                       for part in base.parts], stamp)


def _turn_landscape(section) -> None:
    """A4 turned across, same margins; the footers (page numbers) stay as they are."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)


def _set_up_page(output) -> None:
    """A4 with the GB/T 9704 margins, page numbers on both odd and even pages."""
    section = output.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)  # puts the page number about 7 mm below the text
    ooxml.remove_doc_grid(section._sectPr)
    output.settings.odd_and_even_pages_header_footer = True
    _add_page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, right=1)
    _add_page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, left=1)


def _add_page_number(footer, alignment: WD_ALIGN_PARAGRAPH, *, left: float = 0,
                     right: float = 0) -> None:
    """A "— 1 —" footer, inset one character (of 14 pt) from the side it sits on."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "页码"
    paragraph.alignment = alignment
    ooxml.set_indents(paragraph._p.get_or_add_pPr(), 14, left=left, right=right)
    paragraph.add_run("— ")
    ooxml.add_page_field(paragraph)
    paragraph.add_run(" —")


def _define_styles(output) -> None:
    """Restyle Normal as the body and add the 公文 styles, all without theme fonts."""
    styles = output.styles
    ooxml.reset_doc_defaults(styles.element, BODY_FONT, BODY_SIZE)
    for spec in STYLES:
        if spec.name in styles:
            style = styles[spec.name]
        else:
            style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True
        style.font.size = Pt(spec.size)
        style.font.bold = spec.bold
        run_properties = style.element.get_or_add_rPr()
        ooxml.set_fonts(run_properties, spec.font)
        ooxml.set_character_spacing(run_properties, spec.character_spacing)
        layout = style.paragraph_format
        layout.alignment = spec.alignment
        layout.space_before = layout.space_after = Pt(0)
        layout.line_spacing = spec.line_spacing
        layout.keep_with_next = spec.keep_with_next
        paragraph_properties = style.element.get_or_add_pPr()
        ooxml.set_indents(paragraph_properties, spec.size, first_line=spec.first_line)
        if spec.outline_level is not None:
            ooxml.set_outline_level(paragraph_properties, spec.outline_level)
    ooxml.strip_theme_fonts(styles.element)


def _add_front_matter(output, document: Document) -> None:
    """Title, subtitle, one blank line, then the 主送 line."""
    _add_paragraph(output, "公文标题", (Text(document.title),))
    if document.subtitle:
        _add_paragraph(output, "公文副标题", (Text(document.subtitle),))
    _add_blank_line(output)
    recipient = recipient_line(document)
    if recipient:
        _add_paragraph(output, "主送机关", (Text(recipient),))


def _add_block(output, block: Block) -> None:
    """One block of the body as one or more paragraphs, or a captioned table."""
    match block:
        case Heading():
            style = HEADING_STYLES[block.level]
            paragraph = _add_paragraph(output, style, heading_lead(block))
            if block.run_in:
                # its body is in the same paragraph: chaining it to the next one would push
                # whole runs of run-in paragraphs to a new page and leave half a page empty
                paragraph.paragraph_format.keep_with_next = False
                _add_runs(paragraph, block.run_in, BODY_FONT, as_body=True)
        case Paragraph():
            _add_paragraph(output, "Normal", block.content)
        case Enumeration():
            for content in enumeration_paragraphs(block):
                _add_paragraph(output, "Normal", content)
        case Table():
            _add_table(output, block)


def _add_blank_line(output) -> None:
    """An empty body line, kept on the page of what it introduces (附件说明, 署名)."""
    _add_paragraph(output, "Normal", ()).paragraph_format.keep_with_next = True


def _add_paragraph(output, style: str, content: Inlines):
    """A paragraph in `style` holding `content`."""
    paragraph = output.add_paragraph()
    paragraph._p.style = _base().style_ids[style]    # python-docx's lookup by name is slow
    _add_runs(paragraph, content, FONT_OF_STYLE[style])
    return paragraph


def _add_runs(paragraph, content: Inlines, font: str, *, as_body: bool = False) -> None:
    """One run per span, so a figure's text is a run of its own (to be bookmarked later).

    Neighbouring plain text is joined, so a heading's number shares its words' run.
    `font` is the East Asian font the runs show in. With `as_body` the runs carry body
    formatting themselves: they continue a run-in heading whose style is the heading's.
    """
    for span in _join_plain_text(content):
        run = paragraph.add_run(span.text)
        if isinstance(span, FigureText):
            ooxml.mark_figure_run(run, span.figure.id)   # bookmarked once the body is done
        bold = isinstance(span, Text) and span.bold
        if as_body:
            ooxml.set_fonts(run._r.get_or_add_rPr(), font)
            run.bold = bold
        elif bold:
            run.bold = True
        if font in FALLBACK_FONTS and not _fits_gb2312(span.text):
            ooxml.set_east_asian_font(run._r.get_or_add_rPr(), FALLBACK_FONTS[font])


def _join_plain_text(content: Inlines) -> list[Text | FigureText]:
    """Neighbouring Text spans of equal weight as one; figure texts stay apart."""
    joined: list[Text | FigureText] = []
    for span in content:
        previous = joined[-1] if joined else None
        if isinstance(span, Text) and isinstance(previous, Text) and previous.bold == span.bold:
            joined[-1] = Text(previous.text + span.text, span.bold)
        else:
            joined.append(span)
    return joined


def _fits_gb2312(text: str) -> bool:
    """Whether a GB2312-only font such as 仿宋_GB2312 can show every Chinese character of `text`.

    Only Han characters are checked: the fonts carry the punctuation, and Python's gb2312
    codec rejects some of it (e.g. "—", which it maps to a neighbouring code point).
    """
    try:
        "".join(HAN.findall(text)).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _add_table(output, table: Table) -> None:
    """Caption above, then a bordered table as wide as the text, its header on every page."""
    if table.caption:                 # a table that is the whole document (a roster) has none
        _add_paragraph(output, "表格标题", table.caption)
    grid = output.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = output.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    section = output.sections[0]
    widths = column_widths(table, section.page_width - section.left_margin - section.right_margin)
    for column, width in zip(grid.columns, widths):
        column.width = width
    for row in grid.rows:
        ooxml.keep_row_together(row)
        for cell, width in zip(row.cells, widths):
            cell.width = width
    ooxml.mark_header_row(grid.rows[0])
    for cell, name in zip(grid.rows[0].cells, table.header):
        _fill_cell(cell, (Text(name, bold=True),), WD_ALIGN_PARAGRAPH.CENTER)
    for row, contents in zip(grid.rows[1:], table.rows):
        for cell, content in zip(row.cells, contents):
            numeric = all(isinstance(span, FigureText) for span in content) \
                or NUMBER.fullmatch(plain(content))
            _fill_cell(cell, content, WD_ALIGN_PARAGRAPH.RIGHT if numeric and content else None)


def column_widths(table: Table, width: int = TEXT_WIDTH) -> list[Length]:
    """Column widths summing to `width` (the text width), each in proportion to its longest text.

    Equal columns would wrap a long row label ("金秋助学资助金额") beside short figures.
    One character is added to every column for the cell's inner margins.
    """
    columns = zip(table.header, *([plain(cell) for cell in row] for row in table.rows))
    needs = [max(map(text_width, texts)) + 1 for texts in columns]
    return [Length(round(width * need / sum(needs))) for need in needs]


def _fill_cell(cell, content: Inlines, alignment: WD_ALIGN_PARAGRAPH | None) -> None:
    """Write `content` into the cell's paragraph in 表格文字, aligned unless None."""
    paragraph = cell.paragraphs[0]
    paragraph._p.style = _base().style_ids["表格文字"]
    if alignment is not None:
        paragraph.alignment = alignment
    _add_runs(paragraph, content, FONT_OF_STYLE["表格文字"])


def _add_attachments(output, document: Document) -> None:
    """附件说明 after a blank line: "附件：1.名称", the next names aligned under the first."""
    lines = attachment_lines(document)
    if not lines:
        return
    _add_blank_line(output)
    name_start = 2 + text_width(lines[0][0])
    for lead, name in lines:
        paragraph = _add_paragraph(output, "附件说明", (Text(lead + name),))
        ooxml.set_indents(paragraph._p.get_or_add_pPr(), BODY_SIZE, left=name_start,
                          hanging=text_width(lead))


def _add_signature(output, document: Document) -> None:
    """署名 and date after a blank line, right-aligned with indents from their widths."""
    if not (document.issuer or document.date):
        return
    _add_blank_line(output)
    issuer_indent, date_indent = signature_indents(document.issuer, document.date)
    for style, text, indent in (("署名", document.issuer, issuer_indent),
                                ("成文日期", document.date, date_indent)):
        if text:
            paragraph = _add_paragraph(output, style, (Text(text),))
            ooxml.set_indents(paragraph._p.get_or_add_pPr(), BODY_SIZE, right=indent)


def _timestamp(document: Document) -> datetime.datetime:
    """The document's own date (a fixed one when it has none), for reproducible files."""
    found = DATE.search(document.date)
    return datetime.datetime(*map(int, found.groups())) if found else UNDATED


def _core_properties(document: Document, stamp: datetime.datetime) -> bytes:
    """File properties a reader sees in Word, none depending on when the file was written."""
    part = CorePropertiesPart.default(None)
    properties = part.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = document.issuer
    properties.comments = "由文秘生成"
    properties.created = properties.modified = stamp
    properties.revision = 1
    return part.blob
