"""`wenmi check --text FILE`: contradictions inside any finished document, made by Wenmi or not.

The document is read as paragraphs (the title is paragraph 1) and its quantities found with
`find_quantities`. Each rule below reads them and reports a `Finding` that quotes the sentence:

- repeated: one quantity stated twice with values no reading reconciles (22万人 here, 25万以上 there);
- enumeration: 一是 without 二是, （一）（三）, 1. 2. 4., a stated count ("以下四项措施") that differs
  from the items listed after it;
- year: a title year that the body never reports, or that another year outnumbers;
  a date line more than a year from the title's year;
- total: parts after 其中 that exceed their total, parts listed with 分别为 or summed up by
  共计/合计/总计 that differ from it (人, 名 and 人次 counted as one kind of people);
- issuer: the text naming another organisation of the issuer's level as itself;
- rate: a rate its own counts do not give, judged only when the count is about the rate's
  subject (办结率 against a count of 办结) and within the tolerance of 约/左右/近/以上.

Approximate figures are compared as the ranges they stand for: 20多万 is 200,000 to 300,000,
16.4万 is 163,950 to 164,050, 25万以上 is 250,000 or more.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path

import docx

from ..errors import WenmiError
from ..inputfiles import DOCUMENT_LIMIT, read_bytes, regular_file, zip_checked
from ..numbers import format_number
from ..problems import Problem, Problems, grouped
from ..typography import WORD_JOINER
from .quantities import Quantity, find_quantities, hanzi_number


@dataclass(frozen=True)
class Finding:
    """One contradiction, with the sentence that states it."""
    kind: str                      # repeated, enumeration, year, total, issuer, rate
    paragraph: int                 # 1-based; the title is paragraph 1
    sentence: str
    message: str
    figures: tuple[Quantity, ...] = ()


@dataclass
class Text:
    """A document as `check --text` reads it: paragraphs and the quantities of each."""
    paragraphs: list[str]
    quantities: list[list[Quantity]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.quantities = [find_quantities(paragraph) for paragraph in self.paragraphs]

    @property
    def title(self) -> str:
        return self.paragraphs[0]


SENTENCE_END = "。！？!?"
PEOPLE = {"人", "名", "人次", "位"}
MARKUP = re.compile(r"^(?:#+\s*|\*\*)|\*\*")


def read_document(path: Path) -> list[str]:
    """The paragraphs of a .docx, .txt or .md file, title first (Markdown marks and tables
    dropped, as a DOCX's paragraphs leave its tables out)."""
    shown = path.as_posix()
    regular_file(path, shown, DOCUMENT_LIMIT)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        zip_checked(path, shown)
        try:
            paragraphs = [p.text.replace(WORD_JOINER, "").strip() for p in docx.Document(str(path)).paragraphs]
        except Exception:  # a damaged file fails in zipfile or lxml, many ways
            raise WenmiError("无法打开这个 Word 文件：文件已损坏，或不是 .docx 格式", file=shown) from None
    elif suffix in (".txt", ".md"):
        data = read_bytes(path, shown, DOCUMENT_LIMIT)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        paragraphs = [MARKUP.sub("", line).strip() for line in text.splitlines()
                      if not line.lstrip().startswith("|")]
    else:
        raise WenmiError(f"不支持的文件类型“{suffix}”，可检查 .docx、.txt、.md", file=shown)
    paragraphs = [p for p in paragraphs if p and p != "---"]
    if not paragraphs:
        raise WenmiError("文件中没有文字", file=shown)
    return paragraphs


def _sentence_span(paragraph: str, position: int) -> tuple[int, int]:
    """Where the sentence around `position` starts and ends (after its closing mark)."""
    start = max(paragraph.rfind(mark, 0, position) for mark in SENTENCE_END) + 1
    ends = [i for i in (paragraph.find(mark, position) for mark in SENTENCE_END) if i >= 0]
    return start, min(ends) + 1 if ends else len(paragraph)


def sentence_at(paragraph: str, position: int) -> str:
    """The sentence of `paragraph` around `position`, with its closing mark."""
    start, end = _sentence_span(paragraph, position)
    return paragraph[start:end].strip()


def shown(number: float) -> str:
    """A value as a message prints it: 1735, 323800, 96.9."""
    return format_number(number, 0 if float(number).is_integer() else 1)


# --- what an approximate figure stands for ----------------------------------------------------

def _last_place(quantity: Quantity) -> Decimal:
    """The place value of the last written digit (16.4万 → 1000, 20万 → 10000, 97 → 1),
    and of the last non-zero one for 余/多 (20多万 → 100000, 12300多 → 100)."""
    written = re.match(r"[0-9.,０-９．]+", quantity.surface)
    digits = (written.group(0) if written else "1").translate(str.maketrans("０１２３４５６７８９．", "0123456789.")).replace(",", "")
    number = Decimal(digits)
    scale = Decimal(quantity.value) / number if number and isinstance(quantity.value, (int, float)) else 1
    if quantity.qualifier in ("余", "多"):
        exponent = 0
        while number and number % (10 ** (exponent + 1)) == 0:
            exponent += 1
        return Decimal(10) ** exponent * scale
    decimals = len(digits.partition(".")[2])
    return Decimal(10) ** -decimals * scale


def bounds(quantity: Quantity) -> tuple[float, float]:
    """The range of values the figure can stand for, as its writer rounded and qualified it."""
    value = float(quantity.value)
    place = float(_last_place(quantity))
    rounded = place / 2 if place > 1 or "万" in quantity.surface or "亿" in quantity.surface else 0
    qualifier = quantity.qualifier
    if qualifier in ("余", "多"):
        return value, value + place
    if qualifier in ("以上", "超", "逾", "不低于", "不少于", "至少"):
        return value - rounded, math.inf
    if qualifier in ("以下", "不足", "不到", "最多", "以内", "内"):
        return 0, value + rounded
    if qualifier == "近":
        return value * 0.85, value
    if qualifier in ("约", "左右", "上下"):
        spread = max(value * 0.15, place)
        return value - spread, value + spread
    return value - rounded, value + rounded


# --- the rules ------------------------------------------------------------------------------

def check_document(paragraphs: list[str]) -> list[Finding]:
    """Every contradiction found in a document given as paragraphs, title first."""
    text = Text(paragraphs)
    found = []
    for rule in (check_years, check_issuer, check_enumerations, check_totals, check_rates,
                 check_repeated):
        found += rule(text)
    return sorted(found, key=lambda finding: finding.paragraph)


# 6. the same quantity stated twice

# Words between a subject and its number that say nothing about what is counted.
LINKING = re.compile(r"(?:总体|总数|共计|累计|合计|共有|一共|共|达到|达|约为|约|近|有|为|是|已|超过|超|仅)+$")


def _subject(paragraph: str, quantity: Quantity) -> str:
    """The words of the clause that name what the quantity counts: before it and after it."""
    start = max(paragraph.rfind(mark, 0, quantity.start) for mark in "，,；;。：:（(、") + 1
    end_marks = [i for i in (paragraph.find(mark, quantity.end) for mark in "，,；;。：:）)、") if i >= 0]
    before = LINKING.sub("", re.sub(r"[^\u4e00-\u9fff]", "", paragraph[start:quantity.start]))[-8:]
    after = re.sub(r"[^\u4e00-\u9fff]", "", paragraph[quantity.end:min(end_marks, default=len(paragraph))])[:6]
    return before + "|" + after


def _common(first: str, second: str) -> int:
    """The length of the longest run of characters the two subjects share."""
    best = 0
    for i in range(len(first)):
        for j in range(i + best + 1, len(first) + 1):
            if first[i:j] in second and "|" not in first[i:j]:
                best = j - i
            else:
                break
    return best


def _family(unit: str | None) -> str | None:
    return "people" if unit in PEOPLE - {"人次"} else unit


GOAL = re.compile(r"力争|确保|计划|目标|争取|预计|拟")
REQUIRED = ("不少于", "不低于", "至少")


def _goal(clause: str, quantity: Quantity) -> bool:
    """A target or a requirement ("全年新建工会不少于15个", "力争达到…"), not a count of what
    is: a plan states next year's figure beside this year's without contradicting it."""
    return quantity.qualifier in REQUIRED or bool(GOAL.search(clause))


def check_repeated(text: Text) -> list[Finding]:
    """A count of the whole (全县…, 我市…, the issuer's own place) stated in two paragraphs
    about the same subject, with ranges that do not meet: only when the values are within a
    factor of two (farther apart, the text speaks of two different scopes, 全省 and 省本级),
    neither is a part (其中) or a target (`_goal`), and the two sentences are not parallel statements about two
    different things."""
    stated = []
    for index, (paragraph, quantities) in enumerate(zip(text.paragraphs, text.quantities)):
        for quantity in quantities:
            if quantity.kind not in ("count", "money", "measure") or not isinstance(quantity.value, (int, float)):
                continue
            clause = paragraph[max(paragraph.rfind(m, 0, quantity.start) for m in "，,；;。") + 1:quantity.start]
            if "其中" in clause or quantity.value < 10 or _goal(clause, quantity) \
                    or not _whole_scope(text, paragraph, quantity):
                continue
            stated.append((index, quantity, _subject(paragraph, quantity)))
    found = []
    for n, (index, quantity, subject) in enumerate(stated):
        for other_index, other, other_subject in stated[n + 1:]:
            if other_index == index or _family(other.unit) != _family(quantity.unit):
                continue
            if _common(subject, other_subject) < 4 or _parallel(text, (index, quantity), (other_index, other)):
                continue
            low, high = sorted((quantity.value, other.value))
            if high > 2 * low:
                continue
            first, second = bounds(quantity), bounds(other)
            if first[1] < second[0] or second[1] < first[0]:
                found.append(Finding(
                    "repeated", other_index + 1, sentence_at(text.paragraphs[other_index], other.start),
                    f"写的是{_with_qualifier(other)}，而第{index + 1}段写的是{_with_qualifier(quantity)}"
                    f"（“{sentence_at(text.paragraphs[index], quantity.start)}”），两处说的似乎是同一个数",
                    (quantity, other)))
    return found


SCOPE = re.compile(r"全(?:国|省|市|区|州|盟|旗|县|乡|镇|村|年|系统|行业)|(?:我|本)(?:省|市|区|州|县|乡|镇)")


def _whole_scope(text: Text, paragraph: str, quantity: Quantity) -> bool:
    """Whether the sentence counts the whole the document speaks for: 全县, 我市, or the
    issuer's own place ("灌南县有外出务工人员22万人" in a 灌南县总工会 report)."""
    start = _sentence_span(paragraph, quantity.start)[0]
    before = paragraph[start:quantity.start]
    issuer = _issuer(text)
    return SCOPE.search(before) is not None or issuer is not None and issuer[0] + issuer[1] in before


def _parallel(text: Text, *places: tuple[int, Quantity]) -> bool:
    """Whether two sentences are alike in most words: the same thing said of two different
    things ("县教育工会……共有291人次", "县交通运输工会……共有335人次"), as bundled reports
    and parallel sections say it."""
    first, second = (re.sub(r"[0-9.]+", "", sentence_at(text.paragraphs[i], q.start)) for i, q in places)
    return SequenceMatcher(None, first, second).ratio() >= 0.5


def _with_qualifier(quantity: Quantity) -> str:
    if quantity.qualifier in ("近", "约", "达", "超", "逾", "仅"):
        return quantity.qualifier + quantity.surface
    if quantity.qualifier in ("以上", "左右", "以下", "以内", "上下"):
        return quantity.surface + quantity.qualifier
    return quantity.surface


# 7. enumerations

HANZI_NUMERAL = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Heading markers at the start of a paragraph, highest level first (GB/T 9704: 一、（一）1.（1）).
HEADING_MARKERS = [
    ("一、", re.compile(rf"([{HANZI_NUMERAL}]+)、(?!是)")),
    ("（一）", re.compile(rf"[（(]([{HANZI_NUMERAL}]+)[)）]")),
    ("1.", re.compile(r"([0-9]{1,2})[、.．](?![0-9]{1,3}(?![0-9]))")),   # "2.12351热线…" is item 2
    ("（1）", re.compile(r"[（(]([0-9]{1,2})[)）]")),
]
SHI = re.compile(rf"(?:^|(?<=[。；;，,：:！？\s]))([{HANZI_NUMERAL}]+)、?是")
INLINE = re.compile(rf"(?<!^)(?:[{CIRCLED}]|(?<=[。；;：:，,\s])[（(]([0-9]{{1,2}})[)）])")   # at the start: a heading


def _number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else hanzi_number(numeral)


def _heading_marker(paragraph: str) -> tuple[int, int] | None:
    """(level, number) of the marker that opens the paragraph, if any."""
    for level, (_, pattern) in enumerate(HEADING_MARKERS):
        match = pattern.match(paragraph)
        if match:
            return level, _number(match.group(1))
    return None


def _inline_markers(paragraph: str) -> list[tuple[int, int, str]]:
    """(position, number, style) of the enumeration markers inside a paragraph: 一是, ①, (1)."""
    found = [(m.start(), _number(m.group(1)), "是") for m in SHI.finditer(paragraph)]
    for match in INLINE.finditer(paragraph):
        if match.group(1):
            found.append((match.start(), int(match.group(1)), "(1)"))
        else:
            found.append((match.start(), CIRCLED.index(match.group(0)) + 1, "①"))
    return sorted(found)


def check_enumerations(text: Text) -> list[Finding]:
    """Gaps in numbered headings and inline enumerations, a lone 一是, and stated counts
    ("以下四项措施", "三个渠道：①…") that differ from the items listed after them."""
    found = []
    last: dict[int, int] = {}
    for index, paragraph in enumerate(text.paragraphs[1:], start=1):
        marker = _heading_marker(paragraph)
        if marker is None:
            continue
        level, number = marker
        for deeper in [lv for lv in last if lv > level]:
            del last[deeper]          # a new 一、 starts its （一） again
        previous = last.get(level)
        if number != 1 and previous is not None and number != previous + 1:
            style = HEADING_MARKERS[level][0]
            found.append(Finding("enumeration", index + 1, sentence_at(paragraph, 0),
                                 f"编号不连续：{_marker_text(style, previous)}之后是{_marker_text(style, number)}"))
        last[level] = number
    found += _inline_gaps(text)
    found += _stated_counts(text)
    return found


def _marker_text(style: str, number: int) -> str:
    numeral = str(number) if style[-2].isdigit() else _hanzi(number)
    return style.replace("一" if "一" in style else "1", numeral)


def _hanzi(number: int) -> str:
    tens, ones = divmod(number, 10)
    return ((HANZI_NUMERAL[tens - 1] if tens > 1 else "") + "十" if tens else "") + \
        (HANZI_NUMERAL[ones - 1] if ones else "")


def _inline_gaps(text: Text) -> list[Finding]:
    """一是…二是… (which may run on over paragraphs), ①②…, (1)(2)…: each run numbered 1, 2, 3
    without gaps, and no run of one."""
    found = []
    runs: dict[str, tuple[int, int, int] | None] = {"是": None}   # style → (paragraph, position, last number)
    for index, paragraph in enumerate(text.paragraphs[1:], start=1):
        runs.update({"①": None, "(1)": None})              # ① and (1) lists stay in their paragraph
        for position, number, style in _inline_markers(paragraph):
            run = runs.get(style)
            if number == 1:
                found += _lone(text, style, run)
                runs[style] = (index, position, 1)
            elif run is not None and number == run[2] + 1:
                runs[style] = (run[0], run[1], number)
            elif run is not None and number > run[2] + 1:
                found.append(Finding("enumeration", index + 1, sentence_at(paragraph, position),
                                     f"列举不连续：{_inline_text(style, run[2])}之后是{_inline_text(style, number)}"))
                runs[style] = (run[0], run[1], number)
        for style in ("①", "(1)"):
            found += _lone(text, style, runs[style])
    return found + _lone(text, "是", runs["是"])


def _lone(text: Text, style: str, run: tuple[int, int, int] | None) -> list[Finding]:
    if run is None or run[2] != 1:
        return []
    paragraph = text.paragraphs[run[0]]
    return [Finding("enumeration", run[0] + 1, sentence_at(paragraph, run[1]),
                    f"列举只有{_inline_text(style, 1)}，没有{_inline_text(style, 2)}")]


def _inline_text(style: str, number: int) -> str:
    if style == "是":
        return _hanzi(number) + "是"
    return CIRCLED[number - 1] if style == "①" else f"({number})"


COUNTED_UNITS = {"项", "个", "种", "条", "类", "方面", "点", "大", None}
# After a count, the rest of its sentence when it announces a list: "：" soon, or no other clause.
ANNOUNCING = re.compile(r"^[^，,；;。：:]{0,10}[：:]|^[^，,；;。：:]*[。！？]")
QUOTED_LIST = re.compile(r"“([^“”]+、[^“”]+)”$")


def _stated_counts(text: Text) -> list[Finding]:
    """A count announced before a list ("以下四项措施", "主要有四种形式：①…④") against the
    items the list has: the markers that follow, in the paragraph or in the next headings."""
    found = []
    for index, (paragraph, quantities) in enumerate(zip(text.paragraphs, text.quantities)):
        for quantity in quantities:
            if quantity.kind != "count" or quantity.unit not in COUNTED_UNITS or quantity.qualifier:
                continue
            if not isinstance(quantity.value, int) or not 2 <= quantity.value <= 20:
                continue
            listed = _items_after(text, index, quantity)
            if listed is not None and listed != quantity.value:
                found.append(Finding("enumeration", index + 1, sentence_at(paragraph, quantity.start),
                                     f"写的是{quantity.surface}，其后列出的却是{listed}项", (quantity,)))
    return found


def _items_after(text: Text, index: int, quantity: Quantity) -> int | None:
    """How many items the list announced by `quantity` has, or None when no list follows it:
    a quoted list right before it ("“A、B、C”三项工作"), or markers after it when its clause
    ends its sentence, opens a list with "：", or says 以下/如下."""
    paragraph = text.paragraphs[index]
    quoted = QUOTED_LIST.search(paragraph, 0, quantity.start)
    if quoted:
        return len(quoted.group(1).split("、"))
    rest = paragraph[quantity.end:]
    ahead = paragraph[max(0, quantity.start - 3):quantity.start]
    announced = "以下" in ahead or "如下" in ahead or ANNOUNCING.match(rest)
    if not announced:
        return None
    markers = [m for m in _inline_markers(paragraph) if m[0] >= quantity.end]
    if markers:
        style = markers[0][2]
        numbers = [number for _, number, s in markers if s == style]
        if numbers[0] != 1:
            return None
        count = 1
        while count < len(numbers) and numbers[count] == count + 1:
            count += 1
        return count
    if _sentence_span(paragraph, quantity.start)[1] < len(paragraph):
        return None                       # the list would have to follow in this paragraph
    following = [_heading_marker(p) for p in text.paragraphs[index + 1:]]
    if not following or following[0] is None or following[0][1] != 1:
        return None
    level, count = following[0][0], 0
    for marker in following:
        if marker is None:
            continue
        if marker[0] < level or marker[0] == level and marker[1] != count + 1:
            break
        if marker[0] == level:
            count += 1
    return count


# 8. the year a report covers

YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
COMPARED = re.compile(r"(?:与|比|较|相比|同比|上年|去年)[^，。；]{0,3}$")


def _years(quantity: Quantity) -> int | None:
    """The year a date quantity names, if any."""
    if quantity.kind != "date":
        return None
    if isinstance(quantity.value, int):
        return quantity.value
    head = str(quantity.value)[:4]
    return int(head) if head.isdigit() else None


def _date_line(paragraph: str) -> bool:
    """A paragraph that is only a date (a date line, or a signature's date)."""
    return re.fullmatch(r"[（(]?[0-9０-９〇一二三四五六七八九十]{2,4}年.{1,6}日[)）]?", paragraph.split()[-1]) is not None


def check_years(text: Text) -> list[Finding]:
    """The title's year against the years the body reports (citations, comparisons with an
    earlier year and later plans aside) and against the date line."""
    title_years = {int(y) for y in YEAR.findall(text.title)}
    if len(title_years) != 1:
        return []
    (year,) = title_years
    found = []
    counts: dict[int, list[tuple[int, Quantity]]] = {}
    for index, (paragraph, quantities) in enumerate(zip(text.paragraphs, text.quantities)):
        if index == 0:
            continue
        if _date_line(paragraph):
            dated = next((y for y in map(_years, quantities) if y), None)
            if dated and not year - 1 <= dated <= year + 1:
                found.append(Finding("year", index + 1, paragraph,
                                     f"落款日期是{dated}年，而标题写的是{year}年", tuple(quantities)))
            continue
        for quantity in quantities:
            stated = _years(quantity)
            if stated is None or _cited(paragraph, quantity.start) or \
                    COMPARED.search(paragraph[max(0, quantity.start - 8):quantity.start]):
                continue
            counts.setdefault(stated, []).append((index, quantity))
    earlier = {y: places for y, places in counts.items() if y < year}
    if not earlier:
        return found
    other, places = max(earlier.items(), key=lambda item: len(item[1]))
    own = len(counts.get(year, []))
    if own == 0 or len(places) >= 2 and len(places) > own:
        index, quantity = places[0]
        times = f"{len(places)}处写的是{other}年" if len(places) > 1 else f"写的是{other}年"
        own_text = f"只有{own}处写{year}年" if own else f"从未写到{year}年"
        found.append(Finding("year", index + 1, sentence_at(text.paragraphs[index], quantity.start),
                             f"标题写的是{year}年，正文{own_text}，{times}：正文报告的似乎是另一年的工作",
                             tuple(q for _, q in places)))
    return found


def _cited(paragraph: str, position: int) -> bool:
    """Inside the title of a cited document (《…》) or a document number's brackets."""
    return paragraph.rfind("《", 0, position) > paragraph.rfind("》", 0, position) or \
        position > 0 and paragraph[position - 1] in "〔[【"


# 10. the issuer

ORGANISATION = re.compile(r"([\u4e00-\u9fff]{2})(省|市|县|区|旗|镇|乡)总工会")   # a place's last two characters
ISSUER_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{2,12}?)(?:省|市|县|区|旗|镇|乡)总工会")


