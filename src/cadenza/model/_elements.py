"""The executable BPMN model: frozen values the kernel executes.

The transformer (``_bpmn.py``) builds these from Camunda Modeler XML; the kernel only reads them.
Every element knows its id, kind, the id of the scope that contains it (``scope_id``: the process
or the enclosing subprocess) and the line it was declared on, so errors can point at the XML.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class ElementKind(enum.Enum):
    """BPMN element types, named as Zeebe's ``BpmnElementType`` names them on the wire."""

    PROCESS = "PROCESS"
    SUB_PROCESS = "SUB_PROCESS"
    EVENT_SUB_PROCESS = "EVENT_SUB_PROCESS"
    START_EVENT = "START_EVENT"
    INTERMEDIATE_CATCH_EVENT = "INTERMEDIATE_CATCH_EVENT"
    INTERMEDIATE_THROW_EVENT = "INTERMEDIATE_THROW_EVENT"
    BOUNDARY_EVENT = "BOUNDARY_EVENT"
    END_EVENT = "END_EVENT"
    SERVICE_TASK = "SERVICE_TASK"
    RECEIVE_TASK = "RECEIVE_TASK"
    USER_TASK = "USER_TASK"
    MANUAL_TASK = "MANUAL_TASK"
    TASK = "TASK"
    EXCLUSIVE_GATEWAY = "EXCLUSIVE_GATEWAY"
    PARALLEL_GATEWAY = "PARALLEL_GATEWAY"
    EVENT_BASED_GATEWAY = "EVENT_BASED_GATEWAY"
    INCLUSIVE_GATEWAY = "INCLUSIVE_GATEWAY"
    SEQUENCE_FLOW = "SEQUENCE_FLOW"
    MULTI_INSTANCE_BODY = "MULTI_INSTANCE_BODY"
    CALL_ACTIVITY = "CALL_ACTIVITY"
    BUSINESS_RULE_TASK = "BUSINESS_RULE_TASK"
    SCRIPT_TASK = "SCRIPT_TASK"
    SEND_TASK = "SEND_TASK"


class EventType(enum.Enum):
    """The event definition of an event element, as Zeebe's ``BpmnEventType``."""

    NONE = "NONE"
    MESSAGE = "MESSAGE"
    TIMER = "TIMER"
    ERROR = "ERROR"
    SIGNAL = "SIGNAL"
    ESCALATION = "ESCALATION"
    TERMINATE = "TERMINATE"
    LINK = "LINK"
    COMPENSATION = "COMPENSATION"
    CONDITIONAL = "CONDITIONAL"
    UNSPECIFIED = "UNSPECIFIED"


@dataclass(frozen=True, slots=True)
class Expression:
    """A property value as written in the model.

    Zeebe's rule: a value that starts with ``=`` is a FEEL expression (``feel`` holds the text
    after the ``=``); any other value is a static string (``feel`` is None).
    """

    source: str
    feel: str | None

    @staticmethod
    def of(source: str) -> Expression:
        """Classify ``source`` by Zeebe's ``=`` prefix rule."""
        stripped = source.strip()
        if stripped.startswith("="):
            return Expression(source, stripped[1:])
        return Expression(source, None)

    @staticmethod
    def feel_only(source: str) -> Expression:
        """An attribute that is always FEEL (conditions, collections); a leading ``=`` is optional."""
        stripped = source.strip()
        return Expression(source, stripped[1:] if stripped.startswith("=") else stripped)

    @property
    def is_static(self) -> bool:
        """True when the value is a static string, not FEEL."""
        return self.feel is None


@dataclass(frozen=True, slots=True)
class Mapping_:
    """One ``zeebe:input`` / ``zeebe:output``: ``target`` (a variable name or a path
    ``a.b.c``) receives the value of ``source``."""

    source: Expression
    target: str


@dataclass(frozen=True, slots=True)
class JobDefinition:
    """``zeebe:taskDefinition`` with ``zeebe:taskHeaders``: what a job worker receives."""

    type: Expression
    retries: Expression
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MultiInstance:
    """``multiInstanceLoopCharacteristics`` with ``zeebe:loopCharacteristics``."""

    sequential: bool
    input_collection: Expression
    input_element: str | None
    output_collection: str | None
    output_element: Expression | None
    completion_condition: Expression | None


@dataclass(frozen=True, slots=True)
class TimerDefinition:
    """One of ``timeDate``, ``timeDuration``, ``timeCycle`` (``kind`` says which)."""

    kind: str  # "date" | "duration" | "cycle"
    expression: Expression


