"""DMN 1.1 to 1.5: parse decision models and evaluate decisions with the Zeebe audit trail.

Pure: no files, clock or I/O. ``parse`` takes text or bytes; ``evaluate`` returns a
:class:`DecisionResult` holding the output, every evaluated decision and, if any, the failure.
"""

from cadenza.dmn._api import DecisionInfo, DecisionModel, ModelSet, from_json, parse, parse_many
from cadenza.dmn._model import Aggregation, Definitions, HitPolicy
from cadenza.dmn._reader import MAX_RESOURCE_BYTES
from cadenza.dmn._result import (
    UNKNOWN_VERSION,
    DecisionEvaluationError,
    DecisionFailure,
    DecisionResult,
    DecisionType,
    DmnError,
    EvaluatedDecision,
    EvaluatedInput,
    EvaluatedOutput,
    MatchedRule,
)

__all__ = [
    "MAX_RESOURCE_BYTES",
    "UNKNOWN_VERSION",
    "Aggregation",
    "DecisionEvaluationError",
    "DecisionFailure",
    "DecisionInfo",
    "DecisionModel",
    "DecisionResult",
    "DecisionType",
    "Definitions",
    "DmnError",
    "EvaluatedDecision",
    "EvaluatedInput",
    "EvaluatedOutput",
    "HitPolicy",
    "MatchedRule",
    "ModelSet",
    "from_json",
    "parse",
    "parse_many",
]
