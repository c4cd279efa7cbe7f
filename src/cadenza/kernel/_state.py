"""The engine state of one partition: what the appliers build from events.

Processors read it; only the event appliers (``_appliers.py``) change it, so replaying the events
of the log onto an empty state rebuilds it exactly. Due-date heaps are indexes with lazy deletion:
an entry is live only while it matches the owning object.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from cadenza.model import Element, Process


@dataclass(slots=True)
class DeployedProcess:
    """One version of a deployed process."""

    key: int
    bpmn_process_id: str
    version: int
    resource_name: str
    checksum: str
    resource: str  # the BPMN XML
    model: Process
    deployment_key: int
    version_tag: str | None = None
    tenant_id: str = "<default>"


@dataclass(slots=True)
class DeployedDecision:
    """One version of a deployed decision (inside a decision requirements graph)."""

    key: int
    decision_id: str
    decision_name: str
    version: int
    drg_key: int
    drg_id: str


@dataclass(slots=True)
class DeployedDrg:
    """One version of a deployed DMN resource (decision requirements graph)."""

    key: int
    drg_id: str
    name: str
    version: int
    resource_name: str
    checksum: str
    resource: str
    namespace: str
    model: Any  # cadenza.dmn model; Any keeps the kernel import-light
    decision_keys: list[int] = field(default_factory=list)


@dataclass(slots=True)
class DeployedForm:
    """One version of a deployed form."""

    key: int
    form_id: str
    version: int
    resource_name: str
    checksum: str
    resource: str


@dataclass(slots=True)
class ElementInstance:
    """A live element instance. Removed from the state when it completes or terminates."""

    key: int
    element: Element
    process: DeployedProcess
    value: dict[str, Any]  # the PROCESS_INSTANCE record value
    state: str
    parent_key: int  # flowScopeKey; -1 for a process instance
    active_flows: int = 0  # sequence flows taken in this scope whose target is not active yet
    job_key: int = -1
    user_task_key: int = -1
    called_child_key: int = -1
    loop_counter: int = 0  # inner instances of a multi-instance body: 1-based
    mi_next: int = 0  # multi-instance body: inner instances started so far
    mi_completed: int = 0
    mi_terminated: int = 0
    interrupting_event: str | None = None  # element id of the interrupting event being run
    taken_joins: dict[str, dict[str, int]] = field(default_factory=dict)  # gateway -> flow -> n

    @property
    def process_instance_key(self) -> int:
        """The key of the process instance this element instance belongs to."""
        return int(self.value["processInstanceKey"])

    @property
    def is_active(self) -> bool:
        """Activating or activated: neither completing nor terminating."""
        return self.state in ("ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED")


@dataclass(slots=True)
class Job:
    """A job and where it is in its lifecycle."""

    key: int
    value: dict[str, Any]
    state: str  # ACTIVATABLE, ACTIVATED, FAILED (waiting for back-off or incident), ERROR_THROWN


@dataclass(slots=True)
class Timer:
    """A scheduled timer of an element instance or a timer start event."""

    key: int
    value: dict[str, Any]  # dueDate, repetitions, targetElementId, elementInstanceKey, ...


@dataclass(slots=True)
class BufferedMessage:
    """A published message kept until its time to live passes."""

    key: int
    value: dict[str, Any]
    deadline: int
    correlated_processes: set[str] = field(default_factory=set)


@dataclass(slots=True)
class MessageSubscription:
    """An open message subscription of an element instance (catch, boundary, receive task...)."""

    key: int
    value: dict[str, Any]  # messageName, correlationKey, elementInstanceKey, elementId, ...


@dataclass(slots=True)
class SignalSubscription:
    """A signal subscription: of an element instance, or of a signal start event."""

    key: int
    value: dict[str, Any]  # signalName, catchElementInstanceKey (-1 for start), catchEventId


@dataclass(slots=True)
class EventTrigger:
    """A triggered catch event waiting to be activated in ``scope_key`` with its variables."""

    key: int
    element_id: str
    variables: dict[str, Any]


class DueIndex:
    """Keys ordered by due time (ms). Entries go stale when the owner changes or disappears."""

    __slots__ = ("_heap",)

    def __init__(self) -> None:
        self._heap: list[tuple[int, int]] = []

    def add(self, due: int, key: int) -> None:
        """Index ``key`` as due at ``due``."""
        heapq.heappush(self._heap, (due, key))

    def pop_due(self, now: int) -> list[tuple[int, int]]:
        """Remove and return the entries due at ``now`` or earlier, earliest first (the
        caller checks that each is still live)."""
        heap = self._heap
        due = []
        while heap and heap[0][0] <= now:
            due.append(heapq.heappop(heap))
        return due

    def next_due(self) -> int | None:
        """The earliest due time (possibly of a stale entry), or None."""
        return self._heap[0][0] if self._heap else None

    def __len__(self) -> int:
        return len(self._heap)


class State:
    """Everything the kernel knows. Mutated only by event appliers (and the key generator)."""

    def __init__(self, partition_id: int = 1) -> None:
        self.partition_id = partition_id
        self.last_key = 0
        # parsed resources by checksum: a cache, so a deployment is not parsed twice
        self.model_cache: dict[str, Any] = {}
        self.last_position = 0
        # deployments
        self.processes: dict[int, DeployedProcess] = {}
        self.process_versions: dict[str, list[int]] = {}  # bpmnProcessId -> keys by version
        # bpmnProcessId -> highest version ever deployed: a deleted version is never reused
        self.process_version_counter: dict[str, int] = {}
        self.drgs: dict[int, DeployedDrg] = {}
        self.drg_versions: dict[str, list[int]] = {}
        self.decisions: dict[int, DeployedDecision] = {}
        self.decision_versions: dict[str, list[int]] = {}
        self.forms: dict[int, DeployedForm] = {}
        self.form_versions: dict[str, list[int]] = {}
        # execution
        self.elements: dict[int, ElementInstance] = {}
        self.children: dict[int, dict[int, None]] = {}  # scope key -> live child keys
        self.variables: dict[int, dict[str, Any]] = {}
        self.variable_keys: dict[int, dict[str, int]] = {}
        self.event_triggers: dict[int, list[EventTrigger]] = {}
        self.mi_inputs: dict[int, list[Any]] = {}
        self.mi_outputs: dict[int, list[Any]] = {}
        # jobs
        self.jobs: dict[int, Job] = {}
        self.activatable: dict[str, dict[int, None]] = {}  # job type -> keys in creation order
        self.job_deadlines = DueIndex()
        self.job_backoffs = DueIndex()
        # timers, messages, signals
        self.timers: dict[int, Timer] = {}
        self.timers_by_element: dict[int, list[int]] = {}
        self.timer_due = DueIndex()
        self.messages: dict[int, BufferedMessage] = {}
        self.messages_by_name: dict[tuple[str, str], dict[int, None]] = {}
        self.message_ids: dict[tuple[str, str, str], int] = {}
        self.message_deadlines = DueIndex()
        self.subscriptions: dict[int, MessageSubscription] = {}
        self.subscriptions_by_name: dict[tuple[str, str], dict[int, None]] = {}
        self.subscriptions_by_element: dict[int, list[int]] = {}
        # message name -> process definition key -> start event id (latest versions only)
        self.message_start_events: dict[str, dict[int, str]] = {}
        # (bpmnProcessId, correlationKey) -> process instance key started by a message
        self.message_start_instances: dict[tuple[str, str], int] = {}
        self.instance_correlation_keys: dict[int, tuple[str, str]] = {}
        self.signal_subscriptions: dict[int, SignalSubscription] = {}
        self.signal_by_name: dict[str, dict[int, None]] = {}
        self.signal_by_element: dict[int, list[int]] = {}
        # incidents and user tasks
        self.incidents: dict[int, dict[str, Any]] = {}
        self.incident_by_element: dict[int, int] = {}
        self.incident_by_job: dict[int, int] = {}
        self.user_tasks: dict[int, dict[str, Any]] = {}
        # create-with-result requests (volatile: request ids are not replayed)
        self.awaiting_results: dict[int, tuple[int, tuple[str, ...] | None]] = {}

    # -- keys ------------------------------------------------------------------------------
    def next_key(self) -> int:
        """A new key on this partition (the counter lives in state so replay continues it)."""
        self.last_key += 1
        return (self.partition_id << 51) + self.last_key

    def observe_key(self, key: int) -> None:
        """Advance the key counter past ``key`` (replay of a key generated earlier)."""
        counter = key - (self.partition_id << 51)
        if 0 < counter < (1 << 51) and counter > self.last_key:
            self.last_key = counter

    # -- lookups ---------------------------------------------------------------------------
    def latest_process(self, bpmn_process_id: str) -> DeployedProcess | None:
        """The latest version of a process, or None."""
        versions = self.process_versions.get(bpmn_process_id)
        return self.processes[versions[-1]] if versions else None

    def process_version(self, bpmn_process_id: str, version: int) -> DeployedProcess | None:
        """A specific version of a process, or None."""
        versions = self.process_versions.get(bpmn_process_id) or []
        # by version number, not position: deleted versions leave gaps
        for key in reversed(versions):
            if self.processes[key].version == version:
                return self.processes[key]
        return None

    def latest_decision(self, decision_id: str) -> DeployedDecision | None:
        """The latest version of a decision, or None."""
        versions = self.decision_versions.get(decision_id)
        return self.decisions[versions[-1]] if versions else None

    def variable(self, scope_key: int, name: str) -> tuple[bool, Any]:
        """Look ``name`` up from ``scope_key`` outwards: (found, value)."""
        key = scope_key
        while key != -1:
            scope = self.variables.get(key)
            if scope is not None and name in scope:
                return True, scope[name]
            instance = self.elements.get(key)
            key = instance.parent_key if instance is not None else -1
        return False, None

    def scope_chain(self, scope_key: int) -> list[int]:
        """``scope_key`` and its enclosing scopes, innermost first."""
        chain = []
        key = scope_key
        while key != -1:
            chain.append(key)
            instance = self.elements.get(key)
            key = instance.parent_key if instance is not None else -1
        return chain

    def children_of(self, scope_key: int) -> list[ElementInstance]:
        """The live element instances directly inside ``scope_key`` (in activation order)."""
        keys = self.children.get(scope_key)
        return [self.elements[k] for k in keys] if keys else []

    def child_count(self, scope_key: int) -> int:
        """How many element instances are live directly inside ``scope_key``."""
        keys = self.children.get(scope_key)
        return len(keys) if keys else 0
