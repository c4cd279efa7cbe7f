"""Compiling iteration: for, some/every, and filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from cadenza.feel._ast import (
    Filter,
    For,
    Literal,
    Quantified,
)
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._runtime import MISSING, CompilerLike, EvalContext, Evaluator, Scope
from cadenza.feel._types import DECIMAL_CONTEXT, Range
from cadenza.feel._values import compare, is_integral

__all__ = ["compile_filter", "compile_for", "compile_quantified"]


def _iterate_numbers(low: Any, high: Any) -> Iterable[Any]:
    if type(low) is dt.date and type(high) is dt.date:
        days = (high - low).days
        step = 1 if days >= 0 else -1
        return (low + dt.timedelta(days=d) for d in range(0, days + step, step))
    if type(low) is not Decimal or type(high) is not Decimal:
        raise FeelEvaluationError("a range iteration needs number bounds")
    if not (is_integral(low) and is_integral(high)):
        raise FeelEvaluationError("a range iteration needs integer bounds")
    a, b = int(low), int(high)
    step = 1 if b >= a else -1
    return (Decimal(i) for i in range(a, b + step, step))


def _domain(ctx: EvalContext, domain: Evaluator, upper: Evaluator | None) -> Iterable[Any]:
    if upper is not None:
        return _iterate_numbers(domain(ctx), upper(ctx))
    value = domain(ctx)
    if type(value) is list:
        return value
    if type(value) is Range:
        if value.start is None or value.end is None:
            raise FeelEvaluationError("can't iterate over an unbounded range")
        if compare(value.start, value.end) == 1:
            raise FeelEvaluationError("can't iterate over a range whose start is after its end")
        low, high = value.start, value.end
        if type(low) is Decimal and type(high) is Decimal:
            one = Decimal(1)
            low = low if value.start_included else DECIMAL_CONTEXT.add(low, one)
            high = high if value.end_included else DECIMAL_CONTEXT.subtract(high, one)
            if high < low:
                return []
        return _iterate_numbers(low, high)
    if value is None:
        raise FeelEvaluationError("can't iterate over null")
    return [value]


def compile_iterations(
    c: CompilerLike, node: For | Quantified
) -> list[tuple[str, Evaluator, Evaluator | None]]:
    """The compiled (name, domain, upper bound) of each iteration of a for/some/every."""
    return [
        (it.name, c.compile(it.domain), None if it.upper is None else c.compile(it.upper))
        for it in node.iterations
    ]


def compile_for(c: CompilerLike, node: For) -> Evaluator:
    """``for ... return``: the cartesian product of the iterations, ``partial`` bound."""
    iterations = compile_iterations(c, node)
    body = c.compile(node.body)
    count = len(iterations)

    def for_ev(ctx: EvalContext) -> Any:
        results: list[Any] = []
        saved = ctx.scope

        def loop(level: int, parent: Scope) -> None:
            name, domain, upper = iterations[level]
            ctx.scope = parent
            values = _domain(ctx, domain, upper)
            for value in values:
                ctx.step()
                scope = Scope({name: value, "partial": results}, parent)
                if level + 1 < count:
                    loop(level + 1, scope)
                else:
                    ctx.scope = scope
                    results.append(body(ctx))

        try:
            loop(0, saved)
        finally:
            ctx.scope = saved
        return results

    return for_ev


def compile_quantified(c: CompilerLike, node: Quantified) -> Evaluator:
    """``some``/``every``: stops at the first deciding case."""
    iterations = compile_iterations(c, node)
    cond = c.compile(node.condition)
    count = len(iterations)
    every = node.every

    def quantified_ev(ctx: EvalContext) -> Any:
        saved = ctx.scope

        def loop(level: int, parent: Scope) -> bool:
            # True when the answer is decided: a true case for some, a non-true for every.
            name, domain, upper = iterations[level]
            ctx.scope = parent
            for value in _domain(ctx, domain, upper):
                ctx.step()
                scope = Scope({name: value}, parent)
                if level + 1 < count:
                    if loop(level + 1, scope):
                        return True
                    continue
                ctx.scope = scope
                if (cond(ctx) is True) is not every:
                    return True
            return False

        try:
            decided = loop(0, saved)
        finally:
            ctx.scope = saved
        return not decided if every else decided

    return quantified_ev


def compile_filter(c: CompilerLike, node: Filter) -> Evaluator:
    """``list[filter]``: a number indexes, a boolean keeps items; items' entries are in scope."""
    base = c.compile(node.base)
    cond = c.compile(node.filter)
    literal = node.filter.value if isinstance(node.filter, Literal) else MISSING

    def index(items: list[Any], position: Any) -> Any:
        if not is_integral(position):
            return None
        i = int(position)
        if 0 < i <= len(items):
            return items[i - 1]
        if -len(items) <= i < 0:
            return items[i]
        return None

    def filter_ev(ctx: EvalContext) -> Any:
        items = base(ctx)
        if items is None:
            return None
        if type(items) is not list:
            items = [items]
        if type(literal) is Decimal:
            return index(items, literal)
        if type(literal) is bool:
            return list(items) if literal else []
        saved = ctx.scope
        result: list[Any] = []
        try:
            for item in items:
                ctx.step()
                scope = Scope({"item": item}, saved)
                if type(item) is dict:
                    scope = Scope(item, scope)
                ctx.scope = scope
                r = cond(ctx)
                if type(r) is Decimal and not result:
                    return index(items, r)
                if r is True:
                    result.append(item)
        finally:
            ctx.scope = saved
        return result

    return filter_ev
