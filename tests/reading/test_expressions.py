"""The one expression language: what it parses into, what it refuses (with one message for
both readers), and that a `where:` and a check read the same tree."""

import pytest

from helpers import make_figure
from wenmi.errors import WenmiError
from wenmi.reading.checks import FUNCTIONS, run_check
from wenmi.reading.expressions import (MAX_DEPTH, Arithmetic, Call, Compare, Constant, ExpressionError,
                                       Logical, Name, Negative, Not, Unreadable, Values, parse)
from wenmi.reading.specs import CheckSpec


def test_a_chained_comparison_keeps_its_links_in_order():
    tree = parse("0 <= 办结率 <= 100")
    assert isinstance(tree, Compare)
    assert tree.first == Constant("0", 0)
    assert [(operator, right.text) for operator, right in tree.links] == [("<=", "办结率"), ("<=", "100")]


def test_the_nodes_of_the_language():
    tree = parse('not 类别 in ["农民工", "困难职工"] or -金额 / 2 + abs(-3) > 1', functions=["abs"])
    assert isinstance(tree, Logical) and tree.operator == "or"
    negated, comparison = tree.operands
    assert isinstance(negated, Not)
    membership = negated.operand
    assert membership.links[0][0] == "in"
    assert membership.links[0][1] == Values('["农民工", "困难职工"]',
                                            (Constant('"农民工"', "农民工"), Constant('"困难职工"', "困难职工")))
    total = comparison.first
    assert isinstance(total, Arithmetic) and total.operator == "+"
    assert isinstance(total.left.left, Negative) and total.left.left.operand == Name("金额", "金额")
    assert total.right == Call("abs(-3)", "abs", Constant("-3", -3))


@pytest.mark.parametrize("expression, refused", [
    ("a.b == 1", "a.b"),
    ("a[0] == 1", "a[0]"),
    ("a ** 2 > 1", "a ** 2"),
    ("a is None", "a is None"),
    ("a == True", "True"),
    ("a == 1e999", "1e999"),
    ("a == -'x'", "-'x'"),
    ("a in b", "b"),
    ("a in [b]", "b"),
    ("abs(a) > 1", "abs(a)"),                # no function unless the reader allows it
    ("(lambda: 1)() == 1", "(lambda: 1)()"),
])
def test_what_the_language_lacks_is_refused_naming_the_part(expression, refused):
    with pytest.raises(ExpressionError) as caught:
        parse(expression)
    assert str(caught.value) == f"不支持的写法“{refused}”"


def test_a_call_takes_one_argument_of_an_allowed_function():
    assert isinstance(parse("abs(a) > 1", functions=FUNCTIONS), Compare)
    for expression in ("abs(a, b) > 1", "abs(x=a) > 1", "len(a) > 1"):
        with pytest.raises(ExpressionError, match="不支持的写法"):
            parse(expression, functions=FUNCTIONS)


def test_unreadable_and_absurdly_deep_expressions_are_refused_without_a_crash():
    for text in ("a >", "a = 1", "(" * 300 + "a" + ")" * 300, "+".join(["a"] * 100_000)):
        with pytest.raises(ExpressionError):
            parse(text)
    with pytest.raises(Unreadable):
        parse("a >")
    with pytest.raises(ExpressionError, match=f"嵌套超过{MAX_DEPTH}层"):
        parse(" + ".join(["a"] * 200) + " > 0")


def test_a_check_refuses_membership_as_a_comparison():
    with pytest.raises(WenmiError, match="不支持的比较"):
        run_check(CheckSpec("c", "a in [1, 2]", "inputs/校验.yaml:7"), {"a": make_figure("a", 1, "")})
