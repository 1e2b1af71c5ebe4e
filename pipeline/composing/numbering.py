"""The numbering transform: fills heading and enumeration labels in a document, and numbers
its figure citations.

Authors never type section numbers; this one pure function adds them, so inserting a
section renumbers everything after it. Writers only print the labels. Each citation of a
figure gets its number among that figure's citations in the file, in reading order: the
DOCX writer names the citation's bookmark by it and the manifest records it, so the two
agree because neither counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ..model import Block, Document, Enumeration, FigureText, Heading, Inlines, NumberingStyle, Paragraph, Table
from ..numbers import chinese_numeral


def heading_label(level: int, number: int, level3_mark: str = ".") -> str:
    """一、 （一） 1. （1）: the GB/T 9704 markers, full-width where the rules say so."""
    if level == 1:
        return f"{chinese_numeral(number)}、"
    if level == 2:
        return f"（{chinese_numeral(number)}）"
    if level == 3:
        return f"{number}{level3_mark}"
    return f"（{number}）"


def enumeration_labels(count: int, numbered: bool) -> tuple[str, ...]:
    """一是 二是 … for a plain list; （1） （2） … for a numbered one."""
    if numbered:
        return tuple(f"（{n}）" for n in range(1, count + 1))
    return tuple(f"{chinese_numeral(n)}是" for n in range(1, count + 1))


def number(document: Document) -> Document:
    """The document with every label filled in, in its body and in each attachment (an
    attachment is numbered as a body of its own, from 一、 again)."""
    attachments = tuple(replace(attachment, blocks=number_blocks(attachment.blocks, document.numbering))
                        for attachment in document.attachments)
    return cite([replace(document, blocks=number_blocks(document.blocks, document.numbering),
                         attachments=attachments)])[0]


def number_blocks(blocks: tuple[Block, ...], style: NumberingStyle) -> tuple[Block, ...]:
    """The blocks with their labels filled in.

    Each level counts within its parent: a new level-1 heading restarts levels 2–4, and so
    on down. With `continuous_level3` (工作要点) level 3 never restarts. A level may be
    skipped (一、 followed directly by 1.): the deeper counter simply starts at 1.
    """
    counters = [0, 0, 0, 0]
    numbered = []
    for block in blocks:
        if isinstance(block, Heading):
            index = block.level - 1
            counters[index] += 1
            for deeper in range(index + 1, 4):
                if not (deeper == 2 and style.continuous_level3):
                    counters[deeper] = 0
            block = replace(block, label=heading_label(block.level, counters[index],
                                                       style.level3_mark))
        elif isinstance(block, Enumeration):
            block = replace(block, labels=enumeration_labels(len(block.items), block.numbered))
        numbered.append(block)
    return tuple(numbered)


def cite(documents: Sequence[Document]) -> tuple[Document, ...]:
    """The documents with every figure citation numbered from 1 per figure, in reading order
    through all of them: documents printed as one file (a merged print file) number on."""
    seen: Counter[str] = Counter()

    def numbered(content: Inlines) -> Inlines:
        spans = []
        for span in content:
            if type(span) is FigureText:       # built directly: dataclasses.replace is slow
                seen[span.figure.id] += 1
                span = FigureText(span.text, span.figure, seen[span.figure.id])
            spans.append(span)
        return tuple(spans)

    def block(item: Block) -> Block:        # fields in reading order
        match item:
            case Heading():
                return replace(item, content=numbered(item.content), run_in=numbered(item.run_in))
            case Paragraph():
                return replace(item, content=numbered(item.content))
            case Enumeration():
                return replace(item, lead=numbered(item.lead), items=tuple(map(numbered, item.items)))
            case Table():
                return replace(item, caption=numbered(item.caption),
                               rows=tuple(tuple(map(numbered, row)) for row in item.rows))
        return item

    # a document's attachments are read after its body (the 附件说明 and 落款 cite nothing)
    return tuple(replace(document, blocks=tuple(map(block, document.blocks)),
                         attachments=tuple(replace(attachment, blocks=tuple(map(block, attachment.blocks)))
                                           for attachment in document.attachments))
                 for document in documents)
