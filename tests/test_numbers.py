"""Number and date conventions (BRIEF §3–§4): how ledgers are read, how 公文 print figures."""

import math
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wenmi.numbers import (
    BLANK_MARKERS, chinese_numeral, format_change, format_date, format_money, format_number,
    format_percent, format_ratio, is_blank, parse_date, parse_number)


def refusal(function, *args) -> str:
    """The message of the ValueError `function(*args)` must raise."""
    with pytest.raises(ValueError) as caught:
        function(*args)
    return str(caught.value)


# -- blanks ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    None, float("nan"), "", "   ", "\u3000", "—", "——", "-", "－", "/", "／", "无", "空", "不详",
    "\u3000—\u3000", " / ",
])
def test_blank_cells(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["0", "０", "0.0", "无锡", "—5", "a"])
def test_values_that_are_not_blank(text):
    assert not is_blank(text)


def test_zero_is_not_a_blank_marker():
    assert "0" not in BLANK_MARKERS


# -- parse_number ----------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("35", 35.0), ("３５", 35.0), ("-5", -5.0), ("－５", -5.0), ("\u22125", -5.0), ("+7", 7.0),
    ("12.5", 12.5), ("．５", 0.5), (".5", 0.5), ("12.", 12.0), ("0", 0.0),
    ("12,000", 12000.0), ("12，000", 12000.0), ("１２，０００", 12000.0), ("1,234,567.89", 1234567.89),
    ("1.2万", 12000.0), ("3亿", 3e8), ("1.5万元", 15000.0), ("2.5亿元", 2.5e8), ("1.1万", 11000.0),
    ("5800元", 5800.0), ("１２，０００元", 12000.0), ("90%", 90.0), ("90％", 90.0), ("-3.1%", -3.1),
    ("  42 ", 42.0), ("\u300042\u3000", 42.0), ("\t42\n", 42.0),
    ("—", None), ("/", None), ("无", None), ("", None), ("  ", None),
    (45356, 45356.0), (12.75, 12.75), (float("nan"), None),
])
def test_parse_number_reads_ledger_cells(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text, reason", [
    ("约50", "“约50”不是数字"),
    ("50人", "“50人”不是数字"),
    ("1,2345", "“1,2345”的千位分隔符位置不对（应每三位一个）"),
    ("12,00", "“12,00”的千位分隔符位置不对（应每三位一个）"),
    ("1e5", "“1e5”不是数字"),
    ("nan", "“nan”不是数字"),
    ("inf", "“inf”不是数字"),
    ("1_000", "“1_000”不是数字"),
    ("٣", "“٣”不是数字"),           # an Arabic-Indic digit that float() would accept
    ("①", "“①”不是数字"),           # a circled digit that NFKC would turn into 1
    ("90%元", "“90%元”不是数字"),
    ("--5", "“--5”不是数字"),
    (" 约50 ", "“约50”不是数字"),
    (True, "“True”不是数字"),
    (float("inf"), "“inf”不是有限的数值"),
    (10 ** 400, "数值太大，不是合理的数值"),
    ("9" * 400, f"“{'9' * 400}”太大，不是合理的数值"),
])
def test_parse_number_explains_in_chinese(text, reason):
    assert refusal(parse_number, text) == reason


# -- parse_date ------------------------------------------------------------------------

@pytest.mark.parametrize("value, day", [
    ("2024-03-05", date(2024, 3, 5)), ("2024/3/5", date(2024, 3, 5)), ("2024.3.5", date(2024, 3, 5)),
    ("2024年3月5日", date(2024, 3, 5)), ("2024年12月20日", date(2024, 12, 20)),
    ("20240305", date(2024, 3, 5)), ("２０２４年３月５日", date(2024, 3, 5)),
    ("2024/3/5 0:00", date(2024, 3, 5)), ("2024-03-05 14:30:00", date(2024, 3, 5)),
    ("2024-03-05T14:30", date(2024, 3, 5)), (" 2024-03-05\u3000", date(2024, 3, 5)),
    ("2024-02-29", date(2024, 2, 29)),
    (date(2024, 3, 5), date(2024, 3, 5)), (datetime(2024, 3, 5, 17, 45), date(2024, 3, 5)),
    ("—", None), ("", None), (float("nan"), None),
])
def test_parse_date_reads_ledger_cells(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize("serial, day", [
    (1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1)),
    (45356, date(2024, 3, 5)), (45356.75, date(2024, 3, 5)), (2958465, date(9999, 12, 31)),
])
def test_excel_serial_numbers_use_the_1900_date_system(serial, day):
    assert parse_date(serial) == day


