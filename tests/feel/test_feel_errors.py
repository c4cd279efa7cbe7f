"""Syntax errors name the position and what was expected; hostile input stays bounded."""

from __future__ import annotations

import pytest

from cadenza import feel


@pytest.mark.parametrize(
    ("source", "position", "expected"),
    [
        ("1 +", 3, "an expression"),
        ("(1 + 2", 6, "')'"),
        ("[1, 2", 5, "',' or ']'"),
        ("{a: 1", 5, "','"),
        ("{a 1}", 4, "':'"),
        ("if x then 1", 11, "'else'"),
        ("for i in [1] 2", 13, "',' or 'return'"),
        ('"abc', 0, "a closing"),
        ("1 + #", 4, "an expression"),
        ("a b c d )", 8, "an operator or end of expression"),
        ("f(a: 1, 2)", 8, "a named argument"),
        ('@"not a date"', 0, "a date, time or duration"),
        ("{a: 1, a: 2}", 7, "distinct keys"),
        ("x instance of", 13, "a type name"),
        ("/* open", 0, "'*/'"),
    ],
)
def test_syntax_error_position(source: str, position: int, expected: str) -> None:
    with pytest.raises(feel.FeelSyntaxError) as info:
        feel.compile(source)
    error = info.value
    assert error.position == position
    assert expected in error.expected
    assert f"offset {position}" in str(error)
    assert expected in str(error)


def test_syntax_error_line_and_column() -> None:
    with pytest.raises(feel.FeelSyntaxError) as info:
        feel.compile("{\n  a: 1,\n  b: * 2\n}")
    error = info.value
    assert (error.line, error.column) == (3, 6)
    assert error.caret() == "  b: * 2\n     ^"


def test_syntax_errors_are_feel_errors() -> None:
    assert issubclass(feel.FeelSyntaxError, feel.FeelError)


def test_deep_nesting_is_rejected_at_parse_time() -> None:
    with pytest.raises(feel.FeelSyntaxError, match="nested too deeply"):
        feel.compile("(" * 500 + "1" + ")" * 500)
    with pytest.raises(feel.FeelSyntaxError, match="nested too deeply"):
        feel.compile("[" * 500 + "]" * 500)
    with pytest.raises(feel.FeelSyntaxError, match="nested too deeply"):
        feel.compile("-" * 5000 + "1")


def test_long_operator_chains_are_rejected_not_crashing() -> None:
    with pytest.raises(feel.FeelSyntaxError, match="nested too deeply"):
        feel.compile(" + ".join(["1"] * 5000))
    assert feel.evaluate(" + ".join(["1"] * 50)) == 50


def test_unbounded_recursion_yields_null() -> None:
    value, warnings = feel.compile("{f: function(n) f(n + 1), r: f(0)}.r").evaluate_with_warnings()
    assert value is None
    assert any("nested deeper" in w or "too deeply" in w for w in warnings)


def test_huge_iteration_is_cut_off() -> None:
    value, warnings = feel.compile("count(for i in 1..100000000 return i)").evaluate_with_warnings()
    assert value is None
    assert any("iteration steps" in w for w in warnings)


def test_nested_iteration_is_cut_off() -> None:
    expr = "for i in 1..100000, j in 1..100000 return 1"
    value, warnings = feel.compile(expr).evaluate_with_warnings()
    assert value is None
    assert warnings


def test_string_growth_is_bounded() -> None:
    expr = 'for i in 1..30 return {s: string join(for j in 1..1000 return "xxxxxxxxxxxxxxxxxx")}'
    assert feel.compile(expr).evaluate() is not None
    blow = '{a: "' + "x" * 1000 + '", b: string join(for i in 1..20000 return a)}.b'
    value, warnings = feel.compile(blow).evaluate_with_warnings()
    assert value is None
    assert any("too long" in w or "longer than" in w for w in warnings)


def test_regex_input_is_bounded() -> None:
    value = feel.evaluate('matches(x, "(a+)+b")', {"x": "a" * 200_000})
    assert value is None


def test_huge_exponent_is_null() -> None:
    assert feel.evaluate("2 ** 999999999999") is None
    assert feel.evaluate("10 ** 7000") is None


def test_no_python_escape_hatches() -> None:
    for source in ['__import__("os")', 'open("/etc/passwd")', "x.__class__", 'eval("1")']:
        try:
            value = feel.evaluate(source, {"x": 1})
        except feel.FeelSyntaxError:
            continue
        assert value is None


def test_large_values_built_in_a_loop_exhaust_the_budget() -> None:
    big = "x" * 5_000_000
    value, warnings = feel.compile("for i in 1..1000 return s + s").evaluate_with_warnings(
        {"s": big}
    )
    assert value is None
    assert any("iteration steps" in w for w in warnings)
    items = list(range(100_000))
    value, warnings = feel.compile(
        "for i in 1..1000 return concatenate(l, l)"
    ).evaluate_with_warnings({"l": items})
    assert value is None
    assert any("iteration steps" in w for w in warnings)
    # One large value is fine.
    assert feel.compile("string length(s + s)").evaluate({"s": big}) == 10_000_000
