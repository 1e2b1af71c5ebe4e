"""The assemble stage: rendered Markdown (front matter + body) into the document model.

Python-Markdown parses the body into an element tree; this module walks the tree into
blocks, turns figure marks into `FigureText` spans, recognises run-in headings, 一是 lists
and table captions, and finally hands the document to the numbering transform.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import markdown
import yaml
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

from ..errors import WenmiError
from ..figures import MARK_CLOSE, MARK_OPEN, MARKED, Figure, FigureTable, find, unmarked
from ..model import (
    Attachment,
    Block,
    Document,
    Enumeration,
    FigureText,
    Heading,
    Inline,
    Inlines,
    NumberingStyle,
    Paragraph,
    Table,
    Text,
    plain,
)
from ..typography import phrase_spaced
from .numbering import number

# libyaml's loader when PyYAML was built with it: ten times quicker per dossier
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
CAPTION_PREFIX = "表："
MERGE_CLASS = "合并"
# A line break inside a paragraph joins Chinese text directly and Latin words with a space.
LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
LATIN_BREAK = re.compile(r"(?<=[!-~])\n(?=[!-~])")
# Where one of Python-Markdown's inline patterns (code, escapes, links, images, autolinks,
# raw HTML, entities, emphasis, hard line breaks) could begin.
INLINE_SYNTAX = re.compile(r"[`\\\[!<&*_]| {2,}\n")
# A marked text (a figure's, or ledger text) while Markdown parses the body: its number
TAKEN_OUT = re.compile(f"{MARK_OPEN}([0-9]+){MARK_CLOSE}")


class _SkipPlainText(Treeprocessor):
    """Marks texts without any inline syntax as final, before the inline patterns run.

    Python-Markdown tries each of its inline patterns on every text; most body text
    (Chinese prose with figure marks) holds none of the characters they start with, and
    skipping it halves the time to parse a dossier.
    """

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            for slot in ("text", "tail"):
                text = getattr(element, slot)
                if text and not isinstance(text, AtomicString) and not INLINE_SYNTAX.search(text):
                    setattr(element, slot, AtomicString(text))


class _SkipPlainTextExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SkipPlainText(md), "wenmi_skip_plain_text", 25)


def assemble(rendered: str, figures: Mapping[str, Figure | FigureTable], shown_body: str, *,
             genre_file: str, numbering: NumberingStyle = NumberingStyle(),
             merged_enumerations: bool = False,
             attachments: Sequence[RenderedAttachment] = ()) -> Document:
    """The numbered document of rendered Markdown with front matter, and its attachments.
    `shown_body` names the body file and `genre_file` the template in messages;
    `merged_enumerations` is the default form of 一是…二是… lists."""
    front, body = _split_front_matter(rendered, genre_file)
    blocks = _blocks(body, figures, merged_enumerations, shown_body)
    document = Document(
        title=phrase_spaced(_front_text(front, "标题")), subtitle=_front_text(front, "副标题"),
        recipient=_front_text(front, "主送"), issuer=_front_text(front, "署名"),
        date=_front_text(front, "日期"),
        attachments=tuple(Attachment(phrase_spaced(attachment.title), _blocks(attachment.markdown, figures,
                                                               merged_enumerations, attachment.shown))
                          for attachment in attachments),
        blocks=blocks,
        numbering=numbering,
    )
    return number(document)


@dataclass(frozen=True)
class RenderedAttachment:
    """An attachment's title and its content rendered to Markdown, before assembly."""
    title: str
    markdown: str
    shown: str                       # its file (or the declaring YAML) for messages


def _split_front_matter(rendered: str, genre_file: str) -> tuple[dict, str]:
    found = FRONT_MATTER.match(rendered.lstrip("\n"))
    if not found:
        raise WenmiError("体裁模板的输出缺少开头的 --- 前置信息（标题、署名、日期等）", file=genre_file)
    try:
        front = yaml.load(found.group(1), Loader=SAFE_LOADER) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"（前置信息第{mark.line + 1}行）" if mark else ""
        raise WenmiError(f"体裁模板生成的前置信息不是有效的 YAML{where}", file=genre_file,
                         hint="前置信息中的值请写成 {{ 值 | tojson }}，以免其中的冒号、引号打乱格式") from None
    return front, rendered.lstrip("\n")[found.end():]


def _front_text(front: dict, key: str) -> str:
    value = front.get(key)
    return unmarked(str(value)).strip() if value else ""


