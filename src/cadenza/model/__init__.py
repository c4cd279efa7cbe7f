"""BPMN models: XML as Camunda Modeler writes it -> frozen executable processes."""

from cadenza.model._elements import (
    CalledDecision,
    CalledElement,
    Element,
    ElementKind,
    EventType,
    Expression,
    JobDefinition,
    Mapping_,
    MessageDefinition,
    MultiInstance,
    Process,
    Script,
    SequenceFlow,
    TimerDefinition,
    UserTaskDefinition,
)
from cadenza.model._problems import Problem, ResourceError

__all__ = [
    "CalledDecision",
    "CalledElement",
    "Element",
    "ElementKind",
    "EventType",
    "Expression",
    "JobDefinition",
    "Mapping_",
    "MessageDefinition",
    "MultiInstance",
    "Problem",
    "Process",
    "ResourceError",
    "Script",
    "SequenceFlow",
    "TimerDefinition",
    "UserTaskDefinition",
]
