"""Decision tables compiled once: every cell is compiled at load, every input expression is
evaluated once per evaluation, and the hit policy picks or combines the matched rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cadenza.dmn import _feel
from cadenza.dmn._feel import Scope, TestFn, ValueFn
from cadenza.dmn._model import Aggregation, DecisionTable, HitPolicy
from cadenza.dmn._result import DecisionEvaluationError
from cadenza.dmn._types import DmnType, coerce

Compile = Callable[[str, int, str | None], ValueFn]
CompileTests = Callable[[str, int, str | None], TestFn]


@dataclass(frozen=True, slots=True)
class TableOutcome:
    """The table's value plus what the audit trail shows: input values and matched rules."""

    value: Any
    input_values: tuple[Any, ...]
    matched: tuple[tuple[int, tuple[Any, ...]], ...]  # (0-based rule index, output values)


def split_unary_tests(text: str) -> list[str]:
    """Split a comma-separated list of unary tests at its top level (not inside brackets or
    strings), keeping each test's text. Ranges may use reversed brackets (``]1..2[``)."""
    parts: list[str] = []
    openers: list[int] = []  # positions of the open brackets
    start = 0
    index = 0
    in_string = False
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "]" and not openers and not text[start:index].strip():
            openers.append(index)  # ``]a..b]``: an open range start
        elif char == "[" and openers and ".." in text[openers[-1] : index]:
            openers.pop()  # ``[a..b[``: an open range end
        elif char in "([{":
            openers.append(index)
        elif char in ")]}":
            if openers:
                openers.pop()
        elif char == "," and not openers:
            parts.append(text[start:index].strip())
            start = index + 1
        index += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


