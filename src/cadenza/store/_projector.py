"""The read-model projector: EVENT records -> upsert rows of the query tables.

It runs inside the append transaction, so a search sees a change as soon as the command that
made it is answered. Each table has ONE upsert statement (``sql/projection.sql``) whose rows are
built here; the rows of one key within a batch are merged first, so a batch costs one
executemany per touched table with one row per changed read-model row. No statement reads another
table, so tables may be written in any order. Value field names are those of Zeebe's exported
record values. Events of value types or intents the read model does not show are ignored, and
a value missing a field gets a neutral default rather than failing the append: the read model
must never stop the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from cadenza.kernel._records import Record, RecordType, ValueType
from cadenza.store._codec import encode_json

Rows = dict[str, list[tuple[Any, ...]]]
# Rows while a batch is projected: the element and process-instance rows are lists, updated in
# place by the later events of their key.
_Building = dict[str, list[Any]]

# Element lifecycle -> read-model state; COMPLETING/TERMINATING keep the element ACTIVE.
_ELEMENT_STATES = {
    "ELEMENT_ACTIVATING": "ACTIVE",
    "ELEMENT_ACTIVATED": "ACTIVE",
    "ELEMENT_COMPLETED": "COMPLETED",
    "ELEMENT_TERMINATED": "TERMINATED",
}
_INSTANCE_STATES = {"ACTIVE": "ACTIVE", "COMPLETED": "COMPLETED", "TERMINATED": "CANCELED"}
# None: the event changes fields but not the state.
_JOB_STATES: dict[str, str | None] = {
    "CREATED": "CREATED",
    "COMPLETED": "COMPLETED",
    "FAILED": "FAILED",
    "TIMED_OUT": "TIMED_OUT",
    "RETRIES_UPDATED": "RETRIES_UPDATED",
    "CANCELED": "CANCELED",
    "ERROR_THROWN": "ERROR_THROWN",
    "TIMEOUT_UPDATED": None,
    "RECURRED_AFTER_BACKOFF": None,
}
_USER_TASK_STATES: dict[str, str | None] = {
    "CREATED": "CREATED",
    "ASSIGNED": None,
    "UPDATED": None,
    "COMPLETED": "COMPLETED",
    "CANCELED": "CANCELED",
}


_INT64 = range(-(2**63), 2**63)
_KEYS = 2**63  # keys are 0 <= key < 2**63


def _key(value: Mapping[str, Any], name: str) -> int | None:
    """A key field; Zeebe writes -1 for "none", the read model NULL."""
    key = value.get(name)
    return key if type(key) is int and 0 <= key < 2**63 else None


def _int(value: Mapping[str, Any], name: str) -> int | None:
    """A number field that the read model stores in a 64-bit column (None if it does not fit,
    so an odd value cannot fail the append)."""
    number = value.get(name)
    return number if type(number) is int and number in _INT64 else None


def _json(value: Any) -> str | None:
    """A nested value as JSON text; None (field absent) stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return encode_json(value)[0]


def _process(r: Record, rows: _Building) -> None:
    v = r.value
    rows["project_process_definition"].append(
        (
            v.get("processDefinitionKey", r.key),
            v.get("bpmnProcessId") or "",
            _int(v, "version") or 0,
            v.get("versionTag") or None,
            v.get("resourceName"),
            v.get("checksum"),
            v.get("resource"),
            v.get("tenantId"),
            r.timestamp,
        )
    )


def _decision_requirements(r: Record, rows: _Building) -> None:
    v = r.value
    rows["project_decision_requirements"].append(
        (
            v.get("decisionRequirementsKey", r.key),
            v.get("decisionRequirementsId") or "",
            v.get("decisionRequirementsName"),
            _int(v, "decisionRequirementsVersion") or 0,
            v.get("namespace"),
            v.get("resourceName"),
            v.get("checksum"),
            v.get("resource"),
            v.get("tenantId"),
            r.timestamp,
        )
    )


