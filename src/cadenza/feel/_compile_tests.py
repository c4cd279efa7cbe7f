"""Compiling unary tests (DMN input entries and the right side of ``in``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from cadenza.feel._ast import (
    BinaryOp,
    Iteration,
    Literal,
    Name,
    Node,
    RangeLiteral,
    UnaryComparison,
    UnaryTests,
)
from cadenza.feel._compile_ops import ORDER_TESTS, RANGE_KINDS
from cadenza.feel._runtime import MISSING, CompilerLike, EvalContext, Scope
from cadenza.feel._semantics import range_contains, test_matches
from cadenza.feel._types import Range
from cadenza.feel._values import compare, feel_equal

__all__ = ["TestEvaluator", "compile_test", "compile_tests", "uses_input"]

TestEvaluator = Callable[[EvalContext, Any], "bool | None"]
"""A compiled unary test: (context, input value) -> match, no match, or null."""


def _children(node: Any) -> Iterable[Any]:
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Node | Iteration):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Node | Iteration):
                    yield item
                elif isinstance(item, tuple):
                    yield from (x for x in item if isinstance(x, Node))


def uses_input(node: Any) -> bool:
    """Whether the tree refers to ``?`` (the input value of a unary test)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Name) and n.name == "?":
            return True
        stack.extend(_children(n))
    return False


def _constant(node: Node) -> Any:
    """The value of a test that needs no evaluation (literals, literal ranges), else MISSING."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, UnaryComparison) and isinstance(node.operand, Literal):
        if node.op is BinaryOp.EQ or node.op is BinaryOp.NE:
            return MISSING
        return Range.comparison(RANGE_KINDS[node.op], node.operand.value)
    if (
        isinstance(node, RangeLiteral)
        and isinstance(node.start, Literal)
        and isinstance(node.end, Literal)
        and node.start.value is not None
        and node.end.value is not None
        and compare(node.start.value, node.end.value) is not None
    ):
        return Range(node.start.value, node.end.value, node.start_included, node.end_included)
    return MISSING


def _constant_test(expected: Any) -> TestEvaluator:
    if type(expected) is Range:

        def range_test(ctx: EvalContext, value: Any) -> bool | None:
            return range_contains(expected, value)

        return range_test
    kind = type(expected)
    if kind is Decimal or kind is str:

        def equal_test(ctx: EvalContext, value: Any) -> bool | None:
            if type(value) is kind:
                return bool(value == expected)
            return feel_equal(value, expected)

        return equal_test

    if kind is bool:
        # A boolean literal is compared with the input, as any other literal: `true` matches
        # the boolean true only (Zeebe's FEEL engine and the DMN layer's fast path agree).
        def boolean_test(ctx: EvalContext, value: Any) -> bool | None:
            return value is expected

        return boolean_test

    def value_test(ctx: EvalContext, value: Any) -> bool | None:
        return test_matches(value, expected)

    return value_test


def compile_test(c: CompilerLike, node: Node) -> TestEvaluator:
    """A positive unary test against an input value."""
    constant = _constant(node)
    if constant is not MISSING:
        return _constant_test(constant)
    if isinstance(node, UnaryComparison):
        operand = c.compile(node.operand)
        op = node.op
        if op is BinaryOp.EQ or op is BinaryOp.NE:
            negate = op is BinaryOp.NE

            def equal_test(ctx: EvalContext, value: Any) -> bool | None:
                r = feel_equal(value, operand(ctx))
                return r if r is None or not negate else not r

            return equal_test
        order = ORDER_TESTS[op]

        def order_test(ctx: EvalContext, value: Any) -> bool | None:
            c = compare(value, operand(ctx))
            return None if c is None else order(c)

        return order_test
    evaluator = c.compile(node)
    if uses_input(node):

        def input_test(ctx: EvalContext, value: Any) -> bool | None:
            saved = ctx.scope
            ctx.scope = Scope({"?": value}, saved)
            try:
                r = evaluator(ctx)
            finally:
                ctx.scope = saved
            return r if type(r) is bool else None

        return input_test

    def value_test(ctx: EvalContext, value: Any) -> bool | None:
        expected = evaluator(ctx)
        if type(expected) is bool and type(value) is not bool:
            return expected
        return test_matches(value, expected)

    return value_test


def compile_tests(c: CompilerLike, node: UnaryTests) -> TestEvaluator:
    """A whole unary-tests list (``-``, ``not(...)``, comma list)."""
    if node.any_value:
        return lambda ctx, value: True
    tests = [compile_test(c, t) for t in node.tests]
    negated = node.negated

    def tests_ev(ctx: EvalContext, value: Any) -> bool | None:
        result: bool | None = False
        for test in tests:
            r = test(ctx, value)
            if r is True:
                result = True
                break
            if r is None:
                result = None
        if negated:
            return None if result is None else not result
        return result

    return tests_ev
