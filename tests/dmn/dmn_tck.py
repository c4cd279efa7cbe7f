"""Reading and running the DMN TCK: test files, expected values, comparison, outcomes.

Shared by ``test_tck.py`` (one pytest case per TCK test case) and ``tck_report.py``."""

from __future__ import annotations

import datetime as dt
import functools
import pathlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from lxml import etree

from cadenza import dmn, feel

TCK_ROOT = pathlib.Path("/work/shared/conformance/dmn-tck")
LEVELS = ("compliance-level-2", "compliance-level-3")
KNOWN_FAILURES = pathlib.Path(__file__).with_name("tck_known_failures.txt")
_TC = "{http://www.omg.org/spec/DMN/20160719/testcase}"
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
# The TCK's reference runner compares numbers with this absolute tolerance: expected values are
# written with limited precision (xsd:double, and xsd:decimal results such as 2778.69354943277
# of a computation carried to 34 digits).
NUMBER_TOLERANCE = Decimal("0.00000001")


class Outcome(Enum):
    """How one TCK test case ended."""

    PASSED = "passed"
    FAILED = "failed"  # a wrong value or an unexpected evaluation failure
    ERRORED = "errored"  # the model did not load, or the harness itself broke


@dataclass(frozen=True, slots=True)
class ResultNode:
    """An expected result: the element to read and the expected value node."""

    name: str
    error_result: bool
    expected: etree._Element | None


@dataclass(frozen=True, slots=True)
class TckCase:
    """One ``testCase`` of a TCK test file."""

    case_id: str  # level/folder/file-stem/id, unique over the TCK
    level: str
    folder: pathlib.Path
    model_name: str
    kind: str  # decision | bkm | decisionService
    invocable: str | None
    inputs: tuple[tuple[str, etree._Element], ...]
    results: tuple[ResultNode, ...]

    @property
    def family(self) -> str:
        """The case family: the TCK folder name."""
        return self.folder.name


def available() -> bool:
    """True when the TCK corpus is present."""
    return all((TCK_ROOT / level).is_dir() for level in LEVELS)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )


def discover() -> Iterator[TckCase]:
    """Every test case of both compliance levels, commented-out cases left out."""
    for level in LEVELS:
        for folder in sorted(p for p in (TCK_ROOT / level).iterdir() if p.is_dir()):
            for test_file in sorted(folder.glob("*-test-*.xml")):
                root = etree.parse(str(test_file), _parser()).getroot()
                model_node = root.find(f"{_TC}modelName")
                model_name = (model_node.text or "").strip() if model_node is not None else ""
                for case in root.iter(f"{_TC}testCase"):
                    inputs = tuple(
                        (node.get("name", ""), node) for node in case.findall(f"{_TC}inputNode")
                    )
                    results = tuple(
                        ResultNode(
                            node.get("name", ""),
                            node.get("errorResult") == "true",
                            node.find(f"{_TC}expected"),
                        )
                        for node in case.findall(f"{_TC}resultNode")
                    )
                    yield TckCase(
                        f"{level}/{folder.name}/{test_file.stem}/{case.get('id')}",
                        level,
                        folder,
                        model_name,
                        case.get("type") or "decision",
                        case.get("invocableName"),
                        inputs,
                        results,
                    )


# -- values -------------------------------------------------------------------------------


# The FEEL library's own literal parsers, so expected values compare as FEEL builds them.
_PARSERS = {
    "date": feel.parse_date,
    "time": feel.parse_time,
    "date and time": feel.parse_date_and_time,
    "duration": feel.parse_duration,
}


def _feel_call(function: str, text: str) -> Any:
    return _PARSERS[function](text)


_TEMPORAL = {
    "date": "date",
    "time": "time",
    "date and time": "date and time",
    "dateTime": "date and time",
    "days and time duration": "duration",
    "years and months duration": "duration",
    "dayTimeDuration": "duration",
    "yearMonthDuration": "duration",
}


def _scalar(node: etree._Element, declared: str | None) -> Any:
    if node.get(f"{_XSI}nil") == "true":
        return None
    text = node.text or ""
    xsi_type = (node.get(f"{_XSI}type") or "").rpartition(":")[2]
    if xsi_type in {"decimal", "double", "int", "integer", "long", "float"}:
        try:
            return Decimal(text.strip())
        except InvalidOperation:
            return text
    if xsi_type == "boolean":
        return text.strip() == "true"
    if xsi_type == "date":
        return _feel_call("date", text.strip())
    if xsi_type == "time":
        return _feel_call("time", text.strip())
    if xsi_type == "dateTime":
        return _feel_call("date and time", text.strip())
    if xsi_type == "duration":
        return _feel_call("duration", text.strip())
    if declared in _TEMPORAL:
        return _feel_call(_TEMPORAL[declared], text.strip())
    if declared == "number":
        try:
            return Decimal(text.strip())
        except InvalidOperation:
            return text
    return text


def parse_value(node: etree._Element | None, declared: str | None = None) -> Any:
    """A TCK value node (``value``, ``component``s or ``list``) as a FEEL value."""
    if node is None:
        return None
    if node.get(f"{_XSI}nil") == "true":
        return None
    value = node.find(f"{_TC}value")
    if value is not None:
        return _scalar(value, declared)
    components = node.findall(f"{_TC}component")
    if components:
        return {c.get("name", ""): parse_value(c) for c in components}
    items = node.find(f"{_TC}list")
    if items is not None:
        if items.get(f"{_XSI}nil") == "true":
            return None
        return [parse_value(item) for item in items.findall(f"{_TC}item")]
    return None


