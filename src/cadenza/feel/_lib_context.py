"""Context, boolean and conversion built-ins, and the Camunda extras models use."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from cadenza.feel._builtins import BUILTINS, as_list, as_string, builtin
from cadenza.feel._errors import FeelAssertionError, FeelEvaluationError
from cadenza.feel._runtime import NamedArguments, check_string
from cadenza.feel._temporal import format_date, format_datetime, format_days_time, format_time
from cadenza.feel._text import format_number
from cadenza.feel._types import FeelFunction, Range, YearsMonthsDuration
from cadenza.feel._values import to_feel

__all__ = ["json_text"]

_MAX_JSON = 10_000_000


def _as_context(value: Any) -> dict[str, Any]:
    if type(value) is dict:
        return value
    raise FeelEvaluationError("expected a context")


@builtin("get value", "m, key")
def _get_value(m: Any, key: Any) -> Any:
    context = _as_context(m)
    if type(key) is list:
        current: Any = context
        for k in key:
            if type(current) is not dict:
                return None
            current = current.get(as_string(k))
        return current
    return context.get(as_string(key))


@builtin("get entries", "m")
def _get_entries(m: Any) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in _as_context(m).items()]


@builtin("context", "entries")
def _context(entries: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for entry in as_list(entries):
        if type(entry) is not dict or "key" not in entry or "value" not in entry:
            raise FeelEvaluationError("context() expects entries with 'key' and 'value'")
        key = as_string(entry["key"])
        if key in result:
            raise FeelEvaluationError(f"duplicate context key '{key}'")
        result[key] = entry["value"]
    return result


def _put(context: dict[str, Any], keys: list[Any], value: Any) -> dict[str, Any]:
    key = as_string(keys[0])
    result = dict(context)
    if len(keys) == 1:
        result[key] = value
        return result
    inner = result.get(key, {})
    if type(inner) is not dict:
        raise FeelEvaluationError(f"context put: the entry '{key}' is not a context")
    result[key] = _put(inner, keys[1:], value)
    return result


def _context_put_invoke(args: Sequence[Any], ctx: Any) -> Any:
    # Named `key:` takes one key; only `keys:` (or a positional list) is a path.
    if type(args) is NamedArguments and "key" in args.signature and type(args[1]) is list:
        raise FeelEvaluationError("context put: 'key' must be a string, use 'keys' for a path")
    return _context_put_plain.invoker(args, ctx)


@builtin("context put", "context, key, value", "context, keys, value")
def _context_put(context: Any, key: Any, value: Any) -> dict[str, Any]:
    keys = key if type(key) is list else [key]
    if not keys:
        raise FeelEvaluationError("context put needs at least one key")
    return _put(_as_context(context), keys, value)


_context_put_plain = BUILTINS["context put"]
BUILTINS["context put"] = dataclasses.replace(_context_put_plain, invoker=_context_put_invoke)


@builtin("context merge", "contexts", variadic=True)
def _context_merge(*args: Any) -> dict[str, Any]:
    if not args:
        raise FeelEvaluationError("context merge expects contexts")
    contexts = args[0] if len(args) == 1 and type(args[0]) is list else list(args)
    result: dict[str, Any] = {}
    for c in contexts:
        result.update(_as_context(c))
    return result


@builtin("not", "negand")
def _not(value: Any) -> Any:
    if type(value) is bool:
        return not value
    return None


@builtin("is defined", "value")
def _is_defined(value: Any) -> bool:
    # Names and paths are checked by the compiler (a missing one is not defined); any value
    # that reached the function, null included, exists.
    return True


@builtin("get or else", "value, default")
def _get_or_else(value: Any, default: Any) -> Any:
    return default if value is None else value


@builtin("assert", "value, condition, cause", required=2)
def _assert(value: Any, condition: Any, cause: Any = None) -> Any:
    if condition is not True:
        reason = f": {cause}" if isinstance(cause, str) else ""
        raise FeelAssertionError(f"assertion failed{reason}")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


@builtin("from json", "value")
def _from_json(value: Any) -> Any:
    text = as_string(value)
    if len(text) > _MAX_JSON:
        raise FeelEvaluationError("JSON text too long")
    try:
        parsed = json.loads(
            text, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant
        )
    except (ValueError, RecursionError) as error:
        raise FeelEvaluationError(f"invalid JSON: {error}") from None
    return to_feel(parsed)


def json_text(value: Any) -> str:
    """FEEL value -> JSON text; numbers keep their exact decimal digits."""
    t = type(value)
    if t is int:
        return str(value)
    if t is float:
        return json.dumps(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is Decimal:
        return format_number(value)
    if t is str:
        return json.dumps(value, ensure_ascii=False)
    if t is list:
        return "[" + ",".join(json_text(v) for v in value) + "]"
    if t is dict:
        items = (json.dumps(k, ensure_ascii=False) + ":" + json_text(v) for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if t is Range or t is FeelFunction:
        return "null"
    if t is datetime:
        return json.dumps(format_datetime(value))
    if t is date:
        return json.dumps(format_date(value))
    if t is time:
        return json.dumps(format_time(value))
    if t is timedelta:
        return json.dumps(format_days_time(value))
    if t is YearsMonthsDuration:
        return json.dumps(str(value))
    return "null"


@builtin("to json", "value")
def _to_json(value: Any) -> str:
    return check_string(json_text(value))
