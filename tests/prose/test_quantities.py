"""The quantity finder on sentences written for the purpose: surfaces, values in base units,
measure words, qualifiers and kinds as the development set's conventions define them."""

from hypothesis import given
from hypothesis import strategies as st

from wenmi.numbers import format_money, format_number
from wenmi.prose.quantities import find_quantities, hanzi_number


def read(text):
    """(surface, value, unit, qualifier, kind) of every quantity, in reading order."""
    return [(q.surface, q.value, q.unit, q.qualifier, q.kind) for q in find_quantities(text)]


def test_a_surface_is_number_internal_approximation_scale_and_measure_word_and_slices_the_text():
    text = "全年走访企业1,280家，发放慰问金32.38万元，服务职工20多万人次、2.3万余人次。"
    assert read(text) == [
        ("1,280家", 1280, "家", None, "count"),
        ("32.38万元", 323800, "元", None, "money"),
        ("20多万人次", 200000, "人次", "多", "count"),
        ("2.3万余人次", 23000, "人次", "余", "count"),
    ]
    assert all(text[q.start:q.end] == q.surface for q in find_quantities(text))


def test_words_around_a_number_are_its_qualifier_not_its_surface():
    assert read("近1500名女职工参加，约300人报名，覆盖率达96%，其中80%以上为一线职工，误差10%左右。") == [
        ("1500名", 1500, "名", "近", "count"),
        ("300人", 300, "人", "约", "count"),
        ("96%", 96, "%", "达", "percent"),
        ("80%", 80, "%", "以上", "percent"),
        ("10%", 10, "%", "左右", "percent"),
    ]
    # an approximation outranks 达, as in "达240余人次"
    assert read("参训人员达240余人次。") == [("240余人次", 240, "人次", "余", "count")]


def test_a_qualifier_word_that_ends_another_word_does_not_qualify():
    assert read("签约120家，最近3年。") == [("120家", 120, "家", None, "count"),
                                        ("3年", 3, "年", None, "duration")]


def test_ratios_ranges_and_multiples():
    assert read("会员与非会员之比为1:0.5，每年制作1～2期，资助500元~2000元不等，18-35岁青年，增长1.2倍。") == [
        ("1:0.5", 0.5, "ratio", None, "ratio"),
        ("1～2期", 1, "期", None, "range"),
        ("500元~2000元", 500, "元", "不等", "money_range"),
        ("18-35岁", 18, "岁", None, "range"),
        ("1.2倍", 1.2, "倍", None, "ratio"),
    ]
    assert [q.value_max for q in find_quantities("培训1至2期，补助500～2000元。")] == [2, 2000]


def test_dates_are_iso_like_with_the_year_unknown_when_unwritten():
    found = find_quantities("2024年3月5日召开大会；5月22日、8月份、6月至7月、11-12月、2022-2024年、"
                            "二〇二四年六月十日、三季度、“9·18”。")
    assert [(q.surface, q.value, q.kind) for q in found] == [
        ("2024年3月5日", "2024-03-05", "date"),
        ("5月22日", "XXXX-05-22", "date"),
        ("8月份", "XXXX-08", "date"),
        ("6月至7月", "XXXX-06", "date_range"),
        ("11-12月", "XXXX-11", "date_range"),
        ("2022-2024年", 2022, "date_range"),
        ("二〇二四年六月十日", "2024-06-10", "date"),
        ("三季度", "XXXX-Q3", "date"),
        ("9·18", "XXXX-09-18", "date"),
    ]
    assert [q.value_max for q in found if q.kind == "date_range"] == ["XXXX-07", "XXXX-12", 2024]
    assert read("2023全县新建工会") == [("2023", 2023, None, None, "date")]


def test_document_numbers_hotlines_and_list_markers():
    text = "根据《通知》(某工发〔2024〕7号)精神，开通“12351”热线和0817-8234567电话。\n1.健全制度；(2)抓好落实。"
    assert read(text) == [
        ("某工发〔2024〕7号", "某工发〔2024〕7号", None, None, "doc_number"),
        ("12351", "12351", None, None, "identifier"),
        ("0817-8234567", "0817-8234567", None, None, "identifier"),
    ]
    assert read("全县女职工15189，占比过半。") == [("15189", 15189, None, None, "count")]


def test_chinese_numerals_count_before_a_measure_word_and_not_in_slogans_names_or_titles():
    assert read("通过以下三项措施，在等待一个多小时后，两个月内完成，十几个省市，万名职工，前七届。") == [
        ("三项", 3, "项", None, "count"),
        ("一个多小时", 1, "小时", "多", "duration"),
        ("两个月", 2, "月", "内", "duration"),
        ("十几个", 10, "个", "多", "count"),
        ("万名", 10000, "名", None, "count"),
        ("前七届", 7, "届", None, "count"),
    ]
    assert read("落实“四大建设”，坚持“三会一课”，学习党的十八大和十八届三中全会精神，"
                "把温暖送到千家万户，制定三年行动计划，演唱《七月草原》，获第二名。") == []


def test_full_width_and_traditional_script_are_read_with_simplified_units():
    assert read("會員１.２萬人，兩個議題，達到百分之九十。") == [
        ("１.２萬人", 12000, "人", None, "count"),
        ("兩個", 2, "个", None, "count"),
        ("百分之九十", 90, "%", "达", "percent"),
    ]


def test_a_total_marker_belongs_to_the_first_quantity_of_its_clause():
    found = find_quantities("今年共走访企业52家、职工3000人，累计发放12万元，公共场所5处。")
    assert [(q.surface, q.total_marker) for q in found] == [
        ("52家", "共"), ("3000人", None), ("12万元", "累计"), ("5处", None)]


def test_a_bare_count_takes_the_measure_word_of_its_clause():
    assert read("外出务工人数达到25万以上。") == [("25万", 250000, "人", "以上", "count")]


def test_hanzi_numbers():
    assert [hanzi_number(n) for n in ("三", "十", "十二", "二十", "两", "一百零五", "万", "三千")] == \
        [3, 10, 12, 20, 2, 105, 10000, 3000]


@given(st.integers(min_value=0, max_value=10**11))
def test_money_as_wenmi_words_it_reads_back_within_its_rounding(yuan):
    text = f"发放慰问金{format_money(yuan)}，"
    [quantity] = find_quantities(text)
    assert quantity.unit == "元" and quantity.kind == "money"
    tolerance = 0.005 * (10_000 if "万元" in quantity.surface else 100_000_000 if "亿元" in quantity.surface else 1)
    assert abs(quantity.value - yuan) <= tolerance + 1e-6


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(["人", "人次", "户", "家", "项"]))
def test_counts_as_wenmi_words_them_read_back_exactly(count, unit):
    [quantity] = find_quantities(f"全年服务{format_number(count)}{unit}。")
    assert (quantity.value, quantity.unit, quantity.kind) == (count, unit, "count")