def _issuer(text: Text) -> tuple[str, str] | None:
    """(place, level) of the organisation that issues the document: from the signature (the
    last paragraphs), the byline under the title, or the title itself."""
    for paragraph in text.paragraphs[-3:][::-1] + text.paragraphs[1:3]:
        line = ISSUER_LINE.match(paragraph)
        if line and len(paragraph) <= len(line.group(0)) + 20:      # the name and a date at most
            named = ORGANISATION.search(line.group(0)[-8:])
            return named.group(1), named.group(2)
    named = ORGANISATION.search(text.title)
    return (named.group(1), named.group(2)) if named else None


def check_issuer(text: Text) -> list[Finding]:
    """The text naming, as the one who acts, an organisation of the issuer's level in another
    place ("遵义县总工会为此提出了…" in a 盐津县总工会 report); one it works with (与、联合、向 …)
    or lists beside others is not itself."""
    issuer = _issuer(text)
    if issuer is None:
        return []
    place, level = issuer
    found = []
    for index, paragraph in enumerate(text.paragraphs[1:], start=1):
        for match in ORGANISATION.finditer(paragraph):
            other, other_level = match.group(1), match.group(2)
            if other_level != level or other == place:
                continue
            before = paragraph[max(0, match.start() - 6):match.start()]
            listed = paragraph[match.end():match.end() + 1] in ("、", "和", "与", "及")
            opens_clause = match.start() == 0 or paragraph[match.start() - 1] in "，,。；;：:"
            if not opens_clause or listed or re.search("与|和|同|联合|配合|协助|向|赴|到|学习|邀请", before):
                continue
            found.append(Finding("issuer", index + 1, sentence_at(paragraph, match.start()),
                                 f"文中以“{match.group(0)}”自称，而发文单位是{place}{level}总工会"))
    return found


