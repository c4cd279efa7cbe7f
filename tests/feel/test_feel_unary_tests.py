"""DMN unary tests: input entries of decision tables and allowed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cadenza import feel


@pytest.mark.parametrize(
    ("tests", "value", "expected"),
    [
        ("-", 5, True),
        ("-", None, True),
        ("", 5, True),
        ("  ", None, True),
        ("5", 5, True),
        ("5", 6, False),
        ("5", Decimal("5.0"), True),
        ('"DE"', "DE", True),
        ('"DE", "AT"', "AT", True),
        ('"DE", "AT"', "FR", False),
        ("< 10", 9, True),
        ("< 10", 10, False),
        ("<= 10", 10, True),
        ("> 10", 10.5, True),
        (">= 10", 9, False),
        ("[1..10]", 10, True),
        ("[1..10)", 10, False),
        ("(1..10]", 1, False),
        ("]1..10]", 2, True),
        ("< 10, [20..30], not(5)", 25, True),
        ("not(5)", 5, False),
        ("not(5)", 6, True),
        ("not(< 5, > 10)", 7, True),
        ("not(< 5, > 10)", 3, False),
        ("? > 5", 6, True),
        ("? > 5 and ? < 10", 12, False),
        ('starts with(?, "ab")', "abc", True),
        ("null", None, True),
        ("null", 1, False),
        ("true", True, True),
        ("false", True, False),
        ("[1, 2, 3]", 2, True),
        ("[1, 2, 3]", 4, False),
        ("< 10", "a", False),
        ('date("2024-01-01")', dt.date(2024, 1, 1), True),
        ('>= @"2024-01-01"', dt.date(2024, 6, 1), True),
        ("= 5", 5, True),
        ("!= 5", 5, False),
        ("count(?) > 1", [1, 2], True),
        ("x", 7, True),
        ("< x", 6, True),
        ("x > 5", 1, True),
    ],
)
def test_unary_tests(tests: str, value: Any, expected: bool) -> None:
    assert feel.compile_unary_tests(tests).matches(value, {"x": 7}) is expected


def test_unary_tests_with_multi_word_variable() -> None:
    ut = feel.compile_unary_tests("< Credit Limit", ["Credit Limit"])
    assert ut.matches(500, {"Credit Limit": 1000}) is True
    assert ut.matches(1500, {"Credit Limit": 1000}) is False


def test_unary_tests_are_cached_and_report_warnings() -> None:
    assert feel.compile_unary_tests("< y") is feel.compile_unary_tests("< y")
    matched, warnings = feel.compile_unary_tests("< y").matches_with_warnings(1, {})
    assert matched is False
    assert warnings == ("no variable found for name 'y'",)


@pytest.mark.parametrize("bad", ["< ", "[1..", "1,", "not(1", "- 1 -"])
def test_bad_unary_tests_raise_syntax_errors(bad: str) -> None:
    with pytest.raises(feel.FeelSyntaxError):
        feel.compile_unary_tests(bad)
