"""Errors raised by the FEEL library: syntax errors with positions, evaluation failures."""

from __future__ import annotations

__all__ = ["FeelAssertionError", "FeelError", "FeelEvaluationError", "FeelSyntaxError"]


class FeelError(Exception):
    """Base class of every error the FEEL library raises on purpose."""


class FeelSyntaxError(FeelError):
    """An expression that does not parse; names where (0-based offset, 1-based line/column) and what was expected."""

    def __init__(self, message: str, source: str, position: int, expected: str = "") -> None:
        self.message = message
        self.source = source
        self.position = max(0, min(position, len(source)))
        before = source[: self.position]
        self.line = before.count("\n") + 1
        self.column = self.position - (before.rfind("\n") + 1) + 1
        self.expected = expected
        text = f"{message} at line {self.line}, column {self.column} (offset {self.position})"
        if expected:
            text += f"; expected {expected}"
        super().__init__(text)

    def caret(self) -> str:
        """The source line holding the error, with a caret line under the failing position."""
        lines = self.source.split("\n")
        line = lines[self.line - 1] if self.line - 1 < len(lines) else ""
        return f"{line}\n{' ' * (self.column - 1)}^"


class FeelEvaluationError(FeelError):
    """Raised inside evaluation when a step fails; turned into null plus a warning at the call site."""


class FeelAssertionError(FeelError):
    """``assert(value, condition)`` failed: unlike other failures this fails the evaluation.

    Raised out of ``evaluate`` and its variants (Camunda raises an incident for it), with the
    assertion's cause in the message.
    """
