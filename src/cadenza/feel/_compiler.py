"""Syntax tree -> Python closures. Each node becomes ``f(ctx) -> value``; nothing is ``eval``-ed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cadenza.feel._ast import (
    And,
    Between,
    Binary,
    Comparison,
    ContextLiteral,
    Filter,
    For,
    FunctionDefinition,
    If,
    In,
    InstanceOf,
    Invocation,
    ListLiteral,
    Literal,
    Name,
    Negation,
    Node,
    Or,
    Path,
    Quantified,
    RangeLiteral,
    UnaryComparison,
    UnaryTests,
)
from cadenza.feel._compile_loops import compile_filter, compile_for, compile_quantified
from cadenza.feel._compile_ops import (
    RANGE_KINDS,
    compile_and,
    compile_binary,
    compile_comparison,
    compile_negation,
    compile_or,
)
from cadenza.feel._compile_tests import TestEvaluator, compile_tests, uses_input
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._runtime import (
    MISSING,
    EvalContext,
    Evaluator,
    Scope,
    call_function,
    user_function,
)
from cadenza.feel._semantics import TypeResolver, property_of, type_check
from cadenza.feel._types import FeelFunction, Range
from cadenza.feel._values import compare

__all__ = ["Compiler", "TestEvaluator", "uses_input"]


class Compiler:
    """Turns syntax trees into evaluators; built-in functions are resolved by name at runtime."""

    def __init__(
        self, builtins: Mapping[str, FeelFunction], types: TypeResolver | None = None
    ) -> None:
        self.builtins = builtins
        self.types = types
        self._dispatch: dict[type, Callable[[Any], Evaluator]] = {
            Literal: self._literal,
            Name: self._name,
            Binary: lambda n: compile_binary(self, n),
            Comparison: lambda n: compile_comparison(self, n),
            And: lambda n: compile_and(self, n),
            Or: lambda n: compile_or(self, n),
            Negation: lambda n: compile_negation(self, n),
            If: self._if,
            For: lambda n: compile_for(self, n),
            Quantified: lambda n: compile_quantified(self, n),
            In: self._in,
            Between: self._between,
            InstanceOf: self._instance_of,
            Filter: lambda n: compile_filter(self, n),
            Path: self._path,
            Invocation: self._invocation,
            ContextLiteral: self._context,
            ListLiteral: self._list,
            RangeLiteral: self._range,
            UnaryComparison: self._unary_comparison,
            FunctionDefinition: self._function,
        }

    def compile(self, node: Node) -> Evaluator:
        """The evaluator of one node."""
        handler = self._dispatch.get(type(node))
        if handler is None:
            raise TypeError(f"no compiler for {type(node).__name__}")
        return handler(node)

    # -- leaves --------------------------------------------------------------------------
    def _literal(self, node: Literal) -> Evaluator:
        value = node.value
        return lambda ctx: value

    def _name(self, node: Name) -> Evaluator:
        name = node.name
        builtin = self.builtins.get(name)
        message = f"no variable found for name '{name}'"

        def name_ev(ctx: EvalContext) -> Any:
            scope: Scope | None = ctx.scope
            while scope is not None:
                value = scope.names.get(name, MISSING)
                if value is not MISSING:
                    return scope.convert(name, value) if scope.raw else value
                scope = scope.parent
            if builtin is not None:
                return builtin
            ctx.warn(message)
            return None

        return name_ev

    # -- control -------------------------------------------------------------------------
    def _if(self, node: If) -> Evaluator:
        cond = self.compile(node.condition)
        then = self.compile(node.then)
        otherwise = self.compile(node.otherwise)
        return lambda ctx: then(ctx) if cond(ctx) is True else otherwise(ctx)

    # -- tests ---------------------------------------------------------------------------
    def compile_tests(self, node: UnaryTests) -> TestEvaluator:
        """A whole unary-tests list (``-``, ``not(...)``, comma list)."""
        return compile_tests(self, node)

    def _in(self, node: In) -> Evaluator:
        value = self.compile(node.value)
        tests = compile_tests(self, node.tests)
        return lambda ctx: tests(ctx, value(ctx))

    def _between(self, node: Between) -> Evaluator:
        value = self.compile(node.value)
        low = self.compile(node.low)
        high = self.compile(node.high)

        def between_ev(ctx: EvalContext) -> Any:
            v = value(ctx)
            c1 = compare(v, low(ctx))
            c2 = compare(v, high(ctx))
            if c1 is None or c2 is None:
                return None
            return c1 >= 0 and c2 <= 0

        return between_ev

    def _instance_of(self, node: InstanceOf) -> Evaluator:
        value = self.compile(node.value)
        check = type_check(node.type, self.types)
        return lambda ctx: check(value(ctx))

    # -- structure -----------------------------------------------------------------------
    def _path(self, node: Path) -> Evaluator:
        base = self.compile(node.base)
        name = node.name

        def path_ev(ctx: EvalContext) -> Any:
            value = base(ctx)
            if type(value) is dict:
                found = value.get(name, MISSING)
                if found is not MISSING:
                    return found
            try:
                return property_of(value, name)
            except FeelEvaluationError as error:
                ctx.warn(str(error))
                return None

        return path_ev

    def _invocation(self, node: Invocation) -> Evaluator:
        args = [self.compile(a) for a in node.args]
        names = node.names
        function_of: Evaluator
        if (
            isinstance(node.function, Name)
            and node.function.name == "is defined"
            and len(node.args) == 1
            and not node.names
            and isinstance(node.args[0], Name | Path)
        ):
            return self._is_defined(node.args[0])
        if isinstance(node.function, Name):
            name = node.function.name
            builtin = self.builtins.get(name)

            def lookup_function(ctx: EvalContext) -> Any:
                found = ctx.scope.lookup(name)
                if found is MISSING:
                    if builtin is None:
                        ctx.warn(f"no function found with name '{name}'")
                    return builtin
                return found

            function_of = lookup_function

        else:
            function_of = self.compile(node.function)

        def invocation_ev(ctx: EvalContext) -> Any:
            function = function_of(ctx)
            if function is None:
                return None
            return call_function(ctx, function, [a(ctx) for a in args], names)

        return invocation_ev

    def _is_defined(self, node: Name | Path) -> Evaluator:
        # A missing variable or context entry is not defined; an existing null one is.
        if isinstance(node, Name):
            name = node.name
            return lambda ctx: ctx.scope.lookup(name) is not MISSING
        base = self.compile(node.base)
        key = node.name

        def path_defined(ctx: EvalContext) -> Any:
            value = base(ctx)
            if type(value) is dict:
                return key in value
            if value is None:
                return False
            try:
                property_of(value, key)
            except FeelEvaluationError:
                return False
            return True

        return path_defined

    def _context(self, node: ContextLiteral) -> Evaluator:
        entries = [(key, self.compile(value)) for key, value in node.entries]

        def context_ev(ctx: EvalContext) -> Any:
            result: dict[str, Any] = {}
            saved = ctx.scope
            ctx.scope = Scope(result, saved)
            try:
                for key, value in entries:
                    result[key] = value(ctx)
            finally:
                ctx.scope = saved
            return result

        return context_ev

    def _list(self, node: ListLiteral) -> Evaluator:
        items = [self.compile(i) for i in node.items]
        return lambda ctx: [i(ctx) for i in items]

    def _range(self, node: RangeLiteral) -> Evaluator:
        start = self.compile(node.start)
        end = self.compile(node.end)
        start_included = node.start_included
        end_included = node.end_included

        def range_ev(ctx: EvalContext) -> Any:
            low = start(ctx)
            high = end(ctx)
            if low is not None and high is not None and compare(low, high) is None:
                ctx.warn("range endpoints are not comparable")
                return None
            return Range(low, high, start_included, end_included)

        return range_ev

    def _unary_comparison(self, node: UnaryComparison) -> Evaluator:
        operand = self.compile(node.operand)
        kind = RANGE_KINDS[node.op]
        return lambda ctx: Range.comparison(kind, operand(ctx))

    def _function(self, node: FunctionDefinition) -> Evaluator:
        names = tuple(name for name, _ in node.parameters)
        checks = tuple(None if t is None else type_check(t, self.types) for _, t in node.parameters)
        if node.external:

            def external(args: Any, ctx: Any) -> Any:
                raise FeelEvaluationError(
                    "external functions (Java, PMML) are not supported: they need a host runtime"
                )

            function = FeelFunction(names, external, "external")
            return lambda ctx: function
        body = self.compile(node.body)
        return lambda ctx: user_function(names, body, ctx.scope, checks)