# 9. parts against totals

TOTAL_LAST = {"共", "共计", "合计", "总计", "一共", "总共"}


def _comparable(first: Quantity, second: Quantity) -> bool:
    """Same measure word, or both counting people (人, 名, 人次)."""
    return first.unit == second.unit or first.unit in PEOPLE and second.unit in PEOPLE


def check_totals(text: Text) -> list[Finding]:
    """Parts against their total, in the common forms: "T，其中a、b" (parts may not exceed T),
    "共T，分别为a、b" and "a、b，共计T" (parts must make T)."""
    found = []
    for index, (paragraph, quantities) in enumerate(zip(text.paragraphs, text.quantities)):
        measured = [q for q in quantities if isinstance(q.value, (int, float)) and
                    q.kind in ("count", "money", "measure")]
        for position, quantity in enumerate(measured):
            found += _parts_after(text, index, measured, position)
            found += _parts_before(text, index, measured, position)
    return found


def _parts_after(text: Text, index: int, measured: list[Quantity], position: int) -> list[Finding]:
    """T followed in its sentence by 其中 or 分别为 and parts in the same measure."""
    paragraph, total = text.paragraphs[index], measured[position]
    sentence_end = _sentence_span(paragraph, total.end)[1]
    following = paragraph[total.end:sentence_end]
    word = re.match(r"[^，,；;。]{0,12}?[，,]?(其中|分别为|分别是)[，,：:]?", following)
    if word is None:
        return []
    start = total.end + word.end()
    clause_end = min([i for i in (paragraph.find(m, start) for m in "；;。") if 0 <= i] + [len(paragraph)])
    parts = [q for q in measured[position + 1:] if start <= q.start < clause_end and _comparable(q, total)]
    if not parts:
        return []
    lows = sum(bounds(q)[0] for q in parts)
    highs = sum(bounds(q)[1] for q in parts)
    low, high = bounds(total)
    exhaustive = word.group(1) != "其中"
    listed = exhaustive or all("、" in paragraph[a.end:b.start] for a, b in zip(parts, parts[1:]))
    sentence = sentence_at(paragraph, total.start)
    over = [q for q in parts if bounds(q)[0] > high]
    if over:
        return [Finding("total", index + 1, sentence,
                        f"其中{over[0].surface}比总数{total.surface}还多", (total, over[0]))]
    summed = " + ".join(q.surface for q in parts)
    if len(parts) >= 2 and listed and lows > high:
        return [Finding("total", index + 1, sentence,
                        f"各部分相加为{summed} = {shown(lows)}{total.unit}，比总数{total.surface}还多",
                        (total, *parts))]
    if len(parts) >= 2 and exhaustive and highs < low:
        return [Finding("total", index + 1, sentence,
                        f"各部分相加为{summed} = {shown(highs)}{total.unit}，与总数{total.surface}不符",
                        (total, *parts))]
    return []


