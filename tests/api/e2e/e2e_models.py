"""The BPMN and DMN resources the end-to-end tests deploy (the Modeler's XML shape)."""

from __future__ import annotations

import itertools
import pathlib

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-{pid}"
  targetNamespace="http://bpmn.io/schema/bpmn">
"""
_TAIL = "</bpmn:definitions>\n"


def _task(element_id: str, job_type: str) -> str:
    return (
        f'<bpmn:serviceTask id="{element_id}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}"/></bpmn:extensionElements></bpmn:serviceTask>'
    )


def _flows(*ids: str) -> str:
    return "".join(
        f'<bpmn:sequenceFlow id="f-{a}-{b}" sourceRef="{a}" targetRef="{b}"/>'
        for a, b in itertools.pairwise(ids)
    )


def one_task(process_id: str, job_type: str) -> str:
    """start -> service task of ``job_type`` -> end."""
    body = (
        f'<bpmn:process id="{process_id}" isExecutable="true">'
        '<bpmn:startEvent id="start"/>'
        f"{_task('task', job_type)}"
        '<bpmn:endEvent id="end"/>'
        f"{_flows('start', 'task', 'end')}</bpmn:process>"
    )
    return _HEAD.format(pid=process_id) + body + _TAIL


def error_boundary(process_id: str, job_type: str, error_code: str, handler_type: str) -> str:
    """A service task with an error boundary event catching ``error_code``; the error path runs
    a task of ``handler_type`` before its end."""
    body = (
        f'<bpmn:error id="err" name="err" errorCode="{error_code}"/>'
        f'<bpmn:process id="{process_id}" isExecutable="true">'
        '<bpmn:startEvent id="start"/>'
        f"{_task('task', job_type)}"
        '<bpmn:boundaryEvent id="caught" attachedToRef="task">'
        '<bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'
        f"{_task('handle', handler_type)}"
        '<bpmn:endEvent id="end"/><bpmn:endEvent id="handled"/>'
        f"{_flows('start', 'task', 'end')}{_flows('caught', 'handle', 'handled')}"
        "</bpmn:process>"
    )
    return _HEAD.format(pid=process_id) + body + _TAIL


def message_wait(process_id: str, message_name: str) -> str:
    """Waits at a message catch event correlated by ``=orderId``."""
    body = (
        f'<bpmn:message id="msg" name="{message_name}"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>'
        f'<bpmn:process id="{process_id}" isExecutable="true">'
        '<bpmn:startEvent id="start"/>'
        '<bpmn:intermediateCatchEvent id="wait">'
        '<bpmn:messageEventDefinition messageRef="msg"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="end"/>'
        f"{_flows('start', 'wait', 'end')}</bpmn:process>"
    )
    return _HEAD.format(pid=process_id) + body + _TAIL


def signal_wait(process_id: str, signal_name: str) -> str:
    """Waits at a signal catch event."""
    body = (
        f'<bpmn:signal id="sig" name="{signal_name}"/>'
        f'<bpmn:process id="{process_id}" isExecutable="true">'
        '<bpmn:startEvent id="start"/>'
        '<bpmn:intermediateCatchEvent id="wait">'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="end"/>'
        f"{_flows('start', 'wait', 'end')}</bpmn:process>"
    )
    return _HEAD.format(pid=process_id) + body + _TAIL


def rule_task(process_id: str, decision_id: str) -> str:
    """A business rule task calling ``decision_id`` into the variable ``discount``."""
    body = (
        f'<bpmn:process id="{process_id}" isExecutable="true">'
        '<bpmn:startEvent id="start"/>'
        '<bpmn:businessRuleTask id="rules"><bpmn:extensionElements>'
        f'<zeebe:calledDecision decisionId="{decision_id}" resultVariable="discount"/>'
        "</bpmn:extensionElements></bpmn:businessRuleTask>"
        '<bpmn:endEvent id="end"/>'
        f"{_flows('start', 'rules', 'end')}</bpmn:process>"
    )
    return _HEAD.format(pid=process_id) + body + _TAIL


def order_process(process_id: str, job_type: str, message_name: str) -> str:
    """start -> service task ``charge`` -> message catch ``wait`` (correlation key ``=orderId``)
    -> user task ``approve`` -> end."""
    body = (
        f'<bpmn:message id="msg" name="{message_name}"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>'
        f'<bpmn:process id="{process_id}" isExecutable="true">'
        '<bpmn:startEvent id="start"/>'
        f"{_task('charge', job_type)}"
        '<bpmn:intermediateCatchEvent id="wait">'
        '<bpmn:messageEventDefinition messageRef="msg"/></bpmn:intermediateCatchEvent>'
        '<bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:userTask/>'
        "</bpmn:extensionElements></bpmn:userTask>"
        '<bpmn:endEvent id="end"/>'
        f"{_flows('start', 'charge', 'wait', 'approve', 'end')}</bpmn:process>"
    )
    return _HEAD.format(pid=process_id) + body + _TAIL


def discount_table(decision_id: str) -> str:
    """A FIRST hit policy table: ``customer`` "gold" -> 0.2, "silver" -> 0.1, else 0."""
    rules = (('"gold"', "0.2"), ('"silver"', "0.1"), ("-", "0"))
    rule_xml = "".join(
        f'<rule id="r{i}"><inputEntry id="i{i}"><text>{entry}</text></inputEntry>'
        f'<outputEntry id="o{i}"><text>{output}</text></outputEntry></rule>'
        for i, (entry, output) in enumerate(rules)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" '
        f'id="drg-{decision_id}" name="Discounts" namespace="http://camunda.org/schema/1.0/dmn">'
        f'<decision id="{decision_id}" name="Discount">'
        '<decisionTable id="table" hitPolicy="FIRST">'
        '<input id="in" label="Customer"><inputExpression id="ie" typeRef="string">'
        "<text>customer</text></inputExpression></input>"
        '<output id="out" name="discount" typeRef="number"/>'
        f"{rule_xml}</decisionTable></decision></definitions>\n"
    )


def write(directory: pathlib.Path, name: str, text: str) -> pathlib.Path:
    """Write a resource file and answer its path (clients deploy files)."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