class CompiledTable:
    """A decision table ready to evaluate.

    With ``check_values`` (the DMN specification's reading) an input outside its input values
    and an output outside its output values or type fail the evaluation. Without it (Camunda
    8's DMN engine, the default) input and output values only rank outputs for PRIORITY and
    OUTPUT ORDER, and an output keeps its value when it does not match its typeRef."""

    def __init__(
        self,
        table: DecisionTable,
        compile_expression: Compile,
        compile_tests: CompileTests,
        resolve: Callable[[str | None], DmnType | None],
        check_values: bool = False,
    ) -> None:
        self.table = table
        self.check_values = check_values
        self.policy = table.hit_policy
        self.aggregation = table.aggregation
        self.inputs = tuple(
            compile_expression(c.expression, c.source.line, c.source.element_id)
            for c in table.inputs
        )
        self.output_names = tuple(o.name or o.label or "" for o in table.outputs)
        self.output_types = tuple(resolve(o.type_ref) for o in table.outputs)
        self.table_type = resolve(table.type_ref)
        cache: dict[str, TestFn | None] = {}
        # Per rule: (index, the (column, test) pairs that are not "-", output expressions).
        rules: list[tuple[int, tuple[tuple[int, TestFn], ...], tuple[ValueFn, ...]]] = []
        for index, rule in enumerate(table.rules):
            tests: list[TestFn | None] = []
            for text in rule.input_entries:
                key = text.strip()
                if key not in cache:
                    cache[key] = (
                        None
                        if key in {"", "-"}
                        else compile_tests(key, rule.source.line, rule.source.element_id)
                    )
                tests.append(cache[key])
            outputs = tuple(
                compile_expression(text, rule.source.line, rule.source.element_id)
                for text in rule.output_entries
            )
            checks = tuple((column, test) for column, test in enumerate(tests) if test is not None)
            rules.append((index, checks, outputs))
        self.rules = tuple(rules)
        self.defaults: tuple[ValueFn | None, ...] = tuple(
            compile_expression(o.default_output, o.source.line, o.source.element_id)
            if o.default_output is not None
            else None
            for o in table.outputs
        )
        # For PRIORITY / OUTPUT ORDER: each output's listed values as separate tests.
        self.rankings: tuple[tuple[TestFn, ...], ...] = tuple(
            tuple(
                compile_tests(part, o.source.line, o.source.element_id)
                for part in split_unary_tests(o.output_values)
            )
            if o.output_values
            else ()
            for o in table.outputs
        )
        self.value_checks: tuple[TestFn | None, ...] = tuple(
            compile_tests(o.output_values, o.source.line, o.source.element_id)
            if o.output_values and check_values
            else None
            for o in table.outputs
        )
        self.input_checks: tuple[TestFn | None, ...] = tuple(
            compile_tests(c.input_values, c.source.line, c.source.element_id)
            if c.input_values and check_values
            else None
            for c in table.inputs
        )

    def evaluate(self, scope: Scope) -> TableOutcome:
        """Evaluate against ``scope``; raises DecisionEvaluationError on a hit policy violation."""
        values = tuple(evaluate(scope) for evaluate in self.inputs)
        for position, (check, value) in enumerate(zip(self.input_checks, values, strict=True)):
            if check is not None and value is not None and not check(value, scope):
                clause = self.table.inputs[position]
                raise DecisionEvaluationError(
                    f"input {clause.label or clause.expression!r} has value "
                    f"{_feel.json_text(value)} that is not one of its input values",
                    clause.source.element_id,
                )
        matched: list[tuple[int, tuple[Any, ...]]] = []
        single = self.policy is HitPolicy.FIRST
        for index, checks, outputs in self.rules:
            for position, test in checks:
                if not test(values[position], scope):
                    break
            else:
                matched.append((index, self._outputs(outputs, scope)))
                if single:
                    break
        return TableOutcome(self._combine(matched, scope), values, tuple(matched))

    def _outputs(self, outputs: Sequence[ValueFn], scope: Scope) -> tuple[Any, ...]:
        results = []
        for position, evaluate in enumerate(outputs):
            raw = evaluate(scope)
            value, conformed = coerce(raw, self.output_types[position])
            if not conformed and not self.check_values:
                value = raw
                conformed = True
            check = self.value_checks[position]
            if not conformed or (
                check is not None and value is not None and not check(value, scope)
            ):
                clause = self.table.outputs[position]
                raise DecisionEvaluationError(
                    f"output {self.output_names[position]!r} got a value outside its "
                    "type or output values",
                    clause.source.element_id,
                )
            results.append(value)
        return tuple(results)

    def _row(self, values: tuple[Any, ...]) -> Any:
        if len(values) == 1 and len(self.table.outputs) == 1:
            return values[0]
        return dict(zip(self.output_names, values, strict=True))

    def _combine(self, matched: list[tuple[int, tuple[Any, ...]]], scope: Scope) -> Any:
        policy = self.policy
        if not matched:
            if any(d is not None for d in self.defaults):
                return self._row(tuple(d(scope) if d else None for d in self.defaults))
            # Nothing matched: null (as Camunda 8 answers, also for the list-valued hit
            # policies), except a COLLECT COUNT, which counted zero rules.
            if policy is HitPolicy.COLLECT and self.aggregation is Aggregation.COUNT:
                return Decimal(0)
            return None
        if policy is HitPolicy.UNIQUE:
            if len(matched) > 1:
                rules = ", ".join(self._rule_name(i) for i, _ in matched)
                raise DecisionEvaluationError(
                    f"hit policy UNIQUE: more than one rule matched ({rules})",
                    self.table.source.element_id,
                )
            return self._row(matched[0][1])
        if policy is HitPolicy.FIRST:
            return self._row(matched[0][1])
        if policy is HitPolicy.ANY:
            first = matched[0][1]
            if any(outputs != first for _, outputs in matched[1:]):
                raise DecisionEvaluationError(
                    "hit policy ANY: matched rules have different outputs",
                    self.table.source.element_id,
                )
            return self._row(first)
        if policy is HitPolicy.PRIORITY:
            return self._row(min(matched, key=lambda m: self._rank(m[1], scope))[1])
        if policy is HitPolicy.OUTPUT_ORDER:
            ordered = sorted(matched, key=lambda m: self._rank(m[1], scope))
            return [self._row(outputs) for _, outputs in ordered]
        if policy is HitPolicy.RULE_ORDER:
            return [self._row(outputs) for _, outputs in matched]
        return self._collect([outputs for _, outputs in matched])

    def _rank(self, outputs: tuple[Any, ...], scope: Scope) -> tuple[int, ...]:
        key = []
        for position, value in enumerate(outputs):
            tests = self.rankings[position]
            rank = len(tests)
            for order, test in enumerate(tests):
                if test(value, scope):
                    rank = order
                    break
            key.append(rank)
        return tuple(key)

    def _collect(self, rows: list[tuple[Any, ...]]) -> Any:
        aggregation = self.aggregation
        if aggregation is None:
            return [self._row(outputs) for outputs in rows]
        if len(self.table.outputs) != 1:
            raise DecisionEvaluationError(
                "an aggregation needs exactly one output", self.table.source.element_id
            )
        values = [outputs[0] for outputs in rows if outputs[0] is not None]
        if aggregation is Aggregation.COUNT:
            return Decimal(len(values))
        if not values:
            return None
        if aggregation is Aggregation.SUM:
            if not all(isinstance(v, Decimal | int) and not isinstance(v, bool) for v in values):
                raise DecisionEvaluationError(
                    "hit policy COLLECT SUM needs numbers", self.table.source.element_id
                )
            return sum(values, Decimal(0))
        try:
            return min(values) if aggregation is Aggregation.MIN else max(values)
        except TypeError as error:
            raise DecisionEvaluationError(
                f"hit policy COLLECT {aggregation.value}: values do not compare",
                self.table.source.element_id,
            ) from error

    def _rule_name(self, index: int) -> str:
        return self.table.rules[index].source.element_id or f"#{index + 1}"