def _parts_before(text: Text, index: int, measured: list[Quantity], position: int) -> list[Finding]:
    """Parts listed before a 共计/合计/总计 T in the same sentence: they must make T."""
    paragraph, total = text.paragraphs[index], measured[position]
    if total.total_marker not in TOTAL_LAST:
        return []
    sentence_start = _sentence_span(paragraph, total.start)[0]
    marker_at = paragraph.rfind(total.total_marker, sentence_start, total.start)
    parts = [q for q in measured[:position] if q.start >= sentence_start and _comparable(q, total)
             and q.total_marker is None]
    if len(parts) < 2 or marker_at <= parts[-1].end:
        return []
    lows = sum(bounds(q)[0] for q in parts)
    highs = sum(bounds(q)[1] for q in parts)
    low, high = bounds(total)
    if lows <= high and highs >= low:
        return []
    summed = " + ".join(q.surface for q in parts)
    total_sum = shown(lows if lows > high else highs)
    return [Finding("total", index + 1, sentence_at(paragraph, total.start),
                    f"前面各项相加为{summed} = {total_sum}{parts[0].unit}，与{total.total_marker}"
                    f"{total.surface}不符", (*parts, total))]


# 11. rates against their counts

RATE = re.compile(r"([\u4e00-\u9fff]{1,4})率(?:为|是|达到|达|约为|约|仅为|仅|超过|已达|提高到|提高至)?$")
SHARE = re.compile(r"占[\u4e00-\u9fff]{0,8}?的?(?:比例|比重)?(?:为|是|达到|达|约为|约|仅为|仅)?$")
NEAR = 5.0   # percentage points: farther than this, the rate is about something the text omits


