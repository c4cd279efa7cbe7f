"""Malformed client commands: a field of the wrong type is an INVALID_ARGUMENT rejection naming
the field, never a failure inside the kernel; a null field counts as absent."""

from __future__ import annotations

import pytest
from kernel_xml import chain, end, process, service_task, start

from cadenza.errors import CommandRejected
from cadenza.kernel import RejectionType, ValueType
from cadenza.kernel._command_fields import FIELDS
from cadenza.testing import Harness

WRONG = {"a number": "7", "a string": ["x"], "a list of strings": [1], "a list": "x"}
CASES = [
    (value_type, intent, name, kind)
    for (value_type, intent), fields in FIELDS.items()
    for name, kind in fields.items()
]


@pytest.mark.parametrize(
    ("value_type", "intent", "name", "kind"),
    CASES,
    ids=[f"{v.name}-{i}-{n}" for v, i, n, _ in CASES],
)
def test_a_field_of_the_wrong_type_is_invalid(
    h: Harness, value_type: ValueType, intent: str, name: str, kind: str
) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.execute(value_type, intent, {name: WRONG[kind]}, key=1)
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT
    assert f"'{name}'" in rejected.value.reason


def test_a_boolean_is_not_a_number(h: Harness) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.execute(ValueType.MESSAGE, "PUBLISH", {"name": "m", "timeToLive": True})
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT


def test_null_fields_count_as_absent(h: Harness) -> None:
    h.deploy(
        (
            "p.bpmn",
            process(
                "\n".join(
                    [start(), service_task("task", "work"), end(), chain("start", "task", "end")]
                )
            ),
        )
    )
    answer = h.execute(
        ValueType.PROCESS_INSTANCE_CREATION,
        "CREATE",
        {"bpmnProcessId": "p", "version": None, "fetchVariables": None},
    )
    assert answer.value["version"] == 1
    published = h.execute(
        ValueType.MESSAGE, "PUBLISH", {"name": "m", "timeToLive": None, "messageId": None}
    )
    assert published.value["timeToLive"] == 0
