"""Small BPMN documents in Camunda Modeler's shape, for the model tests."""

from __future__ import annotations

from cadenza import model

NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
)


def definitions(inner: str) -> bytes:
    """``inner`` inside a ``bpmn:definitions`` root with the Modeler's namespaces."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions {NAMESPACES} id="Definitions_1" '
        'targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler">\n'
        f"{inner}\n</bpmn:definitions>\n"
    ).encode()


def process(body: str, *, after: str = "", process_id: str = "p") -> bytes:
    """``body`` inside one executable process; ``after`` follows it (messages, errors...)."""
    return definitions(
        f'<bpmn:process id="{process_id}" isExecutable="true">\n{body}\n</bpmn:process>\n{after}'
    )


def load(data: bytes) -> model.Process:
    """The single process of ``data``; fails the test with the problems when there are any."""
    result = model.transform(data, "test.bpmn")
    assert result.problems == [], "\n".join(str(p) for p in result.problems)
    assert len(result.processes) == 1
    return result.processes[0]


def problems(data: bytes) -> list[model.Problem]:
    """The problems of ``data`` (there must be some)."""
    result = model.transform(data, "test.bpmn")
    assert result.problems, "expected problems, the resource was valid"
    assert result.processes == ()
    return result.problems


def messages(data: bytes) -> list[str]:
    """The problem sentences of ``data``."""
    return [p.message for p in problems(data)]


START = '<bpmn:startEvent id="start" />'