def equal(expected: Any, actual: Any) -> bool:
    """TCK equality: numbers by decimal value within the runner's tolerance, temporal values by
    value, lists and contexts recursively."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | Decimal) and isinstance(actual, int | Decimal):
        return abs(Decimal(expected) - Decimal(actual)) < NUMBER_TOLERANCE
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            equal(e, a) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return set(expected) == set(actual) and all(
            equal(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, dt.datetime) and isinstance(actual, dt.datetime):
        # Zone ids and offsets differ in Python identity; compare the fields that FEEL keeps.
        return expected.replace(tzinfo=None) == actual.replace(tzinfo=None) and (
            expected.utcoffset() == actual.utcoffset()
        )
    if isinstance(expected, dt.time) and isinstance(actual, dt.time):
        return expected.replace(tzinfo=None) == actual.replace(tzinfo=None) and (
            expected.utcoffset() == actual.utcoffset()
        )
    if type(expected) is not type(actual) and not (
        isinstance(expected, str) and isinstance(actual, str)
    ):
        return False
    return bool(expected == actual)


# -- running ------------------------------------------------------------------------------


@functools.cache
def load_models(folder: pathlib.Path) -> dict[str, dmn.DecisionModel]:
    """Every model of a TCK folder parsed together (they may import each other)."""
    resources = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.dmn"))]
    return dmn.parse_many(resources, strict=False)


def _declared_type(model: dmn.DecisionModel, name: str) -> str | None:
    definitions = model.definitions
    for element in (*definitions.input_data, *definitions.decisions):
        if element.name == name:
            return element.type_ref
    return None


def _output_count(model: dmn.DecisionModel, service: str | None) -> int:
    for candidate in model.definitions.services:
        if service in (candidate.name, candidate.source.element_id):
            return len(candidate.output_decisions)
    return 1


def run_case(case: TckCase) -> tuple[Outcome, str]:
    """Run one test case; returns the outcome and, when not passed, why."""
    try:
        model = load_models(case.folder)[case.model_name]
    except dmn.DmnError as error:
        return Outcome.ERRORED, f"model does not load: {error}"
    except KeyError:
        return Outcome.ERRORED, f"model {case.model_name} not found"
    inputs = {name: parse_value(node, _declared_type(model, name)) for name, node in case.inputs}
    # The library reads no clock; FEEL now() and today() see the time the runner passes.
    now = dt.datetime.now(dt.UTC)
    problems = []
    for result in case.results:
        expected = parse_value(result.expected, _declared_type(model, result.name))
        failure: str | None = None
        actual: Any = None
        try:
            if case.kind == "decision":
                outcome = model.evaluate_values(
                    result.name, inputs, given_decisions=frozenset(inputs), now=now
                )
                actual = outcome.value
                failure = outcome.failure.evaluation_failure_message if outcome.failure else None
            else:
                actual = model.invoke(case.invocable or result.name, inputs, now=now)
                if _output_count(model, case.invocable) > 1 and isinstance(actual, Mapping):
                    # A service with several outputs returns a context of them by name.
                    actual = actual.get(result.name)
        except dmn.DecisionEvaluationError as error:
            failure = error.message
        except Exception as error:  # a defect: reported as such, the run goes on
            return Outcome.ERRORED, f"{result.name}: {type(error).__name__}: {error}"
        if result.error_result:
            if actual is not None:
                problems.append(f"{result.name}: expected an error, got {actual!r}")
        elif failure is not None:
            problems.append(f"{result.name}: evaluation failed: {failure}")
        elif not equal(expected, actual):
            problems.append(f"{result.name}: expected {expected!r}, got {actual!r}")
    if problems:
        return Outcome.FAILED, "; ".join(problems)
    return Outcome.PASSED, ""


# -- the committed list of known failures ----------------------------------------------------


def read_known_failures(path: pathlib.Path = KNOWN_FAILURES) -> dict[str, str]:
    """case id -> reason, from the committed list.

    Format: a line ``family: reason`` starts a family; the indented lines after it are case
    ids; ``#`` starts a comment."""
    known: dict[str, str] = {}
    reason = ""
    if not path.exists():
        return known
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if raw[:1].isspace():
            known[line.strip()] = reason
        else:
            reason = line.partition(":")[2].strip() or line.strip()
    return known


def write_known_failures(
    failing: Mapping[str, str], reasons: Mapping[str, str], path: pathlib.Path = KNOWN_FAILURES
) -> None:
    """Rewrite the list from the failing case ids, keeping each family's reason."""
    by_family: dict[str, list[str]] = {}
    for case_id in sorted(failing):
        by_family.setdefault(case_id.split("/")[1], []).append(case_id)
    lines = [
        "# DMN TCK cases known to fail, by family (the TCK folder); see docs/dmn-tck.md.",
        "# A family line is 'family: reason'; the indented lines below it are case ids.",
        "# Regenerate with: python -m tests.dmn.tck_report --write-known",
    ]
    for family, ids in by_family.items():
        reason = reasons.get(family) or "not yet analysed"
        lines.append(f"{family}: {reason}")
        lines.extend(f"    {case_id}" for case_id in ids)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
