"""How offices word figures in running text, beyond the plain number (BRIEF §4).

Large numbers of any unit in 万 or 亿 ("22万人", "10万吨"); approximations with 余, 多 and 近
that keep as many significant digits as the office keeps ("1300多家", "6.6万余人",
"20多万人次", "近1500名"); ranges in the office's style ("1～2期", "500—2000元", "1至2期").
`WordingRules` holds what a project declares about these (the `wording:` mapping of its
`project:` section); `read_wording` reads such a text back, so every wording can be checked
against the value it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .numbers import SCALES, _decimal, _plain, _rounded, format_number, parse_number

APPROX_KINDS = ("余", "多", "近")
RANGE_STYLES = ("～", "—", "-", "至")
_RANGE_ALIASES = {"~": "～"}  # an ASCII tilde typed in a template means the full-width one
_POWERS = {name: len(str(size)) - 1 for name, size in SCALES.items()}     # 万: 4, 亿: 8
_SCALES = sorted(_POWERS.items(), key=lambda scale: -scale[1])             # 亿 tried first
# 余/多 after the classifier 个 when a fraction of the unit is left: "1个多小时", "3个多月"
_CLASSIFIER = "个"


@dataclass(frozen=True)
class WordingRules:
    """What a project declares about wording its figures; the defaults are the usual office's."""
    wan_from: float | None = None          # counts (any unit but 元 and %) from this size in 万
    approx_digits: int = 2                 # significant digits 余/多/近 keep: 1345 → 1300多
    approx_before_wan: bool = True         # 120多万元 (True) or 120万多元 (False)
    range_style: str = "～"                # separator of 范围: ～ — - 至
    measure_words: tuple[tuple[str, str], ...] = ()   # (unit, as written): (人次, 人(次))

    def measure_word(self, unit: str) -> str:
        """A unit as this project writes it."""
        return dict(self.measure_words).get(unit, unit)


DEFAULT_RULES = WordingRules()
RULE_KEYS = ("wan_from", "approx_digits", "approx_before_wan", "range_style", "measure_words")