def check_rates(text: Text) -> list[Finding]:
    """A rate ("办结率96.9%", "占总数的10%左右") against the counts of its paragraph: the
    count must be about the rate's subject (its clause holds the words before 率, or, for
    占…的, it is the count just before), the base a larger count in the same measure before it.
    A rate is reported when no such pair gives it, within its rounding and qualifier, while
    one pair comes within a few points: a rate far from every pair is about something else."""
    found = []
    for index, (paragraph, quantities) in enumerate(zip(text.paragraphs, text.quantities)):
        counts = [q for q in quantities if q.kind == "count" and isinstance(q.value, (int, float))]
        for rate in (q for q in quantities if q.kind == "percent" and q.unit == "%"):
            lead = paragraph[max(0, rate.start - 12):rate.start]
            named, share = RATE.search(lead), SHARE.search(lead)
            earlier = [q for q in counts if q.end <= rate.start]
            if named and not re.search("增长|下降|同比|环比|比上年|增幅", named.group(1)):
                subject = set(named.group(1))
                parts = [q for q in earlier if subject <= set(_clause_of(paragraph, q))]
            elif share and earlier:
                parts = [earlier[-1]]
            else:
                continue
            pairs = [(part, whole, part.value / whole.value * 100) for part in parts for whole in earlier
                     if whole is not part and _comparable(part, whole) and whole.value >= part.value > 0]
            if not pairs or any(_gives(rate, computed) for _, _, computed in pairs):
                continue
            part, whole, computed = min(pairs, key=lambda pair: abs(pair[2] - float(rate.value)))
            if abs(computed - float(rate.value)) <= NEAR:
                decimals = max(1, len(str(rate.value).partition(".")[2]))
                found.append(Finding(
                    "rate", index + 1, sentence_at(paragraph, rate.start),
                    f"写的是{_with_qualifier(rate)}，但同段的 {part.surface} ÷ {whole.surface} = "
                    f"{computed:.{decimals}f}%", (rate, part, whole)))
    return found


