"""The public surface: exports, caching, lazy variables, warnings, value mapping in and out."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest

import cadenza.feel
from cadenza import feel


def test_exports_match_all() -> None:
    public = {n for n in dir(cadenza.feel) if not n.startswith("_")}
    assert set(cadenza.feel.__all__) <= public
    for name in cadenza.feel.__all__:
        value = getattr(cadenza.feel, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name


def test_brief_examples() -> None:
    expr = feel.compile('amount > 1000 and country = "DE"')
    assert expr.evaluate({"amount": 1500, "country": "DE"}) is True
    assert expr.evaluate({"amount": 999, "country": "DE"}) is False
    assert feel.evaluate("x + 1", {"x": 1}) == 2
    ut = feel.compile_unary_tests("< 10, [20..30], not(5)")
    assert [ut.matches(v) for v in (5, 25, 15)] == [True, True, False]


def test_compile_is_cached_by_source_and_names() -> None:
    assert feel.compile("a + 1") is feel.compile("a + 1")
    assert feel.compile("a + 1", ["a b"]) is not feel.compile("a + 1")
    assert feel.compile("a + 1", cache=False) is not feel.compile("a + 1")


class LazyVariables(Mapping[str, Any]):
    """A scope view that fails the test when iterated or copied."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.data = values
        self.reads: list[str] = []

    def __getitem__(self, key: str) -> Any:
        self.reads.append(key)
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the variables mapping must not be iterated")

    def __len__(self) -> int:
        raise AssertionError("the variables mapping must not be sized")


def test_variables_are_read_lazily_and_never_iterated() -> None:
    big = LazyVariables({"x": 2, "huge": list(range(100_000)), "items": [{"p": 1}, {"p": 20}]})
    assert feel.compile("x * 2").evaluate(big) == 4
    assert big.reads == ["x"]
    assert feel.compile("sum(items[p > 10].p) + count(items)").evaluate(big) == 22
    assert "huge" not in big.reads


def test_a_list_variable_read_twice_is_converted_once() -> None:
    class Counting(list[Any]):
        iterations = 0

        def __iter__(self) -> Iterator[Any]:
            Counting.iterations += 1
            return super().__iter__()

    values = Counting([1, 2, 3])
    result = feel.compile("{a: count(v), b: sum(v)}").evaluate({"v": values})
    assert result == {"a": 3, "b": 6}
    assert Counting.iterations == 1


def test_missing_variable_is_null_with_warning() -> None:
    value, warnings = feel.compile("x + y").evaluate_with_warnings({"x": 1})
    assert value is None
    assert warnings == ("no variable found for name 'y'",)
    assert feel.compile("missing").evaluate() is None


def test_output_mapping() -> None:
    value = feel.evaluate('{i: 2.0, d: 2.5, l: [1, 1.5], s: "x", n: null, b: true}')
    assert value == {
        "i": 2,
        "d": Decimal("2.5"),
        "l": [1, Decimal("1.5")],
        "s": "x",
        "n": None,
        "b": True,
    }
    assert type(value["i"]) is int
    assert type(value["d"]) is Decimal
    raw = feel.compile("2.0").evaluate_raw()
    assert type(raw) is Decimal


def test_input_mapping() -> None:
    variables = {"f": 0.1, "i": 3, "t": (1, 2), "b": True, "n": float("nan")}
    assert feel.evaluate("f + 0.2", variables) == Decimal("0.3")
    assert feel.evaluate("i / 2", variables) == Decimal("1.5")
    assert feel.evaluate("count(t)", variables) == 2
    assert feel.evaluate("b = true", variables) is True
    assert feel.evaluate("n", variables) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.00"), 2),
        (Decimal("2.5"), 2.5),
        (Decimal("1E+3"), 1000),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (dt.timedelta(hours=1, minutes=30), "PT1H30M"),
        (feel.YearsMonthsDuration(49), "P4Y1M"),
        (dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC), "2024-01-01T10:00:00Z"),
        (dt.time(8, 0), "08:00:00"),
        ({"a": [Decimal(1), None, True]}, {"a": [1, None, True]}),
        (feel.Range(1, 2, True, True), None),
        (feel.BUILTINS["count"], None),
        ("s", "s"),
    ],
)
def test_to_json(value: Any, expected: Any) -> None:
    result = feel.to_json(value)
    assert result == expected
    assert type(result) is type(expected)


def test_to_json_text_keeps_exact_decimals() -> None:
    assert feel.to_json_text(feel.compile("[0.1 + 0.2, 1/3]").evaluate_raw()) == (
        "[0.3,0.3333333333333333333333333333333333]"
    )


def test_evaluation_does_not_touch_the_global_decimal_context() -> None:
    import decimal

    before = decimal.getcontext().prec
    assert feel.evaluate("1 / 3") == Decimal("0.3333333333333333333333333333333333")
    assert decimal.getcontext().prec == before


def test_feel_function_can_be_called_from_python() -> None:
    fn = feel.compile("function(a, b) a * b").evaluate_raw()
    assert isinstance(fn, feel.FeelFunction)
    assert fn(Decimal(3), Decimal(4)) == 12
    assert fn.parameters == ("a", "b")


def test_expression_knows_if_it_uses_the_input_value() -> None:
    assert feel.compile("? > 1").uses_input
    assert not feel.compile("x > 1").uses_input


def test_type_resolver_gives_meaning_to_item_definition_names() -> None:
    known = {"tPositive": lambda v: isinstance(v, Decimal) and v > 0}

    def resolve(name: str) -> Any:
        return known.get(name)

    assert feel.compile("5 instance of tPositive", types=resolve).evaluate() is True
    assert feel.compile("-5 instance of tPositive", types=resolve).evaluate() is False
    assert feel.compile("[1, 2] instance of list<tPositive>", types=resolve).evaluate() is True
    assert feel.compile("5 instance of tUnknown", types=resolve).evaluate() is False
    assert feel.compile("5 instance of tPositive").evaluate() is False
    typed = feel.compile("{f: function(x: tPositive) x, r: f(-1)}.r", types=resolve)
    assert typed.evaluate() is None
    tests = feel.compile_unary_tests("? instance of tPositive", types=resolve)
    assert tests.matches(3) is True
