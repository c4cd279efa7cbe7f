"""Intent names per value type, as Zeebe names them. Commands in the imperative, events past tense.

Intents are persisted by name, so a name never changes once released.
"""

from __future__ import annotations

from typing import Final


class PI:
    """PROCESS_INSTANCE intents (the record key is the element instance key)."""

    ACTIVATE_ELEMENT: Final = "ACTIVATE_ELEMENT"
    COMPLETE_ELEMENT: Final = "COMPLETE_ELEMENT"
    TERMINATE_ELEMENT: Final = "TERMINATE_ELEMENT"
    CANCEL: Final = "CANCEL"
    ELEMENT_ACTIVATING: Final = "ELEMENT_ACTIVATING"
    ELEMENT_ACTIVATED: Final = "ELEMENT_ACTIVATED"
    ELEMENT_COMPLETING: Final = "ELEMENT_COMPLETING"
    ELEMENT_COMPLETED: Final = "ELEMENT_COMPLETED"
    ELEMENT_TERMINATING: Final = "ELEMENT_TERMINATING"
    ELEMENT_TERMINATED: Final = "ELEMENT_TERMINATED"
    SEQUENCE_FLOW_TAKEN: Final = "SEQUENCE_FLOW_TAKEN"


class Creation:
    """PROCESS_INSTANCE_CREATION intents."""

    CREATE: Final = "CREATE"
    CREATE_WITH_AWAITING_RESULT: Final = "CREATE_WITH_AWAITING_RESULT"
    CREATED: Final = "CREATED"


class Result:
    """PROCESS_INSTANCE_RESULT intents."""

    COMPLETED: Final = "COMPLETED"


class Deployment:
    """DEPLOYMENT intents; PROCESS, DECISION, DECISION_REQUIREMENTS and FORM use CREATED."""

    CREATE: Final = "CREATE"
    CREATED: Final = "CREATED"


CREATED: Final = "CREATED"
DELETED: Final = "DELETED"


class Job:
    """JOB intents."""

    CREATED: Final = "CREATED"
    COMPLETE: Final = "COMPLETE"
    COMPLETED: Final = "COMPLETED"
    FAIL: Final = "FAIL"
    FAILED: Final = "FAILED"
    THROW_ERROR: Final = "THROW_ERROR"
    ERROR_THROWN: Final = "ERROR_THROWN"
    TIME_OUT: Final = "TIME_OUT"
    TIMED_OUT: Final = "TIMED_OUT"
    UPDATE_RETRIES: Final = "UPDATE_RETRIES"
    RETRIES_UPDATED: Final = "RETRIES_UPDATED"
    UPDATE_TIMEOUT: Final = "UPDATE_TIMEOUT"
    TIMEOUT_UPDATED: Final = "TIMEOUT_UPDATED"
    RECUR_AFTER_BACKOFF: Final = "RECUR_AFTER_BACKOFF"
    RECURRED_AFTER_BACKOFF: Final = "RECURRED_AFTER_BACKOFF"
    CANCELED: Final = "CANCELED"


class JobBatch:
    """JOB_BATCH intents."""

    ACTIVATE: Final = "ACTIVATE"
    ACTIVATED: Final = "ACTIVATED"


class Timer:
    """TIMER intents."""

    CREATED: Final = "CREATED"
    TRIGGER: Final = "TRIGGER"
    TRIGGERED: Final = "TRIGGERED"
    CANCELED: Final = "CANCELED"


class Message:
    """MESSAGE intents."""

    PUBLISH: Final = "PUBLISH"
    PUBLISHED: Final = "PUBLISHED"
    EXPIRE: Final = "EXPIRE"
    EXPIRED: Final = "EXPIRED"


class Subscription:
    """PROCESS_MESSAGE_SUBSCRIPTION and SIGNAL_SUBSCRIPTION intents."""

    CREATED: Final = "CREATED"
    CORRELATED: Final = "CORRELATED"
    DELETED: Final = "DELETED"


class Signal:
    """SIGNAL intents."""

    BROADCAST: Final = "BROADCAST"
    BROADCASTED: Final = "BROADCASTED"


class Variable:
    """VARIABLE intents."""

    CREATED: Final = "CREATED"
    UPDATED: Final = "UPDATED"


class VariableDocument:
    """VARIABLE_DOCUMENT intents."""

    UPDATE: Final = "UPDATE"
    UPDATED: Final = "UPDATED"


class Incident:
    """INCIDENT intents."""

    CREATED: Final = "CREATED"
    RESOLVE: Final = "RESOLVE"
    RESOLVED: Final = "RESOLVED"


class DecisionEvaluation:
    """DECISION_EVALUATION intents."""

    EVALUATE: Final = "EVALUATE"
    EVALUATED: Final = "EVALUATED"
    FAILED: Final = "FAILED"


class UserTask:
    """USER_TASK intents."""

    CREATING: Final = "CREATING"
    CREATED: Final = "CREATED"
    ASSIGNING: Final = "ASSIGNING"
    CLAIMING: Final = "CLAIMING"
    UPDATING: Final = "UPDATING"
    COMPLETING: Final = "COMPLETING"
    CANCELING: Final = "CANCELING"
    ASSIGN: Final = "ASSIGN"
    ASSIGNED: Final = "ASSIGNED"
    CLAIM: Final = "CLAIM"
    UPDATE: Final = "UPDATE"
    UPDATED: Final = "UPDATED"
    COMPLETE: Final = "COMPLETE"
    COMPLETED: Final = "COMPLETED"
    CANCELED: Final = "CANCELED"


class ProcessEvent:
    """PROCESS_EVENT intents: a catch event was triggered in a scope (with variables)."""

    TRIGGERING: Final = "TRIGGERING"
    TRIGGERED: Final = "TRIGGERED"


class MultiInstance:
    """MULTI_INSTANCE intents: the evaluated input collection and collected outputs."""

    INPUT_COLLECTION_EVALUATED: Final = "INPUT_COLLECTION_EVALUATED"
    OUTPUT_COLLECTED: Final = "OUTPUT_COLLECTED"


class ResourceDeletion:
    """RESOURCE_DELETION intents."""

    DELETE: Final = "DELETE"
    DELETED: Final = "DELETED"
