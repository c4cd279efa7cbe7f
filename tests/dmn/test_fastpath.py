"""Constant input entries evaluated without FEEL must match exactly what FEEL says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cadenza import feel
from cadenza.dmn._fastpath import constant_tests
from cadenza.dmn._tables import split_unary_tests

_numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
_words = st.sampled_from(["gold", "silver", "", "a b", "Gold"])


def _number_text(number: Decimal) -> str:
    return format(number, "f")


@st.composite
def _entry(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["string", "number", "comparison", "range"]))
    if kind == "string":
        return f'"{draw(_words)}"'
    if kind == "number":
        return _number_text(draw(_numbers))
    if kind == "comparison":
        operator = draw(st.sampled_from(["<", "<=", ">", ">=", "="]))
        return f"{operator} {_number_text(draw(_numbers))}"
    # Non-negative bounds: FEEL reads ``-0.5[`` as the start of a filter (a FEEL gap).
    low, high = sorted([abs(draw(_numbers)), abs(draw(_numbers))])
    left = draw(st.sampled_from(["[", "(", "]"]))
    right = draw(st.sampled_from(["]", ")", "["]))
    return f"{left}{_number_text(low)}..{_number_text(high)}{right}"


_inputs = st.one_of(
    _numbers,
    st.integers(min_value=-1000, max_value=1000).map(Decimal),
    _words,
    st.booleans(),
    st.none(),
)


@settings(max_examples=400, deadline=None)
@given(entries=st.lists(_entry(), min_size=1, max_size=3), value=_inputs)
def test_constant_entries_agree_with_feel(entries: list[str], value: Any) -> None:
    text = ", ".join(entries)
    fast = constant_tests(split_unary_tests(text))
    assert fast is not None, text
    assert fast(value, {}) == feel.compile_unary_tests(text).matches(value, {}), (text, value)


def test_boolean_entries_match_only_that_boolean() -> None:
    # As Zeebe's FEEL engine does: ``true`` matches the input true, never null, numbers or
    # strings (the FEEL library's unary tests also accept a non-boolean input here).
    for text, value, expected in [
        ("true", True, True),
        ("true", False, False),
        ("false", False, True),
        ("true", None, False),
        ("true", Decimal(1), False),
        ("false", "false", False),
        ("true, false", False, True),
    ]:
        fast = constant_tests(split_unary_tests(text))
        assert fast is not None
        assert fast(value, {}) is expected, (text, value)


def test_entries_with_names_or_functions_are_left_to_feel() -> None:
    for text in ["< limit", 'date("2020-01-01")', "not(1)", '"a\\"b"', "[1..limit]", "?"]:
        assert constant_tests(split_unary_tests(text)) is None, text


def test_split_keeps_commas_inside_strings_and_brackets() -> None:
    assert split_unary_tests('"a,b", [1..2], f(1, 2)') == ['"a,b"', "[1..2]", "f(1, 2)"]
    assert split_unary_tests("]1..2[, [0..1[, (3..4], 5") == ["]1..2[", "[0..1[", "(3..4]", "5"]
