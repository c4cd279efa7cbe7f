"""Every public BPMN model either transforms or gives located problems; none raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza import model

CORPUS = Path("/work/shared/conformance")
FOLDERS = ("bpmn-miwg", "zeebe-models")


def _files() -> list[object]:
    files = [p for folder in FOLDERS for p in sorted((CORPUS / folder).rglob("*.bpmn"))]
    if not files:
        reason = f"no BPMN corpus under {CORPUS} (bpmn-miwg, zeebe-models)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="corpus-absent")]
    return [pytest.param(p, id=str(p.relative_to(CORPUS))) for p in files]


@pytest.mark.parametrize("path", _files())
def test_transforms_or_reports_located_problems(path: Path) -> None:
    name = str(path.relative_to(CORPUS))
    result = model.transform(path.read_bytes(), name)
    if result.problems:
        assert result.processes == ()
        for problem in result.problems:
            assert problem.resource == name
            assert problem.line > 0, problem
            assert problem.message.endswith("."), problem
    else:
        assert result.processes
        for process in result.processes:
            assert process.root.kind is model.ElementKind.PROCESS
            for element in process.elements.values():
                assert element.line > 0
                for flow_id in (*element.incoming, *element.outgoing):
                    assert flow_id in process.flows


# Models made with Camunda Modeler that are expected to be refused, with the reason: each one
# uses something Zeebe 8 also rejects, or a feature Cadenza does not run yet.
EXPECTED_REFUSALS = {
    # properties-panel test fixtures: deliberately incomplete elements
    "zeebe-models/bpmn-js-properties-panel/Forms.bpmn": "The process must have at least one start event.",
    "zeebe-models/bpmn-js-properties-panel/MultiInstanceProps.bpmn": "Multi-instance needs zeebe:loopCharacteristics inputCollection.",
    "zeebe-models/bpmn-js-properties-panel/TimerProps.bpmn": "A timer needs exactly one of timeDate, timeDuration or timeCycle.",
    "zeebe-models/bpmn-js-properties-panel/ZeebePropertiesProvider.bpmn": "A send task needs a zeebe:taskDefinition with a type.",
    # execution listeners are not implemented
    "zeebe-models/camunda-zeebe/ZeebeExecutionListenersTest.bpmn": "execution listeners (zeebe:executionListeners) are not supported.",
    # pre-1.0 JSONPath mappings ($.a), refused by Zeebe 8 as well
    "zeebe-models/camunda-zeebe/demo-process.bpmn": "zeebe:input target: the target '$.foo' is not a variable name or a path such as 'a.b'.",
}


@pytest.mark.skipif(not (CORPUS / "zeebe-models").is_dir(), reason=f"{CORPUS}/zeebe-models absent")
def test_camunda_models_refused_only_for_known_reasons() -> None:
    refused: dict[str, list[str]] = {}
    for path in sorted((CORPUS / "zeebe-models").rglob("*.bpmn")):
        name = str(path.relative_to(CORPUS))
        result = model.transform(path.read_bytes(), name)
        if result.problems:
            refused[name] = [p.message for p in result.problems]
    assert sorted(refused) == sorted(EXPECTED_REFUSALS)
    for name, reason in EXPECTED_REFUSALS.items():
        assert reason in refused[name], (name, refused[name])
