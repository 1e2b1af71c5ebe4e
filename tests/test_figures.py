"""Finding a figure by the id its mark carries: a figure, a table cell, last year's value."""

from helpers import make_figure
from wenmi.figures import FigureTable, Provenance, find


def table(keys):
    cells = tuple((key, make_figure(f"各镇金额[{key}]", index * 10, "元", previous=index))
                  for index, key in enumerate(keys, start=1))
    return FigureTable("各镇金额", "各镇金额", "镇", "金额", cells, Provenance("inputs/指标.yaml:1", "合计", ()))


def test_a_table_cell_is_found_by_its_key_among_many():
    keys = [f"第{number}镇" for number in range(5000)] + ["方括号[甲]镇"]
    figures = {"各镇金额": table(keys), "总额": make_figure("总额", 7, "元")}
    assert find(figures, "总额").value == 7
    assert find(figures, "各镇金额[第4321镇]").value == 43220
    assert find(figures, "各镇金额[方括号[甲]镇]").value == 50010
    assert find(figures, "各镇金额[第4321镇]@上年").value == 4322
    assert find(figures, "各镇金额[第5000镇]") is None
    assert find(figures, "各镇金额") is None          # the table itself is no figure
    assert find(figures, "无此指标") is None
