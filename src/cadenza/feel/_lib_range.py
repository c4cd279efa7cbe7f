"""Range built-ins: Allen's interval relations between points and ranges (DMN 1.5 10.3.4.x)."""

from __future__ import annotations

import functools
from typing import Any

from cadenza.feel._ast import Invocation, Literal, Name, Node, RangeLiteral
from cadenza.feel._builtins import BUILTINS, as_string, builtin
from cadenza.feel._compiler import Compiler
from cadenza.feel._errors import FeelEvaluationError, FeelSyntaxError
from cadenza.feel._names import NameIndex
from cadenza.feel._parser import parse_expression
from cadenza.feel._runtime import EvalContext, Scope
from cadenza.feel._types import Range, RangeKind
from cadenza.feel._values import compare

__all__: list[str] = []

_LOW = object()
_HIGH = object()


def _c(a: Any, b: Any) -> int:
    """Compare endpoints, where an unbounded start is below and an unbounded end above all."""
    if a is b and (a is _LOW or a is _HIGH):
        return 0
    if a is _LOW or b is _HIGH:
        return -1
    if a is _HIGH or b is _LOW:
        return 1
    c = compare(a, b)
    if c is None:
        raise FeelEvaluationError("range endpoints are not comparable")
    return c


class _R:
    __slots__ = ("e", "ei", "s", "si")

    def __init__(self, r: Range) -> None:
        kind = r.kind
        if kind is RangeKind.NOT_EQUAL:
            raise FeelEvaluationError("a '!=' range has no single interval")
        bounded_start = kind not in (RangeKind.LESS, RangeKind.LESS_OR_EQUAL)
        bounded_end = kind not in (RangeKind.GREATER, RangeKind.GREATER_OR_EQUAL)
        if (bounded_start and r.start is None) or (bounded_end and r.end is None):
            raise FeelEvaluationError("a range with a null endpoint has no position")
        self.s = _LOW if r.start is None else r.start
        self.e = _HIGH if r.end is None else r.end
        self.si = r.start_included
        self.ei = r.end_included


def _kinds(a: Any, b: Any) -> tuple[bool, bool]:
    if a is None or b is None:
        raise FeelEvaluationError("range functions need non-null arguments")
    return type(a) is Range, type(b) is Range


@builtin("before", "point1, point2", "point, range", "range, point", "range1, range2")
def _before(a: Any, b: Any) -> bool:
    ra, rb = _kinds(a, b)
    if not ra and not rb:
        return _c(a, b) < 0
    if not ra:
        r = _R(b)
        return _c(a, r.s) < 0 or (_c(a, r.s) == 0 and not r.si)
    if not rb:
        r = _R(a)
        return _c(r.e, b) < 0 or (_c(r.e, b) == 0 and not r.ei)
    x, y = _R(a), _R(b)
    return _c(x.e, y.s) < 0 or ((not x.ei or not y.si) and _c(x.e, y.s) == 0)


@builtin("after", "point1, point2", "point, range", "range, point", "range1, range2")
def _after(a: Any, b: Any) -> bool:
    ra, rb = _kinds(a, b)
    if not ra and not rb:
        return _c(a, b) > 0
    if not ra:
        r = _R(b)
        return _c(a, r.e) > 0 or (_c(a, r.e) == 0 and not r.ei)
    if not rb:
        r = _R(a)
        return _c(r.s, b) > 0 or (_c(r.s, b) == 0 and not r.si)
    x, y = _R(a), _R(b)
    return _c(x.s, y.e) > 0 or ((not x.si or not y.ei) and _c(x.s, y.e) == 0)


def _ranges(a: Any, b: Any) -> tuple[_R, _R]:
    if type(a) is not Range or type(b) is not Range:
        raise FeelEvaluationError("expected two ranges")
    return _R(a), _R(b)


@builtin("meets", "range1, range2")
def _meets(a: Any, b: Any) -> bool:
    x, y = _ranges(a, b)
    return x.ei and y.si and _c(x.e, y.s) == 0


@builtin("met by", "range1, range2")
def _met_by(a: Any, b: Any) -> bool:
    x, y = _ranges(a, b)
    return x.si and y.ei and _c(x.s, y.e) == 0


@builtin("overlaps", "range1, range2")
def _overlaps(a: Any, b: Any) -> bool:
    x, y = _ranges(a, b)
    return (_c(x.e, y.s) > 0 or (_c(x.e, y.s) == 0 and x.ei and y.si)) and (
        _c(x.s, y.e) < 0 or (_c(x.s, y.e) == 0 and x.si and y.ei)
    )


def _overlaps_before(x: _R, y: _R) -> bool:
    return (
        (_c(x.s, y.s) < 0 or (_c(x.s, y.s) == 0 and x.si and not y.si))
        and (_c(x.e, y.s) > 0 or (_c(x.e, y.s) == 0 and x.ei and y.si))
        and (_c(x.e, y.e) < 0 or (_c(x.e, y.e) == 0 and (not x.ei or y.ei)))
    )


@builtin("overlaps before", "range1, range2")
def _overlaps_before_fn(a: Any, b: Any) -> bool:
    x, y = _ranges(a, b)
    return _overlaps_before(x, y)


@builtin("overlaps after", "range1, range2")
def _overlaps_after(a: Any, b: Any) -> bool:
    x, y = _ranges(a, b)
    return _overlaps_before(y, x)


