"""The entry points: BPMN bytes -> executable processes and every problem found."""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.model._bpmn import read_scope
from cadenza.model._context import Context
from cadenza.model._elements import Element, ElementKind, Process
from cadenza.model._extensions import extension, report_unsupported_extensions
from cadenza.model._problems import Problem, ResourceError
from cadenza.model._report import Reporter
from cadenza.model._validate import link_and_validate
from cadenza.model._xml import (
    BPMN_NS,
    MAX_RESOURCE_BYTES,
    Node,
    bpmn,
    children_named,
    line_of,
    local_name,
    namespace,
    parse_xml,
)


@dataclass(frozen=True, slots=True)
class Transformed:
    """What reading one BPMN resource gave.

    ``processes`` holds every executable process, and is empty whenever ``problems`` is not:
    like Zeebe, a resource with any problem deploys nothing.
    """

    processes: tuple[Process, ...]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when the resource has no problem."""
        return not self.problems


def transform(
    data: bytes, resource_name: str, *, max_bytes: int = MAX_RESOURCE_BYTES
) -> Transformed:
    """Read a BPMN resource; never raises on bad input (problems come back as values)."""
    root, problems = parse_xml(data, resource_name, max_bytes)
    if root is None:
        return Transformed((), problems)
    report = Reporter(resource_name)
    if root.tag != bpmn("definitions"):
        found = f"'{local_name(root)}' in namespace '{namespace(root) or 'none'}'"
        report.add(
            root,
            None,
            f"The root element must be 'definitions' in namespace '{BPMN_NS}', found {found}.",
        )
        return Transformed((), report.problems)
    ctx = Context(report)
    _index_definitions(ctx, root)
    processes: list[Process] = []
    executable = [
        p for p in children_named(root, bpmn("process")) if p.get("isExecutable") == "true"
    ]
    if not executable:
        report.add(
            root, None, 'The resource has no executable process: mark one with isExecutable="true".'
        )
    for node in executable:
        processes.append(_read_process(ctx, node))
    if report.problems:
        ordered = sorted(report.problems, key=lambda p: p.line)
        return Transformed((), ordered)
    return Transformed(tuple(processes), [])


def load(data: bytes, resource_name: str) -> tuple[Process, ...]:
    """The executable processes of a BPMN resource; raises ``ResourceError`` on any problem."""
    result = transform(data, resource_name)
    if result.problems:
        raise ResourceError(result.problems)
    return result.processes


def _index_definitions(ctx: Context, root: Node) -> None:
    tables = {
        "message": ctx.messages,
        "error": ctx.errors,
        "signal": ctx.signals,
        "escalation": ctx.escalations,
    }
    for local, table in tables.items():
        for node in children_named(root, bpmn(local)):
            node_id = node.get("id")
            if node_id:
                table[node_id] = node
                ctx.seen_ids.setdefault(node_id, line_of(node))
            else:
                ctx.report.add(node, None, f"A bpmn:{local} has no id.")


def _read_process(ctx: Context, node: Node) -> Process:
    ctx.elements = {}
    ctx.flows = {}
    process_id = node.get("id") or ""
    if not process_id:
        ctx.report.add(node, None, "The process has no id.")
        process_id = f"process@line{line_of(node)}"
    elif process_id in ctx.seen_ids:
        ctx.report.add(
            node,
            process_id,
            f"The id '{process_id}' is already used on line {ctx.seen_ids[process_id]}.",
        )
    ctx.seen_ids.setdefault(process_id, line_of(node))
    root = Element(
        id=process_id,
        kind=ElementKind.PROCESS,
        scope_id=None,
        name=node.get("name") or None,
        line=line_of(node),
    )
    ctx.elements[process_id] = root
    report_unsupported_extensions(ctx.report, node, process_id)
    ctx.elements[process_id] = read_scope(ctx, node, root)
    link_and_validate(ctx)
    version = extension(node, "versionTag")
    return Process(
        id=process_id,
        name=node.get("name") or None,
        elements=dict(ctx.elements),
        flows=dict(ctx.flows),
        version_tag=None if version is None else version.get("value") or None,
        line=line_of(node),
    )
