"""Figures: the values a document cites, each carrying where it came from, and the one form
in which a figure's identity travels through text: its wording between private-use marks
(`mark`), from rendering to assembling.

A `Figure` is made once by the aggregate stage and then only read: templates format it,
the document model keeps it beside its formatted text, writers can show its provenance.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from . import numbers, wording


@dataclass(frozen=True)
class SourceRef:
    """The ledger rows behind a figure."""
    source: str            # source name declared in the spec, e.g. 送温暖
    file: str              # path relative to the project folder
    sheet: str | None      # XLSX sheet, None for CSV
    filter: str            # the metric's `where`, as written; "" for all rows
    rows: int              # rows that passed the filter
    units: tuple[tuple[str, float | int], ...] = ()   # a sum or count over units' returns:
                                                      # each unit's part, in roster order


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
    earlier: tuple[tuple[int, float | int], ...] = ()   # (year, value) before the previous one,
                                                        # oldest first, where ledgers exist (近三年)


@dataclass(frozen=True)
class FigureTable:
    """A group-by metric: one figure per group, in the declared order."""
    id: str
    label: str
    key_label: str                   # header of the group column, e.g. 基层工会
    value_label: str                 # header of the value column, e.g. 慰问金额
    rows: tuple[tuple[str, Figure], ...]
    provenance: Provenance

    def cell(self, key: str) -> Figure | None:
        """The figure of the group `key`, by a dict rather than a scan of the rows: a table
        over many groups is looked up once per cell it cites."""
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Figure]:
        return dict(self.rows)


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
        found = found.cell(key[:-1])
    if not isinstance(found, Figure):
        return None
    if base != figure_id:
        return last_year(found) if found.previous is not None else None
    return found


# ---------------------------------------------------------------- figures in text

MARK_OPEN, MARK_SEP, MARK_CLOSE = "\ue000", "\ue001", "\ue002"
MARKED = re.compile(f"{MARK_OPEN}([^{MARK_SEP}]*){MARK_SEP}([^{MARK_CLOSE}]*){MARK_CLOSE}")


def mark(figure: Figure, text: str) -> str:
    """The figure's text between the marks that carry its id to the assemble stage, which
    takes every marked text out of the Markdown before parsing it."""
    return f"{MARK_OPEN}{figure.id}{MARK_SEP}{text}{MARK_CLOSE}"


def verbatim(text: str) -> str:
    """Text to be taken as it is, not as Markdown (a ledger's text): between the marks,
    without a figure id."""
    return f"{MARK_OPEN}{MARK_SEP}{text}{MARK_CLOSE}"


def unmarked(text: str) -> str:
    """The text a reader sees: marks removed, figure texts kept."""
    return MARKED.sub(lambda m: m.group(2), text)


def figure_text(figure: Figure, rules: wording.WordingRules = wording.DEFAULT_RULES) -> str:
    """A figure's default wording, chosen by its unit and the project's wording rules:
    1253人, 32.38万元, 90.9%, 22万人 (from the project's `wan_from`)."""
    if figure.unit == "元":
        return numbers.format_money(figure.value, None, figure.digits)
    if figure.unit == "%":
        return numbers.format_percent(figure.value, figure.digits)
    return wording.quantity_text(figure.value, figure.unit, figure.digits, rules)


BOOKMARK_PREFIX = "wm"                # every figure bookmark's name starts so (`wenmi refresh`)


def figure_bookmark_name(figure_id: str, occurrence: int) -> str:
    """The bookmark around the `occurrence`-th (from 1) citation of a figure: "wm3fa2c1d0_2".

    Word and WPS accept at most 40 characters, a letter first and no spaces, so the figure id
    (Chinese, with brackets) is carried as a short hash; the build manifest maps names back.
    """
    digest = hashlib.sha1(figure_id.encode("utf-8")).hexdigest()[:8]
    return f"{BOOKMARK_PREFIX}{digest}_{occurrence}"
