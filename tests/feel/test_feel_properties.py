"""Property tests: decimal arithmetic at 34 digits, literals printed and parsed back."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cadenza import feel

CTX = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
numbers = st.decimals(
    allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20, places=8
)


@given(numbers, numbers)
def test_addition_and_multiplication_match_decimal(a: Decimal, b: Decimal) -> None:
    variables = {"a": a, "b": b}
    assert feel.compile("a + b").evaluate_raw(variables) == CTX.add(a, b)
    assert feel.compile("a * b").evaluate_raw(variables) == CTX.multiply(a, b)
    assert feel.compile("a - b").evaluate_raw(variables) == CTX.subtract(a, b)


@given(numbers, numbers.filter(lambda d: d != 0))
def test_division_matches_decimal(a: Decimal, b: Decimal) -> None:
    assert feel.compile("a / b").evaluate_raw({"a": a, "b": b}) == CTX.divide(a, b)


@given(numbers)
def test_number_literals_round_trip_through_string(a: Decimal) -> None:
    text = feel.feel_string(a)
    assert feel.compile(text).evaluate_raw() == a
    assert feel.compile(f'number("{text}")').evaluate_raw() == a


@given(st.text(max_size=40))
def test_string_literals_round_trip(text: str) -> None:
    literal = feel.feel_string(text, quote=True)
    assert feel.compile(literal).evaluate() == text


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_date_literals_round_trip(day: dt.date) -> None:
    text = feel.feel_string(day)
    assert feel.compile(f'@"{text}"').evaluate() == day
    assert feel.compile(f'date("{text}")').evaluate() == day


@given(st.timedeltas(min_value=dt.timedelta(days=-(10**5)), max_value=dt.timedelta(days=10**5)))
def test_duration_literals_round_trip(delta: dt.timedelta) -> None:
    text = feel.feel_string(delta)
    assert feel.compile(f'duration("{text}")').evaluate() == delta


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_years_months_round_trip(months: int) -> None:
    value = feel.YearsMonthsDuration(months)
    assert feel.compile(f'duration("{value}")').evaluate() == value


@given(st.lists(st.integers(min_value=-1000, max_value=1000), max_size=30))
def test_list_functions_agree_with_python(values: list[int]) -> None:
    variables = {"v": values}
    assert feel.compile("count(v)").evaluate(variables) == len(values)
    assert feel.compile("sort(v)").evaluate(variables) == sorted(values)
    assert feel.compile("reverse(v)").evaluate(variables) == values[::-1]
    assert feel.compile("v[item > 0]").evaluate(variables) == [x for x in values if x > 0]
    if values:
        assert feel.compile("sum(v)").evaluate(variables) == sum(values)
        assert feel.compile("min(v)").evaluate(variables) == min(values)
        assert feel.compile("max(v)").evaluate(variables) == max(values)
