"""The read-model queries the REST search endpoints need: the contract with ``cadenza.store``.

Every search goes through ``EnginePort.query(name, **params)``:

``await port.query(name, filter=..., sort=..., offset=..., limit=...)`` where ``name`` is one
of ``SEARCHES`` (``"process_definitions"``, ``"process_instances"``, ``"element_instances"``,
``"variables"``, ``"incidents"``, ``"jobs"``, ``"user_tasks"``, ``"decision_definitions"``) and

- ``filter``: ``dict[str, dict[str, Any]]``, field name (the REST result field, camelCase) to
  conditions that must all hold, by operator: ``$eq``, ``$neq``, ``$in``, ``$notIn`` (list),
  ``$like`` (``*`` any run of characters, ``?`` one character), ``$exists`` (bool), ``$gt``,
  ``$gte``, ``$lt``, ``$lte``; for list fields ``$all`` (every listed item is present); for
  variable filters (``FieldKind.VARIABLES``) ``$all`` with ``[{"name": str, "value": str}]``,
  values as JSON text. Key values are ints, instants are milliseconds since the epoch.
- ``sort``: ``list[tuple[str, str]]``, (field, ``"ASC"`` | ``"DESC"``), most significant first;
  the store breaks ties by the entity key ascending so paging is stable.
- ``offset``, ``limit``: ints; the REST layer turns Camunda's cursors into offsets.

It answers ``{"items": [row, ...], "total": int}``; a row is a mapping with the entity's REST
field names (see ``ROW_FIELDS`` in ``_shapes``), keys as ints (``None`` when absent), instants as
milliseconds since the epoch (``None`` when absent), variable values as JSON text.

A read model that cannot answer a filter, operator or sort raises ``UnsupportedQuery`` with a
message naming it; the client gets a 400 problem with that message.

Two lookups complete the contract:

- ``await port.query("process_definition_xml", key=int)`` -> the BPMN XML text, or ``None``.
- ``await port.query("user_task_form", key=int)`` -> ``{"formKey": int, "formId": str,
  "version": int, "schema": str, "tenantId": str}`` for the user task's linked form, or ``None``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cadenza.api._port import EnginePort
from cadenza.api.rest._problems import RestProblem
from cadenza.api.rest._wire import decode_cursor, parse_instant, parse_key

DEFAULT_PAGE_LIMIT = 100
MAX_PAGE_LIMIT = 10_000

PROCESS_DEFINITION_XML = "process_definition_xml"
"""Lookup of the BPMN XML of a process definition: ``key=int`` -> ``str | None``."""
USER_TASK_FORM = "user_task_form"
"""Lookup of the form linked to a user task: ``key=int`` -> form mapping or ``None``."""


class UnsupportedQuery(ValueError):
    """Raised by ``port.query`` for a valid request the read model cannot answer (400)."""


class FieldKind(enum.Enum):
    """How a filter field's values are checked and converted before they reach the store."""

    KEY = "key"
    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    INSTANT = "instant"
    STRING_LIST = "string_list"
    VARIABLES = "variables"


_OPERATORS: dict[FieldKind, frozenset[str]] = {
    FieldKind.KEY: frozenset({"$eq", "$neq", "$exists", "$in", "$notIn"}),
    FieldKind.STRING: frozenset({"$eq", "$neq", "$exists", "$in", "$notIn", "$like"}),
    FieldKind.INTEGER: frozenset(
        {"$eq", "$neq", "$exists", "$in", "$notIn", "$gt", "$gte", "$lt", "$lte"}
    ),
    FieldKind.BOOLEAN: frozenset({"$eq", "$neq", "$exists"}),
    FieldKind.INSTANT: frozenset(
        {"$eq", "$neq", "$exists", "$in", "$notIn", "$gt", "$gte", "$lt", "$lte"}
    ),
    FieldKind.STRING_LIST: frozenset({"$all"}),
    FieldKind.VARIABLES: frozenset({"$all"}),
}


