"""Range values and Allen's interval relations of DMN 1.5 (10.3.4.x), with the spec's examples."""

from __future__ import annotations

from typing import Any

import pytest

from cadenza import feel


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("before(1, 10)", True),
        ("before(10, 1)", False),
        ("before(1, [2..5])", True),
        ("before(1, (1..5])", True),
        ("before(1, [1..5])", False),
        ("before([1..5], 10)", True),
        ("before([1..5), 5)", True),
        ("before([1..5], [6..8])", True),
        ("before([1..5), [5..8])", True),
        ("before([1..5], [5..8])", False),
        ("after(10, 1)", True),
        ("after(12, [2..5])", True),
        ("after(5, [2..5))", True),
        ("after([5..10], 4)", True),
        ("after((5..10], 5)", True),
        ("after([6..8], [1..5])", True),
        ("after([5..8], [1..5))", True),
        ("meets([1..5], [5..10])", True),
        ("meets([1..5), [5..10])", False),
        ("met by([5..10], [1..5])", True),
        ("met by([5..10], [1..5))", False),
        ("overlaps([1..5], [3..8])", True),
        ("overlaps([3..8], [1..5])", True),
        ("overlaps([1..5], [6..8])", False),
        ("overlaps([1..5], [5..8])", True),
        ("overlaps([1..5), [5..8])", False),
        ("overlaps before([1..5], [3..8])", True),
        ("overlaps before([1..5], [6..8])", False),
        ("overlaps before([1..5], (1..5])", True),
        ("overlaps after([3..8], [1..5])", True),
        ("overlaps after([6..8], [1..5])", False),
        ("finishes(10, [1..10])", True),
        ("finishes(10, [1..10))", False),
        ("finishes([5..10], [1..10])", True),
        ("finishes([5..10), [1..10])", False),
        ("finished by([1..10], 10)", True),
        ("finished by([1..10], [5..10])", True),
        ("finished by([1..10], [5..10))", False),
        ("includes([1..10], 5)", True),
        ("includes([1..10), 10)", False),
        ("includes([1..10], [4..6])", True),
        ("includes([1..10], [1..10])", True),
        ("includes((1..10], [1..10])", False),
        ("during(5, [1..10])", True),
        ("during([4..6], [1..10])", True),
        ("during([1..10], (1..10])", False),
        ("starts(1, [1..10])", True),
        ("starts(1, (1..10])", False),
        ("starts([1..5], [1..10])", True),
        ("starts((1..5], [1..10])", False),
        ("started by([1..10], 1)", True),
        ("started by([1..10], [1..5])", True),
        ("coincides(5, 5)", True),
        ("coincides([1..5], [1..5])", True),
        ("coincides([1..5], (1..5])", False),
        ("before(point: 1, range: [2..5])", True),
        ("before(range1: [1..2], range2: [3..4])", True),
        ("includes(< 10, 5)", True),
        ("includes(> 10, 5)", False),
        ("before(< 10, 11)", True),
        ('before(1, "a")', None),
        ("before(null, 1)", None),
    ],
)
def test_range_relations(source: str, expected: Any) -> None:
    assert feel.evaluate(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('range("[1..3]") = [1..3]', True),
        ('2 in range("[1..3]")', True),
        ('range("(1..3)") = (1..3)', True),
        ('range("]18..21[") = ]18..21[', True),
        ('range("<= 10")', None),
        ('range("[3..1]")', None),
        ('range("[null..null]")', None),
        ('range("[@\\"2024-01-01\\"..@\\"2024-12-31\\"]") instance of range<date>', True),
        ('range("[date(\\"2024-01-01\\")..date(\\"2024-12-31\\")]") instance of range<date>', True),
        ('range("[x..3]")', None),
        ('range("1")', None),
        ('range("[1..")', None),
    ],
)
def test_range_function(source: str, expected: Any) -> None:
    assert feel.evaluate(source) is expected


def test_range_values_come_back_as_range_objects() -> None:
    value = feel.evaluate("[1..10)")
    assert value == feel.Range(1, 10, True, False) or (
        isinstance(value, feel.Range) and value.start == 1 and value.end == 10
    )
    assert str(feel.compile("(1..10]").evaluate_raw()) == "(1..10]"
    assert str(feel.compile("< 5").evaluate_raw()) == "< 5"
    assert feel.to_json(value) is None
    assert feel.evaluate('[1.."a"]') is None
