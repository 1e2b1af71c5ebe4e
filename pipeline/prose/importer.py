"""`wenmi import`, the reading half: a file in, its documents out — title, front lines,
body paragraphs with their outline and figures, the closing 署名 and date — together with
what cleaning removed and repaired. `as_json` is the shape other tools read;
`scaffold.py` turns the same reading into a Wenmi project.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WenmiError
from ..numbers import format_date
from .clean import Log, clean_document, clean_page
from .outline import Heading, find_headings, hanzi_number, marker_of
from .quantities import find_quantities
from .reader import RawParagraph, read_source

ORGANISATION = re.compile(r"(?:工会|委员会|联合会|局|厅|办公室|办|政府|委|部|中心|协会|公司|学校|学院|"
                          r"医院|集团|支部|党组|站|所|处|科|室|组)$")
ARABIC_DATE = re.compile(r"^[（(]?(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日[）)]?$")
HANZI_DATE = re.compile(r"^[（(]?(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
                        r"(?P<d>[一二三四五六七八九十]{1,3})日[）)]?$")
YEAR_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0"}
TITLE_MAX = 60


@dataclass(frozen=True)
class Closing:
    """The 署名 and 成文日期 at the end, as Wenmi prints them back."""
    issuer: str
    date: datetime.date
    chinese: bool                     # 二〇一〇年七月五日 rather than 2010年7月5日


@dataclass
class ImportedDocument:
    """One document of the file, cleaned and read."""
    title_lines: list[str]            # the title, over one or two lines
    front: list[str]                  # lines between title and text: byline, date, subtitle
    body: list[str]                   # the text, heading paragraphs as they read
    styled: list[int | None]          # per body paragraph: a heading level its format gave
    closing: Closing | None
    closing_lines: list[str]          # the closing as it reads (one or two lines)
    headings: list[Heading] = field(default_factory=list)       # indices into body

    @property
    def title(self) -> str:
        return " ".join(self.title_lines)

    @property
    def paragraphs(self) -> list[str]:
        """Every paragraph in reading order, the title's lines first."""
        return self.title_lines + self.front + self.body + self.closing_lines


@dataclass
class Reading:
    """What one import read: its documents and what cleaning did to the file."""
    source: Path
    kind: str                         # docx, text, markdown, html
    encoding: str | None
    documents: list[ImportedDocument]
    log: Log


def read_document(path: Path, simplified: bool = False) -> Reading:
    """Read, clean and outline the file at `path`; a `WenmiError` when it holds no text."""
    source = read_source(path)
    log = Log()
    convert = _simplifier() if simplified else None
    documents = []
    for raw in clean_page(list(source.paragraphs), log):
        paragraphs = clean_document(raw, log)
        if convert is not None:
            paragraphs = [RawParagraph(convert(p.text), p.heading_level, p.title, p.place)
                          for p in paragraphs]
        if paragraphs:
            documents.append(_document(paragraphs))
    if not documents:
        raise WenmiError("文件中没有可导入的正文（清理网页信息后什么也没剩下）", file=path.as_posix())
    return Reading(path, source.kind, source.encoding, documents, log)


def _simplifier():
    """Traditional to simplified script, by OpenCC's phrase tables (t2s)."""
    import opencc
    return opencc.OpenCC("t2s").convert


def _document(paragraphs: list[RawParagraph]) -> ImportedDocument:
    texts = [p.text for p in paragraphs]
    title_count = _title_lines(paragraphs)
    front_count = _front_lines(texts, title_count)
    closing, closing_count = _closing(texts[title_count + front_count:])
    end = len(texts) - closing_count
    body = paragraphs[title_count + front_count:end]
    document = ImportedDocument(
        title_lines=texts[:title_count], front=texts[title_count:title_count + front_count],
        body=[p.text for p in body], styled=[p.heading_level for p in body],
        closing=closing, closing_lines=texts[end:])
    document.headings = find_headings(document.body, document.styled)
    return document


