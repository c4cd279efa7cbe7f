"""Boxed expressions, knowledge models, decision services, item definitions and imports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dmn_models import DMN15, definitions

from cadenza import dmn


def _model(body: str, name: str = "graph.dmn") -> dmn.DecisionModel:
    return dmn.parse(definitions(body), name)


REQUIREMENTS = """
<inputData id="i_amount" name="Amount"><variable name="Amount" typeRef="number"/></inputData>
<decision id="d_fee" name="Fee">
  <variable name="Fee" typeRef="number"/>
  <informationRequirement><requiredInput href="#i_amount"/></informationRequirement>
  <literalExpression><text>Amount * 0.1</text></literalExpression>
</decision>
<decision id="d_total" name="Total">
  <variable name="Total" typeRef="number"/>
  <informationRequirement><requiredInput href="#i_amount"/></informationRequirement>
  <informationRequirement><requiredDecision href="#d_fee"/></informationRequirement>
  <literalExpression><text>Amount + Fee</text></literalExpression>
</decision>
"""


def test_required_decisions_evaluate_first_and_appear_in_the_trail() -> None:
    result = _model(REQUIREMENTS).evaluate("d_total", {"Amount": 200})
    assert result.output == 220
    assert [d.decision_id for d in result.evaluated_decisions] == ["d_fee", "d_total"]
    assert result.evaluated_decisions[0].decision_output == "20"
    assert result.evaluated_decisions[1].decision_type is dmn.DecisionType.LITERAL_EXPRESSION


def test_failure_names_the_decision_where_it_happened() -> None:
    table_body = REQUIREMENTS.replace(
        "<literalExpression><text>Amount * 0.1</text></literalExpression>",
        '<decisionTable id="t"><input id="x"><inputExpression><text>Amount</text></inputExpression>'
        '</input><output id="o" name="o"/><rule id="r1"><inputEntry><text>&gt; 0</text></inputEntry>'
        '<outputEntry><text>1</text></outputEntry></rule><rule id="r2"><inputEntry><text>&gt; 1'
        "</text></inputEntry><outputEntry><text>2</text></outputEntry></rule></decisionTable>",
    )
    result = _model(table_body).evaluate("d_total", {"Amount": 5})
    assert result.failure is not None
    assert result.failure.failed_decision_id == "d_fee"
    assert result.output is None


def test_input_of_the_wrong_type_becomes_null() -> None:
    result = _model(REQUIREMENTS).evaluate("d_fee", {"Amount": "lots"})
    assert result.failure is None
    assert result.output is None


def test_context_entries_see_earlier_entries_and_the_result_entry_wins() -> None:
    body = """
<decision id="c" name="C">
  <context>
    <contextEntry><variable name="a"/><literalExpression><text>2</text></literalExpression></contextEntry>
    <contextEntry><variable name="b"/><literalExpression><text>a * 3</text></literalExpression></contextEntry>
  </context>
</decision>
<decision id="r" name="R">
  <context>
    <contextEntry><variable name="a"/><literalExpression><text>2</text></literalExpression></contextEntry>
    <contextEntry><literalExpression><text>a + 40</text></literalExpression></contextEntry>
  </context>
</decision>"""
    model = _model(body)
    assert model.evaluate("c").output == {"a": 2, "b": 6}
    assert model.evaluate("r").output == 42
    assert model.evaluate("c").evaluated_decisions[0].decision_type is dmn.DecisionType.CONTEXT


BKM = """
<businessKnowledgeModel id="b_discount" name="Discount">
  <encapsulatedLogic>
    <formalParameter name="price" typeRef="number"/>
    <formalParameter name="rate" typeRef="number"/>
    <literalExpression><text>price * rate</text></literalExpression>
  </encapsulatedLogic>
</businessKnowledgeModel>
"""


def test_invocation_binds_parameters_by_name() -> None:
    body = (
        BKM
        + """
<decision id="inv" name="Inv">
  <knowledgeRequirement><requiredKnowledge href="#b_discount"/></knowledgeRequirement>
  <invocation>
    <literalExpression><text>Discount</text></literalExpression>
    <binding><parameter name="rate"/><literalExpression><text>0.5</text></literalExpression></binding>
    <binding><parameter name="price"/><literalExpression><text>80</text></literalExpression></binding>
  </invocation>
</decision>
<decision id="lit" name="Lit">
  <knowledgeRequirement><requiredKnowledge href="#b_discount"/></knowledgeRequirement>
  <literalExpression><text>Discount(10, 0.2)</text></literalExpression>
</decision>"""
    )
    model = _model(body)
    assert model.evaluate("inv").output == 40
    assert model.evaluate("lit").output == 2
    assert model.invoke("Discount", {"price": Decimal(3), "rate": Decimal(2)}) == 6


def test_invocation_of_an_unknown_parameter_fails() -> None:
    body = (
        BKM
        + """