def _decision(r: Record, rows: _Building) -> None:
    v = r.value
    rows["project_decision_definition"].append(
        (
            v.get("decisionKey", r.key),
            v.get("decisionId") or "",
            v.get("decisionName"),
            _int(v, "version") or 0,
            v.get("decisionRequirementsId"),
            _key(v, "decisionRequirementsKey"),
            v.get("tenantId"),
            r.timestamp,
        )
    )


def _form(r: Record, rows: _Building) -> None:
    v = r.value
    rows["project_form"].append(
        (
            v.get("formKey", r.key),
            v.get("formId") or "",
            _int(v, "version") or 0,
            v.get("resourceName"),
            v.get("checksum"),
            _json(v.get("resource")),
            v.get("tenantId"),
            r.timestamp,
        )
    )


def _process_instance(r: Record, state: str, rows: _Building, seen: dict[int, list[Any]]) -> None:
    """Element and process-instance rows for an element lifecycle event that moves the element
    to read-model ``state``. An element's later events in the same batch only move its state
    and end date, so they update the row already built (``seen``: element instance key -> its
    element row, then its process-instance row if it is one) instead of building rows that
    ``_merge`` would fold away."""
    end = None if state == "ACTIVE" else r.timestamp
    built = seen.get(r.key)
    if built is not None:
        element = built[0]
        element[7] = state
        if end is not None:
            element[9] = end
        if len(built) > 1:
            instance = built[1]
            instance[4] = _INSTANCE_STATES[state]
            if end is not None:
                instance[6] = end
        return
    v = r.value
    element_type = v.get("bpmnElementType") or ""
    element = [
        r.key,
        v.get("processInstanceKey", -1),
        v.get("processDefinitionKey"),
        v.get("bpmnProcessId"),
        v.get("elementId") or "",
        element_type,
        _key(v, "flowScopeKey"),
        state,
        r.timestamp,
        end,
        v.get("tenantId"),
    ]
    rows["project_element_instance"].append(element)
    if element_type != "PROCESS":
        seen[r.key] = [element]
        return
    instance = [
        r.key,
        v.get("bpmnProcessId"),
        _int(v, "version"),
        v.get("processDefinitionKey"),
        _INSTANCE_STATES[state],
        r.timestamp,
        end,
        _key(v, "parentProcessInstanceKey"),
        _key(v, "parentElementInstanceKey"),
        v.get("tenantId"),
    ]
    rows["project_process_instance"].append(instance)
    seen[r.key] = [element, instance]


def _variable(r: Record, rows: _Building) -> None:
    if r.intent not in ("CREATED", "UPDATED"):
        return
    v = r.value
    rows["project_variable"].append(
        (
            r.key,
            v.get("name") or "",
            _json(v.get("value")) or "null",
            v.get("scopeKey", -1),
            v.get("processInstanceKey", -1),
            _key(v, "processDefinitionKey"),
            v.get("bpmnProcessId"),
            v.get("tenantId"),
        )
    )


def _incident(r: Record, rows: _Building) -> None:
    if r.intent == "CREATED":
        state, resolved = "ACTIVE", None
    elif r.intent == "RESOLVED":
        state, resolved = "RESOLVED", r.timestamp
    else:
        return
    v = r.value
    rows["project_incident"].append(
        (
            r.key,
            v.get("errorType"),
            v.get("errorMessage"),
            v.get("bpmnProcessId"),
            _key(v, "processDefinitionKey"),
            _key(v, "processInstanceKey"),
            v.get("elementId"),
            _key(v, "elementInstanceKey"),
            _key(v, "jobKey"),
            _key(v, "variableScopeKey"),
            state,
            r.timestamp,
            resolved,
            v.get("tenantId"),
        )
    )


