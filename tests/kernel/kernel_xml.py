"""Small BPMN and DMN documents in Camunda Modeler's shape, for the kernel tests.

The builders return XML text; element ids start with a letter so generated flow ids
(``<source>_to_<target>``) stay valid XML ids."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
)


def definitions(inner: str) -> str:
    """``inner`` inside a ``bpmn:definitions`` root with the Modeler's namespaces."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions {NAMESPACES} id="Definitions_1" '
        'targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" '
        'exporterVersion="5.28.0" modeler:executionPlatform="Camunda Cloud" '
        'modeler:executionPlatformVersion="8.6.0">\n'
        f"{inner}\n</bpmn:definitions>\n"
    )


def process(body: str, *, after: str = "", process_id: str = "p") -> str:
    """``body`` inside one executable process; ``after`` follows it (messages, errors...)."""
    return definitions(
        f'<bpmn:process id="{process_id}" isExecutable="true">\n{body}\n</bpmn:process>\n{after}'
    )


def flow(source: str, target: str, *, condition: str | None = None, flow_id: str = "") -> str:
    """A sequence flow, optionally with a FEEL condition (``=...``)."""
    fid = flow_id or f"{source}_to_{target}"
    if condition is None:
        return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}" />'
    return (
        f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{_esc(condition)}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


def chain(*ids: str) -> str:
    """Sequence flows linking ``ids`` one after the other."""
    return "\n".join(flow(a, b) for a, b in itertools.pairwise(ids))


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def io(inputs: Iterable[tuple[str, str]] = (), outputs: Iterable[tuple[str, str]] = ()) -> str:
    """A ``zeebe:ioMapping`` of (source, target) pairs."""
    parts = [f'<zeebe:input source="{_esc(s)}" target="{t}" />' for s, t in inputs]
    parts += [f'<zeebe:output source="{_esc(s)}" target="{t}" />' for s, t in outputs]
    return "<zeebe:ioMapping>" + "".join(parts) + "</zeebe:ioMapping>" if parts else ""


def headers(values: Mapping[str, str]) -> str:
    """``zeebe:taskHeaders``."""
    items = "".join(f'<zeebe:header key="{k}" value="{_esc(v)}" />' for k, v in values.items())
    return f"<zeebe:taskHeaders>{items}</zeebe:taskHeaders>" if values else ""


def ext(*parts: str) -> str:
    """``bpmn:extensionElements`` around the non-empty ``parts``."""
    inner = "".join(p for p in parts if p)
    return f"<bpmn:extensionElements>{inner}</bpmn:extensionElements>" if inner else ""


def service_task(
    element_id: str,
    job_type: str,
    *,
    retries: str | None = None,
    task_headers: Mapping[str, str] | None = None,
    inputs: Iterable[tuple[str, str]] = (),
    outputs: Iterable[tuple[str, str]] = (),
    inner: str = "",
    tag: str = "serviceTask",
) -> str:
    """A job worker task (``zeebe:taskDefinition``)."""
    retries_attr = f' retries="{_esc(retries)}"' if retries is not None else ""
    definition = f'<zeebe:taskDefinition type="{_esc(job_type)}"{retries_attr} />'
    extension = ext(definition, headers(task_headers or {}), io(inputs, outputs))
    return f'<bpmn:{tag} id="{element_id}">{extension}{inner}</bpmn:{tag}>'


def multi_instance(
    collection: str,
    element: str = "",
    *,
    sequential: bool = False,
    output_collection: str = "",
    output_element: str = "",
    completion: str = "",
) -> str:
    """``bpmn:multiInstanceLoopCharacteristics`` with ``zeebe:loopCharacteristics``."""
    attributes = f'inputCollection="{_esc(collection)}"'
    if element:
        attributes += f' inputElement="{element}"'
    if output_collection:
        attributes += f' outputCollection="{output_collection}"'
    if output_element:
        attributes += f' outputElement="{_esc(output_element)}"'
    condition = (
        '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">'
        f"{_esc(completion)}</bpmn:completionCondition>"
        if completion
        else ""
    )
    seq = ' isSequential="true"' if sequential else ""
    return (
        f"<bpmn:multiInstanceLoopCharacteristics{seq}>"
        f"<bpmn:extensionElements><zeebe:loopCharacteristics {attributes} />"
        f"</bpmn:extensionElements>{condition}</bpmn:multiInstanceLoopCharacteristics>"
    )


def message(message_id: str, name: str, correlation_key: str | None = None) -> str:
    """A ``bpmn:message`` with an optional ``zeebe:subscription`` correlation key."""
    if correlation_key is None:
        return f'<bpmn:message id="{message_id}" name="{name}" />'
    return (
        f'<bpmn:message id="{message_id}" name="{name}"><bpmn:extensionElements>'
        f'<zeebe:subscription correlationKey="{_esc(correlation_key)}" />'
        "</bpmn:extensionElements></bpmn:message>"
    )


def error(error_id: str, code: str) -> str:
    """A ``bpmn:error``."""
    return f'<bpmn:error id="{error_id}" name="{error_id}" errorCode="{code}" />'


def escalation(escalation_id: str, code: str) -> str:
    """A ``bpmn:escalation``."""
    return (
        f'<bpmn:escalation id="{escalation_id}" name="{escalation_id}" escalationCode="{code}" />'
    )


def signal(signal_id: str, name: str) -> str:
    """A ``bpmn:signal``."""
    return f'<bpmn:signal id="{signal_id}" name="{name}" />'


def timer(kind: str, value: str) -> str:
    """A ``bpmn:timerEventDefinition`` (kind: timeDuration, timeDate or timeCycle)."""
    return (
        f'<bpmn:timerEventDefinition><bpmn:{kind} xsi:type="bpmn:tFormalExpression">'
        f"{_esc(value)}</bpmn:{kind}></bpmn:timerEventDefinition>"
    )


def boundary(
    element_id: str, attached_to: str, definition: str, *, interrupting: bool = True
) -> str:
    """A boundary event with an event definition."""
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{element_id}" attachedToRef="{attached_to}"{cancel}>'
        f"{definition}</bpmn:boundaryEvent>"
    )


