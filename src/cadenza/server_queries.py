"""The REST searches (``cadenza.api.rest._queries`` contract) over the store's read model.

Equality conditions on fields the store indexes go to the store, which pages; any other
operator ($in, $like, $gt, ...) is applied here over at most ``MAX_PAGE_SIZE`` matches of the
pushed-down part, then sorted and paged here."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cadenza import store as st
from cadenza.api.rest import UnsupportedQuery

Row = dict[str, Any]


def _state(value: str) -> str:
    return {"CANCELED": "TERMINATED"}.get(value, value)


@dataclass(frozen=True, slots=True)
class Entity:
    """How one REST entity maps to a store filter and item.

    ``pushdown``: REST field -> store filter attribute, for equality; ``states``: REST state ->
    the store's, where they differ; ``ranges``: REST instant field -> the store's (inclusive
    from, exclusive to) attributes; ``variables``: REST variable-filter field -> the row field
    it constrains and whether the variables are the instance's (any scope) or that scope's.
    """

    filter_type: type
    to_row: Callable[[Any], Row]
    pushdown: Mapping[str, str]
    sort: Mapping[str, str]  # REST field -> store sort field
    states: Mapping[str, str] = field(default_factory=dict)
    ranges: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    variables: Mapping[str, tuple[str, bool]] = field(default_factory=dict)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _process_definition(item: st.ProcessDefinition) -> Row:
    return {
        "processDefinitionKey": item.process_definition_key,
        "processDefinitionId": item.bpmn_process_id,
        "name": item.bpmn_process_id,
        "resourceName": item.resource_name,
        "version": item.version,
        "versionTag": item.version_tag,
        "tenantId": item.tenant_id,
    }


def _process_instance(item: st.ProcessInstance) -> Row:
    return {
        "processInstanceKey": item.process_instance_key,
        "processDefinitionKey": item.process_definition_key,
        "processDefinitionId": item.bpmn_process_id,
        "processDefinitionName": item.bpmn_process_id,
        "processDefinitionVersion": item.version,
        "startDate": item.start_date,
        "endDate": item.end_date,
        "state": _state(item.state),
        "hasIncident": item.has_incident,
        "tenantId": item.tenant_id,
        "parentProcessInstanceKey": item.parent_process_instance_key,
        "parentElementInstanceKey": item.parent_element_instance_key,
        "rootProcessInstanceKey": item.process_instance_key
        if item.parent_process_instance_key in (None, -1)
        else None,
    }


def _element_instance(item: st.ElementInstance) -> Row:
    return {
        "elementInstanceKey": item.element_instance_key,
        "processInstanceKey": item.process_instance_key,
        "processDefinitionKey": item.process_definition_key,
        "processDefinitionId": item.bpmn_process_id,
        "elementId": item.element_id,
        "elementName": item.element_id,
        "type": item.element_type,
        "state": _state(item.state),
        "hasIncident": item.has_incident,
        "tenantId": item.tenant_id,
        "startDate": item.start_date,
        "endDate": item.end_date,
        "rootProcessInstanceKey": item.process_instance_key,
    }


def _variable(item: st.Variable) -> Row:
    return {
        "variableKey": item.variable_key,
        "name": item.name,
        "value": item.value,
        "tenantId": item.tenant_id,
        "scopeKey": item.scope_key,
        "processInstanceKey": item.process_instance_key,
        "rootProcessInstanceKey": item.process_instance_key,
    }


def _incident(item: st.Incident) -> Row:
    return {
        "incidentKey": item.incident_key,
        "processDefinitionKey": item.process_definition_key,
        "processDefinitionId": item.bpmn_process_id,
        "processInstanceKey": item.process_instance_key,
        "errorType": item.error_type,
        "errorMessage": item.error_message,
        "elementId": item.element_id,
        "elementInstanceKey": item.element_instance_key,
        "creationTime": item.creation_time,
        "state": item.state,
        "tenantId": item.tenant_id,
        "jobKey": item.job_key if item.job_key and item.job_key > 0 else None,
        "rootProcessInstanceKey": item.process_instance_key,
    }


def _job(item: st.Job) -> Row:
    return {
        "jobKey": item.job_key,
        "type": item.type,
        "worker": item.worker,
        # Camunda's job states have no ACTIVATED: an activated job is still CREATED there
        "state": "CREATED" if item.state == "ACTIVATED" else item.state,
        "retries": item.retries,
        "errorCode": item.error_code,
        "errorMessage": item.error_message,
        "customHeaders": dict(item.custom_headers),
        "deadline": item.deadline if item.deadline and item.deadline > 0 else None,
        "creationTime": item.creation_time,
        "lastUpdateTime": item.last_update_time,
        "processDefinitionId": item.bpmn_process_id,
        "processDefinitionKey": item.process_definition_key,
        "processInstanceKey": item.process_instance_key,
        "elementId": item.element_id,
        "elementInstanceKey": item.element_instance_key,
        "tenantId": item.tenant_id,
        "rootProcessInstanceKey": item.process_instance_key,
    }


def _user_task(item: st.UserTask) -> Row:
    return {
        "userTaskKey": item.user_task_key,
        "name": item.name or item.element_id,
        "state": item.state,
        "assignee": item.assignee or None,
        "elementId": item.element_id,
        "elementInstanceKey": item.element_instance_key,
        "candidateGroups": list(item.candidate_groups),
        "candidateUsers": list(item.candidate_users),
        "processDefinitionId": item.bpmn_process_id,
        "processDefinitionKey": item.process_definition_key,
        "processDefinitionVersion": item.process_definition_version,
        "processInstanceKey": item.process_instance_key,
        "creationDate": item.creation_date,
        "completionDate": item.completion_date,
        "dueDate": item.due_date or None,
        "followUpDate": item.follow_up_date or None,
        "tenantId": item.tenant_id,
        "externalFormReference": item.external_form_reference or None,
        "customHeaders": dict(item.custom_headers),
        "priority": item.priority,
        "formKey": item.form_key if item.form_key and item.form_key > 0 else None,
        "rootProcessInstanceKey": item.process_instance_key,
    }


def _decision_definition(item: st.DecisionDefinition) -> Row:
    return {
        "decisionDefinitionKey": item.decision_key,
        "decisionDefinitionId": item.decision_id,
        "name": item.decision_name,
        "version": item.version,
        "decisionRequirementsId": item.decision_requirements_id,
        "decisionRequirementsKey": item.decision_requirements_key,
        "tenantId": item.tenant_id,
    }


def _same(*names: str) -> dict[str, str]:
    return {_camel(n): n for n in names}


ENTITIES: dict[str, Entity] = {
    "process_definitions": Entity(
        st.ProcessDefinitionFilter,
        _process_definition,
        {"processDefinitionKey": "process_definition_key",
         "processDefinitionId": "bpmn_process_id", "version": "version",
         "versionTag": "version_tag", "resourceName": "resource_name", "tenantId": "tenant_id",
         "isLatestVersion": "latest_only"},
        {"processDefinitionKey": "processDefinitionKey", "processDefinitionId": "bpmnProcessId",
         "version": "version", "resourceName": "resourceName"},
    ),
    "process_instances": Entity(
        st.ProcessInstanceFilter,
        _process_instance,
        {"processInstanceKey": "process_instance_key", "processDefinitionId": "bpmn_process_id",
         "processDefinitionVersion": "version", "processDefinitionKey": "process_definition_key",
         "parentProcessInstanceKey": "parent_process_instance_key",
         "parentElementInstanceKey": "parent_element_instance_key",
         "hasIncident": "has_incident", "tenantId": "tenant_id"},
        {"processInstanceKey": "processInstanceKey", "startDate": "startDate",
         "endDate": "endDate", "processDefinitionId": "bpmnProcessId", "state": "state"},
        states={"TERMINATED": "CANCELED"},
        ranges={"startDate": ("start_date_from", "start_date_to"),
                "endDate": ("end_date_from", "end_date_to")},
        variables={"variables": ("processInstanceKey", False)},
    ),
    "element_instances": Entity(
        st.ElementInstanceFilter,
        _element_instance,
        {"elementInstanceKey": "element_instance_key", "processInstanceKey": "process_instance_key",
         "processDefinitionKey": "process_definition_key", "processDefinitionId": "bpmn_process_id",
         "elementId": "element_id", "type": "element_type", "hasIncident": "has_incident",
         "tenantId": "tenant_id", "elementInstanceScopeKey": "flow_scope_key"},
        {"elementInstanceKey": "elementInstanceKey", "startDate": "startDate",
         "endDate": "endDate", "elementId": "elementId"},
    ),
    "variables": Entity(
        st.VariableFilter,
        _variable,
        {"variableKey": "variable_key", "name": "name", "value": "value",
         "scopeKey": "scope_key", "processInstanceKey": "process_instance_key",
         "tenantId": "tenant_id"},
        {"variableKey": "variableKey", "name": "name", "scopeKey": "scopeKey"},
    ),
    "incidents": Entity(
        st.IncidentFilter,
        _incident,
        {"incidentKey": "incident_key", "errorType": "error_type",
         "processDefinitionId": "bpmn_process_id", "processDefinitionKey": "process_definition_key",
         "processInstanceKey": "process_instance_key", "elementId": "element_id",
         "elementInstanceKey": "element_instance_key", "jobKey": "job_key", "state": "state",
         "tenantId": "tenant_id"},
        {"incidentKey": "incidentKey", "creationTime": "creationTime", "state": "state"},
        ranges={"creationTime": ("creation_time_from", "creation_time_to")},
    ),
    "jobs": Entity(
        st.JobFilter,
        _job,
        # no "state": an activated job is CREATED for Camunda's API, so the state is matched
        # on the mapped rows
        {"jobKey": "job_key", "type": "type", "worker": "worker",
         "elementId": "element_id", "elementInstanceKey": "element_instance_key",
         "processInstanceKey": "process_instance_key",
         "processDefinitionKey": "process_definition_key",
         "processDefinitionId": "bpmn_process_id", "tenantId": "tenant_id"},
        {"jobKey": "jobKey", "type": "type", "state": "state"},
    ),
    "user_tasks": Entity(
        st.UserTaskFilter,
        _user_task,
        {"userTaskKey": "user_task_key", "elementId": "element_id", "assignee": "assignee",
         "state": "state", "processInstanceKey": "process_instance_key",
         "elementInstanceKey": "element_instance_key",
         "processDefinitionKey": "process_definition_key",
         "processDefinitionId": "bpmn_process_id", "tenantId": "tenant_id",
         "candidateUser": "candidate_user", "candidateGroup": "candidate_group"},
        {"userTaskKey": "userTaskKey", "creationDate": "creationDate",
         "completionDate": "completionDate", "priority": "priority"},
        variables={"processInstanceVariables": ("processInstanceKey", False),
                   "localVariables": ("elementInstanceKey", True)},
    ),
    "decision_definitions": Entity(
        st.DecisionDefinitionFilter,
        _decision_definition,
        {"decisionDefinitionKey": "decision_key", "decisionDefinitionId": "decision_id",
         "name": "decision_name", "version": "version",
         "decisionRequirementsKey": "decision_requirements_key",
         "decisionRequirementsId": "decision_requirements_id", "tenantId": "tenant_id"},
        {"decisionDefinitionKey": "decisionKey", "decisionDefinitionId": "decisionId",
         "version": "version", "name": "decisionName"},
    ),
}  # fmt: skip


def _matches(value: Any, conditions: Mapping[str, Any]) -> bool:
    for operator, expected in conditions.items():
        if operator == "$eq" and value != expected:
            return False
        if operator == "$neq" and value == expected:
            return False
        if operator == "$in" and value not in expected:
            return False
        if operator == "$notIn" and value in expected:
            return False
        if operator == "$exists" and (value is not None) != bool(expected):
            return False
        if operator == "$like" and not (
            isinstance(value, str) and fnmatch.fnmatchcase(value, str(expected))
        ):
            return False
        if operator in ("$gt", "$gte", "$lt", "$lte"):
            if value is None:
                return False
            if operator == "$gt" and not value > expected:
                return False
            if operator == "$gte" and not value >= expected:
                return False
            if operator == "$lt" and not value < expected:
                return False
            if operator == "$lte" and not value <= expected:
                return False
        if operator == "$all":
            if isinstance(value, list) and expected and isinstance(expected[0], dict):
                return False  # variable conditions are matched by the caller
            if not isinstance(value, list) or not all(item in value for item in expected):
                return False
    return True


def _sort_key(field_name: str) -> Callable[[Row], tuple[bool, Any]]:
    def key(row: Row) -> tuple[bool, Any]:
        value = row.get(field_name)
        return (value is None, value if value is not None else 0)

    return key


MAX_SCAN = 100_000
"""Most matches a search that cannot be answered by the store alone looks at."""


def _range_params(entity: Entity, name: str, ops: Mapping[str, Any]) -> dict[str, int] | None:
    """Store range attributes for ``$gt``/``$gte``/``$lt``/``$lte`` on an instant field (ms
    integers, so ``> t`` is ``>= t + 1``); None when any operator has no store equivalent."""
    bounds = entity.ranges.get(name)
    if bounds is None or not ops or not set(ops) <= {"$gt", "$gte", "$lt", "$lte", "$eq"}:
        return None
    low, high = bounds
    params: dict[str, int] = {}
    for operator, value in ops.items():
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        if operator in ("$gte", "$eq"):
            params[low] = max(params.get(low, value), value)
        if operator == "$gt":
            params[low] = max(params.get(low, value + 1), value + 1)
        if operator in ("$lte", "$eq"):
            params[high] = min(params.get(high, value + 1), value + 1)
        if operator == "$lt":
            params[high] = min(params.get(high, value), value)
    return params


class ReadModel:
    """``EnginePort.query`` over a store with a read model."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def query(self, name: str, **params: Any) -> Any:
        """Answer one REST query (see ``cadenza.api.rest._queries``); ``UnsupportedQuery``
        for a filter or sort this read model cannot answer."""
        if name == "process_definition_xml":
            xml: str | None = self.store.process_definition_xml(params["key"])
            return xml
        if name == "user_task_form":
            return self._form(params["key"])
        entity = ENTITIES.get(name)
        if entity is None:
            raise UnsupportedQuery(f"there is no search for {name!r}")
        try:
            return self._search(entity, params)
        except st.InvalidQueryError as error:
            raise UnsupportedQuery(str(error)) from None

    def _search(self, entity: Entity, params: Mapping[str, Any]) -> dict[str, Any]:
        pushed: dict[str, Any] = {}
        rest: dict[str, Mapping[str, Any]] = {}
        keep: list[tuple[str, set[int]]] = []  # row field -> allowed keys (variable filters)
        for field_name, ops in dict(params.get("filter") or {}).items():
            target = entity.pushdown.get(field_name)
            ranges = _range_params(entity, field_name, ops)
            if target is not None and set(ops) == {"$eq"}:
                value = ops["$eq"]
                if field_name == "state":
                    value = entity.states.get(value, value)
                if target == "latest_only" and value is not True:
                    raise UnsupportedQuery(f"'filter.{field_name}' can only be true")
                pushed[target] = value
            elif ranges is not None:
                pushed.update(ranges)
            elif field_name in entity.variables:
                row_field, local = entity.variables[field_name]
                if ops.get("$all"):
                    keep.append((row_field, self._variable_matches(ops["$all"], local)))
            else:
                rest[field_name] = ops
        sort = [(str(f), str(d)) for f, d in params.get("sort") or ()]
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        store_filter = entity.filter_type(**pushed)
        if not rest and not keep and all(f in entity.sort for f, _ in sort):
            store_sort = [(entity.sort[f], d.lower()) for f, d in sort]
            result = self.store.search(st.Query(store_filter, store_sort, st.Page(offset, limit)))
            return {"items": [entity.to_row(i) for i in result.items], "total": result.total}
        rows = self._scan(entity, store_filter)
        known = set(rows[0]) if rows else None
        for field_name in [*rest, *(f for f, _ in sort)]:
            if known is not None and field_name not in known:
                raise UnsupportedQuery(f"'{field_name}' is not supported by this read model")
        rows = [r for r in rows if all(_matches(r.get(f), ops) for f, ops in rest.items())]
        rows = [r for r in rows if all(r.get(f) in keys for f, keys in keep)]
        for field_name, direction in reversed(sort):
            rows.sort(key=_sort_key(field_name), reverse=direction.upper() == "DESC")
        return {"items": rows[offset : offset + limit], "total": len(rows)}

    def _scan(self, entity: Entity, store_filter: Any) -> list[Row]:
        """Every match of ``store_filter``, page by page, up to ``MAX_SCAN``."""
        rows: list[Row] = []
        while True:
            page = st.Page(len(rows), st.MAX_PAGE_SIZE)
            result = self.store.search(st.Query(store_filter, (), page))
            if result.total > MAX_SCAN:
                raise UnsupportedQuery(
                    f"the search would look at {result.total} items, more than {MAX_SCAN}; "
                    "narrow the filter with equality conditions"
                )
            rows.extend(entity.to_row(i) for i in result.items)
            if not result.items or len(rows) >= result.total:
                return rows

    def _variable_matches(self, conditions: Any, local: bool) -> set[int]:
        """Keys (process instance, or scope when ``local``) having every ``{name, value}``
        variable; values compare as JSON text, as the store keeps them."""
        found: set[int] | None = None
        for condition in conditions:
            flt = st.VariableFilter(name=condition["name"], value=condition["value"])
            keys: set[int] = set()
            offset = 0
            while True:
                result = self.store.search(st.Query(flt, (), st.Page(offset, st.MAX_PAGE_SIZE)))
                keys.update(v.scope_key if local else v.process_instance_key for v in result.items)
                offset += len(result.items)
                if not result.items or offset >= result.total:
                    break
            found = keys if found is None else found & keys
        return found if found is not None else set()

    def _form(self, user_task_key: int) -> dict[str, Any] | None:
        tasks = self.store.search(
            st.Query(st.UserTaskFilter(user_task_key=user_task_key), (), st.Page(0, 1))
        )
        if not tasks.items or not tasks.items[0].form_key:
            return None
        form_key = tasks.items[0].form_key
        finder = getattr(self.store, "form", None)
        if finder is None:
            return None
        form = finder(form_key)
        if form is None:
            return None
        return {
            "formKey": form_key,
            "formId": form.get("formId"),
            "version": form.get("version", 1),
            "schema": form.get("resource") or json.dumps({}),
            "tenantId": form.get("tenantId", "<default>"),
        }


__all__ = ["ENTITIES", "ReadModel"]
