"""String built-ins: substring, case, search, regular expressions, join/split, string()."""

from __future__ import annotations

import base64
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from cadenza.feel._builtins import as_int, as_list, as_number, as_string, builtin
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._regex import check_input, compile_pattern, translate_replacement
from cadenza.feel._runtime import MAX_STRING_LENGTH, check_string
from cadenza.feel._text import feel_string
from cadenza.feel._types import DECIMAL_CONTEXT

__all__: list[str] = []


@builtin("string", "from")
def _string(value: Any) -> Any:
    return None if value is None else check_string(feel_string(value))


@builtin("substring", "string, start position, length", required=2)
def _substring(string: Any, start: Any, length: Any = None) -> str:
    text = as_string(string)
    begin = as_int(as_number(start).to_integral_value(rounding="ROUND_HALF_EVEN"))
    if begin == 0:
        raise FeelEvaluationError("substring start position must not be 0")
    index = begin - 1 if begin > 0 else max(0, len(text) + begin)
    if length is None:
        return text[index:]
    count = as_number(length)
    if count < 0:
        raise FeelEvaluationError("substring length must not be negative")
    return text[index : index + int(count)]


@builtin("string length", "string")
def _string_length(string: Any) -> Decimal:
    return Decimal(len(as_string(string)))


@builtin("upper case", "string")
def _upper_case(string: Any) -> str:
    return as_string(string).upper()


@builtin("lower case", "string")
def _lower_case(string: Any) -> str:
    return as_string(string).lower()


@builtin("substring before", "string, match")
def _substring_before(string: Any, match: Any) -> str:
    text, needle = as_string(string), as_string(match)
    index = text.find(needle)
    return "" if index < 0 else text[:index]


@builtin("substring after", "string, match")
def _substring_after(string: Any, match: Any) -> str:
    text, needle = as_string(string), as_string(match)
    index = text.find(needle)
    return "" if index < 0 else text[index + len(needle) :]


@builtin("contains", "string, match")
def _contains(string: Any, match: Any) -> bool:
    return as_string(match) in as_string(string)


@builtin("starts with", "string, match")
def _starts_with(string: Any, match: Any) -> bool:
    return as_string(string).startswith(as_string(match))


@builtin("ends with", "string, match")
def _ends_with(string: Any, match: Any) -> bool:
    return as_string(string).endswith(as_string(match))


def _flags(flags: Any) -> str:
    return "" if flags is None else as_string(flags)


@builtin("matches", "input, pattern, flags", required=2)
def _matches(input: Any, pattern: Any, flags: Any = None) -> bool:
    text = check_input(as_string(input))
    compiled = compile_pattern(as_string(pattern), _flags(flags))
    return compiled.search(text) is not None


@builtin("replace", "input, pattern, replacement, flags", required=3)
def _replace(input: Any, pattern: Any, replacement: Any, flags: Any = None) -> str:
    text = check_input(as_string(input))
    flag_text = _flags(flags)
    compiled = compile_pattern(as_string(pattern), flag_text)
    if compiled.fullmatch("") is not None:
        raise FeelEvaluationError("the pattern of replace() must not match an empty string")
    expand = translate_replacement(as_string(replacement), compiled.groups, "q" in flag_text)
    # Built piece by piece so that a large replacement repeated many times stops at the bound
    # instead of exhausting memory first.
    pieces: list[str] = []
    size = 0
    last = 0
    for m in compiled.finditer(text):
        piece = expand(m)
        size += m.start() - last + len(piece)
        if size > MAX_STRING_LENGTH:
            raise FeelEvaluationError(f"string longer than {MAX_STRING_LENGTH} characters")
        pieces.append(text[last : m.start()])
        pieces.append(piece)
        last = m.end()
    pieces.append(text[last:])
    return check_string("".join(pieces))


@builtin("split", "string, delimiter")
def _split(string: Any, delimiter: Any) -> list[str]:
    text = check_input(as_string(string))
    compiled = compile_pattern(as_string(delimiter))
    if compiled.fullmatch("") is not None:
        raise FeelEvaluationError("the delimiter of split() must not match an empty string")
    parts: list[str] = []
    last = 0
    for m in compiled.finditer(text):
        parts.append(text[last : m.start()])
        last = m.end()
    parts.append(text[last:])
    return parts


# Camunda's prefix/suffix form takes both: three arguments are an error (DMN TCK 1140).
@builtin("string join", "list", "list, delimiter", "list, delimiter, prefix, suffix")
def _string_join(items: Any, delimiter: Any = None, prefix: Any = None, suffix: Any = None) -> str:
    # The prefix/suffix form is Camunda's: string join(["a","b"], ", ", "[", "]") = "[a, b]".
    parts = [as_string(i) for i in as_list(items) if i is not None]
    sep = "" if delimiter is None else as_string(delimiter)
    head = "" if prefix is None else as_string(prefix)
    tail = "" if suffix is None else as_string(suffix)
    if sum(len(p) for p in parts) + len(sep) * len(parts) + len(head) + len(tail) > 10_000_000:
        raise FeelEvaluationError("joined string too long")
    return check_string(head + sep.join(parts) + tail)


@builtin("to base64", "value")
def _to_base64(value: Any) -> str:
    # Camunda's extension: the Base64 text of the string's UTF-8 bytes.
    return check_string(base64.b64encode(as_string(value).encode("utf-8")).decode("ascii"))


@builtin("trim", "string")
def _trim(string: Any) -> str:
    return as_string(string).strip()


@builtin("is blank", "string")
def _is_blank(string: Any) -> bool:
    return as_string(string).strip() == ""


@builtin("extract", "string, pattern")
def _extract(string: Any, pattern: Any) -> list[str]:
    text = check_input(as_string(string))
    compiled = compile_pattern(as_string(pattern))
    return [m.group(0) for m in compiled.finditer(text)]


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@builtin("number", "from, grouping separator, decimal separator", required=1)
def _number(value: Any, grouping: Any = None, decimal_sep: Any = None) -> Any:
    text = as_string(value)
    if grouping is not None:
        group = as_string(grouping)
        if group not in (" ", ",", "."):
            raise FeelEvaluationError("grouping separator must be ' ', ',' or '.'")
        text = text.replace(group, "")
    if decimal_sep is not None:
        sep = as_string(decimal_sep)
        if sep not in (",", ".") or sep == grouping:
            raise FeelEvaluationError(
                "decimal separator must be ',' or '.' and differ from grouping"
            )
        text = text.replace(sep, ".")
    if _NUMBER.fullmatch(text) is None:
        raise FeelEvaluationError(f"can't convert {text[:40]!r} to a number")
    try:
        return DECIMAL_CONTEXT.plus(Decimal(text))
    except InvalidOperation:
        raise FeelEvaluationError(f"can't convert {text[:40]!r} to a number") from None
