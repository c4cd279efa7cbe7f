"""DMN models from the Camunda 8 world (Camunda Modeler, Zeebe, dmn-scala test models) parse and
evaluate as Camunda 8 does."""

from __future__ import annotations

import pathlib

import pytest

from cadenza import dmn

ROOT = pathlib.Path("/work/shared/conformance/zeebe-models")
MODELS = sorted(ROOT.rglob("*.dmn")) if ROOT.is_dir() else []

pytestmark = pytest.mark.skipif(not MODELS, reason=f"Zeebe models not found at {ROOT}")


def _model(path: str) -> dmn.DecisionModel:
    return dmn.parse((ROOT / path).read_bytes(), path)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_model_parses_with_its_decisions(path: pathlib.Path) -> None:
    model = dmn.parse(path.read_bytes(), path.name)
    assert model.decision_requirements_id
    assert model.decisions
    assert all(d.decision_id for d in model.decisions)


def test_drg_with_a_required_decision_records_both_in_order() -> None:
    model = _model("camunda-zeebe/drg-force-user.dmn")
    assert model.decision_requirements_id == "force_users"
    assert model.decision_requirements_name == "Force Users"
    result = model.evaluate("force_user", {"lightsaberColor": "blue", "height": 185})
    assert result.output == "Obi-Wan Kenobi"
    assert [d.decision_id for d in result.evaluated_decisions] == ["jedi_or_sith", "force_user"]
    (jedi, force_user) = result.evaluated_decisions
    assert jedi.decision_output == '"Jedi"'
    assert [r.rule_id for r in jedi.matched_rules] == ["DecisionRule_0zumznl"]
    assert [i.input_value for i in force_user.evaluated_inputs] == ['"Jedi"', "185"]
    assert [r.rule_index for r in force_user.matched_rules] == [2]


def test_unique_table_with_an_empty_cell() -> None:
    model = _model("dmn-scala/decisiontable_discount.dmn")
    assert model.evaluate("discount", {"customer": "Business", "orderSize": 7}).output == 0.1
    assert model.evaluate("discount", {"customer": "Private", "orderSize": 50}).output == 0.05


def test_output_order_ranks_by_output_values_even_against_the_output_type() -> None:
    # The output's typeRef says string while the entries are numbers; Camunda 8 keeps them.
    model = _model("dmn-scala/decisiontable_holidays_output_order.dmn")
    result = model.evaluate("holidays", {"age": 58, "yearsOfService": 31})
    assert result.output == [22, 5, 3]
    assert [r.rule_index for r in result.evaluated_decisions[0].matched_rules] == [1, 3, 6]


def test_priority_picks_the_highest_ranked_output() -> None:
    model = _model("dmn-scala/decisiontable_applicantRiskRating_priority.dmn")
    result = model.evaluate("applicantRiskRating", {"applicantAge": 65, "medicalHistory": "bad"})
    assert result.output == "High"
    assert len(result.evaluated_decisions[0].matched_rules) == 2
