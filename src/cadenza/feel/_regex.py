"""XPath/XML Schema regular expressions (as ``matches``, ``replace``, ``split`` use) -> ``re``.

The differences handled: flags ``s m i x q``; ``$`` only matches at the very end unless ``m``;
character class subtraction ``[a-z-[aeiou]]``; ``\\i``/``\\c`` name characters; replacement
strings with ``$1`` groups; ``\\p{..}`` categories and blocks become code point ranges.
Inputs are bounded so that a badly written pattern cannot run for long on a large input
(``re`` has no step limit).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._regex_props import property_ranges, ranges_class_body

__all__ = ["MAX_REGEX_INPUT", "compile_pattern", "translate_replacement"]

MAX_REGEX_INPUT = 100_000
"""Longest input string the regular expression functions accept."""

MAX_PATTERN = 2_000

_NAME_START = r"A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
_NAME_CHAR = _NAME_START + r"\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"
_CLASS_ESCAPES = {
    "i": _NAME_START,
    "c": _NAME_CHAR,
}
_SINGLE_ESCAPES = set("nrt\\|.?*+(){}-[]^$")
_MULTI_ESCAPES = set("sSdDwW")


def _fail(message: str) -> FeelEvaluationError:
    return FeelEvaluationError(f"invalid regular expression: {message}")


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    if i + 1 >= len(pattern):
        raise _fail("trailing backslash")
    c = pattern[i + 1]
    if c in _SINGLE_ESCAPES or c in _MULTI_ESCAPES:
        return "\\" + c, i + 2
    if c in _CLASS_ESCAPES:
        body = _CLASS_ESCAPES[c]
        return (body if in_class else f"[{body}]"), i + 2
    if c in "IC":
        body = _CLASS_ESCAPES[c.lower()]
        if in_class:
            raise _fail(f"\\{c} inside a character class")
        return f"[^{body}]", i + 2
    if c.isdigit() and c != "0" and not in_class:
        j = i + 1
        while j < len(pattern) and pattern[j].isdigit():
            j += 1
        return "\\" + pattern[i + 1 : j], j
    if c in "pP":
        return _property(pattern, i, c == "P", in_class)
    raise _fail(f"unknown escape \\{c}")


def _property(pattern: str, i: int, negated: bool, in_class: bool) -> tuple[str, int]:
    if pattern[i + 2 : i + 3] != "{":
        raise _fail(f"expected '{{' after \\{pattern[i + 1]}")
    end = pattern.find("}", i + 3)
    if end < 0:
        raise _fail("unterminated \\p{...}")
    name = pattern[i + 3 : end]
    ranges = property_ranges(name)
    if ranges is None:
        raise _fail(f"unknown category or block \\p{{{name}}}")
    body = ranges_class_body(ranges)
    if in_class:
        if negated:
            raise _fail("\\P{...} inside a character class")
        return body, end + 1
    if not body:
        return ("[\\s\\S]" if negated else "[^\\s\\S]"), end + 1
    return f"[{'^' if negated else ''}{body}]", end + 1


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the class starting at ``pattern[i] == '['``; returns (text, next index)."""
    j = i + 1
    negated = pattern[j : j + 1] == "^"
    if negated:
        j += 1
    parts: list[str] = []
    subtract: str | None = None
    first = True
    while True:
        if j >= len(pattern):
            raise _fail("unterminated character class")
        c = pattern[j]
        if c == "]" and not first:
            j += 1
            break
        if c == "-" and pattern[j + 1 : j + 2] == "[":
            subtract, j = _char_class(pattern, j + 1)
            if pattern[j : j + 1] != "]":
                raise _fail("character class subtraction must end the class")
            j += 1
            break
        if c == "\\":
            text, j = _escape(pattern, j, True)
            parts.append(text)
        elif c == "[":
            raise _fail("'[' must be escaped inside a character class")
        elif c == "-" and pattern[j + 1 : j + 2] == "-":
            parts.append("\\-")
            j += 1
        else:
            parts.append("\\" + c if c in "&~|^" else c)
            j += 1
        first = False
    body = "[" + ("^" if negated else "") + "".join(parts) + "]"
    if subtract is not None:
        return f"(?:(?!{subtract}){body})", j
    return body, j


