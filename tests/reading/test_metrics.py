"""Metrics over ledgers: values checked against sums computed here, provenance recorded."""

import numpy as np
import pandas as pd
import pytest

from helpers import make_figure
from wenmi.reading.checks import run_check
from wenmi.reading.metrics import compute_figures, per_key, key_texts
from wenmi.errors import WenmiError
from wenmi.figures import FigureTable
from wenmi.reading.ledgers import Ledger
from wenmi.reading.specs import CheckSpec, LiteralSpec, MetricSpec, Project

ROWS = [  # 基层工会, 类别, 慰问金额
    ("城关镇", "困难职工", 800.0), ("城关镇", "农民工", 500.0), ("河西镇", "困难职工", 1200.0),
    ("河西镇", "劳动模范", 2000.0), ("河西镇", "农民工", np.nan), ("东坝乡", "农民工", 600.0),
]
LAST_YEAR = [("城关镇", "困难职工", 700.0), ("河西镇", "农民工", 900.0)]


def ledger(rows, name="送温暖", file="inputs/台账/2024/送温暖.csv"):
    frame = pd.DataFrame(rows, columns=["基层工会", "类别", "慰问金额"])
    return Ledger(name, file, None, frame, tuple(range(2, 2 + len(rows))), "utf-8")


def metric(name, **fields):
    fields.setdefault("label", name)
    fields.setdefault("unit", "")
    fields.setdefault("digits", 0)
    return MetricSpec(name=name, defined_at=f"inputs/指标.yaml:{len(name)}", **fields)


def compute(*metrics, literals=(), previous=True):
    project = Project(root=None, organization="示例", year=2024,
                      metrics={m.name: m for m in metrics},
                      literals={lit.name: lit for lit in literals})
    last = {"送温暖": ledger(LAST_YEAR, file="inputs/台账/2023/送温暖.csv")} if previous else {}
    return compute_figures(project, {"送温暖": ledger(ROWS)}, last)


def test_sum_count_mean_min_max_match_independent_computation():
    amounts = [row[2] for row in ROWS if row[2] == row[2]]
    figures = compute(
        metric("金额", source="送温暖", agg="sum", column="慰问金额", unit="元"),
        metric("户数", source="送温暖", agg="count", unit="户"),
        metric("有金额户数", source="送温暖", agg="count", column="慰问金额"),
        metric("平均", source="送温暖", agg="mean", column="慰问金额"),
        metric("最少", source="送温暖", agg="min", column="慰问金额"),
        metric("最多", source="送温暖", agg="max", column="慰问金额"),
        metric("单位数", source="送温暖", agg="nunique", column="基层工会"),
    )
    assert figures["金额"].value == sum(amounts)
    assert figures["户数"].value == len(ROWS)
    assert figures["有金额户数"].value == len(amounts)
    assert figures["平均"].value == pytest.approx(sum(amounts) / len(amounts))
    assert (figures["最少"].value, figures["最多"].value) == (min(amounts), max(amounts))
    assert figures["单位数"].value == len({row[0] for row in ROWS})


def test_where_filters_rows_and_provenance_counts_them():
    figures = compute(metric("农民工金额", source="送温暖", agg="sum", column="慰问金额",
                             where='类别 == "农民工" and 慰问金额 >= 550'))
    figure = figures["农民工金额"]
    assert figure.value == 600
    (source,) = figure.provenance.sources
    assert (source.file, source.filter, source.rows) == (
        "inputs/台账/2024/送温暖.csv", '类别 == "农民工" and 慰问金额 >= 550', 1)
    assert figure.provenance.defined_at == "inputs/指标.yaml:5"
    assert figure.provenance.rule == "合计(慰问金额)"


@pytest.mark.parametrize("where, expected", [
    ('类别 in ["困难职工", "劳动模范"]', 3),
    ('类别 not in ["农民工"]', 3),
    ('not 类别 == "农民工"', 3),
    ('基层工会 == "河西镇" or 慰问金额 < 600', 4),
    ("500 < 慰问金额 <= 1200", 3),
    ('慰问金额 > "1,000"', 2),
])
def test_the_where_language(where, expected):
    figures = compute(metric("n", source="送温暖", agg="count", where=where))
    assert figures["n"].value == expected


