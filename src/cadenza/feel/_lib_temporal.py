"""Date, time and duration built-ins: conversions, calendar functions, now/today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cadenza.feel._builtins import as_int, as_number, as_string, builtin
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._runtime import EvalContext
from cadenza.feel._temporal import (
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time,
    zone,
)
from cadenza.feel._types import DECIMAL_CONTEXT, YearsMonthsDuration
from cadenza.feel._values import feel_equal, type_name

__all__: list[str] = []

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _invalid(kind: str, value: Any) -> FeelEvaluationError:
    shown = repr(value[:60]) if isinstance(value, str) else type_name(value)
    return FeelEvaluationError(f"can't convert {shown} to a {kind}")


@builtin("date", "from", "year, month, day")
def _date(*args: Any) -> dt.date:
    if len(args) == 3:
        try:
            return dt.date(as_int(args[0]), as_int(args[1]), as_int(args[2]))
        except ValueError:
            raise FeelEvaluationError("invalid date") from None
    value = args[0]
    if type(value) is str:
        day = parse_date(value)
        if day is None:
            raise _invalid("date", value)
        return day
    if type(value) is dt.datetime:
        return value.date()
    if type(value) is dt.date:
        return value
    raise _invalid("date", value)


@builtin("date and time", "from", "date, time", "date, timezone")
def _date_and_time(*args: Any) -> dt.datetime:
    if len(args) == 2 and type(args[1]) is str:
        return _in_zone(args[0], args[1])
    if len(args) == 2:
        day, moment = args
        if type(day) not in (dt.date, dt.datetime) or type(moment) is not dt.time:
            raise FeelEvaluationError("date and time(date, time) expects a date and a time")
        return dt.datetime.combine(day.date() if type(day) is dt.datetime else day, moment)
    value = args[0]
    if type(value) is str:
        moment_dt = parse_datetime(value)
        if moment_dt is None:
            raise _invalid("date and time", value)
        return moment_dt
    if type(value) is dt.datetime:
        return value
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    raise _invalid("date and time", value)


def _in_zone(moment: Any, name: str) -> dt.datetime:
    # Camunda's date and time(date, timezone): the same instant in another zone; a local
    # date and time is placed in the zone as it reads.
    if type(moment) is not dt.datetime:
        raise FeelEvaluationError("date and time(date, timezone) expects a date and time")
    tz = zone(name)
    if tz is None:
        raise FeelEvaluationError(f"unknown time zone {name[:64]!r}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


@builtin("time", "from", "hour, minute, second, offset", required=1)
def _time(*args: Any) -> dt.time:
    if len(args) in (3, 4):
        second = as_number(args[2])
        offset = args[3] if len(args) == 4 else None
        tz: dt.tzinfo | None = None
        if offset is not None:
            if type(offset) is not dt.timedelta or abs(offset) > dt.timedelta(hours=18):
                raise FeelEvaluationError("time offset must be a duration within 18 hours")
            tz = dt.timezone(offset)
        whole = int(second)
        fraction = DECIMAL_CONTEXT.subtract(second, Decimal(whole))
        micro = int(fraction.scaleb(6, DECIMAL_CONTEXT).to_integral_value(context=DECIMAL_CONTEXT))
        try:
            return dt.time(as_int(args[0]), as_int(args[1]), whole, micro, tzinfo=tz)
        except ValueError:
            raise FeelEvaluationError("invalid time") from None
    if len(args) != 1:
        raise FeelEvaluationError("time() expects 1, 3 or 4 arguments")
    value = args[0]
    if type(value) is str:
        # ISO 8601's time designator may lead (`time("T23:59:00")`, as Camunda's docs write it).
        moment = parse_time(value[1:] if value.startswith("T") else value)
        if moment is None:
            moment_dt = parse_datetime(value) if "T" in value.split("@", 1)[0] else None
            if moment_dt is None:
                raise _invalid("time", value)
            return moment_dt.timetz()
        return moment
    if type(value) is dt.time:
        return value
    if type(value) is dt.datetime:
        return value.timetz()
    if type(value) is dt.date:
        return dt.time(0, 0, 0, tzinfo=dt.UTC)
    raise _invalid("time", value)


@builtin("duration", "from")
def _duration(value: Any) -> Any:
    text = as_string(value)
    result = parse_duration(text)
    if result is None:
        raise _invalid("duration", text)
    return result


@builtin("years and months duration", "from, to")
def _years_and_months(start: Any, end: Any) -> YearsMonthsDuration:
    for v in (start, end):
        if type(v) not in (dt.date, dt.datetime):
            raise FeelEvaluationError("years and months duration expects dates")
    months = (end.year - start.year) * 12 + (end.month - start.month)
    a = start.day
    b = end.day
    if months > 0 and b < a:
        months -= 1
    elif months < 0 and b > a:
        months += 1
    return YearsMonthsDuration(months)


@builtin("now", "", context=True)
def _now(ctx: EvalContext) -> Any:
    if ctx.now is None:
        ctx.warn("now() has no current time to use")
    return ctx.now


@builtin("today", "", context=True)
def _today(ctx: EvalContext) -> Any:
    if ctx.now is None:
        ctx.warn("today() has no current time to use")
        return None
    return ctx.now.date()


def _as_date(value: Any) -> dt.date:
    if type(value) is dt.datetime:
        return value.date()
    if type(value) is dt.date:
        return value
    raise FeelEvaluationError(f"expected a date but found {type_name(value)}")


@builtin("day of year", "date")
def _day_of_year(value: Any) -> Decimal:
    return Decimal(_as_date(value).timetuple().tm_yday)


@builtin("day of week", "date")
def _day_of_week(value: Any) -> str:
    return _DAYS[_as_date(value).weekday()]


@builtin("month of year", "date")
def _month_of_year(value: Any) -> str:
    return _MONTHS[_as_date(value).month - 1]


@builtin("week of year", "date")
def _week_of_year(value: Any) -> Decimal:
    return Decimal(_as_date(value).isocalendar()[1])


@builtin("last day of month", "date")
def _last_day_of_month(value: Any) -> dt.date:
    day = _as_date(value)
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# Named invocation may leave `value2` out; a parameter left out of a named call is null.
@builtin("is", "value1, value2", required=1)
def _is(a: Any, b: Any = None) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) in (dt.time, dt.datetime):
        same_zone = a.tzinfo == b.tzinfo or (
            a.tzinfo is not None and b.tzinfo is not None and str(a.tzinfo) == str(b.tzinfo)
        )
        return bool(same_zone and a.replace(tzinfo=None) == b.replace(tzinfo=None))
    return feel_equal(a, b) is True


# Camunda's timer helper: `= cycle(duration("PT1H"))` in a timeCycle is "R/PT1H".
@builtin("cycle", "duration", "repetitions, duration")
def _cycle(first: Any, second: Any = None) -> str:
    from cadenza.feel._text import feel_string

    if second is None:
        if not isinstance(first, dt.timedelta | YearsMonthsDuration):
            raise FeelEvaluationError("cycle() expects a duration")
        return f"R/{feel_string(first)}"
    if not isinstance(second, dt.timedelta | YearsMonthsDuration):
        raise FeelEvaluationError("cycle() expects a duration")
    return f"R{as_int(first)}/{feel_string(second)}"
