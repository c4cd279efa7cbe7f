"""The decision requirements graph of one model, compiled: decisions, knowledge models,
decision services and input data, each reachable by id and by name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cadenza.dmn._boxed import ExpressionCompiler
from cadenza.dmn._feel import ValueFn
from cadenza.dmn._model import (
    BusinessKnowledgeModel,
    Conditional,
    ContextExpression,
    Decision,
    DecisionService,
    DecisionTable,
    Definitions,
    Expression,
    Filter,
    FunctionDefinition,
    InputData,
    Invocation,
    ItemDefinition,
    Iterator,
    ListExpression,
    LiteralExpression,
    Relation,
)
from cadenza.dmn._result import DecisionType
from cadenza.dmn._tables import CompiledTable
from cadenza.dmn._types import DmnType, TypeResolver
from cadenza.model import Problem

_DECISION_TYPES: dict[type, DecisionType] = {
    DecisionTable: DecisionType.DECISION_TABLE,
    LiteralExpression: DecisionType.LITERAL_EXPRESSION,
    ContextExpression: DecisionType.CONTEXT,
    Invocation: DecisionType.INVOCATION,
    ListExpression: DecisionType.LIST,
    Relation: DecisionType.RELATION,
    FunctionDefinition: DecisionType.FUNCTION_DEFINITION,
    Conditional: DecisionType.CONDITIONAL,
    Iterator: DecisionType.ITERATOR,
    Filter: DecisionType.FILTER,
}


@dataclass(frozen=True, slots=True)
class CompiledDecision:
    """A decision with its logic compiled; ``table`` is set when the logic is a table."""

    decision: Decision
    decision_type: DecisionType
    logic: ValueFn | None
    table: CompiledTable | None
    declared: DmnType | None


@dataclass(frozen=True, slots=True)
class CompiledKnowledge:
    """A business knowledge model: ``define`` turns a scope into its function value."""

    model: BusinessKnowledgeModel
    define: ValueFn | None
    declared: DmnType | None


@dataclass(frozen=True, slots=True)
class CompiledInput:
    """An input data element and its declared type."""

    input: InputData
    declared: DmnType | None


class CompiledGraph:
    """Everything of one :class:`Definitions` compiled once, looked up by id."""

    def __init__(
        self,
        definitions: Definitions,
        imported_types: Mapping[str, TypeResolver],
        imported_names: frozenset[str] = frozenset(),
        check_values: bool = False,
    ) -> None:
        self.definitions = definitions
        self.types = TypeResolver(
            definitions.item_definitions, imported_types, definitions.resource_name
        )
        self.names = model_names(definitions)
        compiler = ExpressionCompiler(
            definitions.resource_name,
            self.types.resolve,
            self.names | imported_names,
            check_values,
        )
        self.decisions: dict[str, CompiledDecision] = {}
        for decision in definitions.decisions:
            logic = decision.logic
            table = compiler.table(logic) if isinstance(logic, DecisionTable) else None
            self.decisions[decision.source.element_id or decision.name] = CompiledDecision(
                decision,
                _decision_type(logic),
                compiler.expression(logic) if logic is not None and table is None else None,
                table,
                self.types.resolve(decision.type_ref),
            )
        self.knowledge: dict[str, CompiledKnowledge] = {}
        for bkm in definitions.knowledge_models:
            self.knowledge[bkm.source.element_id or bkm.name] = CompiledKnowledge(
                bkm,
                compiler.function(bkm.logic, bkm.name) if bkm.logic is not None else None,
                self.types.resolve(bkm.type_ref),
            )
        self.services: dict[str, DecisionService] = {
            s.source.element_id or s.name: s for s in definitions.services
        }
        self.inputs: dict[str, CompiledInput] = {
            i.source.element_id or i.name: CompiledInput(i, self.types.resolve(i.type_ref))
            for i in definitions.input_data
        }
        for item in definitions.item_definitions:
            self.types.resolve(item.name)  # every allowed-values list compiled, now
        self.problems: tuple[Problem, ...] = (*self.types.problems, *compiler.problems)
        self.imports = {i.namespace: i.name for i in definitions.imports}

    def find_decision(self, reference: str) -> CompiledDecision | None:
        """A decision by id, else by name."""
        found = self.decisions.get(reference)
        if found is not None:
            return found
        return next((d for d in self.decisions.values() if d.decision.name == reference), None)

    def find_callable(self, reference: str) -> tuple[str, str] | None:
        """A knowledge model or decision service by id or name: (kind, id)."""
        for kind, table in (("bkm", self.knowledge), ("service", self.services)):
            if reference in table:
                return kind, reference
        for bkm_id, bkm in self.knowledge.items():
            if bkm.model.name == reference:
                return "bkm", bkm_id
        for service_id, service in self.services.items():
            if service.name == reference:
                return "service", service_id
        return None


def model_names(definitions: Definitions) -> frozenset[str]:
    """Every name a FEEL expression of the model may use: elements, context entries,
    parameters, iterator variables, columns, item components and import prefixes."""
    names: set[str] = set()
    names.update(d.name for d in definitions.decisions)
    names.update(d.source.element_id for d in definitions.decisions if d.source.element_id)
    names.update(i.name for i in definitions.input_data)
    names.update(b.name for b in definitions.knowledge_models)
    names.update(s.name for s in definitions.services)
    names.update(i.name for i in definitions.imports)

    def add_item(item: ItemDefinition) -> None:
        names.add(item.name)
        for component in item.components:
            add_item(component)
        for parameter in item.function_parameters or ():
            names.add(parameter.name)

    for item in definitions.item_definitions:
        add_item(item)

    def add_expression(expression: Expression | None) -> None:
        if expression is None:
            return
        if isinstance(expression, ContextExpression):
            for entry in expression.entries:
                if entry.name:
                    names.add(entry.name)
                add_expression(entry.value)
        elif isinstance(expression, FunctionDefinition):
            # A dotted parameter (``Person.Gender``) would hide the path of the same spelling
            # everywhere; the compiler declares such names inside the function only.
            names.update(p.name for p in expression.parameters if "." not in p.name)
            add_expression(expression.body)
        elif isinstance(expression, Invocation):
            add_expression(expression.callee)
            for binding in expression.bindings:
                add_expression(binding.value)
        elif isinstance(expression, ListExpression):
            for item in expression.items:
                add_expression(item)
        elif isinstance(expression, Relation):
            names.update(expression.columns)
            for row in expression.rows:
                for cell in row:
                    add_expression(cell)
        elif isinstance(expression, Conditional):
            for part in (expression.condition, expression.then, expression.otherwise):
                add_expression(part)
        elif isinstance(expression, Iterator):
            names.add(expression.variable)
            add_expression(expression.domain)
            add_expression(expression.body)
        elif isinstance(expression, Filter):
            add_expression(expression.domain)
            add_expression(expression.match)
        elif isinstance(expression, DecisionTable):
            names.update(o.name for o in expression.outputs if o.name)

    for decision in definitions.decisions:
        add_expression(decision.logic)
    for bkm in definitions.knowledge_models:
        add_expression(bkm.logic)
    names.discard("")
    return frozenset(names)


def _decision_type(logic: Expression | None) -> DecisionType:
    if logic is None:
        return DecisionType.UNKNOWN
    return _DECISION_TYPES.get(type(logic), DecisionType.UNKNOWN)
