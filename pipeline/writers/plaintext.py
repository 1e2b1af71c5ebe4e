"""Plain-text writer: the document as an office pastes it into an OA system's text box.

No markup at all: one paragraph a line, each indented by two ideographic spaces as on paper,
headings with their printed numbers, a table as its caption and then tab-separated rows
(a spreadsheet or an OA table pastes them as cells), the 署名 and date pushed right on a
28-character line. UTF-8 with a byte-order mark and CRLF line ends, which Windows programs
read without asking for the encoding.
"""

from __future__ import annotations

from ..model import Block, Document, Enumeration, Heading, Paragraph, Table, plain
from .text import (
    attachment_label,
    attachment_lines,
    enumeration_paragraphs,
    heading_lead,
    recipient_line,
    signature_indents,
    text_width,
)

INDENT = "\u3000\u3000"              # two ideographic spaces: the first-line indent
LINE_CHARACTERS = 28                 # characters on a printed line, for the 署名 and date


def write(document: Document) -> bytes:
    """The whole document as UTF-8 text with a byte-order mark and Windows line ends."""
    lines = [document.title]
    if document.subtitle:
        lines.append(document.subtitle)
    lines.append("")
    if recipient := recipient_line(document):
        lines.append(recipient)
    for block in document.blocks:
        lines += _block(block)
    if attachments := attachment_lines(document):
        lead_width = "\u3000" * len(attachments[0][0])
        lines.append("")
        lines += [INDENT + (lead or lead_width) + name for lead, name in attachments]
    lines += _signature(document)
    for index, attachment in enumerate(document.attachments):
        lines += ["", attachment_label(document, index), "", attachment.title, ""]
        lines += [line for block in attachment.blocks for line in _block(block)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _block(block: Block) -> list[str]:
    """The lines of one body block."""
    match block:
        case Heading():
            return [INDENT + plain(heading_lead(block) + block.run_in)]
        case Paragraph():
            return [INDENT + plain(block.content)]
        case Enumeration():
            return [INDENT + plain(paragraph) for paragraph in enumeration_paragraphs(block)]
        case Table():
            caption = [plain(block.caption)] if block.caption else []
            rows = [block.header] + [tuple(plain(cell) for cell in row) for row in block.rows]
            return caption + ["\t".join(_cell(text) for text in row) for row in rows]
    raise TypeError(f"unknown block {block!r}")


def _cell(text: str) -> str:
    """A cell on one line: a tab or line break inside it would split the row."""
    return " ".join(text.split())


def _signature(document: Document) -> list[str]:
    """署名 and date after a blank line, placed as on a 28-character printed line."""
    texts = (document.issuer, document.date)
    if not any(texts):
        return []
    lines = [""]
    for text, indent in zip(texts, signature_indents(*texts)):
        if text:
            lead = max(0, round(LINE_CHARACTERS - indent - text_width(text)))
            lines.append("\u3000" * lead + text)
    return lines
