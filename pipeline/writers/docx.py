"""The DOCX writer: the document model as a GB/T 9704-2012 公文 in named Word styles.

Every paragraph carries one of the named styles in STYLES, so an office can restyle the
whole document in Word or WPS. Direct formatting is kept to what depends on the text: the
right indents of 署名 and date, the 附件说明 alignment, the body text after a run-in
heading, a fallback font for characters outside GB2312, and keep-with-next on blank lines.
Numbers come from GBT9704.md. python-docx makes the parts every file shares once per
process; each body is written as WordprocessingML text (`_Body`).
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from ..figures import figure_bookmark_name
from ..typography import WORD_JOINER, bound, title_lines
from ..model import (
    Block,
    Bundle,
    Document,
    Enumeration,
    FigureText,
    Heading,
    Inlines,
    Paragraph,
    Table,
    Text,
)
from . import ooxml
from .bundle import title_bookmark, write_front
from .tables import SERIAL, is_number, table_layout
from .text import (
    attachment_label,
    attachment_lines,
    enumeration_paragraphs,
    heading_lead,
    recipient_line,
    signature_indents,
    text_width,
)

BODY_FONT = "仿宋_GB2312"
BODY_SIZE = 16                       # 三号, also the width of one character in indents
TITLE_SIZE = 22                      # 二号
EXACT_LINE = Pt(28)                  # 22 lines in the 225 mm text block
TEXT_WIDTH = Mm(156)

# Fonts that cover only GB2312, and the wider font of the same face a rarer character
# (e.g. 鎔 in a name) falls back to.
FALLBACK_FONTS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}

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
    space_before: float = 0          # points
    space_after: float = 0
    dot_leader_tab: bool = False     # a right tab at the text's edge, led by dots (目录)


def _heading(name: str, font: str, level: int, bold: bool = False) -> ParagraphStyle:
    """A heading style: placed like body text, in its own font, listed in the outline."""
    return ParagraphStyle(name, font, bold=bold, first_line=2, character_spacing=-0.25,
                          keep_with_next=True, outline_level=level - 1)


STYLES = (
    ParagraphStyle("Normal", BODY_FONT, first_line=2, character_spacing=-0.25),  # 正文
    ParagraphStyle("公文标题", "方正小标宋简体", size=TITLE_SIZE, alignment=WD_ALIGN_PARAGRAPH.CENTER),
    ParagraphStyle("公文副标题", "楷体_GB2312", alignment=WD_ALIGN_PARAGRAPH.CENTER),
    ParagraphStyle("主送机关", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.LEFT),
    _heading("一级标题", "黑体", 1),
    _heading("二级标题", "楷体_GB2312", 2),
    _heading("三级标题", BODY_FONT, 3, bold=True),
    _heading("四级标题", BODY_FONT, 4),
    ParagraphStyle("表格标题", "黑体", alignment=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True),
    # table text: a line of the size and one point, so rows stay compact inside their 1 mm
    # cell margins; 小四 and 五号 for a table too wide for 四号 (writers/tables.py)
    ParagraphStyle("表格文字", BODY_FONT, size=14, alignment=WD_ALIGN_PARAGRAPH.LEFT,
                   line_spacing=Pt(15)),
    ParagraphStyle("表格文字（小四）", BODY_FONT, size=12, alignment=WD_ALIGN_PARAGRAPH.LEFT,
                   line_spacing=Pt(13)),
    ParagraphStyle("表格文字（五号）", BODY_FONT, size=10.5, alignment=WD_ALIGN_PARAGRAPH.LEFT,
                   line_spacing=Pt(11.5)),
    ParagraphStyle("附件说明", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True),
    ParagraphStyle("署名", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True),
    ParagraphStyle("成文日期", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.RIGHT),
    ParagraphStyle("附件标签", "黑体", alignment=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True),
    ParagraphStyle("页码", "宋体", size=14, alignment=WD_ALIGN_PARAGRAPH.RIGHT, line_spacing=1.0),
    # a merged print file's cover and 目录 (writers/bundle.py)
    ParagraphStyle("封面标题", "方正小标宋简体", size=26, alignment=WD_ALIGN_PARAGRAPH.CENTER,
                   line_spacing=Pt(40), space_before=6 * 28),
    ParagraphStyle("封面副标题", "楷体_GB2312", alignment=WD_ALIGN_PARAGRAPH.CENTER, space_before=14),
    ParagraphStyle("封面署名", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.CENTER, space_before=8 * 28),
    ParagraphStyle("封面日期", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.CENTER),
    ParagraphStyle("目录标题", "方正小标宋简体", size=22, alignment=WD_ALIGN_PARAGRAPH.CENTER,
                   space_after=28),
    ParagraphStyle("目录", BODY_FONT, alignment=WD_ALIGN_PARAGRAPH.LEFT, dot_leader_tab=True),
)
FONT_OF_STYLE = {style.name: style.font for style in STYLES}
TABLE_TEXT_STYLES = {14: "表格文字", 12: "表格文字（小四）", 10.5: "表格文字（五号）"}   # by size
HEADING_STYLES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}


def write(document: Document | Bundle) -> bytes:
    """The document as DOCX bytes; the same document always gives the same bytes. A bundle
    (a batch's merged print file) is its documents one after another, each starting on a
    new page, the page numbers running on through all of them as it is one section; a
    bundle with a title has a cover and a 目录 before them (writers/bundle.py). The file
    properties are the first document's."""
    if isinstance(document, Bundle):
        return _package(document.documents, document if document.title else None)
    return _package((document,))


@dataclass(frozen=True)
class _Base:
    """What every DOCX shares, made once per process with python-docx: the styles, page
    set-up and footers as already compressed parts, and document.xml around its body."""
    parts: tuple[ooxml.ZipEntry | str, ...]   # compressed parts; names of the per-file ones
    head: str                                 # document.xml up to and with <w:body>
    tails: dict[bool, str]                    # the w:sectPr and closing tags, by landscape
    text_widths: dict[bool, Length]           # between the margins, by landscape
    style_ids: dict[str, str]                 # style name → w:styleId
    settings: bytes                           # word/settings.xml, for a file that changes it


PER_FILE_PARTS = ("word/document.xml", "docProps/core.xml")
SETTINGS_PART = "word/settings.xml"
SECTION = re.compile(r"<w:sectPr[^>]*>(.*)</w:sectPr>", re.S)


@functools.cache
def _base() -> _Base:
    output = docx.Document()
    _trim_template(output)
    _define_styles(output)
    _set_up_page(output)
    saved = io.BytesIO()
    output.save(saved)
    with zipfile.ZipFile(saved) as package:
        parts = tuple(info.filename if info.filename in PER_FILE_PARTS
                      else ooxml.zip_entry(info.filename, package.read(info))
                      for info in package.infolist())
        settings = package.read(SETTINGS_PART)
    tails, widths = {}, {}
    for landscape in (False, True):
        section = output.sections[0]
        if landscape:
            _turn_landscape(section)
        head, body, tails[landscape] = ooxml.serialize(output.element).decode().partition("<w:body>")
        widths[landscape] = section.page_width - section.left_margin - section.right_margin
    style_ids = {name: output.styles[name].style_id
                 for name in (*(spec.name for spec in STYLES), "Table Grid")}
    return _Base(parts, head + body, tails, widths, style_ids, settings)


def _package(documents: Sequence[Document], bundle: Bundle | None = None) -> bytes:
    """A DOCX of `documents` one after another, after the cover and 目录 of `bundle`; only
    the body and the properties are new (and the settings of a file with a 目录)."""
    base = _base()
    landscape = documents[0].landscape
    body = _Body(base.style_ids, base.text_widths[landscape])
    tail = base.tails[landscape]
    if bundle:
        write_front(body, bundle, SECTION.search(tail).group(1))
        tail = tail.replace("<w:cols", '<w:pgNumType w:start="1"/><w:cols', 1)
    for index, document in enumerate(documents):
        body.front_matter(document, new_page=index > 0,
                          bookmark=title_bookmark(index) if bundle else "")
        # the last lines of text go to a new page with the 附件说明 or 署名 and date after them
        closed = bool(document.attachments or document.issuer or document.date)
        for position, block in enumerate(document.blocks, start=1):
            body.block(block, last=closed and position == len(document.blocks))
        body.attachments(document)
        body.signature(document)
        body.attachment_pages(document)
    stamp = ooxml.document_stamp(documents[0].date)
    fresh = {"word/document.xml": (base.head + body.xml() + tail).encode("utf-8"),
             "docProps/core.xml": _core_properties(documents[0], stamp)}
    if bundle:      # Word and WPS offer to update the 目录's page numbers on opening
        fresh[SETTINGS_PART] = base.settings.replace(b"<w:compat>", b'<w:updateFields w:val="true"/><w:compat>', 1)
    return ooxml.pack([ooxml.zip_entry(part, fresh[part]) if isinstance(part, str)
                       else ooxml.zip_entry(part.name, fresh[part.name]) if part.name in fresh else part
                       for part in base.parts], stamp)


# Parts of python-docx's template a 公文 does not need: Word 2010's copy of the styles, the
# template's own preview picture (shown by file managers as if it were this document), an
# empty bibliography and web-page settings. Without them a dossier is 12 KB, not 39 KB.
UNNEEDED_PARTS = ("stylesWithEffects", "thumbnail", "customXml", "webSettings")
KEPT_TABLE_STYLES = ("Normal Table", "Table Grid")


def _trim_template(output) -> None:
    """Drop the unneeded parts (python-docx saves only parts still related) and the
    template's hundred table styles other than the two the writer uses; Word and WPS offer
    their built-in table styles anyway. Theme fonts, where a user's new style still uses
    them, resolve for Chinese rather than Japanese."""
    for relationships in (output.part.rels, output.part.package.rels):
        for key, relationship in list(relationships.items()):
            if relationship.reltype.rsplit("/", 1)[-1] in UNNEEDED_PARTS:
                del relationships[key]
    styles = output.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and \
                style.find(qn("w:name")).get(qn("w:val")) not in KEPT_TABLE_STYLES:
            styles.remove(style)
    output.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")


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
        layout.space_before, layout.space_after = Pt(spec.space_before), Pt(spec.space_after)
        layout.line_spacing = spec.line_spacing
        layout.keep_with_next = spec.keep_with_next
        if spec.dot_leader_tab:
            layout.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph_properties = style.element.get_or_add_pPr()
        ooxml.set_indents(paragraph_properties, spec.size, first_line=spec.first_line)
        if spec.outline_level is not None:
            ooxml.set_outline_level(paragraph_properties, spec.outline_level)
    ooxml.strip_theme_fonts(styles.element)


# A table's properties: the grid style, centred, fixed column widths, cell margins of 1 mm
# all round (python-docx's tblLook).
TABLE_PROPERTIES = (
    '<w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:type="auto" w:w="0"/>'
    '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
    '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
    '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
    '<w:tblLook w:firstColumn="1" '
    'w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" '
    'w:val="04A0"/></w:tblPr>')
BREAKS = re.compile(r"(\t|\r\n|\r|\n)")     # written as w:tab and w:br, as Word does


class _Body:
    """A document body being written as WordprocessingML text.

    Writing the markup directly, not through python-docx objects (one per paragraph, run,
    row and cell), is what makes a batch of a thousand dossiers quick: about 0.3 ms a
    dossier instead of 4 ms. Each figure's run is wrapped in a bookmark naming it and its
    citation's number (filled by the numbering transform), found again by `wenmi refresh`.
    """

    def __init__(self, style_ids: dict[str, str], text_width: Length):
        self.style_ids = style_ids
        self.text_width = text_width
        self.pieces: list[str] = []
        self.bookmarks = 0

    def xml(self) -> str:
        return "".join(self.pieces)

    def paragraph(self, style: str, content: Inlines = (), *, keep_with_next: bool | None = None,
                  new_page: bool = False, indent: str = "", alignment: str | None = None,
                  run_in: Inlines = (), bind_numbers: bool = True, widow_control: bool = False,
                  bookmark: str = "") -> None:
        """A paragraph in `style` holding `content`, then `run_in` in body formatting; its
        text in the bookmark `bookmark` when one is named.

        The other arguments are direct formatting over the style's: keep-with-next on or
        off, a page break before, widow control (at least two lines go to a new page), a
        w:ind element and a w:jc value; and whether numbers are bound to their units (not
        in a title already broken into lines).
        """
        properties = f'<w:pStyle w:val="{self.style_ids[style]}"/>'
        if keep_with_next is not None:
            properties += "<w:keepNext/>" if keep_with_next else '<w:keepNext w:val="0"/>'
        if new_page:
            properties += "<w:pageBreakBefore/>"
        if widow_control:
            properties += "<w:widowControl/>"
        properties += indent
        if alignment:
            properties += f'<w:jc w:val="{alignment}"/>'
        self.pieces.append(f"<w:p><w:pPr>{properties}</w:pPr>")
        if bookmark:
            self.pieces.append(f'<w:bookmarkStart w:id="{self.bookmarks}" w:name="{bookmark}"/>')
        if bind_numbers:
            content, run_in = _bound(content, run_in)
        self._runs(content, FONT_OF_STYLE[style])
        if run_in:
            # continues a run-in heading, whose style is the heading's: the runs carry the
            # body's font and weight themselves
            self._runs(run_in, BODY_FONT, as_body=True)
        if bookmark:
            self.pieces.append(f'<w:bookmarkEnd w:id="{self.bookmarks}"/>')
            self.bookmarks += 1
        self.pieces.append("</w:p>")

    def raw_paragraph(self, style: str, runs: str, section: str = "") -> None:
        """A paragraph in `style` of runs already written as WordprocessingML (fields,
        hyperlinks), ending a section when `section` (a w:sectPr) is given."""
        self.pieces.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style_ids[style]}"/>{section}'
                           f"</w:pPr>{runs}</w:p>")

    def _runs(self, content: Inlines, font: str, *, as_body: bool = False) -> None:
        """One run per span, so a figure's text is a run of its own (in its bookmark).
        Neighbouring plain text is joined, so a heading's number shares its words' run.
        `font` is the East Asian font the runs show in."""
        for span in _join_plain_text(content):
            east_asian = font
            if font in FALLBACK_FONTS and not _fits_gb2312(span.text):
                east_asian = FALLBACK_FONTS[font]
            bold = isinstance(span, Text) and span.bold
            properties = ""
            if as_body:
                properties = (f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" '
                              f'w:eastAsia="{east_asian}" w:cs="{font}"/>')
                properties += "<w:b/>" if bold else '<w:b w:val="0"/>'
            else:
                if east_asian != font:
                    properties = f'<w:rFonts w:eastAsia="{east_asian}"/>'
                if bold:
                    properties += "<w:b/>"
            run = f"<w:r><w:rPr>{properties}</w:rPr>" if properties else "<w:r>"
            run += _run_text(span.text) + "</w:r>"
            if isinstance(span, FigureText):
                name = figure_bookmark_name(span.figure.id, span.occurrence)
                run = (f'<w:bookmarkStart w:id="{self.bookmarks}" w:name="{name}"/>{run}'
                       f'<w:bookmarkEnd w:id="{self.bookmarks}"/>')
                self.bookmarks += 1
            self.pieces.append(run)

    def front_matter(self, document: Document, new_page: bool, bookmark: str = "") -> None:
        """Title (in `bookmark`, when named), subtitle, one blank line, then the 主送 line."""
        self.title(document.title, new_page=new_page, bookmark=bookmark)
        if document.subtitle:
            self.paragraph("公文副标题", (Text(document.subtitle),))
        self.blank_line()
        recipient = recipient_line(document)
        if recipient:
            self.paragraph("主送机关", (Text(recipient),))

    def title(self, title: str, new_page: bool = False, bookmark: str = "") -> None:
        """A title centred in lines broken between its phrases (typography.title_lines), in
        the bookmark `bookmark` when one is named (a 目录 points at it)."""
        lines = title_lines(title, Length(self.text_width).pt / TITLE_SIZE)
        self.paragraph("公文标题", (Text("\n".join(lines)),), new_page=new_page, bind_numbers=False,
                       bookmark=bookmark)

    def blank_line(self) -> None:
        """An empty body line, kept on the page of what it introduces (附件说明, 署名)."""
        self.paragraph("Normal", keep_with_next=True)

    def block(self, block: Block, last: bool = False) -> None:
        """One block of the body as one or more paragraphs, or a captioned table. The `last`
        block's end is kept with what follows it, so a 署名 and date never stand alone on
        a page: its last paragraph (or table row) is kept with the next, at least two
        lines of it."""
        keep = True if last else None
        match block:
            case Heading():
                # a run-in heading's body is in the same paragraph: chaining it to the next
                # one would push whole runs of them to a new page and leave half a page empty
                self.paragraph(HEADING_STYLES[block.level], heading_lead(block),
                               keep_with_next=keep or (False if block.run_in else None),
                               run_in=block.run_in, widow_control=last)
            case Paragraph():
                self.paragraph("Normal", block.content, keep_with_next=keep, widow_control=last)
            case Enumeration():
                contents = enumeration_paragraphs(block)
                for position, content in enumerate(contents, start=1):
                    ending = last and position == len(contents)
                    self.paragraph("Normal", content, keep_with_next=ending or None, widow_control=ending)
            case Table():
                self.table(block, keep_last_row=last)

    def table(self, table: Table, keep_last_row: bool = False) -> None:
        """Caption above, then a bordered table as wide as the text, its header row repeated
        on every page, no row broken across pages, columns and text size fitted to the texts
        (writers/tables.py); the last row kept with what follows when `keep_last_row`."""
        if table.caption:             # a table that is the whole document (a roster) has none
            self.paragraph("表格标题", table.caption)
        layout = table_layout(table, self.text_width)
        style = TABLE_TEXT_STYLES[layout.size]
        widths = [width.twips for width in layout.widths]
        self.pieces.append("<w:tbl>" + TABLE_PROPERTIES.format(style=self.style_ids["Table Grid"])
                           + "<w:tblGrid>")
        self.pieces.extend(f'<w:gridCol w:w="{width}"/>' for width in widths)
        self.pieces.append("</w:tblGrid>")
        centred = [header == SERIAL for header in table.header]
        self._row([(Text(name, bold=True),) for name in table.header], widths, style,
                  [True] * len(widths), header=True)
        for position, contents in enumerate(table.rows, start=1):
            self._row(contents, widths, style, centred,
                      keep_with_next=keep_last_row and position == len(table.rows))
        self.pieces.append("</w:tbl>")

    def _row(self, contents: Sequence[Inlines], widths: list[int], style: str,
             centred: list[bool], header: bool = False, keep_with_next: bool = False) -> None:
        """A table row of cells in `style`, vertically centred: the `centred` columns (all
        of the header, 序号) centred, cells holding a figure or a bare number right-aligned."""
        self.pieces.append("<w:tr><w:trPr><w:cantSplit/>"
                           + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        for content, width, centre in zip(contents, widths, centred):
            if centre:
                alignment = "center"
            elif is_number(content):
                alignment = "right"
            else:
                alignment = None
            self.pieces.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>'
                               '<w:vAlign w:val="center"/></w:tcPr>')
            self.paragraph(style, content, alignment=alignment, keep_with_next=keep_with_next or None)
            self.pieces.append("</w:tc>")
        self.pieces.append("</w:tr>")

    def attachments(self, document: Document) -> None:
        """附件说明 after a blank line: "附件：1.名称", the next names aligned under the first."""
        lines = attachment_lines(document)
        if not lines:
            return
        self.blank_line()
        name_start = 2 + text_width(lines[0][0])
        for lead, name in lines:
            self.paragraph("附件说明", (Text(lead + name),), indent=ooxml.indent_xml(
                BODY_SIZE, left=name_start, hanging=text_width(lead)))

    def signature(self, document: Document) -> None:
        """署名 and date after a blank line, right-aligned with indents from their widths."""
        if not (document.issuer or document.date):
            return
        self.blank_line()
        issuer_indent, date_indent = signature_indents(document.issuer, document.date)
        for style, text, indent in (("署名", document.issuer, issuer_indent),
                                    ("成文日期", document.date, date_indent)):
            if text:
                self.paragraph(style, (Text(text),),
                               indent=ooxml.indent_xml(BODY_SIZE, right=indent))


    def attachment_pages(self, document: Document) -> None:
        """Each attachment on a new page (GB/T 9704): "附件" and its number in 黑体 at the top
        left, its title centred on the third line, then its blocks."""
        for index, attachment in enumerate(document.attachments):
            self.paragraph("附件标签", (Text(attachment_label(document, index)),), new_page=True)
            self.blank_line()
            self.title(attachment.title)
            self.blank_line()
            for block in attachment.blocks:
                self.block(block)


