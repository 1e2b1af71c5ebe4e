"""Trustworthy input: read the whole project unit by unit and check what it declares.

`inspect_project` is what `wenmi check` runs and `wenmi build` runs first: the specs, every
ledger, every metric, the declared `checks:` over figures and the typed-in figure lint, each
on its own, so every problem is found in one run (pipeline/problems.py).

A declared check is an expression over figure names, such as
`送温暖慰问户数 == 慰问困难职工户数 + 慰问农民工户数` or `abs(同比(会员总数)) <= 30`. It is
parsed with Python's `ast` and walked through a whitelist (numbers, figure names, + - * /,
comparisons, and/or/not, and the functions in FUNCTIONS); nothing is handed to `eval`.
"""

from __future__ import annotations

import ast
import difflib
import operator
from dataclasses import dataclass, replace
from pathlib import Path

from .aggregate import compute_figures
from .errors import WenmiError, at_declaration
from .figures import Figure, FigureTable
from .lint import lint_project
from .load import Ledger, load_ledger
from .numbers import change_percent, format_number
from .problems import ERROR, WARNING, Problem, Problems
from .project import CheckSpec, Project, load_project


@dataclass(frozen=True)
class Inspection:
    """What reading a project found: the project (None if its specs are broken), this year's
    ledgers that loaded (kept for batch reports and `wenmi explain`, so nothing reads a ledger
    twice), the figures that could be computed, and every problem met on the way."""
    project: Project | None
    ledgers: dict[str, Ledger]
    figures: dict[str, Figure | FigureTable]
    problems: Problems


def inspect_project(root: Path, project: Project | None = None) -> Inspection:
    """Read specs (unless `project` holds them already), ledgers and metrics of the project
    at `root`, run its checks and lint."""
    problems = Problems()
    try:
        project = project or load_project(root)
    except WenmiError as error:
        problems.error(error)
        return Inspection(None, {}, {}, problems)
    ledgers: dict[str, Ledger] = {}
    previous: dict[str, Ledger] = {}
    for name, source in project.sources.items():
        for file, loaded in ((source.file, ledgers), (source.previous, previous)):
            if file:
                path = project.inputs / file
                with problems.collecting():
                    loaded[name] = load_ledger(source, path, project.shown(path), problems)
    figures = _compute_each(project, ledgers, previous, problems)
    # checks need every figure; after an error they would only repeat it
    for check in project.checks.values() if not problems.errors else ():
        with problems.collecting():
            outcome = run_check(check, figures)
            if outcome is not None:
                problems.add(outcome)
    lint_project(project, problems)
    return Inspection(project, ledgers, figures, problems)


def _compute_each(project: Project, ledgers, previous, problems: Problems) -> dict:
    """Every figure whose ledgers loaded, each metric computed with only what it needs, so
    one broken metric is reported without hiding the others. A filter matching no row warns."""
    figures: dict[str, Figure | FigureTable] = {}
    for name in [*project.literals, *project.metrics]:
        needed = project.needed(name)
        if any(metric.source is not None and metric.source not in ledgers for metric in needed):
            continue   # the ledger's own error is already reported
        with problems.collecting():
            subset = replace(project, metrics={metric.name: metric for metric in needed})
            figures[name] = compute_figures(subset, ledgers, previous)[name]
    for name, metric in project.metrics.items():
        figure = figures.get(name)
        if metric.where and figure is not None and figure.provenance.sources[0].rows == 0:
            place = at_declaration("", metric.defined_at)
            problems.warn(f"指标“{name}”的条件 {metric.where} 没有匹配到任何行，结果为0",
                          place.file, place.place, hint="检查条件中的列名和取值是否与台账一致")
    return figures


# ---------------------------------------------------------------- declared checks

def _previous(figure: Figure) -> float:
    if figure.previous is None:
        raise ValueError(f"“{figure.id}”没有上年数据")
    return figure.previous.value


def _change(figure: Figure) -> float:
    last = _previous(figure)
    try:
        return float(change_percent(figure.value, last))
    except ValueError as error:
        raise ValueError(f"“{figure.id}”：{error}") from None


