"""The 汇总表 of units' returns: the table an office used to copy together by hand.

One row per unit the form was sent to, in the roster's order (then any unit not on it), with
its 报送情况, the number of rows of its return and the sum of each number column of the form;
then a 合计 row over the returns counted. A unit that has not returned, or whose return is
left out for its errors, keeps its row with the cells blank — a 0 would read as a return of
nothing. A note under the title says who is missing. Every number is a `Figure` summed by the
aggregation kernel the metrics use, its provenance naming the unit's file: the HTML shows it
on hover, the workbook stores it as a number, the DOCX prints it like the roster's table.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import replace

from .. import numbers
from ..figures import Figure
from ..model import Document, FigureText, Inlines, Paragraph, Table, Text
from ..reading.inspection import Inspection
from ..reading.ledgers import UNIT_COLUMN, Ledger
from ..reading.metrics import key_texts, ledger_provenance, per_key
from ..reading.returns import RETURNED, ReturnsStatus
from ..reading.specs import MetricSpec, Project, SummarySpec
from . import Job
from .numbering import number

SUMMED_TYPES = ("integer", "number", "money")   # a form's columns that add up across units
NOT_RETURNED = "未报送"
TOTAL = "合计"
MONEY = "元"           # a money column's unit: said once in the note (the workbook's header adds it too)


def summary_jobs(inspection: Inspection, specs: Iterable[SummarySpec],
                 formats: tuple[str, ...] = ()) -> list[Job]:
    """A job per 汇总表, in the formats asked for (its own when none are)."""
    project = inspection.project
    return [Job(spec.name, project.outputs / spec.output, formats or spec.formats,
                functools.partial(summary_document, project, spec, inspection.ledgers[spec.returns],
                                  inspection.returns[spec.returns]))
            for spec in specs]


def summary_document(project: Project, spec: SummarySpec, ledger: Ledger,
                     status: ReturnsStatus) -> Document:
    """The 汇总表 as a landscape document: title, the note on who has returned (and the unit
    of money: a "（元）" in each header would wrap the units' names), the table, 署名 and date."""
    date = numbers.format_date(spec.date, chinese=spec.chinese_date) if spec.date else ""
    measures = _measures(project, spec)
    money = any(metric.unit == MONEY for metric in measures)
    text = note(status) + (f"金额单位：{MONEY}。" if money else "")
    table = summary_table(spec, measures, ledger, status)
    return number(Document(title=spec.title, blocks=(Paragraph((Text(text),)), table),
                           issuer=spec.issuer, date=date, landscape=True))


def summary_table(spec: SummarySpec, measures: list[MetricSpec], ledger: Ledger,
                  status: ReturnsStatus) -> Table:
    """序号, 填报单位, 报送情况 and each of `measures` (`_measures`); a row per unit, the 合计
    row last."""
    keys = key_texts(ledger.frame[UNIT_COLUMN])
    by_unit = [per_key(metric, ledger, keys) for metric in measures]
    files = {part.unit: part.file for part in ledger.parts}
    states = {unit_return.unit: unit_return.state for unit_return in status.returns}
    order = list(status.expected) + [unit for unit in states if unit not in status.expected]
    rows = []
    for serial, unit in enumerate(order, start=1):
        state = states.get(unit, NOT_RETURNED)
        cells = [_cell(spec, metric, ledger, unit, files[unit], *values.get(unit, (0, 0)))
                 if state == RETURNED else () for metric, values in zip(measures, by_unit)]
        rows.append(((Text(str(serial)),), (Text(unit),), (Text(state),), *cells))
    counted = [unit for unit in order if states.get(unit) == RETURNED]
    totals = [_cell(spec, metric, ledger, TOTAL, ledger.file,
                    sum(values.get(unit, (0, 0))[0] for unit in counted),
                    sum(values.get(unit, (0, 0))[1] for unit in counted))
              for metric, values in zip(measures, by_unit)]
    rows.append(((), (Text(TOTAL),), (Text(f"计入{len(counted)}个"),), *totals))
    header = ("序号", UNIT_COLUMN, "报送情况", *(metric.label for metric in measures))
    return Table(caption=(), header=header, rows=tuple(rows))


def note(status: ReturnsStatus) -> str:
    """Who has returned, in one short line (the table names each unit and its state):
    "应报12个单位，已报10个，其中2个有误未计入，未报2个。"."""
    returned = f"应报{len(status.expected)}个单位，已报{len(status.returns)}个" if status.expected \
        else f"已报{len(status.returns)}个单位"
    faulty = f"，其中{len(status.faulty)}个有误未计入" if status.faulty else ""
    missing = f"，未报{len(status.missing)}个" if status.missing else \
        "，已全部报送" if status.expected else ""
    return f"{returned}{faulty}{missing}。"


def _measures(project: Project, spec: SummarySpec) -> list[MetricSpec]:
    """What each unit's row adds up: its rows, then every number column of the form (not a
    key such as 序号, which is declared unique)."""
    source = project.sources[spec.returns]
    count = MetricSpec(spec.rows, spec.defined_at, spec.rows, "", 0, source=source.name, agg="count")
    return [count] + [MetricSpec(column.name, spec.defined_at, column.name,
                                 MONEY if column.type == "money" else "",
                                 0 if column.type == "integer" else 2,
                                 source=source.name, agg="sum", column=column.name)
                      for column in source.columns
                      if column.type in SUMMED_TYPES and not column.unique]


def _cell(spec: SummarySpec, metric: MetricSpec, ledger: Ledger, unit: str, file: str,
          value: float | int, rows: int) -> Inlines:
    """One number of the table as a figure, written plainly ("68020": the unit of money is
    said in the note, and in the workbook's header), its provenance the unit's rows in its own
    file (all rows counted for 合计)."""
    provenance = ledger_provenance(metric, ledger, rows, "" if unit == TOTAL else f'{UNIT_COLUMN} == "{unit}"')
    provenance = replace(provenance, sources=(replace(provenance.sources[0], file=file),))
    figure = Figure(f"{spec.name}[{unit}][{metric.label}]", f"{unit}{metric.label}", value,
                    metric.unit, metric.digits, provenance)
    return (FigureText(numbers.format_number(value, metric.digits), figure),)
