"""Input entries made only of constants (``"gold"``, ``< 10``, ``[1..5]``, ``true``, lists of
these) compiled to plain Python predicates, so the common decision table cell costs one or two
comparisons instead of a FEEL evaluation. Anything else goes to FEEL; a property test checks
that both agree on every shape handled here."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from cadenza.dmn._feel import Scope

Predicate = Callable[[Any, Scope], bool]

_NUMBER = r"-?\d+(?:\.\d+)?"
_STRING = re.compile(r'^"([^"\\]*)"$')
_NUMBER_ONLY = re.compile(rf"^({_NUMBER})$")
_COMPARISON = re.compile(rf"^(<=|>=|<|>|=)\s*({_NUMBER})$")
_RANGE = re.compile(rf"^([\[\(\]])\s*({_NUMBER})\s*\.\.\s*({_NUMBER})\s*([\]\)\[])$")
# Exact types: a bool is an int to Python but never a number to FEEL.
_NUMBERS = frozenset({Decimal, int})


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _equals_number(constant: Decimal) -> Predicate:
    return lambda v, _s: type(v) in _NUMBERS and v == constant


def _equals_string(constant: str) -> Predicate:
    return lambda v, _s: type(v) is str and v == constant


def _compare(operator: str, constant: Decimal) -> Predicate:
    if operator == "<":
        return lambda v, _s: type(v) in _NUMBERS and v < constant
    if operator == "<=":
        return lambda v, _s: type(v) in _NUMBERS and v <= constant
    if operator == ">":
        return lambda v, _s: type(v) in _NUMBERS and v > constant
    if operator == ">=":
        return lambda v, _s: type(v) in _NUMBERS and v >= constant
    return _equals_number(constant)


def _range(low: Decimal, high: Decimal, low_open: bool, high_open: bool) -> Predicate:
    def check(v: Any, _scope: Scope) -> bool:
        if type(v) not in _NUMBERS:
            return False
        above = v > low if low_open else v >= low
        below = v < high if high_open else v <= high
        return bool(above and below)

    return check


def _single(text: str) -> Predicate | None:
    if text == "true":
        return lambda v, _s: v is True
    if text == "false":
        return lambda v, _s: v is False
    match = _STRING.match(text)
    if match:
        return _equals_string(match.group(1))
    match = _NUMBER_ONLY.match(text)
    if match:
        number = _number(match.group(1))
        return None if number is None else _equals_number(number)
    match = _COMPARISON.match(text)
    if match:
        number = _number(match.group(2))
        return None if number is None else _compare(match.group(1), number)
    match = _RANGE.match(text)
    if match:
        low, high = _number(match.group(2)), _number(match.group(3))
        if low is None or high is None:
            return None
        return _range(low, high, match.group(1) != "[", match.group(4) != "]")
    return None


def constant_tests(parts: list[str]) -> Predicate | None:
    """A predicate for unary tests given as their comma-separated parts, or None when any
    part is not a constant shape handled here."""
    predicates = []
    for part in parts:
        predicate = _single(part.strip())
        if predicate is None:
            return None
        predicates.append(predicate)
    if len(predicates) == 1:
        return predicates[0]
    chosen = tuple(predicates)
    return lambda value, scope: any(p(value, scope) for p in chosen)
