"""Reading a document into raw paragraphs: DOCX, plain text, Markdown or a saved web page.

What each format knows beyond its words is kept as hints on the paragraph: a DOCX heading
style, outline level or larger font, a Markdown `#`, the title of a page. Word's automatic
numbering (numbering.xml) is written out in front of the text, as Word shows it, so the
outline sees "一、" whether it was typed or generated. Nothing here cleans the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import WenmiError
from ..inputfiles import DOCUMENT_LIMIT, read_bytes, zip_checked
from ..numbers import chinese_numeral
from ..typography import WORD_JOINER

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # encrypted Office files and old .doc
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
# Characters no text file holds: C0 controls other than tab, line feed, form feed and return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class RawParagraph:
    """One paragraph as the file holds it, with what the format says about it."""
    text: str
    heading_level: int | None = None    # heading by style/outline level/font/#, 1 = top
    title: bool = False                 # the document's title by style or placement
    place: str = ""                     # where it is, for messages: "第12行", "第3段"


@dataclass(frozen=True)
class Source:
    """A file read: its paragraphs in order and how it was decoded."""
    paragraphs: tuple[RawParagraph, ...]
    kind: str                           # docx, text, markdown or html
    encoding: str | None = None         # for text files and pages


def read_source(path: Path) -> Source:
    """The paragraphs of the file at `path`; a `WenmiError` when it cannot be read as text."""
    shown = path.as_posix()
    if not path.exists():
        raise WenmiError("找不到要导入的文件", file=shown)
    data = read_bytes(path, shown, DOCUMENT_LIMIT)
    if not data.strip():
        raise WenmiError("文件是空的", file=shown)
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise WenmiError("文件设有打开密码（已加密），无法读取", file=shown,
                             hint="在 Word/WPS 中打开，取消密码后另存，再导入")
        raise WenmiError("这是旧版 Word 文档（.doc）或其他 Office 二进制文件，无法直接读取", file=shown,
                         hint="在 Word/WPS 中“另存为”.docx 后再导入")
    suffix = path.suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return _read_docx(path, shown)
    if suffix == ".docx":
        raise WenmiError("文件不是有效的 .docx（可能已损坏，或只是改了扩展名）", file=shown)
    text, encoding = decode_text(data, shown)
    if suffix in HTML_SUFFIXES or suffix not in TEXT_SUFFIXES and _looks_like_html(text):
        return Source(_read_html(text, shown), "html", encoding)
    markdown = suffix in (".md", ".markdown")
    return Source(_text_paragraphs(text, markdown), "markdown" if markdown else "text", encoding)


def decode_text(data: bytes, shown: str) -> tuple[str, str]:
    """The text of a file and its encoding: a BOM first, then UTF-8, UTF-16 without a BOM
    (its ASCII characters leave zero bytes), GB18030 (a superset of GBK), and last
    charset-normalizer's guess (Big5, for a traditional-script page)."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                          (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            candidates = [encoding]
            break
    else:
        candidates = ["utf-8"]
        if b"\x00" in data:
            zeros_at_odd = data[1::2].count(0) > data[0::2].count(0)
            candidates += ["utf-16-le", "utf-16-be"] if zeros_at_odd else ["utf-16-be", "utf-16-le"]
        candidates.append("gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _binary(text):
            return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    import charset_normalizer  # only for files none of the above decode cleanly
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None and not _binary(str(guess)):
        return str(guess).replace("\r\n", "\n").replace("\r", "\n"), guess.encoding
    raise WenmiError("这不是文本文件（含有二进制内容），也不是 .docx", file=shown,
                     hint="可导入 .docx、.txt、.md 和网页（.html）")


def _binary(text: str) -> bool:
    """Whether decoded text is really binary data: control characters in it."""
    return len(CONTROL.findall(text[:100_000])) > 2


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head


def _text_paragraphs(text: str, markdown: bool) -> tuple[RawParagraph, ...]:
    """Each non-blank line a paragraph; a Markdown `#` line a heading of that level."""
    paragraphs = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip(" \t\u3000\ufeff")
        if not line:
            continue
        level = None
        found = MARKDOWN_HEADING.match(line) if markdown else None
        if found:
            level, line = len(found.group(1)), found.group(2)
        paragraphs.append(RawParagraph(line, heading_level=level, place=f"第{number}行"))
    return tuple(paragraphs)


# ---------------------------------------------------------------- web pages

def _read_html(html: str, shown: str) -> tuple[RawParagraph, ...]:
    """The article of a saved web page, found by trafilatura (navigation, comments and
    sidebars left out), as Markdown paragraphs; the page's title goes first when the
    article text does not start with it."""
    import trafilatura  # only for web pages: its import takes a while
    document = trafilatura.bare_extraction(html, output_format="python", include_comments=False,
                                           include_tables=True, favor_recall=True,
                                           with_metadata=True)
    text = getattr(document, "text", None) if document is not None else None
    if not text:
        raise WenmiError("网页中找不到正文文字", file=shown,
                         hint="在浏览器中把正文复制到 .txt 文件再导入")
    markdown = trafilatura.extract(html, output_format="markdown", include_comments=False,
                                   include_tables=True, favor_recall=True) or text
    paragraphs = list(_text_paragraphs(markdown, markdown=True))
    title = (getattr(document, "title", None) or "").strip()
    if title and paragraphs and not paragraphs[0].text.startswith(title[:10]):
        paragraphs.insert(0, RawParagraph(title, title=True, place="网页标题"))
    return tuple(paragraphs)


# ---------------------------------------------------------------- DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(path: Path, shown: str) -> Source:
    import docx  # python-docx
    zip_checked(path, shown)
    try:
        document = docx.Document(str(path))
    except Exception:  # a damaged package fails in zipfile, lxml or python-docx, many ways
        raise WenmiError("无法打开这个 Word 文件：文件已损坏，或不是 .docx 格式", file=shown) from None
    numbering = _Numbering(document)
    styles = _StyleInfo(document)
    blocks = []
    for index, element in enumerate(document.element.body.iterchildren(), start=1):
        if element.tag == f"{W}p":
            text = "".join(node.text or "" if node.tag == f"{W}t" else "\t"
                           for node in element.iter(f"{W}t", f"{W}tab")).replace(WORD_JOINER, "")
            label = numbering.label(element, styles)
            blocks.append((element, label + text.strip(), f"第{index}段"))
        elif element.tag == f"{W}tbl":
            for row in element.iter(f"{W}tr"):
                cells = ["".join(t.text or "" for t in cell.iter(f"{W}t")).replace(WORD_JOINER, "").strip()
                         for cell in row.iter(f"{W}tc")]
                blocks.append((None, "\u3000".join(c for c in cells if c), f"第{index}段（表格）"))
    body_size = Counter(styles.size(e) for e, text, _ in blocks if e is not None and len(text) > 40)
    normal = body_size.most_common(1)[0][0] if body_size else None
    paragraphs = []
    for position, (element, text, place) in enumerate(blocks):
        if not text.strip():
            continue
        level = title = None
        if element is not None:
            level = styles.heading_level(element)
            title = styles.is_title(element) or (
                not paragraphs and styles.centred(element) and _larger(styles.size(element), normal))
            if level is None and not title and len(text) <= 40 and not text.endswith("。"):
                level = styles.font_level(element, normal)
        paragraphs.append(RawParagraph(text, heading_level=level, title=bool(title), place=place))
    if not paragraphs:
        raise WenmiError("Word 文件中没有文字", file=shown)
    return Source(tuple(paragraphs), "docx")


def _larger(size: float | None, normal: float | None) -> bool:
    return size is not None and normal is not None and size > normal


class _StyleInfo:
    """What a paragraph's style and runs say: heading level, title, size, alignment."""

    def __init__(self, document) -> None:
        self.by_id = {}
        for style in document.styles.element.iter(f"{W}style"):
            self.by_id[style.get(f"{W}styleId")] = style

    def _chain(self, element):
        """The paragraph's own properties, then its style's, then the styles it is based on."""
        ppr = element.find(f"{W}pPr")
        yield ppr
        style_id = ppr.find(f"{W}pStyle").get(f"{W}val") if ppr is not None and \
            ppr.find(f"{W}pStyle") is not None else None
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None

    def style_name(self, element) -> str:
        ppr = element.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        if style is None:
            return ""
        found = self.by_id.get(style.get(f"{W}val"))
        name = found.find(f"{W}name") if found is not None else None
        return name.get(f"{W}val") if name is not None else style.get(f"{W}val")

    def heading_level(self, element) -> int | None:
        """Level 1–9 from a Heading/标题 N style or an outline level."""
        found = HEADING_STYLE.match(self.style_name(element))
        if found:
            return int(found.group(1))
        for node in self._chain(element):
            outline = node.find(f".//{W}outlineLvl") if node is not None else None
            if outline is not None and outline.get(f"{W}val", "9").isdigit() \
                    and int(outline.get(f"{W}val")) < 9:
                return int(outline.get(f"{W}val")) + 1
        return None

    def is_title(self, element) -> bool:
        return self.style_name(element).lower() in ("title", "标题", "公文标题")

    def centred(self, element) -> bool:
        for node in self._chain(element):
            jc = node.find(f".//{W}jc") if node is not None else None
            if jc is not None:
                return jc.get(f"{W}val") == "center"
        return False

    def size(self, element) -> float | None:
        """The largest font size (points) of the paragraph's runs, else its style's."""
        sizes = [int(sz.get(f"{W}val")) / 2 for sz in element.iter(f"{W}sz")
                 if sz.get(f"{W}val", "").isdigit()]
        if sizes:
            return max(sizes)
        for node in list(self._chain(element))[1:]:
            sz = node.find(f".//{W}rPr/{W}sz") if node is not None else None
            if sz is not None and sz.get(f"{W}val", "").isdigit():
                return int(sz.get(f"{W}val")) / 2
        return None

    def font_level(self, element, normal: float | None) -> int | None:
        """A short paragraph set larger than the body text, or all bold in a heading face
        (黑体, 楷体), read as a heading: the larger, the higher."""
        size = self.size(element)
        if _larger(size, normal):
            return 1 if size >= normal + 2 else 2
        runs = [r for r in element.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
        faces = {f.get(f"{W}eastAsia") or "" for r in runs for f in r.iter(f"{W}rFonts")}
        if runs and faces and all(face.startswith(("黑体", "楷体", "方正黑体")) for face in faces):
            return 1 if any(face.startswith(("黑体", "方正黑体")) for face in faces) else 2
        return None


class _Numbering:
    """Word's automatic numbering: the label ("一、", "（二）", "3.") each numbered paragraph
    shows, counted as Word counts it — per list, a level restarting after a higher one."""

    FORMATS = {
        "decimal": str, "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
        "chineseCounting": chinese_numeral, "chineseCountingThousand": chinese_numeral,
        "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
        "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
        "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
        "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
        "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    }

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}   # numId → ilvl → (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {}
        for node in root.iter(f"{W}abstractNum"):
            abstract[node.get(f"{W}abstractNumId")] = self._levels(node)
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{W}val") if ref is not None else None, {}))
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                ilvl = int(override.get(f"{W}ilvl", "0"))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(f"{W}val", "1")))
            self.levels[num.get(f"{W}numId")] = levels

    @staticmethod
    def _levels(node) -> dict[int, tuple[str, str, int]]:
        levels = {}
        for lvl in node.iter(f"{W}lvl"):
            def value(tag: str, default: str) -> str:
                found = lvl.find(f"{W}{tag}")
                return found.get(f"{W}val", default) if found is not None else default
            levels[int(lvl.get(f"{W}ilvl", "0"))] = (value("numFmt", "decimal"),
                                                    value("lvlText", ""), int(value("start", "1")))
        return levels

    def label(self, element, styles: _StyleInfo) -> str:
        """The number Word shows before this paragraph, or "" when it has none."""
        num_id, ilvl = None, 0
        for node in styles._chain(element):
            numpr = node.find(f".//{W}numPr") if node is not None else None
            if numpr is not None:
                num = numpr.find(f"{W}numId")
                lvl = numpr.find(f"{W}ilvl")
                num_id = num.get(f"{W}val") if num is not None and num_id is None else num_id
                ilvl = int(lvl.get(f"{W}val", "0")) if lvl is not None else ilvl
                if num_id is not None:
                    break
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def number(found: re.Match) -> str:
            level = int(found.group(1)) - 1
            count = counters.get(level, levels.get(level, ("decimal", "", 1))[2])
            render = self.FORMATS.get(levels.get(level, (fmt,))[0], str)
            return render(count)
        return re.sub(r"%([1-9])", number, text)
