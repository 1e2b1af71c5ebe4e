"""The outline of a document: which paragraphs are headings, with what marker and level.

A heading is a paragraph that opens with a marker — 一、 （一） (一)、 1、 1. （1） 一是 —
either alone (standalone) or followed by its text in the same paragraph (run-in: the
heading is the first sentence). Levels are not fixed per marker: they follow the
document, a marker counting as a child of the markers open above it that rank higher
(一、 above （一） above 1. above （1） above 一是), so a document that goes 一、 → 1、 has 1、 at
level 2, and a list of 1、 items before any 一、 stays at level 1.

Each marker kind also has its place in Wenmi's body: # for 一、, ## for （一）, ### for
1. or 1、, #### for （1）, and a list for 一是 paragraphs, so Wenmi numbers them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HANZI_DIGITS = "一二三四五六七八九十百零〇两"
HANZI_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
               "七": 7, "八": 8, "九": 9}

# (kind, rank, Wenmi heading level, pattern); the pattern's group "n" is the number.
MARKERS = (
    ("hanzi_dunhao", 1, 1, re.compile(rf"^(?P<n>[{HANZI_DIGITS}]{{1,3}})[、，,．](?!是)")),
    ("paren_hanzi", 2, 2, re.compile(rf"^[（(](?P<n>[{HANZI_DIGITS}]{{1,3}})[）)]、?")),
    ("arabic", 3, 3, re.compile(r"^(?P<n>[1-9][0-9]?)(?:[、．]|\.(?![0-9]))(?![0-9])")),
    ("paren_arabic", 4, 4, re.compile(r"^[（(](?P<n>[1-9][0-9]?)[）)](?![0-9])")),
    ("hanzi_shi", 5, None, re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})是(?=\S)")),
)
HEADING_END = re.compile(r"[。！？!?]")
COLON_END = re.compile(r"[：:]")


def hanzi_number(text: str) -> int | None:
    """一 → 1, 十一 → 11, 二十 → 20, 九十九 → 99; None for what is not such a numeral."""
    if not text or any(ch not in HANZI_VALUE and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return HANZI_VALUE[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (HANZI_VALUE[tens] if tens else 1) * 10 + (HANZI_VALUE[ones] if ones else 0)


@dataclass(frozen=True)
class Marker:
    """The marker a paragraph opens with."""
    kind: str            # hanzi_dunhao, paren_hanzi, arabic, paren_arabic, hanzi_shi
    rank: int            # 1 = highest
    wenmi_level: int | None   # the Markdown heading level Wenmi numbers it at; None: a list item
    text: str            # as written: "一、", "(二)、", "3.", "四是"
    number: int
    mark: str = ""       # for arabic: "." or "、", the level-3 mark Wenmi writes


def marker_of(paragraph: str) -> Marker | None:
    """The heading marker `paragraph` opens with, if any."""
    for kind, rank, level, pattern in MARKERS:
        found = pattern.match(paragraph)
        if not found:
            continue
        digits = found.group("n")
        number = int(digits) if digits.isdigit() else hanzi_number(digits)
        if number is None or found.end() >= len(paragraph):
            continue
        text = found.group()
        mark = "、" if kind == "arabic" and text.endswith("、") else "." if kind == "arabic" else ""
        return Marker(kind, rank, level, text, number, mark)
    return None


def split_heading(paragraph: str, marker: Marker) -> tuple[str, str]:
    """(heading text, rest): the heading is the paragraph's first sentence after the
    marker, or what comes before a colon that closes a short heading; the closing 。 or
    ：belongs to neither the heading text nor (as JSON reports it) anything else."""
    body = paragraph[len(marker.text):]
    end = HEADING_END.search(body)
    colon = COLON_END.search(body)
    if colon and (end is None or colon.start() < end.start()) and colon.start() <= 30 \
            and body[colon.end():colon.end() + 1] not in ("《", "“", '"', "") and "(" not in body[:3] \
            and "（" not in body[:3]:
        end = colon
    if end is None:
        return body, ""
    return body[:end.start()], body[end.end():]


@dataclass(frozen=True)
class Heading:
    """A paragraph found to be a heading."""
    paragraph: int       # its index among the document's paragraphs
    marker: Marker | None
    level: int           # depth in this document's outline, 1 = top
    text: str            # without marker and closing punctuation
    run_in: bool         # its paragraph goes on after the heading sentence
    styled: int | None = None   # for an unnumbered heading: the level its style gave


def find_headings(paragraphs: list[str], styled: list[int | None]) -> list[Heading]:
    """Every heading of a document in order, with levels from the markers' nesting.

    A paragraph opening with 一是 counts only when the next 二是 opens a paragraph too
    (otherwise 一是……二是…… is an enumeration inside the paragraph). `styled` gives the
    level a DOCX style or a Markdown # gave each paragraph, for headings without markers.
    """
    headings: list[Heading] = []
    stack: list[int] = []            # ranks of the open headings
    shi_series = _shi_paragraphs(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        marker = marker_of(paragraph)
        if marker is not None and marker.kind == "hanzi_shi" and index not in shi_series:
            marker = None
        if marker is None:
            if styled[index] is None:
                continue
            rank = 0.5 + styled[index]      # by style: 1 above 一、's rank, and so on
            text, run_in = paragraph.rstrip("。：:"), False
        else:
            rank = marker.rank
            text, rest = split_heading(paragraph, marker)
            run_in = bool(rest.strip())
        while stack and stack[-1] >= rank:
            stack.pop()
        level = len(stack) + 1
        stack.append(rank)
        headings.append(Heading(index, marker, level, text.strip(), run_in,
                                styled[index] if marker is None else None))
    return headings


def _shi_paragraphs(paragraphs: list[str]) -> set[int]:
    """Paragraphs in a run of 一是, 二是, 三是… each opening its own paragraph."""
    numbers = {}
    for index, paragraph in enumerate(paragraphs):
        marker = marker_of(paragraph)
        if marker is not None and marker.kind == "hanzi_shi":
            numbers[index] = marker.number
    chosen = set()
    for index, number in numbers.items():
        after = next((i for i in numbers if i > index), None)
        before = max((i for i in numbers if i < index), default=None)
        if after is not None and numbers[after] == number + 1 or \
                before is not None and numbers[before] == number - 1:
            chosen.add(index)
    return chosen


def continuous_arabic(headings: list[Heading]) -> bool:
    """Whether 1. 2. … run straight through the document, going on after a higher heading
    instead of restarting under it (工作要点: 1.–19. across 一、 to 四、)."""
    numbers = [h.marker.number for h in headings if h.marker and h.marker.kind == "arabic"]
    crosses = any(h.marker and h.marker.kind == "arabic" and h.marker.number > 1
                  and _follows_higher(headings, i) for i, h in enumerate(headings))
    return len(numbers) >= 3 and numbers == list(range(1, len(numbers) + 1)) and crosses


def _follows_higher(headings: list[Heading], index: int) -> bool:
    previous = headings[index - 1] if index else None
    return previous is not None and previous.marker is not None and previous.marker.rank < 3
