"""Figures: the values a document cites, each carrying where it came from.

A `Figure` is made once by the aggregate stage and then only read: templates format it,
the document model keeps it beside its formatted text, writers can show its provenance.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceRef:
    """The ledger rows behind a figure."""
    source: str            # source name declared in the spec, e.g. 送温暖
    file: str              # path relative to the project folder
    sheet: str | None      # XLSX sheet, None for CSV
    filter: str            # the metric's `where`, as written; "" for all rows
    rows: int              # rows that passed the filter


@dataclass(frozen=True)
class Provenance:
    """How a figure was computed: the rule, where it is declared, the rows it used."""
    defined_at: str                  # "inputs/metrics.yaml:12"
    rule: str                        # "sum(慰问金额)", "结案数 / 受理数 × 100"
    sources: tuple[SourceRef, ...]   # empty for a literal figure


@dataclass(frozen=True)
class Figure:
    """One cited value: `value` in `unit`; percentages are held in percent points (97.5)."""
    id: str
    label: str
    value: float | int
    unit: str
    digits: int                      # decimals shown when the value is not whole
    provenance: Provenance
    previous: "Figure | None" = None  # the same figure for the previous period (同比)


@dataclass(frozen=True)
class FigureTable:
    """A group-by metric: one figure per group, in the declared order."""
    id: str
    label: str
    key_label: str                   # header of the group column, e.g. 基层工会
    value_label: str                 # header of the value column, e.g. 慰问金额
    rows: tuple[tuple[str, Figure], ...]
    provenance: Provenance


LAST_YEAR_SUFFIX = "@上年"


def last_year(figure: Figure) -> Figure:
    """The previous period's value as a figure of its own, citable like any other."""
    previous = figure.previous
    if previous is None:
        raise ValueError(f"指标“{figure.id}”没有上年数据")
    return Figure(f"{figure.id}{LAST_YEAR_SUFFIX}", f"{figure.label}（上年）", previous.value,
                  previous.unit, previous.digits, previous.provenance)


def find(figures: "dict[str, Figure | FigureTable]", figure_id: str) -> Figure | None:
    """The figure an id names: "慰问金额", a table cell "各乡镇慰问金额[城关镇]", or
    "慰问金额@上年"; None when nothing of that id exists."""
    base = figure_id.removesuffix(LAST_YEAR_SUFFIX)
    name, _, key = base.partition("[")
    found = figures.get(name)
    if isinstance(found, FigureTable) and key:
        found = next((figure for row_key, figure in found.rows if row_key == key[:-1]), None)
    if not isinstance(found, Figure):
        return None
    if base != figure_id:
        return last_year(found) if found.previous is not None else None
    return found