<decision id="inv" name="Inv">
  <knowledgeRequirement><requiredKnowledge href="#b_discount"/></knowledgeRequirement>
  <invocation>
    <literalExpression><text>Discount</text></literalExpression>
    <binding><parameter name="amount"/><literalExpression><text>1</text></literalExpression></binding>
  </invocation>
</decision>"""
    )
    result = _model(body).evaluate("inv")
    assert result.failure is not None
    assert "amount" in result.failure.evaluation_failure_message


def test_list_relation_conditional_iterators_and_filter() -> None:
    body = """
<decision id="l" name="L"><list>
  <literalExpression><text>1</text></literalExpression>
  <literalExpression><text>"two"</text></literalExpression>
</list></decision>
<decision id="rel" name="Rel"><relation>
  <column name="n"/><column name="sq"/>
  <row><literalExpression><text>2</text></literalExpression><literalExpression><text>4</text></literalExpression></row>
  <row><literalExpression><text>3</text></literalExpression><literalExpression><text>9</text></literalExpression></row>
</relation></decision>
<decision id="cond" name="Cond"><conditional>
  <if><literalExpression><text>x &gt; 1</text></literalExpression></if>
  <then><literalExpression><text>"big"</text></literalExpression></then>
  <else><literalExpression><text>"small"</text></literalExpression></else>
</conditional></decision>
<decision id="for" name="For"><for iteratorVariable="v">
  <in><literalExpression><text>[1, 2, 3]</text></literalExpression></in>
  <return><literalExpression><text>v * 10</text></literalExpression></return>
</for></decision>
<decision id="some" name="Some"><some iteratorVariable="v">
  <in><literalExpression><text>[1, 2, 3]</text></literalExpression></in>
  <satisfies><literalExpression><text>v &gt; 2</text></literalExpression></satisfies>
</some></decision>
<decision id="every" name="Every"><every iteratorVariable="v">
  <in><literalExpression><text>[1, 2, 3]</text></literalExpression></in>
  <satisfies><literalExpression><text>v &gt; 2</text></literalExpression></satisfies>
</every></decision>
<decision id="filter" name="Filter"><filter>
  <in><literalExpression><text>[{n: 1}, {n: 5}, {n: 7}]</text></literalExpression></in>
  <match><literalExpression><text>n &gt; 3</text></literalExpression></match>
</filter></decision>"""
    model = _model(body)
    assert model.evaluate("l").output == [1, "two"]
    assert model.evaluate("rel").output == [{"n": 2, "sq": 4}, {"n": 3, "sq": 9}]
    assert model.evaluate("cond", {"x": 5}).output == "big"
    assert model.evaluate("cond", {"x": 0}).output == "small"
    assert model.evaluate("for").output == [10, 20, 30]
    assert model.evaluate("some").output is True
    assert model.evaluate("every").output is False
    assert model.evaluate("filter").output == [{"n": 5}, {"n": 7}]


def test_function_definition_in_a_context_can_be_called_later() -> None:
    body = """
<decision id="f" name="F"><context>
  <contextEntry><variable name="double"/>
    <functionDefinition><formalParameter name="n" typeRef="number"/>
      <literalExpression><text>n * 2</text></literalExpression></functionDefinition>
  </contextEntry>
  <contextEntry><literalExpression><text>double(21)</text></literalExpression></contextEntry>
</context></decision>"""
    assert _model(body).evaluate("f").output == 42


ITEMS = """
<itemDefinition name="tGrade"><typeRef>string</typeRef>
  <allowedValues><text>"A","B","C"</text></allowedValues></itemDefinition>
<itemDefinition name="tGrades" isCollection="true"><typeRef>tGrade</typeRef></itemDefinition>
<itemDefinition name="tStudent">
  <itemComponent name="name"><typeRef>string</typeRef></itemComponent>
  <itemComponent name="grade"><typeRef>tGrade</typeRef></itemComponent>
</itemDefinition>
<inputData id="i_grade" name="Grade"><variable name="Grade" typeRef="tGrade"/></inputData>
<inputData id="i_student" name="Student"><variable name="Student" typeRef="tStudent"/></inputData>
<decision id="g" name="G"><variable name="G" typeRef="tGrade"/>
  <informationRequirement><requiredInput href="#i_grade"/></informationRequirement>
  <literalExpression><text>Grade</text></literalExpression></decision>
<decision id="gs" name="Gs"><variable name="Gs" typeRef="tGrades"/>
  <informationRequirement><requiredInput href="#i_grade"/></informationRequirement>
  <literalExpression><text>Grade</text></literalExpression></decision>
<decision id="s" name="S"><variable name="S" typeRef="string"/>
  <informationRequirement><requiredInput href="#i_student"/></informationRequirement>
  <literalExpression><text>Student.name</text></literalExpression></decision>