@functools.cache
def _markdown() -> markdown.Markdown:
    """One parser per process, reset before each use: setting up its extensions costs more
    than parsing a dossier. Extensions are passed as objects: named ones are looked up among
    every installed package's entry points (0.06 s)."""
    return markdown.Markdown(extensions=[TableExtension(), AttrListExtension(), SaneListExtension(),
                                         _SkipPlainTextExtension()])


def _tree(md: markdown.Markdown, body: str) -> ET.Element:
    """The element tree of `body`: what `Markdown.convert` builds before it serialises the
    tree as HTML, which nothing here reads."""
    lines = body.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    for treeprocessor in md.treeprocessors:
        replaced = treeprocessor.run(root)
        if replaced is not None:
            root = replaced
    return root


def _blocks(body: str, figures, merged_enumerations: bool, shown_body: str) -> tuple[Block, ...]:
    md = _markdown().reset()
    body, taken = _taken_out(body)
    reader = _Reader(md, figures, merged_enumerations, shown_body, taken)
    for element in _tree(md, body):
        reader.add(element)
    return tuple(reader.blocks)


def _taken_out(body: str) -> tuple[str, list[tuple[str, str]]]:
    """The body with every marked text — a figure's (id, text), or ledger text to be taken
    as it is ("", text) — replaced by its number between the marks, and those texts in
    order. Markdown never sees them: a "|", a backtick or "<b>" in a unit's name is text."""
    taken: list[tuple[str, str]] = []

    def take(found: re.Match) -> str:
        taken.append((found.group(1), found.group(2)))
        return f"{MARK_OPEN}{len(taken) - 1}{MARK_CLOSE}"
    return MARKED.sub(take, body), taken


