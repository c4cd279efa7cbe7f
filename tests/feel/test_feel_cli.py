"""``cadenza feel``: JSON out, exact decimals, exit status 2 with a caret on syntax errors."""

from __future__ import annotations

import json

import pytest

from cadenza.cli_feel import main


def test_prints_result_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x * 1.1 + y", "--var", "x=3", "--var", "y=0.1"]) == 0
    assert capsys.readouterr().out.strip() == "3.4"


def test_temporal_values_print_as_iso_strings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(['{d: date("2024-02-29") + duration("P1Y"), t: @"PT90M", n: 1/3}']) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["d"] == "2025-02-28"
    assert json.loads(out)["t"] == "PT1H30M"
    assert '"n":0.3333333333333333333333333333333333' in out


def test_now_can_be_fixed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["today()", "--now", "2024-05-01T10:00:00+00:00"]) == 0
    assert json.loads(capsys.readouterr().out) == "2024-05-01"


def test_syntax_error_exits_2_with_caret(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["1 + (2 * "]) == 2
    err = capsys.readouterr().err
    assert "offset 9" in err
    assert "expected an expression" in err
    assert err.rstrip().endswith("         ^")


def test_warnings_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["missing"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "null"
    assert "no variable found for name 'missing'" in captured.err


@pytest.mark.parametrize("argv", [["x", "--var", "novalue"], ["x", "--var", "x={bad"], []])
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err
