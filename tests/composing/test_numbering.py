"""The numbering transform: labels are computed, never typed."""

import pytest

from helpers import make_figure
from wenmi.model import Document, Enumeration, FigureText, Heading, NumberingStyle, Paragraph, Table, Text
from wenmi.composing.numbering import cite, enumeration_labels, heading_label, number


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


def test_citations_are_numbered_per_figure_in_reading_order_and_on_through_a_bundle():
    """The DOCX bookmark of a citation and the manifest's record of it both read this number."""
    amount, people = make_figure("金额", 100, "元"), make_figure("人数", 5, "人")

    def cited(figure):
        return FigureText(figure.id, figure)

    document = Document("题", (
        Heading(3, (cited(amount),), run_in=(cited(people),)),
        Enumeration(((cited(amount),), (cited(people),)), merged=True, lead=(cited(amount),)),
        Table((cited(people),), ("甲",), (((cited(amount),),),)),
        Paragraph((cited(amount), Text("，"), cited(amount))),
    ))
    first, second = cite([document, document])

    def occurrences(doc):
        heading, enumeration, table, paragraph = doc.blocks
        spans = [*heading.content, *heading.run_in, *enumeration.lead,
                 *(span for item in enumeration.items for span in item), *table.caption,
                 *(span for row in table.rows for cell in row for span in cell), *paragraph.content]
        return [(span.figure.id, span.occurrence) for span in spans if isinstance(span, FigureText)]
    assert occurrences(first) == [("金额", 1), ("人数", 1), ("金额", 2), ("金额", 3), ("人数", 2),
                                  ("人数", 3), ("金额", 4), ("金额", 5), ("金额", 6)]
    assert occurrences(second)[0] == ("金额", 7)                  # one file: numbering goes on
    assert occurrences(number(document)) == occurrences(first)


def test_an_attachment_is_numbered_as_a_body_of_its_own_and_cited_after_the_body():
    from wenmi.model import Attachment
    amount = make_figure("金额", 1200, "元")
    attachment = Attachment("明细", (heading(1), heading(2),
                                     Paragraph((FigureText("1200元", amount),))))
    document = number(Document("标题", (heading(1), heading(1), Paragraph((FigureText("1200元", amount),))),
                               attachments=(attachment,)))
    assert [block.label for block in document.blocks[:2]] == ["一、", "二、"]
    numbered = document.attachments[0].blocks
    assert [numbered[0].label, numbered[1].label] == ["一、", "（一）"]      # from 一、 again
    assert numbered[2].content[0].occurrence == 2                          # after the body's one