@dataclass(frozen=True, slots=True)
class SearchSpec:
    """One searchable entity: its query name, filter fields and sortable fields."""

    name: str
    key_field: str
    filter_fields: Mapping[str, FieldKind]
    sort_fields: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A validated search, in the shape ``port.query`` receives it."""

    filter: Mapping[str, Mapping[str, Any]]
    sort: Sequence[tuple[str, str]]
    offset: int
    limit: int


def _spec(name: str, key_field: str, fields: str, sort: str) -> SearchSpec:
    """Build a spec from ``"field:kind ..."`` text, which keeps the tables below readable."""
    kinds: dict[str, FieldKind] = {}
    for item in fields.split():
        field_name, _, kind = item.partition(":")
        kinds[field_name] = FieldKind(kind or "string")
    return SearchSpec(name, key_field, kinds, frozenset(sort.split()))


K, S, INT, B, T = ":key", ":string", ":integer", ":boolean", ":instant"

SEARCHES: dict[str, SearchSpec] = {
    s.name: s
    for s in (
        _spec(
            "process_definitions",
            "processDefinitionKey",
            f"processDefinitionKey{K} processDefinitionId name resourceName version{INT} "
            f"versionTag tenantId hasStartForm{B} isLatestVersion{B} state",
            "processDefinitionKey processDefinitionId name resourceName version versionTag "
            "tenantId",
        ),
        _spec(
            "process_instances",
            "processInstanceKey",
            f"processInstanceKey{K} processDefinitionId processDefinitionName "
            f"processDefinitionVersion{INT} processDefinitionVersionTag processDefinitionKey{K} "
            f"startDate{T} endDate{T} state hasIncident{B} tenantId "
            f"parentProcessInstanceKey{K} parentElementInstanceKey{K} businessId "
            "tags:string_list variables:variables",
            "processInstanceKey processDefinitionId processDefinitionName "
            "processDefinitionVersion processDefinitionVersionTag processDefinitionKey "
            "startDate endDate state hasIncident tenantId parentProcessInstanceKey "
            "parentElementInstanceKey businessId",
        ),
        _spec(
            "element_instances",
            "elementInstanceKey",
            f"elementInstanceKey{K} processInstanceKey{K} processDefinitionKey{K} "
            f"processDefinitionId state type elementId elementName hasIncident{B} tenantId "
            f"incidentKey{K} startDate{T} endDate{T} elementInstanceScopeKey{K}",
            "elementInstanceKey processInstanceKey processDefinitionKey processDefinitionId "
            "state type elementId elementName tenantId incidentKey startDate endDate",
        ),
        _spec(
            "variables",
            "variableKey",
            f"variableKey{K} name value tenantId isTruncated{B} scopeKey{K} processInstanceKey{K}",
            "variableKey name value tenantId scopeKey processInstanceKey",
        ),
        _spec(
            "incidents",
            "incidentKey",
            f"incidentKey{K} processDefinitionId processDefinitionKey{K} processInstanceKey{K} "
            f"errorType errorMessage elementId elementInstanceKey{K} creationTime{T} state "
            f"tenantId jobKey{K}",
            "incidentKey processDefinitionId processDefinitionKey processInstanceKey errorType "
            "elementId elementInstanceKey creationTime state tenantId jobKey",
        ),
        _spec(
            "jobs",
            "jobKey",
            f"jobKey{K} type worker state kind listenerEventType processDefinitionId "
            f"processDefinitionKey{K} processInstanceKey{K} elementId elementInstanceKey{K} "
            f"tenantId retries{INT} priority{INT} errorCode errorMessage deniedReason "
            f"isDenied{B} hasFailedWithRetriesLeft{B} deadline{T} endTime{T} "
            f"creationTime{T} lastUpdateTime{T}",
            "jobKey type worker state kind listenerEventType processDefinitionId "
            "processDefinitionKey processInstanceKey elementId elementInstanceKey tenantId "
            "retries priority errorCode errorMessage deniedReason isDenied "
            "hasFailedWithRetriesLeft deadline endTime creationTime",
        ),
        _spec(
            "user_tasks",
            "userTaskKey",
            f"userTaskKey{K} state assignee priority{INT} elementId name candidateGroup "
            f"candidateUser tenantId processDefinitionId processDefinitionKey{K} "
            f"processInstanceKey{K} elementInstanceKey{K} creationDate{T} completionDate{T} "
            f"followUpDate{T} dueDate{T} businessId tags:string_list "
            "processInstanceVariables:variables localVariables:variables",
            "creationDate completionDate followUpDate dueDate priority name businessId",
        ),
        _spec(
            "decision_definitions",
            "decisionDefinitionKey",
            f"decisionDefinitionKey{K} decisionDefinitionId name version{INT} "
            f"decisionRequirementsId decisionRequirementsKey{K} decisionRequirementsName "
            f"decisionRequirementsVersion{INT} tenantId isLatestVersion{B}",
            "decisionDefinitionKey decisionDefinitionId name version decisionRequirementsId "
            "decisionRequirementsKey decisionRequirementsName decisionRequirementsVersion "
            "tenantId",
        ),
    )
}


def _convert(kind: FieldKind, value: Any, where: str) -> Any:
    """One filter operand, checked against the field kind and converted for the store."""
    if kind is FieldKind.KEY:
        return parse_key(value, where)
    if kind is FieldKind.INSTANT:
        return parse_instant(value, where)
    if kind is FieldKind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RestProblem.invalid(f"'{where}' must be an integer, got {value!r}")
        return value
    if kind is FieldKind.BOOLEAN:
        if not isinstance(value, bool):
            raise RestProblem.invalid(f"'{where}' must be a boolean, got {value!r}")
        return value
    if not isinstance(value, str):
        raise RestProblem.invalid(f"'{where}' must be a string, got {value!r}")
    return value


def _variables_condition(value: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise RestProblem.invalid(f"'{where}' must be a list of {{name, value}} objects")
    result: list[dict[str, str]] = []
    for index, item in enumerate(value):
        ok = isinstance(item, dict) and set(item) == {"name", "value"}
        if not ok or not all(isinstance(v, str) for v in item.values()):
            raise RestProblem.invalid(
                f"'{where}[{index}]' must be an object with string 'name' and 'value'"
            )
        result.append({"name": item["name"], "value": item["value"]})
    return result


def _conditions(kind: FieldKind, value: Any, where: str) -> dict[str, Any]:
    """A filter property's value (plain or with operators) as the store's condition dict."""
    if kind is FieldKind.VARIABLES:
        return {"$all": _variables_condition(value, where)}
    if kind is FieldKind.STRING_LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RestProblem.invalid(f"'{where}' must be a list of strings")
        return {"$all": list(value)}
    if not isinstance(value, dict):
        return {"$eq": _convert(kind, value, where)}
    if not value:
        raise RestProblem.invalid(f"'{where}' must name at least one operator")
    allowed = _OPERATORS[kind]
    result: dict[str, Any] = {}
    for operator, operand in value.items():
        if operator not in allowed:
            raise RestProblem.invalid(
                f"'{where}' does not support operator '{operator}' "
                f"(supported: {', '.join(sorted(allowed))})"
            )
        place = f"{where}.{operator}"
        if operator == "$exists":
            if not isinstance(operand, bool):
                raise RestProblem.invalid(f"'{place}' must be a boolean")
            result[operator] = operand
        elif operator in ("$in", "$notIn"):
            if not isinstance(operand, list):
                raise RestProblem.invalid(f"'{place}' must be a list")
            result[operator] = [_convert(kind, v, place) for v in operand]
        elif operator == "$like":
            if not isinstance(operand, str):
                raise RestProblem.invalid(f"'{place}' must be a string")
            result[operator] = operand
        else:
            result[operator] = _convert(kind, operand, place)
    return result


def parse_filter(spec: SearchSpec, raw: Any) -> dict[str, dict[str, Any]]:
    """The ``filter`` member of a search request, validated field by field."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RestProblem.invalid("'filter' must be an object")
    result: dict[str, dict[str, Any]] = {}
    for name, value in raw.items():
        kind = spec.filter_fields.get(name)
        if kind is None:
            raise RestProblem.invalid(
                f"'filter.{name}' is not a supported filter property of this search"
            )
        if value is None:
            continue
        result[name] = _conditions(kind, value, f"filter.{name}")
    return result


