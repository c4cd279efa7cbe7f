"""The public entry points: parse resources into models and evaluate decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cadenza.dmn import _feel
from cadenza.dmn._graph import CompiledGraph
from cadenza.dmn._model import Definitions, Requirement, Source
from cadenza.dmn._parser import read_definitions
from cadenza.dmn._result import (
    DecisionEvaluationError,
    DecisionFailure,
    DecisionResult,
    DmnError,
)
from cadenza.dmn._run import Evaluation
from cadenza.model import Problem


@dataclass(frozen=True, slots=True)
class DecisionInfo:
    """A decision as a deployment records it."""

    decision_id: str
    decision_name: str


class DecisionModel:
    """One parsed DMN resource, ready to evaluate (together with the models it imports)."""

    def __init__(self, graph: CompiledGraph, models: ModelSet) -> None:
        self._graph = graph
        self._models = models

    @property
    def definitions(self) -> Definitions:
        """The parsed model as written."""
        return self._graph.definitions

    @property
    def decision_requirements_id(self) -> str:
        """The definitions id: Zeebe's decision requirements id."""
        return self._graph.definitions.id

    @property
    def decision_requirements_name(self) -> str:
        """The definitions name: Zeebe's decision requirements name."""
        return self._graph.definitions.name

    @property
    def namespace(self) -> str:
        """The definitions namespace."""
        return self._graph.definitions.namespace

    @property
    def decisions(self) -> tuple[DecisionInfo, ...]:
        """Every decision of the model, in document order."""
        return tuple(
            DecisionInfo(d.source.element_id or d.name, d.name)
            for d in self._graph.definitions.decisions
        )

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Expression problems found while compiling (empty unless parsed leniently)."""
        return self._graph.problems

    def evaluate(
        self,
        decision: str,
        variables: Mapping[str, Any] | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> DecisionResult:
        """Evaluate a decision (by id, else by name) with JSON-like variables.

        ``now`` is what FEEL ``now()`` and ``today()`` return (null without it: the library
        reads no clock). Never raises for a failing evaluation: the result then carries the
        failure. An unknown decision is reported the same way, with the reference as failed
        decision id."""
        return self.evaluate_values(decision, from_json(variables or {}), now=now)

    def evaluate_values(
        self,
        decision: str,
        variables: Mapping[str, Any],
        *,
        given_decisions: frozenset[str] = frozenset(),
        now: dt.datetime | None = None,
    ) -> DecisionResult:
        """Like :meth:`evaluate`, with variables already FEEL values (exact decimals, dates).

        Required decisions named in ``given_decisions`` take their value from ``variables``
        instead of being evaluated (the requested decision itself is always evaluated)."""
        compiled = self._graph.find_decision(decision)
        if compiled is None:
            return DecisionResult(
                decision,
                "",
                None,
                None,
                (),
                DecisionFailure(decision, f"no decision with id or name {decision!r}"),
            )
        run = Evaluation(variables, self._models.locate, given_decisions=given_decisions, now=now)
        decision_id = compiled.decision.source.element_id or compiled.decision.name
        try:
            value = run.decision(self._graph, compiled)
        except DecisionEvaluationError as error:
            return DecisionResult(
                decision_id,
                compiled.decision.name,
                None,
                None,
                tuple(run.trail),
                DecisionFailure(error.decision_id or decision_id, error.message),
            )
        except RecursionError:
            return DecisionResult(
                decision_id,
                compiled.decision.name,
                None,
                None,
                tuple(run.trail),
                DecisionFailure(decision_id, "evaluation nested too deeply"),
            )
        except Exception as error:  # a defect must not reach the user raw
            return DecisionResult(
                decision_id,
                compiled.decision.name,
                None,
                None,
                tuple(run.trail),
                DecisionFailure(
                    decision_id, f"internal error while evaluating: {type(error).__name__}: {error}"
                ),
            )
        return DecisionResult(
            decision_id, compiled.decision.name, _feel.to_json(value), value, tuple(run.trail), None
        )

    def invoke(
        self, name: str, arguments: Mapping[str, Any], *, now: dt.datetime | None = None
    ) -> Any:
        """Invoke a business knowledge model or decision service by id or name with named FEEL
        arguments; raises :class:`DecisionEvaluationError` when it cannot be found or fails."""
        found = self._graph.find_callable(name)
        if found is None:
            raise DecisionEvaluationError(f"no knowledge model or decision service {name!r}")
        run = Evaluation({}, self._models.locate, record=False, now=now)
        kind, element_id = found
        _name, function = run.callable(self._graph, element_id)
        unknown = set(arguments) - set(function.parameters)
        if unknown:
            raise DecisionEvaluationError(f"{name!r} has no parameter {sorted(unknown)[0]!r}")
        args = [arguments.get(p) for p in function.parameters]
        try:
            if kind == "service":
                # Invoked directly, an argument of the wrong type is taken as null.
                return run.service_runner(self._graph, element_id)(args, False)
            return _feel.call(function, args)
        except (_feel.FeelError, ArithmeticError, TypeError, ValueError) as error:
            raise DecisionEvaluationError(f"{type(error).__name__}: {error}") from error


class ModelSet:
    """Models evaluated together: imports resolve by namespace among them."""

    def __init__(self, check_values: bool = False) -> None:
        self.check_values = check_values
        self._graphs: dict[str, CompiledGraph] = {}
        self.models: dict[str, DecisionModel] = {}

    def locate(self, graph: CompiledGraph, requirement: Requirement) -> CompiledGraph:
        """The graph a requirement points into (its own unless it names a namespace)."""
        if requirement.namespace is None or requirement.namespace == graph.definitions.namespace:
            return graph
        found = self._graphs.get(requirement.namespace)
        if found is None:
            raise DecisionEvaluationError(
                f"requirement {requirement.element_id!r} points into namespace "
                f"{requirement.namespace!r} that is not imported"
            )
        return found

    def add(self, definitions: Definitions) -> CompiledGraph:
        """Compile one definitions, whose imports must have been added first."""
        imported = {
            i.name: self._graphs[i.namespace].types
            for i in definitions.imports
            if i.namespace in self._graphs
        }
        imported_names = frozenset(
            name
            for i in definitions.imports
            if i.namespace in self._graphs
            for name in self._graphs[i.namespace].names
        )
        graph = CompiledGraph(definitions, imported, imported_names, self.check_values)
        self._graphs[definitions.namespace] = graph
        self.models[definitions.resource_name] = DecisionModel(graph, self)
        return graph


def parse(
    data: str | bytes,
    resource_name: str = "model.dmn",
    *,
    strict: bool = True,
    check_values: bool = False,
) -> DecisionModel:
    """Parse one DMN resource (DMN 1.1 to 1.5) into an evaluable model.

    Raises :class:`DmnError` with every problem found (file, line, element id, message). With
    ``strict`` False a FEEL syntax error only fails the decisions that reach it (reported in
    :attr:`DecisionModel.problems`). ``check_values`` makes decision tables enforce their input
    values, output values and output types as the DMN specification reads; by default they do
    not, as Camunda 8 does not."""
    models = parse_many([(resource_name, data)], strict=strict, check_values=check_values)
    return models[resource_name]


def parse_many(
    resources: Sequence[tuple[str, str | bytes]],
    *,
    strict: bool = True,
    check_values: bool = False,
) -> dict[str, DecisionModel]:
    """Parse resources that import one another; returns the models by resource name."""
    problems: list[Problem] = []
    parsed: list[Definitions] = []
    for name, data in resources:
        definitions, found = read_definitions(data, name)
        problems.extend(found)
        if definitions is not None:
            parsed.append(definitions)
    for definitions in parsed:
        problems.extend(_dangling_references(definitions))
    if problems:
        raise DmnError(problems)
    models = ModelSet(check_values)
    pending = {d.namespace: d for d in parsed}
    # Imported models compile first so their types are known to the importers.
    while pending:
        ready = [
            d
            for d in pending.values()
            if all(i.namespace not in pending or i.namespace == d.namespace for i in d.imports)
        ]
        if not ready:
            ready = list(pending.values())  # an import cycle: types across it go unchecked
        for definitions in ready:
            graph = models.add(definitions)
            problems.extend(graph.problems if strict else ())
            pending.pop(definitions.namespace, None)
    for definitions in parsed:
        known = {d.namespace for d in parsed}
        for imported in definitions.imports:
            is_dmn = "dmn" in imported.import_type.lower()
            if is_dmn and imported.namespace not in known:
                problems.append(
                    Problem(
                        definitions.resource_name,
                        0,
                        None,
                        f"imported model {imported.namespace!r} ({imported.name}) is missing",
                    )
                )
    if problems:
        raise DmnError(problems)
    return models.models


def _dangling_references(definitions: Definitions) -> list[Problem]:
    """Ids used twice, and requirements that point at no element of their own model (imports
    are checked when the model set is complete)."""
    decisions = {d.source.element_id for d in definitions.decisions}
    inputs = {i.source.element_id for i in definitions.input_data}
    callables = {b.source.element_id for b in definitions.knowledge_models} | {
        s.source.element_id for s in definitions.services
    }
    problems: list[Problem] = []

    def check(
        owner: Source, kind: str, refs: Sequence[Requirement], known: set[str | None]
    ) -> None:
        for ref in refs:
            local = ref.namespace is None or ref.namespace == definitions.namespace
            if local and ref.element_id not in known:
                problems.append(
                    Problem(
                        definitions.resource_name,
                        owner.line,
                        owner.element_id,
                        f"{kind} {ref.element_id!r} is not defined in this model",
                    )
                )

    seen: set[str] = set()
    sources: list[Source] = [
        *(d.source for d in definitions.decisions),
        *(i.source for i in definitions.input_data),
        *(b.source for b in definitions.knowledge_models),
        *(s.source for s in definitions.services),
    ]
    for source in sources:
        element_id = source.element_id
        if element_id is not None and element_id in seen:
            problems.append(
                Problem(
                    definitions.resource_name,
                    source.line,
                    element_id,
                    f"the id {element_id!r} is used by another element",
                )
            )
        if element_id is not None:
            seen.add(element_id)
    for decision in definitions.decisions:
        check(decision.source, "required decision", decision.required_decisions, decisions)
        check(decision.source, "required input", decision.required_inputs, inputs)
        check(decision.source, "required knowledge", decision.required_knowledge, callables)
    for bkm in definitions.knowledge_models:
        check(bkm.source, "required knowledge", bkm.required_knowledge, callables)
    for service in definitions.services:
        check(service.source, "output decision", service.output_decisions, decisions)
        check(service.source, "encapsulated decision", service.encapsulated_decisions, decisions)
        check(service.source, "input decision", service.input_decisions, decisions)
        check(service.source, "input data", service.input_data, inputs)
    return problems


def from_json(value: Any) -> Any:
    """JSON-like values as FEEL values: numbers become exact decimals."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {str(k): from_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [from_json(v) for v in value]
    return value
