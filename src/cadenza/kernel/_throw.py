"""Finding the catcher of a thrown error or escalation, and flow reachability for inclusive joins.

A thrown event walks up from the thrower: the boundary events of each enclosing activity, the
event subprocesses of each enclosing scope, across call activities into the calling process.
A catch event with the thrown code wins over a catch-all one at the same level."""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.kernel._state import ElementInstance, State
from cadenza.model import Element, EventType, Process

_SCOPES = ("PROCESS", "SUB_PROCESS", "EVENT_SUB_PROCESS")


@dataclass(frozen=True, slots=True)
class Catch:
    """The catch event found for a thrown event, and the element instance that holds it."""

    owner: ElementInstance
    event: Element


def _code_of(event: Element, event_type: EventType) -> str | None:
    expression = event.error_code if event_type is EventType.ERROR else event.escalation_code
    if expression is None:
        return None
    return expression.source if expression.feel is None else expression.feel


def _best(candidates: list[Element], event_type: EventType, code: str) -> Element | None:
    catch_all = None
    for event in candidates:
        if event.event_type is not event_type:
            continue
        expected = _code_of(event, event_type)
        if expected is None or expected == "":
            catch_all = catch_all or event
        elif expected == code:
            return event
    return catch_all


def find_catch(
    state: State, thrower: ElementInstance, event_type: EventType, code: str
) -> Catch | None:
    """The nearest catch event for ``code`` thrown from ``thrower``, or None."""
    instance: ElementInstance | None = thrower
    first = True
    while instance is not None:
        elements = instance.process.model.elements
        parent = state.elements.get(instance.parent_key)
        element = instance.element
        is_inner = parent is not None and parent.element is element
        if not first and instance.value["bpmnElementType"] in _SCOPES:
            starts = [
                elements[elements[esp].start_events[0]]
                for esp in element.event_sub_processes
                if elements[esp].start_events
            ]
            found = _best(starts, event_type, code)
            if found is not None and instance.interrupting_event is None:
                return Catch(instance, found)
        if not is_inner and element.boundary_events and instance.is_active:
            boundaries = [elements[b] for b in element.boundary_events]
            found = _best(boundaries, event_type, code)
            if found is not None:
                return Catch(instance, found)
        first = False
        if parent is None:
            instance = state.elements.get(instance.value.get("parentElementInstanceKey", -1))
        else:
            instance = parent
    return None


_REACH: dict[int, tuple[Process, dict[str, frozenset[str]]]] = {}


def reachable_flows(process: Process, source: str) -> frozenset[str]:
    """Ids of every sequence flow reachable from element ``source`` within its scope."""
    entry = _REACH.get(id(process))
    if entry is None or entry[0] is not process:
        entry = (process, {})
        _REACH[id(process)] = entry
    cache = entry[1]
    found = cache.get(source)
    if found is not None:
        return found
    flows: set[str] = set()
    stack = [source]
    seen = {source}
    while stack:
        element = process.elements[stack.pop()]
        outgoing = list(element.outgoing)
        for boundary in element.boundary_events:
            outgoing.extend(process.elements[boundary].outgoing)
        for flow_id in outgoing:
            flows.add(flow_id)
            target = process.flows[flow_id].target
            if target not in seen:
                seen.add(target)
                stack.append(target)
    result = frozenset(flows)
    cache[source] = result
    return result
