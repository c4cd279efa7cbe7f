"""``cadenza decide FILE.dmn DECISION [--var name=JSON ...] [--explain]``: evaluate one
decision of a DMN file and print the result as JSON (with ``--explain``, the audit trail)."""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from typing import Any, TextIO

from cadenza import dmn
from cadenza.dmn_files import parse_file

_USAGE_ERROR = 2
_FAILED = 1


def _variable(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected name=JSON, got {text!r}")
    try:
        return name.strip(), json.loads(raw)
    except json.JSONDecodeError:
        # A bare word is taken as a string, so `--var color=red` works without quoting.
        return name.strip(), raw


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cadenza decide", description="Evaluate a DMN decision and print its result as JSON."
    )
    parser.add_argument("file", help="the .dmn file")
    parser.add_argument("decision", help="the decision id or name")
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        type=_variable,
        metavar="NAME=JSON",
        help="a variable; the value is JSON (a bare word is a string); repeatable",
    )
    parser.add_argument(
        "--explain", action="store_true", help="also print every evaluated decision and rule"
    )
    return parser


def _explain(result: dmn.DecisionResult) -> list[dict[str, Any]]:
    return [
        {
            "decisionId": d.decision_id,
            "decisionName": d.decision_name,
            "decisionType": d.decision_type.value,
            "decisionOutput": json.loads(d.decision_output),
            "evaluatedInputs": [
                {
                    "inputId": i.input_id,
                    "inputName": i.input_name,
                    "inputValue": json.loads(i.input_value),
                }
                for i in d.evaluated_inputs
            ],
            "matchedRules": [
                {
                    "ruleId": r.rule_id,
                    "ruleIndex": r.rule_index,
                    "evaluatedOutputs": [
                        {
                            "outputId": o.output_id,
                            "outputName": o.output_name,
                            "outputValue": json.loads(o.output_value),
                        }
                        for o in r.evaluated_outputs
                    ],
                }
                for r in d.matched_rules
            ],
        }
        for d in result.evaluated_decisions
    ]


def main(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``cadenza decide``; returns 0 on success, 1 when evaluation fails, 2 on bad input."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # argparse has printed usage or help already.
        return exit_.code if isinstance(exit_.code, int) else _USAGE_ERROR
    path = pathlib.Path(args.file)
    try:
        model = parse_file(path)
    except dmn.DmnError as error:
        print(f"cadenza decide: {path} cannot be used as a DMN model:", file=err)
        for problem in error.problems:
            print(f"  {problem}", file=err)
        return _USAGE_ERROR
    known = {d.decision_id for d in model.decisions} | {d.decision_name for d in model.decisions}
    if args.decision not in known:
        names = ", ".join(sorted(d.decision_id for d in model.decisions)) or "none"
        print(
            f"cadenza decide: no decision {args.decision!r} in {path} (decisions: {names})",
            file=err,
        )
        return _USAGE_ERROR
    result = model.evaluate(args.decision, dict(args.var))
    if result.failure is not None:
        print(
            f"cadenza decide: decision {result.failure.failed_decision_id!r} failed: "
            f"{result.failure.evaluation_failure_message}",
            file=err,
        )
        if args.explain:
            print(json.dumps({"evaluatedDecisions": _explain(result)}, indent=2), file=out)
        return _FAILED
    if args.explain:
        document = {"output": result.output, "evaluatedDecisions": _explain(result)}
        print(json.dumps(document, indent=2, ensure_ascii=False), file=out)
    else:
        print(json.dumps(result.output, ensure_ascii=False), file=out)
    return 0
