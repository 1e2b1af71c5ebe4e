"""Figures worded as offices word them (BRIEF §4): 万 with any unit, 余/多/近 keeping the
declared significant digits, ranges in the office's style — and every wording read back."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wenmi.numbers import parse_number
from wenmi.wording import (
    DEFAULT_RULES, RuleError, WordingRules, format_approx, format_large, format_range,
    quantity_text, read_wording, rules_from_mapping)

# -- 万 and 亿 with any unit ----------------------------------------------------------------

@pytest.mark.parametrize("value, scale, digits, text", [
    (14614, "万", 4, "1.4614万"), (14614, "万", 2, "1.46万"), (220000, "万", 2, "22万"),
    (100000, "万", 0, "10万"), (250000, "万", 2, "25万"), (77200, "万", 2, "7.72万"),
    (2808000, "万", 2, "280.8万"), (14650, "万", 2, "1.47万"), (-30000, "万", 2, "-3万"),
    (325_000_000, "亿", 2, "3.25亿"),
])
def test_format_large(value, scale, digits, text):
    assert format_large(value, scale, digits) == text


@pytest.mark.parametrize("scale, digits, message", [
    ("千", 2, "未知的数量单位“千”"), ("万", -1, "小数位数应是0到8之间的整数"), ("万", 1.5, "小数位数"),
])
def test_format_large_refuses(scale, digits, message):
    with pytest.raises(ValueError, match=message):
        format_large(5, scale, digits)


@pytest.mark.parametrize("value, unit, digits, rules, text", [
    (14614, "人", 0, DEFAULT_RULES, "14614人"),
    (220000, "人", 0, WordingRules(wan_from=100000), "22万人"),
    (100000, "吨", 0, WordingRules(wan_from=100000), "10万吨"),
    (99999, "吨", 0, WordingRules(wan_from=100000), "99999吨"),
    (14614, "人", 4, WordingRules(wan_from=10000), "1.4614万人"),   # declared digits
    (14614, "人", 0, WordingRules(wan_from=10000), "1.46万人"),
    (325_000_000, "人", 0, WordingRules(wan_from=10000), "3.25亿人"),
    (99_999_999, "人", 0, WordingRules(wan_from=10000), "1亿人"),      # chosen after rounding
    (1250, "人次", 0, WordingRules(measure_words=(("人次", "人(次)"),)), "1250人(次)"),
    (15, "个工作日", 0, DEFAULT_RULES, "15个工作日"),
])
def test_quantity_text_follows_the_project_rules(value, unit, digits, rules, text):
    assert quantity_text(value, unit, digits, rules) == text


# -- 余, 多, 近 ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, kind, unit, digits, text", [
    # the office default keeps two significant digits, and always drops the last integer digit
    (1345, "多", "家", 2, "1300多家"), (125, "多", "起", 2, "120多起"), (15, "多", "个", 2, "10多个"),
    (66656, "余", "人", 2, "6.6万余人"), (283, "余", "人次", 2, "280余人次"),
    (1253, "余", "人", 2, "1200余人"), (283.5, "余", "", 2, "280余"), (234567, "多", "人", 2, "23万多人"),
    (126000, "多", "人", 2, "12万多人"), (350_123_456, "多", "元", 2, "3.5亿多元"),
    # more digits where the office keeps them: 12,3xx in full, not as 1.23万
    (12345, "多", "人次", 3, "12300多人次"), (123456, "多", "人", 3, "12.3万多人"),
    (3456, "余", "份", 1, "3000余份"), (25000, "多", "元", 1, "2万多元"),
    # 余/多 before 万 when the last digit of the 万 count is the uncertain one
    (1_250_000, "多", "元", 2, "120多万元"), (550_000, "余", "元", 1, "50余万元"),
    (250_000, "多", "人次", 1, "20多万人次"), (1_850_000, "多", "元", 2, "180多万元"),
    (123_456_789, "多", "元", 3, "12300多万元"),
    # a fraction of the unit left: after the classifier 个, else after the unit
    (1.5, "多", "个小时", 2, "1个多小时"), (3.4, "多", "天", 2, "3天多"), (5.2, "余", "吨", 2, "5吨余"),
    (15.5, "多", "个工作日", 2, "10多个工作日"),
    # 近 rounds up to the same digits: the next step, not the next leading digit
    (1480, "近", "名", 2, "近1500名"), (496, "近", "人", 2, "近500人"), (9.6, "近", "", 2, "近10"),
    (14500, "近", "人", 2, "近1.5万人"), (126000, "近", "人", 2, "近13万人"),
    (195000, "近", "人", 2, "近20万人"), (1480, "近", "名", 1, "近2000名"),
    # what the rounding leaves as it is is written exactly
    (280, "余", "人", 2, "280人"), (9, "余", "人", 2, "9人"), (20000, "多", "", 2, "20000"),
    (500, "近", "人", 2, "500人"), (0, "近", "", 2, "0"), (0.4, "多", "吨", 2, "0.4吨"),
    (9.6, "多", "", 2, "9.6"),
])
def test_format_approx(value, kind, unit, digits, text):
    assert format_approx(value, kind, unit, digits) == text


def test_approx_after_wan_when_the_project_says_so():
    assert format_approx(1_250_000, "多", "元", 2, before_wan=False) == "120万多元"
    assert format_approx(25_000, "余", "元", 1, before_wan=False) == "2万余元"


@pytest.mark.parametrize("value, kind, digits, message", [
    (283, "约", 2, "未知的概数写法“约”"), (-283, "余", 2, "概数只用于非负数"),
    (283, "余", 0, "有效数字应是1到6之间的整数"), (283, "余", True, "有效数字"),
])
def test_format_approx_refuses(value, kind, digits, message):
    with pytest.raises(ValueError, match=message):
        format_approx(value, kind, "人", digits)


# -- ranges --------------------------------------------------------------------------------

@pytest.mark.parametrize("low, high, unit, style, both, text", [
    (1, 2, "期", "-", None, "1-2期"), (1, 2, "期", "～", None, "1～2期"), (1, 2, "期", "—", None, "1—2期"),
    (1, 2, "期", "至", None, "1至2期"), (500, 2000, "元", "～", None, "500～2000元"),
    (500, 1000, "元", "～", True, "500元～1000元"), (15, 20.5, "%", "～", None, "15%～20.5%"),
    (15, 20, "%", "-", False, "15-20%"), (0.5, 1.25, "", "~", None, "0.5～1.25"),
])
def test_format_range(low, high, unit, style, both, text):
    assert format_range(low, high, unit, style, both) == text


def test_no_range_is_written_with_an_ascii_tilde():
    assert "~" not in format_range(500, 1000, "元", "~", True)


@pytest.mark.parametrize("low, high, style, message", [
    (1000, 500, "～", "范围的下限1000大于上限500"), (500, 1000, "/", "未知的范围样式“/”"),
])
def test_format_range_refuses(low, high, style, message):
    with pytest.raises(ValueError, match=message):
        format_range(low, high, "元", style)


# -- project rules ---------------------------------------------------------------------------

def test_rules_from_mapping():
    rules = rules_from_mapping({"wan_from": "10万", "approx_digits": 3, "approx_before_wan": False,
                                "range_style": "~", "measure_words": {"人次": "人(次)"}})
    assert rules == WordingRules(100000, 3, False, "～", (("人次", "人(次)"),))
    assert rules_from_mapping({}) == DEFAULT_RULES


@pytest.mark.parametrize("mapping, key", [
    ({"colour": 1}, "colour"), ({"wan_from": "很多"}, "wan_from"), ({"wan_from": 0}, "wan_from"),
    ({"approx_digits": 0}, "approx_digits"), ({"approx_digits": 2.0}, "approx_digits"),
    ({"approx_before_wan": "是"}, "approx_before_wan"), ({"range_style": "/"}, "range_style"),
    ({"measure_words": ["人次"]}, "measure_words"), ({"measure_words": {"人次": ""}}, "measure_words"),
])
def test_rules_refuse_values_naming_the_key(mapping, key):
    with pytest.raises(RuleError) as caught:
        rules_from_mapping(mapping)
    assert caught.value.key == key and key in str(caught.value)


# -- reading a wording back ----------------------------------------------------------------

@pytest.mark.parametrize("text, value, qualifier, unit, low, high", [
    ("1300多家", 1300, "多", "家", 1300, 1400), ("20多万人次", 200000, "多", "人次", 200000, 300000),
    ("2万多元", 20000, "多", "元", 20000, 30000), ("6.6万余人", 66000, "余", "人", 66000, 67000),
    ("120多万元", 1200000, "多", "元", 1200000, 1300000), ("近1500名", 1500, "近", "名", 1400, 1500),
    ("近13万人", 130000, "近", "人", 120000, 130000), ("1个多小时", 1, "多", "个小时", 1, 2),
    ("3天多", 3, "多", "天", 3, 4), ("22万人", 220000, None, "人", None, None),
    ("1.4614万人", 14614, None, "人", None, None), ("1250人(次)", 1250, None, "人(次)", None, None),
])
def test_read_wording(text, value, qualifier, unit, low, high):
    reading = read_wording(text)
    assert (reading.value, reading.qualifier, reading.unit) == (value, qualifier, unit)
    if qualifier is None:
        assert reading.holds(value) and not reading.holds(value + 1)
    else:   # the interval is open at both ends: a round value is written exactly
        inside = [Fraction(low) + (Fraction(high) - low) * k / 10 for k in range(1, 10)]
        assert all(reading.holds(Decimal(x.numerator) / x.denominator) for x in inside)
        assert not reading.holds(low) and not reading.holds(high)


@pytest.mark.parametrize("text", ["约50人", "", "近20多人", "五十人"])
def test_read_wording_refuses_other_text(text):
    with pytest.raises(ValueError):
        read_wording(text)


# -- properties: every wording reads back as its value, within the declared rounding ------

UNITS = st.sampled_from(["人", "人次", "元", "个工作日", "吨", "人(次)", ""])
AMOUNTS = st.one_of(st.integers(0, 10 ** 12), st.floats(0, 1e12, allow_nan=False))


@given(AMOUNTS, st.sampled_from(["余", "多", "近"]), UNITS, st.integers(1, 4), st.booleans())
@example(66656, "余", "人", 2, True)
@example(1_250_000, "多", "元", 2, False)
@example(1.5, "多", "个小时", 2, True)
@example(9.6, "近", "", 2, True)
def test_approximations_read_back_around_their_value(value, kind, unit, digits, before_wan):
    text = format_approx(value, kind, unit, digits, before_wan)
    reading = read_wording(text)
    assert reading.unit == unit
    exact = Decimal(repr(value))
    if reading.qualifier is None:      # nothing for the rounding to take away: written as it is
        assert abs(reading.value - exact) <= Decimal("0.005")
        return
    assert reading.qualifier == kind and reading.holds(value)
    assert len(reading.value.normalize().as_tuple().digits) <= digits
    whole, written = str(int(exact)), str(int(reading.value))
    if kind != "近" and len(whole) > 1:   # 余/多 keep the value's leading digits, as many as declared
        kept = min(digits, len(whole) - 1)
        assert written[:kept] == whole[:kept] and len(written) == len(whole)


@given(st.floats(-1e13, 1e13, allow_nan=False), st.sampled_from(["万", "亿"]), st.integers(0, 4), UNITS)
def test_large_wordings_read_back_within_their_decimals(value, scale, digits, unit):
    text = format_large(value, scale, digits) + unit
    shown = parse_number(text.removesuffix(unit))
    size = 10 ** (4 if scale == "万" else 8)
    assert abs(shown - value) <= size * 0.5 * 10 ** -digits * (1 + 1e-9) + abs(value) * 1e-15


@given(st.integers(0, 10 ** 9), st.integers(0, 10 ** 9), st.sampled_from(["～", "—", "-", "至"]),
       st.sampled_from(["元", "期", "%"]))
def test_ranges_read_back_end_by_end(a, b, style, unit):
    low, high = sorted((a, b))
    low_text, high_text = format_range(low, high, unit, style).split(style)
    assert parse_number(low_text.removesuffix(unit)) == low
    assert parse_number(high_text.removesuffix(unit)) == high
