"""Value-level rules shared by the compiler and the built-ins: paths, ranges, tests, types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from cadenza.feel._ast import TypeRef
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._temporal import seconds_of
from cadenza.feel._types import (
    DECIMAL_CONTEXT,
    FeelFunction,
    Range,
    RangeKind,
    YearsMonthsDuration,
)
from cadenza.feel._values import compare, feel_equal, type_name

_C = DECIMAL_CONTEXT

__all__ = ["TypeResolver", "property_of", "range_contains", "test_matches", "type_check"]


def _offset(value: dt.time | dt.datetime) -> Any:
    if value.tzinfo is None:
        return None
    return value.utcoffset()


def _zone(value: dt.time | dt.datetime) -> Any:
    tz = value.tzinfo
    return tz.key if isinstance(tz, ZoneInfo) else None


def _duration_part(delta: dt.timedelta, unit: str) -> Decimal:
    total = seconds_of(delta)
    negative = total < 0
    magnitude = abs(total)
    whole = int(magnitude)
    if unit == "days":
        part = Decimal(whole // 86400)
    elif unit == "hours":
        part = Decimal(whole % 86400 // 3600)
    elif unit == "minutes":
        part = Decimal(whole % 3600 // 60)
    else:
        part = _C.add(Decimal(whole % 60), _C.subtract(magnitude, Decimal(whole)))
    return _C.minus(part) if negative and part else part


_DATE_PROPS: dict[str, Callable[[Any], Any]] = {
    "year": lambda v: Decimal(v.year),
    "month": lambda v: Decimal(v.month),
    "day": lambda v: Decimal(v.day),
    "weekday": lambda v: Decimal(v.isoweekday()),
}
_TIME_PROPS: dict[str, Callable[[Any], Any]] = {
    "hour": lambda v: Decimal(v.hour),
    "minute": lambda v: Decimal(v.minute),
    "second": lambda v: _C.add(Decimal(v.second), Decimal(v.microsecond).scaleb(-6, _C)),
    "time offset": _offset,
    "timezone": _zone,
}
_DATETIME_PROPS = {**_DATE_PROPS, **_TIME_PROPS}
_DELTA_PROPS: dict[str, Callable[[Any], Any]] = {
    unit: (lambda u: lambda v: _duration_part(v, u))(unit)
    for unit in ("days", "hours", "minutes", "seconds")
}
_YM_PROPS: dict[str, Callable[[Any], Any]] = {
    "years": lambda v: Decimal(int(v.months / 12)),
    "months": lambda v: Decimal(abs(v.months) % 12 * (1 if v.months >= 0 else -1)),
}
_RANGE_PROPS: dict[str, Callable[[Any], Any]] = {
    "start": lambda v: v.start,
    "end": lambda v: v.end,
    "start included": lambda v: v.start_included,
    "end included": lambda v: v.end_included,
}
_PROPS: dict[type, dict[str, Callable[[Any], Any]]] = {
    dt.date: _DATE_PROPS,
    dt.datetime: _DATETIME_PROPS,
    dt.time: _TIME_PROPS,
    dt.timedelta: _DELTA_PROPS,
    YearsMonthsDuration: _YM_PROPS,
    Range: _RANGE_PROPS,
}


def property_of(value: Any, name: str) -> Any:
    """``value.name`` for contexts, lists (projection), temporal values and ranges."""
    t = type(value)
    if t is dict:
        result = value.get(name, _ABSENT)
        if result is _ABSENT:
            raise FeelEvaluationError(f"no context entry found with key '{name}'")
        return result
    if t is list:
        return [None if v is None else _project(v, name) for v in value]
    if value is None:
        return None
    props = _PROPS.get(t)
    if props is not None and name in props:
        return props[name](value)
    raise FeelEvaluationError(f"{type_name(value)} has no property '{name}'")


def _project(value: Any, name: str) -> Any:
    try:
        return property_of(value, name)
    except FeelEvaluationError:
        return None


_ABSENT = object()


def range_contains(r: Range, value: Any) -> bool | None:
    """Whether ``value`` lies in the range (null when not comparable with its endpoints).

    A null endpoint of an interval is not unbounded: comparing with it gives null.
    """
    if value is None:
        return None
    kind = r.kind
    if kind is RangeKind.EQUAL:
        return feel_equal(value, r.start)
    if kind is RangeKind.NOT_EQUAL:
        same = feel_equal(value, r.start)
        return None if same is None else not same
    # Only a comparison's open side is unbounded: `< null` compares with null (null result).
    interval = kind is RangeKind.INTERVAL
    if interval or kind is RangeKind.GREATER or kind is RangeKind.GREATER_OR_EQUAL:
        c = compare(value, r.start)
        if c is None:
            return None
        if c < 0 or (c == 0 and not r.start_included):
            return False
    if interval or kind is RangeKind.LESS or kind is RangeKind.LESS_OR_EQUAL:
        c = compare(value, r.end)
        if c is None:
            return None
        if c > 0 or (c == 0 and not r.end_included):
            return False
    return True


def test_matches(value: Any, test: Any) -> bool | None:
    """A positive unary test whose expression gave ``test`` (not a boolean using ``?``)."""
    t = type(test)
    if t is Range:
        return range_contains(test, value)
    if t is list:
        if type(value) is list:
            same = feel_equal(value, test)
            if same:
                return True
        for item in test:
            r = test_matches(value, item) if type(item) is Range else feel_equal(value, item)
            if r:
                return True
        return False
    if t is FeelFunction:
        return None
    return feel_equal(value, test)


_SIMPLE_TYPES: dict[str, Callable[[Any], bool]] = {
    "number": lambda v: type(v) is Decimal,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "date": lambda v: type(v) is dt.date,
    "time": lambda v: type(v) is dt.time,
    "date and time": lambda v: type(v) is dt.datetime,
    "dateTime": lambda v: type(v) is dt.datetime,
    "days and time duration": lambda v: type(v) is dt.timedelta,
    "dayTimeDuration": lambda v: type(v) is dt.timedelta,
    "years and months duration": lambda v: type(v) is YearsMonthsDuration,
    "yearMonthDuration": lambda v: type(v) is YearsMonthsDuration,
    "list": lambda v: type(v) is list,
    "context": lambda v: type(v) is dict,
    "range": lambda v: type(v) is Range,
    "function": lambda v: type(v) is FeelFunction,
    "Any": lambda v: v is not None,
    "Null": lambda v: v is None,
}


TypeResolver = Callable[[str], "Callable[[Any], bool] | None"]
"""Resolves a type name FEEL does not know (a DMN item definition) to a predicate, or None."""


def type_check(ref: TypeRef, resolve: TypeResolver | None = None) -> Callable[[Any], bool]:
    """A predicate for ``instance of ref``; names FEEL does not know go to ``resolve``.

    Unknown type names that ``resolve`` does not know either match nothing.
    """
    name = ref.name
    if name == "list" and ref.args:
        inner = type_check(ref.args[0], resolve)
        return lambda v: type(v) is list and all(x is None or inner(x) for x in v)
    if name == "range" and ref.args:
        inner = type_check(ref.args[0], resolve)
        return lambda v: type(v) is Range and all(x is None or inner(x) for x in (v.start, v.end))
    if name == "context" and ref.fields:
        checks = [(key, type_check(t, resolve)) for key, t in ref.fields]
        return lambda v: (
            type(v) is dict and all(k in v and (v[k] is None or c(v[k])) for k, c in checks)
        )
    if name == "function" and (ref.args or ref.result is not None):
        arity = len(ref.args)
        return lambda v: (
            type(v) is FeelFunction and (len(v.parameters) == arity or bool(v.signatures))
        )
    simple = _SIMPLE_TYPES.get(name)
    if simple is not None:
        return simple
    if resolve is not None:
        found = resolve(name)
        if found is not None:
            return found
    return lambda v: False
