"""The parser's token cursor: lookahead, errors with positions, depth bounds, names, types."""

from __future__ import annotations

from typing import NoReturn, TypeVar

from cadenza.feel._ast import BinaryOp, Node, TypeRef
from cadenza.feel._errors import FeelSyntaxError
from cadenza.feel._lexer import Token, TokenKind, tokenize
from cadenza.feel._names import NameIndex, name_tokens

__all__ = ["COMPARISONS", "MAX_DEPTH", "MAX_NESTING", "TokenCursor"]

MAX_DEPTH = 100
"""Deepest syntax tree accepted; deeper input is rejected before it can exhaust the stack."""

MAX_NESTING = 48
"""Deepest bracket/sub-expression nesting accepted while parsing."""

# Words that may follow a complete expression, so they end a multi-word name.
_STOP_WORDS = frozenset(
    {"and", "or", "in", "between", "instance", "then", "else", "return", "satisfies"}
)
COMPARISONS = {
    "=": BinaryOp.EQ,
    "!=": BinaryOp.NE,
    "<": BinaryOp.LT,
    "<=": BinaryOp.LE,
    ">": BinaryOp.GT,
    ">=": BinaryOp.GE,
}
_TYPE_NAMES = (
    "date and time",
    "days and time duration",
    "years and months duration",
)

N = TypeVar("N", bound=Node)


class TokenCursor:
    """Position in the token list plus what name resolution and the depth bounds need."""

    def __init__(self, source: str, index: NameIndex) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.index = index
        self.scopes: list[list[tuple[tuple[str, ...], str]]] = []
        self.nesting = 0
        self.depths: dict[int, int] = {}
        self.uses_input = False

    # -- helpers -------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        """The current token."""
        return self.tokens[self.i]

    def peek(self, offset: int = 1) -> Token:
        """The token ``offset`` positions ahead (END at the end)."""
        j = min(self.i + offset, len(self.tokens) - 1)
        return self.tokens[j]

    def fail(self, message: str, expected: str, token: Token | None = None) -> NoReturn:
        """Raise a syntax error at the token (default: the current one)."""
        t = token or self.tok
        raise FeelSyntaxError(message, self.source, t.start, expected)

    def unexpected(self, expected: str) -> NoReturn:
        """Raise 'unexpected <token>' naming what was expected instead."""
        t = self.tok
        what = "end of expression" if t.kind is TokenKind.END else repr(t.text)
        self.fail(f"unexpected {what}", expected)

    def is_op(self, text: str) -> bool:
        """Whether the current token is the operator ``text``."""
        t = self.tok
        return t.kind is TokenKind.OPERATOR and t.text == text

    def is_word(self, text: str) -> bool:
        """Whether the current token is the word ``text``."""
        t = self.tok
        return t.kind is TokenKind.WORD and t.text == text

    def expect_op(self, text: str) -> Token:
        """Consume the operator ``text`` or fail."""
        if not self.is_op(text):
            self.unexpected(f"'{text}'")
        t = self.tok
        self.i += 1
        return t

    def expect_word(self, text: str) -> None:
        """Consume the word ``text`` or fail."""
        if not self.is_word(text):
            self.unexpected(f"'{text}'")
        self.i += 1

    def made(self, node: N, *children: Node | None) -> N:
        """Record a new node's depth; fail when the tree grows deeper than MAX_DEPTH."""
        depths = self.depths
        depth = 1
        for child in children:
            if child is not None:
                below = depths.get(id(child), 1) + 1
                if below > depth:
                    depth = below
        if depth > MAX_DEPTH:
            self.fail("expression nested too deeply", f"at most {MAX_DEPTH} levels")
        self.depths[id(node)] = depth
        return node

    def enter(self) -> None:
        """Count one more level of nesting; fail beyond MAX_NESTING."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            self.fail("expression nested too deeply", f"at most {MAX_NESTING} levels of nesting")

    def declare(self, name: str) -> None:
        """Make a multi-token name known in the innermost scope (context keys, parameters)."""
        texts = name_tokens(name)
        if texts is not None and self.scopes:
            self.scopes[-1].append((texts, name))

    # -- names ---------------------------------------------------------------------------
    def _known_match(self) -> tuple[str, int] | None:
        first = self.tok.text
        best: tuple[str, int] | None = None
        pools = [self.index.candidates(first)]
        pools.extend([e for e in scope if e[0][0] == first] for scope in self.scopes)
        for pool in pools:
            for texts, name in pool:
                n = len(texts)
                if best is not None and n <= best[1]:
                    continue
                toks = self.tokens[self.i : self.i + n]
                if len(toks) == n and all(
                    t.text == x and t.kind in (TokenKind.WORD, TokenKind.OPERATOR, TokenKind.NUMBER)
                    for t, x in zip(toks, texts, strict=True)
                ):
                    best = (name, n)
        return best

    def parse_name(self) -> str:
        """A (possibly multi-word) name at the current WORD token."""
        if self.tok.kind is TokenKind.QUOTED_NAME:
            name = self.tok.text
            self.i += 1
            return name
        if self.tok.kind is not TokenKind.WORD:
            self.unexpected("a name")
        known = self._known_match()
        words = [self.tok.text]
        j = self.i + 1
        while self.tokens[j].kind is TokenKind.WORD and self.tokens[j].text not in _STOP_WORDS:
            words.append(self.tokens[j].text)
            j += 1
        if known is not None and known[1] >= len(words):
            self.i += known[1]
            return known[0]
        self.i = j
        return " ".join(words)

    # -- expressions ---------------------------------------------------------------------
    def type_ref(self) -> TypeRef:
        """A type: ``number``, ``date and time``, ``list<T>``, ``context<k: T>``, ``function<T> -> T``."""
        t = self.tok
        if t.kind is not TokenKind.WORD:
            self.unexpected("a type name")
        nxt = self.peek()
        generic = nxt.kind is TokenKind.OPERATOR and nxt.text == "<"
        if generic and t.text in ("list", "range"):
            self.i += 2
            inner = self.type_ref()
            self.expect_op(">")
            return TypeRef(t.text, (inner,))
        if generic and t.text == "context":
            self.i += 2
            fields: list[tuple[str, TypeRef]] = []
            while not self.is_op(">"):
                if fields:
                    self.expect_op(",")
                key = self.parse_name()
                self.expect_op(":")
                fields.append((key, self.type_ref()))
            self.i += 1
            return TypeRef("context", fields=tuple(fields))
        if generic and t.text == "function":
            self.i += 2
            args: list[TypeRef] = []
            while not self.is_op(">"):
                if args:
                    self.expect_op(",")
                args.append(self.type_ref())
            self.i += 1
            self.expect_op("->")
            return TypeRef("function", tuple(args), result=self.type_ref())
        for name in _TYPE_NAMES:
            words = name.split(" ")
            if [x.text for x in self.tokens[self.i : self.i + len(words)]] == words:
                self.i += len(words)
                return TypeRef(name)
        parts = [self.parse_name()]
        while self.is_op("."):
            self.i += 1
            parts.append(self.parse_name())
        return TypeRef(".".join(parts))