@dataclass(frozen=True, slots=True)
class MessageDefinition:
    """A referenced ``bpmn:message``: its name and ``zeebe:subscription`` correlation key.

    ``correlation_key`` is None on message start events (they need none)."""

    message_id: str
    name: Expression
    correlation_key: Expression | None


@dataclass(frozen=True, slots=True)
class UserTaskDefinition:
    """A Camunda user task (``zeebe:userTask``) or a job-based one (``job`` set on the task)."""

    assignee: Expression | None = None
    candidate_users: Expression | None = None
    candidate_groups: Expression | None = None
    due_date: Expression | None = None
    follow_up_date: Expression | None = None
    priority: Expression | None = None
    form_key: str | None = None  # zeebe:formDefinition formKey, or an embedded form's key
    form_id: str | None = None  # zeebe:formDefinition formId (a linked form)
    external_reference: str | None = None


@dataclass(frozen=True, slots=True)
class CalledDecision:
    """``zeebe:calledDecision``: the decision id (static or FEEL) and the result variable."""

    decision_id: Expression
    result_variable: str
    binding: str = "latest"


@dataclass(frozen=True, slots=True)
class Script:
    """``zeebe:script``: a FEEL expression and the variable that receives its value."""

    expression: Expression
    result_variable: str


@dataclass(frozen=True, slots=True)
class CalledElement:
    """``zeebe:calledElement`` of a call activity."""

    process_id: Expression
    propagate_all_parent_variables: bool = True
    propagate_all_child_variables: bool = True
    binding: str = "latest"


@dataclass(frozen=True, slots=True)
class Element:
    """Any flow node or scope of a process.

    ``kind`` picks the processor. Fields that do not apply to a kind keep their defaults; the
    transformer fills exactly the ones the kind uses (see the table in ``_bpmn.py``).
    """

    id: str
    kind: ElementKind
    scope_id: str | None  # the enclosing process / subprocess id; None for the process itself
    name: str | None = None
    line: int = 0
    event_type: EventType = EventType.UNSPECIFIED
    incoming: tuple[str, ...] = ()  # sequence flow ids
    outgoing: tuple[str, ...] = ()  # sequence flow ids, in document order
    default_flow: str | None = None  # gateways and activities with a default flow
    inputs: tuple[Mapping_, ...] = ()
    outputs: tuple[Mapping_, ...] = ()
    properties: Mapping[str, str] = field(default_factory=dict)  # zeebe:properties

    # Activities
    boundary_events: tuple[str, ...] = ()  # ids of boundary events attached here
    multi_instance: MultiInstance | None = None
    job: JobDefinition | None = None  # service, send, script/business-rule as job, user task as job
    user_task: UserTaskDefinition | None = None
    called_decision: CalledDecision | None = None
    script: Script | None = None
    called_element: CalledElement | None = None

    # Scopes (process, subprocess, event subprocess)
    children: tuple[str, ...] = ()  # ids of the flow nodes directly inside
    none_start_event: str | None = None  # the none start event that starts the scope
    event_sub_processes: tuple[str, ...] = ()  # ids of event subprocesses directly inside
    start_events: tuple[str, ...] = ()  # all start events directly inside (any event type)

    # Events
    interrupting: bool = True  # boundary events (cancelActivity) and event subprocess starts
    attached_to: str | None = None  # boundary events: the activity id
    timer: TimerDefinition | None = None
    message: MessageDefinition | None = None
    signal_name: Expression | None = None
    error_code: Expression | None = None  # None on a catch event = catch every error
    escalation_code: Expression | None = None  # None on a catch event = catch every escalation
    link_name: str | None = None
    error_code_variable: str | None = None  # error catch events: zeebe:errorCodeVariable
    error_message_variable: str | None = None  # error catch events: zeebe:errorMessageVariable
    escalation_code_variable: str | None = None  # escalation catch events

    # Event-based gateways: the ids of the catch events / receive tasks its flows lead to
    event_targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SequenceFlow:
    """A sequence flow; ``condition`` is FEEL (None = unconditional)."""

    id: str
    source: str
    target: str
    condition: Expression | None = None
    scope_id: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Process:
    """One executable process of a deployed resource.

    ``elements`` holds every flow node at any depth, including the process itself under its own
    id (kind PROCESS) so scopes are looked up uniformly. ``flows`` holds every sequence flow.
    """

    id: str  # bpmnProcessId
    name: str | None
    elements: Mapping[str, Element]
    flows: Mapping[str, SequenceFlow]
    version_tag: str | None = None
    line: int = 0

    @property
    def root(self) -> Element:
        """The element of kind PROCESS that is the root scope."""
        return self.elements[self.id]

    def element(self, element_id: str) -> Element:
        """The element with this id (KeyError when absent: a kernel bug, never user input)."""
        return self.elements[element_id]
