"""Text-level rules every writer shares, so DOCX, HTML and Markdown carry the same words.

Writers differ in markup, never in wording: the 主送 colon, the 附件说明 lines and the
"一是……二是……" paragraphs are decided here once.
"""

from __future__ import annotations

from ..model import Block, Document, Enumeration, Heading, Inlines, Paragraph, Table, Text


def recipient_line(document: Document) -> str:
    """The 主送 line, ending with a full-width colon; empty when there is no recipient."""
    name = document.recipient.strip().rstrip(":：")
    return f"{name}：" if name else ""


def attachment_lines(document: Document) -> list[tuple[str, str]]:
    """The 附件说明 as (lead, text) pairs: lead is "附件：" on the first line and "" after.

    One attachment is printed without a number ("附件：名称"); several are numbered
    ("附件：1.名称", then "2.名称" aligned under the first name). No final punctuation.
    """
    names = [attachment.title.strip().rstrip("。.；;，,") for attachment in document.attachments]
    if len(names) == 1:
        return [("附件：", names[0])]
    return [("附件：" if i == 0 else "", f"{i + 1}.{name}") for i, name in enumerate(names)]


def attachment_label(document: Document, index: int) -> str:
    """The label at the top left of an attachment's first page: "附件" alone when there is
    one, "附件1", "附件2"… when there are several, as the 附件说明 numbers them."""
    return "附件" if len(document.attachments) == 1 else f"附件{index + 1}"


def enumeration_paragraphs(enumeration: Enumeration) -> list[Inlines]:
    """The paragraphs an enumeration prints as: one per item, or one for all when merged."""
    labelled = [(Text(label),) + item for label, item in zip(enumeration.labels, enumeration.items)]
    if not enumeration.merged:
        return labelled
    return [enumeration.lead + tuple(span for item in labelled for span in item)]


def heading_lead(heading: Heading) -> Inlines:
    """The heading's own words with its number in front: "（一）" + "健全组织体系"."""
    return (Text(heading.label),) + heading.content if heading.label else heading.content


def reading_order(document: Document) -> list[Inlines]:
    """The document's paragraphs in reading order, as the writers print them; a table
    gives its caption and then one paragraph per row, cells joined by " | ". What the
    manifest records and `wenmi diff` compares."""
    found: list[Inlines] = [(Text(document.title),)]
    found += [(Text(text),) for text in (document.subtitle, recipient_line(document)) if text]
    found += _block_order(document.blocks)
    found += [(Text(lead + name),) for lead, name in attachment_lines(document)]
    found += [(Text(text),) for text in (document.issuer, document.date) if text]
    for index, attachment in enumerate(document.attachments):
        found += [(Text(attachment_label(document, index)),), (Text(attachment.title),)]
        found += _block_order(attachment.blocks)
    return found


def _block_order(blocks: tuple[Block, ...]) -> list[Inlines]:
    """The paragraphs of body blocks in reading order, as `reading_order` counts them."""
    found: list[Inlines] = []
    for block in blocks:
        match block:
            case Heading():
                found.append(heading_lead(block) + block.run_in)
            case Paragraph():
                found.append(block.content)
            case Enumeration():
                found += enumeration_paragraphs(block)
            case Table():
                found.append(block.caption)
                for row in (tuple((Text(name),) for name in block.header), *block.rows):
                    cells = [span for index, cell in enumerate(row)
                             for span in ((Text(" | "),) if index else ()) + cell]
                    found.append(tuple(cells))
    return found


def text_width(text: str) -> float:
    """Width in characters of the body font: 1 for a Chinese character, ½ for ASCII."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def signature_indents(issuer: str, date: str) -> tuple[float, float]:
    """Right indents in characters of the 署名 line and the date line (no seal).

    GB/T 9704: the 署名 sits 2 characters from the right edge and the date starts 2
    characters right of where the 署名 starts; a date too wide for that sits 2 characters
    from the right instead and pushes the 署名 left, to start 2 characters before the date.
    """
    date_indent = max(2.0, text_width(issuer) - text_width(date))
    return date_indent + text_width(date) + 2 - text_width(issuer), date_indent
