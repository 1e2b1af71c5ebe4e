"""Reading a whole project: specs, every ledger, every figure, the declared checks and the
lint — each on its own, so every problem is found in one run (pipeline/problems.py). What
`wenmi check` runs, and `wenmi build` before it composes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import WenmiError, at_declaration
from ..figures import Figure, FigureTable
from ..problems import Problems
from .checks import run_check
from .ledgers import Ledger, load_ledger
from .lint import lint_project
from .metrics import compute_figures
from .returns import ReturnsStatus, load_returns, per_unit_checks
from .nominees import warn_unmatched_stories
from .series import earlier_ledgers, with_series
from .specs import Project, load_project
from .targets import target_figure


@dataclass(frozen=True)
class Inspection:
    """What reading a project found: the project (None if its specs are broken), this year's
    ledgers that loaded (kept for batch reports and `wenmi explain`, so nothing reads a ledger
    twice), the figures that could be computed, every problem met on the way, and who has
    returned the forms of each returns source."""
    project: Project | None
    ledgers: dict[str, Ledger]
    figures: dict[str, Figure | FigureTable]
    problems: Problems
    returns: dict[str, ReturnsStatus]   # 报送情况 of each source made of units' returns


def inspect_project(root: Path, project: Project | None = None) -> Inspection:
    """Read specs (unless `project` holds them already), ledgers and metrics of the project
    at `root`, run its checks and lint."""
    problems = Problems()
    try:
        project = project or load_project(root)
    except WenmiError as error:
        problems.error(error)
        return Inspection(None, {}, {}, problems, {})
    ledgers: dict[str, Ledger] = {}
    previous: dict[str, Ledger] = {}
    returns: dict[str, ReturnsStatus] = {}
    checks_of_returns = {}
    with problems.collecting():
        checks_of_returns = per_unit_checks(project)
    for name, source in project.sources.items():
        for file, loaded in ((source.file, ledgers), (source.previous, previous)):
            if file and source.returns:
                loaded[name], status = load_returns(project, source, file, problems,
                                                    checks_of_returns.get(name, []), loaded is ledgers)
                if loaded is ledgers:
                    returns[name] = status
            elif file:
                path = project.inputs / file
                with problems.collecting():
                    loaded[name] = load_ledger(source, path, project.shown(path), problems)
    figures = _compute_each(project, ledgers, previous, problems)
    figures = with_series(project, figures, earlier_ledgers(project, problems))
    warn_unmatched_stories(project, ledgers, problems)
    # checks need every figure; after an error they would only repeat it
    for check in project.checks.values() if not problems.errors else ():
        with problems.collecting():
            outcome = run_check(check, figures)
            if outcome is not None:
                problems.add(outcome)
    lint_project(project, problems)
    return Inspection(project, ledgers, figures, problems, returns)


def _compute_each(project: Project, ledgers, previous, problems: Problems) -> dict:
    """Every figure whose ledgers loaded, each metric computed with only what it needs, so
    one broken metric is reported without hiding the others. A filter matching no row warns."""
    figures: dict[str, Figure | FigureTable] = {}
    waiting = _waiting_for_data(project, ledgers, problems)
    untyped = {name for name, literal in project.literals.items() if literal.value is None}
    for name, literal in project.literals.items():
        if literal.value is None:
            place = at_declaration("", literal.defined_at)
            problems.error(WenmiError(f"数字“{name}”还没有填{project.year}年的数值（上年为{literal.previous:g}）",
                                      file=place.file, place=place.place, hint="在 value 中填入本年度的数值"))
    for name in [*(n for n, literal in project.literals.items() if literal.value is not None),
                 *project.metrics]:
        needed = project.needed(name)
        if any(metric.source is not None and (metric.source not in ledgers or metric.source in waiting)
               or any(op in untyped for op in (metric.operands if metric.quotient else ()))
               for metric in needed):
            continue   # the ledger's or the figure's own error is already reported
        with problems.collecting():
            subset = replace(project, metrics={metric.name: metric for metric in needed})
            figures[name] = compute_figures(subset, ledgers, previous)[name]
    for name, metric in project.metrics.items():
        figure = figures.get(name)
        if metric.where and figure is not None and figure.provenance.sources[0].rows == 0:
            place = at_declaration("", metric.defined_at)
            problems.warn(f"指标“{name}”的条件 {metric.where} 没有匹配到任何行，结果为0",
                          place.file, place.place, hint="检查条件中的列名和取值是否与台账一致")
    for name, target in project.targets.items():
        if target.base in figures:
            figures[name] = target_figure(target, figures)
    return figures


def _waiting_for_data(project: Project, ledgers: dict[str, Ledger], problems: Problems) -> set[str]:
    """The sources whose ledger has a header and no row yet (a new year's ledger, `wenmi
    new-year`): each is one error naming the figures waiting for it, rather than figures
    that silently read 0. A source that may really stay empty says `allow_empty: true`."""
    waiting = set()
    for name, ledger in ledgers.items():
        source = project.sources[name]
        if len(ledger.frame) or source.allow_empty:
            continue
        waiting.add(name)
        needing = [metric for metric in project.metrics
                   if any(m.source == name for m in project.needed(metric))]
        what = f"{project.year}年的单位报表还没有一份可以计入汇总（未报送、有误或只有表头）" if source.returns \
            else f"台账还没有{project.year}年的数据（只有表头）"
        problems.error(WenmiError(
            f"{what}，"
            f"{'、'.join(needing[:6])}{'等' if len(needing) > 6 else ''}{len(needing)}个指标无法计算",
            file=ledger.file, hint=f"填入{project.year}年的台账数据；如本年度确无此项，在数据源“{name}”中写 allow_empty: true"))
    return waiting


def inspect_or_stop(root: Path, strict: bool = False, project: Project | None = None) -> Inspection:
    """The project read once (`inspect_project`); every problem found on the way is raised
    together, warnings too when `strict`."""
    inspection = inspect_project(root, project)
    inspection.problems.stop_if_failed(strict)
    return inspection
