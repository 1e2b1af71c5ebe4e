"""`wenmi explain`: a figure's rule and definition, and the ledger rows behind it, found
with the very filter the figure was computed with."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..errors import WenmiError
from ..figures import Figure, FigureTable
from .inspection import Inspection, inspect_or_stop
from .ledgers import Ledger
from .metrics import cell_text, kept_rows

SHOWN_ROWS = 20


@dataclass(frozen=True)
class RowsUsed:
    """The ledger rows a figure was computed from: the first few of them, as text."""
    file: str
    sheet: str | None
    condition: str                        # the metric's `where`, or 全部行
    count: int                            # rows that passed the filter
    total: int                            # rows in the ledger
    columns: list[str]                    # the grouped and summed columns first
    rows: list[tuple[int, list[str]]]     # (line or row number in the file, cells)
    units: list[tuple[str, str, str]]     # units' returns: (unit, its file, its part or "")


@dataclass(frozen=True)
class Explanation:
    """What `wenmi explain` says of one figure (the workbench shows the same)."""
    figure: Figure | FigureTable
    operands: tuple[str, ...]             # a quotient's metrics, explained on their own
    rows: RowsUsed | None                 # None for a literal or a quotient


def explain(inspection: Inspection, name: str, shown: int = SHOWN_ROWS) -> Explanation:
    """The figure `name` of a read project and the first `shown` rows behind it."""
    project, figures = inspection.project, inspection.figures
    figure = figures.get(name)
    if figure is None:
        close = difflib.get_close_matches(name, list(figures), n=3, cutoff=0.4)
        raise WenmiError(f"没有名为“{name}”的指标或数字",
                         hint=f"是否想查：{'、'.join(close)}" if close else "用 wenmi figures 查看全部")
    metric = project.metrics.get(name)
    operands = tuple(metric.operands) if metric and metric.quotient else ()
    rows = _rows_used(inspection.ledgers[metric.source], metric, figure, shown) \
        if metric and not metric.quotient else None
    return Explanation(figure, operands, rows)


def explain_lines(root: Path, name: str) -> list[str]:
    """A figure's rule and definition, then for each ledger it reads the rows it used
    (the first SHOWN_ROWS, with their numbers in the file) and how many there are."""
    explained = explain(inspect_or_stop(root), name)
    figure = explained.figure
    provenance = figure.provenance
    lines = [f"{figure.id}（{figure.label}）"]
    if isinstance(figure, FigureTable):
        lines += [f"  {key}：{cell_text(cell.value)}{cell.unit}" for key, cell in figure.rows]
    else:
        lines.append(f"  数值：{cell_text(figure.value)}{figure.unit}")
    lines.append(f"  规则：{provenance.rule}；定义于 {provenance.defined_at}")
    if not provenance.sources:
        lines.append("  数据：配置文件中直接填写的数值")
    for operand in explained.operands:
        lines.append(f"  由“{operand}”计算，见 wenmi explain {operand}")
    used = explained.rows
    if used is not None:
        sheet = f"，工作表“{used.sheet}”" if used.sheet else ""
        lines.append(f"  来源：{used.file}{sheet}；条件：{used.condition}；"
                     f"共 {used.count} 行（全表 {used.total} 行）")
        lines.append("    行号  " + "  ".join(used.columns))
        lines += [f"    {number:>4}  {'  '.join(cells)}" for number, cells in used.rows]
        if used.count > len(used.rows):
            lines.append(f"    ……其余 {used.count - len(used.rows)} 行未列出")
        if used.units:
            lines.append(f"  各单位报表（{len(used.units)} 份）：")
            lines += [f"    {unit}{'：' + part if part else ''}（{file}）" for unit, file, part in used.units]
    return lines


def _rows_used(ledger: Ledger, metric, figure, shown: int) -> RowsUsed:
    rows = ledger.frame[kept_rows(metric, ledger)]
    first = rows.head(shown)
    columns = [c for c in (metric.by, metric.column) if c] + [c for c in first.columns
                                                            if c not in (metric.by, metric.column)][:4]
    cells = [(ledger.row_numbers[index], [cell_text(row[c]) for c in columns])
             for index, row in first.iterrows()]
    parts = dict(figure.provenance.sources[0].units) if isinstance(figure, Figure) else {}
    units = [(part.unit, part.file, f"{cell_text(parts[part.unit])}{figure.unit}" if part.unit in parts else "")
             for part in ledger.parts]
    return RowsUsed(ledger.file, ledger.sheet, metric.where or "全部行", len(rows), len(ledger.frame),
                    columns, cells, units)
