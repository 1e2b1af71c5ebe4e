"""The document model: what every writer consumes, nothing format-specific.

Inline content is a tuple of `Text` and `FigureText` spans, so the model always knows which
characters are which figure (its metric id). Heading labels (一、 （一） 1. （1）) and
enumeration labels (一是 二是) are empty when assembled and filled by `numbering.number()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .figures import Figure


@dataclass(frozen=True)
class Text:
    """Plain running text; `bold` for emphasis written as **…** in the body."""
    text: str
    bold: bool = False


@dataclass(frozen=True)
class FigureText:
    """The formatted text of one figure, e.g. "32.38万元", tied to the figure itself."""
    text: str
    figure: Figure
    occurrence: int = 0              # filled by numbering: its figure's nth citation in the file


Inline = Text | FigureText
Inlines = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    """A section heading of level 1–4; with `run_in` text it shares its paragraph."""
    level: int
    content: Inlines
    label: str = ""                  # filled by numbering: "一、", "（一）", "1.", "（1）"
    run_in: Inlines = ()             # body text continuing after a run-in heading


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, indented two characters."""
    content: Inlines


@dataclass(frozen=True)
class Enumeration:
    """An inline enumeration "一是……二是……": one paragraph per item or all in one."""
    items: tuple[Inlines, ...]
    merged: bool = False             # True: one paragraph; False: a paragraph per item
    numbered: bool = False           # True: （1）（2）…; False: 一是、二是…
    lead: Inlines = ()               # text before the first item when merged ("主要问题：")
    labels: tuple[str, ...] = ()     # filled by numbering: "一是", "二是", …


@dataclass(frozen=True)
class Table:
    """A table with a caption above and a header row repeated on every page."""
    caption: Inlines
    header: tuple[str, ...]
    rows: tuple[tuple[Inlines, ...], ...]


Block = Heading | Paragraph | Enumeration | Table


@dataclass(frozen=True)
class Attachment:
    """A 附件: announced by name in the 附件说明 under the body and printed after the 落款,
    on a page of its own with its label ("附件1") and its title above its blocks."""
    title: str
    blocks: tuple[Block, ...]        # numbered like a body of its own


@dataclass(frozen=True)
class NumberingStyle:
    """How headings are numbered; the defaults are GB/T 9704 practice."""
    continuous_level3: bool = False  # 工作要点: 1. … 19. straight through the document
    level3_mark: str = "."           # "." gives "1."; "、" gives "1、"


@dataclass(frozen=True)
class Document:
    """One finished document: front matter, numbered body, 附件说明, 落款 and date, then
    the attachments."""
    title: str
    blocks: tuple[Block, ...]
    subtitle: str = ""
    recipient: str = ""              # 主送机关, printed flush left ending with "："
    attachments: tuple[Attachment, ...] = ()
    issuer: str = ""                 # 署名
    date: str = ""                   # 成文日期, already formatted ("2024年12月20日")
    landscape: bool = False          # printed across the page (a wide table: the 推荐名单)
    sheet: str = ""                  # its sheet's name in a workbook (XLSX); "" for the title cut to fit
    numbering: NumberingStyle = field(default_factory=NumberingStyle)


def plain(content: Inlines) -> str:
    """The text of inline content without marks, for writers that print plain text."""
    return "".join(span.text for span in content)


CONTENTS_HEADING = "目　录"


@dataclass(frozen=True)
class Bundle:
    """Documents printed as one file (a batch's 事迹材料合订本): each starts on a new page and
    the page numbers run on through all of them. With a title, a cover and a 目录 listing
    each document's title come first, unnumbered, and the documents' pages count from 1."""
    documents: tuple[Document, ...]
    title: str = ""                  # the cover's title; "" for no cover and no 目录
    subtitle: str = ""
    issuer: str = ""
    date: str = ""

    def __iter__(self):
        return iter(self.documents)

    def front(self) -> list[str]:
        """The cover's lines and the 目录 (its heading, then each title) in reading order, as
        every writer prints them (page numbers are the printed file's own)."""
        if not self.title:
            return []
        cover = [text for text in (self.title, self.subtitle, self.issuer, self.date) if text]
        return cover + [CONTENTS_HEADING] + [document.title for document in self.documents]