def _clause_of(paragraph: str, quantity: Quantity) -> str:
    """The comma clause holding the quantity ("其中42家签订了集体合同")."""
    start = max(paragraph.rfind(mark, 0, quantity.start) for mark in "，,；;。")
    ends = [i for i in (paragraph.find(mark, quantity.end) for mark in "，,；;。") if i >= 0]
    return paragraph[start + 1:min(ends, default=len(paragraph))]


def _gives(rate: Quantity, computed: float) -> bool:
    """Whether a computed rate is what the stated one says: rounded half-up or cut to its
    decimals, or within the range of its qualifier (约, 左右, 近, 以上)."""
    stated = float(rate.value)
    if rate.qualifier not in (None, "达", "仅"):
        low, high = bounds(rate)
        return low - 0.05 <= computed <= high + 0.05 and (rate.qualifier not in ("约", "左右", "上下")
                                                          or abs(computed - stated) <= max(2.0, stated * 0.15))
    decimals = len(format(Decimal(str(rate.value)), "f").partition(".")[2])
    cut = math.floor(computed * 10 ** decimals) / 10 ** decimals
    return float(format_number(computed, decimals)) == stated or abs(cut - stated) < 1e-9


# --- the command --------------------------------------------------------------------------

def check_text(path: Path) -> list[Problem]:
    """Every contradiction found in the document at `path`, as warnings."""
    problems = Problems()
    for finding in check_document(read_document(path)):
        problems.warn(f"“{finding.sentence}”：{finding.message}", path.as_posix(), f"第{finding.paragraph}段")
    return problems.items


def findings_json(path: Path) -> dict:
    """What `check --text --json` prints: the file and each finding with the figures involved."""
    return {"file": path.as_posix(), "warnings": [
        {"paragraph": f.paragraph, "sentence": f.sentence, "kind": f.kind, "message": f.message,
         "figures": [{"surface": q.surface, "value": q.value, "unit": q.unit, "qualifier": q.qualifier,
                      "kind": q.kind} for q in f.figures]}
        for f in check_document(read_document(path))]}


def check_text_command(path: Path, strict: bool, as_json: bool = False) -> int:
    """What `wenmi check --text` prints and returns: 0, or 2 for warnings under --strict."""
    if as_json:
        report = findings_json(path)
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 2 if strict and report["warnings"] else 0
    found = check_text(path)
    if not found:
        print(f"未发现矛盾：{path.as_posix()} 中的数字、列举、合计、比率、年份和发文单位前后一致。")
        return 0
    print(grouped(found), file=sys.stderr)
    print(f"共 {len(found)} 个警告。")
    return 2 if strict else 0