def _translate(pattern: str, flags: str) -> tuple[str, int]:
    re_flags = 0
    for f in flags:
        if f == "s":
            re_flags |= re.DOTALL
        elif f == "m":
            re_flags |= re.MULTILINE
        elif f == "i":
            re_flags |= re.IGNORECASE
        elif f not in "xq":
            raise _fail(f"unknown flag {f!r}")
    if "q" in flags:
        return re.escape(pattern), re_flags
    if "x" in flags:
        pattern = _strip_whitespace(pattern)
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            text, i = _escape(pattern, i, False)
            out.append(text)
        elif c == "[":
            text, i = _char_class(pattern, i)
            out.append(text)
        elif c == "$":
            out.append("$" if re_flags & re.MULTILINE else r"\Z")
            i += 1
        elif c == "." and not re_flags & re.DOTALL:
            # XPath's `.` excludes both line terminators, Python's only `\n`.
            out.append("[^\n\r]")
            i += 1
        elif c == "(" and pattern[i + 1 : i + 2] == "?" and pattern[i + 2 : i + 3] != ":":
            raise _fail("only (?:...) groups are allowed")
        else:
            out.append(c)
            i += 1
    return "".join(out), re_flags


def _strip_whitespace(pattern: str) -> str:
    # With the x flag XPath drops whitespace everywhere outside character classes, even after
    # a backslash (`\ s` reads as `\s`).
    out: list[str] = []
    depth = 0
    previous = ""
    for c in pattern:
        if c == "[" and previous != "\\":
            depth += 1
        elif c == "]" and depth and previous != "\\":
            depth -= 1
        elif c in " \t\n\r" and not depth:
            continue
        out.append(c)
        previous = c
    return "".join(out)


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, flags: str = "") -> re.Pattern[str]:
    """Compile an XPath regular expression; raises FeelEvaluationError when invalid."""
    if len(pattern) > MAX_PATTERN:
        raise _fail(f"pattern longer than {MAX_PATTERN} characters")
    text, re_flags = _translate(pattern, flags)
    try:
        return re.compile(text, re_flags)
    except (re.error, RecursionError, OverflowError) as error:
        raise _fail(str(error)) from None


def check_input(text: str) -> str:
    """Bound the input of a regular expression function."""
    if len(text) > MAX_REGEX_INPUT:
        raise FeelEvaluationError(
            f"regular expression input longer than {MAX_REGEX_INPUT} characters"
        )
    return text


def translate_replacement(
    replacement: str, groups: int, literal: bool
) -> Callable[[re.Match[str]], str]:
    """An XPath replacement string (``$1``, ``\\$``, ``\\\\``) as a ``re.sub`` callable."""
    if literal:
        return lambda m: replacement
    pieces: list[str | int] = []
    i = 0
    n = len(replacement)
    buf: list[str] = []
    while i < n:
        c = replacement[i]
        if c == "\\":
            if i + 1 < n and replacement[i + 1] in "\\$":
                buf.append(replacement[i + 1])
                i += 2
                continue
            raise _fail("'\\' in a replacement must escape '\\' or '$'")
        if c == "$":
            j = i + 1
            if j >= n or not replacement[j].isdigit():
                raise _fail("'$' in a replacement must be followed by a group number")
            number = int(replacement[j])
            j += 1
            while (
                j < n and replacement[j].isdigit() and number * 10 + int(replacement[j]) <= groups
            ):
                number = number * 10 + int(replacement[j])
                j += 1
            if buf:
                pieces.append("".join(buf))
                buf = []
            pieces.append(number)
            i = j
            continue
        buf.append(c)
        i += 1
    if buf:
        pieces.append("".join(buf))

    def expand(m: re.Match[str]) -> str:
        out: list[str] = []
        for p in pieces:
            if isinstance(p, int):
                out.append((m.group(p) or "") if p <= groups else "")
            else:
                out.append(p)
        return "".join(out)

    return expand
