"""List built-ins: aggregation, statistics, construction, search, sorting."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from cadenza.feel._builtins import as_int, as_list, as_number, builtin, list_args
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._runtime import EvalContext, call_function
from cadenza.feel._types import DECIMAL_CONTEXT, FeelFunction
from cadenza.feel._values import compare, feel_equal

__all__: list[str] = []

_C = DECIMAL_CONTEXT
_MAX_LIST = 10_000_000


def _bounded(items: list[Any]) -> list[Any]:
    if len(items) > _MAX_LIST:
        raise FeelEvaluationError(f"list longer than {_MAX_LIST} items")
    return items


@builtin("list contains", "list, element")
def _list_contains(items: Any, element: Any) -> bool:
    return any(feel_equal(i, element) is True for i in as_list(items))


@builtin("count", "list")
def _count(items: Any) -> Decimal:
    return Decimal(len(as_list(items)))


def _extreme(items: list[Any], sign: int) -> Any:
    if not items:
        return None
    best = items[0]
    for item in items[1:]:
        c = compare(item, best)
        if c is None:
            raise FeelEvaluationError("list items are not comparable")
        if c * sign > 0:
            best = item
    if len(items) == 1 and compare(best, best) is None:
        raise FeelEvaluationError("list items are not comparable")
    return best


@builtin("min", "list", variadic=True)
def _min(*args: Any) -> Any:
    return _extreme(list_args(args), -1)


@builtin("max", "list", variadic=True)
def _max(*args: Any) -> Any:
    return _extreme(list_args(args), 1)


def _numbers(items: list[Any]) -> list[Decimal]:
    return [as_number(i) for i in items]


@builtin("sum", "list", variadic=True)
def _sum(*args: Any) -> Any:
    numbers = _numbers(list_args(args))
    if not numbers:
        return None
    total = Decimal(0)
    for n in numbers:
        total = _C.add(total, n)
    return total


@builtin("product", "list", variadic=True)
def _product(*args: Any) -> Any:
    numbers = _numbers(list_args(args))
    if not numbers:
        return None
    total = Decimal(1)
    for n in numbers:
        total = _C.multiply(total, n)
    return total


@builtin("mean", "list", variadic=True)
def _mean(*args: Any) -> Any:
    numbers = _numbers(list_args(args))
    if not numbers:
        return None
    total = Decimal(0)
    for n in numbers:
        total = _C.add(total, n)
    return _C.divide(total, Decimal(len(numbers)))


@builtin("median", "list", variadic=True)
def _median(*args: Any) -> Any:
    numbers = sorted(_numbers(list_args(args)))
    if not numbers:
        return None
    mid = len(numbers) // 2
    if len(numbers) % 2:
        return numbers[mid]
    return _C.divide(_C.add(numbers[mid - 1], numbers[mid]), Decimal(2))


@builtin("stddev", "list", variadic=True)
def _stddev(*args: Any) -> Any:
    numbers = _numbers(list_args(args))
    if len(numbers) < 2:
        return None
    mean = _C.divide(functools.reduce(_C.add, numbers, Decimal(0)), Decimal(len(numbers)))
    squares = Decimal(0)
    for n in numbers:
        d = _C.subtract(n, mean)
        squares = _C.add(squares, _C.multiply(d, d))
    return _C.sqrt(_C.divide(squares, Decimal(len(numbers) - 1)))


@builtin("mode", "list", variadic=True)
def _mode(*args: Any) -> Any:
    numbers = _numbers(list_args(args))
    counts: dict[Decimal, int] = {}
    for n in numbers:
        counts[n] = counts.get(n, 0) + 1
    if not counts:
        return []
    top = max(counts.values())
    return sorted(n for n, c in counts.items() if c == top)


def _booleans(items: list[Any]) -> list[Any]:
    for i in items:
        if i is not None and type(i) is not bool:
            raise FeelEvaluationError("expected a list of booleans")
    return items


@builtin("all", "list", variadic=True)
def _all(*args: Any) -> Any:
    items = _booleans(list_args(args))
    if any(i is False for i in items):
        return False
    return True if all(i is True for i in items) else None


@builtin("any", "list", variadic=True)
def _any(*args: Any) -> Any:
    items = _booleans(list_args(args))
    if any(i is True for i in items):
        return True
    return False if all(i is False for i in items) else None


def _position(items: list[Any], position: Any, insert: bool = False) -> int:
    p = as_int(position)
    size = len(items) + (1 if insert and p > 0 else 0)
    if 0 < p <= size:
        return p - 1
    if p < 0 and -len(items) <= p:
        return len(items) + p
    raise FeelEvaluationError(f"position {p} is outside the list")


@builtin("sublist", "list, start position, length", required=2)
def _sublist(items: Any, start: Any, length: Any = None) -> list[Any]:
    values = as_list(items)
    index = _position(values, start)
    if length is None:
        return values[index:]
    count = as_int(length)
    if count < 0 or index + count > len(values):
        raise FeelEvaluationError("sublist length out of range")
    return values[index : index + count]


@builtin("append", "list, item", variadic=True)
def _append(*args: Any) -> list[Any]:
    if not args:
        raise FeelEvaluationError("append expects a list")
    return _bounded([*as_list(args[0]), *args[1:]])


@builtin("concatenate", "lists", variadic=True)
def _concatenate(*lists: Any) -> list[Any]:
    result: list[Any] = []
    for each in lists:
        if type(each) is not list:
            raise FeelEvaluationError("concatenate expects lists")
        result.extend(each)
        _bounded(result)
    return result


@builtin("insert before", "list, position, newItem")
def _insert_before(items: Any, position: Any, new_item: Any) -> list[Any]:
    values = as_list(items)
    index = _position(values, position)
    return _bounded([*values[:index], new_item, *values[index:]])


@builtin("remove", "list, position")
def _remove(items: Any, position: Any) -> list[Any]:
    values = as_list(items)
    index = _position(values, position)
    return values[:index] + values[index + 1 :]


@builtin("reverse", "list")
def _reverse(items: Any) -> list[Any]:
    return as_list(items)[::-1]


@builtin("index of", "list, match")
def _index_of(items: Any, match: Any) -> list[Decimal]:
    return [Decimal(i + 1) for i, v in enumerate(as_list(items)) if feel_equal(v, match) is True]


def _distinct(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    seen: set[Any] = set()
    for item in items:
        try:
            key = (type(item), item)
            if key in seen:
                continue
            if type(item) not in (list, dict):
                seen.add(key)
                result.append(item)
                continue
        except TypeError:
            pass
        if not any(feel_equal(item, r) is True for r in result):
            result.append(item)
    return result


@builtin("distinct values", "list")
def _distinct_values(items: Any) -> list[Any]:
    return _distinct(as_list(items))


@builtin("union", "lists", variadic=True)
def _union(*lists: Any) -> list[Any]:
    return _distinct(_concatenate(*lists))


_HASHABLE = (str, Decimal, bool, type(None))


@builtin("duplicate values", "list")
def _duplicate_values(items: Any) -> list[Any]:
    # In the order each value first occurs, as Camunda documents ([1,2,3,2,1] -> [1,2]).
    distinct: list[Any] = []
    counts: list[int] = []
    hashed: dict[tuple[type, Any], int] = {}
    for v in as_list(items):
        if type(v) in _HASHABLE:
            # Equal numbers hash alike (Decimal("1.0") and Decimal("1")), so a dict finds them.
            index = hashed.get((type(v), v))
            if index is None:
                hashed[(type(v), v)] = len(distinct)
        else:
            index = next((i for i, d in enumerate(distinct) if feel_equal(v, d) is True), None)
        if index is None:
            distinct.append(v)
            counts.append(1)
        else:
            counts[index] += 1
    return [v for v, n in zip(distinct, counts, strict=True) if n > 1]


def _flat(items: list[Any], out: list[Any]) -> None:
    for i in items:
        if type(i) is list:
            _flat(i, out)
        else:
            out.append(i)


@builtin("flatten", "list")
def _flatten(items: Any) -> list[Any]:
    out: list[Any] = []
    _flat(as_list(items), out)
    return out


@builtin("sort", "list, precedes", required=1, context=True)
def _sort(ctx: EvalContext, items: Any, precedes: Any = None) -> list[Any]:
    values = as_list(items)
    if precedes is None:

        def natural(a: Any, b: Any) -> int:
            c = compare(a, b)
            if c is None:
                raise FeelEvaluationError("list items are not comparable")
            return c

        return sorted(values, key=functools.cmp_to_key(natural))
    if type(precedes) is not FeelFunction:
        raise FeelEvaluationError("sort expects a function as 'precedes'")

    def ordered(a: Any, b: Any) -> int:
        ctx.step()
        if call_function(ctx, precedes, [a, b]) is True:
            return -1
        if call_function(ctx, precedes, [b, a]) is True:
            return 1
        return 0

    return sorted(values, key=functools.cmp_to_key(ordered))


@builtin("list replace", "list, position, newItem", "list, match, newItem", context=True)
def _list_replace(ctx: EvalContext, items: Any, where: Any, new_item: Any) -> list[Any]:
    values = list(as_list(items))
    if type(where) is FeelFunction:
        if len(where.parameters) != 2:
            raise FeelEvaluationError("list replace expects a function of (item, newItem)")
        result = []
        for v in values:
            matched = call_function(ctx, where, [v, new_item])
            if type(matched) is not bool:
                raise FeelEvaluationError("the match function of list replace must give booleans")
            result.append(new_item if matched else v)
        return result
    if type(where) is Decimal and where.is_finite():
        where = Decimal(int(where))
    values[_position(values, where)] = new_item
    return values


@builtin("is empty", "list")
def _is_empty(items: Any) -> bool:
    return not as_list(items)


@builtin("partition", "list, size")
def _partition(items: Any, size: Any) -> list[Any]:
    values = as_list(items)
    n = as_int(size)
    if n <= 0:
        raise FeelEvaluationError("partition size must be positive")
    return [values[i : i + n] for i in range(0, len(values), n)]
