"""Several years of a figure ("近三年分别为…"): the ledgers of the years before last, found
beside this year's by the year in their path (台账/2022/送温暖.csv next to
台账/2024/送温暖.csv), each metric computed on them as on this year's."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..errors import WenmiError
from ..figures import Figure, FigureTable
from ..inputfiles import OUTSIDE_HINT
from ..problems import Problems
from .ledgers import Ledger, load_ledger
from .metrics import compute_figures
from .specs import Project

EARLIEST = 4          # years before this one looked for: this year and four more make five


def earlier_ledgers(project: Project, problems: Problems) -> dict[int, dict[str, Ledger]]:
    """The ledgers of two to EARLIEST years ago that exist, by year and source."""
    found: dict[int, dict[str, Ledger]] = {}
    year = str(project.year)
    for back in range(2, EARLIEST + 1):
        for name, source in project.sources.items():
            if year not in source.file:
                continue
            path = project.inputs / source.file.replace(year, str(project.year - back))
            if path.is_file():
                with problems.collecting():
                    if not project.within(path):
                        raise WenmiError("这份往年台账指向项目文件夹之外，未读取", file=project.shown(path),
                                         hint=OUTSIDE_HINT)
                    found.setdefault(project.year - back, {})[name] = \
                        load_ledger(source, path, project.shown(path), problems)
    return found


def with_series(project: Project, figures: Mapping[str, Figure | FigureTable],
                earlier: Mapping[int, Mapping[str, Ledger]]) -> dict[str, Figure | FigureTable]:
    """Each metric figure with its values of the years in `earlier` whose ledgers it needs
    all exist (a figure from a typed-in number or a group table has none)."""
    updated = dict(figures)
    for name, figure in figures.items():
        needed = project.needed(name)
        if not isinstance(figure, Figure) or not needed or figure.previous is None or any(
                metric.by or metric.per_nominee or metric.quotient and any(
                    op in project.literals for op in metric.operands) for metric in needed):
            continue
        sources = {metric.source for metric in needed if metric.source}
        subset = dataclasses.replace(project, literals={},
                                     metrics={metric.name: metric for metric in needed})
        values = []
        for year in sorted(earlier):
            if sources <= set(earlier[year]):
                try:
                    values.append((year, compute_figures(subset, earlier[year], {})[name].value))
                except WenmiError:      # e.g. a rate whose base was 0 that year: left out
                    continue
        if values:
            updated[name] = dataclasses.replace(figure, earlier=tuple(values))
    return updated
