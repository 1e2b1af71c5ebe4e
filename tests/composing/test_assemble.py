"""Assembling rendered Markdown into the numbered document model."""

import pytest

from wenmi.composing.assemble import assemble
from wenmi.errors import WenmiError
from wenmi.model import Enumeration, FigureText, Heading, NumberingStyle, Paragraph, Table, Text, plain
from wenmi.figures import mark
from helpers import make_figure

AMOUNT = make_figure("慰问金额", 323800, "元", 2)
FIGURES = {"慰问金额": AMOUNT}
FRONT = ('---\n标题: "示例县总工会2024年工作总结"\n副标题: ""\n主送: "县委："\n'
         '署名: "示例县总工会"\n日期: "2024年12月20日"\n---\n')


def build(body, merged_enumerations=False, continuous_level3=False):
    return assemble(FRONT + body, FIGURES, "inputs/正文/b.md", genre_file="templates/总结.md.j2",
                    numbering=NumberingStyle(continuous_level3=continuous_level3),
                    merged_enumerations=merged_enumerations)


def test_front_matter_fills_the_document():
    document = build("开头。")
    assert document.title == "示例县总工会2024年工作总结"
    assert document.recipient == "县委："
    assert (document.issuer, document.date) == ("示例县总工会", "2024年12月20日")


def test_headings_are_numbered_and_paragraphs_kept_in_order():
    document = build("开头段落。\n\n# 主要工作\n\n## 建会入会\n\n正文。\n\n## 帮扶\n\n# 存在的问题\n")
    kinds = [(type(b).__name__, getattr(b, "label", ""), plain(b.content)) for b in document.blocks]
    assert kinds == [("Paragraph", "", "开头段落。"), ("Heading", "一、", "主要工作"),
                     ("Heading", "（一）", "建会入会"), ("Paragraph", "", "正文。"),
                     ("Heading", "（二）", "帮扶"), ("Heading", "二、", "存在的问题")]


def test_figure_marks_become_figure_text_spans():
    body = f"全年发放慰问金{mark(AMOUNT, '32.38万元')}，惠及职工。"
    (paragraph,) = build(body).blocks
    assert paragraph.content == (Text("全年发放慰问金"), FigureText("32.38万元", AMOUNT, occurrence=1),
                                 Text("，惠及职工。"))


def test_a_level3_heading_with_text_after_its_full_stop_runs_in():
    (_, heading) = build("# 工作\n\n### 健全组织。全县新建工会**12家**。\n").blocks
    assert heading.label == "1." and plain(heading.content) == "健全组织。"
    assert heading.run_in == (Text("全县新建工会"), Text("12家", bold=True), Text("。"))


def test_a_run_in_heading_alone_on_its_line_takes_the_next_paragraph():
    (_, heading) = build("# 工作\n\n#### 联合培训。\n\n与县人社局联合办班。\n").blocks
    assert heading.label == "（1）" and plain(heading.run_in) == "与县人社局联合办班。"


def test_a_level1_or_2_heading_runs_in_only_with_its_text_on_the_same_line():
    blocks = build("# 让职工知晓权益。全县开展宣讲。\n\n## 建会入会。\n\n正文。\n").blocks
    assert (blocks[0].label, plain(blocks[0].content), plain(blocks[0].run_in)) == \
        ("一、", "让职工知晓权益。", "全县开展宣讲。")
    assert (plain(blocks[1].content), blocks[1].run_in) == ("建会入会。", ())
    assert isinstance(blocks[2], Paragraph)


def test_a_level3_heading_without_full_stop_stands_alone():
    blocks = build("# 工作\n\n### 健全组织\n\n全县新建工会。\n").blocks
    assert isinstance(blocks[1], Heading) and blocks[1].run_in == ()
    assert isinstance(blocks[2], Paragraph)


def test_a_bullet_list_is_a_yishi_enumeration_one_paragraph_each():
    (enumeration,) = build("- 组织覆盖还不够广；\n- 服务手段还不够新。\n").blocks
    assert isinstance(enumeration, Enumeration) and not enumeration.merged
    assert enumeration.labels == ("一是", "二是")
    assert [plain(item) for item in enumeration.items] == ["组织覆盖还不够广；", "服务手段还不够新。"]


def test_a_merged_list_takes_the_colon_paragraph_as_lead():
    (enumeration,) = build("主要问题是：\n\n- 甲；\n- 乙。\n{: .合并 }\n").blocks
    assert enumeration.merged and plain(enumeration.lead) == "主要问题是："
    assert [plain(item) for item in enumeration.items] == ["甲；", "乙。"]


def test_the_report_may_merge_every_list():
    (enumeration,) = build("- 甲；\n- 乙。\n", merged_enumerations=True).blocks
    assert enumeration.merged


def test_a_numbered_list_prints_parenthesised_numbers():
    (enumeration,) = build("1. 甲；\n2. 乙。\n").blocks
    assert enumeration.labels == ("（1）", "（2）")


def test_a_table_takes_its_caption_and_keeps_figure_cells():
    body = (f"表：各镇金额\n\n| 序号 | 基层工会 | 金额 |\n| --- | --- | --- |\n"
            f"| 1 | 城关镇 | {mark(AMOUNT, '32.38万元')} |\n")
    (table,) = build(body).blocks
    assert isinstance(table, Table)
    assert plain(table.caption) == "各镇金额"
    assert table.header == ("序号", "基层工会", "金额")
    assert table.rows[0][2] == (FigureText("32.38万元", AMOUNT, occurrence=1),)


def test_chinese_lines_join_without_spaces():
    (paragraph,) = build("全县职工\n积极参与\nWPS and\nWord。\n").blocks
    assert plain(paragraph.content) == "全县职工积极参与WPS and Word。"


def test_continuous_level3_numbering_is_an_option():
    blocks = build("# 一\n\n### 甲\n\n# 二\n\n### 乙\n", continuous_level3=True).blocks
    assert [b.label for b in blocks] == ["一、", "1.", "二、", "2."]


def test_nested_lists_are_refused_with_the_body_file():
    with pytest.raises(WenmiError) as caught:
        build("- 甲\n    - 乙\n")
    assert caught.value.file == "inputs/正文/b.md"