@pytest.mark.parametrize("value, reason", [
    ("2024-02-30", "“2024-02-30”不是存在的日期"),
    ("2023年2月29日", "“2023年2月29日”不是存在的日期"),
    ("20241301", "“20241301”不是存在的日期"),
    ("2024-3/5", "“2024-3/5”不是日期（可写作2024-03-05或2024年3月5日）"),
    ("3月5日", "“3月5日”不是日期（可写作2024-03-05或2024年3月5日）"),
    ("明天", "“明天”不是日期（可写作2024-03-05或2024年3月5日）"),
    (60, "Excel日期序号60对应不存在的1900年2月29日"),
    (0, "“0”不是Excel日期序号（应在1到2958465之间）"),
    (-3, "“-3”不是Excel日期序号（应在1到2958465之间）"),
    (2958466, "“2958466”不是Excel日期序号（应在1到2958465之间）"),
    (float("inf"), "“inf”不是Excel日期序号（应在1到2958465之间）"),
    (10 ** 40, f"“{10 ** 40}”不是Excel日期序号（应在1到2958465之间）"),
    (True, "“True”不是日期"),
])
def test_parse_date_explains_in_chinese(value, reason):
    assert refusal(parse_date, value) == reason


# -- format_number, format_percent -----------------------------------------------------

@pytest.mark.parametrize("value, digits, text", [
    (11832, 0, "11832"), (1234567, 0, "1234567"), (90.0, 0, "90"), (90.0, 1, "90"),
    (32.40, 2, "32.4"), (32.456, 2, "32.46"),
    (0.125, 2, "0.13"), (12.5, 0, "13"), (13.5, 0, "14"), (2.675, 2, "2.68"), (1.005, 2, "1.01"),
    (-12.5, 0, "-13"), (-0.0, 0, "0"), (-0.004, 2, "0"), (0.1 + 0.2, 2, "0.3"),
    (1e-7, 2, "0"), (1e20, 0, "100000000000000000000"), (99.95, 1, "100"),
])
def test_format_number_rounds_half_up_without_separators(value, digits, text):
    assert format_number(value, digits) == text


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_format_number_refuses_non_finite_values(bad):
    with pytest.raises(ValueError, match="不是有限的数值"):
        format_number(bad)


@pytest.mark.parametrize("points, digits, text", [
    (90.91, 1, "90.9%"), (97, 1, "97%"), (90.9091, 1, "90.9%"), (99.96, 1, "100%"), (12.345, 2, "12.35%"),
])
def test_format_percent(points, digits, text):
    assert format_percent(points, digits) == text


# -- format_money ----------------------------------------------------------------------

@pytest.mark.parametrize("yuan, unit, digits, text", [
    (5800, None, 2, "5800元"), (5800.456, None, 2, "5800.46元"), (0, None, 2, "0元"),
    (9999.5, None, 2, "9999.5元"), (9999.5, None, 0, "1万元"), (9999.999, None, 2, "1万元"),
    (10000, None, 2, "1万元"), (30000, None, 2, "3万元"), (323800, None, 2, "32.38万元"),
    (48260700, None, 2, "4826.07万元"), (323800, None, 0, "32万元"),
    (99999999, None, 2, "1亿元"), (99994999, None, 2, "9999.5万元"), (125000000, None, 2, "1.25亿元"),
    (-323800, None, 2, "-32.38万元"),
    (323800, "元", 2, "323800元"), (5800, "万元", 2, "0.58万元"), (323800, "万元", 2, "32.38万元"),
    (125000000, "万元", 2, "12500万元"), (5800, "亿元", 4, "0.0001亿元"), (5800, "亿元", 2, "0亿元"),
])
def test_format_money(yuan, unit, digits, text):
    assert format_money(yuan, unit, digits) == text


def test_format_money_refuses_unknown_units():
    with pytest.raises(ValueError, match="未知的金额单位“千元”"):
        format_money(5800, "千元")


# -- format_change, format_ratio -----------------------------------------------------

@pytest.mark.parametrize("current, previous, digits, text", [
    (112.5, 100, 1, "同比增长12.5%"), (96.9, 100, 1, "同比下降3.1%"), (323800, 287500, 1, "同比增长12.6%"),
    (100.04, 100, 1, "与上年持平"), (100.04, 100, 2, "同比增长0.04%"), (1253, 1253, 1, "与上年持平"),
    (300, 100, 1, "同比增长200%"), (-5, -10, 1, "同比增长50%"),
])
def test_format_change(current, previous, digits, text):
    assert format_change(current, previous, digits) == text


def test_format_change_needs_a_previous_value():
    assert refusal(format_change, 5, 0) == "上年数值为0，无法计算同比"


