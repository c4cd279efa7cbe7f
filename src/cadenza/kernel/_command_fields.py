"""The shape of client commands: a field of the wrong type is refused (INVALID_ARGUMENT) before
a processor sees it, so a malformed command is a rejection, never an exception.

A field set to null counts as absent, as an unset protobuf field does."""

from __future__ import annotations

from typing import Final

from cadenza.kernel._records import Record, ValueType

# expected kinds: a whole number (not a boolean), a string, a list of strings, a list
_INT: Final = "a number"
_STR: Final = "a string"
_STRS: Final = "a list of strings"
_LIST: Final = "a list"

_CREATE = {"bpmnProcessId": _STR, "version": _INT, "processDefinitionKey": _INT}
_CREATE |= {"fetchVariables": _STRS}
_USER_TASK = {"assignee": _STR, "action": _STR}

FIELDS: Final[dict[tuple[ValueType, str], dict[str, str]]] = {
    (ValueType.DEPLOYMENT, "CREATE"): {"resources": _LIST},
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE"): _CREATE,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT"): _CREATE,
    (ValueType.JOB, "FAIL"): {"retries": _INT, "retryBackoff": _INT, "errorMessage": _STR},
    (ValueType.JOB, "THROW_ERROR"): {"errorCode": _STR, "errorMessage": _STR},
    (ValueType.JOB, "UPDATE_TIMEOUT"): {"timeout": _INT},
    (ValueType.JOB_BATCH, "ACTIVATE"): {
        "type": _STR,
        "worker": _STR,
        "timeout": _INT,
        "maxJobsToActivate": _INT,
        "variables": _STRS,
    },
    (ValueType.MESSAGE, "PUBLISH"): {
        "name": _STR,
        "correlationKey": _STR,
        "timeToLive": _INT,
        "messageId": _STR,
    },
    (ValueType.SIGNAL, "BROADCAST"): {"signalName": _STR},
    (ValueType.VARIABLE_DOCUMENT, "UPDATE"): {"scopeKey": _INT, "updateSemantics": _STR},
    (ValueType.DECISION_EVALUATION, "EVALUATE"): {"decisionId": _STR, "decisionKey": _INT},
    (ValueType.RESOURCE_DELETION, "DELETE"): {"resourceKey": _INT},
    (ValueType.USER_TASK, "ASSIGN"): _USER_TASK,
    (ValueType.USER_TASK, "CLAIM"): _USER_TASK,
    (ValueType.USER_TASK, "UPDATE"): {
        "action": _STR,
        "priority": _INT,
        "dueDate": _STR,
        "followUpDate": _STR,
        "candidateUsersList": _STRS,
        "candidateGroupsList": _STRS,
    },
}


def _fits(value: object, kind: str) -> bool:
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _STR:
        return isinstance(value, str)
    if kind == _STRS:
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    return isinstance(value, list | tuple)


def invalid_fields(command: Record) -> str | None:
    """Why ``command`` is malformed, or None. Null fields are dropped (they mean absent)."""
    expected = FIELDS.get((command.value_type, command.intent))
    if expected is None:
        return None
    value = command.value
    for name, kind in expected.items():
        if name not in value:
            continue
        if value[name] is None:
            del value[name]
        elif not _fits(value[name], kind):
            return (
                f"Expected '{name}' of {command.value_type.name} {command.intent} to be {kind}, "
                f"but it was '{value[name]!r}'"
            )
    return None
