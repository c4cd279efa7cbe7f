"""Converting host values in and out, and FEEL equality and ordering across all value kinds."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cadenza.feel._types import FeelFunction, Range, YearsMonthsDuration

__all__ = [
    "compare",
    "feel_equal",
    "from_feel",
    "is_integral",
    "to_feel",
    "type_name",
]

_PLAIN = (str, bool, type(None), Decimal, dt.date, dt.time, dt.datetime, dt.timedelta)
_PLAIN_TYPES = frozenset(_PLAIN) | {YearsMonthsDuration, Range, FeelFunction}


def to_feel(value: Any) -> Any:
    """A host (JSON-like) value -> FEEL value: ints and floats become Decimal, tuples lists."""
    t = type(value)
    if t in _PLAIN_TYPES:
        if t is Decimal and not (value.is_finite() and -6176 <= value.adjusted() <= 6144):
            return None
        return value
    if t is int:
        number = Decimal(value)
        return number if number.adjusted() <= 6144 else None
    if t is float:
        return Decimal(repr(value)) if math.isfinite(value) else None
    if t is list:
        for item in value:
            if type(item) not in _PLAIN_TYPES:
                return [to_feel(v) for v in value]
        return value
    if t is dict:
        for k, v in value.items():
            if type(k) is not str or type(v) not in _PLAIN_TYPES:
                return {str(k): to_feel(v) for k, v in value.items()}
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return Decimal(int(value))
    if isinstance(value, Mapping):
        return {str(k): to_feel(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_feel(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return None


def is_integral(number: Decimal) -> bool:
    """Whether a finite Decimal has no fractional part."""
    return number == number.to_integral_value()


def from_feel(value: Any) -> Any:
    """A FEEL value -> host value: integral numbers become int, recursively in lists/contexts."""
    t = type(value)
    if t is Decimal:
        if value == value.to_integral_value() and value.adjusted() < 40:
            return int(value)
        return value
    if t is list:
        return [from_feel(v) for v in value]
    if t is dict:
        return {k: from_feel(v) for k, v in value.items()}
    return value


def type_name(value: Any) -> str:
    """The FEEL type name of a value, used in warnings and ``instance of``."""
    if value is None:
        return "Null"
    t = type(value)
    if t is bool:
        return "boolean"
    if t is Decimal:
        return "number"
    if t is str:
        return "string"
    if t is dt.datetime:
        return "date and time"
    if t is dt.date:
        return "date"
    if t is dt.time:
        return "time"
    if t is dt.timedelta:
        return "days and time duration"
    if t is YearsMonthsDuration:
        return "years and months duration"
    if t is list:
        return "list"
    if t is dict:
        return "context"
    if t is Range:
        return "range"
    if t is FeelFunction:
        return "function"
    return t.__name__


def _ms(value: Any) -> Any:
    """A time or date and time cut to whole milliseconds.

    Times compare at millisecond resolution: the DMN TCK (0068 ``time_005``) holds
    ``time("10:30:00.0001") = time("10:30:00.0002")`` true.
    """
    micro = value.microsecond
    if micro % 1000:
        return value.replace(microsecond=micro - micro % 1000)
    return value


def _datetime_equal(a: dt.datetime, b: dt.datetime) -> bool | None:
    if (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return bool(_ms(a) == _ms(b))


def feel_equal(a: Any, b: Any) -> bool | None:
    """FEEL ``=``: true/false for values of the same kind, null when the kinds differ."""
    if a is None or b is None:
        return a is b
    ta = type(a)
    tb = type(b)
    if ta is not tb:
        if ta in (int, float) or tb in (int, float):
            return feel_equal(to_feel(a), to_feel(b))
        return None
    if ta is list:
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):
            r = feel_equal(x, y)
            if r is not True:
                return r
        return True
    if ta is dict:
        if a.keys() != b.keys():
            return False
        for k, x in a.items():
            r = feel_equal(x, b[k])
            if r is not True:
                return r
        return True
    if ta is dt.datetime:
        return _datetime_equal(a, b)
    if ta is dt.time:
        if (a.tzinfo is None) != (b.tzinfo is None):
            return False
        a, b = _ms(a), _ms(b)
        if a.tzinfo is not None and (a.utcoffset() is None or b.utcoffset() is None):
            return a.replace(tzinfo=None) == b.replace(tzinfo=None) and str(a.tzinfo) == str(
                b.tzinfo
            )
        return bool(a == b)
    if ta is Range:
        return (
            a.kind is b.kind
            and a.start_included == b.start_included
            and a.end_included == b.end_included
            and feel_equal(a.start, b.start) is True
            and feel_equal(a.end, b.end) is True
        )
    if ta is FeelFunction:
        return a is b
    return bool(a == b)


_ORDERED = frozenset(
    {Decimal, str, dt.date, dt.time, dt.datetime, dt.timedelta, YearsMonthsDuration}
)


def compare(a: Any, b: Any) -> int | None:
    """-1/0/1 ordering of two values of the same ordered kind; None when not comparable."""
    ta = type(a)
    if ta is not type(b) or ta not in _ORDERED:
        if ta in (int, float) or type(b) in (int, float):
            return compare(to_feel(a), to_feel(b))
        return None
    if ta is dt.datetime or ta is dt.time:
        if (a.tzinfo is None) != (b.tzinfo is None):
            return None
        if (
            ta is dt.time
            and a.tzinfo is not None
            and (a.utcoffset() is None or b.utcoffset() is None)
        ):
            return None
        a, b = _ms(a), _ms(b)
    try:
        if a < b:
            return -1
        if a > b:
            return 1
        return 0
    except TypeError:
        return None