def catch(element_id: str, definition: str) -> str:
    """An intermediate catch event."""
    return (
        f'<bpmn:intermediateCatchEvent id="{element_id}">{definition}</bpmn:intermediateCatchEvent>'
    )


def start(element_id: str = "start", definition: str = "", *, interrupting: bool = True) -> str:
    """A start event (none, or with a definition)."""
    flag = "" if interrupting else ' isInterrupting="false"'
    return f'<bpmn:startEvent id="{element_id}"{flag}>{definition}</bpmn:startEvent>'


def end(element_id: str = "end", definition: str = "") -> str:
    """An end event (none, or with a definition)."""
    return f'<bpmn:endEvent id="{element_id}">{definition}</bpmn:endEvent>'


def straight(*elements: str, ids: Iterable[str] | None = None) -> str:
    """``start``, ``elements`` (XML) and ``end`` linked in order; ``ids`` are the ids of the
    middle elements."""
    middle = list(ids or ())
    return "\n".join([start(), *elements, end(), chain("start", *middle, "end")])


def sub_process(element_id: str, body: str, *, triggered_by_event: bool = False) -> str:
    """An embedded (or event) subprocess."""
    flag = ' triggeredByEvent="true"' if triggered_by_event else ""
    return f'<bpmn:subProcess id="{element_id}"{flag}>\n{body}\n</bpmn:subProcess>'


DMN_NAMESPACES = (
    'xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" '
    'xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
)


def dmn_table(
    decision_id: str,
    input_expression: str,
    rules: Iterable[tuple[str, str]],
    hit_policy: str = "FIRST",
) -> str:
    """A DMN document with one decision table: one input, one output ``result``."""
    rule_xml = "".join(
        f'<rule id="r{i}"><inputEntry id="ie{i}"><text>{_esc(entry)}</text></inputEntry>'
        f'<outputEntry id="oe{i}"><text>{_esc(output)}</text></outputEntry></rule>'
        for i, (entry, output) in enumerate(rules)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<definitions {DMN_NAMESPACES} id="drg_{decision_id}" name="DRG" '
        'namespace="http://camunda.org/schema/1.0/dmn">'
        f'<decision id="{decision_id}" name="{decision_id}">'
        f'<decisionTable id="table" hitPolicy="{hit_policy}">'
        f'<input id="in1" label="in"><inputExpression id="ie" typeRef="number">'
        f"<text>{_esc(input_expression)}</text></inputExpression></input>"
        '<output id="out1" name="result" typeRef="string" />'
        f"{rule_xml}</decisionTable></decision></definitions>"
    )
