"""``cadenza feel EXPRESSION [--var name=JSON ...]``: evaluate one FEEL expression and print JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from typing import Any

from cadenza import feel

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cadenza feel",
        description="Evaluate a FEEL expression and print the result as JSON.",
    )
    parser.add_argument("expression", help="the FEEL expression (without a leading '=')")
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="a variable; the value is JSON (numbers keep their exact decimal value)",
    )
    parser.add_argument(
        "--now",
        metavar="DATETIME",
        help="ISO 8601 date and time that now() and today() use (default: the current time)",
    )
    return parser


def _variables(pairs: list[str]) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"--var expects NAME=JSON, got {pair!r}")
        try:
            variables[name] = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise ValueError(f"--var {name}: invalid JSON ({error})") from None
    return variables


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (0 ok, 2 usage or syntax error)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        variables = _variables(args.var)
        now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now(dt.UTC)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    source = (
        args.expression.removeprefix("=") if args.expression.startswith("=") else args.expression
    )
    try:
        expression = feel.compile(source)
    except feel.FeelSyntaxError as error:
        print(f"syntax error: {error}", file=sys.stderr)
        print(error.caret(), file=sys.stderr)
        return 2
    value, warnings = expression.evaluate_raw_with_warnings(variables, now=now)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(feel.to_json_text(value))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
