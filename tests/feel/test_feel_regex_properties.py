"""XML Schema `\\p{..}` / `\\P{..}` escapes in the regular expression built-ins."""

from __future__ import annotations

from typing import Any

import pytest

from cadenza import feel


def _run(source: str) -> tuple[Any, tuple[str, ...]]:
    return feel.compile(source).evaluate_with_warnings({})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r'matches("hello world", "\p{ IsBasicLatin}+", "x")', True),
        (r'matches("hello world", "\p{ I s B a s i c L a t i n }+", "x")', True),
        (r'matches("hello world", "^\p{IsBasicLatin}+$")', True),
        (r'matches("héllo", "^\p{IsBasicLatin}+$")', False),
        (r'matches("héllo", "^[\p{IsBasicLatin}\p{IsLatin-1Supplement}]+$")', True),
        (r'matches("αβγ", "^\p{IsGreek}+$")', True),
        (r'matches("Abc", "^\p{Lu}\p{Ll}+$")', True),
        (r'matches("abc", "^\p{Lu}")', False),
        (r'matches("Ωmega", "^\p{L}+$")', True),
        (r'matches("a1", "^\p{L}\p{Nd}$")', True),
        (r'matches("1", "^\P{L}$")', True),
        (r'matches("a", "^\P{L}$")', False),
        (r'matches("-", "^\p{Pd}$")', True),
        (r'matches("x", "^[\p{Nd}x]$")', True),
        (r'replace("a1b22", "\p{Nd}+", "#")', "a#b#"),
        (r'split("a1b2c", "\p{N}")', ["a", "b", "c"]),
    ],
)
def test_categories_and_blocks_match_as_xml_schema_defines_them(source: str, expected: Any) -> None:
    value, warnings = _run(source)
    assert value == expected
    assert warnings == ()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (r'matches("a", "\p{Foo}")', "unknown category or block"),
        (r'matches("a", "\p{IsNoSuchBlock}")', "unknown category or block"),
        (r'matches("a", "\pL")', "expected '{'"),
        (r'matches("a", "\p{L")', "unterminated"),
        (r'matches("a", "[\P{L}]")', "inside a character class"),
    ],
)
def test_malformed_property_escapes_are_null_with_a_reason(source: str, message: str) -> None:
    value, warnings = _run(source)
    assert value is None
    assert any(message in w for w in warnings), warnings
