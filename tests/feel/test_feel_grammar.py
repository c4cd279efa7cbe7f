"""The FEEL grammar: literals, names, operators, control flow, contexts, lists, functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cadenza import feel


def ev(source: str, variables: dict[str, Any] | None = None) -> Any:
    return feel.compile(source).evaluate(variables or {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1", 1),
        ("-1", -1),
        ("1.5", Decimal("1.5")),
        (".5", Decimal("0.5")),
        ("1.23e4", 12300),
        ('"a\\"b"', 'a"b'),
        ('"tab\\there"', "tab\there"),
        ('"\\u0041\\U01F600"', "A\U0001f600"),
        ('"\\ud83d\\ude00"', "\U0001f600"),
        ('"keep \\d"', "keep \\d"),
        ("true", True),
        ("false", False),
        ("null", None),
        ('@"2024-02-29"', dt.date(2024, 2, 29)),
        ('@"10:30:00"', dt.time(10, 30)),
        ('@"2024-01-01T10:00:00Z"', dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC)),
        ('@"P1Y2M"', feel.YearsMonthsDuration(14)),
        ('@"PT1H30M"', dt.timedelta(hours=1, minutes=30)),
        ("1 /* comment */ + // line\n 2", 3),
    ],
)
def test_literals(source: str, expected: Any) -> None:
    assert ev(source) == expected
    assert type(ev(source)) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("0.1 + 0.2", Decimal("0.3")),
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 / 4", Decimal("2.5")),
        ("1 / 3", Decimal("0.3333333333333333333333333333333333")),
        ("2 ** 10", 1024),
        ("-3 ** 2", 9),
        ("2 ** -1", Decimal("0.5")),
        ("10 - 2 - 3", 5),
        ("-(1 + 2)", -3),
        ("1 / 0", None),
        ("1 + null", None),
        ('1 + "a"', None),
        ('"a" + "b"', "ab"),
        ("10 ** 10000", None),
    ],
)
def test_arithmetic(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 4", False),
        ("1 = 1.0", True),
        ("1 != 2", True),
        ('"a" < "b"', True),
        ('1 = "1"', None),
        ('1 < "1"', None),
        ("null = null", True),
        ("1 = null", False),
        ("null != 1", True),
        ("true < false", None),
        ("[1, 2] = [1, 2]", True),
        ("[1, 2] = [2, 1]", False),
        ("{a: 1} = {a: 1}", True),
        ("{a: 1} = {a: 2}", False),
        ("5 between 1 and 10", True),
        ("0 between 1 and 10", False),
        ('"b" between "a" and "c"', True),
        ('5 between "a" and 10', None),
    ],
)
def test_comparison(source: str, expected: Any) -> None:
    assert ev(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("true and true", True),
        ("true and false", False),
        ("true and null", None),
        ("false and null", False),
        ("null and false", False),
        ('false and "x"', False),
        ("true or null", True),
        ("null or true", True),
        ("false or null", None),
        ("false or false", False),
        ('true and "x"', None),
    ],
)
def test_three_valued_logic(source: str, expected: Any) -> None:
    assert ev(source) is expected


@pytest.mark.parametrize(
    ("source", "variables", "expected"),
    [
        ("Monthly Salary * 12", {"Monthly Salary": 100}, 1200),
        ("first name + last name", {"first name": "a", "last name": "b"}, "ab"),
        ("a.b.c", {"a": {"b": {"c": 5}}}, 5),
        ("`a-b` + 1", {"a-b": 1}, 2),
        ('if x > 1 then "big" else "small"', {"x": 5}, "big"),
        ("if null then 1 else 2", {}, 2),
        ("if 1 then 1 else 2", {}, 2),
        ("x", {"x": [1, 2.5, {"k": True}]}, [1, Decimal("2.5"), {"k": True}]),
    ],
)
def test_names_and_if(source: str, variables: dict[str, Any], expected: Any) -> None:
    assert ev(source, variables) == expected


def test_known_names_with_operator_characters() -> None:
    names = ["Date-Time", "a+b", "it's", "x/y", "net*gross"]
    expr = feel.compile("Date-Time + a+b + it's + x/y + net*gross", names)
    variables = {"Date-Time": 1, "a+b": 2, "it's": 3, "x/y": 4, "net*gross": 5}
    assert expr.evaluate(variables) == 15
    # Without declaring the names the same text is arithmetic on the single-word names.
    assert feel.evaluate("a-b", {"a": 5, "b": 2}) == 3


def test_multi_word_builtin_names_beat_word_joining() -> None:
    assert ev('date and time("2024-01-01T00:00:00") instance of date and time') is True
    assert ev("get or else(null, 5)") == 5
    assert ev('string length("abc") = 3 and true') is True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("for i in 1..3 return i * 2", [2, 4, 6]),
        ("for i in 3..1 return i", [3, 2, 1]),
        ("for i in [1..3) return i", [1, 2]),
        ("for x in [1, 2], y in [10, 20] return x + y", [11, 21, 12, 22]),
        ("for x in [1, 2], y in x..2 return y", [1, 2, 2]),
        ("for i in 1..4 return if i = 1 then 1 else i * partial[-1]", [1, 2, 6, 24]),
        ("for x in [] return x", []),
        ("some x in [1, 2, 3] satisfies x > 2", True),
        ("some x in [1, 2] satisfies x > 2", False),
        ("every x in [1, 2, 3] satisfies x > 0", True),
        ("every x in [1, -2] satisfies x > 0", False),
        ("every x in [] satisfies false", True),
        ("some x in [1, 2], y in [2, 3] satisfies x = y", True),
        (
            'for d in @"2024-01-30"..@"2024-02-01" return string(d)',
            ["2024-01-30", "2024-01-31", "2024-02-01"],
        ),
    ],
)
def test_iteration(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[1, 5, 12, 20][item > 10]", [12, 20]),
        ("[1, 2, 3][1]", 1),
        ("[1, 2, 3][-1]", 3),
        ("[1, 2, 3][0]", None),
        ("[1, 2, 3][4]", None),
        ("[{a: 1}, {a: 5}][a > 2]", [{"a": 5}]),
        ("[{a: 1}, {a: 5}][item.a > 2].a", [5]),
        ("[{a: 1}, {a: 5}].a", [1, 5]),
        ("[{a: 1}, {b: 5}].a", [1, None]),
        ("5[item > 1]", [5]),
        ("[1, 2][true]", [1, 2]),
        ("[1, 2][false]", []),
        ("{a: 1, b: a + 1}", {"a": 1, "b": 2}),
        ('{"x y": 1, z: x y}', {"x y": 1, "z": 1}),
        ("{a: {b: 2}}.a.b", 2),
        ("{a: 1}.b", None),
        ("[1, [2, 3]]", [1, [2, 3]]),
        ("[]", []),
    ],
)
def test_filters_paths_contexts(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("5 in [1..10]", True),
        ("10 in [1..10)", False),
        ("1 in (1..10]", False),
        ("1 in ]1..10]", False),
        ("10 in [1..10[", False),
        ("5 in < 10", True),
        ("5 in (< 3, > 4)", True),
        ("5 in (1, 2, 5)", True),
        ("5 in [1, 2, 3]", False),
        ('"b" in ["a", "b"]', True),
        ("5 in 5", True),
        ("5 in (> 1)", True),
        ("(< 10) = (< 10)", True),
        ("[1..10] = [1..10]", True),
        ("[1..10] = [1..10)", False),
        ("x in (< 10) and true", True),
    ],
)
def test_in_and_ranges(source: str, expected: Any) -> None:
    assert ev(source, {"x": 3}) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 instance of number", True),
        ('"a" instance of string', True),
        ("true instance of boolean", True),
        ('@"2024-01-01" instance of date', True),
        ('@"2024-01-01T00:00:00" instance of date', False),
        ('@"P1D" instance of days and time duration', True),
        ('@"P1Y" instance of years and months duration', True),
        ("[1, 2] instance of list<number>", True),
        ('[1, "a"] instance of list<number>', False),
        ("{a: 1} instance of context<a: number>", True),
        ('{a: "x"} instance of context<a: number>', False),
        ("[1..2] instance of range<number>", True),
        ("(function(a) a) instance of function<Any> -> Any", True),
        ("null instance of number", False),
        ("1 instance of Any", True),
    ],
)
def test_instance_of(source: str, expected: Any) -> None:
    assert ev(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(function(a, b) a + b)(1, 2)", 3),
        ("{f: function(a, b) a - b, r: f(b: 1, a: 5)}.r", 4),
        ("{f: function(n) if n <= 1 then 1 else n * f(n - 1), r: f(10)}.r", 3628800),
        ('{f: function(x: number) x, r: f("a")}.r', None),
        ("{y: 10, f: function(x) x + y}.f(1)", 11),
        ("{f: function(a) a, r: f(1, 2)}.r", None),
        ("{f: function(a) a, r: f(b: 1)}.r", None),
        ("sort([3, 1, 2], function(x, y) x > y)", [3, 2, 1]),
        ("(function(a) external {java: {}})(1)", None),
        ('substring(string: "hello", start position: 2, length: 3)', "ell"),
        ("nosuch(1)", None),
    ],
)
def test_functions(source: str, expected: Any) -> None:
    assert ev(source) == expected


def test_user_function_captures_definition_scope() -> None:
    adders = feel.compile("for i in 1..3 return function(x) x + i").evaluate_raw()
    assert [f(Decimal(10)) for f in adders] == [11, 12, 13]


def test_host_function_value_is_invoked_by_name() -> None:
    def discount(amount: Decimal, rate: Decimal) -> Decimal:
        return amount * (1 - rate)

    fn = feel.FeelFunction.from_callable(discount, "Discount")
    assert fn.parameters == ("amount", "rate")
    assert feel.evaluate("Discount(100, 0.1)", {"Discount": fn}) == 90
    assert feel.evaluate("Discount(rate: 0.5, amount: 10)", {"Discount": fn}) == 5
    assert feel.evaluate("Discount instance of function", {"Discount": fn}) is True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{a-b: 1, c: a-b + 1}.c", 2),
        ("{first name: 1, r: first name * 2}.r", 2),
        ("for unit price in [1, 2] return unit price * 10", [10, 20]),
        ("(function(base amount) base amount + 1)(1)", 2),
        ("{größe: 2}.größe", 2),
        ("{`weird key`: 3}.`weird key`", 3),
        ('{"string key": 4}.string key', 4),
        ("{a: 1}.a + {b: 2}.b", 3),
    ],
)
def test_names_declared_inside_the_expression(source: str, expected: Any) -> None:
    assert ev(source) == expected


def test_comments_and_whitespace_are_ignored() -> None:
    source = """
        // a gateway condition
        amount /* in euros */ >
            1000
    """
    assert ev(source, {"amount": 1001}) is True
