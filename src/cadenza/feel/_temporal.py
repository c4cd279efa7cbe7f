"""FEEL temporal values: parsing the literal forms, formatting, and calendar arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cadenza.feel._types import DECIMAL_CONTEXT, YearsMonthsDuration

__all__ = [
    "add_months",
    "format_date",
    "format_datetime",
    "format_days_time",
    "format_time",
    "parse_date",
    "parse_datetime",
    "parse_duration",
    "parse_temporal",
    "parse_time",
    "seconds_of",
    "timedelta_from_seconds",
    "zone",
]

_DATE = re.compile(r"(-?(?:[1-9]\d{4,8}|\d{4}))-(\d\d)-(\d\d)")
_TIME = re.compile(
    r"(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?(?:(Z)|([+-])(\d\d):(\d\d)(?::(\d\d))?|@([A-Za-z0-9_+\-/]+))?"
)
_DURATION = re.compile(
    r"(-)?P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?)S)?)?"
)
_MAX_ZONE_NAME = 64


def zone(name: str) -> dt.tzinfo | None:
    """The tz database zone called ``name``, or None when there is no such zone."""
    if name == "Z":
        return dt.UTC
    if len(name) > _MAX_ZONE_NAME or ".." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def parse_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` -> date, or None when malformed or out of range."""
    m = _DATE.fullmatch(text)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _offset(sign: str, hours: str, minutes: str, seconds: str | None) -> dt.tzinfo | None:
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
    if delta > dt.timedelta(hours=18):
        return None
    return dt.timezone(-delta if sign == "-" else delta)


def parse_time(text: str) -> dt.time | None:
    """``hh:mm:ss[.f][Z|+hh:mm|@zone]`` -> time, or None."""
    m = _TIME.fullmatch(text)
    if m is None:
        return None
    tz: dt.tzinfo | None = None
    if m[5]:
        tz = dt.UTC
    elif m[6]:
        tz = _offset(m[6], m[7], m[8], m[9])
        if tz is None:
            return None
    elif m[10]:
        tz = zone(m[10])
        if tz is None:
            return None
    micro = int((m[4] or "0")[:6].ljust(6, "0"))
    try:
        return dt.time(int(m[1]), int(m[2]), int(m[3] or 0), micro, tzinfo=tz)
    except ValueError:
        return None


def parse_datetime(text: str) -> dt.datetime | None:
    """``date 'T' time`` -> date and time; a bare date means its midnight (local)."""
    date_part, sep, time_part = text.partition("T")
    day = parse_date(date_part)
    if day is None:
        return None
    if not sep:
        return dt.datetime(day.year, day.month, day.day)
    if time_part.startswith("24:00:00") and not time_part[8:9].isdigit():
        moment = parse_time("00:00:00" + time_part[8:])
        if moment is None:
            return None
        start = dt.datetime.combine(day, moment)
        return start + dt.timedelta(days=1)
    moment = parse_time(time_part)
    if moment is None:
        return None
    return dt.datetime.combine(day, moment)


def parse_duration(text: str) -> dt.timedelta | YearsMonthsDuration | None:
    """An ISO 8601 duration -> timedelta (days and time) or YearsMonthsDuration, or None."""
    m = _DURATION.fullmatch(text)
    if m is None or text.endswith("T"):
        return None
    sign = -1 if m[1] else 1
    years, months, weeks, days, hours, minutes, seconds = m.groups()[1:]
    has_ym = years is not None or months is not None
    has_dt = any(v is not None for v in (weeks, days, hours, minutes, seconds))
    if has_ym and not has_dt:
        return YearsMonthsDuration(sign * (int(years or 0) * 12 + int(months or 0)))
    if has_ym:
        # Mixed forms are not FEEL durations, but ISO allows them: count a month as its days
        # would be ambiguous, so the spec's two kinds are kept apart and this is rejected.
        return None
    total = (
        int(weeks or 0) * 604800
        + int(days or 0) * 86400
        + int(hours or 0) * 3600
        + int(minutes or 0) * 60
    )
    secs = DECIMAL_CONTEXT.add(Decimal(total), Decimal((seconds or "0").rstrip(".") or "0"))
    return timedelta_from_seconds(secs if sign > 0 else -secs)


def parse_temporal(text: str) -> object | None:
    """The value of an ``@"..."`` literal: a date, time, date and time, or duration; else None."""
    if text.startswith(("P", "-P")):
        return parse_duration(text)
    head = text.split("@", 1)[0]
    if "T" in head:
        return parse_datetime(text)
    if ":" in head:
        return parse_time(text)
    return parse_date(text)


_MAX_DAYS = 999_999_999


def timedelta_from_seconds(seconds: Decimal) -> dt.timedelta | None:
    """Seconds (Decimal) -> timedelta at microsecond precision, or None when out of range."""
    if not seconds.is_finite() or seconds.adjusted() > 15:
        return None
    micros = int(seconds.scaleb(6, DECIMAL_CONTEXT).to_integral_value(context=DECIMAL_CONTEXT))
    if abs(micros) > _MAX_DAYS * 86_400_000_000:
        return None
    return dt.timedelta(microseconds=micros)


def seconds_of(delta: dt.timedelta) -> Decimal:
    """The exact number of seconds in a timedelta."""
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Decimal(micros).scaleb(-6, DECIMAL_CONTEXT)


def add_months(day: dt.date, months: int) -> dt.date | None:
    """Calendar month arithmetic: the day of month is clamped to the end of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month0 + 1)[1]
    return day.replace(year=year, month=month0 + 1, day=min(day.day, last))


def _fraction(micro: int) -> str:
    return f".{micro:06d}".rstrip("0") if micro else ""


def format_date(day: dt.date) -> str:
    """``YYYY-MM-DD``."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _format_zone(value: dt.time | dt.datetime) -> str:
    tz = value.tzinfo
    if tz is None:
        return ""
    if isinstance(tz, ZoneInfo):
        return "@" + tz.key
    offset = value.utcoffset()
    if offset is None:
        return ""
    if not offset:
        return "Z"
    sign = "-" if offset < dt.timedelta(0) else "+"
    total = abs(int(offset.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return text + (f":{seconds:02d}" if seconds else "")


def format_time(moment: dt.time) -> str:
    """``hh:mm:ss[.f]`` followed by ``Z``, ``+hh:mm`` or ``@zone`` when the time has one."""
    base = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return base + _fraction(moment.microsecond) + _format_zone(moment)


def format_datetime(moment: dt.datetime) -> str:
    """ISO 8601 date and time with the FEEL zone forms."""
    time_part = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return f"{format_date(moment)}T{time_part}{_fraction(moment.microsecond)}{_format_zone(moment)}"


def format_days_time(delta: dt.timedelta) -> str:
    """``P1DT2H3M4.5S``, ``-PT1H``, ``PT0S``."""
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    sign = "-" if micros < 0 else ""
    micros = abs(micros)
    seconds, micro = divmod(micros, 1_000_000)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    text = f"{sign}P"
    if days:
        text += f"{days}D"
    if hours or minutes or seconds or micro or not days:
        text += "T"
        if hours:
            text += f"{hours}H"
        if minutes:
            text += f"{minutes}M"
        if seconds or micro or not (hours or minutes):
            text += f"{seconds}{_fraction(micro)}S"
    return text
