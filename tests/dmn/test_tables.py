"""Decision tables: every hit policy, defaults, multiple outputs, types, and the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from dmn_models import definitions, table

from cadenza import dmn

SEASONS = [
    (['"Fall"'], ['"Spareribs"']),
    (['"Winter"'], ['"Roastbeef"']),
    (['"Spring"'], ['"Steak"']),
    (
        [
            '"Summer"',
        ],
        ['"Stew"'],
    ),
]


def _model(**kwargs: Any) -> dmn.DecisionModel:
    return dmn.parse(definitions(table(**kwargs)), "table.dmn")


def test_unique_picks_the_one_matching_rule_and_records_the_trail() -> None:
    model = _model(rules=SEASONS, inputs=[("Season", "season")], outputs=["dish"])
    result = model.evaluate("d", {"season": "Spring"})
    assert result.output == "Steak"
    assert result.failure is None
    (decision,) = result.evaluated_decisions
    assert decision.decision_id == "d"
    assert decision.decision_name == "Decision"
    assert decision.decision_type is dmn.DecisionType.DECISION_TABLE
    assert decision.decision_output == '"Steak"'
    assert decision.evaluated_inputs == (dmn.EvaluatedInput("in0", "Season", '"Spring"'),)
    assert decision.matched_rules == (
        dmn.MatchedRule("rule3", 3, (dmn.EvaluatedOutput("out0", "dish", '"Steak"'),)),
    )


def test_unique_with_two_matches_fails_naming_the_decision() -> None:
    rules = [(["&gt; 1"], ['"a"']), (["&gt; 2"], ['"b"'])]
    result = _model(rules=rules, inputs=[("x", "x")], outputs=["o"]).evaluate("d", {"x": 5})
    assert result.output is None
    assert result.failure is not None
    assert result.failure.failed_decision_id == "d"
    assert "UNIQUE" in result.failure.evaluation_failure_message
    assert "rule1" in result.failure.evaluation_failure_message


def test_no_match_gives_null_and_no_matched_rules() -> None:
    result = _model(rules=SEASONS, inputs=[("Season", "season")], outputs=["dish"]).evaluate(
        "d", {"season": "Monsoon"}
    )
    assert result.output is None
    assert result.failure is None
    assert result.evaluated_decisions[0].matched_rules == ()


def test_default_output_applies_when_nothing_matches() -> None:
    model = _model(
        rules=SEASONS, inputs=[("Season", "season")], outputs=["dish"], defaults={0: '"Soup"'}
    )
    assert model.evaluate("d", {"season": "Monsoon"}).output == "Soup"
    assert model.evaluate("d", {"season": "Fall"}).output == "Spareribs"


def test_first_takes_the_first_match_in_rule_order() -> None:
    rules = [(["&gt; 10"], ['"big"']), (["&gt; 1"], ['"medium"']), (["-"], ['"any"'])]
    model = _model(rules=rules, inputs=[("x", "x")], outputs=["o"], hit_policy="FIRST")
    assert model.evaluate("d", {"x": 20}).output == "big"
    assert model.evaluate("d", {"x": 5}).output == "medium"
    trail = model.evaluate("d", {"x": 0}).evaluated_decisions[0]
    assert [r.rule_index for r in trail.matched_rules] == [3]


def test_any_accepts_equal_outputs_and_rejects_different_ones() -> None:
    rules = [(["&gt; 1"], ['"yes"']), (["&gt; 2"], ['"yes"']), (["&gt; 3"], ['"no"'])]
    model = _model(rules=rules, inputs=[("x", "x")], outputs=["o"], hit_policy="ANY")
    assert model.evaluate("d", {"x": 3}).output == "yes"
    failed = model.evaluate("d", {"x": 4})
    assert failed.failure is not None and "ANY" in failed.failure.evaluation_failure_message


def test_priority_uses_the_order_of_the_output_values() -> None:
    rules = [(["&gt; 1"], ['"low"']), (["&gt; 2"], ['"high"']), (["&gt; 3"], ['"medium"'])]
    model = _model(
        rules=rules,
        inputs=[("x", "x")],
        outputs=["o"],
        hit_policy="PRIORITY",
        output_values={0: '"high","medium","low"'},
    )
    assert model.evaluate("d", {"x": 5}).output == "high"
    assert model.evaluate("d", {"x": 2}).output == "low"


def test_output_order_sorts_by_priority_and_rule_order_keeps_rules() -> None:
    rules = [(["&gt; 1"], ['"low"']), (["&gt; 2"], ['"high"']), (["&gt; 3"], ['"medium"'])]
    kwargs: dict[str, Any] = {
        "rules": rules,
        "inputs": [("x", "x")],
        "outputs": ["o"],
        "output_values": {0: '"high","medium","low"'},
    }
    assert _model(hit_policy="OUTPUT ORDER", **kwargs).evaluate("d", {"x": 5}).output == [
        "high",
        "medium",
        "low",
    ]
    assert _model(hit_policy="RULE ORDER", **kwargs).evaluate("d", {"x": 5}).output == [
        "low",
        "high",
        "medium",
    ]


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [(None, [10, 20, 30]), ("SUM", 60), ("MIN", 10), ("MAX", 30), ("COUNT", 3)],
)
def test_collect_with_each_aggregation(aggregation: str | None, expected: Any) -> None:
    rules = [(["&gt; 0"], ["10"]), (["&gt; 1"], ["20"]), (["&gt; 2"], ["30"]), (["&gt; 9"], ["40"])]
    model = _model(
        rules=rules,
        inputs=[("x", "x")],
        outputs=["o"],
        hit_policy="COLLECT",
        aggregation=aggregation,
    )
    result = model.evaluate("d", {"x": 5})
    assert result.output == expected
    assert [r.rule_index for r in result.evaluated_decisions[0].matched_rules] == [1, 2, 3]


def test_collect_without_matches() -> None:
    rules = [(["&gt; 10"], ["10"])]
    plain = _model(rules=rules, inputs=[("x", "x")], outputs=["o"], hit_policy="COLLECT")
    assert plain.evaluate("d", {"x": 1}).output is None  # as Camunda 8 answers
    summed = _model(
        rules=rules, inputs=[("x", "x")], outputs=["o"], hit_policy="COLLECT", aggregation="SUM"
    )
    assert summed.evaluate("d", {"x": 1}).output is None
    counted = _model(
        rules=rules, inputs=[("x", "x")], outputs=["o"], hit_policy="COLLECT", aggregation="COUNT"
    )
    assert counted.evaluate("d", {"x": 1}).output == 0


def test_multiple_outputs_give_a_context_per_rule() -> None:
    rules = [(["&lt; 18"], ['"minor"', "0"]), (["&gt;= 18"], ['"adult"', "1"])]
    model = _model(rules=rules, inputs=[("Age", "age")], outputs=["group", "level"])
    result = model.evaluate("d", {"age": 30})
    assert result.output == {"group": "adult", "level": 1}
    outputs = result.evaluated_decisions[0].matched_rules[0].evaluated_outputs
    assert [(o.output_id, o.output_name, o.output_value) for o in outputs] == [
        ("out0", "group", '"adult"'),
        ("out1", "level", "1"),
    ]


def test_several_inputs_must_all_match() -> None:
    rules = [
        (['"gold"', "&gt;= 100"], ["0.2"]),
        (['"gold"', "-"], ["0.1"]),
        (["-", "-"], ["0"]),
    ]
    model = _model(
        rules=rules,
        inputs=[("Tier", "tier"), ("Amount", "amount")],
        outputs=["discount"],
        hit_policy="FIRST",
    )
    assert model.evaluate("d", {"tier": "gold", "amount": 150}).value == Decimal("0.2")
    assert model.evaluate("d", {"tier": "gold", "amount": 50}).value == Decimal("0.1")
    result = model.evaluate("d", {"tier": "silver", "amount": 500})
    assert result.output == 0
    assert [i.input_value for i in result.evaluated_decisions[0].evaluated_inputs] == [
        '"silver"',
        "500",
    ]


def test_output_type_is_enforced_only_when_checking_values() -> None:
    text = definitions(
        table(
            rules=[(["-"], ['"not a number"'])],
            inputs=[("x", "x")],
            outputs=["o"],
            output_type="number",
        )
    )
    # As Camunda 8: the output keeps its value.
    assert dmn.parse(text, "t.dmn").evaluate("d", {"x": 1}).output == "not a number"
    result = dmn.parse(text, "t.dmn", check_values=True).evaluate("d", {"x": 1})
    assert result.failure is not None
    assert "'o'" in result.failure.evaluation_failure_message


def test_input_values_are_enforced_only_when_checking_values() -> None:
    body = table(rules=SEASONS, inputs=[("Season", "season")], outputs=["dish"]).replace(
        "</inputExpression>",
        '</inputExpression><inputValues><text>"Fall","Winter","Spring","Summer"</text></inputValues>',
    )
    lenient = dmn.parse(definitions(body), "values.dmn")
    assert lenient.evaluate("d", {"season": "Monsoon"}).output is None
    assert lenient.evaluate("d", {"season": "Monsoon"}).failure is None
    checked = dmn.parse(definitions(body), "values.dmn", check_values=True)
    assert checked.evaluate("d", {"season": "Fall"}).output == "Spareribs"
    failed = checked.evaluate("d", {"season": "Monsoon"})
    assert failed.failure is not None
    assert "input values" in failed.failure.evaluation_failure_message


def test_output_values_are_enforced_only_when_checking_values() -> None:
    text = definitions(
        table(
            rules=[(["-"], ['"maybe"'])],
            inputs=[("x", "x")],
            outputs=["o"],
            output_values={0: '"yes","no"'},
        )
    )
    assert dmn.parse(text, "o.dmn").evaluate("d", {"x": 1}).output == "maybe"
    failed = dmn.parse(text, "o.dmn", check_values=True).evaluate("d", {"x": 1})
    assert failed.failure is not None


def test_unknown_decision_is_a_failure_not_an_exception() -> None:
    result = _model(rules=SEASONS, inputs=[("Season", "season")], outputs=["dish"]).evaluate("nope")
    assert result.failure == dmn.DecisionFailure("nope", "no decision with id or name 'nope'")


def test_decision_is_found_by_name_too() -> None:
    model = _model(rules=SEASONS, inputs=[("Season", "season")], outputs=["dish"])
    assert model.evaluate("Decision", {"season": "Fall"}).output == "Spareribs"
