"""The 推荐名单汇总表: every nominee of a batch report in one table.

The roster is built from the same `Nominee` objects the dossiers are rendered from — the
same order, names and `Figure`s — so the two cannot disagree. `roster_table` is the model
table, `roster_document` the landscape document that the DOCX and XLSX writers print.
"""

from __future__ import annotations

import functools

from ..errors import at_declaration
from ..figures import figure_text
from ..model import Document, FigureText, Table, Text
from ..reading.nominees import SERIAL, Nominee
from ..reading.specs import BatchSpec
from ..wording import DEFAULT_RULES, WordingRules
from .joining import overlap_join
from .numbering import number

JOINED = "+"            # a column "单位+职务": the fields side by side, what they share once
SHEET = "推荐名单"       # the workbook's sheet


def roster_table(spec: BatchSpec, nominees: list[Nominee],
                 rules: WordingRules = DEFAULT_RULES) -> Table:
    """Header from the declared columns; a row per nominee in roster order."""
    header = tuple(column.header for column in spec.roster_columns)
    rows = tuple(tuple(_cell(spec, nominee, column.field, rules) for column in spec.roster_columns)
                 for nominee in nominees)
    return Table(caption=(), header=header, rows=rows)


def _cell(spec: BatchSpec, nominee: Nominee, field: str, rules: WordingRules):
    if field == SERIAL:
        return (Text(str(nominee.serial)),)
    if field in nominee.figures:
        figure = nominee.figures[field]            # None: the figure does not apply to it
        return (FigureText(figure_text(figure, rules), figure),) if figure is not None else ()
    parts = field.split(JOINED)
    if all(part in nominee.fields for part in parts):
        text = functools.reduce(overlap_join, (nominee.fields[part] for part in parts))
        return (Text(text),) if text else ()
    raise at_declaration(f"roster 的列“{field}”不是推荐对象表的列（或用“+”连写的几列）、"
                         "“序号”或按对象计算的指标", spec.defined_at)


def roster_document(spec: BatchSpec, nominees: list[Nominee], date: str,
                    rules: WordingRules = DEFAULT_RULES) -> Document:
    """The roster as a landscape document: title, the table, 署名 and date."""
    return number(Document(title=spec.roster_title, blocks=(roster_table(spec, nominees, rules),),
                           issuer=spec.issuer, date=date, landscape=True, sheet=SHEET))
