"""Running read-model searches: filter validation, allow-listed sorting, paging, row mapping.

The SQL is the named base query of the item type (``sql/search.sql``) wrapped in the named
``page`` / ``count`` templates; the only text put into them is the base query and an ORDER BY
made of allow-listed column names, so nothing a caller passes reaches the SQL text.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from cadenza.store._errors import InvalidQueryError
from cadenza.store._items import (
    DecisionDefinition,
    DecisionInstance,
    DecisionRequirements,
    ElementInstance,
    Incident,
    Job,
    ProcessDefinition,
    ProcessInstance,
    UserTask,
    Variable,
)
from cadenza.store._queries import (
    DecisionDefinitionFilter,
    DecisionInstanceFilter,
    DecisionRequirementsFilter,
    ElementInstanceFilter,
    Filter,
    IncidentFilter,
    JobFilter,
    ProcessDefinitionFilter,
    ProcessInstanceFilter,
    Query,
    SearchResult,
    UserTaskFilter,
    VariableFilter,
)

T = TypeVar("T")
Fetch = Callable[[str, Mapping[str, Any]], list[tuple[Any, ...]]]


def _none_if_empty(value: Any) -> Any:
    return None if value == "" else value


def _none_if_negative(value: Any) -> Any:
    return None if value is None or value < 0 else value


def _json_object(value: Any) -> Mapping[str, Any]:
    return json.loads(value) if value else {}


def _json_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(json.loads(value)) if value else ()


# How a column value becomes an item field, by field name (all other fields pass through).
_FIELD_READERS: dict[str, Callable[[Any], Any]] = {
    "has_incident": bool,
    "worker": _none_if_empty,
    "assignee": _none_if_empty,
    "due_date": _none_if_empty,
    "follow_up_date": _none_if_empty,
    "error_message": _none_if_empty,
    "error_code": _none_if_empty,
    "external_form_reference": _none_if_empty,
    "deadline": _none_if_negative,
    "custom_headers": _json_object,
    "candidate_users": _json_tuple,
    "candidate_groups": _json_tuple,
    "evaluated_decisions": _json_tuple,
}
_UNSORTABLE = {"custom_headers", "candidate_users", "candidate_groups", "evaluated_decisions"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True, slots=True)
class _ItemType:
    query: str
    item: type[Any]
    key: str
    sortable: Mapping[str, str]  # camelCase field -> column
    readers: tuple[tuple[int, Callable[[Any], Any]], ...]
    filter_types: Mapping[str, type]


def _item_type(query: str, item: type[Any], filter_type: type[Any]) -> _ItemType:
    names = [f.name for f in dataclasses.fields(item)]
    filter_types: dict[str, type] = {}
    for name, hint in typing.get_type_hints(filter_type).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        filter_types[name] = args[0] if args else hint
    return _ItemType(
        query=query,
        item=item,
        key=names[0],
        sortable={_camel(n): n for n in names if n not in _UNSORTABLE},
        readers=tuple((i, _FIELD_READERS[n]) for i, n in enumerate(names) if n in _FIELD_READERS),
        filter_types=filter_types,
    )


_ITEM_TYPES: dict[type[Any], _ItemType] = {
    filter_type: _item_type(query, item, filter_type)
    for query, item, filter_type in (
        ("search_process_definitions", ProcessDefinition, ProcessDefinitionFilter),
        ("search_decision_requirements", DecisionRequirements, DecisionRequirementsFilter),
        ("search_decision_definitions", DecisionDefinition, DecisionDefinitionFilter),
        ("search_process_instances", ProcessInstance, ProcessInstanceFilter),
        ("search_element_instances", ElementInstance, ElementInstanceFilter),
        ("search_variables", Variable, VariableFilter),
        ("search_incidents", Incident, IncidentFilter),
        ("search_jobs", Job, JobFilter),
        ("search_user_tasks", UserTask, UserTaskFilter),
        ("search_decision_instances", DecisionInstance, DecisionInstanceFilter),
    )
}


def _filter_params(spec: _ItemType, flt: Filter[Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, expected in spec.filter_types.items():
        value = getattr(flt, name)
        if value is not None:
            wrong_bool = isinstance(value, bool) and expected is not bool
            if wrong_bool or not isinstance(value, expected):
                raise InvalidQueryError(
                    f"{type(flt).__name__}.{name} must be {expected.__name__} or None, "
                    f"not {value!r}"
                )
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise InvalidQueryError(f"{type(flt).__name__}.{name} is beyond 64 bits: {value!r}")
            if isinstance(value, bool):
                value = int(value)
        params[name] = value
    return params


def _order_by(spec: _ItemType, sort: Sequence[tuple[str, str]]) -> str:
    terms: list[str] = []
    for entry in sort:
        if not (isinstance(entry, tuple | list) and len(entry) == 2):
            raise InvalidQueryError(f"a sort entry is (field, order), not {entry!r}")
        field, order = entry
        column = spec.sortable.get(field) if isinstance(field, str) else None
        if column is None:
            allowed = ", ".join(sorted(spec.sortable))
            raise InvalidQueryError(
                f"cannot sort {spec.item.__name__} by {field!r}; sortable fields: {allowed}"
            )
        direction = order.upper() if isinstance(order, str) else ""
        if direction not in ("ASC", "DESC"):
            raise InvalidQueryError(f"sort order must be 'asc' or 'desc', not {order!r}")
        terms.append(f"{column} {direction} NULLS LAST")
    terms.append(f"{spec.key} ASC")
    return ", ".join(terms)


# `(CAST(:f AS type) IS NULL OR <condition>)`, in SQLite's or psycopg's placeholder spelling.
_OPTIONAL = re.compile(r"\(CAST\((?::(\w+)|%\((\w+)\)s) AS \w+\) IS NULL OR ")


def specialize(base: str, given: frozenset[str]) -> str:
    """``base`` with each optional filter condition resolved for the fields that are set:
    ``(CAST(:f AS T) IS NULL OR cond)`` becomes ``(cond)`` when ``f`` is given, else ``1=1``.

    The planner cannot use an index through the ``IS NULL OR`` form (SQLite scans the table
    whatever the filter); the resolved text lets a lookup by key or instance use its index."""
    parts: list[str] = []
    position = 0
    while (match := _OPTIONAL.search(base, position)) is not None:
        depth = 0
        end = match.start()
        while end < len(base):
            if base[end] == "(":
                depth += 1
            elif base[end] == ")":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        name = match.group(1) or match.group(2)
        parts.append(base[position : match.start()])
        parts.append(f"({base[match.end() : end]})" if name in given else "1=1")
        position = end + 1
    parts.append(base[position:])
    return "".join(parts)


class Searcher:
    """Runs searches through ``fetch(sql, params) -> rows`` over a dialect's named queries."""

    __slots__ = ("_fetch", "_queries", "_specialized")

    def __init__(self, queries: Mapping[str, str], fetch: Fetch) -> None:
        self._queries = queries
        self._fetch = fetch
        self._specialized: dict[tuple[str, frozenset[str]], str] = {}

    def search(self, query: Query[T]) -> SearchResult[T]:
        """The page of items matching ``query`` and the total number of matches."""
        if not isinstance(query, Query):
            raise InvalidQueryError(f"expected a Query, not {type(query).__name__}")
        spec = _ITEM_TYPES.get(type(query.filter))
        if spec is None:
            raise InvalidQueryError(f"no read-model search for {type(query.filter).__name__}")
        params = _filter_params(spec, query.filter)
        given = frozenset(name for name, value in params.items() if value is not None)
        base = self._specialized.get((spec.query, given))
        if base is None:
            base = specialize(self._queries[spec.query], given)
            self._specialized[(spec.query, given)] = base
        order = _order_by(spec, query.sort)
        sql = self._queries["page"].format(base=base, order=order)
        page_params = {**params, "limit": query.page.limit, "offset": query.page.from_}
        rows = self._fetch(sql, page_params) if query.page.limit > 0 else []
        if query.page.from_ == 0 and len(rows) < query.page.limit:
            total = len(rows)
        else:
            total = int(self._fetch(self._queries["count"].format(base=base), params)[0][0])
        items = tuple(self._item(spec, row) for row in rows)
        return SearchResult(items=items, total=total)

    @staticmethod
    def _item(spec: _ItemType, row: Sequence[Any]) -> Any:
        values = list(row)
        for index, read in spec.readers:
            values[index] = read(values[index])
        return spec.item(*values)