"""


def test_allowed_values_collections_and_structures() -> None:
    model = _model(ITEMS)
    assert model.evaluate("g", {"Grade": "B"}).output == "B"
    assert model.evaluate("g", {"Grade": "F"}).output is None
    # A single value where a collection is declared becomes a one-item list.
    assert model.evaluate("gs", {"Grade": "A"}).output == ["A"]
    assert model.evaluate("s", {"Student": {"name": "Ann", "grade": "A"}}).output == "Ann"
    assert model.evaluate("s", {"Student": {"name": "Ann", "grade": "Z"}}).output is None


SERVICE = """
<inputData id="i_a" name="A"><variable name="A" typeRef="number"/></inputData>
<decision id="d_in" name="In"><variable name="In" typeRef="number"/>
  <literalExpression><text>1000</text></literalExpression></decision>
<decision id="d_out" name="Out"><variable name="Out" typeRef="number"/>
  <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
  <informationRequirement><requiredDecision href="#d_in"/></informationRequirement>
  <literalExpression><text>A + In</text></literalExpression></decision>
<decisionService id="ds" name="Service">
  <outputDecision href="#d_out"/>
  <inputDecision href="#d_in"/>
  <inputData href="#i_a"/>
</decisionService>
<decision id="caller" name="Caller">
  <knowledgeRequirement><requiredKnowledge href="#ds"/></knowledgeRequirement>
  <literalExpression><text>Service(1, 2)</text></literalExpression></decision>
"""


def test_decision_service_takes_inputs_then_input_decisions() -> None:
    model = _model(SERVICE)
    assert model.invoke("Service", {"A": Decimal(5), "In": Decimal(7)}) == 12
    assert model.evaluate("caller").output == 3
    # Evaluated as a plain decision, the input decision runs its own logic.
    assert model.evaluate("d_out", {"A": 1}).output == 1001


def test_imported_model_names_are_prefixed_by_the_import_name() -> None:
    imported = definitions(
        BKM + '<itemDefinition name="tAmount"><typeRef>number</typeRef></itemDefinition>',
        name="Lib",
        ns="urn:lib",
    )
    importer = definitions(
        f'<import name="lib" namespace="urn:lib" importType="{DMN15}"/>'
        """
<decision id="use" name="Use"><variable name="Use" typeRef="lib.tAmount"/>
  <knowledgeRequirement><requiredKnowledge href="urn:lib#b_discount"/></knowledgeRequirement>
  <literalExpression><text>lib.Discount(100, 0.25)</text></literalExpression>
</decision>""",
        name="Main",
        ns="urn:main",
    )
    models = dmn.parse_many([("main.dmn", importer), ("lib.dmn", imported)])
    assert models["main.dmn"].evaluate("use").output == 25


def test_a_decision_that_requires_itself_fails_cleanly() -> None:
    body = """
<decision id="loop" name="Loop">
  <informationRequirement><requiredDecision href="#loop"/></informationRequirement>
  <literalExpression><text>Loop + 1</text></literalExpression></decision>"""
    result = _model(body).evaluate("loop")
    assert result.failure is not None
    assert "requires itself" in result.failure.evaluation_failure_message


@pytest.mark.parametrize("value", [1.5, 2, "text", True, None, [1, 2], {"k": "v"}])
def test_json_variables_round_trip_through_a_literal(value: object) -> None:
    body = '<decision id="echo" name="Echo"><literalExpression><text>v</text></literalExpression></decision>'
    assert _model(body).evaluate("echo", {"v": value}).output == value


def test_now_and_today_come_from_the_caller() -> None:
    import datetime as dt

    body = '<decision id="t" name="T"><literalExpression><text>today()</text></literalExpression></decision>'
    model = _model(body)
    moment = dt.datetime(2024, 2, 29, 12, 30, tzinfo=dt.UTC)
    assert model.evaluate("t", now=moment).output == "2024-02-29"
    assert model.evaluate("t").output is None  # the library reads no clock


def test_decision_service_called_from_feel_rejects_a_wrong_argument_type() -> None:
    body = (
        SERVICE
        + """
<decision id="bad_call" name="BadCall">
  <knowledgeRequirement><requiredKnowledge href="#ds"/></knowledgeRequirement>
  <literalExpression><text>Service("one", 2)</text></literalExpression></decision>"""
    )
    model = _model(body)
    assert model.evaluate("bad_call").output is None
    # Invoked directly, the same argument is only taken as null.
    assert model.invoke("Service", {"A": "one", "In": Decimal(2)}) is None


def test_table_input_without_label_is_named_by_its_expression() -> None:
    body = """
<decision id="d" name="D"><decisionTable>
  <input id="in"><inputExpression><text>x + 1</text></inputExpression></input>
  <output id="out"/>
  <rule id="r"><inputEntry><text>-</text></inputEntry><outputEntry><text>"ok"</text></outputEntry></rule>
</decisionTable></decision>"""
    decision = _model(body).evaluate("d", {"x": 1}).evaluated_decisions[0]
    assert decision.evaluated_inputs == (dmn.EvaluatedInput("in", "x + 1", "2"),)
    assert decision.matched_rules[0].evaluated_outputs == (dmn.EvaluatedOutput("out", "", '"ok"'),)
