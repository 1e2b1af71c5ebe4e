"""`wenmi explain`: a figure's rule and definition, and the ledger rows behind it, found
with the very filter the figure was computed with."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import WenmiError
from ..figures import FigureTable
from .inspection import inspect_or_stop
from .ledgers import Ledger
from .metrics import cell_text, kept_rows

SHOWN_ROWS = 20


def explain_lines(root: Path, name: str) -> list[str]:
    """A figure's rule and definition, then for each ledger it reads the rows it used
    (the first SHOWN_ROWS, with their numbers in the file) and how many there are."""
    inspection = inspect_or_stop(root)
    project, figures = inspection.project, inspection.figures
    figure = figures.get(name)
    if figure is None:
        close = difflib.get_close_matches(name, list(figures), n=3, cutoff=0.4)
        raise WenmiError(f"没有名为“{name}”的指标或数字",
                         hint=f"是否想查：{'、'.join(close)}" if close else "用 wenmi figures 查看全部")
    provenance = figure.provenance
    lines = [f"{figure.id}（{figure.label}）"]
    if isinstance(figure, FigureTable):
        lines += [f"  {key}：{cell_text(cell.value)}{cell.unit}" for key, cell in figure.rows]
    else:
        lines.append(f"  数值：{cell_text(figure.value)}{figure.unit}")
    lines.append(f"  规则：{provenance.rule}；定义于 {provenance.defined_at}")
    if not provenance.sources:
        lines.append("  数据：配置文件中直接填写的数值")
    metric = project.metrics.get(name)
    for operand in (metric.operands if metric and metric.quotient else ()):
        lines.append(f"  由“{operand}”计算，见 wenmi explain {operand}")
    if metric and not metric.quotient:
        lines += _rows_used(inspection.ledgers[metric.source], metric)
    return lines


def _rows_used(ledger: Ledger, metric) -> list[str]:
    rows = ledger.frame[kept_rows(metric, ledger)]
    sheet = f"，工作表“{ledger.sheet}”" if ledger.sheet else ""
    lines = [f"  来源：{ledger.file}{sheet}；条件：{metric.where or '全部行'}；"
             f"共 {len(rows)} 行（全表 {len(ledger.frame)} 行）"]
    shown = rows.head(SHOWN_ROWS)
    columns = [c for c in (metric.by, metric.column) if c] + [c for c in shown.columns
                                                            if c not in (metric.by, metric.column)][:4]
    lines.append("    行号  " + "  ".join(columns))
    for index, row in shown.iterrows():
        cells = "  ".join(cell_text(row[c]) for c in columns)
        lines.append(f"    {ledger.row_numbers[index]:>4}  {cells}")
    if len(rows) > SHOWN_ROWS:
        lines.append(f"    ……其余 {len(rows) - SHOWN_ROWS} 行未列出")
    return lines