def test_previous_year_is_computed_from_the_previous_ledger():
    figures = compute(metric("金额", source="送温暖", agg="sum", column="慰问金额", unit="元"))
    assert figures["金额"].previous.value == 700 + 900
    assert figures["金额"].previous.provenance.sources[0].file == "inputs/台账/2023/送温暖.csv"


def test_rates_shares_and_ratios():
    figures = compute(
        metric("农民工", source="送温暖", agg="count", where='类别 == "农民工"'),
        metric("全部", source="送温暖", agg="count"),
        metric("农民工占比", quotient="share", operands=("农民工", "全部"), unit="%", digits=1),
        metric("比", quotient="ratio", operands=("全部", "农民工"), digits=2),
    )
    assert figures["农民工占比"].value == pytest.approx(3 / 6 * 100)
    assert figures["农民工占比"].previous.value == pytest.approx(1 / 2 * 100)
    assert figures["比"].value == pytest.approx(2)
    assert figures["农民工占比"].provenance.rule == "农民工 ÷ 全部 × 100%"


def test_group_by_sorts_and_cuts_to_top_n():
    figures = compute(metric("各镇", source="送温暖", agg="sum", column="慰问金额",
                             by="基层工会", top=2, unit="元"))
    table = figures["各镇"]
    assert isinstance(table, FigureTable)
    assert [(key, figure.value) for key, figure in table.rows] == [("河西镇", 3200), ("城关镇", 1300)]
    assert table.rows[0][1].id == "各镇[河西镇]"
    assert table.rows[0][1].provenance.sources[0].rows == 3


def test_group_by_key_order():
    figures = compute(metric("各镇", source="送温暖", agg="count", by="基层工会", sort="key"))
    assert [key for key, _ in figures["各镇"].rows] == sorted({row[0] for row in ROWS})


def test_literal_figures_keep_their_note():
    literal = LiteralSpec("职工总数", 12000, "人", "全县职工总数", "县统计局", "inputs/指标.yaml:30",
                          previous=11000)
    figure = compute(literals=[literal])["职工总数"]
    assert (figure.value, figure.previous.value) == (12000, 11000)
    assert figure.provenance.rule == "填报：县统计局" and figure.provenance.sources == ()


@pytest.mark.parametrize("spec, message", [
    (dict(source="送温暖", agg="sum", column="金额"), "没有这一列"),
    (dict(source="送温暖", agg="sum", column="类别"), "没有在数据源“送温暖”的 columns 中声明为数值类型"),
    (dict(source="送温暖", agg="mean", column="慰问金额", where='类别 == "无此类"'), "没有匹配到任何"),
    (dict(source="送温暖", agg="count", where="类别 = 1"), "where 条件写法有误"),
    (dict(source="送温暖", agg="count", where="__import__('os')"), "不支持的写法"),
    (dict(source="送温暖", agg="count", where="类别.upper() == 'A'"), "不支持的写法"),
])
def test_metric_mistakes_name_the_declaration(spec, message):
    with pytest.raises(WenmiError) as caught:
        compute(metric("坏指标", **spec))
    assert message in caught.value.message
    assert (caught.value.file, caught.value.place) == ("inputs/指标.yaml", "第3行")


def test_a_rate_over_zero_is_an_error_naming_the_denominator():
    with pytest.raises(WenmiError, match="分母“无”为0"):
        compute(metric("无", source="送温暖", agg="count", where='类别 == "无此类"'),
                metric("率", quotient="rate", operands=("无", "无"), unit="%"))


def test_a_group_without_any_number_to_average_is_refused_with_its_key():
    """河西镇's 农民工 row has no amount: the mean of that group is no number, not NaN."""
    with pytest.raises(WenmiError) as raised:
        compute(metric("农民工平均", source="送温暖", agg="mean", column="慰问金额",
                       where='类别 == "农民工"', by="基层工会"))
    assert "在“河西镇”的行中没有任何数值，无法求平均" in str(raised.value)
    figures = compute(metric("农民工合计", source="送温暖", agg="sum", column="慰问金额",
                             where='类别 == "农民工"', by="基层工会"))
    assert dict((key, figure.value) for key, figure in figures["农民工合计"].rows) == {
        "城关镇": 500, "河西镇": 0, "东坝乡": 600}       # a sum of nothing is 0


