"""Ranges as values: unary comparisons (`< 10`, `= 10`, `!= 10`) and intervals with null ends."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cadenza import feel


def _value(source: str) -> Any:
    return feel.compile(source).evaluate({})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(=10) = [10..10]", False),
        ("(=10) = (=10)", True),
        ("(= 10) = (=11)", False),
        ("(!=10) = (!=10)", True),
        ("(!=10) = (=10)", False),
        ("(< 10) = (null..10)", False),
        ("(<= 10) = (null..10]", False),
        ("(> 10) = (10..null)", False),
        ("(>= 10) = [10..null)", False),
        ("(< 10) = (< 10)", True),
        ("[1..null] = [1..null]", True),
        ("(=10).start included", True),
        ("(=10).end included", True),
        ("(=10).start", 10),
        ("(=10).end", 10),
        ("(<10).start", None),
        ("(<10).end included", False),
        ("(>=5).start included", True),
        ("[1..null].end", None),
    ],
)
def test_range_values_keep_how_they_were_written(source: str, expected: Any) -> None:
    assert _value(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("10 in (=10)", True),
        ("11 in (=10)", False),
        ("11 in (!=10)", True),
        ("10 in (!=10)", False),
        ('"a" in (!=10)', None),
        ("5 in (null..10]", None),
        ("5 in [1..null]", None),
        ("5 in (<10)", True),
        ("15 in (>=10)", True),
        ("-0.7 in [-1..-0.5[", True),
        ("-0.5 in [-1..-0.5[", False),
        ("-1 in ]-1..-0.5]", False),
        ("-2 in [-3..-1]", True),
    ],
)
def test_membership_follows_the_range_kind(source: str, expected: bool | None) -> None:
    assert _value(source) is expected


def test_a_negative_end_before_an_open_bracket_closes_the_range() -> None:
    value = _value("[-1..-0.5[")
    assert value == feel.Range(Decimal(-1), Decimal("-0.5"), True, False)
    assert value.kind is feel.RangeKind.INTERVAL


def test_comparison_ranges_are_built_with_their_kind() -> None:
    assert _value("<= 3") == feel.Range.comparison(feel.RangeKind.LESS_OR_EQUAL, Decimal(3))
    assert _value("(!= 3)") == feel.Range(
        Decimal(3), Decimal(3), False, False, feel.RangeKind.NOT_EQUAL
    )
    assert str(_value("(= 3)")) == "= 3"
    assert str(_value("< 3")) == "< 3"
    assert str(_value("[1..null)")) == "[1..null)"


@pytest.mark.parametrize(
    "source",
    ["before(1, (null..10])", "overlaps([1..null], [2..3])", "includes((!=5), 5)"],
)
def test_interval_functions_reject_ranges_without_a_position(source: str) -> None:
    value, warnings = feel.compile(source).evaluate_with_warnings({})
    assert value is None
    assert warnings


def test_interval_functions_accept_an_equality_range_as_a_point_interval() -> None:
    assert _value("includes([1..10], (=5))") is True
    assert _value("before((< 5), 7)") is True


def test_a_unary_equality_is_only_a_value_in_parentheses() -> None:
    with pytest.raises(feel.FeelSyntaxError):
        feel.compile("= 10")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("5 in (< y)", None),
        ("5 in (>= y)", None),
        ("5 in (= y)", False),
        ("before(1, (> y))", None),
    ],
)
def test_a_null_operand_bounds_a_comparison_range_with_null(
    source: str, expected: bool | None
) -> None:
    # Only the open side of `< y` is unbounded; comparing with a null y is null, not true.
    assert feel.compile(source).evaluate({"y": None}) is expected
