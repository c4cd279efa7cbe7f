"""The benchmark suite's models and harness: models parse, arguments parse, checks bite.

Nothing here is timed; the runs below use a handful of instances only to prove the harness
drives each engine to the results the models compute.
"""

from __future__ import annotations

import dataclasses
import importlib
import pathlib
import sys
from types import ModuleType
from typing import Any

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"
MODELS = BENCH / "models"


def _bench_module(name: str) -> ModuleType:
    # bench/ is a directory of scripts, not a package: its modules import each other by name.
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


workloads = _bench_module("_workloads")
run = _bench_module("run")
report = _bench_module("_report")

CADENZA_MODELS = sorted(p for p in MODELS.glob("*.bpmn") if not p.name.endswith(".spiff.bpmn"))
SPIFF_MODELS = {w.spiff_model for w in workloads.WORKLOADS.values()}


def _transform() -> Any:
    model = importlib.import_module("cadenza.model")
    transform = getattr(model, "transform", None)
    if transform is None:
        pytest.skip("cadenza.model.transform does not exist yet")
    return transform


def test_every_model_file_belongs_to_a_workload() -> None:
    used = {w.cadenza_model for w in workloads.WORKLOADS.values()} | set(SPIFF_MODELS)
    on_disk = {p.name for p in MODELS.glob("*.bpmn")}
    assert on_disk == used


@pytest.mark.parametrize("path", CADENZA_MODELS, ids=lambda p: p.name)
def test_cadenza_model_transforms_without_problems(path: pathlib.Path) -> None:
    result = _transform()(path.read_bytes(), path.name)
    assert [str(p) for p in result.problems] == []
    expected = {w.process_id for w in workloads.WORKLOADS.values() if w.cadenza_model == path.name}
    assert {p.id for p in result.processes} == expected


def test_cadenza_models_use_only_job_types_the_workers_handle() -> None:
    transform = _transform()
    job_types: set[str] = set()
    for path in CADENZA_MODELS:
        for process in transform(path.read_bytes(), path.name).processes:
            for element in process.elements.values():
                if element.job is not None:
                    job_types.add(element.job.type.source)
    assert job_types == set(workloads.HANDLERS)


def test_multi_instance_model_gathers_results_from_items() -> None:
    path = MODELS / "multi_instance.bpmn"
    (process,) = _transform()(path.read_bytes(), path.name).processes
    loop = process.element("double_items").multi_instance
    assert loop is not None
    assert not loop.sequential
    assert loop.input_collection.feel == "items"
    assert loop.output_collection == "results"


@pytest.mark.parametrize("workload", list(workloads.WORKLOADS))
def test_spiff_model_has_the_same_flow_nodes(workload: str) -> None:
    pytest.importorskip("SpiffWorkflow", reason="SpiffWorkflow is in the bench extra")
    spiff = _bench_module("_spiff_side")
    w = workloads.WORKLOADS[workload]
    spec = spiff.parse_model(MODELS / w.spiff_model, w.process_id)
    assert spec.name == w.process_id
    cadenza_path = MODELS / w.cadenza_model
    (process,) = _transform()(cadenza_path.read_bytes(), cadenza_path.name).processes
    flow_nodes = {
        element_id
        for element_id, element in process.elements.items()
        if element.kind.value not in {"PROCESS", "MULTI_INSTANCE_BODY"}
    }
    # Spiff adds its own bookkeeping specs (Start, End, joins); every BPMN node must be there.
    assert flow_nodes
    assert flow_nodes <= set(spec.task_specs)


def test_defaults_select_everything() -> None:
    settings = run.parse_args([])
    assert settings.workloads == tuple(workloads.WORKLOADS)
    assert {e.value for e in settings.engines} == {"cadenza", "spiff"}
    assert {v.value for v in settings.variants} == {"memory", "durable"}
    assert settings.runs_for("one_task") == 10
    assert settings.runs_for("mi_100k") < 10
    assert settings.size_for("mi_5k") == 5_000
    assert settings.size_for("mi_100k") == 100_000
    assert not settings.list_only


def test_options_pick_workloads_runs_sizes_and_limits(tmp_path: pathlib.Path) -> None:
    settings = run.parse_args(
        [
            "--workloads",
            "one_task, correlation",
            "--engines",
            "spiff",
            "--variants",
            "durable",
            "--runs",
            "3",
            "--size",
            "mi_100k=20_000",
            "--timeout",
            "30",
            "--case-budget",
            "120",
            "--memory-limit",
            "2.5",
            "--output",
            str(tmp_path),
        ]
    )
    assert settings.workloads == ("one_task", "correlation")
    assert [e.value for e in settings.engines] == ["spiff"]
    assert [v.value for v in settings.variants] == ["durable"]
    assert settings.runs_for("mi_100k") == 3
    assert settings.size_for("mi_100k") == 20_000
    assert settings.size_for("one_task") == 1_000
    assert settings.timeout_s == 30.0
    assert settings.case_budget_s == 120.0
    assert settings.memory_limit_gib == 2.5
    assert settings.output == tmp_path


