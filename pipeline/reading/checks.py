"""The declared `checks:` over figures.

A declared check is an expression over figure names, such as
`送温暖慰问户数 == 慰问困难职工户数 + 慰问农民工户数` or `abs(同比(会员总数)) <= 30`, in the
language of expressions.py (numbers, figure names, + - * /, comparisons, and/or/not, and the
functions in FUNCTIONS), computed here into numbers; nothing is handed to `eval`.
"""

from __future__ import annotations

import difflib
import operator

from ..errors import at_declaration
from ..figures import Figure, FigureTable
from ..numbers import change_percent, format_number
from ..problems import ERROR, WARNING, Problem
from .expressions import (Arithmetic, Call, Compare, Constant, ExpressionError, Logical, Name, Negative,
                          Node, Not, Unreadable, parse, unsupported)
from .specs import CheckSpec

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
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


class _Evaluator:
    """Computes one check's expression; `used` collects the figures it read, for the message."""

    def __init__(self, check: CheckSpec, figures: dict[str, Figure | FigureTable]):
        self.check = check
        self.figures = figures
        self.used: dict[str, Figure] = {}

    def value(self, node: Node, as_figure: bool = False):
        if isinstance(node, Constant) and not isinstance(node.value, str) and not as_figure:
            return node.value
        if isinstance(node, Name):
            figure = self._figure(node.name)
            return figure if as_figure else figure.value
        if as_figure:
            raise ExpressionError(f"“{node.text}”处应是一个指标名")
        if isinstance(node, Negative):
            return -self.value(node.operand)
        if isinstance(node, Arithmetic):
            left, right = self.value(node.left), self.value(node.right)
            if node.operator == "/" and right == 0:
                raise ExpressionError(f"“{node.right.text}”为0，不能作除数")
            return _ARITHMETIC[node.operator](left, right)
        if isinstance(node, Call):
            function, wants_figure = FUNCTIONS[node.function]
            try:
                return function(self.value(node.argument, wants_figure))
            except ValueError as error:
                raise ExpressionError(str(error)) from None
        raise unsupported(node)

    def truth(self, node: Node) -> bool:
        if isinstance(node, Logical):
            results = (self.truth(operand) for operand in node.operands)
            return all(results) if node.operator == "and" else any(results)
        if isinstance(node, Not):
            return not self.truth(node.operand)
        if isinstance(node, Compare):
            left = self.value(node.first)
            for comparison, right_node in node.links:
                if comparison not in _COMPARISONS:
                    raise ExpressionError(f"不支持的比较“{node.text}”")
                right = self.value(right_node)
                if not self._holds(left, comparison, right):
                    return False
                left = right
            return True
        raise ExpressionError(f"“{node.text}”不是一个判断（应含 ==、<= 等比较）")

    def _holds(self, left: float, op: str, right: float) -> bool:
        close = abs(left - right) <= self.check.tolerance
        return {"==": close, "!=": not close, "<": left < right and not close,
                "<=": left <= right or close, ">": left > right and not close,
                ">=": left >= right or close}[op]

    def _figure(self, name: str) -> Figure:
        found = self.figures.get(name)
        if isinstance(found, FigureTable):
            raise ExpressionError(f"“{name}”是分组表，不能直接比较")
        if found is None:
            close = difflib.get_close_matches(name, list(self.figures), n=3, cutoff=0.5)
            raise ExpressionError(f"“{name}”不是已算出的指标" + (f"；是否想写：{'、'.join(close)}"
                                                               if close else ""))
        self.used[name] = found
        return found


def run_check(check: CheckSpec, figures: dict[str, Figure | FigureTable]) -> Problem | None:
    """The problem a declared check finds, or None when it holds. A check that cannot be
    read or computed is an error whatever its level."""
    evaluator = _Evaluator(check, figures)
    try:
        holds = evaluator.truth(parse(check.expression, FUNCTIONS))
    except Unreadable:
        raise at_declaration(f"校验“{check.name}”的表达式写法有误：{check.expression}",
                             check.defined_at,
                             hint="例如：办结件数 <= 受理件数、0 <= 办结率 <= 100") from None
    except ExpressionError as refused:
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
