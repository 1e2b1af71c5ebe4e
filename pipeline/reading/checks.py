"""The declared `checks:` over figures.

A declared check is an expression over figure names, such as
`送温暖慰问户数 == 慰问困难职工户数 + 慰问农民工户数` or `abs(同比(会员总数)) <= 30`. It is
parsed with Python's `ast` and walked through a whitelist (numbers, figure names, + - * /,
comparisons, and/or/not, and the functions in FUNCTIONS); nothing is handed to `eval`.
"""

from __future__ import annotations

import ast
import difflib
import operator

from ..errors import at_declaration
from ..figures import Figure, FigureTable
from ..numbers import change_percent, format_number
from ..problems import ERROR, WARNING, Problem
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