class RuleError(ValueError):
    """A `wording:` value the rules do not allow; `key` says which, for the YAML line."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def rules_from_mapping(mapping: dict) -> WordingRules:
    """The `wording:` mapping of a project's YAML as rules; RuleError (in Chinese) on the
    first value the rules do not allow."""
    for key in mapping:
        if key not in RULE_KEYS:
            raise RuleError(key, f"wording 中有未知的键“{key}”，可用：{', '.join(RULE_KEYS)}")
    return WordingRules(
        _wan_from(mapping.get("wan_from")),
        _choice(mapping, "approx_digits",
                lambda n: isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 6,
                "应是 1 到 6 之间的整数（余/多/近 保留的有效数字）"),
        _choice(mapping, "approx_before_wan", lambda flag: isinstance(flag, bool),
                "应是 true（120多万元）或 false（120万多元）"),
        range_style(_choice(mapping, "range_style",
                            lambda style: str(style) in RANGE_STYLES + tuple(_RANGE_ALIASES),
                            f"应是 {'、'.join(RANGE_STYLES)} 之一")),
        _measure_words(mapping.get("measure_words")))


def _choice(mapping: dict, key: str, allowed, requirement: str):
    """mapping[key] (the default rule's value when absent), if `allowed` accepts it."""
    value = mapping.get(key, getattr(DEFAULT_RULES, key))
    if not allowed(value):
        raise RuleError(key, f"wording 的 {key}“{value}”{requirement}")
    return value


def _wan_from(value) -> float | None:
    """`wan_from: 10万` (or 100000) as a number; None when absent."""
    if value is None:
        return None
    try:
        number = parse_number(value if isinstance(value, str) else float(value))
    except (TypeError, ValueError):
        number = None
    if number is None or number < 1:
        raise RuleError("wan_from", f"wording 的 wan_from“{value}”应是一个正数，例如 10万 或 100000")
    return number


def _measure_words(words) -> tuple[tuple[str, str], ...]:
    """`measure_words: {人次: 人(次)}` as (unit, as written) pairs."""
    if words is None:
        return ()
    if not isinstance(words, dict) or not all(
            isinstance(word, str) and word.strip() for word in words.values()):
        raise RuleError("measure_words", "wording 的 measure_words 应按“单位: 写法”列出，例如 人次: 人(次)")
    return tuple((str(unit).strip(), word.strip()) for unit, word in words.items())


# ---------------------------------------------------------------- 万 and 亿

def format_large(value: float | int, scale: str = "万", digits: int = 2) -> str:
    """A number in 万 or 亿, rounded half-up to `digits` decimals of that scale, without
    trailing zeros: 220000 → "22万", 14614 → "1.46万" (digits 4: "1.4614万")."""
    if scale not in _POWERS:
        raise ValueError(f"未知的数量单位“{scale}”（可用：万、亿）")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 8:
        raise ValueError(f"小数位数应是0到8之间的整数，这里是“{digits}”")
    return format_number(_decimal(value).scaleb(-_POWERS[scale]), digits) + scale


def quantity_text(value: float | int, unit: str, digits: int,
                  rules: WordingRules = DEFAULT_RULES) -> str:
    """A count or measure (not money, not a percentage) in its default wording: in full,
    "1253人", or in 万/亿 with `digits` (at least 2) decimals once it reaches the project's
    `wan_from`: "22万人", "1.46万人", "3.2亿人"."""
    word = rules.measure_word(unit)
    if rules.wan_from is None or abs(value) < rules.wan_from:
        return format_number(value, digits) + word
    decimals = max(digits, 2)
    scale = "亿" if abs(_rounded(_decimal(value).scaleb(-8), decimals)) >= 1 else "万"
    return format_large(value, scale, decimals) + word


# ---------------------------------------------------------------- 余, 多, 近

def _step_power(number: Decimal, digits: int) -> int:
    """The power of ten an approximation rounds to: `digits` significant digits, but always
    at least the last integer digit dropped (15 → 10多, not 15) and never below the units
    (9.6 → 9 or 10)."""
    leading = number.adjusted()
    return 0 if leading < 1 else leading - min(digits, leading) + 1


def _scale_of(round_number: Decimal, step_power: int) -> tuple[str, int]:
    """亿 or 万 when the round number reaches it and keeps at most one decimal of it
    (6.6万, not 1.23万: 12300 stays in full); ("", 0) otherwise."""
    for name, power in _SCALES:
        if round_number >= Decimal(1).scaleb(power) and step_power >= power - 1:
            return name, power
    return "", 0


def format_approx(value: float | int, kind: str, unit: str = "", digits: int = 2,
                  before_wan: bool = True) -> str:
    """The approximate wording of a non-negative number with its unit.

    余 and 多 round down, 近 rounds up, to `digits` significant digits (the last integer
    digit always goes): 1345 → "1300多家", 125 → "120多起", 15 → "10多个", 66656 → "6.6万余人",
    1480 → "近1500名". From 1万 (1亿) the round number is written in 万 (亿) when that
    takes at most one decimal: 234567 → "23万多人", but with 3 digits 12345 → "12300多人次".
    余/多 stand where they mean what is left: after 万 when less than one 万 is ("2万多元"),
    before it when the last digit of the 万 count is the uncertain one ("120多万元",
    "20多万人次"; `before_wan=False` writes "120万多元"), after the classifier 个 or the unit
    when a fraction of the unit is ("1个多小时", "3天多"). A value the rounding leaves as it
    is — round already, or a whole number below 10 for 余 and 多 — is written exactly.
    """
    if kind not in APPROX_KINDS:
        raise ValueError(f"未知的概数写法“{kind}”（可用：余、多、近）")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 6:
        raise ValueError(f"概数保留的有效数字应是1到6之间的整数，这里是“{digits}”")
    number = _decimal(value)
    if number < 0:
        raise ValueError(f"概数只用于非负数，这里是 {format_number(number, 2)}")
    step_power = _step_power(number, digits)
    round_number = _rounded(number, -step_power, ROUND_CEILING if kind == "近" else ROUND_FLOOR)
    fraction_without_unit = kind != "近" and step_power == 0 and not unit   # not "9多"
    if round_number == number or round_number == 0 or fraction_without_unit:
        return format_number(value, 2) + unit
    scale, power = _scale_of(round_number, step_power)
    count = _plain(round_number.scaleb(-power))
    if kind == "近":
        return f"近{count}{scale}{unit}"
    if scale and (step_power < power + 1 or not before_wan):
        return f"{count}{scale}{kind}{unit}"
    if step_power >= 1:
        return f"{count}{kind}{scale}{unit}"
    if unit.startswith(_CLASSIFIER) and len(unit) > 1:
        return f"{count}{_CLASSIFIER}{kind}{unit[1:]}"
    return f"{count}{unit}{kind}"


# ---------------------------------------------------------------- ranges

def range_style(style: str) -> str:
    """A range separator as written: one of RANGE_STYLES ("~" is read as "～")."""
    style = _RANGE_ALIASES.get(style, style)
    if style not in RANGE_STYLES:
        raise ValueError(f"未知的范围样式“{style}”（可用：{'、'.join(RANGE_STYLES)}）")
    return style


def range_parts(low: float, high: float, unit: str = "", style: str = "～",
                unit_on_both: bool | None = None) -> tuple[str, str, str]:
    """A range as (low end, separator, high end), up to two decimals, so each end can be
    marked as the figure it shows: ("500", "～", "2000元"), ("1", "至", "2期").

    The unit is written once, after the high end, unless `unit_on_both` (by default only
    for "%": "15%～20%", as GB/T 15835 asks).
    """
    style = range_style(style)
    if low > high:
        raise ValueError(f"范围的下限{format_number(low, 2)}大于上限{format_number(high, 2)}")
    both = unit == "%" if unit_on_both is None else unit_on_both
    low_text, high_text = format_number(low, 2), format_number(high, 2)
    return f"{low_text}{unit if both else ''}", style, f"{high_text}{unit}"


def format_range(low: float, high: float, unit: str = "", style: str = "～",
                 unit_on_both: bool | None = None) -> str:
    """`range_parts` as one text: "500～2000元", "1-2期", "15%～20%"."""
    return "".join(range_parts(low, high, unit, style, unit_on_both))


# ---------------------------------------------------------------- reading back

_WORDED = re.compile(
    r"(?P<near>近)?(?P<count>[0-9]+(?:\.[0-9]+)?)(?P<inner>[余多])?(?P<scale>[万亿])?"
    r"(?P<outer>[余多])?(?P<unit>.*)", re.S)
# 余/多 inside or after the unit: "个多小时", "天多"
_AFTER_UNIT = re.compile(r"(?P<classifier>个)(?P<split>[余多])(?P<noun>.+)|(?P<unit>.+?)(?P<last>[余多])")


@dataclass(frozen=True)
class Reading:
    """A worded figure read back: the number written, and how far the value may lie from
    it — above it by less than `step` for 余/多, below it by less than `step` for 近."""
    value: Decimal                         # "20多万人次" → 200000
    qualifier: str | None                  # 余, 多, 近 or None
    unit: str                              # measure word as written, 个 rejoined: 个小时
    step: Decimal                          # the unit of the uncertain digit: 100000

    def holds(self, number: float | int) -> bool:
        """Whether `number` is a value this wording can stand for."""
        exact = _decimal(number)
        if self.qualifier is None:
            return exact == self.value
        if self.qualifier == "近":
            return self.value - self.step < exact < self.value
        return self.value < exact < self.value + self.step


def read_wording(text: str) -> Reading:
    """Read "20多万人次", "6.6万余人", "近1500名", "1个多小时", "22万人" back into a `Reading`;
    ValueError if the text is not a worded figure.

    The uncertain digit is the last non-zero digit written, wherever 余/多 stand: "1300多"
    is 1300 to 1400, "20多万" 20万 to 30万, "2万多" 2万 to 3万, "6.6万余" 6.6万 to 6.7万,
    "1个多小时" one to two hours; "近1500" 1400 to 1500.
    """
    match = _WORDED.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"“{text}”不是数字的写法")
    qualifier, unit = match["inner"] or match["outer"], match["unit"]
    after_unit = _AFTER_UNIT.fullmatch(unit) if qualifier is None else None
    if after_unit and after_unit["classifier"]:
        qualifier, unit = after_unit["split"], after_unit["classifier"] + after_unit["noun"]
    elif after_unit:
        qualifier, unit = after_unit["last"], after_unit["unit"]
    if match["near"]:
        if qualifier:
            raise ValueError(f"“{text}”中“近”与“{qualifier}”不能同时使用")
        qualifier = "近"
    count = Decimal(match["count"])
    scale = Decimal(1).scaleb(_POWERS.get(match["scale"] or "", 0))
    last_digit = Decimal(1).scaleb(count.normalize().as_tuple().exponent) if count else Decimal(1)
    return Reading(count * scale, qualifier, unit, last_digit * scale)
