"""The FEEL string form of every value (the ``string()`` function and readable output)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cadenza.feel._temporal import format_date, format_datetime, format_days_time, format_time
from cadenza.feel._types import DECIMAL_CONTEXT, FeelFunction, Range, YearsMonthsDuration

__all__ = ["feel_string", "format_number"]


def format_number(number: Decimal) -> str:
    """Plain decimal notation without exponent or trailing fraction zeros: ``1.5``, ``100``."""
    if not number.is_finite():
        return str(number)
    text = format(number.normalize(DECIMAL_CONTEXT), "f")
    return "0" if text in ("-0", "0") else text


def _escape(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def feel_string(value: Any, quote: bool = False) -> str:
    """FEEL's string of a value; ``quote`` writes strings as FEEL string literals (inside lists)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _escape(value) if quote else value
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, int | float):
        return format_number(Decimal(repr(value)))
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return format_time(value)
    if isinstance(value, dt.timedelta):
        return format_days_time(value)
    if isinstance(value, YearsMonthsDuration | Range):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(feel_string(v, True) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{k}: {feel_string(v, True)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, FeelFunction):
        return f"function({', '.join(value.parameters)})"
    return repr(value)
