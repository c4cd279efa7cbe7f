"""A small DMN TCK runner for models made of literal expressions, to exercise FEEL as the TCK does.

Only decisions and business knowledge models whose logic is a literal expression are run (boxed
contexts, decision tables and the like belong to the DMN engine); models with anything else are
skipped. Run as a script to list failures: ``python tests/feel/feel_tck.py [filter]``.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lxml import etree

from cadenza import feel
from cadenza.feel._temporal import parse_date, parse_datetime, parse_duration, parse_time

TCK = pathlib.Path("/work/shared/conformance/dmn-tck")
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_TC = "{http://www.omg.org/spec/DMN/20160719/testcase}"
_NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class Model:
    """The literal-expression parts of a DMN model."""

    decisions: dict[str, str] = field(default_factory=dict)
    requires: dict[str, list[str]] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)
    ids: dict[str, str] = field(default_factory=dict)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def load_model(path: pathlib.Path) -> Model | None:
    """The model, or None when it holds logic other than literal expressions."""
    root = etree.parse(str(path)).getroot()
    model = Model()
    for el in root:
        kind = _local(el.tag)
        name = el.get("name", "")
        if kind == "inputData":
            model.inputs.add(name)
            model.ids[el.get("id", "")] = name
        elif kind == "decision":
            model.ids[el.get("id", "")] = name
            logic = [c for c in el if _local(c.tag) == "literalExpression"]
            if not logic:
                return None
            model.decisions[name] = "".join(logic[0].itertext()).strip()
            req: list[str] = []
            for r in el.iter():
                href = r.get("href")
                if href and _local(r.tag) in (
                    "requiredDecision",
                    "requiredInput",
                    "requiredKnowledge",
                ):
                    req.append(href.rsplit("#", 1)[-1])
            model.requires[name] = req
        elif kind == "businessKnowledgeModel":
            model.ids[el.get("id", "")] = name
            logic = [c for c in el if _local(c.tag) == "encapsulatedLogic"]
            if not logic:
                return None
            params = [p.get("name", "") for p in logic[0] if _local(p.tag) == "formalParameter"]
            body = [c for c in logic[0] if _local(c.tag) == "literalExpression"]
            if not body:
                return None
            text = "".join(body[0].itertext()).strip()
            model.functions[name] = f"function({', '.join(params)}) {text}"
        elif kind in ("decisionService", "import"):
            return None
    return model


def xml_value(el: Any) -> Any:
    """A TCK test-case value element -> FEEL value."""
    children = [c for c in el if isinstance(c.tag, str)]
    comps = [c for c in children if _local(c.tag) == "component"]
    if comps:
        return {c.get("name"): xml_value(c) for c in comps}
    lists = [c for c in children if _local(c.tag) == "list"]
    if lists:
        return [xml_value(i) for i in lists[0] if isinstance(i.tag, str)]
    values = [c for c in children if _local(c.tag) == "value"]
    if values:
        return xml_value(values[0])
    if el.get(f"{_XSI}nil") == "true":
        return None
    kind = (el.get(f"{_XSI}type") or "").split(":")[-1]
    text = el.text or ""
    if kind in ("decimal", "double", "integer", "int", "long", "float"):
        try:
            return Decimal(text.strip())
        except ArithmeticError:
            return None
    if kind == "boolean":
        return text.strip() == "true"
    if kind == "date":
        return parse_date(text.strip())
    if kind == "time":
        return parse_time(text.strip())
    if kind == "dateTime":
        return parse_datetime(text.strip())
    if kind in ("duration", "dayTimeDuration", "yearMonthDuration"):
        return parse_duration(text.strip())
    if _local(el.tag) in ("value",) or kind == "string":
        return text
    return None


def same(actual: Any, expected: Any) -> bool:
    """TCK comparison: exact, with a tolerance for inexact numeric results."""
    if type(actual) is Decimal and type(expected) is Decimal:
        if actual == expected:
            return True
        scale = max(abs(expected), Decimal(1))
        return abs(actual - expected) / scale < Decimal("1e-8")
    if type(actual) is list and type(expected) is list:
        return len(actual) == len(expected) and all(map(same, actual, expected))
    if type(actual) is dict and type(expected) is dict:
        return all(k in actual and same(actual[k], v) for k, v in expected.items())
    if actual is None or expected is None:
        return actual is expected
    return bool(feel.BUILTINS["is"](actual, expected))


def _decide(
    model: Model, names: list[str], scope: dict[str, Any], done: dict[str, Any], name: str
) -> Any:
    """Evaluate a decision after the decisions it requires (memoised in ``done``)."""
    if name in done:
        return done[name]
    done[name] = None  # a cycle in a broken model ends here
    for ref in model.requires.get(name, []):
        target = model.ids.get(ref)
        if target in model.decisions and target not in done:
            _decide(model, names, scope, done, target)
    try:
        value = feel.compile(model.decisions[name], names).evaluate_raw(scope, now=_NOW)
    except feel.FeelSyntaxError:
        value = None
    done[name] = value
    scope[name] = value
    return value


@dataclass
class Outcome:
    """One result node checked."""

    case: str
    expression: str
    expected: Any
    actual: Any
    passed: bool


def run_model(dmn: pathlib.Path, tests: pathlib.Path) -> list[Outcome] | None:
    """Run every test case of a literal-expression model; None when the model is skipped."""
    model = load_model(dmn)
    if model is None:
        return None
    names = list(model.inputs | set(model.decisions) | set(model.functions))
    outcomes: list[Outcome] = []
    root = etree.parse(str(tests)).getroot()
    for case in root.iter(f"{_TC}testCase"):
        if case.get("type", "decision") != "decision":
            continue
        inputs = {n.get("name"): xml_value(n) for n in case.iter(f"{_TC}inputNode")}
        scope: dict[str, Any] = dict(inputs)
        for fname, ftext in model.functions.items():
            try:
                scope[fname] = feel.compile(ftext, names).evaluate_raw(scope, now=_NOW)
            except feel.FeelSyntaxError:
                scope[fname] = None
        done: dict[str, Any] = {}
        for node in case.iter(f"{_TC}resultNode"):
            name = node.get("name", "")
            if name not in model.decisions:
                continue
            expected_el = node.find(f"{_TC}expected")
            expected = None if expected_el is None else xml_value(expected_el)
            if node.get("errorResult") == "true":
                expected = None
            actual = _decide(model, names, scope, done, name)
            outcomes.append(
                Outcome(
                    f"{dmn.parent.name}/{case.get('id')}/{name}",
                    model.decisions[name],
                    expected,
                    actual,
                    same(actual, expected),
                )
            )
    return outcomes


def run_all(filter_text: str = "") -> list[Outcome]:
    """Every runnable model of compliance levels 2 and 3."""
    results: list[Outcome] = []
    for level in ("compliance-level-2", "compliance-level-3"):
        for folder in sorted((TCK / level).iterdir()):
            if filter_text not in folder.name:
                continue
            for dmn in sorted(folder.glob("*.dmn")):
                for tests in sorted(folder.glob("*test*.xml")):
                    try:
                        model_name = etree.parse(str(tests)).getroot().findtext(f"{_TC}modelName")
                    except etree.XMLSyntaxError:
                        continue
                    if model_name and model_name != dmn.name:
                        continue
                    outcome = run_model(dmn, tests)
                    if outcome:
                        results.extend(outcome)
    return results


if __name__ == "__main__":
    outcomes = run_all(sys.argv[1] if len(sys.argv) > 1 else "")
    failed = [o for o in outcomes if not o.passed]
    for o in failed:
        print(
            f"FAIL {o.case}\n  {o.expression[:200]}\n  expected {o.expected!r}\n  actual   {o.actual!r}"
        )
    print(f"{len(outcomes) - len(failed)}/{len(outcomes)} passed")
