"""What an evaluation returns: the result, the trail Zeebe reports, and the failure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from cadenza.model import Problem, ResourceError

UNKNOWN_VERSION = -1  # the library does not know deployment versions; the engine fills them


class DmnError(ResourceError):
    """A DMN resource that cannot be used: each problem has file, line, element id, message."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)


class DecisionType(Enum):
    """The kind of logic of an evaluated decision, as Zeebe names it in its records."""

    DECISION_TABLE = "DECISION_TABLE"
    LITERAL_EXPRESSION = "LITERAL_EXPRESSION"
    CONTEXT = "CONTEXT"
    INVOCATION = "INVOCATION"
    LIST = "LIST"
    RELATION = "RELATION"
    FUNCTION_DEFINITION = "FUNCTION_DEFINITION"
    CONDITIONAL = "CONDITIONAL"
    ITERATOR = "ITERATOR"
    FILTER = "FILTER"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class EvaluatedInput:
    """One input column of a decision table and the value it had (JSON text)."""

    input_id: str
    input_name: str
    input_value: str


@dataclass(frozen=True, slots=True)
class EvaluatedOutput:
    """One output of a matched rule and its value (JSON text)."""

    output_id: str
    output_name: str
    output_value: str


@dataclass(frozen=True, slots=True)
class MatchedRule:
    """A rule that matched; ``rule_index`` counts from 1 in document order."""

    rule_id: str
    rule_index: int
    evaluated_outputs: tuple[EvaluatedOutput, ...]


@dataclass(frozen=True, slots=True)
class EvaluatedDecision:
    """One decision evaluated on the way to the result, in evaluation order."""

    decision_id: str
    decision_name: str
    decision_type: DecisionType
    decision_version: int
    decision_output: str  # JSON text
    evaluated_inputs: tuple[EvaluatedInput, ...]
    matched_rules: tuple[MatchedRule, ...]


@dataclass(frozen=True, slots=True)
class DecisionFailure:
    """Why an evaluation failed and in which decision."""

    failed_decision_id: str
    evaluation_failure_message: str


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """The outcome of evaluating one decision.

    ``output`` is the JSON-like result (None when the evaluation failed); ``value`` is the
    same result as a FEEL value (exact decimals, temporal values), for callers that chain."""

    decision_id: str
    decision_name: str
    output: Any
    value: Any
    evaluated_decisions: tuple[EvaluatedDecision, ...]
    failure: DecisionFailure | None

    @property
    def failed(self) -> bool:
        """True when the evaluation did not produce a result."""
        return self.failure is not None


class DecisionEvaluationError(Exception):
    """Raised inside evaluation when a decision cannot produce a value; caught by the evaluator
    and turned into a :class:`DecisionFailure`, never seen by callers of ``evaluate``."""

    def __init__(
        self, message: str, element_id: str | None = None, decision_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.element_id = element_id
        self.decision_id = decision_id  # set by the innermost decision it escapes from
