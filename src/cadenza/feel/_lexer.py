"""Tokens of FEEL source text: words (name parts and keywords), numbers, strings, operators."""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

from cadenza.feel._errors import FeelSyntaxError

__all__ = ["MAX_SOURCE_LENGTH", "Token", "TokenKind", "tokenize"]

MAX_SOURCE_LENGTH = 1_000_000


class TokenKind(enum.Enum):
    """What a token is."""

    WORD = 1
    NUMBER = 2
    STRING = 3
    AT_STRING = 4
    OPERATOR = 5
    QUOTED_NAME = 6
    END = 7


class Token(NamedTuple):
    """One token: its kind, source text (decoded for strings), and [start, end) offsets."""

    kind: TokenKind
    text: str
    start: int
    end: int


_START = (
    "A-Za-z_?\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PART = _START + "0-9\u00b7\u0300-\u036f\u203f-\u2040"

_TOKEN = re.compile(
    rf"""
    (?P<space>(?:\s+|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)+)
    |(?P<word>[{_START}][{_PART}]*)
    |(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    |(?P<dotnumber>\.\d+(?:[eE][+-]?\d+)?)
    |(?P<at>@"(?:[^"\\]|\\.)*")
    |(?P<string>"(?:[^"\\]|\\.)*")
    |(?P<quoted>`[^`]*`)
    |(?P<op>\*\*|\.\.|!=|<=|>=|->|[-+*/=<>()\[\]{{}},:.'])
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "'": "'", "b": "\b", "f": "\f"}
_VALUE_END = {")", "]", "}"}


def _read_string(source: str, start: int) -> tuple[str, int]:
    """Decode the string literal whose opening quote is at ``start``; return (text, end offset)."""
    chars: list[str] = []
    i = start + 1
    n = len(source)
    while i < n:
        c = source[i]
        if c == '"':
            return "".join(chars), i + 1
        if c == "\\":
            if i + 1 >= n:
                break
            e = source[i + 1]
            if e in _ESCAPES:
                chars.append(_ESCAPES[e])
                i += 2
                continue
            if e in "uU":
                width = 4 if e == "u" else 6
                digits = source[i + 2 : i + 2 + width]
                if len(digits) != width or not all(d in "0123456789abcdefABCDEF" for d in digits):
                    raise FeelSyntaxError(
                        "invalid unicode escape", source, i, f"{width} hexadecimal digits"
                    )
                code = int(digits, 16)
                i += 2 + width
                # A UTF-16 surrogate pair written as two \u escapes is one character.
                if 0xD800 <= code <= 0xDBFF and source[i : i + 2] == "\\u":
                    low_digits = source[i + 2 : i + 6]
                    if len(low_digits) == 4 and all(
                        d in "0123456789abcdefABCDEF" for d in low_digits
                    ):
                        low = int(low_digits, 16)
                        if 0xDC00 <= low <= 0xDFFF:
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                if code > 0x10FFFF:
                    raise FeelSyntaxError("invalid unicode escape", source, i, "a code point")
                chars.append(chr(code))
                continue
            # Other escapes stay as written: regular expressions in strings use `\d`, `\s`.
            chars.append("\\")
            i += 1
            continue
        chars.append(c)
        i += 1
    raise FeelSyntaxError("unterminated string literal", source, start, "a closing '\"'")


def _decode(source: str, start: int, end: int) -> str:
    """The text of the string literal spanning source[start:end] (quotes included)."""
    body = source[start + 1 : end - 1]
    if "\\" not in body:
        return body
    return _read_string(source, start)[0]


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens, ending with an END token; raises FeelSyntaxError."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise FeelSyntaxError(
            "expression too long", source, MAX_SOURCE_LENGTH, f"at most {MAX_SOURCE_LENGTH} chars"
        )
    tokens: list[Token] = []
    append = tokens.append
    word = TokenKind.WORD
    operator = TokenKind.OPERATOR
    for m in _TOKEN.finditer(source):
        kind = m.lastgroup
        if kind == "space":
            continue
        start, end = m.span()
        if kind == "word":
            append(Token(word, m.group(), start, end))
        elif kind == "op":
            text = m.group()
            if text == "/" and source.startswith("/*", start):
                raise FeelSyntaxError("unterminated comment", source, start, "'*/'")
            append(Token(operator, text, start, end))
        elif kind == "number":
            append(Token(TokenKind.NUMBER, m.group(), start, end))
        elif kind == "string":
            append(Token(TokenKind.STRING, _decode(source, start, end), start, end))
        elif kind == "at":
            append(Token(TokenKind.AT_STRING, _decode(source, start + 1, end), start, end))
        elif kind == "dotnumber":
            prev = tokens[-1] if tokens else None
            if prev is not None and (
                prev.kind in (word, TokenKind.QUOTED_NAME)
                or (prev.kind is operator and prev.text in _VALUE_END)
            ):
                raise FeelSyntaxError("a path needs a name after '.'", source, start + 1, "a name")
            append(Token(TokenKind.NUMBER, "0" + m.group(), start, end))
        elif kind == "quoted":
            append(Token(TokenKind.QUOTED_NAME, m.group()[1:-1], start, end))
        else:
            if m.group() == '"':
                raise FeelSyntaxError(
                    "unterminated string literal", source, start, "a closing '\"'"
                )
            raise FeelSyntaxError(
                f"unexpected character {m.group()!r}", source, start, "an expression"
            )
    n = len(source)
    tokens.append(Token(TokenKind.END, "", n, n))
    return tokens
