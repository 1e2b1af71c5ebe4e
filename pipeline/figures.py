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
