"""Texts joined as a person writes them: the overlap join of 单位 and 职务, quoted names."""

import pytest
from hypothesis import given, strategies as st

from wenmi.composing.joining import overlap_join, quoted


@pytest.mark.parametrize("unit, post, joined", [
    ("县交通运输工会", "工会副主席", "县交通运输工会副主席"),
    ("柳溪镇总工会", "工会主席", "柳溪镇总工会主席"),
    ("青禾机械厂", "青禾机械厂厂长", "青禾机械厂厂长"),            # the post repeats the whole unit
    ("青禾公交公司", "公司车队队长", "青禾公交公司车队队长"),
    ("城关镇东街社区卫生服务站", "卫生服务站站长", "城关镇东街社区卫生服务站站长"),
    ("石桥乡卫生院", "院长", "石桥乡卫生院院长"),                    # one shared character: two words
    ("青禾汽车客运站", "站长", "青禾汽车客运站站长"),
    ("县教育工会", "会计", "县教育工会会计"),
    ("青禾百货商场", "收银组长", "青禾百货商场收银组长"),
    ("县人民医院", "", "县人民医院"),
    ("", "护士长", "护士长"),
    (" 县教育工会 ", " 工会主席", "县教育工会主席"),
])
def test_what_the_unit_and_the_post_share_is_written_once(unit, post, joined):
    assert overlap_join(unit, post) == joined


@given(st.text(alphabet="工会县主席院长站", max_size=8), st.text(alphabet="工会县主席院长站", max_size=8))
def test_the_join_keeps_the_unit_and_ends_with_the_post(unit, post):
    joined = overlap_join(unit, post)
    assert joined.startswith(unit.strip()) and joined.endswith(post.strip())
    assert len(joined) >= max(len(unit.strip()), len(post.strip()))


def test_quoted_names_keep_their_own_quotes_as_single_ones():
    assert quoted("节能驾驶竞赛") == "“节能驾驶竞赛”"
    assert quoted(["“安全行车百日无事故”竞赛", "早晚高峰加密班次"]) == "“‘安全行车百日无事故’竞赛”“早晚高峰加密班次”"
    assert quoted(["", "甲"]) == "“甲”"
