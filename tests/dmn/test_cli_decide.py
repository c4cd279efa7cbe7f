"""``cadenza decide``: results as JSON, the explanation, and clear errors."""

from __future__ import annotations

import io
import json
import pathlib

import pytest
from dmn_models import definitions, table

from cadenza.cli_decide import main

RULES = [(["&lt; 18"], ['"minor"']), (["&gt;= 18"], ['"adult"'])]


@pytest.fixture
def model_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "age.dmn"
    path.write_text(definitions(table(RULES, inputs=[("Age", "age")], outputs=["group"])))
    return path


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_prints_the_result_as_json(model_file: pathlib.Path) -> None:
    code, out, err = _run([str(model_file), "d", "--var", "age=30"])
    assert (code, err) == (0, "")
    assert json.loads(out) == "adult"


def test_explain_shows_inputs_and_matched_rules(model_file: pathlib.Path) -> None:
    code, out, _ = _run([str(model_file), "Decision", "--var", "age=10", "--explain"])
    assert code == 0
    document = json.loads(out)
    assert document["output"] == "minor"
    (decision,) = document["evaluatedDecisions"]
    assert decision["evaluatedInputs"] == [{"inputId": "in0", "inputName": "Age", "inputValue": 10}]
    assert decision["matchedRules"] == [
        {
            "ruleId": "rule1",
            "ruleIndex": 1,
            "evaluatedOutputs": [
                {"outputId": "out0", "outputName": "group", "outputValue": "minor"}
            ],
        }
    ]


def test_unknown_decision_lists_the_known_ones(model_file: pathlib.Path) -> None:
    code, out, err = _run([str(model_file), "nope"])
    assert code == 2
    assert out == ""
    assert "no decision 'nope'" in err and "decisions: d" in err


def test_missing_file_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    code, _, err = _run([str(tmp_path / "absent.dmn"), "d"])
    assert code == 2
    assert "cannot read" in err and "absent.dmn" in err


def test_invalid_model_lists_problems_with_lines(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.dmn"
    path.write_text("<definitions>\n<oops>\n</definitions>")
    code, _, err = _run([str(path), "d"])
    assert code == 2
    assert f"{path}:3" in err


def test_failed_evaluation_exits_non_zero(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "overlap.dmn"
    rules = [(["&gt; 1"], ['"a"']), (["&gt; 2"], ['"b"'])]
    path.write_text(definitions(table(rules, inputs=[("x", "x")], outputs=["o"])))
    code, _, err = _run([str(path), "d", "--var", "x=5"])
    assert code == 1
    assert "decision 'd' failed" in err


def test_bare_words_are_strings_and_bad_var_syntax_is_rejected(model_file: pathlib.Path) -> None:
    code, out, _ = _run([str(model_file), "d", "--var", "age=old"])
    assert code == 0
    assert json.loads(out) is None  # a string age matches neither comparison
    code, _, _ = _run([str(model_file), "d", "--var", "no-equals-sign"])
    assert code == 2


def test_parse_files_resolves_imports_between_files(tmp_path: pathlib.Path) -> None:
    from cadenza.dmn_files import parse_file, parse_files

    lib = tmp_path / "lib.dmn"
    lib.write_text(
        definitions(
            '<decision id="k" name="K"><literalExpression><text>42</text></literalExpression>'
            "</decision>",
            name="Lib",
            ns="urn:lib",
        )
    )
    main_file = tmp_path / "main.dmn"
    main_file.write_text(
        definitions(
            '<import name="lib" namespace="urn:lib" importType="https://www.omg.org/spec/DMN/20230324/MODEL/"/>'
            '<decision id="use" name="Use">'
            '<informationRequirement><requiredDecision href="urn:lib#k"/></informationRequirement>'
            "<literalExpression><text>lib.K + 1</text></literalExpression></decision>",
            name="Main",
            ns="urn:main",
        )
    )
    models = parse_files([main_file, lib])
    assert models[str(main_file)].evaluate("use").output == 43
    assert parse_file(lib).evaluate("k").output == 42