def _bound(*contents: Inlines) -> list[Inlines]:
    """The contents of one paragraph with its numbers bound to their units (no line break
    between "2000" and "元", nor inside "万元")."""
    spans = [span for content in contents for span in content]
    texts = [span.text for span in spans]
    joined = bound(texts)
    if joined is texts:                 # no number with a unit
        return list(contents)
    texts = iter(joined)
    return [tuple(span if text == span.text else _with_text(span, text)
                  for span, text in zip(content, texts)) for content in contents]


def _with_text(span: Text | FigureText, text: str) -> Text | FigureText:
    """The span with other text, built directly (dataclasses.replace costs ten times more)."""
    if type(span) is Text:
        return Text(text, span.bold)
    return FigureText(text, span.figure, span.occurrence)


def _run_text(text: str) -> str:
    """A run's content: w:t pieces, with tabs and line breaks as w:tab and w:br."""
    pieces = []
    for piece in BREAKS.split(text):
        if piece == "\t":
            pieces.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            pieces.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            pieces.append(f"<w:t{space}>{ooxml.escape(piece)}</w:t>")
    return "".join(pieces)


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
    # the whole text, without the joiners that bind numbers to units, is the quick try
    for candidate in (text.replace(WORD_JOINER, ""), "".join(HAN.findall(text))):
        try:
            candidate.encode("gb2312")
            return True
        except UnicodeEncodeError:
            pass
    return False


CORE_PROPERTIES = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
    "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:description>由文秘生成</dc:description>"
    "<cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
    "</cp:coreProperties>")


def _core_properties(document: Document, stamp: datetime.datetime) -> bytes:
    """File properties a reader sees in Word, none depending on when the file was written."""
    return CORE_PROPERTIES.format(title=ooxml.escape(document.title),
                                  author=ooxml.escape(document.issuer),
                                  stamp=stamp.strftime("%Y-%m-%dT%H:%M:%SZ")).encode("utf-8")
