"""The one expression language of a project: a metric's `where:` over ledger columns and a
declared check over figures.

`parse` reads an expression with Python's own parser, which evaluates nothing, and keeps
only what the language has — names, numbers and strings, comparisons (chained ones too),
`in`/`not in` a list of values, `and`/`or`/`not`, `+ - * /` and calls of the functions its
reader allows — as a tree of the small nodes below; anything else is refused with one
message. Each reader then interprets the tree its own way: metrics.py into a row mask over
a ledger, checks.py into numbers. No reader hands anything to `eval`.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Collection
from dataclasses import dataclass

MAX_DEPTH = 100   # nesting beyond any expression written by hand; deeper would exhaust the stack


class ExpressionError(ValueError):
    """Why an expression cannot be read or computed, in Chinese, without saying whose it is."""


class Unreadable(ExpressionError):
    """Not an expression at all (Python's parser refused it); the reader says so its own way."""


@dataclass(frozen=True)
class Node:
    text: str                  # the node as written, for messages


@dataclass(frozen=True)
class Name(Node):
    name: str                  # a column (where) or a figure (checks)


@dataclass(frozen=True)
class Constant(Node):
    value: str | int | float   # a finite number or a string; "-5" is the constant -5


@dataclass(frozen=True)
class Values(Node):
    items: tuple[Constant, ...]    # the list after `in` / `not in`


@dataclass(frozen=True)
class Compare(Node):
    first: Node
    links: tuple[tuple[str, Node], ...]   # (operator, right operand): "0 <= x <= 100" has two


@dataclass(frozen=True)
class Logical(Node):
    operator: str              # "and" or "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class Negative(Node):
    operand: Node


@dataclass(frozen=True)
class Arithmetic(Node):
    operator: str              # "+", "-", "*" or "/"
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    function: str              # one of the names the reader allows
    argument: Node


COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
               ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in"}
MEMBERSHIP = ("in", "not in")
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def unsupported(node: Node) -> ExpressionError:
    """The one refusal of a part the language, or the reader, does not have."""
    return _refused(node.text)


def _refused(text: str) -> ExpressionError:
    return ExpressionError(f"不支持的写法“{text}”")


def parse(expression: str, functions: Collection[str] = ()) -> Node:
    """The tree of `expression`; `functions` names the calls allowed, each of one argument.
    Raises Unreadable when Python cannot parse it, ExpressionError for what the language
    does not have."""
    source = expression.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError):   # the last two: absurdly nested input
        raise Unreadable("写法有误") from None
    _refuse_deep(tree.body)
    return _Reader(source, frozenset(functions)).node(tree.body)


def names_in(node: Node) -> set[str]:
    """Every name an expression reads (columns of a `where`, figures of a check)."""
    if isinstance(node, Name):
        return {node.name}
    children = [getattr(node, field) for field in ("first", "operand", "left", "right", "argument")
                if hasattr(node, field)]
    children += [right for _, right in getattr(node, "links", ())] + list(getattr(node, "operands", ()))
    return set().union(*(names_in(child) for child in children))


def _refuse_deep(tree: ast.AST) -> None:
    """Refuse nesting deeper than MAX_DEPTH before anything walks the tree recursively."""
    pending = [(tree, 0)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"嵌套超过{MAX_DEPTH}层")
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


class _Reader:
    """Turns Python's tree of one expression into the language's nodes."""

    def __init__(self, source: str, functions: frozenset[str]):
        self.source = source
        self.functions = functions

    def text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or ast.unparse(node)

    def node(self, node: ast.AST) -> Node:
        text = self.text(node)
        if isinstance(node, ast.Name):
            return Name(text, node.id)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(text, self.node(node.operand))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self.node(node.operand)
            if isinstance(operand, Constant) and not isinstance(operand.value, str):
                return Constant(text, -operand.value)
            if isinstance(operand, Constant):
                raise _refused(text)
            return Negative(text, operand)
        if isinstance(node, ast.BoolOp):
            return Logical(text, "and" if isinstance(node.op, ast.And) else "or",
                           tuple(map(self.node, node.values)))
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            return Arithmetic(text, _ARITHMETIC[type(node.op)], self.node(node.left),
                              self.node(node.right))
        if isinstance(node, ast.Compare):
            links = []
            for op, right in zip(node.ops, node.comparators):
                if type(op) not in COMPARISONS:
                    raise _refused(text)
                operator = COMPARISONS[type(op)]
                links.append((operator, self.values(right) if operator in MEMBERSHIP
                              else self.node(right)))
            return Compare(text, self.node(node.left), tuple(links))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in self.functions and len(node.args) == 1 and not node.keywords:
            return Call(text, node.func.id, self.node(node.args[0]))
        raise _refused(text)

    def constant(self, node: ast.Constant) -> Constant:
        """A string or a finite number (not True/False, None, bytes, 1e999)."""
        value = node.value
        if isinstance(value, str) or type(value) in (int, float) and math.isfinite(value):
            return Constant(self.text(node), value)
        raise _refused(self.text(node))

    def values(self, node: ast.AST) -> Values:
        """The list after `in`: [..], (..) or {..} of constants."""
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            raise _refused(self.text(node))
        items = tuple(map(self.node, node.elts))
        for item in items:
            if not isinstance(item, Constant):
                raise unsupported(item)
        return Values(self.text(node), items)
