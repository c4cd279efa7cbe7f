"""A hand-written recursive-descent parser from FEEL tokens to the syntax tree.

Names may contain spaces and, when they are known (built-in functions, names the caller declares,
context keys, iteration variables and parameters in scope), the extra characters FEEL allows
(``-``, ``+``, ``/``, ``*``, ``'``, ``.``): at each name the longest known name matching the next
tokens wins over joining plain words, which is how the spec resolves ``a-b`` and ``date and time``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cadenza.feel._ast import (
    And,
    Between,
    Binary,
    BinaryOp,
    Comparison,
    Filter,
    For,
    If,
    In,
    InstanceOf,
    Iteration,
    ListLiteral,
    Literal,
    Name,
    Negation,
    Node,
    Or,
    Path,
    Quantified,
    UnaryComparison,
    UnaryTests,
)
from cadenza.feel._cursor import COMPARISONS, MAX_DEPTH
from cadenza.feel._lexer import TokenKind
from cadenza.feel._names import NameIndex
from cadenza.feel._parser_terms import TermParser
from cadenza.feel._temporal import parse_temporal
from cadenza.feel._types import DECIMAL_CONTEXT

__all__ = ["MAX_DEPTH", "NameIndex", "parse_expression", "parse_unary_tests"]


_SPACES = re.compile(r"\s+")


class _Parser(TermParser):
    """The FEEL grammar, one method per rule, from the loosest binding to the tightest."""

    def expression(self) -> Node:
        self.enter()
        try:
            t = self.tok
            if t.kind is TokenKind.WORD:
                nxt = self.peek()
                if t.text == "if":
                    return self.if_expression()
                if t.text == "for" and nxt.kind is TokenKind.WORD:
                    return self.for_expression()
                if t.text in ("some", "every") and nxt.kind is TokenKind.WORD:
                    return self.quantified()
            return self.disjunction()
        finally:
            self.nesting -= 1

    def if_expression(self) -> Node:
        start = self.tok.start
        self.i += 1
        cond = self.expression()
        self.expect_word("then")
        then = self.expression()
        self.expect_word("else")
        otherwise = self.expression()
        return self.made(If(start, cond, then, otherwise), cond, then, otherwise)

    def iterations(self, keyword: str) -> tuple[Iteration, ...]:
        items: list[Iteration] = []
        while True:
            name = self.parse_name()
            self.expect_word("in")
            domain = self.expression()
            upper = None
            if self.is_op(".."):
                self.i += 1
                upper = self.expression()
                self.made(domain, domain, upper)
            items.append(Iteration(name, domain, upper))
            self.declare(name)
            if not self.is_op(","):
                break
            self.i += 1
        if not self.is_word(keyword):
            self.unexpected(f"',' or '{keyword}'")
        self.i += 1
        return tuple(items)

    def for_expression(self) -> Node:
        start = self.tok.start
        self.i += 1
        self.scopes.append([])
        try:
            self.declare("partial")
            iterations = self.iterations("return")
            body = self.expression()
        finally:
            self.scopes.pop()
        children = [it.domain for it in iterations] + [it.upper for it in iterations]
        return self.made(For(start, iterations, body), body, *children)

    def quantified(self) -> Node:
        start = self.tok.start
        every = self.tok.text == "every"
        self.i += 1
        self.scopes.append([])
        try:
            iterations = self.iterations("satisfies")
            cond = self.expression()
        finally:
            self.scopes.pop()
        children = [it.domain for it in iterations] + [it.upper for it in iterations]
        return self.made(Quantified(start, every, iterations, cond), cond, *children)

    def disjunction(self) -> Node:
        left = self.conjunction()
        while self.is_word("or"):
            start = self.tok.start
            self.i += 1
            right = self.conjunction()
            left = self.made(Or(start, left, right), left, right)
        return left

    def conjunction(self) -> Node:
        left = self.comparison()
        while self.is_word("and"):
            start = self.tok.start
            self.i += 1
            right = self.comparison()
            left = self.made(And(start, left, right), left, right)
        return left

    def comparison(self) -> Node:
        left = self.additive()
        while True:
            t = self.tok
            if t.kind is TokenKind.OPERATOR and t.text in COMPARISONS:
                self.i += 1
                right = self.additive()
                left = self.made(Comparison(t.start, COMPARISONS[t.text], left, right), left, right)
            elif t.kind is TokenKind.WORD and t.text == "between":
                self.i += 1
                low = self.additive()
                self.expect_word("and")
                high = self.additive()
                left = self.made(Between(t.start, left, low, high), left, low, high)
            elif t.kind is TokenKind.WORD and t.text == "in":
                self.i += 1
                tests = self.in_tests()
                left = self.made(In(t.start, left, tests), left, tests)
            elif t.kind is TokenKind.WORD and t.text == "instance" and self.peek().text == "of":
                self.i += 2
                left = self.made(InstanceOf(t.start, left, self.type_ref()), left)
            else:
                return left

    def in_tests(self) -> UnaryTests:
        start = self.tok.start
        if self.is_op("("):
            saved = self.i
            self.i += 1
            self.enter()
            try:
                first = self.positive_unary_test(full=True)
                if self.is_op(",") or self.is_op(")"):
                    tests = [first]
                    while self.is_op(","):
                        self.i += 1
                        tests.append(self.positive_unary_test(full=True))
                    self.expect_op(")")
                    return self.made(UnaryTests(start, tuple(tests)), *tests)
            finally:
                self.nesting -= 1
            self.i = saved
        test = self.positive_unary_test(full=False)
        return self.made(UnaryTests(start, (test,)), test)

    def positive_unary_test(self, full: bool) -> Node:
        t = self.tok
        if t.kind is TokenKind.OPERATOR and t.text in COMPARISONS:
            self.i += 1
            operand = self.additive()
            return self.made(UnaryComparison(t.start, COMPARISONS[t.text], operand), operand)
        return self.expression() if full else self.additive()

    def additive(self) -> Node:
        left = self.multiplicative()
        while True:
            t = self.tok
            if t.kind is TokenKind.OPERATOR and t.text in ("+", "-"):
                self.i += 1
                right = self.multiplicative()
                op = BinaryOp.ADD if t.text == "+" else BinaryOp.SUB
                left = self.made(Binary(t.start, op, left, right), left, right)
            else:
                return left

    def multiplicative(self) -> Node:
        left = self.power()
        while True:
            t = self.tok
            if t.kind is TokenKind.OPERATOR and t.text in ("*", "/"):
                self.i += 1
                right = self.power()
                op = BinaryOp.MUL if t.text == "*" else BinaryOp.DIV
                left = self.made(Binary(t.start, op, left, right), left, right)
            else:
                return left

    def power(self) -> Node:
        # Negation binds tighter than `**` in FEEL: -3 ** 2 is 9.
        left = self.unary()
        while self.is_op("**"):
            start = self.tok.start
            self.i += 1
            right = self.unary()
            left = self.made(Binary(start, BinaryOp.POW, left, right), left, right)
        return left

    def unary(self) -> Node:
        t = self.tok
        if t.kind is TokenKind.OPERATOR and t.text == "-":
            self.i += 1
            self.enter()
            try:
                operand = self.unary()
            finally:
                self.nesting -= 1
            if isinstance(operand, Literal) and type(operand.value) is Decimal:
                return self.made(Literal(t.start, -operand.value))
            return self.made(Negation(t.start, operand), operand)
        return self.postfix(self.primary())

    def postfix(self, node: Node, filters: bool = True) -> Node:
        while True:
            t = self.tok
            if t.kind is not TokenKind.OPERATOR:
                return node
            if t.text == ".":
                self.i += 1
                name = self.parse_name()
                node = self.made(Path(t.start, node, name), node)
            elif t.text == "[" and filters:
                self.i += 1
                self.enter()
                try:
                    cond = self.expression()
                finally:
                    self.nesting -= 1
                self.expect_op("]")
                node = self.made(Filter(t.start, node, cond), node, cond)
            elif t.text == "(":
                node = self.invocation(node)
            else:
                return node

    def primary(self) -> Node:
        t = self.tok
        kind = t.kind
        if kind is TokenKind.NUMBER:
            self.i += 1
            try:
                number = DECIMAL_CONTEXT.create_decimal(t.text)
            except ArithmeticError:
                self.fail("number out of range", "a number within 34 digits and exponent 6144", t)
            return self.made(Literal(t.start, number))
        if kind is TokenKind.STRING:
            self.i += 1
            return self.made(Literal(t.start, t.text))
        if kind is TokenKind.AT_STRING:
            self.i += 1
            value = parse_temporal(t.text)
            if value is None:
                self.fail(f"invalid temporal literal @{t.text!r}", "a date, time or duration", t)
            return self.made(Literal(t.start, value))
        if kind is TokenKind.QUOTED_NAME:
            self.i += 1
            return self.made(Name(t.start, t.text))
        if kind is TokenKind.WORD:
            return self.word()
        if kind is TokenKind.OPERATOR:
            text = t.text
            if text == "(":
                return self.parenthesized()
            if text == "[":
                return self.bracketed()
            if text == "]":
                self.i += 1
                return self.range_rest(t.start, False)
            if text == "{":
                return self.context()
            if text in ("<", "<=", ">", ">="):
                self.i += 1
                operand = self.additive()
                return self.made(UnaryComparison(t.start, COMPARISONS[text], operand), operand)
        self.unexpected("an expression")

    def word(self) -> Node:
        t = self.tok
        text = t.text
        nxt = self.peek()
        if text == "true" or text == "false":
            self.i += 1
            return self.made(Literal(t.start, text == "true"))
        if text == "null":
            self.i += 1
            return self.made(Literal(t.start, None))
        if text == "function" and nxt.kind is TokenKind.OPERATOR and nxt.text == "(":
            return self.function_definition()
        if text in ("if", "for", "some", "every") and nxt.kind is TokenKind.WORD:
            return self.expression()
        if text == "?":
            self.uses_input = True
        return self.made(Name(t.start, self.parse_name()))

    def parenthesized(self) -> Node:
        start = self.expect_op("(").start
        self.enter()
        try:
            t = self.tok
            if t.kind is TokenKind.OPERATOR and t.text in ("=", "!="):
                # `(= 10)` and `(!= 10)`: the unary tests as range values (DMN 1.5).
                self.i += 1
                operand = self.additive()
                self.expect_op(")")
                return self.made(UnaryComparison(t.start, COMPARISONS[t.text], operand), operand)
            inner = self.expression()
            if self.is_op(".."):
                return self.range_rest(start, False, inner)
            self.expect_op(")")
            return inner
        finally:
            self.nesting -= 1

    def bracketed(self) -> Node:
        start = self.expect_op("[").start
        self.enter()
        try:
            if self.is_op("]"):
                self.i += 1
                return self.made(ListLiteral(start, ()))
            first = self.expression()
            if self.is_op(".."):
                return self.range_rest(start, True, first)
            items = [first]
            while self.is_op(","):
                self.i += 1
                items.append(self.expression())
            if not self.is_op("]"):
                self.unexpected("',' or ']'")
            self.i += 1
            return self.made(ListLiteral(start, tuple(items)), *items)
        finally:
            self.nesting -= 1

    def finish(self, node: Node) -> Node:
        if self.tok.kind is not TokenKind.END:
            self.unexpected("an operator or end of expression")
        return node


def parse_expression(source: str, index: NameIndex) -> tuple[Node, bool]:
    """Parse a whole FEEL expression; returns (tree, whether it uses ``?``)."""
    parser = _Parser(source, index)
    if parser.tok.kind is TokenKind.END:
        parser.unexpected("an expression")
    node = parser.finish(parser.expression())
    return node, parser.uses_input


def parse_unary_tests(source: str, index: NameIndex) -> UnaryTests:
    """Parse DMN unary tests: ``-``, ``not(...)``, or a comma list of positive unary tests."""
    parser = _Parser(source, index)
    t = parser.tok
    if t.kind is TokenKind.END:
        # An empty input entry matches everything, as Camunda reads it.
        return UnaryTests(t.start, (), any_value=True)
    if t.kind is TokenKind.OPERATOR and t.text == "-" and parser.peek().kind is TokenKind.END:
        return UnaryTests(t.start, (), any_value=True)
    negated = False
    if t.kind is TokenKind.WORD and t.text == "not" and parser.peek().text == "(":
        # `not(a, b)` negates the tests inside, unless the parenthesis closes before the end
        # (`not(x) = y` is an expression using the not() function).
        depth = 0
        close = -1
        for j in range(parser.i + 1, len(parser.tokens)):
            tok = parser.tokens[j]
            if tok.kind is TokenKind.OPERATOR and tok.text in "([{":
                depth += 1
            elif tok.kind is TokenKind.OPERATOR and tok.text in ")]}":
                depth -= 1
                if depth == 0:
                    close = j
                    break
        if close == len(parser.tokens) - 2:
            negated = True
            parser.i += 2
    tests = [parser.positive_unary_test(full=True)]
    while parser.is_op(","):
        parser.i += 1
        tests.append(parser.positive_unary_test(full=True))
    if negated:
        parser.expect_op(")")
    parser.finish(tests[0])
    return UnaryTests(t.start, tuple(tests), negated=negated)