@pytest.mark.parametrize(
    "argv",
    [
        ["--workloads", "one_task,nope"],
        ["--engines", "camunda"],
        ["--variants", ""],
        ["--runs", "0"],
        ["--runs", "many"],
        ["--size", "mi_5k"],
        ["--size", "unknown=5"],
        ["--size", "mi_5k=-1"],
        ["--timeout", "-5"],
        ["--memory-limit", "0"],
    ],
)
def test_bad_arguments_exit_with_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run.parse_args(argv)
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_checks_reject_wrong_results() -> None:
    w = workloads.WORKLOADS
    assert workloads.check_final(w["ten_tasks"], {"steps": 10}) is None
    assert "steps = 10" in workloads.check_final(w["ten_tasks"], {"steps": 9})
    small = dataclasses.replace(w["mi_5k"], size=4)
    assert workloads.check_final(small, {"results": [0, 2, 4, 6]}) is None
    assert "input order" in workloads.check_final(small, {"results": [2, 0, 4, 6]})
    assert "4 results" in workloads.check_final(small, {"results": [0, 2]})
    assert workloads.check_final(w["correlation"], {}) is not None


def test_table_reports_failures_and_medians() -> None:
    finished = report.Case("one_task", "spiff", "memory", 1_000)
    for value in (10.0, 30.0, 20.0):
        finished.runs.append({"value": value, "rss_peak_mib": value})
    stopped = report.Case("mi_100k", "spiff", "durable", 100_000, failure="did not finish in 600 s")
    text = report.table([finished, stopped])
    rows = text.splitlines()
    assert rows[2].split("|")[5].strip() == "20.0"  # the median, not the mean or the last run
    assert rows[2].split("|")[8].strip() == "30"  # the highest peak over the runs
    assert "did not finish in 600 s" in rows[3]


@pytest.mark.parametrize("name", list(workloads.WORKLOADS))
@pytest.mark.parametrize("variant", ["memory", "durable"])
def test_spiff_runner_completes_a_small_run(
    name: str, variant: str, tmp_path: pathlib.Path
) -> None:
    pytest.importorskip("SpiffWorkflow", reason="SpiffWorkflow is in the bench extra")
    spiff = _bench_module("_spiff_side")
    workload = dataclasses.replace(workloads.WORKLOADS[name], size=3)
    measurement = spiff.measure(workload, workloads.Variant(variant), tmp_path)
    assert measurement.count == 3
    assert measurement.value > 0


@pytest.mark.parametrize("name", list(workloads.WORKLOADS))
@pytest.mark.parametrize("variant", ["memory", "durable"])
def test_cadenza_runner_completes_a_small_run(
    name: str, variant: str, tmp_path: pathlib.Path
) -> None:
    if getattr(importlib.import_module("cadenza"), "Engine", None) is None:
        pytest.skip("cadenza.Engine not available yet")
    cadenza_side = _bench_module("_cadenza_side")
    workload = dataclasses.replace(workloads.WORKLOADS[name], size=3)
    measurement = cadenza_side.measure(workload, workloads.Variant(variant), tmp_path)
    assert measurement.count == 3
    assert measurement.value > 0


def test_a_case_stops_at_its_first_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = iter([{"value": 5.0, "rss_peak_mib": 1.0}, "did not finish in 9 s", {"value": 7.0}])
    monkeypatch.setattr(run, "run_once", lambda case, timeout_s, limit: next(outcomes))
    case = report.Case("mi_5k", "spiff", "durable", 5_000)
    run.run_case(case, 3, run.parse_args([]))
    assert [r["value"] for r in case.runs] == [5.0]
    assert case.failure == "did not finish in 9 s"


def test_a_case_budget_stops_the_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(float(t) for t in range(100))
    monkeypatch.setattr(run, "run_once", lambda case, timeout_s, limit: {"value": 1.0})
    case = report.Case("one_task", "cadenza", "memory", 10)
    # Each run "takes" 1 s on the fake clock: a 2.5 s budget allows three runs of ten.
    run.run_case(case, 10, run.parse_args(["--case-budget", "2.5"]), clock=lambda: next(ticks))
    assert len(case.runs) == 3
    assert case.failure is None
