"""Typesetting as offices do it: titles break between phrases, never inside a quoted term or
before a closing mark; numbers stay with their units; ranges and cells as offices print them."""

import io

import docx
import pytest

from helpers import W, document_xml, make_figure
from wenmi.model import Document, FigureText, Paragraph, Table, Text
from wenmi.typography import WORD_JOINER, bound, phrase_spaced, title_lines, unbreakable
from wenmi.writers import docx as docx_writer
from wenmi.writers import html as html_writer

LINE = 20                             # characters of 二号 across the 156 mm text block


@pytest.mark.parametrize("title, lines", [
    # phrases separated by spaces break there; the four parallel "X起来" stay together, and
    # the quoted term keeps its closing quote
    ("建起来 暖起来 硬起来 强起来 全力当好职工“娘家人”",
     ["建起来\u3000暖起来\u3000硬起来\u3000强起来", "全力当好职工“娘家人”"]),
    # no spaces: before 关于, not inside a number and its unit
    ("青禾县总工会关于表彰2024年度先进集体和先进个人的决定",
     ["青禾县总工会", "关于表彰2024年度先进集体和先进个人的决定"]),
    # a quoted term is never split, a break before it is a good one
    ("关于进一步加强新就业形态劳动者“暖心驿站”建设和管理工作的实施意见",
     ["关于进一步加强新就业形态劳动者", "“暖心驿站”建设和管理工作的实施意见"]),
    # punctuation ends a line, it never starts one
    ("县总工会全力打造“职工之家”服务品牌，推动基层工会建设提质增效",
     ["县总工会全力打造“职工之家”服务品牌，", "推动基层工会建设提质增效"]),
    ("青禾县总工会2024年工作总结", ["青禾县总工会2024年工作总结"]),
])
def test_a_long_title_breaks_between_phrases(title, lines):
    assert title_lines(title, LINE) == lines
    assert all(sum(0.5 if c.isascii() else 1 for c in line) <= LINE for line in lines)


def test_a_title_never_breaks_inside_a_quoted_term_or_before_a_closing_quote():
    title = "凝心聚力谋发展推动职工服务再上新台阶全力当好职工“娘家人”"
    for width in range(12, 30):
        lines = title_lines(title, width)
        assert "".join(lines) == title
        assert any("全力当好职工“娘家人”"[-5:] in line for line in lines)   # “娘家人” whole
        assert not any(line.startswith(("”", "，", "、")) for line in lines)


def test_phrases_are_separated_by_full_width_spaces():
    assert phrase_spaced("建起来 暖起来  硬起来\u3000强起来") == "建起来\u3000暖起来\u3000硬起来\u3000强起来"
    assert phrase_spaced("Wenmi 2024 工作总结") == "Wenmi 2024\u3000工作总结"


def test_numbers_are_bound_to_their_units_even_across_runs():
    text = "发放慰问金32.38万元，慰问1253人、280余人次，标准500～2000元，同比增长12.5%。"
    found = [text[start:end] for start, end in unbreakable(text)]
    assert found == ["32.38万元", "1253人", "280余人次", "500～2000元"]
    assert bound(["共", "1253", "名职工"]) == ["共", "1253", WORD_JOINER + "名职工"]
    assert bound(["32.38万元"]) == [f"32.38{WORD_JOINER}万{WORD_JOINER}元"]


MONEY = make_figure("慰问金额", 323800, "元", 2)


def sample(title="建起来 暖起来 硬起来 强起来 全力当好职工“娘家人”") -> Document:
    return Document(title=phrase_spaced(title), blocks=(
        Paragraph((Text("全年发放慰问金"), FigureText("32.38万元", MONEY), Text("，慰问职工1253人。"))),
        Table((Text("表：慰问情况"),), ("项目", "金额"), (((Text("慰问金"),), (FigureText("32.38万元", MONEY),)),)),
    ))


def test_docx_title_lines_are_one_paragraph_broken_between_phrases():
    output = docx.Document(io.BytesIO(docx_writer.write(sample())))
    title = output.paragraphs[0]
    assert title.style.name == "公文标题"
    assert title.text == "建起来\u3000暖起来\u3000硬起来\u3000强起来\n全力当好职工“娘家人”"


def test_docx_keeps_numbers_with_their_units_and_cells_have_top_and_bottom_margins():
    root = document_xml(docx_writer.write(sample()))
    texts = "".join(t.text for t in root.iter(f"{W}t"))
    assert f"32.38{WORD_JOINER}万{WORD_JOINER}元" in texts and f"1253{WORD_JOINER}人" in texts
    margins = root.find(f".//{W}tblPr/{W}tblCellMar")
    assert [(side.tag.split("}")[1], side.get(f"{W}w")) for side in margins] == [("top", "57"), ("bottom", "57")]


def test_html_keeps_numbers_with_their_units_in_nowrap_spans_and_breaks_the_title():
    page = html_writer.write(sample()).decode("utf-8")
    assert "<h1>建起来\u3000暖起来\u3000硬起来\u3000强起来<br>全力当好职工“娘家人”</h1>" in page
    assert '慰问职工<span class="nobr">1253人</span>。' in page
    assert '<span class="nobr"><span class="figure" data-figure="慰问金额"' in page
    assert ".nobr { white-space: nowrap }" in page
