"""The FEEL abstract syntax tree: what the parser builds and the compiler turns into closures."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

__all__ = [
    "And",
    "Between",
    "Binary",
    "BinaryOp",
    "Comparison",
    "ContextLiteral",
    "Filter",
    "For",
    "FunctionDefinition",
    "If",
    "In",
    "InstanceOf",
    "Invocation",
    "ListLiteral",
    "Literal",
    "Name",
    "Negation",
    "Node",
    "Or",
    "Path",
    "Quantified",
    "RangeLiteral",
    "TypeRef",
    "UnaryComparison",
    "UnaryTests",
]


class BinaryOp(enum.Enum):
    """Arithmetic and comparison operators."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "**"
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


@dataclass(frozen=True, slots=True)
class Node:
    """Base of all nodes; ``pos`` is the 0-based source offset where the node starts."""

    pos: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A constant: number, string, boolean, null or an ``@"..."`` temporal value."""

    value: Any


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A variable reference (possibly a multi-word name)."""

    name: str


@dataclass(frozen=True, slots=True)
class Binary(Node):
    """Arithmetic on two operands."""

    op: BinaryOp
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Comparison(Node):
    """``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``."""

    op: BinaryOp
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class And(Node):
    """Three-valued conjunction."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or(Node):
    """Three-valued disjunction."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Negation(Node):
    """Arithmetic negation ``-x``."""

    operand: Node


@dataclass(frozen=True, slots=True)
class If(Node):
    """``if c then a else b``."""

    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True, slots=True)
class Iteration:
    """One ``name in domain`` of a for/some/every; ``upper`` set for ``name in a..b``."""

    name: str
    domain: Node
    upper: Node | None


@dataclass(frozen=True, slots=True)
class For(Node):
    """``for a in x, b in y return body``."""

    iterations: tuple[Iteration, ...]
    body: Node


@dataclass(frozen=True, slots=True)
class Quantified(Node):
    """``some``/``every`` ... ``satisfies``."""

    every: bool
    iterations: tuple[Iteration, ...]
    condition: Node


@dataclass(frozen=True, slots=True)
class UnaryComparison(Node):
    """``< 10`` and friends: a unary test, and in expressions a range literal."""

    op: BinaryOp
    operand: Node


@dataclass(frozen=True, slots=True)
class UnaryTests(Node):
    """A list of positive unary tests, optionally negated (``not(...)``); ``any_value`` for ``-``."""

    tests: tuple[Node, ...]
    negated: bool = False
    any_value: bool = False


@dataclass(frozen=True, slots=True)
class In(Node):
    """``value in tests``."""

    value: Node
    tests: UnaryTests


@dataclass(frozen=True, slots=True)
class Between(Node):
    """``value between low and high``."""

    value: Node
    low: Node
    high: Node


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type in ``instance of`` and function parameters: ``number``, ``list<T>``, ..."""

    name: str
    args: tuple[TypeRef, ...] = ()
    fields: tuple[tuple[str, TypeRef], ...] = ()
    result: TypeRef | None = None


@dataclass(frozen=True, slots=True)
class InstanceOf(Node):
    """``value instance of type``."""

    value: Node
    type: TypeRef


@dataclass(frozen=True, slots=True)
class Filter(Node):
    """``base[filter]``: a boolean filter or a 1-based (negative from the end) index."""

    base: Node
    filter: Node


@dataclass(frozen=True, slots=True)
class Path(Node):
    """``base.name``: context entry, projection over a list, or temporal/range property."""

    base: Node
    name: str


@dataclass(frozen=True, slots=True)
class Invocation(Node):
    """``f(a, b)`` or ``f(x: a, y: b)``; ``names`` is empty for positional calls."""

    function: Node
    args: tuple[Node, ...]
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContextLiteral(Node):
    """``{a: 1, "b c": a + 1}``; entries see the earlier ones."""

    entries: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    """``[a, b, c]``."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class RangeLiteral(Node):
    """``[a..b)`` and the other bracket forms."""

    start: Node
    end: Node
    start_included: bool
    end_included: bool


@dataclass(frozen=True, slots=True)
class FunctionDefinition(Node):
    """``function(a, b: number) body``; external functions are kept but evaluate to null."""

    parameters: tuple[tuple[str, TypeRef | None], ...]
    body: Node
    external: bool = False
