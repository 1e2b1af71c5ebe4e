"""The front of a merged print file in DOCX: a cover, then a 目录 with page numbers.

Each 目录 entry is a document's title, a dot leader and a PAGEREF field to a bookmark on
that title, so the page number is computed from the reader's own layout: LibreOffice does
it on opening, Word and WPS update the fields when they open the file (the package asks
them to). The number written inside each field is the page the title is expected on,
counted here from the text, for a reader that shows fields as last saved. The entries are
not wrapped in a TOC field: LibreOffice shows a TOC field's saved content and leaves the
page numbers inside it as they were written. The front is a section of its own without
page numbers; the documents' pages count from 1.
"""

from __future__ import annotations

import math
import re

from ..model import CONTENTS_HEADING, Bundle, Document, Enumeration, Heading, Paragraph, Table, Text
from . import ooxml
from .text import attachment_lines, enumeration_paragraphs, heading_lead, recipient_line, text_width

LINES_PER_PAGE = 22                  # GB/T 9704: 22 lines of 28 pt in the 225 mm text block
LINE_CHARACTERS = 28                 # 三号 characters a body line holds
TITLE_CHARACTERS = 20                # 二号 characters a title line holds in the same 156 mm
FIRST_LINE_INDENT = 2


def title_bookmark(index: int) -> str:
    """The hidden bookmark (a leading "_" hides it in Word) on document `index`'s title."""
    return f"_TocWenmi{index + 1:04d}"


def estimated_pages(document: Document) -> int:
    """How many pages a document takes, counting lines of 28 characters, 22 a page: the
    number a 目录 shows until the reader computes its own."""
    lines = math.ceil(text_width(document.title) / TITLE_CHARACTERS) + bool(document.subtitle) + 1
    lines += bool(recipient_line(document))
    for block in document.blocks:
        match block:
            case Heading():
                lines += _lines(heading_lead(block) + block.run_in)
            case Paragraph():
                lines += _lines(block.content)
            case Enumeration():
                lines += sum(_lines(content) for content in enumeration_paragraphs(block))
            case Table():
                lines += bool(block.caption) + 1 + len(block.rows)
    names = attachment_lines(document)
    lines += (1 + len(names) if names else 0) + (1 + bool(document.issuer) + bool(document.date)
                                                  if document.issuer or document.date else 0)
    return max(1, math.ceil(lines / LINES_PER_PAGE))


def _lines(content) -> int:
    return max(1, math.ceil((FIRST_LINE_INDENT + text_width("".join(s.text for s in content)))
                            / LINE_CHARACTERS))


def first_pages(bundle: Bundle) -> list[int]:
    """The page each document is expected to start on, the first document's being 1."""
    pages, page = [], 1
    for document in bundle.documents:
        pages.append(page)
        page += estimated_pages(document)
    return pages


def write_front(body, bundle: Bundle, section_properties: str) -> None:
    """The cover page and the 目录 into `body` (docx._Body), closed by a section break whose
    properties are `section_properties` without footers: the front has no page numbers."""
    body.paragraph("封面标题", (Text(bundle.title),))
    for style, text in (("封面副标题", bundle.subtitle), ("封面署名", bundle.issuer),
                        ("封面日期", bundle.date)):
        if text:
            body.paragraph(style, (Text(text),))
    body.paragraph("目录标题", (Text(CONTENTS_HEADING),), new_page=True)
    pages = first_pages(bundle)
    last = len(bundle.documents) - 1
    for index, (document, page) in enumerate(zip(bundle.documents, pages)):
        bookmark = title_bookmark(index)
        entry = (f'<w:hyperlink w:anchor="{bookmark}" w:history="1">'
                 f'<w:r><w:t>{ooxml.escape(document.title)}</w:t></w:r><w:r><w:tab/></w:r>'
                 f'{_page_field(bookmark, page)}</w:hyperlink>')
        section = (f"<w:sectPr>{re.sub(r'<w:footerReference[^>]*/>', '', section_properties)}</w:sectPr>"
                   if index == last else "")
        body.raw_paragraph("目录", entry, section)


def _page_field(bookmark: str, page: int) -> str:
    """A PAGEREF field's runs — begin, instruction, separator, the page shown, end."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{page}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
