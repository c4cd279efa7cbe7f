"""FEEL syntax errors in ``=`` expressions become problems naming the attribute and position."""

from __future__ import annotations

import re

import pytest
from model_xml import START, messages, process

from cadenza.feel import FeelError
from cadenza.model import _report


class _FakeSyntaxError(FeelError):
    def __init__(self, position: int, expected: str) -> None:
        super().__init__("unexpected end of input")
        self.position = position
        self.expected = expected


def _fake_compile(text: str) -> object:
    if text.rstrip().endswith("+"):
        raise _FakeSyntaxError(len(text), "an operand")
    return object()


@pytest.fixture
def fake_feel(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the wiring is under test here: the FEEL grammar has its own suite.
    monkeypatch.setattr(_report, "compile_feel", _fake_compile)


BROKEN = process(
    f"""{START}
    <bpmn:exclusiveGateway id="gw" /><bpmn:task id="a" /><bpmn:task id="b" />
    <bpmn:sequenceFlow id="x" sourceRef="gw" targetRef="a"><bpmn:conditionExpression>=total +</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="y" sourceRef="gw" targetRef="b"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:serviceTask id="t"><bpmn:extensionElements>
      <zeebe:taskDefinition type="=kind +" />
      <zeebe:ioMapping><zeebe:input source="=1 +" target="v" /></zeebe:ioMapping>
    </bpmn:extensionElements></bpmn:serviceTask>"""
)


@pytest.mark.usefixtures("fake_feel")
def test_syntax_errors_name_attribute_and_position() -> None:
    assert messages(BROKEN) == [
        "conditionExpression is not a valid FEEL expression: unexpected end of input at "
        "position 7 (expected an operand).",
        "zeebe:taskDefinition type is not a valid FEEL expression: unexpected end of input at "
        "position 6 (expected an operand).",
        "zeebe:input source (target 'v') is not a valid FEEL expression: unexpected end of "
        "input at position 3 (expected an operand).",
    ]


@pytest.mark.usefixtures("fake_feel")
def test_empty_expression_after_equals_is_a_problem() -> None:
    assert _report.feel_syntax_error("  ") == "the expression is empty"
    assert _report.feel_syntax_error("a + b") is None


def test_real_feel_library_rejects_broken_syntax() -> None:
    found = messages(BROKEN)
    assert len(found) == 3
    assert found[0].startswith("conditionExpression is not a valid FEEL expression: ")
    # '=total +' fails at the end of 'total +': offset 7 of the expression after '='
    assert re.search(r"\b7\b", found[0]), found[0]
    assert found[1].startswith("zeebe:taskDefinition type is not a valid FEEL expression: ")
    assert found[2].startswith("zeebe:input source (target 'v') is not a valid FEEL expression: ")
