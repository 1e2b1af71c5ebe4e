"""The project: the YAML specs under inputs/, read with the file:line of every entry.

A project folder holds `inputs/` (YAML specs, ledgers, report bodies), `templates/` (genre
templates) and `outputs/`. Every `*.yaml` directly under inputs/ is read; their top-level
sections (project, sources, figures, metrics, reports) are merged, and a name declared
twice is an error that names both places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

COLUMN_TYPES = ("integer", "number", "money", "percent", "date", "category", "text")


@dataclass(frozen=True)
class ColumnSpec:
    """A declared ledger column: its type and, for a category, the allowed values."""
    name: str
    type: str                              # one of COLUMN_TYPES
    values: tuple[str, ...] = ()           # allowed values of a category; empty = any


@dataclass(frozen=True)
class SourceSpec:
    """A ledger: a CSV file or an XLSX sheet, and optionally last year's twin for 同比."""
    name: str
    file: str                              # relative to inputs/
    defined_at: str                        # "inputs/sources.yaml:3"
    sheet: str | None = None               # XLSX only; default the first sheet
    header_rows: int = 1
    columns: tuple[ColumnSpec, ...] = ()   # undeclared columns are read as text
    total_row: bool = True                 # recognise, check and drop a 合计/总计/小计 row
    previous: str | None = None            # last year's file, same layout


@dataclass(frozen=True)
class LiteralSpec:
    """A figure typed into the YAML by the office, e.g. a number from the statistics bureau."""
    name: str
    value: float | int
    unit: str
    label: str
    note: str
    defined_at: str
    digits: int = 0
    previous: float | int | None = None


@dataclass(frozen=True)
class MetricSpec:
    """A declared metric. Exactly one form: an aggregation over a source (`agg`), or a
    quotient of two other metrics (`rate`, `share`: percent; `ratio`: plain)."""
    name: str
    defined_at: str
    label: str
    unit: str
    digits: int
    source: str | None = None
    agg: str | None = None                 # sum, count, mean, min, max, nunique
    column: str | None = None
    where: str = ""
    by: str | None = None                  # group-by column: the metric is a table
    sort: str = "desc"                     # desc, asc (by value) or key (by group name)
    top: int | None = None
    quotient: str | None = None            # rate, share or ratio
    operands: tuple[str, str] = ("", "")   # numerator, denominator metric names


@dataclass(frozen=True)
class ReportSpec:
    """A document to build: genre template, body, front matter and output formats."""
    name: str
    defined_at: str
    genre: str                             # templates/<genre>.md.j2
    body: str                              # relative to inputs/
    title: str                             # may hold Jinja placeholders
    date: date
    issuer: str
    subtitle: str = ""
    recipient: str = ""
    attachments: tuple[str, ...] = ()
    chinese_date: bool = False             # 二〇二四年十二月二十日 instead of 2024年12月20日
    continuous_level3: bool = False
    level3_mark: str = "."
    merged_enumerations: bool = False      # default form of 一是…二是… lists
    formats: tuple[str, ...] = ("docx", "html", "md")
    output: str = ""                       # file stem; default the report name


@dataclass(frozen=True)
class Project:
    """Everything declared for one project folder."""
    root: Path
    organization: str
    year: int
    sources: dict[str, SourceSpec] = field(default_factory=dict)
    literals: dict[str, LiteralSpec] = field(default_factory=dict)
    metrics: dict[str, MetricSpec] = field(default_factory=dict)
    reports: dict[str, ReportSpec] = field(default_factory=dict)

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project folder, with /."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
