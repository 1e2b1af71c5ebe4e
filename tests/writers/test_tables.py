"""Columns sized to their texts, and the size a table's text takes (writers/tables.py)."""

from docx.shared import Mm, Pt

from helpers import make_figure
from wenmi.model import FigureText, Table, Text
from wenmi.writers.tables import SLACK, table_layout
from wenmi.writers.text import text_width

LANDSCAPE = Mm(297 - 28 - 26)


def roster(rows: int, post: str = "县人民医院急诊科护士长") -> Table:
    amount = make_figure("金额", 12200, "元", 2)
    return Table(caption=(), header=("序号", "类别", "姓名/集体名称", "单位及职务", "本人创新创效"),
                 rows=tuple(((Text(str(n)),), (Text("优秀工会工作者"),), (Text("青禾公交公司新能源车队"),),
                             (Text(post),), (FigureText("1.22万元", amount),)) for n in range(1, rows + 1)))


def characters(width, size) -> float:
    return width / Pt(size)


def test_a_narrow_table_keeps_the_body_size_and_shares_the_width_by_its_texts():
    table = Table(caption=(), header=("乡镇", "户数"), rows=(((Text("东岭镇"),), (Text("76"),)),))
    layout = table_layout(table, Mm(156))
    assert layout.size == 14
    assert sum(layout.widths) == Mm(156) or abs(sum(layout.widths) - Mm(156)) < 10
    assert layout.widths[0] > layout.widths[1]


def test_a_wider_table_takes_the_largest_size_at_which_every_text_fits_one_line():
    post = "县新就业形态劳动者工会联合会办公室主任"                  # 19 characters
    assert table_layout(roster(32), LANDSCAPE).size == 14           # 44.5 characters: 四号 holds 49
    layout = table_layout(roster(32, post), LANDSCAPE)
    assert layout.size == 12                                        # 52.5: 小四 holds 57
    needs = [text_width(text) + SLACK for text in ("序号", "优秀工会工作者", "青禾公交公司新能源车队",
                                                   post, "本人创新创效")]
    assert all(characters(width, 12) >= need - 0.01 for width, need in zip(layout.widths, needs))


def test_too_wide_even_at_wuhao_only_the_longest_texts_wrap_never_a_number_or_a_header():
    post = "县新就业形态劳动者工会联合会办公室主任" * 2           # 38 characters
    layout = table_layout(roster(3, post), LANDSCAPE)
    assert layout.size == 10.5
    serial, category, name, unit, amount = (characters(width, 10.5) for width in layout.widths)
    assert serial >= text_width("序号") + SLACK and amount >= text_width("本人创新创效") + SLACK
    assert category >= text_width("优秀工会工作者") + SLACK and name >= text_width("青禾公交公司新能源车队") + SLACK
    assert text_width("单位及职务") + SLACK <= unit < text_width(post)     # the one column that wraps
    assert abs(sum(layout.widths) - LANDSCAPE) < 10
