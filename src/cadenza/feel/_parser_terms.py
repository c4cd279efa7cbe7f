"""The FEEL grammar's bracketed terms: invocations, ranges, contexts, function definitions.

They sit in a base class of the parser so that each module stays small; the rules they call
back into (``expression``, ``primary``, ``postfix``) are the parser's.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cadenza.feel._ast import (
    ContextLiteral,
    FunctionDefinition,
    Invocation,
    Literal,
    Negation,
    Node,
    RangeLiteral,
    TypeRef,
)
from cadenza.feel._cursor import TokenCursor
from cadenza.feel._lexer import TokenKind

__all__ = ["TermParser"]

_SPACES = re.compile(r"\s+")


class TermParser(TokenCursor):
    """Rules for the terms that open with a bracket or a keyword and close on their own."""

    def expression(self) -> Node:
        """A whole expression (the parser's loosest rule)."""
        raise NotImplementedError

    def primary(self) -> Node:
        """A primary term (the parser's tightest rule)."""
        raise NotImplementedError

    def postfix(self, node: Node, filters: bool = True) -> Node:
        """Paths, filters and invocations after a term."""
        raise NotImplementedError

    def invocation(self, function: Node) -> Node:
        start = self.expect_op("(").start
        self.enter()
        try:
            args: list[Node] = []
            names: list[str] = []
            while not self.is_op(")"):
                if args:
                    self.expect_op(",")
                j = self.i
                while self.tokens[j].kind is TokenKind.WORD:
                    j += 1
                t = self.tokens[j]
                if j > self.i and t.kind is TokenKind.OPERATOR and t.text == ":":
                    names.append(" ".join(x.text for x in self.tokens[self.i : j]))
                    self.i = j + 1
                elif names:
                    self.fail("positional argument after named ones", "a named argument")
                args.append(self.expression())
            self.i += 1
        finally:
            self.nesting -= 1
        if names and len(names) != len(args):
            self.fail("mixed named and positional arguments", "only named arguments")
        if len(set(names)) != len(names):
            self.fail("duplicate named argument", "distinct parameter names")
        return self.made(Invocation(start, function, tuple(args), tuple(names)), function, *args)

    def range_rest(self, start: int, included: bool, low: Node | None = None) -> Node:
        if low is None:
            low = self.expression()
        self.expect_op("..")
        self.enter()
        try:
            high = self.range_end()
        finally:
            self.nesting -= 1
        t = self.tok
        if t.kind is TokenKind.OPERATOR and t.text in ("]", ")", "["):
            self.i += 1
            return self.made(RangeLiteral(start, low, high, included, t.text == "]"), low, high)
        self.unexpected("']', ')' or '[' closing the range")

    def range_end(self) -> Node:
        # A range end takes no filter: in `[1..-0.5[` the `[` closes the range.
        t = self.tok
        if t.kind is TokenKind.OPERATOR and t.text == "-":
            self.i += 1
            operand = self.range_end()
            if isinstance(operand, Literal) and type(operand.value) is Decimal:
                return self.made(Literal(t.start, -operand.value))
            return self.made(Negation(t.start, operand), operand)
        return self.postfix(self.primary(), filters=False)

    def context(self) -> Node:
        start = self.expect_op("{").start
        self.enter()
        self.scopes.append([])
        try:
            entries: list[tuple[str, Node]] = []
            keys: set[str] = set()
            while not self.is_op("}"):
                if entries:
                    self.expect_op(",")
                key_token = self.tok
                key = self.context_key()
                if key in keys:
                    self.fail(f"duplicate context key {key!r}", "distinct keys", key_token)
                keys.add(key)
                self.expect_op(":")
                value = self.expression()
                entries.append((key, value))
                self.declare(key)
            self.i += 1
        finally:
            self.scopes.pop()
            self.nesting -= 1
        return self.made(ContextLiteral(start, tuple(entries)), *(v for _, v in entries))

    def context_key(self) -> str:
        t = self.tok
        if t.kind is TokenKind.STRING or t.kind is TokenKind.QUOTED_NAME:
            self.i += 1
            return t.text
        if t.kind is not TokenKind.WORD:
            self.unexpected("a context key (name or string)")
        j = self.i
        while self.tokens[j].kind is not TokenKind.END and not (
            self.tokens[j].kind is TokenKind.OPERATOR and self.tokens[j].text in (":", ",", "}")
        ):
            j += 1
        end = self.tokens[j - 1].end
        self.i = j
        return _SPACES.sub(" ", self.source[t.start : end])

    def function_definition(self) -> Node:
        start = self.tok.start
        self.i += 1
        self.expect_op("(")
        params: list[tuple[str, TypeRef | None]] = []
        self.scopes.append([])
        try:
            while not self.is_op(")"):
                if params:
                    self.expect_op(",")
                name = self.parse_name()
                type_ref = None
                if self.is_op(":"):
                    self.i += 1
                    type_ref = self.type_ref()
                params.append((name, type_ref))
                self.declare(name)
            self.i += 1
            external = False
            if self.is_word("external"):
                self.i += 1
                external = True
            body = self.expression()
        finally:
            self.scopes.pop()
        return self.made(FunctionDefinition(start, tuple(params), body, external), body)