def test_where_and_checks_refuse_with_the_same_words():
    """The same unsupported part, in a metric's where and in a declared check: one message,
    each prefixed with whose expression it is and placed at its declaration."""
    with pytest.raises(WenmiError) as in_where:
        compute(metric("坏指标", source="送温暖", agg="count", where="类别.upper() == 'A'"))
    with pytest.raises(WenmiError) as in_check:
        run_check(CheckSpec("坏校验", "类别.upper() == 'A'", "inputs/校验.yaml:7"),
                  {"类别": make_figure("类别", 1, "")})
    refusal = "不支持的写法“类别.upper()”"
    assert in_where.value.message == f"指标“坏指标”的 where 条件：{refusal}"
    assert in_check.value.message == f"校验“坏校验”无法计算：{refusal}"


@pytest.mark.parametrize("where", ["金额 + 1 > 2", "类别", "类别 == 基层工会", '"a" == "a"'])
def test_a_where_refuses_what_is_no_condition_on_a_column(where):
    with pytest.raises(WenmiError, match="where 条件：不支持的写法"):
        compute(metric("n", source="送温暖", agg="count", where=where))


@pytest.mark.parametrize("agg, column", [("count", None), ("count", "慰问金额"), ("sum", "慰问金额"),
                                         ("mean", "慰问金额"), ("min", "慰问金额"), ("max", "慰问金额"),
                                         ("nunique", "类别")])
def test_a_whole_ledger_figure_is_the_one_group_of_the_per_key_computation(agg, column):
    spec = metric("m", source="送温暖", agg=agg, column=column, where='基层工会 != "东坝乡"')
    kept = [row for row in ROWS if row[0] != "东坝乡"]
    one_key = key_texts(pd.Series(["全部"] * len(ROWS)))
    ((value, count),) = per_key(spec, ledger(ROWS), one_key).values()
    figure = compute(spec)["m"]
    assert (figure.value, figure.provenance.sources[0].rows) == (value, count) == (value, len(kept))
    amounts = [row[2] for row in kept if row[2] == row[2]]
    expected = {"count": len(amounts) if column else len(kept), "sum": sum(amounts),
                "mean": sum(amounts) / len(amounts), "min": min(amounts), "max": max(amounts),
                "nunique": len({row[1] for row in kept})}[agg]
    assert value == pytest.approx(expected)


def test_a_filter_matching_nothing_gives_zero_counts_and_sums_and_refuses_a_mean():
    where = '类别 == "无此类"'
    figures = compute(metric("n", source="送温暖", agg="count", where=where),
                      metric("s", source="送温暖", agg="sum", column="慰问金额", where=where),
                      metric("u", source="送温暖", agg="nunique", column="类别", where=where))
    assert [figures[name].value for name in "nsu"] == [0, 0, 0]
    with pytest.raises(WenmiError) as raised:
        compute(metric("平均", source="送温暖", agg="max", column="慰问金额", where=where))
    assert raised.value.message == "指标“平均”的条件没有匹配到任何有数值的行，无法求最大值"


def test_a_group_of_an_integer_column_without_numbers_is_refused_not_a_crash():
    """Integer columns are nullable (Int64): a group's mean of nothing is <NA>, not NaN."""
    frame = pd.DataFrame({"镇": ["甲镇", "甲镇", "乙镇"], "人数": pd.array([1, 2, None], dtype="Int64")})
    people = Ledger("人数表", "inputs/人数.csv", None, frame, (2, 3, 4), "utf-8")
    spec = metric("平均人数", source="人数表", agg="mean", column="人数", by="镇")
    project = Project(root=None, organization="示例", year=2024, metrics={spec.name: spec}, literals={})
    with pytest.raises(WenmiError, match="在“乙镇”的行中没有任何数值，无法求平均"):
        compute_figures(project, {"人数表": people}, {})
