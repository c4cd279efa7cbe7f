"""Collecting problems while reading a resource, and the checks shared by every element:
FEEL syntax, static-vs-expression rules, variable paths."""

from __future__ import annotations

import re

from cadenza.feel import FeelError
from cadenza.feel import compile as compile_feel
from cadenza.model._elements import Expression
from cadenza.model._problems import Problem
from cadenza.model._xml import Node, line_of

_PATH = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*")
_RESERVED = frozenset(
    {"null", "true", "false", "function", "if", "then", "else", "for", "between", "instance", "of"}
)


def feel_syntax_error(text: str) -> str | None:
    """Why ``text`` (FEEL, without the leading ``=``) does not compile, or None.

    The one place that asks the FEEL library; its errors carry the offset (``position``) and
    what was ``expected`` there.
    """
    if not text.strip():
        return "the expression is empty"
    try:
        compile_feel(text)
    except FeelError as error:
        detail = str(error) or "invalid syntax"
        position = getattr(error, "position", None)
        if position is not None and str(position) not in detail:
            detail += f" at position {position}"
        expected = getattr(error, "expected", None)
        if expected and str(expected) not in detail:
            detail += f" (expected {expected})"
        return detail
    return None


def indefinite(noun: str, *, capital: bool = False) -> str:
    """``noun`` with "a" or "an" in front (by its first letter, which suits these nouns)."""
    article = "an" if noun[:1].lower() in "aeiou" else "a"
    return f"{article.capitalize() if capital else article} {noun}"


def path_error(target: str) -> str | None:
    """Why ``target`` is not a variable path such as ``a`` or ``a.b.c``, or None."""
    if not target:
        return "the target is empty; it must be a variable name or a path such as 'a.b'"
    if not _PATH.fullmatch(target):
        return f"the target '{target}' is not a variable name or a path such as 'a.b'"
    if target in _RESERVED:
        return f"the target '{target}' is a reserved word"
    return None


class Reporter:
    """Gathers every problem of one resource (never stops at the first)."""

    def __init__(self, resource: str) -> None:
        self.resource = resource
        self.problems: list[Problem] = []

    def add(self, node: Node | int, element_id: str | None, message: str) -> None:
        """Record a problem at ``node``'s line (or at a line number)."""
        line = node if isinstance(node, int) else line_of(node)
        self.problems.append(Problem(self.resource, line, element_id, message))

    def expression(
        self,
        node: Node,
        element_id: str | None,
        attribute: str,
        value: str,
        *,
        feel_only: bool = False,
    ) -> Expression:
        """Read a property value and check it.

        ``feel_only`` attributes must be FEEL; as Zeebe does, a value without the leading ``=``
        is rejected there rather than silently read as an expression.
        """
        stripped = value.strip()
        if feel_only:
            if not stripped.startswith("="):
                self.add(
                    node,
                    element_id,
                    f"{attribute} must be a FEEL expression starting with '=' "
                    f"(e.g. '={stripped}'), but found the static value '{stripped}'.",
                )
                # One problem per attribute: its FEEL syntax would only repeat the point.
                return Expression.feel_only(value)
            expression = Expression.feel_only(value)
        else:
            expression = Expression.of(value)
        if expression.feel is not None:
            self.check_feel(node, element_id, attribute, expression.feel)
        return expression

    def check_feel(self, node: Node, element_id: str | None, attribute: str, text: str) -> None:
        """Record a problem when ``text`` is not valid FEEL."""
        error = feel_syntax_error(text)
        if error is not None:
            self.add(node, element_id, f"{attribute} is not a valid FEEL expression: {error}.")

    def path(self, node: Node, element_id: str | None, attribute: str, target: str) -> None:
        """Record a problem when ``target`` is not a variable path."""
        error = path_error(target)
        if error is not None:
            self.add(node, element_id, f"{attribute}: {error}.")
