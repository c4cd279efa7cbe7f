"""Record builders for the store tests, with Zeebe-shaped values."""

from __future__ import annotations

from typing import Any

from cadenza.kernel._records import Record, RecordType, ValueType

PROCESS_KEY = 2251799813685249
TENANT = "<default>"


def event(
    value_type: ValueType, intent: str, key: int, value: dict[str, Any], timestamp: int = 1000
) -> Record:
    """An EVENT record (position assigned by ``numbered``)."""
    return Record(key, RecordType.EVENT, value_type, intent, value, timestamp)


def numbered(records: list[Record], start: int = 1, partition_id: int = 1) -> list[Record]:
    """``records`` with consecutive positions from ``start``."""
    for offset, record in enumerate(records):
        record.position = start + offset
        record.partition_id = partition_id
    return records


def element_value(
    instance: int,
    element_id: str,
    element_type: str,
    *,
    scope: int = -1,
    process_id: str = "order",
    version: int = 1,
    parent_instance: int = -1,
    parent_element: int = -1,
) -> dict[str, Any]:
    """A PROCESS_INSTANCE record value."""
    return {
        "bpmnProcessId": process_id,
        "version": version,
        "processDefinitionKey": PROCESS_KEY + version,
        "processInstanceKey": instance,
        "elementId": element_id,
        "flowScopeKey": scope,
        "bpmnElementType": element_type,
        "bpmnEventType": "UNSPECIFIED",
        "parentProcessInstanceKey": parent_instance,
        "parentElementInstanceKey": parent_element,
        "tenantId": TENANT,
    }


def job_value(instance: int, element_instance: int, **changes: Any) -> dict[str, Any]:
    """A JOB record value."""
    value: dict[str, Any] = {
        "type": "charge",
        "worker": "",
        "retries": 3,
        "retryBackoff": 0,
        "deadline": -1,
        "timeout": -1,
        "errorMessage": "",
        "errorCode": "",
        "customHeaders": {"region": "eu"},
        "variables": {},
        "elementId": "task",
        "elementInstanceKey": element_instance,
        "processInstanceKey": instance,
        "bpmnProcessId": "order",
        "processDefinitionVersion": 1,
        "processDefinitionKey": PROCESS_KEY + 1,
        "tenantId": TENANT,
    }
    value.update(changes)
    return value


def user_task_value(key: int, instance: int, **changes: Any) -> dict[str, Any]:
    """A USER_TASK record value."""
    value: dict[str, Any] = {
        "userTaskKey": key,
        "assignee": "",
        "candidateGroupsList": ["sales"],
        "candidateUsersList": ["ann", "bob"],
        "dueDate": "",
        "followUpDate": "",
        "formKey": -1,
        "externalFormReference": "",
        "customHeaders": {},
        "variables": {},
        "elementId": "review",
        "elementInstanceKey": key - 1,
        "processInstanceKey": instance,
        "bpmnProcessId": "order",
        "processDefinitionVersion": 1,
        "processDefinitionKey": PROCESS_KEY + 1,
        "priority": 50,
        "tenantId": TENANT,
    }
    value.update(changes)
    return value


def incident_value(instance: int, element_instance: int, **changes: Any) -> dict[str, Any]:
    """An INCIDENT record value."""
    value: dict[str, Any] = {
        "errorType": "JOB_NO_RETRIES",
        "errorMessage": "no more retries left",
        "bpmnProcessId": "order",
        "processDefinitionKey": PROCESS_KEY + 1,
        "processInstanceKey": instance,
        "elementId": "task",
        "elementInstanceKey": element_instance,
        "jobKey": -1,
        "variableScopeKey": element_instance,
        "tenantId": TENANT,
    }
    value.update(changes)
    return value