def parse_sort(spec: SearchSpec, raw: Any) -> list[tuple[str, str]]:
    """The ``sort`` member: a list of ``{field, order}`` with order ``ASC`` (default) or ``DESC``."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise RestProblem.invalid("'sort' must be a list of {field, order} objects")
    result: list[tuple[str, str]] = []
    for index, item in enumerate(raw):
        where = f"sort[{index}]"
        if not isinstance(item, dict) or not set(item) <= {"field", "order"}:
            raise RestProblem.invalid(f"'{where}' must be an object with 'field' and 'order'")
        name = item.get("field")
        if name not in spec.sort_fields:
            raise RestProblem.invalid(
                f"'{where}.field' must be one of {', '.join(sorted(spec.sort_fields))}, "
                f"got {name!r}"
            )
        order = item.get("order") or "ASC"
        if not isinstance(order, str) or order.upper() not in ("ASC", "DESC"):
            raise RestProblem.invalid(f"'{where}.order' must be ASC or DESC, got {order!r}")
        result.append((str(name), order.upper()))
    return result


def parse_page(raw: Any) -> tuple[int, int]:
    """The ``page`` member (``{from, limit}``, ``{after, limit}``, ``{before, limit}``) as an
    (offset, limit) pair."""
    if raw is None:
        return 0, DEFAULT_PAGE_LIMIT
    if not isinstance(raw, dict):
        raise RestProblem.invalid("'page' must be an object")
    unknown = set(raw) - {"from", "limit", "after", "before"}
    if unknown:
        raise RestProblem.invalid(f"'page.{sorted(unknown)[0]}' is not a paging property")
    limit = raw.get("limit", DEFAULT_PAGE_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_PAGE_LIMIT:
        raise RestProblem.invalid(f"'page.limit' must be an integer from 0 to {MAX_PAGE_LIMIT}")
    if len({"from", "after", "before"} & set(raw)) > 1:
        raise RestProblem.invalid("'page' takes only one of 'from', 'after' and 'before'")
    if "after" in raw:
        return decode_cursor(_cursor_text(raw["after"], "page.after"), "page.after"), limit
    if "before" in raw:
        end = decode_cursor(_cursor_text(raw["before"], "page.before"), "page.before")
        start = max(0, end - limit)
        return start, end - start
    start = raw.get("from", 0)
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise RestProblem.invalid("'page.from' must be a non-negative integer")
    return start, limit


def _cursor_text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise RestProblem.invalid(f"'{where}' must be a cursor string")
    return value


def parse_search(spec: SearchSpec, body: Mapping[str, Any] | None) -> SearchRequest:
    """A whole search request body (``filter``, ``sort``, ``page``), validated."""
    body = body or {}
    unknown = set(body) - {"filter", "sort", "page"}
    if unknown:
        raise RestProblem.invalid(f"'{sorted(unknown)[0]}' is not a search request property")
    offset, limit = parse_page(body.get("page"))
    return SearchRequest(
        parse_filter(spec, body.get("filter")), parse_sort(spec, body.get("sort")), offset, limit
    )


async def run_search(
    port: EnginePort, spec: SearchSpec, request: SearchRequest
) -> tuple[list[Mapping[str, Any]], int]:
    """Ask the read model; answers the rows of the page and the total number of matches."""
    try:
        answer = await port.query(
            spec.name,
            filter=request.filter,
            sort=list(request.sort),
            offset=request.offset,
            limit=request.limit,
        )
    except UnsupportedQuery as unsupported:
        raise RestProblem.invalid(str(unsupported)) from None
    return list(answer["items"]), int(answer["total"])


async def find_one(port: EnginePort, spec: SearchSpec, key: int) -> Mapping[str, Any] | None:
    """The row whose key is ``key``, or None."""
    request = SearchRequest({spec.key_field: {"$eq": key}}, [], 0, 1)
    items, _ = await run_search(port, spec, request)
    return items[0] if items else None
