"""Built-in edge cases (Camunda's extensions, named arguments), time resolution, unary-test
booleans and the public literal parsers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cadenza import feel


def _run(source: str, variables: dict[str, Any] | None = None) -> Any:
    return feel.compile(source).evaluate(variables or {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('string join(["a", "b", "c"], ", ", "[", "]")', "[a, b, c]"),
        ('string join(["a", null, "c"], "-", "<", ">")', "<a-c>"),
        ('string join([], ", ", "[", "]")', "[]"),
        ('string join(["a", "b"])', "ab"),
        ('string join(list: ["a"], delimiter: "x", prefix: "(", suffix: ")")', "(a)"),
        ("duplicate values([1, 2, 3, 2, 1])", [1, 2]),
        ("duplicate values([1.0, 1, 2])", [1]),
        ('duplicate values(["b", "a", "a", "b", "b"])', ["b", "a"]),
        (
            'duplicate values([date("2020-01-01"), date("2020-01-01"), null, null])',
            [dt.date(2020, 1, 1), None],
        ),
        ("duplicate values([{a: 1}, {a: 1}, {a: 2}])", [{"a": 1}]),
        ("duplicate values([])", []),
        ('to base64("FEEL")', "RkVFTA=="),
        ('to base64("é")', "w6k="),
        ("to base64(1)", None),
        ('is(value1: @"2021-02-13")', False),
        ('is(value2: @"2021-02-13")', False),
        ('is(@"2021-02-13", @"2021-02-13")', True),
        (
            'context put(context: {x: 1, y: {a: 0}}, keys: ["y", "a"], value: 2)',
            {"x": 1, "y": {"a": 2}},
        ),
        ('context put(context: {x: 1, y: {a: 0}}, key: ["y", "a"], value: 2)', None),
        ('context put({x: 1, y: {a: 0}}, ["y", "a", "b", "c"], 2)', None),
        ('context put({x: 1}, ["y", "a"], 2)', {"x": 1, "y": {"a": 2}}),
        ('context put(context: {}, key: "k", value: 1)', {"k": 1}),
    ],
)
def test_builtins(source: str, expected: Any) -> None:
    assert _run(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('time("10:30:00.0001") = time("10:30:00.0002")', True),
        ('date and time("2018-12-08T00:00:00.0001") = date and time("2018-12-08T00:00:00")', True),
        ('time("10:30:00.001") = time("10:30:00.002")', False),
        ('time("10:30:00.001") < time("10:30:00.002")', True),
        ('time("10:30:00.0001") < time("10:30:00.0002")', False),
        (
            'date and time("2018-12-08T00:00:00.0009Z") >= date and time("2018-12-08T00:00:00Z")',
            True,
        ),
    ],
)
def test_times_compare_at_millisecond_resolution(source: str, expected: bool) -> None:
    assert _run(source) is expected


@pytest.mark.parametrize(
    ("tests", "value", "expected"),
    [
        ("true", True, True),
        ("true", False, False),
        ("true", None, False),
        ("true", "x", False),
        ("true", 0, False),
        ("false", False, True),
        ("false", None, False),
        ("true, false", False, True),
        ("not(true)", False, True),
    ],
)
def test_boolean_literal_tests_match_only_that_boolean(
    tests: str, value: Any, expected: bool
) -> None:
    assert feel.compile_unary_tests(tests).matches(value, {}) is expected


def test_a_boolean_condition_on_other_variables_still_decides_a_test() -> None:
    # Not a literal: an expression about the context, which holds whatever the input is.
    tests = feel.compile_unary_tests("flag = true")
    assert tests.matches("anything", {"flag": True}) is True
    assert tests.matches("anything", {"flag": False}) is False


def test_literal_parsers_are_public() -> None:
    assert feel.parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert feel.parse_date("2023-02-29") is None
    assert feel.parse_time("10:15:00+02:00") == dt.time(
        10, 15, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert feel.parse_date_and_time("2024-01-01T10:00:00") == dt.datetime(2024, 1, 1, 10)
    assert feel.parse_duration("P1Y2M") == feel.YearsMonthsDuration(14)
    assert feel.parse_duration("PT1.5S") == dt.timedelta(seconds=1.5)
    assert feel.parse_duration("P1Y2D") is None
    assert feel.parse_temporal("2024-01-01") == dt.date(2024, 1, 1)
    assert feel.parse_temporal("nonsense") is None


def test_numbers_keep_decimal_precision_through_the_extensions() -> None:
    assert _run('string join([string(0.1 + 0.2)], "")') == "0.3"
    assert _run("duplicate values([0.1 + 0.2, 0.3])") == [Decimal("0.3")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            'date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles")',
            "2020-07-31T05:27:30@America/Los_Angeles",
        ),
        (
            'date and time(date: @"2020-07-31T14:27:30Z", timezone: "Europe/Berlin")',
            "2020-07-31T16:27:30@Europe/Berlin",
        ),
        (
            'date and time(@"2020-07-31T14:27:30", "Europe/Berlin")',
            "2020-07-31T14:27:30@Europe/Berlin",
        ),
        ('date and time(@"2020-07-31T14:27:30Z", "Nowhere/Nothing")', None),
        ('date and time(@"2020-07-31", "Europe/Berlin")', None),
    ],
)
def test_date_and_time_in_another_zone(source: str, expected: str | None) -> None:
    assert feel.to_json(_run(source)) == expected


def test_a_time_string_may_start_with_the_time_designator() -> None:
    assert _run('time("T23:59:00")') == dt.time(23, 59)
    assert _run('date and time(date("2012-12-24"), time("T23:59:00"))') == dt.datetime(
        2012, 12, 24, 23, 59
    )
    assert _run('time("TT23:59:00")') is None


def test_the_same_instant_in_another_zone_is_equal() -> None:
    assert _run('date and time(@"2020-07-31T14:27:30Z", "Asia/Tokyo") = @"2020-07-31T14:27:30Z"')


@pytest.mark.parametrize(
    ("source", "expected", "warning"),
    [
        ("0 ** 0", 1, None),
        ("(-8) ** 2", 64, None),
        ("2 ** -1", Decimal("0.5"), None),
        ("0 ** -1", None, "zero raised to a negative power"),
        ("(-8) ** (1/3)", None, "negative number raised to a fractional power"),
        ("10 ** 7000", None, "too large for a FEEL number"),
        ("1e6000 * 1e6000", None, "too large for a FEEL number"),
    ],
)
def test_exponentiation_and_overflow(source: str, expected: Any, warning: str | None) -> None:
    value, warnings = feel.compile(source).evaluate_with_warnings({})
    assert value == expected
    if warning is None:
        assert warnings == ()
    else:
        assert any(warning in w for w in warnings), warnings
        assert not any("class" in w for w in warnings)  # no Python internals in messages