def _title_lines(paragraphs: list[RawParagraph]) -> int:
    """How many lines at the top are the title: a short first line that is no heading and no
    sentence, and a short line after it that continues it (串联词, 工作要点) rather than
    naming the author or the date."""
    first = paragraphs[0]
    text = first.text
    if not first.title and (len(text) > TITLE_MAX or "。" in text or marker_of(text)
                            or first.heading_level and len(paragraphs) > 1 and paragraphs[1].heading_level):
        return 0
    if len(paragraphs) > 2:
        second = paragraphs[1].text
        if len(second) <= 12 and not re.search(r"[，。：:；,]", second) and not _byline(second) \
                and paragraphs[1].heading_level is None \
                and not _is_date(second) and not marker_of(second) and not second.startswith("—"):
            return 2
    return 1


def _front_lines(texts: list[str], start: int) -> int:
    """Lines after the title that are not yet the text: a byline, a date, a "——" subtitle."""
    count = 0
    while start and start + count < len(texts) - 1 and count < 3:
        line = texts[start + count]
        if not (_byline(line) or _is_date(line) or line.startswith("—")
                or re.fullmatch(r"[（(][^（）()]{2,30}[）)]", line)):
            break
        count += 1
    return count


def _byline(line: str) -> bool:
    """An author line: a short organisation name ("××县总工会"), or "作者：…"."""
    line = line.strip()
    return len(line) <= 30 and not re.search(r"[。，,：:；]", line) and bool(ORGANISATION.search(line)) \
        or bool(re.match(r"^(?:作者|文)[：:]", line))


def _is_date(line: str) -> bool:
    return bool(ARABIC_DATE.match(line) or HANZI_DATE.match(line))


def parse_closing_date(text: str) -> tuple[datetime.date, bool] | None:
    """A 成文日期 Wenmi prints back exactly: 2010年7月5日, or 二〇一〇年七月五日."""
    text = text.strip()
    found = ARABIC_DATE.fullmatch(text)
    chinese = False
    if found:
        parts = [int(found.group(g)) for g in "ymd"]
    else:
        found = HANZI_DATE.fullmatch(text)
        if not found:
            return None
        year = int("".join(YEAR_DIGITS[ch] for ch in found.group("y")))
        parts = [year, hanzi_number(found.group("m")), hanzi_number(found.group("d"))]
        chinese = True
    try:
        day = datetime.date(*parts)
    except (TypeError, ValueError):
        return None
    return (day, chinese) if format_date(day, chinese) == text else None


def _closing(texts: list[str]) -> tuple[Closing | None, int]:
    """The 署名 and date closing the document: "单位" then "日期" on the next line, or both on
    one line; only when Wenmi would print the date the same way."""
    if len(texts) >= 3:
        issuer, when = texts[-2], texts[-1]
        parsed = parse_closing_date(when)
        if parsed and _byline(issuer):
            return Closing(issuer, *parsed), 2
    if len(texts) >= 2:
        issuer, _, when = texts[-1].rpartition(" ")
        parsed = parse_closing_date(when) if issuer else None
        if parsed and _byline(issuer):
            return Closing(issuer.strip(), *parsed), 1
    return None, 0


# ---------------------------------------------------------------- the JSON reading

def as_json(reading: Reading) -> dict:
    """What `wenmi import --json` prints (issue 14's shape: other tools read it)."""
    documents = []
    for document in reading.documents:
        headings = [{"level": h.level, "marker": h.marker.text if h.marker else None, "text": h.text}
                    for h in document.headings]
        figures = [{"surface": q.surface, "value": q.value, "unit": q.unit, "qualifier": q.qualifier}
                   for paragraph in document.paragraphs for q in find_quantities(paragraph)]
        documents.append({"title": document.title or None, "headings": headings,
                          "paragraphs": document.paragraphs, "figures": figures})
    return {
        "documents": documents,
        "removed": [{"kind": r.kind, "text": r.text} for r in reading.log.removed],
        "repaired": [{"kind": r.kind, "from": r.before, "to": r.after} for r in reading.log.repaired],
    }
