"""The aggregate stage: declared metrics evaluated with pandas into figures.

Each metric is computed once, for the current ledgers and, where the source declares last
year's file, for the previous ones too (so 同比 is a property of the figure, not a second
metric). Every figure records the rule, the declaration's file:line and the rows it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from ..errors import at_declaration
from ..figures import Figure, FigureTable, Provenance, SourceRef
from ..numbers import format_date, parse_date, parse_number
from .expressions import (MEMBERSHIP, Compare, Constant, ExpressionError, Logical, Name, Node, Not,
                          Unreadable, parse, unsupported)
from .ledgers import UNIT_COLUMN, Ledger
from .specs import MetricSpec, Project

ADDITIVE = ("sum", "count")   # a figure of units' returns that is the sum of each unit's part
AGG_NAMES = {"sum": "合计", "count": "计数", "mean": "平均", "min": "最小值", "max": "最大值",
             "nunique": "去重计数"}


def compute_figures(project: Project, ledgers: Mapping[str, Ledger],
                    previous: Mapping[str, Ledger]) -> dict[str, Figure | FigureTable]:
    """Every literal and metric of the project, by name. `previous` holds last year's
    ledger of each source that declares one."""
    figures: dict[str, Figure | FigureTable] = {}
    for name, literal in project.literals.items():
        if literal.value is None:
            continue                # not typed in yet: reported by reading/inspection.py
        rule = f"填报：{literal.note}" if literal.note else "填报"
        provenance = Provenance(literal.defined_at, rule, ())
        last = None
        if literal.previous is not None:
            last = Figure(name, literal.label, literal.previous, literal.unit, literal.digits,
                          Provenance(literal.defined_at, f"{rule}（上年）", ()))
        figures[name] = Figure(name, literal.label, literal.value, literal.unit, literal.digits,
                               provenance, last)
    for name in project.metrics:
        _compute(name, project, ledgers, previous, figures)
    return figures


def _compute(name: str, project: Project, ledgers, previous, figures) -> Figure | FigureTable:
    if name in figures:
        return figures[name]
    metric = project.metrics[name]
    if metric.quotient:
        numerator, denominator = (_compute(op, project, ledgers, previous, figures)
                                  for op in metric.operands)
        figure = quotient_figure(metric, numerator, denominator)
    else:
        ledger = ledgers[metric.source]
        last_ledger = previous.get(metric.source)
        if metric.by:
            figure = _table(metric, ledger)
        else:
            last = _aggregate(metric, last_ledger, None) if last_ledger is not None else None
            figure = _aggregate(metric, ledger, last)
    figures[name] = figure
    return figure


def _aggregate(metric: MetricSpec, ledger: Ledger, last: Figure | None) -> Figure:
    """The metric over the whole ledger: the one group of `_grouped`."""
    ((value, count),) = _grouped(metric, ledger, None).values()
    provenance = ledger_provenance(metric, ledger, count)
    if ledger.parts and metric.agg in ADDITIVE:
        parts = per_key(metric, ledger, key_texts(ledger.frame[UNIT_COLUMN]))
        units = tuple((part.unit, parts[part.unit][0] if part.unit in parts else 0)
                      for part in ledger.parts)
        provenance = replace(provenance, sources=(replace(provenance.sources[0], units=units),))
    return Figure(metric.name, metric.label, value, metric.unit, metric.digits, provenance, last)


def _table(metric: MetricSpec, ledger: Ledger) -> FigureTable:
    require_column(metric, ledger, metric.by, "by")
    groups = per_key(metric, ledger, key_texts(ledger.frame[metric.by]))
    kept = sum(count for _, count in groups.values())
    cells = [(key, value, count) for key, (value, count) in groups.items() if key]  # "": no group
    if metric.sort == "key":
        cells.sort(key=lambda cell: cell[0])
    else:
        cells.sort(key=lambda cell: (-cell[1] if metric.sort == "desc" else cell[1], cell[0]))
    if metric.top:
        cells = cells[:metric.top]
    figures = tuple(
        (key, Figure(f"{metric.name}[{key}]", f"{metric.label}（{key}）", value, metric.unit,
                     metric.digits, ledger_provenance(metric, ledger, count, f"{metric.by} == \"{key}\"")))
        for key, value, count in cells)
    value_label = metric.column or "数量"
    return FigureTable(metric.name, metric.label, metric.by, value_label, figures,
                       ledger_provenance(metric, ledger, kept))


def cell_text(value) -> str:
    """A cell as text, as a group key or a dossier prints it: blanks empty, whole numbers
    without ".0", dates as 公文 write them."""
    if value is None or value is pd.NA or isinstance(value, float) and value != value:
        return ""
    if isinstance(value, pd.Timestamp):
        return format_date(value.date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def key_texts(column: pd.Series) -> pd.Series:
    """A column as the texts rows are grouped or joined by, converting each distinct value
    once (a 50,000-row ledger has a few hundred units). The texts are categorical, so each
    group-by over them (one per metric) goes by integer codes, not by hashing strings."""
    codes, distinct = pd.factorize(column)
    # an empty cell has code -1, which picks the "" after the distinct values
    text_codes, texts = pd.factorize(np.array([cell_text(value) for value in distinct] + [""],
                                              dtype=object))
    return pd.Series(pd.Categorical.from_codes(text_codes[codes], categories=texts),
                     index=column.index)


def per_key(metric: MetricSpec, ledger: Ledger, keys: pd.Series) -> dict[str, tuple[float | int, int]]:
    """The metric over the kept rows of each key (`keys`: a text per ledger row, as
    `key_texts` gives them): its value and row count."""
    return _grouped(metric, ledger, keys)


def _grouped(metric: MetricSpec, ledger: Ledger,
             keys: pd.Series | None) -> dict[str, tuple[float | int, int]]:
    """The aggregation itself over the kept rows, by one pandas reduction over the rows of
    each key or, `keys` None, over all of them as one group (under the key ""): each
    group's value (count and nunique whole numbers, a sum of nothing 0) and row count. A
    group whose rows hold no number to average (or take the least or most of) is refused."""
    kept = kept_rows(metric, ledger)
    every_row = bool(kept.all())

    def kept_of(series: pd.Series) -> pd.Series:
        return series if every_row else series[kept]
    groups = None if keys is None else kept_of(keys)

    def reduced(series: pd.Series, how: str) -> dict:
        if groups is None:
            return {"": series.agg(how)}
        # grouped as a Series: grouping the frame by a Series has pandas first try it as a
        # column label and format the whole Series for the error it catches (2 ms a metric);
        # every category, in their order (the empty ones are left out by size, below): only
        # the groups met, or their order, costs pandas a pass over the codes per group-by
        return series.groupby(groups, sort=True, observed=False).agg(how).to_dict()
    sizes = {"": int(kept.sum())} if groups is None else \
        {key: size for key, size in groups.groupby(groups, sort=True, observed=False).size().items() if size}
    if metric.agg == "count" and not metric.column:
        values = sizes
    else:
        require_column(metric, ledger, metric.column, "column")
        column = kept_of(ledger.frame[metric.column])
        if metric.agg == "count":
            column = column.notna()
        elif metric.agg != "nunique":
            _require_numeric(metric, ledger, column)
        values = reduced(column, "sum" if metric.agg == "count" else metric.agg)
    found = {}
    for key, size in sizes.items():
        if pd.isna(values[key]):
            rows_meant = "的条件没有匹配到任何有数值的行" if groups is None else f"在“{key}”的行中没有任何数值"
            raise at_declaration(f"指标“{metric.name}”{rows_meant}，无法求{AGG_NAMES[metric.agg]}",
                                 metric.defined_at)
        value = float(values[key])
        found[key] = (int(value) if value.is_integer() else value, int(size))
    return found


def _require_numeric(metric: MetricSpec, ledger: Ledger, values: pd.Series) -> None:
    if not pd.api.types.is_numeric_dtype(values):
        raise at_declaration(
            f"指标“{metric.name}”要对“{metric.column}”列求{AGG_NAMES[metric.agg]}，"
            f"但该列没有在数据源“{ledger.name}”的 columns 中声明为数值类型", metric.defined_at,
            hint="在 sources 中把该列声明为 integer、number、money 或 percent")


def quotient_figure(metric: MetricSpec, numerator, denominator) -> Figure:
    """A rate, share or ratio of two figures (and of their last-year values when both have
    one); also used per nominee by pipeline/batch.py."""
    scale = 1 if metric.quotient == "ratio" else 100
    for operand in (numerator, denominator):
        if isinstance(operand, FigureTable):
            raise at_declaration(f"“{operand.id}”是分组表，不能用于 {metric.quotient}",
                                 metric.defined_at)
    if denominator.value == 0:
        raise at_declaration(
            f"指标“{metric.name}”的分母“{denominator.id}”为0，无法计算"
            f"{'比率' if scale == 100 else '比值'}", metric.defined_at,
            hint=f"检查“{denominator.id}”的数据或筛选条件")
    last = None
    if numerator.previous is not None and denominator.previous is not None \
            and denominator.previous.value != 0:
        last = Figure(metric.name, metric.label,
                      numerator.previous.value / denominator.previous.value * scale,
                      metric.unit, metric.digits,
                      _derived_provenance(metric, numerator.previous, denominator.previous))
    return Figure(metric.name, metric.label, numerator.value / denominator.value * scale,
                  metric.unit, metric.digits,
                  _derived_provenance(metric, numerator, denominator), last)


def _derived_provenance(metric: MetricSpec, numerator: Figure, denominator: Figure) -> Provenance:
    times = " × 100%" if metric.quotient != "ratio" else ""
    sources = tuple(dict.fromkeys(numerator.provenance.sources + denominator.provenance.sources))
    return Provenance(metric.defined_at, f"{numerator.id} ÷ {denominator.id}{times}", sources)


def ledger_provenance(metric: MetricSpec, ledger: Ledger, rows: int, extra: str = "") -> Provenance:
    """Where a figure computed from `rows` rows of `ledger` came from; `extra` adds a
    condition beyond the metric's own `where` (a group, a nominee)."""
    rule = f"{AGG_NAMES[metric.agg]}({metric.column})" if metric.column else AGG_NAMES[metric.agg]
    condition = " and ".join(part for part in (metric.where, extra) if part)
    return Provenance(metric.defined_at, rule,
                      (SourceRef(ledger.name, ledger.file, ledger.sheet, condition, rows),))


