"""Typesetting rules for Chinese text that every writer shares: where a long title breaks,
how its phrases are spaced, and which stretches of text must never be split across lines.

GB/T 9704 asks a title that does not fit one line to break "词意完整" — between phrases, in a
trapezoid or diamond. A title often lists its phrases with spaces between them ("建起来 暖起来
…"); they are printed with full-width spaces, and a break falls there first, then after
punctuation, then before a quoted term or after "的"; never inside a quoted or bracketed
term, before a closing mark, or between a number and its unit. The same number-and-unit
stretches are kept on one line in body text (writers bind them: WORD JOINER in DOCX, a
nowrap span in HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

# A number with its unit or measure word ("32.38万元", "1253人", "280余人次", "12.5%"), or a
# range of them ("500～2000元", "500—2000元"): printed on one line.
UNITS = ("人次|平方米|小时|公里|万元|亿元|元|人|名|户|个|家|次|项|期|场|件|天|年|月|日|岁|米|吨|台|"
         "所|篇|条|张|座|套|本|册|位|支|批|班|届|周|倍|起|宗|辆|处|间|亩|门|类|%|‰")
_AMOUNT = rf"\d[\d,.]*(?:[余多]?[万亿]?[余多]?(?:{UNITS}))?"
NUMBER_WITH_UNIT = re.compile(rf"{_AMOUNT}(?:[～—~至－-]{_AMOUNT})?")

# Pairs that enclose a term the title must keep whole.
ENCLOSING = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "〈": "〉"}
NO_LINE_START = set("”’》）)」〉、，。：；！？…—·%")    # never at the start of a line
NO_LINE_END = set("“‘《（(「〈")                         # never at the end of a line
PUNCTUATION_BREAK = set("，、：；！？")                    # a break after these reads well
SPACE = "\u3000"

# How good a break between two pieces of a title is; breaks worse than any allowed one are
# never taken while a title can be set in more lines.
AT_SPACE, AFTER_PUNCTUATION, AT_WORD, ANYWHERE = 3, 2, 1, 0


def phrase_spaced(title: str) -> str:
    """A title with the spaces between its Chinese phrases as one full-width space each;
    spaces between Latin words or digits stay as they are."""
    return re.sub(r"(?<=[^\x00-\x7f])[ \u3000]+|[ \u3000]+(?=[^\x00-\x7f])", SPACE, title.strip())


@dataclass(frozen=True)
class _Piece:
    text: str
    quality: int                     # how good a break is before this piece


def _pieces(title: str) -> list[_Piece]:
    """The title in pieces that never break inside: an enclosed term with its marks, a
    number with its unit, a Latin word, or a single character; each with the quality of a
    break in front of it. Full-width spaces are dropped: they become the best breaks."""
    pieces: list[_Piece] = []
    quality, position = ANYWHERE, 0
    while position < len(title):
        char = title[position]
        if char == SPACE:
            quality, position = AT_SPACE, position + 1
            continue
        end = position + 1
        if char in ENCLOSING and (close := title.find(ENCLOSING[char], position + 1)) > 0:
            end = close + 1
        elif found := NUMBER_WITH_UNIT.match(title, position):
            end = found.end()
        elif char.isascii() and char.isalnum():
            while end < len(title) and title[end].isascii() and title[end].isalnum():
                end += 1
        text = title[position:end]
        if pieces and quality == ANYWHERE:
            previous = pieces[-1].text[-1]
            if previous in PUNCTUATION_BREAK:
                quality = AFTER_PUNCTUATION
            elif previous == "的" or text[0] in ENCLOSING or title.startswith("关于", position):
                quality = AT_WORD
        glued = pieces and (text[0] in NO_LINE_START or pieces[-1].text[-1] in NO_LINE_END)
        if glued and quality != AT_SPACE:
            pieces[-1] = _Piece(pieces[-1].text + text, pieces[-1].quality)
        else:
            pieces.append(_Piece(text, quality))
        quality, position = ANYWHERE, end
    return pieces


def title_lines(title: str, width: float) -> list[str]:
    """The lines a title is set in, each at most `width` characters wide where it can be.

    Fewest lines first; then the best breaks (spaces, then punctuation, then words); then
    no break between two parallel phrases (as long, with the same last character: "暖起来
    硬起来"); then lines as even as can be. Within a line the phrases keep their full-width
    spaces.
    """
    title = phrase_spaced(title)
    if _width(title) <= width:
        return [title]
    pieces = _pieces(title)
    phrases = _phrases(pieces)
    best = None
    for count in range(1, min(len(pieces), 4)):
        for cuts in combinations(range(1, len(pieces)), count):
            lines = _lines(pieces, cuts)
            if max(map(_width, lines)) > width:
                continue
            quality = min(pieces[cut].quality for cut in cuts)
            parallel = sum(_parallel(phrases[cut - 1], phrases[cut]) for cut in cuts
                           if pieces[cut].quality == AT_SPACE)
            widths = [_width(line) for line in lines]
            score = (-quality, parallel, max(widths) - min(widths))
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return [title]                    # nothing fits: the writer's own line breaking decides


def _lines(pieces: list[_Piece], cuts: tuple[int, ...]) -> list[str]:
    """The pieces joined into lines at `cuts`, full-width spaces back between phrases."""
    lines, start = [], 0
    for end in (*cuts, len(pieces)):
        line = ""
        for index in range(start, end):
            gap = SPACE if index > start and pieces[index].quality == AT_SPACE else ""
            line += gap + pieces[index].text
        lines.append(line)
        start = end
    return lines


def _phrases(pieces: list[_Piece]) -> list[str]:
    """For each piece, the text of the space-separated phrase it belongs to."""
    phrases, start = [], 0
    for end in [index for index, piece in enumerate(pieces) if piece.quality == AT_SPACE][1:] + [len(pieces)]:
        if end <= start:
            continue
        phrase = "".join(piece.text for piece in pieces[start:end])
        phrases += [phrase] * (end - start)
        start = end
    return phrases


def _parallel(before: str, after: str) -> bool:
    return len(before) == len(after) > 1 and before[-1] == after[-1]


def _width(text: str) -> float:
    """Width in characters of the title font: 1 for a Chinese character, ½ for ASCII."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def unbreakable(text: str) -> list[tuple[int, int]]:
    """Where `text` holds a number with a Chinese unit (or a range of them): (start, end)
    pairs. All-ASCII stretches ("2024", "12.5%") are left out: no line breaks inside them."""
    return [found.span() for found in NUMBER_WITH_UNIT.finditer(text) if not found.group().isascii()]


WORD_JOINER = "\u2060"               # no line break on either side, no width (Unicode UAX #14)


def bound(texts: list[str]) -> list[str]:
    """`texts` (the runs of one paragraph, in order) with a WORD JOINER wherever a line
    could otherwise break inside a number and its unit: between a digit and a Chinese
    unit, and between the characters of the unit. Readers of the text drop the joiners
    (`ooxml.text_of`); a joiner between two runs goes at the start of the second."""
    whole = "".join(texts)
    joins = {index for start, end in unbreakable(whole) for index in range(start + 1, end)
             if not (whole[index - 1].isascii() and whole[index].isascii())}
    if not joins:
        return texts
    result, offset = [], 0
    for text in texts:
        cuts = sorted(index - offset for index in joins if offset <= index < offset + len(text))
        result.append(WORD_JOINER.join(text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)]))
                      if cuts else text)
        offset += len(text)
    return result
