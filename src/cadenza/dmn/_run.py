"""One evaluation: required inputs, decisions and knowledge resolved in dependency order,
each decision evaluated at most once, the audit trail recorded as decisions complete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cadenza.dmn import _feel
from cadenza.dmn._feel import NOW, FeelError, FeelFunction, Scope
from cadenza.dmn._graph import CompiledDecision, CompiledGraph
from cadenza.dmn._model import Requirement
from cadenza.dmn._result import (
    UNKNOWN_VERSION,
    DecisionEvaluationError,
    EvaluatedDecision,
    EvaluatedInput,
    EvaluatedOutput,
    MatchedRule,
)
from cadenza.dmn._types import DmnType, coerce

Locate = Callable[[CompiledGraph, Requirement], CompiledGraph]


class Evaluation:
    """The state of one evaluation over a set of compiled graphs (a model and its imports)."""

    def __init__(
        self,
        variables: Mapping[str, Any],
        locate: Locate,
        *,
        record: bool = True,
        given: Mapping[tuple[int, str], Any] | None = None,
        given_decisions: frozenset[str] = frozenset(),
        now: dt.datetime | None = None,
    ) -> None:
        self.variables = variables
        self.now = now
        self.given_decisions = given_decisions
        self.locate = locate
        self.record = record
        self.trail: list[EvaluatedDecision] = []
        self._done: dict[tuple[int, str], Any] = dict(given or {})
        self._active: set[tuple[int, str]] = set()

    # -- decisions ---------------------------------------------------------------------

    def decision(self, graph: CompiledGraph, compiled: CompiledDecision) -> Any:
        """The value of a decision, evaluated once per evaluation."""
        decision = compiled.decision
        key = (id(graph), decision.source.element_id or decision.name)
        if key in self._done:
            return self._done[key]
        if decision.name in self.given_decisions and self._active:
            # A required decision whose value the caller supplies is not evaluated.
            value = coerce(self.variables.get(decision.name), compiled.declared)[0]
            self._done[key] = value
            return value
        if key in self._active:
            raise DecisionEvaluationError(
                f"decision {decision.name!r} requires itself", decision.source.element_id
            )
        self._active.add(key)
        try:
            value = self._evaluate_decision(graph, compiled)
        except DecisionEvaluationError as error:
            if error.decision_id is None:
                error.decision_id = decision.source.element_id or decision.name
            raise
        except (FeelError, ArithmeticError, TypeError, ValueError, RecursionError) as error:
            # Expected failures of the expression language, reported as the decision's.
            raise DecisionEvaluationError(
                f"{type(error).__name__}: {error}",
                decision.source.element_id,
                decision.source.element_id or decision.name,
            ) from error
        finally:
            self._active.discard(key)
        self._done[key] = value
        return value

    def _evaluate_decision(self, graph: CompiledGraph, compiled: CompiledDecision) -> Any:
        decision = compiled.decision
        scope = self.scope_for(
            graph,
            decision.required_inputs,
            decision.required_decisions,
            decision.required_knowledge,
        )
        inputs: tuple[EvaluatedInput, ...] = ()
        rules: tuple[MatchedRule, ...] = ()
        if compiled.table is not None:
            outcome = compiled.table.evaluate(scope)
            value = outcome.value
            if self.record:
                inputs, rules = _table_trail(compiled, outcome.input_values, outcome.matched)
        elif compiled.logic is not None:
            value = compiled.logic(scope)
        else:
            raise DecisionEvaluationError(
                f"decision {decision.name!r} has no logic", decision.source.element_id
            )
        value, _conformed = coerce(value, compiled.declared)
        if self.record:
            self.trail.append(
                EvaluatedDecision(
                    decision_id=decision.source.element_id or decision.name,
                    decision_name=decision.name,
                    decision_type=compiled.decision_type,
                    decision_version=UNKNOWN_VERSION,
                    decision_output=_feel.json_text(value),
                    evaluated_inputs=inputs,
                    matched_rules=rules,
                )
            )
        return value

    # -- scopes ------------------------------------------------------------------------

    def scope_for(
        self,
        graph: CompiledGraph,
        inputs: Sequence[Requirement],
        decisions: Sequence[Requirement],
        knowledge: Sequence[Requirement],
    ) -> Scope:
        """The variables a decision sees: all given variables (as Zeebe passes them), then its
        required inputs, decisions and knowledge models, imported ones under the import name."""
        scope: Scope = dict(self.variables)
        if self.now is not None:
            scope[NOW] = self.now
        for requirement in inputs:
            owner = self.locate(graph, requirement)
            found = owner.inputs.get(requirement.element_id)
            if found is None:
                raise DecisionEvaluationError(f"no input data {requirement.element_id!r}")
            name = found.input.name
            raw = self._input_value(graph, owner, name)
            value, _conformed = coerce(raw, found.declared)
            _place(scope, graph, owner, name, value)
        for requirement in decisions:
            owner = self.locate(graph, requirement)
            compiled = owner.decisions.get(requirement.element_id)
            if compiled is None:
                raise DecisionEvaluationError(f"no decision {requirement.element_id!r}")
            value = self.decision(owner, compiled)
            _place(scope, graph, owner, compiled.decision.name, value)
            element_id = compiled.decision.source.element_id
            if element_id and element_id != compiled.decision.name:
                # Camunda 8 models read a required decision by its id (they have no variable).
                _place(scope, graph, owner, element_id, value)
        for requirement in knowledge:
            owner = self.locate(graph, requirement)
            name, function = self.callable(owner, requirement.element_id)
            _place(scope, graph, owner, name, function)
        return scope

    def _input_value(self, graph: CompiledGraph, owner: CompiledGraph, name: str) -> Any:
        if owner is graph or not isinstance(self.variables, Mapping):
            return self.variables.get(name)
        # An imported input is given under its import's name as a context.
        prefix = graph.imports.get(owner.definitions.namespace)
        nested = self.variables.get(prefix) if prefix else None
        if isinstance(nested, Mapping):
            return nested.get(name)
        return self.variables.get(name)

    # -- knowledge models and decision services ----------------------------------------

    def callable(self, graph: CompiledGraph, element_id: str) -> tuple[str, FeelFunction]:
        """The function value of a knowledge model or decision service, with its name."""
        if element_id in graph.knowledge:
            return self._knowledge(graph, element_id)
        service = graph.services.get(element_id)
        if service is None:
            raise DecisionEvaluationError(f"no knowledge model or decision service {element_id!r}")
        return service.name, self._service(graph, element_id)

    def _knowledge(self, graph: CompiledGraph, element_id: str) -> tuple[str, FeelFunction]:
        compiled = graph.knowledge[element_id]
        bkm = compiled.model
        if compiled.define is None:
            message = f"business knowledge model {bkm.name!r} has no logic"

            def fail(_args: Sequence[Any]) -> Any:
                raise DecisionEvaluationError(message, bkm.source.element_id)

            return bkm.name, _feel.function_value(bkm.name, (), fail)
        # The scope is filled after the function exists, so a model may call itself.
        closure: Scope = {} if self.now is None else {NOW: self.now}
        function = compiled.define(closure)
        if not isinstance(function, FeelFunction):
            raise DecisionEvaluationError(f"{bkm.name!r} is not a function", bkm.source.element_id)
        closure[bkm.name] = function
        for requirement in bkm.required_knowledge:
            owner = self.locate(graph, requirement)
            if owner is graph and requirement.element_id == element_id:
                continue
            name, required = self.callable(owner, requirement.element_id)
            _place(closure, graph, owner, name, required)
        declared = _result_type(compiled.declared)
        if declared is None:
            return bkm.name, function

        def typed(args: Sequence[Any]) -> Any:
            value, _conformed = coerce(_feel.call(function, args), declared)
            return value

        return bkm.name, _feel.function_value(bkm.name, function.parameters, typed)

    def _service(self, graph: CompiledGraph, element_id: str) -> FeelFunction:
        run = self.service_runner(graph, element_id)
        service = graph.services[element_id]
        parameters = service_parameters(graph, element_id)
        return _feel.function_value(service.name, parameters, lambda args: run(args, True))

    def service_runner(
        self, graph: CompiledGraph, element_id: str
    ) -> Callable[[Sequence[Any], bool], Any]:
        """Runs a decision service: (arguments in parameter order, strict) -> result.

        Strict (a FEEL invocation): an argument of the wrong type makes the call fail.
        Otherwise (a direct invocation) such an argument is taken as null."""
        service = graph.services[element_id]
        input_data = [
            graph.inputs[r.element_id] for r in service.input_data if r.element_id in graph.inputs
        ]
        input_decisions = [
            graph.decisions[r.element_id]
            for r in service.input_decisions
            if r.element_id in graph.decisions
        ]
        locate = self.locate
        now = self.now
        result_type = _result_type(graph.types.resolve(service.type_ref))

        def run(args: Sequence[Any], strict: bool) -> Any:
            given: dict[tuple[int, str], Any] = {}
            variables: dict[str, Any] = {}
            declared_types = [i.declared for i in input_data] + [
                d.declared for d in input_decisions
            ]
            checked = []
            for argument, declared in zip(args, declared_types, strict=False):
                value, conformed = coerce(argument, declared)
                if not conformed and strict:
                    raise DecisionEvaluationError(
                        f"decision service {service.name!r} got an argument of the wrong type",
                        service.source.element_id,
                    )
                checked.append(value)
            for compiled_input, argument in zip(input_data, checked, strict=False):
                variables[compiled_input.input.name] = argument
            for compiled_decision, argument in zip(
                input_decisions, checked[len(input_data) :], strict=False
            ):
                key = (id(graph), compiled_decision.decision.source.element_id or "")
                given[key] = argument
            inner = Evaluation(variables, locate, record=self.record, given=given, now=now)
            results: dict[str, Any] = {}
            try:
                for requirement in service.output_decisions:
                    owner = locate(graph, requirement)
                    compiled = owner.decisions[requirement.element_id]
                    results[compiled.decision.name] = inner.decision(owner, compiled)
            finally:
                # The decisions a service evaluates belong to the caller's trail, as Zeebe
                # records every decision an evaluation ran.
                self.trail.extend(inner.trail)
            result: Any = next(iter(results.values())) if len(results) == 1 else results
            return coerce(result, result_type)[0]

        return run


def service_parameters(graph: CompiledGraph, element_id: str) -> list[str]:
    """A decision service's parameters: its input data, then its input decisions."""
    service = graph.services[element_id]
    return [
        graph.inputs[r.element_id].input.name
        for r in service.input_data
        if r.element_id in graph.inputs
    ] + [
        graph.decisions[r.element_id].decision.name
        for r in service.input_decisions
        if r.element_id in graph.decisions
    ]


