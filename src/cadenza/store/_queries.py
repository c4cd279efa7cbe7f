"""Read-model search queries: a typed filter per item type, a sort and a page.

``Query(ProcessInstanceFilter(state="ACTIVE"), sort=[("startDate", "desc")], page=Page(0, 50))``
searches process instances; ``store.search(query)`` returns a ``SearchResult`` with the page's
items and the total number of matches. A filter field left None matches everything; fields
that are set must all match (AND). ``*_from`` / ``*_to`` bound a date (ms) as ``from <= d < to``.
Sort fields are the camelCase names of the item's fields; the item key breaks ties, so paging
is stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from cadenza.store._errors import InvalidQueryError
from cadenza.store._items import (
    DecisionDefinition,
    DecisionInstance,
    DecisionRequirements,
    ElementInstance,
    ElementStatistics,
    Incident,
    Job,
    ProcessDefinition,
    ProcessInstance,
    UserTask,
    Variable,
)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

MAX_PAGE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of the sorted matches to return: ``limit`` items from index ``from_``."""

    from_: int = 0
    limit: int = 100

    def __post_init__(self) -> None:
        if not isinstance(self.from_, int) or isinstance(self.from_, bool) or self.from_ < 0:
            raise InvalidQueryError(f"page from must be an integer >= 0, not {self.from_!r}")
        if (
            not isinstance(self.limit, int)
            or isinstance(self.limit, bool)
            or not 0 <= self.limit <= MAX_PAGE_SIZE
        ):
            raise InvalidQueryError(
                f"page limit must be an integer from 0 to {MAX_PAGE_SIZE}, not {self.limit!r}"
            )


@dataclass(frozen=True, slots=True)
class SearchResult(Generic[T_co]):
    """One page of matches and the number of matches over all pages."""

    items: tuple[T_co, ...]
    total: int


class Filter(Generic[T_co]):
    """Base of the filters; the type parameter is the item type the filter searches."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Query(Generic[T]):
    """A search: what to match, how to sort (``[(camelCaseField, "asc" | "desc")]``), which page."""

    filter: Filter[T]
    sort: Sequence[tuple[str, str]] = ()
    page: Page = Page()


@dataclass(frozen=True, slots=True)
class ProcessDefinitionFilter(Filter[ProcessDefinition]):
    """Deployed processes; ``latest_only`` keeps the newest version of each process id."""

    process_definition_key: int | None = None
    bpmn_process_id: str | None = None
    version: int | None = None
    version_tag: str | None = None
    resource_name: str | None = None
    tenant_id: str | None = None
    latest_only: bool | None = None


@dataclass(frozen=True, slots=True)
class DecisionRequirementsFilter(Filter[DecisionRequirements]):
    """Deployed decision requirements graphs."""

    decision_requirements_key: int | None = None
    decision_requirements_id: str | None = None
    version: int | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionDefinitionFilter(Filter[DecisionDefinition]):
    """Deployed decisions."""

    decision_key: int | None = None
    decision_id: str | None = None
    decision_name: str | None = None
    version: int | None = None
    decision_requirements_key: int | None = None
    decision_requirements_id: str | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProcessInstanceFilter(Filter[ProcessInstance]):
    """Process instances; ``has_incident`` matches on open (ACTIVE) incidents."""

    process_instance_key: int | None = None
    bpmn_process_id: str | None = None
    version: int | None = None
    process_definition_key: int | None = None
    state: str | None = None
    parent_process_instance_key: int | None = None
    parent_element_instance_key: int | None = None
    has_incident: bool | None = None
    start_date_from: int | None = None
    start_date_to: int | None = None
    end_date_from: int | None = None
    end_date_to: int | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class ElementInstanceFilter(Filter[ElementInstance]):
    """Element instances; ``has_incident`` matches on open (ACTIVE) incidents."""

    element_instance_key: int | None = None
    process_instance_key: int | None = None
    process_definition_key: int | None = None
    bpmn_process_id: str | None = None
    element_id: str | None = None
    element_type: str | None = None
    flow_scope_key: int | None = None
    state: str | None = None
    has_incident: bool | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class VariableFilter(Filter[Variable]):
    """Variables; ``value`` matches the JSON text exactly (``'"text"'``, ``'42'``)."""

    variable_key: int | None = None
    name: str | None = None
    value: str | None = None
    scope_key: int | None = None
    process_instance_key: int | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class IncidentFilter(Filter[Incident]):
    """Incidents."""

    incident_key: int | None = None
    error_type: str | None = None
    bpmn_process_id: str | None = None
    process_definition_key: int | None = None
    process_instance_key: int | None = None
    element_id: str | None = None
    element_instance_key: int | None = None
    job_key: int | None = None
    state: str | None = None
    creation_time_from: int | None = None
    creation_time_to: int | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class JobFilter(Filter[Job]):
    """Jobs."""

    job_key: int | None = None
    type: str | None = None
    worker: str | None = None
    state: str | None = None
    element_id: str | None = None
    element_instance_key: int | None = None
    process_instance_key: int | None = None
    process_definition_key: int | None = None
    bpmn_process_id: str | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class UserTaskFilter(Filter[UserTask]):
    """User tasks; ``candidate_user`` / ``candidate_group`` match one entry of the lists."""

    user_task_key: int | None = None
    element_id: str | None = None
    assignee: str | None = None
    candidate_user: str | None = None
    candidate_group: str | None = None
    state: str | None = None
    process_instance_key: int | None = None
    element_instance_key: int | None = None
    process_definition_key: int | None = None
    bpmn_process_id: str | None = None
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionInstanceFilter(Filter[DecisionInstance]):
    """Decision evaluations."""

    decision_evaluation_key: int | None = None
    state: str | None = None
    decision_key: int | None = None
    decision_id: str | None = None
    process_instance_key: int | None = None
    element_instance_key: int | None = None
    process_definition_key: int | None = None
    evaluation_date_from: int | None = None
    evaluation_date_to: int | None = None
    tenant_id: str | None = None


class ReadModel(Protocol):
    """The query side of a store, what the REST API and the UI read (both stores fit)."""

    def search(self, query: Query[T]) -> SearchResult[T]:
        """One page of items matching ``query`` and the total number of matches."""
        ...

    def process_definition_xml(self, process_definition_key: int) -> str | None:
        """The deployed BPMN XML of a process definition, or None if unknown."""
        ...

    def decision_requirements_xml(self, decision_requirements_key: int) -> str | None:
        """The deployed DMN XML of a decision requirements graph, or None if unknown."""
        ...

    def form(self, form_key: int) -> dict[str, Any] | None:
        """A deployed form with the FORM record's field names, or None if unknown."""
        ...

    def element_statistics(self, process_definition_key: int) -> tuple[ElementStatistics, ...]:
        """Instance counts per element of a process definition."""
        ...