@pytest.mark.parametrize("a, b, digits, text", [
    (2, 1, 1, "1:0.5"), (12, 1253, 1, "1:104.4"), (3, 1, 2, "1:0.33"), (4, 4, 1, "1:1"),
])
def test_format_ratio(a, b, digits, text):
    assert format_ratio(a, b, digits) == text


def test_format_ratio_refuses_a_zero_first_term():
    with pytest.raises(ValueError, match="比例的前项为0"):
        format_ratio(0, 5)


# -- chinese_numeral, format_date ------------------------------------------------------

@pytest.mark.parametrize("n, text", [
    (0, "零"), (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"),
    (100, "一百"), (105, "一百零五"), (110, "一百一十"), (111, "一百一十一"), (1000, "一千"),
    (1001, "一千零一"), (1010, "一千零一十"), (1100, "一千一百"), (2024, "二千零二十四"),
    (9999, "九千九百九十九"),
])
def test_chinese_numeral(n, text):
    assert chinese_numeral(n) == text


@pytest.mark.parametrize("n", [-1, 10000, 3.5, True])
def test_chinese_numeral_range(n):
    with pytest.raises(ValueError, match="只支持0到9999的整数"):
        chinese_numeral(n)


def read_chinese_numeral(text):
    """An independent reader for chinese_numeral's output: digit × unit, 零 skipped."""
    digits = {character: value for value, character in enumerate("零一二三四五六七八九")}
    units = {"十": 10, "百": 100, "千": 1000}
    total, pending = 0, None
    for character in text:
        if character in units:
            total += (1 if pending is None else pending) * units[character]
            pending = None
        else:
            pending = digits[character]
    return total + (pending or 0)


def test_every_chinese_numeral_reads_back():
    assert all(read_chinese_numeral(chinese_numeral(n)) == n for n in range(10000))


@pytest.mark.parametrize("day, chinese, text", [
    (date(2024, 12, 20), False, "2024年12月20日"), (date(2024, 3, 5), False, "2024年3月5日"),
    (date(2024, 12, 20), True, "二〇二四年十二月二十日"), (date(2010, 10, 1), True, "二〇一〇年十月一日"),
    (date(2000, 1, 31), True, "二〇〇〇年一月三十一日"), (datetime(2024, 3, 5, 9), False, "2024年3月5日"),
])
def test_format_date(day, chinese, text):
    assert format_date(day, chinese) == text


# -- properties ------------------------------------------------------------------------

def half_up(value, digits):
    """Round-half-up of a float's shortest text, in exact fractions (no Decimal)."""
    scaled = Fraction(repr(value)) * 10 ** digits
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    return float(Fraction(magnitude if scaled >= 0 else -magnitude, 10 ** digits))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 4))
@example(0.125, 2)
@example(2.675, 2)
@example(-2.5, 0)
@example(-0.0, 1)
def test_format_number_reads_back_as_the_rounded_value(value, digits):
    assert parse_number(format_number(value, digits)) == half_up(value, digits)


@given(st.floats(min_value=0, max_value=1e11, allow_nan=False), st.integers(0, 2))
def test_auto_money_reads_back_within_its_rounding(yuan, digits):
    text = format_money(yuan, None, digits)
    shown = parse_number(text[:-1])  # "32.38万" read as 323800
    scale = {"亿元": 1e8, "万元": 1e4}.get(text[-2:], 1)
    assert abs(shown - yuan) <= scale * 0.5 * 10 ** -digits * (1 + 1e-9)
    assert shown == 0 or text.endswith("亿元") or shown / scale < 10000


UNICODE_OR_LEDGER_TEXT = st.one_of(
    st.text(), st.text(alphabet="0123456789０１２３４５６７８９,.，．万亿元%％-－+年月日/ 　:T"))


@given(st.one_of(UNICODE_OR_LEDGER_TEXT, st.integers(-10 ** 400, 10 ** 400), st.floats()))
def test_parse_number_raises_only_value_error(text):
    try:
        result = parse_number(text)
    except ValueError as error:
        assert str(error)
    else:
        assert result is None or math.isfinite(result)


@given(st.one_of(UNICODE_OR_LEDGER_TEXT, st.integers(-10 ** 400, 10 ** 400), st.floats()))
def test_parse_date_raises_only_value_error(text):
    try:
        result = parse_date(text)
    except ValueError as error:
        assert str(error)
    else:
        assert result is None or isinstance(result, date)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_read_back_from_their_printed_form(day):
    assert parse_date(format_date(day)) == day


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_excel_serials_count_days_from_1899_12_30(day):
    assert parse_date((day - date(1899, 12, 30)) / timedelta(days=1)) == day