def _job_row(key: int, v: Mapping[str, Any], state: str | None, timestamp: int) -> tuple[Any, ...]:
    # The busiest projection after the element lifecycle (about three rows per job), so the
    # checks of ``_int`` and ``_key`` are written out here rather than called.
    get = v.get
    retries = get("retries")
    backoff = get("retryBackoff")
    deadline = get("deadline")
    timeout = get("timeout")
    version = get("processDefinitionVersion")
    element_instance = get("elementInstanceKey")
    instance = get("processInstanceKey")
    definition = get("processDefinitionKey")
    headers = get("customHeaders")
    return (
        key,
        get("type"),
        get("worker"),
        state,
        retries if type(retries) is int and retries in _INT64 else None,
        backoff if type(backoff) is int and backoff in _INT64 else None,
        deadline if type(deadline) is int and deadline in _INT64 else None,
        timeout if type(timeout) is int and timeout in _INT64 else None,
        get("errorMessage"),
        get("errorCode"),
        "{}" if headers == {} else _json(headers),
        get("elementId"),
        element_instance
        if type(element_instance) is int and 0 <= element_instance < _KEYS
        else None,
        instance if type(instance) is int and 0 <= instance < _KEYS else None,
        definition if type(definition) is int and 0 <= definition < _KEYS else None,
        get("bpmnProcessId"),
        version if type(version) is int and version in _INT64 else None,
        get("tenantId"),
        timestamp,
        timestamp,
        state,
    )


def _job(r: Record, rows: _Building) -> None:
    if r.intent not in _JOB_STATES:
        return
    rows["project_job"].append(_job_row(r.key, r.value, _JOB_STATES[r.intent], r.timestamp))


def _job_batch(r: Record, rows: _Building) -> None:
    if r.intent != "ACTIVATED":
        return
    keys = r.value.get("jobKeys") or ()
    jobs = r.value.get("jobs") or ()
    out = rows["project_job"]
    for key, job in zip(keys, jobs, strict=False):
        out.append(_job_row(key, job, "ACTIVATED", r.timestamp))


def _user_task(r: Record, rows: _Building) -> None:
    if r.intent not in _USER_TASK_STATES:
        return
    state = _USER_TASK_STATES[r.intent]
    v = r.value
    rows["project_user_task"].append(
        (
            v.get("userTaskKey", r.key),
            v.get("elementId"),
            v.get("name"),
            v.get("assignee"),
            _json(v.get("candidateUsersList")),
            _json(v.get("candidateGroupsList")),
            state,
            v.get("dueDate"),
            v.get("followUpDate"),
            _key(v, "formKey"),
            v.get("externalFormReference"),
            _int(v, "priority"),
            _json(v.get("customHeaders")),
            _key(v, "elementInstanceKey"),
            _key(v, "processInstanceKey"),
            _key(v, "processDefinitionKey"),
            v.get("bpmnProcessId"),
            _int(v, "processDefinitionVersion"),
            v.get("tenantId"),
            r.timestamp,
            r.timestamp if state in ("COMPLETED", "CANCELED") else None,
            state,
        )
    )


def _decision_evaluation(r: Record, rows: _Building) -> None:
    if r.intent not in ("EVALUATED", "FAILED"):
        return
    v = r.value
    rows["project_decision_instance"].append(
        (
            r.key,
            r.intent,
            r.timestamp,
            _key(v, "decisionKey"),
            v.get("decisionId"),
            v.get("decisionName"),
            _int(v, "decisionVersion"),
            _key(v, "decisionRequirementsKey"),
            _json(v.get("decisionOutput")),
            _json(v.get("evaluatedDecisions")),
            v.get("evaluationFailureMessage") or None,
            v.get("failedDecisionId") or None,
            _key(v, "processInstanceKey"),
            _key(v, "elementInstanceKey"),
            v.get("elementId") or None,
            _key(v, "processDefinitionKey"),
            v.get("bpmnProcessId") or None,
            v.get("tenantId"),
        )
    )


def _created_only(
    project: Callable[[Record, _Building], None],
) -> Callable[[Record, _Building], None]:
    def created(r: Record, rows: _Building) -> None:
        if r.intent == "CREATED":
            project(r, rows)

    return created


