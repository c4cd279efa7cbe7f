"""DMN 1.1 to 1.5 XML -> :class:`Definitions`, read safely and with source lines kept."""

from __future__ import annotations

from lxml import etree

from cadenza.dmn._model import (
    BusinessKnowledgeModel,
    Decision,
    DecisionService,
    Definitions,
    Import,
    InputData,
)
from cadenza.dmn._reader import (
    DMN_NAMESPACES,
    MAX_RESOURCE_BYTES,
    Reader,
    child_elements,
    first_child,
    local_name,
)
from cadenza.model import Problem


def _xml_parser() -> etree.XMLParser:
    # Untrusted input: no entity expansion, no DTD, no network, default size limits.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def read_definitions(
    data: str | bytes, resource_name: str
) -> tuple[Definitions | None, list[Problem]]:
    """Parse one DMN resource; returns the definitions (None if unreadable) and the problems."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_RESOURCE_BYTES:
        return None, [Problem(resource_name, 0, None, "resource is larger than 16 MiB")]
    try:
        root = etree.fromstring(raw, _xml_parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno or 0
        return None, [Problem(resource_name, line, None, f"not well-formed XML: {error.msg}")]
    reader = Reader(resource_name)
    namespace = etree.QName(root).namespace or ""
    if local_name(root) != "definitions" or namespace not in DMN_NAMESPACES:
        reader.problem(root, f"not a DMN definitions element: {root.tag}")
        return None, reader.problems
    return _definitions(reader, root, DMN_NAMESPACES[namespace]), reader.problems


def _definitions(reader: Reader, root: etree._Element, version: str) -> Definitions:
    decisions = []
    inputs = []
    knowledge = []
    services = []
    items = []
    imports = []
    for element in child_elements(root):
        kind = local_name(element)
        if kind == "decision":
            decisions.append(
                Decision(
                    reader.source(element),
                    reader.name(element),
                    reader.variable_type(element),
                    reader.expression_in(element, "decision"),
                    reader.requirements(element, "informationRequirement", "requiredDecision"),
                    reader.requirements(element, "informationRequirement", "requiredInput"),
                    reader.requirements(element, "knowledgeRequirement", "requiredKnowledge"),
                )
            )
        elif kind == "inputData":
            inputs.append(
                InputData(
                    reader.source(element), reader.name(element), reader.variable_type(element)
                )
            )
        elif kind == "businessKnowledgeModel":
            logic = first_child(element, "encapsulatedLogic")
            knowledge.append(
                BusinessKnowledgeModel(
                    reader.source(element),
                    reader.name(element),
                    reader.variable_type(element),
                    reader.function(logic) if logic is not None else None,
                    reader.requirements(element, "knowledgeRequirement", "requiredKnowledge"),
                )
            )
        elif kind == "decisionService":
            services.append(
                DecisionService(
                    reader.source(element),
                    reader.name(element),
                    reader.variable_type(element),
                    reader.references(element, "outputDecision"),
                    reader.references(element, "encapsulatedDecision"),
                    reader.references(element, "inputDecision"),
                    reader.references(element, "inputData"),
                )
            )
        elif kind == "itemDefinition":
            items.append(reader.item_definition(element))
        elif kind == "import":
            imports.append(
                Import(
                    (element.get("name") or "").strip(),
                    (element.get("namespace") or "").strip(),
                    (element.get("importType") or "").strip(),
                )
            )
    return Definitions(
        resource_name=reader.resource,
        id=root.get("id") or "",
        name=(root.get("name") or "").strip(),
        namespace=(root.get("namespace") or "").strip(),
        dmn_version=version,
        decisions=tuple(decisions),
        input_data=tuple(inputs),
        knowledge_models=tuple(knowledge),
        services=tuple(services),
        item_definitions=tuple(items),
        imports=tuple(imports),
    )