def require_column(metric: MetricSpec, ledger: Ledger, column: str | None, key: str) -> None:
    """Refuse, at the metric's line, a `key` (column, by, where…) naming a column the ledger lacks."""
    if column not in ledger.frame.columns:
        existing = "、".join(map(str, ledger.frame.columns))
        raise at_declaration(
            f"指标“{metric.name}”的 {key} 引用了“{column}”列，但 {ledger.file} 中没有这一列；"
            f"现有列：{existing}", metric.defined_at)


# ---------------------------------------------------------------- the `where` language

_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_COMPARED = {"==": "__eq__", "!=": "__ne__", "<": "__lt__", "<=": "__le__", ">": "__gt__",
             ">=": "__ge__"}


def kept_rows(metric: MetricSpec, ledger: Ledger) -> pd.Series:
    """The rows a metric's `where` keeps, as a boolean mask; all rows without a filter."""
    frame = ledger.frame
    if not metric.where:
        return pd.Series(True, index=frame.index)
    try:
        mask = _mask(parse(metric.where), metric, ledger)
    except Unreadable:
        raise at_declaration(f"指标“{metric.name}”的 where 条件写法有误：{metric.where}",
                             metric.defined_at,
                             hint='例如：类别 == "农民工" and 慰问金额 >= 1000') from None
    except ExpressionError as error:
        raise at_declaration(
            f"指标“{metric.name}”的 where 条件：{error}", metric.defined_at,
            hint='只能用 列名 == 值、!=、<、<=、>、>=、in [..]、not in [..]，以及 and、or、not 和括号'
        ) from None
    return pd.Series(np.asarray(mask, dtype=bool), index=frame.index)


