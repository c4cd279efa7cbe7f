"""The parsed DMN model: frozen values mirroring the XML, with source lines for errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class HitPolicy(Enum):
    """How a decision table combines the rules that match."""

    UNIQUE = "UNIQUE"
    FIRST = "FIRST"
    PRIORITY = "PRIORITY"
    ANY = "ANY"
    COLLECT = "COLLECT"
    RULE_ORDER = "RULE ORDER"
    OUTPUT_ORDER = "OUTPUT ORDER"


class Aggregation(Enum):
    """The aggregation a COLLECT table applies to its outputs."""

    SUM = "SUM"
    MIN = "MIN"
    MAX = "MAX"
    COUNT = "COUNT"


class IteratorKind(Enum):
    """The three iterator boxed expressions."""

    FOR = "for"
    SOME = "some"
    EVERY = "every"


@dataclass(frozen=True, slots=True)
class Source:
    """Where an element sits in its resource."""

    line: int  # 1-based; 0 when unknown
    element_id: str | None


@dataclass(frozen=True, slots=True)
class LiteralExpression:
    """A FEEL expression in text."""

    source: Source
    type_ref: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ContextEntry:
    """One entry of a boxed context; ``name`` None marks the final result entry."""

    source: Source
    name: str | None
    type_ref: str | None
    value: Expression


@dataclass(frozen=True, slots=True)
class ContextExpression:
    """A boxed context: entries evaluated in order, each seeing the ones before."""

    source: Source
    type_ref: str | None
    entries: tuple[ContextEntry, ...]


@dataclass(frozen=True, slots=True)
class Binding:
    """A parameter binding of an invocation; ``value`` None binds null."""

    name: str
    value: Expression | None


@dataclass(frozen=True, slots=True)
class Invocation:
    """A boxed invocation: call a function (usually a business knowledge model) by name."""

    source: Source
    type_ref: str | None
    callee: Expression
    bindings: tuple[Binding, ...]


@dataclass(frozen=True, slots=True)
class ListExpression:
    """A boxed list."""

    source: Source
    type_ref: str | None
    items: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Relation:
    """A boxed relation: a list of contexts sharing column names."""

    source: Source
    type_ref: str | None
    columns: tuple[str, ...]
    rows: tuple[tuple[Expression, ...], ...]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A formal parameter of a function definition."""

    name: str
    type_ref: str | None


@dataclass(frozen=True, slots=True)
class FunctionDefinition:
    """A boxed function definition (FEEL kind; Java and PMML parse but fail when invoked)."""

    source: Source
    type_ref: str | None
    kind: str
    parameters: tuple[Parameter, ...]
    body: Expression | None


@dataclass(frozen=True, slots=True)
class Conditional:
    """A boxed if/then/else."""

    source: Source
    type_ref: str | None
    condition: Expression
    then: Expression
    otherwise: Expression


@dataclass(frozen=True, slots=True)
class Iterator:
    """A boxed for/some/every over one iterator variable."""

    source: Source
    type_ref: str | None
    kind: IteratorKind
    variable: str
    domain: Expression
    body: Expression  # the ``return`` of for, the ``satisfies`` of some/every


@dataclass(frozen=True, slots=True)
class Filter:
    """A boxed filter: the items of ``domain`` for which ``match`` holds (``item`` bound)."""

    source: Source
    type_ref: str | None
    domain: Expression
    match: Expression


@dataclass(frozen=True, slots=True)
class InputClause:
    """A decision table input column."""

    source: Source
    label: str | None
    expression: str
    type_ref: str | None
    input_values: str | None


@dataclass(frozen=True, slots=True)
class OutputClause:
    """A decision table output column."""

    source: Source
    name: str | None
    label: str | None
    type_ref: str | None
    output_values: str | None
    default_output: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    """A decision table rule: one unary test per input, one expression per output."""

    source: Source
    input_entries: tuple[str, ...]
    output_entries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DecisionTable:
    """A decision table."""

    source: Source
    type_ref: str | None
    hit_policy: HitPolicy
    aggregation: Aggregation | None
    inputs: tuple[InputClause, ...]
    outputs: tuple[OutputClause, ...]
    rules: tuple[Rule, ...]
    output_label: str | None


Expression = (
    LiteralExpression
    | ContextExpression
    | Invocation
    | ListExpression
    | Relation
    | FunctionDefinition
    | Conditional
    | Iterator
    | Filter
    | DecisionTable
)


@dataclass(frozen=True, slots=True)
class ItemDefinition:
    """A named type: a base type reference or components, optionally restricted and a list."""

    source: Source
    name: str
    type_ref: str | None
    allowed_values: str | None
    is_collection: bool
    components: tuple[ItemDefinition, ...] = ()
    function_parameters: tuple[Parameter, ...] | None = None  # set for a ``functionItem``
    function_output: str | None = None


@dataclass(frozen=True, slots=True)
class InputData:
    """An input of the decision requirements graph."""

    source: Source
    name: str
    type_ref: str | None


@dataclass(frozen=True, slots=True)
class Requirement:
    """A reference to another element, by id, optionally in an imported model's namespace."""

    namespace: str | None
    element_id: str


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision: its logic, its result type and what it requires."""

    source: Source
    name: str
    type_ref: str | None
    logic: Expression | None
    required_decisions: tuple[Requirement, ...]
    required_inputs: tuple[Requirement, ...]
    required_knowledge: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class BusinessKnowledgeModel:
    """A reusable function, invoked by name from decisions and other knowledge models."""

    source: Source
    name: str
    type_ref: str | None
    logic: FunctionDefinition | None
    required_knowledge: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class DecisionService:
    """A function over a set of decisions: inputs in, output decisions' results out."""

    source: Source
    name: str
    type_ref: str | None
    output_decisions: tuple[Requirement, ...]
    encapsulated_decisions: tuple[Requirement, ...]
    input_decisions: tuple[Requirement, ...]
    input_data: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class Import:
    """An import of another model, whose names are then prefixed by ``name``."""

    name: str
    namespace: str
    import_type: str


@dataclass(frozen=True, slots=True)
class Definitions:
    """One DMN resource: the decision requirements graph and its types."""

    resource_name: str
    id: str
    name: str
    namespace: str
    dmn_version: str
    decisions: tuple[Decision, ...]
    input_data: tuple[InputData, ...]
    knowledge_models: tuple[BusinessKnowledgeModel, ...]
    services: tuple[DecisionService, ...]
    item_definitions: tuple[ItemDefinition, ...]
    imports: tuple[Import, ...] = field(default=())
