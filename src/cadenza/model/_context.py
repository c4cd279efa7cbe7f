"""What the element readers share while one resource is read."""

from __future__ import annotations

from dataclasses import dataclass, field

from cadenza.model._elements import Element, SequenceFlow
from cadenza.model._report import Reporter
from cadenza.model._xml import Node


@dataclass(slots=True)
class Context:
    """The problem reporter, the root-level definitions referenced by id, and the elements and
    flows of the process being read (in document order)."""

    report: Reporter
    messages: dict[str, Node] = field(default_factory=dict)
    errors: dict[str, Node] = field(default_factory=dict)
    signals: dict[str, Node] = field(default_factory=dict)
    escalations: dict[str, Node] = field(default_factory=dict)
    elements: dict[str, Element] = field(default_factory=dict)
    flows: dict[str, SequenceFlow] = field(default_factory=dict)
    seen_ids: dict[str, int] = field(default_factory=dict)  # every id in the resource -> line
    depth: int = 0  # how many subprocesses deep the reader is
    unread: set[str] = field(default_factory=set)  # subprocesses too deep to read