class _Reader:
    """Walks the top-level elements in order, keeping the little state the rules need."""

    def __init__(self, md: markdown.Markdown, figures, merged_enumerations: bool, shown_body: str,
                 taken: list[tuple[str, str]]):
        self.md = md
        self.taken = taken
        self.figures = figures
        self.merged_enumerations = merged_enumerations
        self.shown_body = shown_body
        self.blocks: list[Block] = []
        self.waiting_run_in: Heading | None = None   # a run-in heading whose text comes next

    def add(self, element: ET.Element) -> None:
        tag = element.tag
        if tag in HEADINGS:
            self._flush_run_in()
            self._heading(element)
        elif tag == "p":
            content = self.inlines(element)
            if not plain(content).strip():
                return
            if self.waiting_run_in is not None:
                self.blocks.append(Heading(self.waiting_run_in.level,
                                           self.waiting_run_in.content, run_in=content))
                self.waiting_run_in = None
            else:
                self.blocks.append(Paragraph(content))
        elif tag in ("ul", "ol"):
            self._flush_run_in()
            self._enumeration(element)
        elif tag == "table":
            self._flush_run_in()
            self._table(element)
        elif tag in ("hr", "div"):
            return
        else:
            raise self._unsupported(element)

    def _flush_run_in(self) -> None:
        if self.waiting_run_in is not None:
            self.blocks.append(self.waiting_run_in)
            self.waiting_run_in = None

    def _heading(self, element: ET.Element) -> None:
        level = HEADINGS[element.tag]
        content = self.inlines(element)
        lead, rest = _split_run_in(content)
        if rest:
            self.blocks.append(Heading(level, lead, run_in=rest))
        elif level >= 3 and plain(lead).endswith("。"):
            self.waiting_run_in = Heading(level, lead)
        else:
            self.blocks.append(Heading(level, lead))

    def _enumeration(self, element: ET.Element) -> None:
        items = [li for li in element if li.tag == "li"]
        merged = self.merged_enumerations or any(
            MERGE_CLASS in (li.get("class") or "").split() for li in items)
        lead: Inlines = ()
        if merged and self.blocks and isinstance(self.blocks[-1], Paragraph) \
                and plain(self.blocks[-1].content).rstrip().endswith(("：", ":")):
            lead = self.blocks.pop().content
        contents = tuple(self._item(li) for li in items)
        self.blocks.append(Enumeration(contents, merged=merged,
                                       numbered=element.tag == "ol", lead=lead))

    def _item(self, li: ET.Element) -> Inlines:
        """A list item's text; a loose item's paragraphs are joined, nested lists refused."""
        for child in li:
            if child.tag in ("ul", "ol"):
                raise self._unsupported(child, "列表中不能再嵌套列表；请改成下一级标题或分段叙述")
        if any(child.tag == "p" for child in li):
            return tuple(span for child in li if child.tag == "p" for span in self.inlines(child))
        return self.inlines(li)

    def _table(self, element: ET.Element) -> None:
        caption: Inlines = ()
        if self.blocks and isinstance(self.blocks[-1], Paragraph) \
                and plain(self.blocks[-1].content).startswith(CAPTION_PREFIX):
            caption = _strip_prefix(self.blocks.pop().content, CAPTION_PREFIX)
        header = tuple(plain(self.inlines(th)).strip() for th in element.iter("th"))
        rows = tuple(tuple(self.inlines(td) for td in tr.findall("td"))
                     for tr in element.iter("tr") if tr.findall("td"))
        self.blocks.append(Table(caption, header, rows))

    # ------------------------------------------------------------ inline content

    def inlines(self, element: ET.Element, bold: bool = False) -> Inlines:
        """Text and figure spans of an element, in order, with **bold** kept."""
        spans: list[Inline] = []
        self._text(element.text, bold, spans)
        for child in element:
            if child.tag in ("strong", "b"):
                spans.extend(self.inlines(child, True))
            elif child.tag == "br":
                pass
            elif child.tag == "img":
                raise self._unsupported(child, "暂不支持图片")
            else:                     # em, code, a, span…: their text, in the same weight
                spans.extend(self.inlines(child, bold))
            self._text(child.tail, bold, spans)
        return _merge(spans)

    def _text(self, text: str | None, bold: bool, spans: list[Inline]) -> None:
        if not text:
            return
        text = _joined_lines(HTML_PLACEHOLDER_RE.sub(self._unstash, text))
        position = 0
        for found in TAKEN_OUT.finditer(text):
            if found.start() > position:
                spans.append(Text(text[position:found.start()], bold))
            figure_id, marked = self.taken[int(found.group(1))]
            spans.append(FigureText(marked, self._figure(figure_id)) if figure_id
                         else Text(_joined_lines(marked), bold))
            position = found.end()
        if position < len(text):
            spans.append(Text(text[position:], bold))

    def _unstash(self, found: re.Match) -> str:
        """Raw HTML in a body is dropped to its text: documents carry no markup."""
        stashed = self.md.htmlStash.rawHtmlBlocks[int(found.group(1))]
        return re.sub(r"<[^>]*>", "", str(stashed))

    def _figure(self, figure_id: str) -> Figure:
        figure = find(self.figures, figure_id)
        if figure is None:
            raise AssertionError(f"figure mark for unknown id {figure_id!r}")
        return figure

    def _unsupported(self, element: ET.Element, reason: str = "") -> WenmiError:
        snippet = plain(self.inlines(element))[:30]
        return WenmiError(reason or f"正文中有不支持的 Markdown 写法（<{element.tag}>）：{snippet}",
                          file=self.shown_body,
                          hint="正文只用标题（# 至 ####）、段落、列表（- 或 1.）和表格")


def _joined_lines(text: str) -> str:
    """A paragraph's lines joined: directly between Chinese text, with a space between Latin
    words."""
    return LATIN_BREAK.sub(" ", LINE_BREAK.sub("\n", text)).replace("\n", "")


def _split_run_in(content: Inlines) -> tuple[Inlines, Inlines]:
    """Split a heading at its first "。": the lead stays, the rest runs in (a level-1 or -2
    heading runs in only when its text goes on on the same line; see `_heading`)."""
    for index, span in enumerate(content):
        if isinstance(span, Text) and "。" in span.text:
            cut = span.text.index("。") + 1
            head, tail = span.text[:cut], span.text[cut:]
            lead = content[:index] + (Text(head, span.bold),)
            rest = ((Text(tail, span.bold),) if tail else ()) + content[index + 1:]
            if not plain(rest).strip():
                return lead, ()
            return lead, _merge(list(rest))
    return content, ()


def _strip_prefix(content: Inlines, prefix: str) -> Inlines:
    first = content[0]
    return _merge([Text(first.text[len(prefix):], first.bold)] + list(content[1:]))


def _merge(spans: list[Inline]) -> Inlines:
    """Adjacent text spans of the same weight joined; empty ones dropped."""
    merged: list[Inline] = []
    for span in spans:
        if isinstance(span, Text) and not span.text:
            continue
        if merged and isinstance(span, Text) and isinstance(merged[-1], Text) \
                and merged[-1].bold == span.bold:
            merged[-1] = Text(merged[-1].text + span.text, span.bold)
        else:
            merged.append(span)
    return tuple(merged)
