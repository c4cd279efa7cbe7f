"""Every built-in function: normal results, spec edge cases, named parameters, nulls."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cadenza import feel


def ev(source: str) -> Any:
    return feel.compile(source).evaluate({})


STRING_CASES: list[tuple[str, Any]] = [
    ("string(1.10)", "1.1"),
    ("string(100)", "100"),
    ("string(true)", "true"),
    ("string(null)", None),
    ('string([1, "a"])', '[1, "a"]'),
    ('string(date("2024-01-05"))', "2024-01-05"),
    ('substring("foobar", 3)', "obar"),
    ('substring("foobar", 3, 3)', "oba"),
    ('substring("foobar", -2, 1)', "a"),
    ('substring("foobar", 0)', None),
    ('substring("\U0001f600ab", 2)', "ab"),
    ('string length("foo")', 3),
    ('upper case("aBc")', "ABC"),
    ('lower case("aBc")', "abc"),
    ('substring before("foobar", "bar")', "foo"),
    ('substring before("foobar", "xyz")', ""),
    ('substring after("foobar", "ob")', "ar"),
    ('substring after("", "a")', ""),
    ('contains("foobar", "of")', False),
    ('contains("foobar", "ob")', True),
    ('starts with("foobar", "fo")', True),
    ('ends with("foobar", "r")', True),
    ('matches("foobar", "^fo*b")', True),
    ('matches("FooBar", "foo", "i")', True),
    ('matches("a\nb", "a.b")', False),
    ('matches("a\nb", "a.b", "s")', True),
    ('matches("ab\n", "b$")', False),
    ('matches("a\nb", "^b", "m")', True),
    ('matches("hello world", "hello\\ sworld", "x")', True),
    ('matches("a+b", "a+b", "q")', True),
    ('matches("b", "[a-z-[aeiou]]")', True),
    ('matches("e", "[a-z-[aeiou]]")', False),
    ('matches("abc", "(")', None),
    ('matches("abc", "a", "z")', None),
    ('replace("abc", "b", "X")', "aXc"),
    ('replace("abcb", "b", "X")', "aXcX"),
    ('replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")', "(012) 345-6789"),
    ('replace("abc", "b", "\\$")', "a$c"),
    ('replace("abc", "", "X")', None),
    ('replace("a.b", ".", "-", "q")', "a-b"),
    ('split("John Doe", "\\s")', ["John", "Doe"]),
    ('split("a;b;;c", ";")', ["a", "b", "", "c"]),
    ('string join(["a", "b", "c"], ", ")', "a, b, c"),
    ('string join(["a", null, "c"])', "ac"),
    ('string join([], "x")', ""),
    ('string join(["a", 1])', None),
    ('string join(["a", "b"], "-", "(", ")")', "(a-b)"),
    ('string join(["a"], "-", "(")', None),
    ('to base64("Hi")', "SGk="),
    ('trim("  a b  ")', "a b"),
    ('is blank("  ")', True),
    ('is blank("a")', False),
    ('extract("a1b22", "\\d+")', ["1", "22"]),
    ('number("1,000.5", ",", ".")', Decimal("1000.5")),
    ('number("1.000,5", ".", ",")', Decimal("1000.5")),
    ('number("12")', 12),
    ('number("abc")', None),
    ('number(from: "1 000", grouping separator: " ")', 1000),
]


LIST_CASES: list[tuple[str, Any]] = [
    ("list contains([1, 2, 3], 2)", True),
    ("list contains([1, null], null)", True),
    ("count([1, 2, 3])", 3),
    ("min([3, 1, 2])", 1),
    ("min(3, 1, 2)", 1),
    ('max("a", "c", "b")', "c"),
    ("max([])", None),
    ('min([1, "a"])', None),
    ("sum([1, 2, 3])", 6),
    ("sum(1, 2.5)", Decimal("3.5")),
    ("sum([])", None),
    ('sum([1, "a"])', None),
    ("mean([1, 2, 3, 4])", Decimal("2.5")),
    ("mean([])", None),
    ("median([3, 1, 2])", 2),
    ("median([1, 2, 3, 4])", Decimal("2.5")),
    ("median([])", None),
    ("stddev([2, 4, 7, 5])", Decimal("2.081665999466132735282297706979931")),
    ("stddev([1])", None),
    ("mode([6, 3, 9, 6, 6])", [6]),
    ("mode([6, 1, 9, 6, 1])", [1, 6]),
    ("mode([])", []),
    ("all([true, true])", True),
    ("all([true, false, null])", False),
    ("all([true, null])", None),
    ("all([])", True),
    ("all(true, true)", True),
    ("any([false, true])", True),
    ("any([false, null])", None),
    ("any([])", False),
    ("any([1])", None),
    ("product([2, 3, 4])", 24),
    ("product(2, 3)", 6),
    ("sublist([4, 5, 6], 1, 2)", [4, 5]),
    ("sublist([4, 5, 6], -1)", [6]),
    ("sublist([4, 5, 6], 5)", None),
    ("append([1], 2, 3)", [1, 2, 3]),
    ("concatenate([1, 2], [3])", [1, 2, 3]),
    ("concatenate([1], 2)", None),
    ("insert before([1, 3], 2, 2)", [1, 2, 3]),
    ("insert before([1, 3], -1, 2)", [1, 2, 3]),
    ("remove([1, 2, 3], 2)", [1, 3]),
    ("remove([1, 2, 3], 9)", None),
    ("reverse([1, 2, 3])", [3, 2, 1]),
    ("index of([1, 2, 3, 2], 2)", [2, 4]),
    ("union([1, 2], [2, 3])", [1, 2, 3]),
    ("distinct values([1, 2, 3, 2, 1])", [1, 2, 3]),
    ("distinct values([1, 1.0, [1], [1]])", [1, [1]]),
    ("duplicate values([1, 2, 1, 3, 2])", [1, 2]),
    ("flatten([[1, 2], [[3]], 4])", [1, 2, 3, 4]),
    ("sort([3, 1, 2])", [1, 2, 3]),
    ('sort(["b", "a"])', ["a", "b"]),
    ('sort([1, "a"])', None),
    ("sort(list: [3, 1], precedes: function(a, b) a < b)", [1, 3]),
    ("list replace([1, 2, 3], 2, 9)", [1, 9, 3]),
    ("list replace([1, 2, 3], function(item, newItem) item > 1, 0)", [1, 0, 0]),
    ("list replace([1, 2], function(item) true, 0)", None),
    ("is empty([])", True),
    ("is empty([1])", False),
    ("partition([1, 2, 3, 4, 5], 2)", [[1, 2], [3, 4], [5]]),
    ("partition([1], 0)", None),
]

NUMBER_CASES: list[tuple[str, Any]] = [
    ("decimal(1/3, 2)", Decimal("0.33")),
    ("decimal(1.5, 0)", 2),
    ("decimal(2.5, 0)", 2),
    ("floor(1.5)", 1),
    ("floor(-1.5)", -2),
    ("floor(-1.56, 1)", Decimal("-1.6")),
    ("floor(1.56, null)", None),
    ("ceiling(1.5)", 2),
    ("ceiling(-1.5)", -1),
    ("ceiling(1.56, 1)", Decimal("1.6")),
    ("round up(5.5)", 6),
    ("round up(-5.5)", -6),
    ("round up(1.121, 2)", Decimal("1.13")),
    ("round down(5.5)", 5),
    ("round down(-5.5)", -5),
    ("round half up(5.5)", 6),
    ("round half up(-5.5)", -6),
    ("round half up(1.125, 2)", Decimal("1.13")),
    ("round half down(5.5)", 5),
    ("round half down(-5.5)", -5),
    ("round half down(1.126, 2)", Decimal("1.13")),
    ("abs(-10)", 10),
    ('abs(@"-P1D")', __import__("datetime").timedelta(days=1)),
    ("modulo(12, 5)", 2),
    ("modulo(-12, 5)", 3),
    ("modulo(12, -5)", -3),
    ("modulo(10.1, 4.5)", Decimal("1.1")),
    ("modulo(1, 0)", None),
    ("sqrt(16)", 4),
    ("sqrt(-1)", None),
    ("log(10)", Decimal("2.302585092994045684017991454684364")),
    ("log(0)", None),
    ("exp(5)", Decimal("148.4131591025766034211155800405523")),
    ("odd(5)", True),
    ("odd(2)", False),
    ("even(2)", True),
    ("even(2.5)", None),
    ("floor(1E+100)", Decimal("1E+100")),
]

CONTEXT_CASES: list[tuple[str, Any]] = [
    ('get value({a: 1}, "a")', 1),
    ('get value({a: 1}, "b")', None),
    ('get value({a: {b: 2}}, ["a", "b"])', 2),
    ("get entries({a: 1})", [{"key": "a", "value": 1}]),
    ('context([{key: "a", value: 1}])', {"a": 1}),
    ('context([{key: "a", value: 1}, {key: "a", value: 2}])', None),
    ('context put({a: 1}, "b", 2)', {"a": 1, "b": 2}),
    ('context put({a: {b: 1}}, ["a", "c"], 2)', {"a": {"b": 1, "c": 2}}),
    ("context merge([{a: 1}, {a: 2, b: 3}])", {"a": 2, "b": 3}),
    ("not(true)", False),
    ("not(null)", None),
    ("not(1)", None),
    ("is defined(1)", True),
    ("is defined(null)", True),
    ("get or else(null, 1)", 1),
    ("get or else(2, 1)", 2),
    ("assert(1, 1 > 0)", 1),
    ('from json("{\\"a\\": [1, 2.5, null]}")', {"a": [1, Decimal("2.5"), None]}),
    ('from json("not json")', None),
    (
        'to json({a: [1, 2.5, "x", null, date("2024-01-01")]})',
        '{"a":[1,2.5,"x",null,"2024-01-01"]}',
    ),
    ("uuid()", None),
    ("random number()", None),
]


@pytest.mark.parametrize(
    ("source", "expected"), STRING_CASES + LIST_CASES + NUMBER_CASES + CONTEXT_CASES
)
def test_builtin(source: str, expected: Any) -> None:
    assert ev(source) == expected


def test_builtin_type_error_warns_and_returns_null() -> None:
    value, warnings = feel.compile("upper case(5)").evaluate_with_warnings({})
    assert value is None
    assert any("expected string but found number" in w for w in warnings)


def test_assert_failure_fails_the_evaluation() -> None:
    expr = feel.compile('{a: assert(x, x > 0, "x must be positive")}.a')
    assert expr.evaluate({"x": 1}) == 1
    with pytest.raises(feel.FeelAssertionError, match="x must be positive"):
        expr.evaluate({"x": -1})
    with pytest.raises(feel.FeelAssertionError):
        feel.compile("for i in [1, 2] return assert(i, i < 2)").evaluate_raw_with_warnings()


def test_is_defined_distinguishes_missing_from_null() -> None:
    expr = feel.compile("[is defined(a), is defined(b), is defined(c.d), is defined(c.e)]")
    assert expr.evaluate({"a": None, "c": {"d": None}}) == [True, False, True, False]


def test_unknown_named_parameter_gives_null_with_warning() -> None:
    value, warnings = feel.compile('upper case(text: "a")').evaluate_with_warnings({})
    assert value is None
    assert any("no parameter named 'text'" in w for w in warnings)


def test_wrong_arity_gives_null_with_warning() -> None:
    value, warnings = feel.compile('upper case("a", "b")').evaluate_with_warnings({})
    assert value is None
    assert any("expects 1 arguments but got 2" in w for w in warnings)


def test_every_builtin_has_a_test_case() -> None:
    sources = " ".join(s for s, _ in STRING_CASES + LIST_CASES + NUMBER_CASES + CONTEXT_CASES)
    untested_here = {
        # covered in test_feel_temporal.py and test_feel_ranges.py
        "date", "time", "date and time", "duration", "years and months duration", "now",
        "today", "day of year", "day of week", "month of year", "week of year",
        "last day of month", "is", "range", "before", "after", "meets", "met by", "overlaps",
        "overlaps before", "overlaps after", "finishes", "finished by", "includes", "during",
        "starts", "started by", "coincides", "cycle",
    }  # fmt: skip
    missing = [n for n in feel.BUILTINS if n not in untested_here and f"{n}(" not in sources]
    assert missing == []
