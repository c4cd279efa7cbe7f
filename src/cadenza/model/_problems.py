"""Problems found while reading or validating a resource: values, never exceptions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a deployed resource, located as precisely as the input allows."""

    resource: str  # the resource (file) name
    line: int  # 1-based line in the resource; 0 when unknown
    element_id: str | None  # the BPMN/DMN element id, when the problem belongs to one
    message: str  # a plain sentence

    def __str__(self) -> str:
        where = f"{self.resource}:{self.line}" if self.line else self.resource
        element = f" [{self.element_id}]" if self.element_id else ""
        return f"{where}{element}: {self.message}"


class ResourceError(Exception):
    """Raised by the convenience entry points (``load``) when a resource has problems.

    The kernel never sees it: deployments receive the problems as a value and reject."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