@builtin("finishes", "point, range", "range1, range2")
def _finishes(a: Any, b: Any) -> bool:
    ra, rb = _kinds(a, b)
    if not rb:
        raise FeelEvaluationError("finishes expects a range as second argument")
    y = _R(b)
    if not ra:
        return y.ei and _c(y.e, a) == 0
    x = _R(a)
    return (
        x.ei == y.ei
        and _c(x.e, y.e) == 0
        and (_c(x.s, y.s) > 0 or (_c(x.s, y.s) == 0 and (not x.si or y.si)))
    )


@builtin("finished by", "range, point", "range1, range2")
def _finished_by(a: Any, b: Any) -> bool:
    ra, rb = _kinds(a, b)
    if not ra:
        raise FeelEvaluationError("finished by expects a range as first argument")
    x = _R(a)
    if not rb:
        return x.ei and _c(x.e, b) == 0
    y = _R(b)
    return (
        x.ei == y.ei
        and _c(x.e, y.e) == 0
        and (_c(x.s, y.s) < 0 or (_c(x.s, y.s) == 0 and (x.si or not y.si)))
    )


def _includes(x: _R, b: Any) -> bool:
    if type(b) is not Range:
        return (
            (_c(x.s, b) < 0 and _c(x.e, b) > 0)
            or (_c(x.s, b) == 0 and x.si)
            or (_c(x.e, b) == 0 and x.ei)
        )
    y = _R(b)
    return (_c(x.s, y.s) < 0 or (_c(x.s, y.s) == 0 and (x.si or not y.si))) and (
        _c(x.e, y.e) > 0 or (_c(x.e, y.e) == 0 and (x.ei or not y.ei))
    )


@builtin("includes", "range, point", "range1, range2")
def _includes_fn(a: Any, b: Any) -> bool:
    ra, _ = _kinds(a, b)
    if not ra:
        raise FeelEvaluationError("includes expects a range as first argument")
    return _includes(_R(a), b)


@builtin("during", "point, range", "range1, range2")
def _during(a: Any, b: Any) -> bool:
    _, rb = _kinds(a, b)
    if not rb:
        raise FeelEvaluationError("during expects a range as second argument")
    return _includes(_R(b), a)


@builtin("starts", "point, range", "range1, range2")
def _starts(a: Any, b: Any) -> bool:
    ra, rb = _kinds(a, b)
    if not rb:
        raise FeelEvaluationError("starts expects a range as second argument")
    y = _R(b)
    if not ra:
        return y.si and _c(y.s, a) == 0
    x = _R(a)
    return (
        _c(x.s, y.s) == 0
        and x.si == y.si
        and (_c(x.e, y.e) < 0 or (_c(x.e, y.e) == 0 and (not x.ei or y.ei)))
    )


@builtin("started by", "range, point", "range1, range2")
def _started_by(a: Any, b: Any) -> bool:
    ra, rb = _kinds(a, b)
    if not ra:
        raise FeelEvaluationError("started by expects a range as first argument")
    x = _R(a)
    if not rb:
        return x.si and _c(x.s, b) == 0
    y = _R(b)
    return (
        _c(x.s, y.s) == 0
        and x.si == y.si
        and (_c(y.e, x.e) < 0 or (_c(y.e, x.e) == 0 and (not y.ei or x.ei)))
    )


@builtin("coincides", "point1, point2", "range1, range2")
def _coincides(a: Any, b: Any) -> bool:
    ra, rb = _kinds(a, b)
    if not ra and not rb:
        return _c(a, b) == 0
    if ra != rb:
        raise FeelEvaluationError("coincides expects two points or two ranges")
    x, y = _R(a), _R(b)
    return _c(x.s, y.s) == 0 and x.si == y.si and _c(x.e, y.e) == 0 and x.ei == y.ei


_TEMPORAL_FUNCTIONS = frozenset({"date", "time", "date and time", "duration"})


@functools.cache
def _builtin_names() -> NameIndex:
    return NameIndex(BUILTINS)


def _endpoint_ok(node: Node) -> bool:
    if isinstance(node, Literal):
        return True
    return (
        isinstance(node, Invocation)
        and isinstance(node.function, Name)
        and node.function.name in _TEMPORAL_FUNCTIONS
        and all(isinstance(a, Literal) for a in node.args)
    )


@builtin("range", "from")
def _range(text: Any) -> Any:
    # The spec's range(from): a range literal in a string, with literal endpoints.
    source = as_string(text)
    try:
        node, _ = parse_expression(source, _builtin_names())
    except FeelSyntaxError as error:
        raise FeelEvaluationError(f"invalid range {source[:60]!r}: {error}") from None
    if not isinstance(node, RangeLiteral):
        raise FeelEvaluationError(f"not a range: {source[:60]!r}")
    if not (_endpoint_ok(node.start) and _endpoint_ok(node.end)):
        raise FeelEvaluationError("range() endpoints must be literals")
    value = Compiler(BUILTINS).compile(node)(EvalContext(Scope({}, None)))
    if not isinstance(value, Range) or (value.start is None and value.end is None):
        raise FeelEvaluationError(f"not a range: {source[:60]!r}")
    if value.start is not None and value.end is not None and compare(value.start, value.end) == 1:
        raise FeelEvaluationError("range() start must not be after its end")
    return value