def _mask(node: Node, metric: MetricSpec, ledger: Ledger):
    """The expression as a row mask: conditions on columns combined by and/or/not."""
    if isinstance(node, Logical):
        masks = [_mask(operand, metric, ledger) for operand in node.operands]
        combine = np.logical_and if node.operator == "and" else np.logical_or
        result = masks[0]
        for mask in masks[1:]:
            result = combine(result, mask)
        return result
    if isinstance(node, Not):
        return np.logical_not(_mask(node.operand, metric, ledger))
    if isinstance(node, Compare):
        result = None
        left = node.first
        for operator, right in node.links:
            mask = _compare(left, operator, right, metric, ledger)
            result = mask if result is None else np.logical_and(result, mask)
            left = right
        return result
    raise unsupported(node)


def _compare(left: Node, operator: str, right: Node, metric: MetricSpec, ledger: Ledger):
    """One column compared with a value ("500 < 金额" reads as "金额 > 500")."""
    if not isinstance(left, Name) and isinstance(right, Name) and operator in _COMPARED:
        left, right, operator = right, left, _FLIPPED.get(operator, operator)
    if not isinstance(left, Name):
        raise unsupported(left)
    require_column(metric, ledger, left.name, "where")
    series = ledger.frame[left.name]
    if operator in MEMBERSHIP:
        values = [_constant(item, series, metric) for item in right.items]
        mask = series.isin(values).to_numpy()
        return mask if operator == "in" else ~mask
    if not isinstance(right, Constant):
        raise unsupported(right)
    value = _constant(right, series, metric)
    return getattr(series, _COMPARED[operator])(value).fillna(False).to_numpy(dtype=bool)


def _constant(node: Constant, series: pd.Series, metric: MetricSpec):
    """A value of the expression, converted to the column's type ("2024-03-01" for a date)."""
    try:
        if pd.api.types.is_datetime64_any_dtype(series):
            return pd.Timestamp(parse_date(node.value))
        if pd.api.types.is_numeric_dtype(series) and isinstance(node.value, str):
            return parse_number(node.value)
    except ValueError as error:
        raise at_declaration(f"指标“{metric.name}”的 where 条件：{error}", metric.defined_at) from None
    return node.value