def _result_type(declared: DmnType | None) -> DmnType | None:
    """The type a function's result must have: a function type's output, else the type."""
    if declared is None or declared.kind == "Any":
        return None
    if declared.kind == "function":
        return (
            declared.output
            if declared.output is not None and declared.output.kind != "Any"
            else None
        )
    return declared


def _place(scope: Scope, graph: CompiledGraph, owner: CompiledGraph, name: str, value: Any) -> None:
    if owner is graph:
        scope[name] = value
        return
    prefix = graph.imports.get(owner.definitions.namespace, owner.definitions.name)
    nested = scope.get(prefix)
    nested = dict(nested) if isinstance(nested, Mapping) else {}
    nested[name] = value
    scope[prefix] = nested


def _table_trail(
    compiled: CompiledDecision,
    input_values: tuple[Any, ...],
    matched: tuple[tuple[int, tuple[Any, ...]], ...],
) -> tuple[tuple[EvaluatedInput, ...], tuple[MatchedRule, ...]]:
    table = compiled.table
    assert table is not None
    clauses = table.table.inputs
    inputs = tuple(
        EvaluatedInput(
            clause.source.element_id or "",
            clause.label or clause.expression.strip(),
            _feel.json_text(value),
        )
        for clause, value in zip(clauses, input_values, strict=True)
    )
    outputs = table.table.outputs
    rules = tuple(
        MatchedRule(
            table.table.rules[index].source.element_id or "",
            index + 1,
            tuple(
                EvaluatedOutput(
                    clause.source.element_id or "",
                    clause.name or clause.label or "",
                    _feel.json_text(value),
                )
                for clause, value in zip(outputs, values, strict=True)
            ),
        )
        for index, values in matched
    )
    return inputs, rules
