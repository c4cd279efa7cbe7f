"""Reading DMN XML: every DMN namespace, what a deployment records, located errors, safety."""

from __future__ import annotations

import pytest
from dmn_models import definitions, table

from cadenza import dmn

NAMESPACES = [
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "https://www.omg.org/spec/DMN/20211108/MODEL/",
    "https://www.omg.org/spec/DMN/20230324/MODEL/",
]

LITERAL = """
<decision id="greeting" name="Greeting">
  <variable name="Greeting" typeRef="string"/>
  <literalExpression><text>"Hello"</text></literalExpression>
</decision>
"""


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_dmn_version_parses(namespace: str) -> None:
    model = dmn.parse(definitions(LITERAL, namespace=namespace), "greeting.dmn")
    assert (
        model.definitions.dmn_version
        == {
            NAMESPACES[0]: "1.1",
            NAMESPACES[1]: "1.2",
            NAMESPACES[2]: "1.3",
            NAMESPACES[3]: "1.4",
            NAMESPACES[4]: "1.5",
        }[namespace]
    )
    assert model.evaluate("greeting").output == "Hello"


def test_deployment_sees_requirements_id_name_namespace_and_decisions() -> None:
    body = LITERAL + table([(["-"], ['"x"'])], inputs=[("a", "a")], outputs=["o"])
    model = dmn.parse(definitions(body, name="Pricing", ns="urn:pricing"), "pricing.dmn")
    assert model.decision_requirements_id == "defs_Pricing"
    assert model.decision_requirements_name == "Pricing"
    assert model.namespace == "urn:pricing"
    assert model.decisions == (
        dmn.DecisionInfo("greeting", "Greeting"),
        dmn.DecisionInfo("d", "Decision"),
    )


def test_dmn11_qname_type_refs_lose_their_prefix() -> None:
    body = """
<decision id="n" name="N">
  <variable name="N" typeRef="feel:number"/>
  <literalExpression typeRef="feel:number"><text>1 + 1</text></literalExpression>
</decision>"""
    model = dmn.parse(definitions(body, namespace=NAMESPACES[0]), "n.dmn")
    decision = model.definitions.decisions[0]
    assert decision.type_ref == "number"
    assert model.evaluate("n").output == 2


def test_malformed_xml_reports_file_and_line() -> None:
    with pytest.raises(dmn.DmnError) as caught:
        dmn.parse("<definitions>\n<decision>\n</definitions>", "broken.dmn")
    problem = caught.value.problems[0]
    assert problem.resource == "broken.dmn"
    assert problem.line == 3
    assert "not well-formed" in problem.message


def test_not_a_dmn_document_is_rejected() -> None:
    with pytest.raises(dmn.DmnError, match="not a DMN definitions element"):
        dmn.parse('<definitions xmlns="urn:other"/>', "other.dmn")


def test_unknown_hit_policy_is_located_by_line_and_element_id() -> None:
    body = table([(["-"], ["1"])], inputs=[("a", "a")], outputs=["o"], hit_policy="SOMETIMES")
    text = definitions(body)
    with pytest.raises(dmn.DmnError) as caught:
        dmn.parse(text, "policy.dmn")
    problem = caught.value.problems[0]
    assert problem.element_id == "d_table"
    assert (
        problem.line
        == text.splitlines().index(
            next(line for line in text.splitlines() if "<decisionTable" in line)
        )
        + 1
    )
    assert "SOMETIMES" in problem.message


def test_rule_with_wrong_number_of_entries_is_reported() -> None:
    body = table([(["-"], ["1"])], inputs=[("a", "a")], outputs=["o"]).replace(
        "<inputEntry><text>-</text></inputEntry>", ""
    )
    with pytest.raises(dmn.DmnError) as caught:
        dmn.parse(definitions(body), "rule.dmn")
    assert caught.value.problems[0].element_id == "rule1"
    assert "0 input and 1 output entries" in caught.value.problems[0].message


