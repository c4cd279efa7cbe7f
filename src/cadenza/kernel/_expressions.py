"""Evaluating model expressions in a scope, with typed results and Zeebe-like failure messages.

Expected failures (a null where a string was needed, a FEEL error) are ``Failure`` values that
the caller turns into an incident; they are never exceptions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cadenza import feel
from cadenza.kernel._state import State
from cadenza.kernel._variables import ScopeView
from cadenza.model import Expression


@dataclass(frozen=True, slots=True)
class Failure:
    """An expression that could not give a usable value: the incident's message."""

    message: str


def _type_name(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int | float | Decimal):
        return "NUMBER"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, list):
        return "ARRAY"
    if isinstance(value, dict):
        return "OBJECT"
    return type(value).__name__.upper()


def _with_warnings(message: str, warnings: tuple[str, ...]) -> str:
    if not warnings:
        return message
    listed = "\n".join(f"[{w}]" if not w.startswith("[") else w for w in warnings)
    return f"{message} The evaluation reported the following warnings:\n{listed}"


def now_of(ms: int) -> datetime:
    """The FEEL ``now()`` of a command timestamp."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


class Evaluator:
    """Evaluates expressions against a state at one point in time."""

    __slots__ = ("now", "state")

    def __init__(self, state: State, now_ms: int) -> None:
        self.state = state
        self.now = now_of(now_ms)

    def raw(
        self, expression: Expression, scope_key: int, overlay: Mapping[str, Any] | None = None
    ) -> tuple[Any, tuple[str, ...]] | Failure:
        """The FEEL value (or the static string) and the evaluation's warnings."""
        if expression.feel is None:
            return expression.source, ()
        try:
            compiled = feel.compile(expression.feel)
        except feel.FeelSyntaxError as error:
            return Failure(f"failed to parse expression '{expression.feel}': {error}")
        view = ScopeView(self.state, scope_key, overlay)
        try:
            value, warnings = compiled.evaluate_with_warnings(view, now=self.now)
        except feel.FeelAssertionError as error:
            # a failed ``assert(...)`` fails the evaluation (Camunda raises an incident for it)
            return Failure(
                f"Assertion failure on evaluate the expression '{expression.feel}': {error}"
            )
        return value, tuple(warnings)

    def value(
        self, expression: Expression, scope_key: int, overlay: Mapping[str, Any] | None = None
    ) -> Any | Failure:
        """The value as a JSON-like variable value (any type, null allowed)."""
        result = self.raw(expression, scope_key, overlay)
        if isinstance(result, Failure):
            return result
        return feel.to_json(result[0])

    def _typed(
        self,
        expression: Expression,
        scope_key: int,
        expected: str,
        accept: tuple[type, ...],
        overlay: Mapping[str, Any] | None = None,
    ) -> Any | Failure:
        result = self.raw(expression, scope_key, overlay)
        if isinstance(result, Failure):
            return result
        value, warnings = result
        if isinstance(value, accept) and not (isinstance(value, bool) and bool not in accept):
            return value
        shown = expression.feel if expression.feel is not None else expression.source
        return Failure(
            _with_warnings(
                f"Expected result of the expression '{shown}' to be '{expected}', "
                f"but was '{_type_name(value)}'.",
                warnings,
            )
        )

    def string(self, expression: Expression, scope_key: int) -> str | Failure:
        """A string result (task types, message names, process ids)."""
        result: str | Failure = self._typed(expression, scope_key, "STRING", (str,))
        return result

    def boolean(
        self, expression: Expression, scope_key: int, overlay: Mapping[str, Any] | None = None
    ) -> bool | Failure:
        """A boolean result (conditions)."""
        result: bool | Failure = self._typed(expression, scope_key, "BOOLEAN", (bool,), overlay)
        return result

    def integer(self, expression: Expression, scope_key: int) -> int | Failure:
        """A whole number (retries), from FEEL or a static string."""
        if expression.feel is None:
            try:
                return int(expression.source.strip())
            except ValueError:
                return Failure(f"Expected a number but found '{expression.source}'.")
        result = self._typed(expression, scope_key, "NUMBER", (int, Decimal, float))
        if isinstance(result, Failure):
            return result
        return int(result)

    def correlation_key(self, expression: Expression, scope_key: int) -> str | Failure:
        """A correlation key: a string, or a number turned into its string form."""
        result = self.raw(expression, scope_key)
        if isinstance(result, Failure):
            return result
        value, warnings = result
        if isinstance(value, str):
            return value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(feel.to_json(value))
        shown = expression.feel if expression.feel is not None else expression.source
        return Failure(
            _with_warnings(
                f"Failed to extract the correlation key for '{shown}': The value must be "
                f"either a string or a number, but was '{_type_name(value)}'.",
                warnings,
            )
        )

    def collection(self, expression: Expression, scope_key: int) -> list[Any] | Failure:
        """A list (multi-instance input collections)."""
        result = self._typed(expression, scope_key, "ARRAY", (list,))
        if isinstance(result, Failure):
            return result
        converted: list[Any] = feel.to_json(result)
        return converted

    def string_list(self, expression: Expression, scope_key: int) -> list[str] | Failure:
        """A list of strings, or a comma separated static string (candidate users/groups)."""
        if expression.feel is None:
            return [part.strip() for part in expression.source.split(",") if part.strip()]
        result = self._typed(expression, scope_key, "ARRAY", (list,))
        if isinstance(result, Failure):
            return result
        if not all(isinstance(item, str) for item in result):
            return Failure(
                f"Expected result of the expression '{expression.feel}' to be a list of "
                "strings, but it contained other values."
            )
        return list(result)
