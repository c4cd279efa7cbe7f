"""Reading DMN XML elements into model values: boxed expressions, tables, requirements and
item definitions, each with its source line and element id."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator as PyIterator

from lxml import etree

from cadenza.dmn._model import (
    Aggregation,
    Binding,
    Conditional,
    ContextEntry,
    ContextExpression,
    DecisionTable,
    Expression,
    Filter,
    FunctionDefinition,
    HitPolicy,
    InputClause,
    Invocation,
    ItemDefinition,
    Iterator,
    IteratorKind,
    ListExpression,
    LiteralExpression,
    OutputClause,
    Parameter,
    Relation,
    Requirement,
    Rule,
    Source,
)
from cadenza.model import Problem

DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
    "https://www.omg.org/spec/DMN/20211108/MODEL/": "1.4",
    "https://www.omg.org/spec/DMN/20230324/MODEL/": "1.5",
}
MAX_RESOURCE_BYTES = 16 * 1024 * 1024
"""The largest DMN resource accepted."""

# A QName typeRef of DMN 1.1 (``feel:string``, ``tns:tPerson``): the prefix is dropped. A
# FEEL type such as ``context<a: number>`` also holds a colon, hence the strict shape.
_QNAME_TYPE = re.compile(r"^[A-Za-z_][\w.-]*:([A-Za-z_][\w .-]*)$")
_EXPRESSION_TAGS = {
    "literalExpression",
    "context",
    "invocation",
    "list",
    "relation",
    "functionDefinition",
    "conditional",
    "for",
    "some",
    "every",
    "filter",
    "decisionTable",
}


def local_name(element: etree._Element) -> str:
    """The tag name without its namespace ('' for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def child_elements(element: etree._Element, name: str | None = None) -> PyIterator[etree._Element]:
    """The child elements, optionally only those with a given local name."""
    for child in element:
        local = local_name(child)
        if local and (name is None or local == name):
            yield child


def first_child(element: etree._Element, name: str) -> etree._Element | None:
    """The first child element with a given local name, if any."""
    return next(child_elements(element, name), None)


def _text_of(element: etree._Element | None, name: str = "text") -> str | None:
    if element is None:
        return None
    node = first_child(element, name)
    if node is None:
        return None
    return node.text or ""


def type_ref_name(raw: str | None) -> str | None:
    """Normalise a typeRef: strip whitespace and a DMN 1.1 QName prefix."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw:
        return None
    match = _QNAME_TYPE.match(raw)
    return match.group(1) if match else raw


class Reader:
    """Walks one definitions element; problems are collected, not raised one by one."""

    def __init__(self, resource: str) -> None:
        self.resource = resource
        self.problems: list[Problem] = []

    def problem(self, element: etree._Element | None, message: str) -> None:
        """Record a problem located at ``element``."""
        line = _line(element) if element is not None else 0
        element_id = element.get("id") if element is not None else None
        self.problems.append(Problem(self.resource, line, element_id, message))

    def source(self, element: etree._Element) -> Source:
        """Where ``element`` sits: its line and id."""
        return Source(_line(element), element.get("id"))

    def name(self, element: etree._Element) -> str:
        """The element's name; a missing name is a problem."""
        name = element.get("name")
        if name is None or not name.strip():
            self.problem(element, f"<{local_name(element)}> has no name")
            return element.get("id") or ""
        return name.strip()

    def variable_type(self, element: etree._Element) -> str | None:
        """The typeRef of the element's variable, else of the element itself."""
        variable = first_child(element, "variable")
        if variable is not None and variable.get("typeRef"):
            return type_ref_name(variable.get("typeRef"))
        return type_ref_name(element.get("typeRef"))

    # -- boxed expressions -------------------------------------------------------------

    def expression_in(self, holder: etree._Element, what: str) -> Expression | None:
        """The one boxed expression held by ``holder`` (None when it holds none)."""
        for child in child_elements(holder):
            if local_name(child) in _EXPRESSION_TAGS:
                return self.expression(child)
        return None

    def required_expression(self, holder: etree._Element, what: str) -> Expression:
        """The boxed expression held by ``holder``; a missing one is a problem."""
        found = self.expression_in(holder, what)
        if found is None:
            self.problem(holder, f"{what} has no expression")
            return LiteralExpression(self.source(holder), None, "null")
        return found

    def expression(self, element: etree._Element) -> Expression:
        """Read any boxed expression element."""
        build = _BUILDERS[local_name(element)]
        return build(self, element)

    def literal(self, element: etree._Element) -> LiteralExpression:
        """A literal expression."""
        text = _text_of(element)
        if text is None:
            text = "null"
        return LiteralExpression(self.source(element), type_ref_name(element.get("typeRef")), text)

    def context(self, element: etree._Element) -> ContextExpression:
        """A boxed context."""
        entries = []
        for entry in child_elements(element, "contextEntry"):
            variable = first_child(entry, "variable")
            name = variable.get("name") if variable is not None else None
            type_ref = type_ref_name(variable.get("typeRef")) if variable is not None else None
            value = self.required_expression(entry, f"context entry {name or '(result)'!r}")
            entries.append(ContextEntry(self.source(entry), name, type_ref, value))
        return ContextExpression(
            self.source(element), type_ref_name(element.get("typeRef")), tuple(entries)
        )

    def invocation(self, element: etree._Element) -> Invocation:
        """A boxed invocation."""
        callee = self.required_expression(element, "invocation")
        bindings = []
        for binding in child_elements(element, "binding"):
            parameter = first_child(binding, "parameter")
            if parameter is None or not parameter.get("name"):
                self.problem(binding, "binding has no parameter name")
                continue
            value = self.expression_in(binding, "binding")
            bindings.append(Binding(parameter.get("name", "").strip(), value))
        return Invocation(
            self.source(element), type_ref_name(element.get("typeRef")), callee, tuple(bindings)
        )

    def list_(self, element: etree._Element) -> ListExpression:
        """A boxed list."""
        items = tuple(
            self.expression(child)
            for child in child_elements(element)
            if local_name(child) in _EXPRESSION_TAGS
        )
        return ListExpression(self.source(element), type_ref_name(element.get("typeRef")), items)

    def relation(self, element: etree._Element) -> Relation:
        """A boxed relation."""
        columns = tuple(c.get("name", "") for c in child_elements(element, "column"))
        rows = []
        for row in child_elements(element, "row"):
            cells = tuple(
                self.expression(child)
                for child in child_elements(row)
                if local_name(child) in _EXPRESSION_TAGS
            )
            if len(cells) != len(columns):
                self.problem(row, f"row has {len(cells)} cells for {len(columns)} columns")
            rows.append(cells)
        return Relation(
            self.source(element), type_ref_name(element.get("typeRef")), columns, tuple(rows)
        )

    def function(self, element: etree._Element) -> FunctionDefinition:
        """A boxed function definition."""
        parameters = tuple(
            Parameter(p.get("name", "").strip(), type_ref_name(p.get("typeRef")))
            for p in child_elements(element, "formalParameter")
        )
        return FunctionDefinition(
            self.source(element),
            type_ref_name(element.get("typeRef")),
            (element.get("kind") or "FEEL").strip(),
            parameters,
            self.expression_in(element, "function definition"),
        )

    def _part(self, element: etree._Element, name: str) -> Expression:
        part = first_child(element, name)
        if part is None:
            self.problem(element, f"<{local_name(element)}> has no <{name}>")
            return LiteralExpression(self.source(element), None, "null")
        return self.required_expression(part, f"<{name}>")

    def conditional(self, element: etree._Element) -> Conditional:
        """A boxed conditional."""
        return Conditional(
            self.source(element),
            type_ref_name(element.get("typeRef")),
            self._part(element, "if"),
            self._part(element, "then"),
            self._part(element, "else"),
        )

    def iterator(self, element: etree._Element) -> Iterator:
        """A boxed for, some or every."""
        kind = IteratorKind(local_name(element))
        body = "return" if kind is IteratorKind.FOR else "satisfies"
        variable = element.get("iteratorVariable")
        if not variable:
            self.problem(element, f"<{kind.value}> has no iteratorVariable")
        return Iterator(
            self.source(element),
            type_ref_name(element.get("typeRef")),
            kind,
            (variable or "item").strip(),
            self._part(element, "in"),
            self._part(element, body),
        )

    def filter(self, element: etree._Element) -> Filter:
        """A boxed filter."""
        return Filter(
            self.source(element),
            type_ref_name(element.get("typeRef")),
            self._part(element, "in"),
            self._part(element, "match"),
        )

    def decision_table(self, element: etree._Element) -> DecisionTable:
        """A decision table with its inputs, outputs and rules."""
        raw_policy = (element.get("hitPolicy") or "UNIQUE").strip().upper().replace("_", " ")
        try:
            hit_policy = HitPolicy(raw_policy)
        except ValueError:
            self.problem(element, f"unknown hit policy {raw_policy!r}")
            hit_policy = HitPolicy.UNIQUE
        aggregation = None
        if element.get("aggregation"):
            try:
                aggregation = Aggregation(element.get("aggregation", "").strip().upper())
            except ValueError:
                self.problem(element, f"unknown aggregation {element.get('aggregation')!r}")
            if hit_policy is not HitPolicy.COLLECT:
                self.problem(element, "an aggregation needs the COLLECT hit policy")
        inputs = []
        for clause in child_elements(element, "input"):
            expression = first_child(clause, "inputExpression")
            if expression is None:
                self.problem(clause, "input has no inputExpression")
            inputs.append(
                InputClause(
                    self.source(clause),
                    clause.get("label"),
                    (_text_of(expression) or "null") if expression is not None else "null",
                    type_ref_name(expression.get("typeRef")) if expression is not None else None,
                    _text_of(first_child(clause, "inputValues")),
                )
            )
        outputs = []
        for clause in child_elements(element, "output"):
            outputs.append(
                OutputClause(
                    self.source(clause),
                    clause.get("name"),
                    clause.get("label"),
                    type_ref_name(clause.get("typeRef")),
                    _text_of(first_child(clause, "outputValues")),
                    _text_of(first_child(clause, "defaultOutputEntry")),
                )
            )
        if not outputs:
            self.problem(element, "decision table has no output")
        if len(outputs) > 1 and any(not o.name for o in outputs):
            self.problem(element, "every output of a multi-output table needs a name")
        rules = []
        for rule in child_elements(element, "rule"):
            ins = tuple(
                e.text if (e := first_child(i, "text")) is not None and e.text else "-"
                for i in child_elements(rule, "inputEntry")
            )
            outs = tuple((_text_of(o) or "null") for o in child_elements(rule, "outputEntry"))
            if len(ins) != len(inputs) or len(outs) != len(outputs):
                self.problem(
                    rule,
                    f"rule has {len(ins)} input and {len(outs)} output entries for "
                    f"{len(inputs)} inputs and {len(outputs)} outputs",
                )
                continue
            rules.append(Rule(self.source(rule), ins, outs))
        return DecisionTable(
            self.source(element),
            type_ref_name(element.get("typeRef")),
            hit_policy,
            aggregation,
            tuple(inputs),
            tuple(outputs),
            tuple(rules),
            element.get("outputLabel"),
        )

    # -- the graph ---------------------------------------------------------------------

    def requirements(
        self, element: etree._Element, holder: str, ref: str
    ) -> tuple[Requirement, ...]:
        """The hrefs of ``ref`` elements inside ``holder`` requirement elements."""
        found = []
        for requirement in child_elements(element, holder):
            for reference in child_elements(requirement, ref):
                found.append(self.reference(reference))
        return tuple(found)

    def reference(self, element: etree._Element) -> Requirement:
        """An href (``#id`` or ``namespace#id``) as a requirement."""
        href = (element.get("href") or "").strip()
        namespace, _, element_id = href.rpartition("#")
        if not element_id:
            self.problem(element, f"<{local_name(element)}> has no href")
        return Requirement(namespace or None, element_id)

    def references(self, element: etree._Element, name: str) -> tuple[Requirement, ...]:
        """The hrefs of the ``name`` child elements."""
        return tuple(self.reference(r) for r in child_elements(element, name))

    def item_definition(self, element: etree._Element) -> ItemDefinition:
        """An item definition and its components."""
        type_ref = first_child(element, "typeRef")
        allowed = first_child(element, "allowedValues")
        function_item = first_child(element, "functionItem")
        parameters = None
        output = None
        if function_item is not None:
            parameters = tuple(
                Parameter(p.get("name", "").strip(), type_ref_name(p.get("typeRef")))
                for p in child_elements(function_item, "parameters")
            )
            output = type_ref_name(function_item.get("outputTypeRef"))
        components = tuple(
            self.item_definition(child) for child in child_elements(element, "itemComponent")
        )
        return ItemDefinition(
            self.source(element),
            self.name(element),
            type_ref_name(type_ref.text if type_ref is not None else element.get("typeRef")),
            _text_of(allowed),
            (element.get("isCollection") or "false").strip() == "true",
            components,
            parameters,
            output,
        )


_BUILDERS: dict[str, Callable[[Reader, etree._Element], Expression]] = {
    "literalExpression": Reader.literal,
    "context": Reader.context,
    "invocation": Reader.invocation,
    "list": Reader.list_,
    "relation": Reader.relation,
    "functionDefinition": Reader.function,
    "conditional": Reader.conditional,
    "for": Reader.iterator,
    "some": Reader.iterator,
    "every": Reader.iterator,
    "filter": Reader.filter,
    "decisionTable": Reader.decision_table,
}