def test_feel_syntax_error_names_the_element_and_line() -> None:
    body = """
<decision id="bad" name="Bad">
  <literalExpression id="bad_expr"><text>1 + + (</text></literalExpression>
</decision>"""
    with pytest.raises(dmn.DmnError) as caught:
        dmn.parse(definitions(body), "bad.dmn")
    problem = caught.value.problems[0]
    assert problem.element_id == "bad_expr"
    assert problem.line == 5
    assert "FEEL syntax error" in problem.message


def test_lenient_parse_fails_only_the_decision_with_bad_feel() -> None:
    body = (
        LITERAL
        + """
<decision id="bad" name="Bad">
  <literalExpression id="bad_expr"><text>1 + + (</text></literalExpression>
</decision>"""
    )
    model = dmn.parse(definitions(body), "bad.dmn", strict=False)
    assert len(model.problems) == 1
    assert model.evaluate("greeting").output == "Hello"
    failed = model.evaluate("bad")
    assert failed.failure is not None
    assert failed.failure.failed_decision_id == "bad"


def test_external_entities_are_not_expanded() -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        + definitions(LITERAL.replace('"Hello"', '"&secret;"')).split("\n", 1)[1]
    )
    try:
        model = dmn.parse(text, "xxe.dmn")
    except dmn.DmnError:
        return  # refusing the document is also safe
    output = model.evaluate("greeting").output
    assert "root:" not in str(output)


def test_missing_import_is_reported() -> None:
    body = '<import name="other" namespace="urn:other" importType="https://www.omg.org/spec/DMN/20230324/MODEL/"/>'
    with pytest.raises(dmn.DmnError, match="urn:other"):
        dmn.parse(definitions(body + LITERAL), "imports.dmn")


def test_public_names_are_exported() -> None:
    assert set(dmn.__all__) <= set(dir(dmn))
    for name in dmn.__all__:
        assert getattr(dmn, name).__doc__, name


def test_requirement_pointing_nowhere_is_located_at_its_decision() -> None:
    body = """
<decision id="orphan" name="Orphan">
  <informationRequirement><requiredDecision href="#missing"/></informationRequirement>
  <literalExpression><text>1</text></literalExpression>
</decision>"""
    text = definitions(body)
    with pytest.raises(dmn.DmnError) as caught:
        dmn.parse(text, "orphan.dmn")
    (problem,) = caught.value.problems
    assert (problem.resource, problem.line, problem.element_id) == ("orphan.dmn", 4, "orphan")
    assert "'missing'" in problem.message


def test_internal_entities_are_not_expanded() -> None:
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    text = (
        f'<?xml version="1.0"?>\n<!DOCTYPE definitions [<!ENTITY l0 "ha">{laughs}]>\n'
        + definitions(LITERAL.replace('"Hello"', '"&l9;"')).split("\n", 1)[1]
    )
    try:
        model = dmn.parse(text, "laughs.dmn")
    except dmn.DmnError:
        return  # refusing the document is also safe
    assert len(str(model.evaluate("greeting").output)) < 1000


def test_bad_allowed_values_are_located_at_their_item_definition() -> None:
    body = """
<itemDefinition id="t_grade" name="tGrade"><typeRef>string</typeRef>
  <allowedValues><text>"A", "B</text></allowedValues></itemDefinition>"""
    with pytest.raises(dmn.DmnError) as caught:
        dmn.parse(definitions(body + LITERAL), "items.dmn")
    (problem,) = caught.value.problems
    assert (problem.line, problem.element_id) == (4, "t_grade")
    assert "allowed values" in problem.message


def test_duplicate_ids_are_reported() -> None:
    body = LITERAL + LITERAL.replace('name="Greeting"', 'name="Again"')
    with pytest.raises(dmn.DmnError, match="'greeting' is used by another element"):
        dmn.parse(definitions(body), "twice.dmn")
