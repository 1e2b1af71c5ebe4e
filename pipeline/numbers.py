"""Wenmi's number and date conventions (BRIEF §3–§4), in one pure module.

Parsing reads figures the way offices type them into ledgers ("１２，０００", "1.2万", "90%",
"2024年3月5日", an Excel serial); a cell that cannot be read raises ValueError with a short
Chinese reason, which the loader wraps into a WenmiError with the file and cell. Formatting
writes figures the way 公文 print them ("32.38万元", "90.9%", "同比增长12.5%"); the
wordings of pipeline/wording.py ("20多万人次", "1～2期") are built on it.
Arithmetic is done in `Decimal` on the number's shortest text, so 2.675 rounds half-up to
2.68 as a reader expects, not to the 2.67 its binary value would give.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

BLANK_MARKERS: frozenset[str] = frozenset({
    "", "-", "--", "—", "——", "－", "/", "／", "\\", "无", "空", "暂无", "不详",
})

# Full-width ASCII (U+FF01–U+FF5E) to half-width, the ideographic space to a space, and the
# typographic minus sign to a hyphen-minus. Deliberately not NFKC: that would also read "①"
# or "²" as digits.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH.update({0x3000: " ", 0x2212: "-"})

_SPACES = " \t\r\n\u3000\u00a0"

_NUMBER = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<digits>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>%|万元|亿元|万|亿|元|)")
# Digits and commas that are not in groups of three: worth a more precise reason.
_MISGROUPED = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?")
SCALES = {"万": 10_000, "亿": 100_000_000}    # a number "in 万": 22万人 is 220000 人
_MONEY_POWERS = {"元": 0, "万元": 4, "亿元": 8}
_CHINESE_DIGITS = "零一二三四五六七八九"
_YEAR_DIGITS = "〇一二三四五六七八九"  # years are read digit by digit, with 〇 (U+3007)

_DATE_FORMATS = tuple(re.compile(pattern) for pattern in (
    r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?",
    r"(?P<year>[0-9]{4})年(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日",
    r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})",
))

# Excel's 1900 date system counts 1900-01-01 as day 1 and keeps Lotus's phantom 1900-02-29
# as day 60, so from day 61 on the count is days since 1899-12-30.
_EXCEL_PHANTOM_DAY = 60
_EXCEL_LAST_DAY = 2_958_465  # 9999-12-31


def _clean(text: str) -> str:
    """Full-width characters made half-width, surrounding spaces removed."""
    return text.translate(_HALF_WIDTH).strip(_SPACES)


def is_blank(text: str | float | None) -> bool:
    """Whether a cell means "nothing here": None, NaN, spaces, or a blank marker like "—".

    "0" is a value, not a blank.
    """
    if text is None or isinstance(text, float) and math.isnan(text):
        return True
    return isinstance(text, str) and text.strip(_SPACES) in BLANK_MARKERS


def _shown_and_cleaned(value: object, kind: str) -> tuple[str, str] | None:
    """A cell left to be read as text: None when blank, else as messages show it (outer
    spaces trimmed) and as it is matched (`_clean`); a ValueError naming `kind` ("数字",
    "日期") when it is not text at all."""
    if not isinstance(value, str):
        raise ValueError(f"“{value}”不是{kind}")
    if is_blank(value):
        return None
    return value.strip(_SPACES), _clean(value)


def parse_number(text: str | int | float) -> float | None:
    """A ledger cell as a number: None for a blank, ValueError (in Chinese) if unreadable.

    Accepts full-width digits and punctuation, thousands separators in groups of three,
    a 万 or 亿 multiplier, a trailing 元, and a percent sign (90% gives 90.0 points).
    """
    if isinstance(text, bool):
        raise ValueError(f"“{text}”不是数字")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and math.isnan(text):
            return None
        try:
            number = float(text)
        except OverflowError:
            raise ValueError("数值太大，不是合理的数值") from None
        if math.isinf(number):
            raise ValueError(f"“{text}”不是有限的数值")
        return number
    texts = _shown_and_cleaned(text, "数字")
    if texts is None:
        return None
    shown, cleaned = texts
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        if _MISGROUPED.fullmatch(cleaned):
            raise ValueError(f"“{shown}”的千位分隔符位置不对（应每三位一个）")
        raise ValueError(f"“{shown}”不是数字")
    amount = Decimal(match["sign"] + match["digits"].replace(",", ""))
    number = float(amount * SCALES.get(match["suffix"].removesuffix("元"), 1))
    if math.isinf(number):
        raise ValueError(f"“{shown}”太大，不是合理的数值")
    return number


def _excel_serial_date(serial: int | float) -> datetime.date:
    """The day an Excel serial number (1900 date system) stands for; the time part is dropped."""
    if not 1 <= serial < _EXCEL_LAST_DAY + 1:  # also refuses ±inf
        raise ValueError(f"“{serial}”不是Excel日期序号（应在1到{_EXCEL_LAST_DAY}之间）")
    day = int(serial)
    if day == _EXCEL_PHANTOM_DAY:
        raise ValueError("Excel日期序号60对应不存在的1900年2月29日")
    epoch = datetime.date(1899, 12, 31) if day < _EXCEL_PHANTOM_DAY else datetime.date(1899, 12, 30)
    return epoch + datetime.timedelta(days=day)


def parse_date(value: str | int | float | datetime.date | datetime.datetime) -> datetime.date | None:
    """A ledger cell as a date: None for a blank, ValueError (in Chinese) if unreadable.

    Accepts 2024-03-05, 2024/3/5, 2024.3.5 (a time after them is ignored), 2024年3月5日,
    20240305, an Excel serial number, and date or datetime objects.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是日期")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return _excel_serial_date(value)
    texts = _shown_and_cleaned(value, "日期")
    if texts is None:
        return None
    shown, cleaned = texts
    match = next(filter(None, (pattern.fullmatch(cleaned) for pattern in _DATE_FORMATS)), None)
    if match is None:
        raise ValueError(f"“{shown}”不是日期（可写作2024-03-05或2024年3月5日）")
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ValueError(f"“{shown}”不是存在的日期") from None


