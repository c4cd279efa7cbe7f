"""Boxed expressions compiled to closures over a scope (a dict of FEEL variables)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cadenza.dmn import _feel
from cadenza.dmn._fastpath import constant_tests
from cadenza.dmn._feel import FeelFunction, FeelSyntaxError, Scope, TestFn, ValueFn
from cadenza.dmn._model import (
    Conditional,
    ContextExpression,
    DecisionTable,
    Expression,
    Filter,
    FunctionDefinition,
    Invocation,
    Iterator,
    IteratorKind,
    ListExpression,
    LiteralExpression,
    Relation,
)
from cadenza.dmn._result import DecisionEvaluationError
from cadenza.dmn._tables import CompiledTable, split_unary_tests
from cadenza.dmn._types import ANY, DmnType, coerce, conforms
from cadenza.model import Problem


class ExpressionCompiler:
    """Compiles the expressions of one resource, collecting FEEL syntax problems.

    An expression that does not parse becomes a closure that fails when evaluated, so one bad
    cell only breaks the decisions that reach it (the caller decides whether to reject)."""

    def __init__(
        self,
        resource: str,
        resolve: Callable[[str | None], DmnType | None],
        names: frozenset[str] = frozenset(),
        check_values: bool = False,
    ) -> None:
        self.resource = resource
        self.names = names
        self.check_values = check_values
        self.resolve = resolve
        self.problems: list[Problem] = []
        self._expressions: dict[tuple[str, frozenset[str]], ValueFn] = {}
        self._tests: dict[tuple[str, frozenset[str]], TestFn] = {}

    def type_predicate(self, name: str) -> Callable[[Any], bool] | None:
        """FEEL's hook for type names it does not know: this model's item definitions."""
        declared = self.resolve(name)
        if declared is None or declared is ANY:
            return None
        return lambda value: value is not None and conforms(value, declared, allowed=False)

    def _syntax_problem(
        self, error: FeelSyntaxError, text: str, line: int, element: str | None
    ) -> str:
        # The FEEL line counts from the expression; the XML line from the element.
        where = line + error.line - 1 if line else 0
        message = f"FEEL syntax error in {text.strip()!r}: {error}"
        self.problems.append(Problem(self.resource, where, element, message))
        return message

    def _internal_problem(self, error: Exception, text: str, line: int, element: str | None) -> str:
        message = f"FEEL could not compile {text.strip()!r}: {type(error).__name__}: {error}"
        self.problems.append(Problem(self.resource, line, element, message))
        return message

    def feel(self, text: str, line: int = 0, element: str | None = None) -> ValueFn:
        """A compiled FEEL expression (shared between identical texts)."""
        key = (text, self.names)
        found = self._expressions.get(key)
        if found is None:
            try:
                found = _feel.compile_expression(text, self.names, self.type_predicate)
            except FeelSyntaxError as error:
                found = _failing(self._syntax_problem(error, text, line, element), element)
            except Exception as error:  # a compiler defect: reported, located
                found = _failing(self._internal_problem(error, text, line, element), element)
            self._expressions[key] = found
        return found

    def tests(self, text: str, line: int = 0, element: str | None = None) -> TestFn:
        """Compiled unary tests (shared between identical texts)."""
        key = (text, self.names)
        found = self._tests.get(key)
        if found is None:
            found = constant_tests(split_unary_tests(text)) or self._feel_tests(text, line, element)
            self._tests[key] = found
        return found

    def _feel_tests(self, text: str, line: int, element: str | None) -> TestFn:
        try:
            return _feel.compile_unary_tests(text, self.names, self.type_predicate)
        except FeelSyntaxError as error:
            message = self._syntax_problem(error, text, line, element)
        except Exception as error:  # a compiler defect: reported, located
            message = self._internal_problem(error, text, line, element)

        def fail(_value: Any, _scope: Scope) -> bool:
            raise DecisionEvaluationError(message, element)

        return fail

    def table(self, table: DecisionTable) -> CompiledTable:
        """A decision table compiled with this compiler's caches."""
        return CompiledTable(table, self.feel, self.tests, self.resolve, self.check_values)

    def expression(self, expression: Expression) -> ValueFn:
        """Compile any boxed expression; the result is coerced to the expression's typeRef."""
        run = self._untyped(expression)
        # A function definition's typeRef is its result type, applied inside the body.
        declared = (
            None
            if isinstance(expression, FunctionDefinition)
            else self.resolve(expression.type_ref)
        )
        if declared is None:
            return run
        return _typed(run, declared, expression.source.element_id)

    def _untyped(self, expression: Expression) -> ValueFn:
        if isinstance(expression, LiteralExpression):
            return self.feel(expression.text, expression.source.line, expression.source.element_id)
        if isinstance(expression, DecisionTable):
            table = self.table(expression)

            def run_table(scope: Scope) -> Any:
                return table.evaluate(scope).value

            return run_table
        if isinstance(expression, ContextExpression):
            return self._context(expression)
        if isinstance(expression, Invocation):
            return self._invocation(expression)
        if isinstance(expression, ListExpression):
            items = tuple(self.expression(item) for item in expression.items)
            return lambda scope: [item(scope) for item in items]
        if isinstance(expression, Relation):
            columns = expression.columns
            rows = tuple(tuple(self.expression(cell) for cell in row) for row in expression.rows)
            return lambda scope: [
                {c: cell(scope) for c, cell in zip(columns, row, strict=False)} for row in rows
            ]
        if isinstance(expression, FunctionDefinition):
            return self.function(expression, expression.source.element_id or "anonymous")
        if isinstance(expression, Conditional):
            return self._conditional(expression)
        if isinstance(expression, Iterator):
            return self._iterator(expression)
        return self._filter(expression)

    def _context(self, expression: ContextExpression) -> ValueFn:
        entries = tuple(
            (entry.name, self.expression(entry.value), self.resolve(entry.type_ref))
            for entry in expression.entries
        )

        def run(scope: Scope) -> Any:
            inner = dict(scope)
            result: dict[str, Any] = {}
            for name, evaluate, declared in entries:
                # A value that does not conform to the entry's type becomes null (DMN 1.5
                # type conversion), the evaluation goes on.
                value, _conformed = coerce(evaluate(inner), declared)
                if name is None:
                    return value
                inner[name] = value
                result[name] = value
            return result

        return run

    def _invocation(self, expression: Invocation) -> ValueFn:
        callee = self.expression(expression.callee)
        callee_text = (
            expression.callee.text.strip()
            if isinstance(expression.callee, LiteralExpression)
            else "function"
        )
        bindings = tuple(
            (b.name, self.expression(b.value) if b.value is not None else None)
            for b in expression.bindings
        )
        element = expression.source.element_id

        def run(scope: Scope) -> Any:
            function = callee(scope)
            if not isinstance(function, FeelFunction):
                raise DecisionEvaluationError(f"{callee_text!r} is not a function", element)
            given = {name: value(scope) if value else None for name, value in bindings}
            unknown = set(given) - set(function.parameters)
            if unknown:
                raise DecisionEvaluationError(
                    f"{callee_text!r} has no parameter {sorted(unknown)[0]!r}", element
                )
            return _feel.call(function, [given.get(p) for p in function.parameters])

        return run

    def function(self, expression: FunctionDefinition, name: str) -> ValueFn:
        """A function definition: evaluating it captures the scope and yields a function."""
        element = expression.source.element_id
        names = tuple(p.name for p in expression.parameters)
        types = tuple(self.resolve(p.type_ref) for p in expression.parameters)
        if expression.kind.upper() != "FEEL" or expression.body is None:
            reason = (
                f"{expression.kind} functions are not supported"
                if expression.body is not None
                else "function has no body"
            )

            def unsupported(_scope: Scope) -> FeelFunction:
                def fail(_args: Sequence[Any]) -> Any:
                    raise DecisionEvaluationError(reason, element)

                return _feel.function_value(name, names, fail)

            return unsupported
        outer = self.names
        self.names = outer | frozenset(names)
        try:
            body = self.expression(expression.body)
        finally:
            self.names = outer
        output = self.resolve(expression.type_ref)
        if output is not None and output.kind != "function":
            body = _typed(body, output, element)

        def define(scope: Scope) -> FeelFunction:
            def invoke(args: Sequence[Any]) -> Any:
                inner = dict(scope)
                for parameter, declared, value in zip(names, types, args, strict=False):
                    coerced, conformed = coerce(value, declared)
                    if not conformed:
                        return None  # DMN: an argument of the wrong type makes the call null
                    inner[parameter] = coerced
                return body(inner)

            return _feel.function_value(name, names, invoke)

        return define

    def _conditional(self, expression: Conditional) -> ValueFn:
        condition = self.expression(expression.condition)
        then = self.expression(expression.then)
        otherwise = self.expression(expression.otherwise)

        def run(scope: Scope) -> Any:
            test = condition(scope)
            if test is True:
                return then(scope)
            if test is False or test is None:
                return otherwise(scope)
            return None  # a condition that is not a boolean makes the conditional null

        return run

    def _iterator(self, expression: Iterator) -> ValueFn:
        domain = self.expression(expression.domain)
        body = self.expression(expression.body)
        variable = expression.variable
        kind = expression.kind

        def run(scope: Scope) -> Any:
            items = _as_list(domain(scope))
            if items is None:
                return None
            results = [body({**scope, variable: item}) for item in items]
            if kind is IteratorKind.FOR:
                return results
            if any(r is not None and type(r) is not bool for r in results):
                return None  # a test that is not a boolean makes some/every null
            if kind is IteratorKind.SOME:
                return (
                    True
                    if any(r is True for r in results)
                    else (False if all(r is False for r in results) else None)
                )
            return (
                False
                if any(r is False for r in results)
                else (True if all(r is True for r in results) else None)
            )

        return run

    def _filter(self, expression: Filter) -> ValueFn:
        domain = self.expression(expression.domain)
        match = self.expression(expression.match)

        def run(scope: Scope) -> Any:
            items = _as_list(domain(scope))
            if items is None:
                return None
            kept = []
            for item in items:
                inner = {**scope, "item": item}
                if isinstance(item, dict):
                    inner.update(item)
                verdict = match(inner)
                if verdict is True:
                    kept.append(item)
                elif verdict is not None and verdict is not False:
                    return None  # a match that is not a boolean makes the filter null
            return kept

        return run


def _as_list(value: Any) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _failing(message: str, element: str | None) -> ValueFn:
    def fail(_scope: Scope) -> Any:
        raise DecisionEvaluationError(message, element)

    return fail


def _typed(run: ValueFn, declared: DmnType, element: str | None) -> ValueFn:
    def typed(scope: Scope) -> Any:
        value, _conformed = coerce(run(scope), declared)
        return value

    return typed
