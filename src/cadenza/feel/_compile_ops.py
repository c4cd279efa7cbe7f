"""Compiling operators: arithmetic, comparisons (with fast paths for literals), logic."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cadenza.feel import _arith
from cadenza.feel._ast import (
    And,
    Binary,
    BinaryOp,
    Comparison,
    Literal,
    Name,
    Negation,
    Or,
)
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._runtime import (
    LARGE,
    MISSING,
    CompilerLike,
    EvalContext,
    Evaluator,
    Scope,
    arithmetic_message,
)
from cadenza.feel._types import RangeKind
from cadenza.feel._values import compare, feel_equal, to_feel

__all__ = [
    "ORDER_TESTS",
    "RANGE_KINDS",
    "compile_and",
    "compile_binary",
    "compile_comparison",
    "compile_negation",
    "compile_or",
]

_ARITH: dict[BinaryOp, Callable[[Any, Any], Any]] = {
    BinaryOp.ADD: _arith.add,
    BinaryOp.SUB: _arith.subtract,
    BinaryOp.MUL: _arith.multiply,
    BinaryOp.DIV: _arith.divide,
    BinaryOp.POW: _arith.power,
}
ORDER_TESTS: dict[BinaryOp, Callable[[int], bool]] = {
    BinaryOp.LT: lambda c: c < 0,
    BinaryOp.LE: lambda c: c <= 0,
    BinaryOp.GT: lambda c: c > 0,
    BinaryOp.GE: lambda c: c >= 0,
}

RANGE_KINDS = {
    BinaryOp.LT: RangeKind.LESS,
    BinaryOp.LE: RangeKind.LESS_OR_EQUAL,
    BinaryOp.GT: RangeKind.GREATER,
    BinaryOp.GE: RangeKind.GREATER_OR_EQUAL,
    BinaryOp.EQ: RangeKind.EQUAL,
    BinaryOp.NE: RangeKind.NOT_EQUAL,
}
"""The range kind each unary comparison operator denotes when used as a value."""


def _guard(ctx: EvalContext, error: Exception) -> None:
    ctx.warn(str(error) if isinstance(error, FeelEvaluationError) else arithmetic_message(error))


def compile_binary(c: CompilerLike, node: Binary) -> Evaluator:
    """Arithmetic, with a fast path for two numbers."""
    left = c.compile(node.left)
    right = c.compile(node.right)
    op = _ARITH[node.op]
    fast: Callable[[Decimal, Decimal], Decimal] | None = None
    if node.op is BinaryOp.ADD:
        fast = _arith._C.add
    elif node.op is BinaryOp.SUB:
        fast = _arith._C.subtract
    elif node.op is BinaryOp.MUL:
        fast = _arith._C.multiply

    def binary_ev(ctx: EvalContext) -> Any:
        a = left(ctx)
        b = right(ctx)
        try:
            if fast is not None and type(a) is Decimal and type(b) is Decimal:
                return fast(a, b)
            result = op(a, b)
            if type(result) is str and len(result) > LARGE:
                ctx.charge(len(result))
            return result
        except (FeelEvaluationError, ArithmeticError) as error:
            _guard(ctx, error)
            return None

    return binary_ev


def compile_raw_name(c: CompilerLike, node: Name) -> Evaluator:
    """Like a name, but host values come back unconverted (``int`` stays ``int``).

    Comparing a host int with a Decimal literal is exact in Python, so the hot path of a
    gateway condition (``amount > 1000``) needs no Decimal allocation.
    """
    name = node.name
    builtin = c.builtins.get(name)
    message = f"no variable found for name '{name}'"

    def raw_name_ev(ctx: EvalContext) -> Any:
        scope: Scope | None = ctx.scope
        while scope is not None:
            value = scope.names.get(name, MISSING)
            if value is not MISSING:
                return value
            scope = scope.parent
        if builtin is not None:
            return builtin
        ctx.warn(message)
        return None

    return raw_name_ev


def compile_comparison(c: CompilerLike, node: Comparison) -> Evaluator:
    """``=``, ``!=`` and the orderings; literals on the right get specialised closures."""
    op = node.op
    literal = node.right.value if isinstance(node.right, Literal) else MISSING
    if isinstance(node.left, Name) and type(literal) in (str, Decimal, bool):
        return compile_compare_name_literal(c, node.left, op, literal)
    left = c.compile(node.left)
    if op is BinaryOp.EQ or op is BinaryOp.NE:
        negate = op is BinaryOp.NE
        if type(literal) in (str, Decimal, bool):
            lit_type = type(literal)

            def eq_literal(ctx: EvalContext) -> Any:
                a = left(ctx)
                if type(a) is lit_type:
                    return (a != literal) if negate else (a == literal)
                r = feel_equal(a, literal)
                return r if r is None or not negate else not r

            return eq_literal
        right = c.compile(node.right)

        def eq_ev(ctx: EvalContext) -> Any:
            r = feel_equal(left(ctx), right(ctx))
            return r if r is None or not negate else not r

        return eq_ev
    test = ORDER_TESTS[op]
    if type(literal) is Decimal:
        if op is BinaryOp.GT:

            def gt_literal(ctx: EvalContext) -> Any:
                a = left(ctx)
                if type(a) is Decimal:
                    return a > literal
                c = compare(a, literal)
                return None if c is None else c > 0

            return gt_literal

        def order_literal(ctx: EvalContext) -> Any:
            c = compare(left(ctx), literal)
            return None if c is None else test(c)

        return order_literal
    right = c.compile(node.right)

    def order_ev(ctx: EvalContext) -> Any:
        c = compare(left(ctx), right(ctx))
        return None if c is None else test(c)

    return order_ev


def compile_compare_name_literal(
    c: CompilerLike, name: Name, op: BinaryOp, literal: Any
) -> Evaluator:
    """A variable compared with a literal: the gateway-condition hot path."""
    left = compile_raw_name(c, name)
    lit_type = type(literal)
    # Host ints compare exactly with Decimal literals; everything else is converted first.
    fast_types = (Decimal, int) if lit_type is Decimal else (lit_type, lit_type)
    fast_a, fast_b = fast_types
    if op is BinaryOp.EQ or op is BinaryOp.NE:
        negate = op is BinaryOp.NE

        def eq_name(ctx: EvalContext) -> Any:
            a = left(ctx)
            t = type(a)
            if t is fast_a or t is fast_b:
                return (a != literal) if negate else (a == literal)
            r = feel_equal(to_feel(a), literal)
            return r if r is None or not negate else not r

        return eq_name
    if op is BinaryOp.GT:

        def gt_name(ctx: EvalContext) -> Any:
            a = left(ctx)
            t = type(a)
            if t is fast_a or t is fast_b:
                return a > literal
            c = compare(to_feel(a), literal)
            return None if c is None else c > 0

        return gt_name
    test = ORDER_TESTS[op]

    def order_name(ctx: EvalContext) -> Any:
        a = left(ctx)
        t = type(a)
        if t is fast_a or t is fast_b:
            c = -1 if a < literal else 1 if a > literal else 0
            return test(c)
        c2 = compare(to_feel(a), literal)
        return None if c2 is None else test(c2)

    return order_name


def compile_and(c: CompilerLike, node: And) -> Evaluator:
    """Three-valued ``and``: false wins over null."""
    left = c.compile(node.left)
    right = c.compile(node.right)

    def and_ev(ctx: EvalContext) -> Any:
        a = left(ctx)
        if a is False:
            return False
        b = right(ctx)
        if b is False:
            return False
        return True if a is True and b is True else None

    return and_ev


def compile_or(c: CompilerLike, node: Or) -> Evaluator:
    """Three-valued ``or``: true wins over null."""
    left = c.compile(node.left)
    right = c.compile(node.right)

    def or_ev(ctx: EvalContext) -> Any:
        a = left(ctx)
        if a is True:
            return True
        b = right(ctx)
        if b is True:
            return True
        return False if a is False and b is False else None

    return or_ev


def compile_negation(c: CompilerLike, node: Negation) -> Evaluator:
    """Arithmetic negation of numbers and durations."""
    operand = c.compile(node.operand)

    def negation_ev(ctx: EvalContext) -> Any:
        try:
            return _arith.negate(operand(ctx))
        except (FeelEvaluationError, ArithmeticError) as error:
            _guard(ctx, error)
            return None

    return negation_ev


# -- control -------------------------------------------------------------------------