# ---------------------------------------------------------------- formatting

def _decimal(value: float | int | Decimal) -> Decimal:
    """A number as the Decimal of its shortest text (0.1 stays 0.1); ValueError if not finite."""
    number = value if isinstance(value, Decimal) else (
        Decimal(value) if isinstance(value, int) else Decimal(str(float(value))))
    if not number.is_finite():
        raise ValueError(f"“{value}”不是有限的数值")
    return number


def _rounded(number: Decimal, digits: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """`number` rounded to `digits` decimals (negative: to tens, hundreds…), with precision
    enough for any float."""
    with localcontext() as context:
        context.prec = max(context.prec, number.adjusted() + digits + 2)
        return number.quantize(Decimal(1).scaleb(-digits), rounding=rounding)


def _plain(number: Decimal) -> str:
    """Fixed-point text without trailing zeros, a trailing "." or a minus on zero."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_number(value: float | int, digits: int = 0) -> str:
    """A number for running text: rounded half-up to `digits`, no separators, no trailing zeros."""
    return _plain(_rounded(_decimal(value), digits))


def format_money(yuan: float | int, unit: str | None = None, digits: int = 2) -> str:
    """An amount in 元 as 公文 print it: 5800元, 32.38万元, 1.25亿元.

    With no unit, the largest of 元/万元/亿元 in which the amount, once rounded, is at least 1:
    the choice looks at the rounded value, so 9999.999元 prints as "1万元", not "10000元".
    """
    amount = _decimal(yuan)
    if unit is None:
        unit = "元"
        for larger in ("万元", "亿元"):
            if abs(_rounded(amount.scaleb(-_MONEY_POWERS[unit]), digits)) < 10_000:
                break
            unit = larger
    elif unit not in _MONEY_POWERS:
        raise ValueError(f"未知的金额单位“{unit}”（可用：元、万元、亿元）")
    return format_number(amount.scaleb(-_MONEY_POWERS[unit]), digits) + unit


def format_percent(points: float | int, digits: int = 1) -> str:
    """Percentage points as "90.9%" (97 gives "97%")."""
    return format_number(points, digits) + "%"


def change_percent(current: float, previous: float) -> Decimal:
    """The change against last year in percent, exactly (no float rounding before the
    wording rounds it). It is of last year's size, so a rise from −10 to −5 is a rise of 50%."""
    if previous == 0:
        raise ValueError("上年数值为0，无法计算同比")
    earlier = _decimal(previous)
    return (_decimal(current) - earlier) / abs(earlier) * 100


def format_change(current: float, previous: float, digits: int = 1) -> str:
    """The change against last year: "同比增长12.5%", "同比下降3.1%" or "与上年持平".

    The percentage is `change_percent`, rounded half-up to `digits`.
    """
    change = change_percent(current, previous)
    size = format_number(abs(change), digits)
    if size == "0":
        return "与上年持平"
    return f"同比{'增长' if change > 0 else '下降'}{size}%"


def format_ratio(a: float, b: float, digits: int = 1) -> str:
    """The ratio a:b written as "1:x" (2 and 1 give "1:0.5")."""
    if a == 0:
        raise ValueError("比例的前项为0，无法写成“1:x”")
    return "1:" + format_number(_decimal(b) / _decimal(a), digits)


def chinese_numeral(n: int) -> str:
    """0–9999 in Chinese numerals, as headings and dates use them: 11 → 十一, 105 → 一百零五."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 9999:
        raise ValueError(f"“{n}”无法写成中文数字（只支持0到9999的整数）")
    if n == 0:
        return _CHINESE_DIGITS[0]
    parts: list[str] = []
    zero_pending = False
    for power, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append(_CHINESE_DIGITS[0])
            zero_pending = False
        parts.append(_CHINESE_DIGITS[digit] + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text  # 十一, not 一十一


def format_date(d: datetime.date, chinese: bool = False) -> str:
    """A date as 公文 print it: "2024年12月20日", or "二〇二四年十二月二十日" with chinese=True."""
    if not chinese:
        return f"{d.year}年{d.month}月{d.day}日"
    year = "".join(_YEAR_DIGITS[int(digit)] for digit in str(d.year))
    return f"{year}年{chinese_numeral(d.month)}月{chinese_numeral(d.day)}日"
