"""The aggregate stage: declared metrics evaluated with pandas into figures.

Each metric is computed once, for the current ledgers and, where the source declares last
year's file, for the previous ones too (so 同比 is a property of the figure, not a second
metric). Every figure records the rule, the declaration's file:line and the rows it used.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import WenmiError, at_declaration
from ..figures import Figure, FigureTable, Provenance, SourceRef
from ..numbers import format_date, parse_date, parse_number
from .ledgers import Ledger
from .specs import MetricSpec, Project

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
    rows = ledger.frame[kept_rows(metric, ledger)]
    value = _apply(metric, ledger, rows)
    return Figure(metric.name, metric.label, value, metric.unit, metric.digits,
                  ledger_provenance(metric, ledger, len(rows)), last)


def _table(metric: MetricSpec, ledger: Ledger) -> FigureTable:
    require_column(metric, ledger, metric.by, "by")
    rows = ledger.frame[kept_rows(metric, ledger)]
    groups = per_key(metric, ledger, key_texts(ledger.frame[metric.by]))
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
                       ledger_provenance(metric, ledger, len(rows)))


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
    """The metric over the kept rows of each key (`keys`: a text per ledger row): its value
    and row count, by one pandas group-by. A key whose rows hold no number to average (or
    take the least or most of) is refused, as a metric without such rows is."""
    kept = kept_rows(metric, ledger)
    rows, keys = ledger.frame[kept], keys[kept]
    # grouped as a Series: grouping the frame by a Series has pandas first try it as a
    # column label and format the whole Series for the error it catches (2 ms a metric)
    sizes = keys.groupby(keys, sort=False).size().to_dict()
    if metric.agg == "count" and not metric.column:
        values = sizes
    else:
        require_column(metric, ledger, metric.column, "column")
        column = rows[metric.column]
        if metric.agg == "count":
            column = column.notna()
        elif metric.agg != "nunique":
            _require_numeric(metric, ledger, column)
        values = column.groupby(keys, sort=False).agg("sum" if metric.agg == "count" else metric.agg).to_dict()
    found = {}
    for key, size in sizes.items():
        value = float(values[key])
        if math.isnan(value):
            raise at_declaration(f"指标“{metric.name}”在“{key}”的行中没有任何数值，"
                                 f"无法求{AGG_NAMES[metric.agg]}", metric.defined_at)
        found[key] = (int(value) if value.is_integer() else value, int(size))
    return found


def _apply(metric: MetricSpec, ledger: Ledger, rows: pd.DataFrame) -> float | int:
    """The aggregation itself; count and nunique are whole numbers."""
    if metric.agg == "count":
        if metric.column:
            require_column(metric, ledger, metric.column, "column")
            return int(rows[metric.column].notna().sum())
        return len(rows)
    require_column(metric, ledger, metric.column, "column")
    values = rows[metric.column]
    if metric.agg == "nunique":
        return int(values.nunique(dropna=True))
    _require_numeric(metric, ledger, values)
    values = values.dropna()
    if metric.agg == "sum":
        result = float(values.sum())
    elif values.empty:
        raise at_declaration(
            f"指标“{metric.name}”的条件没有匹配到任何有数值的行，无法求{AGG_NAMES[metric.agg]}",
            metric.defined_at)
    else:
        result = float(getattr(values, metric.agg)())
    return int(result) if result.is_integer() else result


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

_COMPARISONS = {ast.Eq: "__eq__", ast.NotEq: "__ne__", ast.Lt: "__lt__", ast.LtE: "__le__",
                ast.Gt: "__gt__", ast.GtE: "__ge__"}


def kept_rows(metric: MetricSpec, ledger: Ledger) -> pd.Series:
    """The rows a metric's `where` keeps, as a boolean mask; all rows without a filter."""
    frame = ledger.frame
    if not metric.where:
        return pd.Series(True, index=frame.index)
    try:
        tree = ast.parse(metric.where.strip(), mode="eval")
    except SyntaxError:
        raise at_declaration(f"指标“{metric.name}”的 where 条件写法有误：{metric.where}",
                             metric.defined_at,
                             hint='例如：类别 == "农民工" and 慰问金额 >= 1000') from None
    return pd.Series(np.asarray(_mask(tree.body, metric, ledger), dtype=bool), index=frame.index)


def _mask(node: ast.AST, metric: MetricSpec, ledger: Ledger):
    """Walk the whitelisted expression tree; anything else is refused, nothing is eval'd."""
    if isinstance(node, ast.BoolOp):
        masks = [_mask(value, metric, ledger) for value in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        result = masks[0]
        for mask in masks[1:]:
            result = combine(result, mask)
        return result
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return np.logical_not(_mask(node.operand, metric, ledger))
    if isinstance(node, ast.Compare):
        result = None
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            mask = _compare(left, op, right, metric, ledger)
            result = mask if result is None else np.logical_and(result, mask)
            left = right
        return result
    raise _refused(node, metric)


def _compare(left: ast.AST, op: ast.cmpop, right: ast.AST, metric: MetricSpec, ledger: Ledger):
    if not isinstance(left, ast.Name) and isinstance(right, ast.Name) and type(op) in _COMPARISONS:
        flipped = {ast.Lt: ast.Gt(), ast.LtE: ast.GtE(), ast.Gt: ast.Lt(), ast.GtE: ast.LtE()}
        left, right, op = right, left, flipped.get(type(op), op)
    if not isinstance(left, ast.Name):
        raise _refused(left, metric)
    column = left.id
    require_column(metric, ledger, column, "where")
    series = ledger.frame[column]
    if isinstance(op, (ast.In, ast.NotIn)):
        if not isinstance(right, (ast.List, ast.Tuple, ast.Set)):
            raise _refused(right, metric)
        values = [_constant(item, series, metric) for item in right.elts]
        mask = series.isin(values).to_numpy()
        return mask if isinstance(op, ast.In) else ~mask
    if type(op) not in _COMPARISONS:
        raise _refused(node=right, metric=metric)
    value = _constant(right, series, metric)
    return getattr(series, _COMPARISONS[type(op)])(value).fillna(False).to_numpy(dtype=bool)


def _constant(node: ast.AST, series: pd.Series, metric: MetricSpec):
    """A literal of the expression, converted to the column's type ("2024-03-01" for a date)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) \
            and isinstance(node.operand, ast.Constant):
        value = -node.operand.value
    elif isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float)):
        value = node.value
    else:
        raise _refused(node, metric)
    try:
        if pd.api.types.is_datetime64_any_dtype(series):
            return pd.Timestamp(parse_date(value))
        if pd.api.types.is_numeric_dtype(series) and isinstance(value, str):
            return parse_number(value)
    except ValueError as error:
        raise at_declaration(f"指标“{metric.name}”的 where 条件：{error}", metric.defined_at) from None
    if isinstance(value, float) and math.isnan(value):
        raise _refused(node, metric)
    return value


def _refused(node: ast.AST, metric: MetricSpec) -> WenmiError:
    return at_declaration(
        f"指标“{metric.name}”的 where 条件中有不支持的写法：{ast.unparse(node)}", metric.defined_at,
        hint='只能用 列名 == 值、!=、<、<=、>、>=、in [..]、not in [..]，以及 and、or、not 和括号')
