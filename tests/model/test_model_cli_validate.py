"""``cadenza validate``: problems as ``file:line [element]: message``, exit codes."""

from __future__ import annotations

import io
from pathlib import Path

from model_xml import START, process

from cadenza import cli_validate, model


def _run(*paths: Path | str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = cli_validate.main([str(p) for p in paths], out)
    return code, out.getvalue().splitlines()


def test_valid_file_prints_a_summary(tmp_path: Path) -> None:
    good = tmp_path / "good.bpmn"
    good.write_bytes(process(START, process_id="order"))
    assert _run(good) == (0, [f"{good}: valid, 1 executable process (order)"])


def test_problems_are_printed_and_exit_one(tmp_path: Path) -> None:
    good = tmp_path / "good.bpmn"
    good.write_bytes(process(START))
    bad = tmp_path / "bad.bpmn"
    bad.write_bytes(process(f'{START}\n<bpmn:serviceTask id="pay" />'))
    code, lines = _run(bad, good)
    assert code == 1
    assert lines == [
        f"{bad}:5 [pay]: A service task needs a zeebe:taskDefinition with a type.",
        f"{good}: valid, 1 executable process (p)",
    ]


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nope.bpmn"
    code, lines = _run(missing)
    assert code == 1
    assert lines == [f"{missing}: The file cannot be read: No such file or directory."]


def test_oversized_file_is_not_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bpmn"
    with huge.open("wb") as handle:
        handle.truncate(model.MAX_RESOURCE_BYTES + 1)
    code, lines = _run(huge)
    assert code == 1
    assert "more than the limit" in lines[0]


def test_no_arguments_prints_usage() -> None:
    assert _run() == (2, ["usage: cadenza validate FILE..."])
