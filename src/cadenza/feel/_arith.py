"""FEEL arithmetic over numbers, strings, dates, times and the two kinds of duration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._runtime import check_string
from cadenza.feel._temporal import add_months, seconds_of, timedelta_from_seconds
from cadenza.feel._types import DECIMAL_CONTEXT, YearsMonthsDuration
from cadenza.feel._values import type_name

__all__ = ["add", "divide", "multiply", "negate", "power", "subtract"]

_C = DECIMAL_CONTEXT
_DATE = dt.date
_DATETIME = dt.datetime
_TIME = dt.time
_DELTA = dt.timedelta
_YM = YearsMonthsDuration


def _fail(op: str, a: Any, b: Any) -> FeelEvaluationError:
    return FeelEvaluationError(f"can't apply '{op}' to {type_name(a)} and {type_name(b)}")


def _shift_months(value: Any, months: int) -> Any:
    if type(value) is _DATETIME:
        day = add_months(value.date(), months)
        return None if day is None else _DATETIME.combine(day, value.timetz())
    return add_months(value, months)


def _date_plus(day: dt.date, delta: dt.timedelta) -> dt.date:
    # A date counts as its midnight: adding hours may move it to another day.
    moment = _DATETIME(day.year, day.month, day.day) + delta
    return moment.date()


def _plus_exact(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    # A zoned date and time moves by elapsed time, then shows the zone's wall clock again.
    if moment.tzinfo is None:
        return moment + delta
    return (moment.astimezone(dt.UTC) + delta).astimezone(moment.tzinfo)


def _time_plus(moment: dt.time, delta: dt.timedelta) -> dt.time:
    base = _DATETIME.combine(_DATE(2000, 1, 1), moment)
    return (base + delta).timetz()


def add(a: Any, b: Any) -> Any:
    """``a + b``."""
    ta = type(a)
    tb = type(b)
    if a is None or b is None:
        return None
    try:
        if ta is Decimal and tb is Decimal:
            return _C.add(a, b)
        if ta is str and tb is str:
            return check_string(a + b)
        if ta is _DELTA:
            if tb is _DELTA:
                return a + b
            if tb in (_DATETIME, _DATE, _TIME):
                return add(b, a)
        if ta is _YM:
            if tb is _YM:
                return _YM(a.months + b.months)
            if tb in (_DATETIME, _DATE):
                return add(b, a)
        if ta is _DATETIME:
            if tb is _DELTA:
                return _plus_exact(a, b)
            if tb is _YM:
                return _shift_months(a, b.months)
        if ta is _DATE:
            if tb is _DELTA:
                return _date_plus(a, b)
            if tb is _YM:
                return _shift_months(a, b.months)
        if ta is _TIME and tb is _DELTA:
            return _time_plus(a, b)
    except OverflowError:
        raise FeelEvaluationError("date out of range") from None
    raise _fail("+", a, b)


def subtract(a: Any, b: Any) -> Any:
    """``a - b``."""
    if a is None or b is None:
        return None
    ta = type(a)
    tb = type(b)
    try:
        if ta is Decimal and tb is Decimal:
            return _C.subtract(a, b)
        if tb is _DELTA and ta in (_DELTA, _DATETIME, _DATE, _TIME):
            return add(a, -b)
        if tb is _YM and ta in (_YM, _DATETIME, _DATE):
            return add(a, _YM(-b.months))
        if ta is _DATETIME and tb is _DATETIME:
            if (a.tzinfo is None) != (b.tzinfo is None):
                raise FeelEvaluationError(
                    "can't subtract a date and time with a time zone and one without"
                )
            if a.tzinfo is not None:
                # Python subtracts wall-clock times when both share a tzinfo; FEEL wants the
                # elapsed time, which differs across a daylight saving change.
                return a.astimezone(dt.UTC) - b.astimezone(dt.UTC)
            return a - b
        if ta is _DATE and tb is _DATE:
            return _DATETIME(a.year, a.month, a.day) - _DATETIME(b.year, b.month, b.day)
        if ta is _DATE and tb is _DATETIME and b.tzinfo is not None:
            return _DATETIME(a.year, a.month, a.day, tzinfo=dt.UTC) - b
        if ta is _DATETIME and tb is _DATE and a.tzinfo is not None:
            # A date meets a zoned date and time as its midnight in UTC.
            return a - _DATETIME(b.year, b.month, b.day, tzinfo=dt.UTC)
        if ta is _TIME and tb is _TIME:
            if (a.tzinfo is None) != (b.tzinfo is None):
                raise FeelEvaluationError("can't subtract a time with an offset and one without")
            day = _DATE(2000, 1, 1)
            return _DATETIME.combine(day, a) - _DATETIME.combine(day, b)
    except OverflowError:
        raise FeelEvaluationError("date out of range") from None
    raise _fail("-", a, b)


def _scale_delta(delta: dt.timedelta, factor: Decimal) -> dt.timedelta:
    result = timedelta_from_seconds(_C.multiply(seconds_of(delta), factor))
    if result is None:
        raise FeelEvaluationError("duration out of range")
    return result


def _scale_months(months: int, factor: Decimal) -> YearsMonthsDuration:
    product = _C.multiply(Decimal(months), factor)
    return _YM(int(product.to_integral_value(rounding="ROUND_DOWN")))


def multiply(a: Any, b: Any) -> Any:
    """``a * b``."""
    if a is None or b is None:
        return None
    ta = type(a)
    tb = type(b)
    if ta is Decimal:
        if tb is Decimal:
            return _C.multiply(a, b)
        if tb is _DELTA:
            return _scale_delta(b, a)
        if tb is _YM:
            return _scale_months(b.months, a)
    if tb is Decimal:
        if ta is _DELTA:
            return _scale_delta(a, b)
        if ta is _YM:
            return _scale_months(a.months, b)
    raise _fail("*", a, b)


def divide(a: Any, b: Any) -> Any:
    """``a / b``; division by zero is null."""
    if a is None or b is None:
        return None
    ta = type(a)
    tb = type(b)
    if tb is Decimal and not b:
        raise FeelEvaluationError("division by zero")
    if ta is Decimal and tb is Decimal:
        return _C.divide(a, b)
    if tb is Decimal:
        if ta is _DELTA:
            return _scale_delta(a, _C.divide(1, b))
        if ta is _YM:
            return _YM(
                int(_C.divide(Decimal(a.months), b).to_integral_value(rounding="ROUND_DOWN"))
            )
    if ta is _DELTA and tb is _DELTA:
        if not b:
            raise FeelEvaluationError("division by zero")
        return _C.divide(seconds_of(a), seconds_of(b))
    if ta is _YM and tb is _YM:
        if not b.months:
            raise FeelEvaluationError("division by zero")
        return _C.divide(Decimal(a.months), Decimal(b.months))
    raise _fail("/", a, b)


def power(a: Any, b: Any) -> Any:
    """``a ** b``."""
    if a is None or b is None:
        return None
    if type(a) is Decimal and type(b) is Decimal:
        if not b.is_finite() or abs(b) > 999_999_999:
            raise FeelEvaluationError("exponent out of range")
        if not b:
            return Decimal(1)  # 0 ** 0 is 1, as for any base
        if not a and b < 0:
            raise FeelEvaluationError("zero raised to a negative power")
        if a < 0 and b != b.to_integral_value():
            raise FeelEvaluationError("a negative number raised to a fractional power")
        return _C.power(a, b)
    raise _fail("**", a, b)


def negate(a: Any) -> Any:
    """``-a``."""
    if a is None:
        return None
    ta = type(a)
    if ta is Decimal:
        return _C.minus(a)
    if ta is _DELTA:
        return -a
    if ta is _YM:
        return _YM(-a.months)
    raise FeelEvaluationError(f"can't negate {type_name(a)}")