# name → (function of figures or numbers, whether it needs a figure rather than a number)
FUNCTIONS = {"上年": (_previous, True), "同比": (_change, True), "abs": (abs, False)}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
               ast.Div: operator.truediv}
_COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
                ast.GtE: ">="}


class _Refused(Exception):
    """A part of a check the whitelist does not allow, or that cannot be computed."""


class _Evaluator:
    """Walks one check's expression; `used` collects the figures it read, for the message."""

    def __init__(self, check: CheckSpec, figures: dict[str, Figure | FigureTable]):
        self.check = check
        self.figures = figures
        self.used: dict[str, Figure] = {}

    def value(self, node: ast.AST, as_figure: bool = False):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float) and not as_figure:
            return node.value
        if isinstance(node, ast.Name):
            figure = self._figure(node.id)
            return figure if as_figure else figure.value
        if as_figure:
            raise _Refused(f"“{ast.unparse(node)}”处应是一个指标名")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.value(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            left, right = self.value(node.left), self.value(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise _Refused(f"“{ast.unparse(node.right)}”为0，不能作除数")
            return _ARITHMETIC[type(node.op)](left, right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in FUNCTIONS and len(node.args) == 1 and not node.keywords:
            function, wants_figure = FUNCTIONS[node.func.id]
            try:
                return function(self.value(node.args[0], wants_figure))
            except ValueError as error:
                raise _Refused(str(error)) from None
        raise _Refused(f"不支持的写法“{ast.unparse(node)}”")

    def truth(self, node: ast.AST) -> bool:
        if isinstance(node, ast.BoolOp):
            results = (self.truth(value) for value in node.values)
            return all(results) if isinstance(node.op, ast.And) else any(results)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.truth(node.operand)
        if isinstance(node, ast.Compare):
            left = self.value(node.left)
            for op, right_node in zip(node.ops, node.comparators):
                if type(op) not in _COMPARISONS:
                    raise _Refused(f"不支持的比较“{ast.unparse(node)}”")
                right = self.value(right_node)
                if not self._holds(left, _COMPARISONS[type(op)], right):
                    return False
                left = right
            return True
        raise _Refused(f"“{ast.unparse(node)}”不是一个判断（应含 ==、<= 等比较）")

    def _holds(self, left: float, op: str, right: float) -> bool:
        close = abs(left - right) <= self.check.tolerance
        return {"==": close, "!=": not close, "<": left < right and not close,
                "<=": left <= right or close, ">": left > right and not close,
                ">=": left >= right or close}[op]

    def _figure(self, name: str) -> Figure:
        found = self.figures.get(name)
        if isinstance(found, FigureTable):
            raise _Refused(f"“{name}”是分组表，不能直接比较")
        if found is None:
            close = difflib.get_close_matches(name, list(self.figures), n=3, cutoff=0.5)
            raise _Refused(f"“{name}”不是已算出的指标" + (f"；是否想写：{'、'.join(close)}"
                                                          if close else ""))
        self.used[name] = found
        return found


def run_check(check: CheckSpec, figures: dict[str, Figure | FigureTable]) -> Problem | None:
    """The problem a declared check finds, or None when it holds. A check that cannot be
    read or computed is an error whatever its level."""
    evaluator = _Evaluator(check, figures)
    try:
        holds = evaluator.truth(ast.parse(check.expression, mode="eval").body)
    except SyntaxError:
        raise at_declaration(f"校验“{check.name}”的表达式写法有误：{check.expression}",
                             check.defined_at,
                             hint="例如：办结件数 <= 受理件数、0 <= 办结率 <= 100") from None
    except _Refused as refused:
        raise at_declaration(f"校验“{check.name}”无法计算：{refused}", check.defined_at,
                             hint="可用指标名、数字、+ - * /、比较、and/or/not，"
                                  "以及 上年(指标)、同比(指标)、abs(数)") from None
    if holds:
        return None
    values = "，".join(f"{name} = {format_number(figure.value, 4)}"
                      for name, figure in evaluator.used.items())
    where = at_declaration("", check.defined_at)
    return Problem(ERROR if check.level == "error" else WARNING,
                   f"校验“{check.name}”不成立：{check.expression}（{values}）",
                   where.file, where.place)