_PROJECTIONS: dict[ValueType, Callable[[Record, _Building], None]] = {
    ValueType.PROCESS: _created_only(_process),
    ValueType.DECISION: _created_only(_decision),
    ValueType.DECISION_REQUIREMENTS: _created_only(_decision_requirements),
    ValueType.FORM: _created_only(_form),
    ValueType.VARIABLE: _variable,
    ValueType.INCIDENT: _incident,
    ValueType.JOB: _job,
    ValueType.JOB_BATCH: _job_batch,
    ValueType.USER_TASK: _user_task,
    ValueType.DECISION_EVALUATION: _decision_evaluation,
}

# The statements the projector may emit, in the order the store runs them, with the row
# indexes their ON CONFLICT clause updates (None: DO NOTHING). Rows of one key within a batch
# merge into one before they are written: the first row, with each updated column taking the
# last non-NULL value, which is what running the upserts one by one gives (the columns
# overwritten without COALESCE are never NULL). A test checks these against projection.sql.
MUTABLE_COLUMNS: dict[str, tuple[int, ...] | None] = {
    "project_process_definition": None,
    "project_decision_requirements": None,
    "project_decision_definition": None,
    "project_form": None,
    "project_process_instance": (4, 6),  # state, end_date
    "project_element_instance": (7, 9),  # state, end_date
    "project_variable": (2,),  # value
    "project_incident": (10, 12),  # state, resolution_time
    # worker, state, retries, retry_backoff, deadline, timeout, error_message, error_code,
    # last_update_time and the trailing "state changes" parameter
    "project_job": (2, 3, 4, 5, 6, 7, 8, 9, 19, 20),
    # name, assignee, candidate_users, candidate_groups, state, due_date, follow_up_date,
    # priority, completion_date and the trailing "state changes" parameter
    "project_user_task": (2, 3, 4, 5, 6, 7, 8, 11, 20, 21),
    "project_decision_instance": None,
}
PROJECTION_STATEMENTS = tuple(MUTABLE_COLUMNS)
# Statements whose rows ``_process_instance`` merges as it builds them (lists, one per key).
_MERGED_WHILE_BUILT = frozenset({"project_element_instance", "project_process_instance"})


def _merge(rows: list[tuple[Any, ...]], mutable: tuple[int, ...] | None) -> list[tuple[Any, ...]]:
    """One row per key (column 0): a batch then costs one statement per row it changes."""
    merged: dict[Any, tuple[Any, ...]] = {}
    changed: dict[Any, list[Any]] = {}
    for row in rows:
        key = row[0]
        if key not in merged:
            merged[key] = row
        elif mutable is not None:
            current = changed.get(key)
            if current is None:
                current = changed[key] = list(merged[key])
            for index in mutable:
                value = row[index]
                if value is not None:
                    current[index] = value
    for key, current in changed.items():
        merged[key] = tuple(current)
    return list(merged.values())


def project(records: Iterable[Record]) -> Rows:
    """The upsert rows, by statement name, that bring the read model up to ``records``."""
    rows: _Building = {name: [] for name in PROJECTION_STATEMENTS}
    projections = _PROJECTIONS
    event = RecordType.EVENT
    process_instance = ValueType.PROCESS_INSTANCE
    element_states = _ELEMENT_STATES
    seen: dict[int, list[Any]] = {}
    for r in records:
        if r.record_type is not event:
            continue
        # Most events of a batch are element lifecycle events, half of them (COMPLETING,
        # SEQUENCE_FLOW_TAKEN, ...) not shown: no call for those, no generic merge for the rest.
        if r.value_type is process_instance:
            state = element_states.get(r.intent)
            if state is not None:
                _process_instance(r, state, rows, seen)
            continue
        projection = projections.get(r.value_type)
        if projection is not None:
            projection(r, rows)
    for name, mutable in MUTABLE_COLUMNS.items():
        if name in _MERGED_WHILE_BUILT:
            rows[name] = [tuple(row) for row in rows[name]]
        elif len(rows[name]) > 1:
            rows[name] = _merge(rows[name], mutable)
    return rows
