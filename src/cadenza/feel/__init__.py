"""FEEL (DMN 1.5 chapter 10): parse, compile to closures, evaluate; pure and deterministic.

>>> from cadenza import feel
>>> feel.compile('amount > 1000 and country = "DE"').evaluate({"amount": 1500, "country": "DE"})
True
"""

from cadenza.feel._api import (
    CACHE_SIZE,
    Expression,
    TypeResolver,
    UnaryTests,
    compile,
    compile_unary_tests,
    evaluate,
    to_json,
)
from cadenza.feel._builtins import BUILTINS
from cadenza.feel._errors import (
    FeelAssertionError,
    FeelError,
    FeelEvaluationError,
    FeelSyntaxError,
)
from cadenza.feel._lib_context import json_text as to_json_text
from cadenza.feel._temporal import (
    parse_date,
    parse_duration,
    parse_temporal,
    parse_time,
)
from cadenza.feel._temporal import parse_datetime as parse_date_and_time
from cadenza.feel._text import feel_string
from cadenza.feel._types import (
    DECIMAL_CONTEXT,
    FeelFunction,
    Range,
    RangeKind,
    YearsMonthsDuration,
)
from cadenza.feel._values import from_feel, to_feel

__all__ = [
    "BUILTINS",
    "CACHE_SIZE",
    "DECIMAL_CONTEXT",
    "Expression",
    "FeelAssertionError",
    "FeelError",
    "FeelEvaluationError",
    "FeelFunction",
    "FeelSyntaxError",
    "Range",
    "RangeKind",
    "TypeResolver",
    "UnaryTests",
    "YearsMonthsDuration",
    "compile",
    "compile_unary_tests",
    "evaluate",
    "feel_string",
    "from_feel",
    "parse_date",
    "parse_date_and_time",
    "parse_duration",
    "parse_temporal",
    "parse_time",
    "to_feel",
    "to_json",
    "to_json_text",
]
