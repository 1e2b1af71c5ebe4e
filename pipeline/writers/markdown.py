"""Markdown writer: the document as plain text with the same words as the DOCX.

Headings keep their printed numbers as text (`## 一、…`, `### （一）…`), so the file reads
right in any viewer and two builds can be diffed line by line. Paragraphs are separated by
blank lines; the lines of the 附件说明 and of the 落款 end in two spaces, the one hard line
break that both CommonMark and Python-Markdown honour. Characters that would turn the
office's text into Markdown structure are escaped.
"""

from __future__ import annotations

import re

from ..model import Document, Enumeration, FigureText, Heading, Inlines, Paragraph, Table
from .text import attachment_label, attachment_lines, enumeration_paragraphs, heading_lead, recipient_line

_HARD_BREAK = "  \n"
_INLINE_MARKS = re.compile(r"([\\`*_\[\]])")              # emphasis, code, links
_HTML_STARTS = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?\w+;)")  # a tag, a comment, an entity
_BLOCK_START = re.compile(r"[#>+\-]|\d+[.)](?=\s|$)")    # headings, quotes, lists


def write(document: Document) -> bytes:
    """The whole document as UTF-8 Markdown, paragraphs separated by blank lines."""
    paragraphs = [f"# {_escape(document.title)}"]
    if document.subtitle:
        paragraphs.append(_paragraph(_escape(document.subtitle)))
    if recipient := recipient_line(document):
        paragraphs.append(_paragraph(_escape(recipient)))
    for block in document.blocks:
        paragraphs.extend(_block(block))
    if attachments := attachment_lines(document):
        indent = "\u3000" * len(attachments[0][0])    # ideographic spaces: width of "附件："
        paragraphs.append(_HARD_BREAK.join(_escape(lead or indent) + _escape(name)
                                           for lead, name in attachments))
    if closing := [_paragraph(_escape(text)) for text in (document.issuer, document.date) if text]:
        paragraphs.append(_HARD_BREAK.join(closing))
    for index, attachment in enumerate(document.attachments):
        paragraphs += [_paragraph(attachment_label(document, index)), f"# {_escape(attachment.title)}"]
        paragraphs += [text for block in attachment.blocks for text in _block(block)]
    return ("\n\n".join(paragraphs) + "\n").encode("utf-8")


def _block(block: Heading | Paragraph | Enumeration | Table) -> list[str]:
    """The Markdown paragraphs of one body block."""
    match block:
        case Heading(run_in=()):
            return ["#" * (block.level + 1) + " " + _inline(heading_lead(block))]
        case Heading():
            lead = _inline(heading_lead(block), bold_marks=False)
            return [f"**{lead}**{_inline(block.run_in)}"]
        case Paragraph():
            return [_paragraph(_inline(block.content))]
        case Enumeration():
            return [_paragraph(_inline(paragraph)) for paragraph in enumeration_paragraphs(block)]
        case Table():
            caption = [f"**{_inline(block.caption, bold_marks=False)}**"] if block.caption else []
            return caption + [_table(block)]     # an empty "****" would be a horizontal rule
    raise TypeError(f"unknown block {block!r}")


def _table(table: Table) -> str:
    """A pipe table; a "|" inside a cell is escaped so it does not split the cell."""
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", r"\|").replace("\n", " ")
                                 for cell in cells) + " |"
    lines = [row([_escape(name) for name in table.header]),
             row(["---"] * len(table.header))]
    lines += [row([_inline(cell) for cell in cells]) for cells in table.rows]
    return "\n".join(lines)


def _inline(content: Inlines, bold_marks: bool = True) -> str:
    """Escaped running text; bold spans in **…** unless the whole run is already bold."""
    parts = []
    for span in content:
        text = _escape(span.text)
        bold = bold_marks and not isinstance(span, FigureText) and span.bold
        parts.append(f"**{text}**" if bold else text)
    return "".join(parts)


def _escape(text: str) -> str:
    """Text with the characters that start emphasis, code or links backslash-escaped, and
    those that would start raw HTML ("<script>", "&amp;") written as entities: a viewer
    shows the office's text, and runs none of it."""
    text = _HTML_STARTS.sub(lambda found: "&lt;" if found.group() == "<" else "&amp;", text)
    return _INLINE_MARKS.sub(r"\\\1", text)


def _paragraph(text: str) -> str:
    """A paragraph that cannot be mistaken for a heading, quote or list item."""
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    end = match.end()
    return f"{text[:end - 1]}\\{text[end - 1:]}"
