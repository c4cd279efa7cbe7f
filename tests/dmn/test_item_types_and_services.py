"""FEEL inside DMN: `instance of` and typed parameters see item definitions; decisions run by a
decision service appear in the evaluation trail."""

from __future__ import annotations

from typing import Any

import pytest
from dmn_models import definitions

from cadenza import dmn

ITEMS = """
<itemDefinition name="tSmall"><typeRef>number</typeRef>
  <allowedValues><text>&lt;= 255</text></allowedValues></itemDefinition>
<itemDefinition name="tPair">
  <itemComponent name="a"><typeRef>string</typeRef></itemComponent>
  <itemComponent name="b"><typeRef>string</typeRef></itemComponent>
</itemDefinition>
<itemDefinition name="tNumbers" isCollection="true"><typeRef>number</typeRef></itemDefinition>
<itemDefinition name="tAnyList" isCollection="true"><typeRef>Any</typeRef></itemDefinition>
"""


def _decide(expression: str, variables: dict[str, Any] | None = None) -> Any:
    body = (
        ITEMS
        + '<decision id="d" name="D"><literalExpression><text>'
        + expression.replace("&", "&amp;").replace("<", "&lt;")
        + "</text></literalExpression></decision>"
    )
    result = dmn.parse(definitions(body), "types.dmn").evaluate("d", variables or {})
    assert result.failure is None, result.failure
    return result.output


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("256 instance of tSmall", True),  # the base type decides, not the allowed values
        ('"256" instance of tSmall', False),
        ("null instance of tSmall", False),
        ('{a: "x", b: "y"} instance of tPair', True),
        ('{a: "x", b: "y", c: "z"} instance of tPair', True),
        ('{a: "x"} instance of tPair', False),
        ('{a: 1, b: "y"} instance of tPair', False),
        ("[1, 2] instance of tNumbers", True),
        ('[1, "2"] instance of tNumbers', False),
        ('[1, "2", date("2018-12-08")] instance of tAnyList', True),
        ("[] instance of tAnyList", True),
        ('[{a: "a", b: "b"}] instance of list<tPair>', True),
        ("1 instance of tUnknown", False),
        ("1 instance of number", True),
    ],
)
def test_instance_of_item_definitions(expression: str, expected: bool) -> None:
    assert _decide(expression) is expected


def test_typed_parameters_of_feel_functions_use_item_definitions() -> None:
    assert _decide('(function(p: tPair) p.a)({a: "x", b: "y"})') == "x"
    assert _decide("(function(p: tPair) p.a)(5)") is None


SERVICE = """
<inputData id="i_a" name="A"><variable name="A" typeRef="number"/></inputData>
<decision id="d_in" name="In"><variable name="In" typeRef="number"/>
  <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
  <literalExpression><text>A * 10</text></literalExpression></decision>
<decision id="d_out" name="Out"><variable name="Out" typeRef="number"/>
  <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
  <informationRequirement><requiredDecision href="#d_in"/></informationRequirement>
  <literalExpression><text>A + In</text></literalExpression></decision>
<decisionService id="ds" name="Service">
  <outputDecision href="#d_out"/>
  <encapsulatedDecision href="#d_in"/>
  <inputData href="#i_a"/>
</decisionService>
<decision id="caller" name="Caller">
  <knowledgeRequirement><requiredKnowledge href="#ds"/></knowledgeRequirement>
  <literalExpression><text>Service(1) + Service(2)</text></literalExpression></decision>
"""


def test_decisions_run_by_a_service_are_in_the_trail_before_the_caller() -> None:
    result = dmn.parse(definitions(SERVICE), "service.dmn").evaluate("caller")
    assert result.output == 33
    trail = [(d.decision_id, d.decision_output) for d in result.evaluated_decisions]
    assert trail == [
        ("d_in", "10"),
        ("d_out", "11"),
        ("d_in", "20"),
        ("d_out", "22"),
        ("caller", "33"),
    ]


def test_a_failure_inside_a_service_names_the_decision_and_keeps_what_ran_before() -> None:
    body = SERVICE.replace("A * 10", "if A > 1 then A else assert(A, false)").replace(
        "Service(1) + Service(2)", "Service(2) + Service(1)"
    )
    result = dmn.parse(definitions(body), "service.dmn").evaluate("caller")
    assert result.failure is not None
    assert result.failure.failed_decision_id == "d_in"
    assert [d.decision_id for d in result.evaluated_decisions] == ["d_in", "d_out"]


def test_input_entries_can_test_against_item_definitions() -> None:
    body = (
        ITEMS
        + """
<inputData id="i_v" name="V"/>
<decision id="d" name="D"><decisionTable hitPolicy="FIRST">
  <input id="in"><inputExpression><text>V</text></inputExpression></input>
  <output id="out"/>
  <rule id="r1"><inputEntry><text>? instance of tPair</text></inputEntry>
    <outputEntry><text>"pair"</text></outputEntry></rule>
  <rule id="r2"><inputEntry><text>-</text></inputEntry>
    <outputEntry><text>"other"</text></outputEntry></rule>
</decisionTable></decision>"""
    )
    model = dmn.parse(definitions(body), "entries.dmn")
    assert model.evaluate("d", {"V": {"a": "x", "b": "y"}}).output == "pair"
    assert model.evaluate("d", {"V": {"a": "x"}}).output == "other"
