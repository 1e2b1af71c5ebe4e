"""Figures of an imported text as Wenmi placeholders: a name from the words around each
figure, a `figures:` entry holding the value as found, and the placeholder that prints it
back exactly as it was written.

The wording is never guessed: each way of writing the placeholder (`{{ 名称 }}`,
`{{ 名称|万元 }}`, `{{ 名称|万 }}`, `{{ 低|范围(高) }}`…) is rendered by Wenmi's own
filters and kept only if it gives back the figure's text character for character. When
none does ("280余人次": Wenmi writes 余 only for a value that is not round), the number
alone becomes the placeholder (`{{ 名称|数值 }}余人次`) and the words stay as written.
Dates, document numbers, hotlines and ordinals are not figures a ledger gives: they stay
literal. Quantities written in Chinese numerals ("四项措施") are words and stay too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..composing.render import FILTERS, unmarked
from ..figures import Figure, Provenance, figure_text
from ..wording import RANGE_STYLES
from .quantities import Quantity

LITERAL_KINDS = {"date", "date_range", "identifier", "doc_number", "ordinal"}
NUMBER_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
CLAUSE_MARKS = "，,；;。：:、！？!?（(）)“”\"《》"
# Words that open or close the words before a figure without naming what it counts.
LEADING_WORDS = re.compile(r"^(?:全县|全市|全省|全区|全镇|全乡|全年|今年|去年|本年|年内|目前|其中|共计|共|累计|"
                           r"合计|总计|先后|已经|已|分别|一共|同时|并|又|还|再|均|各|截至|截止|为|向|对|给|在|了|"
                           r"和|与|及|仅|约|近|达)+")
TRAILING_WORDS = re.compile(r"(?:达到|达|为|是|了|有|到|共计|共|计|约|近|超过|超|逾|各|等|的|和|及|与|至)+$")
SUFFIXES = {"元": "金额", "%": "比例", "人": "人数", "名": "人数", "人次": "人次", "户": "户数", "个": "数",
            "家": "家数", "件": "件数", "次": "次数", "场": "场次", "场次": "场次", "期": "期数", "项": "项数",
            "份": "份数"}
# What a name already ends with when it says what the unit counts.
ENDINGS = {"元": ("额", "金", "款", "费", "资金", "经费"), "%": ("率", "比", "比例", "比重", "占比"),
           "ratio": ("比", "比例")}
RESERVED = {"项目", "报告", "正文", "对象", "序号"}
HAN_ONLY = re.compile(r"[^\u4e00-\u9fff]")


@dataclass(frozen=True)
class Placeholder:
    """How one figure is written in the imported body, and the figures it declares."""
    text: str                                  # replaces the figure's surface in the body
    entries: tuple[tuple[str, dict], ...]      # (name, {value, unit, digits?}) for figures:


def is_literal(quantity: Quantity) -> bool:
    """Whether a quantity stays as written: a date, a document number, a hotline, an
    ordinal, one without a number value, or one written in Chinese numerals."""
    return quantity.kind in LITERAL_KINDS or not isinstance(quantity.value, (int, float)) \
        or not any(ch.isdigit() for ch in quantity.surface)


def base_name(text: str, quantity: Quantity, after: int = 0) -> str:
    """A name for the figure from its clause (which starts after position `after`, the end
    of the figure before it): what it counts when a noun follows the figure ("1253名困难职工"
    → 困难职工人数, with a short verb before it: 聘请律师人数), else the words before it
    ("新建基层工会12个" → 新建基层工会数), with a word for what its unit counts."""
    start = max([text.rfind(mark, 0, quantity.start) for mark in CLAUSE_MARKS] + [after - 1]) + 1
    before = HAN_ONLY.sub("", text[start:quantity.start])
    before = TRAILING_WORDS.sub("", LEADING_WORDS.sub("", before))
    following = re.sub(r"^(?:以上|以下|左右|不等|上下)", "", text[quantity.end:])
    noun = re.match(r"[\u4e00-\u9fff]{2,8}", following) if quantity.kind == "count" else None
    thing = re.split(r"(?<=.)[的和与及等在送参获到为是达]", noun.group())[0][:5] if noun else ""
    if len(thing) >= 2:
        words = (before[-2:] if len(thing) <= 3 else "") + thing
    else:
        words = before[-12:]
    words = LEADING_WORDS.sub("", words) or "数字"
    unit = quantity.unit or ""
    if not words.endswith(ENDINGS.get(unit, ("数",)) + (unit or "\0",)):
        words += SUFFIXES.get(unit, f"{unit}数" if unit and unit != "ratio" else "")
    if words in RESERVED or not words.isidentifier():
        words = f"数字{words}" if f"数字{words}".isidentifier() else "数字"
    return words


def placeholder(quantity: Quantity, name: str) -> Placeholder | None:
    """The placeholder(s) that print `quantity` back as written; None to keep it literal."""
    surface = quantity.surface
    runs = list(NUMBER_RUN.finditer(surface))
    if len(runs) == 1:
        found = _single(quantity, name, runs[0])
        if found:
            return found
    if len(runs) == 2 and quantity.value_max is not None:
        found = _range(quantity, name, runs)
        if found:
            return found
    return _numbers_only(quantity, name, runs)


def _figure(name: str, value: float | int, unit: str, digits: int) -> Figure:
    return Figure(name, name, value, unit, digits, Provenance("", "", ()))


def _decimals(written: str) -> int:
    return len(written.partition(".")[2])


def _default_digits(unit: str) -> int:
    """The digits a `figures:` entry gets when it states none (as the project reader does)."""
    return {"%": 1, "元": 2}.get(unit, 0)


def _entry(value, unit: str, digits: int) -> dict:
    entry = {"value": value, "unit": unit}
    if digits != _default_digits(unit):
        entry["digits"] = digits
    return entry


def _single(quantity: Quantity, name: str, run: re.Match) -> Placeholder | None:
    """One placeholder for the whole surface: bare, or through a unit filter."""
    unit = "" if quantity.unit in (None, "ratio") else quantity.unit
    scale = re.match(r"[余多]?(万|亿)", quantity.surface[run.end():])
    written = run.group() + (scale.group(1) if scale else "")
    digits = _decimals(run.group())
    ways = [("", figure_text)]
    if unit == "元":
        ways += [(f"|{u}", FILTERS[u]) for u in ("元", "万元", "亿元")]
    if scale:
        ways.append((f"|{scale.group(1)}", FILTERS[scale.group(1)]))
    for choice in dict.fromkeys((_default_digits(unit), digits)):
        figure = _figure(name, quantity.value, unit, choice)
        for suffix, write in ways:
            if unmarked(write(figure)) == quantity.surface:
                value = written if scale else quantity.value
                return Placeholder(f"{{{{ {name}{suffix} }}}}", ((name, _entry(value, unit, choice)),))
    return None


def _range(quantity: Quantity, name: str, runs: list[re.Match]) -> Placeholder | None:
    """"500～1000元" as `{{ 低|范围(高) }}`, when Wenmi's range wording gives it back — as
    offices print a range: "500元~1000元" comes back as "500～1000元" (the unit once, never
    an ASCII tilde)."""
    unit = quantity.unit or ""
    low, high = (_figure(f"{name}下限", quantity.value, unit, 2),
                 _figure(f"{name}上限", quantity.value_max, unit, 2))
    written = quantity.surface.replace("~", "～")
    surfaces = {written, re.sub(rf"{re.escape(unit)}(?=[～—\-至])", "", written)}   # the unit once
    for style in RANGE_STYLES:
        if unmarked(FILTERS["范围"](low, high, style)) in surfaces:
            argument = "" if style == RANGE_STYLES[0] else f', 样式="{style}"'
            return Placeholder(f"{{{{ {low.id}|范围({high.id}{argument}) }}}}",
                               ((low.id, _entry(quantity.value, unit, _default_digits(unit))),
                                (high.id, _entry(quantity.value_max, unit, _default_digits(unit)))))
    return None


def _numbers_only(quantity: Quantity, name: str, runs: list[re.Match]) -> Placeholder | None:
    """Each number of the surface a `{{ 名称|数值 }}` of its own, the words kept as written;
    None when even that would not print a number back as written (a grouping comma)."""
    parts = {2: ("下限", "上限")} if quantity.kind in ("range", "money_range") else {2: ("前项", "后项")}
    names = [name] if len(runs) == 1 else [
        f"{name}{parts[2][i]}" if len(runs) == 2 else f"{name}_{i + 1}" for i in range(len(runs))]
    text, entries, position = [], [], 0
    for run, figure_name in zip(runs, names):
        written = run.group()
        number = float(written) if "." in written else int(written)
        figure = _figure(figure_name, number, "", _decimals(written))
        if unmarked(FILTERS["数值"](figure)) != written:
            return None
        rest = quantity.surface[run.end():]
        unit = re.sub(r"[余多]", "", re.split(r"[0-9~～—\-至:]", rest)[0])
        text += [quantity.surface[position:run.start()], f"{{{{ {figure_name}|数值 }}}}"]
        entries.append((figure_name, _entry(number, unit, _decimals(written))))
        position = run.end()
    text.append(quantity.surface[position:])
    return Placeholder("".join(text), tuple(entries))
