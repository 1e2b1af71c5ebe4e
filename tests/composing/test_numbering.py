"""The numbering transform: labels are computed, never typed."""

import pytest

from wenmi.model import Document, Enumeration, Heading, NumberingStyle, Paragraph, Text
from wenmi.composing.numbering import enumeration_labels, heading_label, number


def heading(level):
    return Heading(level, (Text(f"第{level}级"),))


def labels(levels, **style):
    document = Document("标题", tuple(heading(level) for level in levels),
                        numbering=NumberingStyle(**style))
    return [block.label for block in number(document).blocks]


@pytest.mark.parametrize("level, n, expected", [
    (1, 1, "一、"), (1, 10, "十、"), (1, 11, "十一、"), (1, 20, "二十、"), (1, 21, "二十一、"),
    (2, 3, "（三）"), (2, 12, "（十二）"), (3, 7, "7."), (3, 19, "19."), (4, 2, "（2）"),
])
def test_heading_label_uses_gbt9704_markers(level, n, expected):
    assert heading_label(level, n) == expected


def test_level3_mark_may_be_a_dunhao():
    assert heading_label(3, 4, "、") == "4、"


def test_levels_restart_under_each_parent():
    assert labels([1, 2, 3, 3, 2, 3, 4, 4, 1, 2, 3]) == [
        "一、", "（一）", "1.", "2.", "（二）", "1.", "（1）", "（2）", "二、", "（一）", "1."]


def test_eleven_sections_reach_shiyi():
    assert labels([1] * 11)[-2:] == ["十、", "十一、"]


def test_a_skipped_level_starts_at_one_and_restarts_later():
    # 一、 followed directly by 1. (no （一）), then a （一） resets level 3.
    assert labels([1, 3, 3, 2, 3, 1, 3]) == ["一、", "1.", "2.", "（一）", "1.", "二、", "1."]


def test_continuous_level3_runs_through_the_document():
    assert labels([1, 3, 3, 1, 3, 2, 3], continuous_level3=True) == [
        "一、", "1.", "2.", "二、", "3.", "（一）", "4."]


def test_level4_still_restarts_with_continuous_level3():
    assert labels([1, 3, 4, 4, 1, 3, 4], continuous_level3=True) == [
        "一、", "1.", "（1）", "（2）", "二、", "2.", "（1）"]


def test_enumerations_get_yishi_or_parenthesised_labels():
    assert enumeration_labels(3, numbered=False) == ("一是", "二是", "三是")
    assert enumeration_labels(11, numbered=False)[-1] == "十一是"
    assert enumeration_labels(2, numbered=True) == ("（1）", "（2）")


def test_number_leaves_paragraphs_alone_and_labels_enumerations():
    blocks = (Paragraph((Text("开头"),)), Enumeration(((Text("甲"),), (Text("乙"),))))
    numbered = number(Document("标题", blocks)).blocks
    assert numbered[0] == blocks[0]
    assert numbered[1].labels == ("一是", "二是")
