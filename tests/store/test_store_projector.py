"""The projector: each value type and intent lands in the read model as Zeebe's exporters
would show it, in the append transaction."""

from __future__ import annotations

import re

import pytest
from store_records import (
    PROCESS_KEY,
    element_value,
    event,
    incident_value,
    job_value,
    numbered,
    user_task_value,
)

from cadenza.kernel._records import Record, RecordType, ValueType
from cadenza.store import (
    DecisionDefinitionFilter,
    DecisionInstanceFilter,
    DecisionRequirementsFilter,
    ElementInstanceFilter,
    IncidentFilter,
    JobFilter,
    PositionConflictError,
    ProcessDefinitionFilter,
    ProcessInstanceFilter,
    Query,
    SqliteStore,
    SqlStore,
    UserTaskFilter,
    VariableFilter,
)
from cadenza.store._projector import MUTABLE_COLUMNS
from cadenza.store._sql import Dialect, load_queries

PI = ValueType.PROCESS_INSTANCE
INSTANCE = 100
TASK = 103


class Log:
    """Appends records to a store with consecutive positions, one batch per call."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.position = 0

    def append(self, *records: Record) -> None:
        self.store.append(1, numbered(list(records), start=self.position + 1))
        self.position += len(records)


@pytest.fixture
def log(store: SqlStore) -> Log:
    return Log(store)


def _instance_started(log: Log, ts: int = 1000) -> None:
    process = element_value(INSTANCE, "order", "PROCESS")
    task = element_value(INSTANCE, "task", "SERVICE_TASK", scope=INSTANCE)
    log.append(
        event(PI, "ELEMENT_ACTIVATING", INSTANCE, process, ts),
        event(PI, "ELEMENT_ACTIVATED", INSTANCE, process, ts),
        event(PI, "ELEMENT_ACTIVATING", TASK, task, ts + 1),
        event(PI, "ELEMENT_ACTIVATED", TASK, task, ts + 1),
    )


def test_process_definitions_from_process_created(log: Log) -> None:
    def process(key: int, process_id: str, version: int) -> Record:
        value = {
            "bpmnProcessId": process_id,
            "version": version,
            "processDefinitionKey": key,
            "resourceName": f"{process_id}.bpmn",
            "checksum": "abc",
            "resource": f"<definitions id='{process_id}-{version}'/>",
            "versionTag": "v-tag" if version == 2 else "",
            "tenantId": "<default>",
            "duplicate": False,
        }
        return event(ValueType.PROCESS, "CREATED", key, value, 500 + version)

    log.append(process(11, "order", 1), process(12, "order", 2), process(13, "refund", 1))
    log.append(process(11, "order", 1))  # a duplicate deployment event changes nothing
    found = log.store.search(Query(ProcessDefinitionFilter(bpmn_process_id="order")))
    assert [(d.process_definition_key, d.version) for d in found.items] == [(11, 1), (12, 2)]
    assert found.items[1].version_tag == "v-tag" and found.items[0].version_tag is None
    assert found.items[0].resource_name == "order.bpmn" and found.items[0].deployment_time == 501
    latest = log.store.search(Query(ProcessDefinitionFilter(latest_only=True)))
    assert sorted(d.process_definition_key for d in latest.items) == [12, 13]
    assert log.store.process_definition_xml(12) == "<definitions id='order-2'/>"
    assert log.store.process_definition_xml(99) is None


def test_process_instance_lifecycle_to_completed(log: Log) -> None:
    _instance_started(log, ts=1000)
    found = log.store.search(Query(ProcessInstanceFilter(process_instance_key=INSTANCE)))
    assert found.total == 1
    instance = found.items[0]
    assert (instance.state, instance.start_date, instance.end_date) == ("ACTIVE", 1000, None)
    assert instance.bpmn_process_id == "order" and instance.version == 1
    assert instance.process_definition_key == PROCESS_KEY + 1
    assert instance.parent_process_instance_key is None and not instance.has_incident

    process = element_value(INSTANCE, "order", "PROCESS")
    task = element_value(INSTANCE, "task", "SERVICE_TASK", scope=INSTANCE)
    flow = element_value(INSTANCE, "to-end", "SEQUENCE_FLOW", scope=INSTANCE)
    log.append(
        event(PI, "ELEMENT_COMPLETING", TASK, task, 2000),
        event(PI, "ELEMENT_COMPLETED", TASK, task, 2001),
        event(PI, "SEQUENCE_FLOW_TAKEN", 104, flow, 2002),
        event(PI, "ELEMENT_COMPLETING", INSTANCE, process, 2003),
    )
    assert log.store.search(Query(ProcessInstanceFilter())).items[0].state == "ACTIVE"
    log.append(event(PI, "ELEMENT_COMPLETED", INSTANCE, process, 3000))
    instance = log.store.search(Query(ProcessInstanceFilter())).items[0]
    assert (instance.state, instance.start_date, instance.end_date) == ("COMPLETED", 1000, 3000)

    elements = log.store.search(Query(ElementInstanceFilter(process_instance_key=INSTANCE)))
    assert [(e.element_id, e.element_type, e.state, e.end_date) for e in elements.items] == [
        ("order", "PROCESS", "COMPLETED", 3000),
        ("task", "SERVICE_TASK", "COMPLETED", 2001),
    ]  # the taken sequence flow is not an element instance
    assert elements.items[1].flow_scope_key == INSTANCE and elements.items[0].flow_scope_key is None


def test_terminated_instance_is_canceled_and_its_elements_terminated(log: Log) -> None:
    _instance_started(log)
    process = element_value(INSTANCE, "order", "PROCESS")
    task = element_value(INSTANCE, "task", "SERVICE_TASK", scope=INSTANCE)
    log.append(
        Record(INSTANCE, RecordType.COMMAND, PI, "CANCEL", {}, 4000),
        event(PI, "ELEMENT_TERMINATING", INSTANCE, process, 4000),
        event(PI, "ELEMENT_TERMINATING", TASK, task, 4000),
        event(PI, "ELEMENT_TERMINATED", TASK, task, 4001),
        event(PI, "ELEMENT_TERMINATED", INSTANCE, process, 4002),
    )
    instance = log.store.search(Query(ProcessInstanceFilter())).items[0]
    assert (instance.state, instance.end_date) == ("CANCELED", 4002)
    task_row = log.store.search(Query(ElementInstanceFilter(element_id="task"))).items[0]
    assert (task_row.state, task_row.end_date) == ("TERMINATED", 4001)


def test_child_instance_of_a_call_activity_knows_its_parent(log: Log) -> None:
    child = element_value(200, "child", "PROCESS", process_id="child", parent_instance=INSTANCE)
    child["parentElementInstanceKey"] = TASK
    log.append(event(PI, "ELEMENT_ACTIVATING", 200, child, 5000))
    found = log.store.search(Query(ProcessInstanceFilter(parent_process_instance_key=INSTANCE)))
    assert [(i.process_instance_key, i.parent_element_instance_key) for i in found.items] == [
        (200, TASK)
    ]


def test_variables_created_then_updated(log: Log) -> None:
    def variable(intent: str, key: int, name: str, value: str, scope: int) -> Record:
        fields = {
            "name": name,
            "value": value,
            "scopeKey": scope,
            "processInstanceKey": INSTANCE,
            "processDefinitionKey": PROCESS_KEY + 1,
            "bpmnProcessId": "order",
            "tenantId": "<default>",
        }
        return event(ValueType.VARIABLE, intent, key, fields)

    log.append(
        variable("CREATED", 301, "order", '{"id":1}', INSTANCE),
        variable("CREATED", 302, "local", '"x"', TASK),
        variable("UPDATED", 301, "order", '{"id":2}', INSTANCE),
    )
    found = log.store.search(Query(VariableFilter(process_instance_key=INSTANCE)))
    assert [(v.variable_key, v.name, v.value, v.scope_key) for v in found.items] == [
        (301, "order", '{"id":2}', INSTANCE),
        (302, "local", '"x"', TASK),
    ]
    by_value = log.store.search(Query(VariableFilter(value='"x"')))
    assert [v.name for v in by_value.items] == ["local"]


def test_incident_created_then_resolved_drives_the_incident_flags(log: Log) -> None:
    _instance_started(log)
    log.append(event(ValueType.INCIDENT, "CREATED", 400, incident_value(INSTANCE, TASK), 6000))
    incident = log.store.search(Query(IncidentFilter(process_instance_key=INSTANCE))).items[0]
    assert (incident.state, incident.creation_time, incident.resolution_time) == (
        "ACTIVE",
        6000,
        None,
    )
    assert incident.error_type == "JOB_NO_RETRIES" and incident.job_key is None
    assert log.store.search(Query(ProcessInstanceFilter())).items[0].has_incident
    flagged = log.store.search(Query(ElementInstanceFilter(has_incident=True)))
    assert [e.element_instance_key for e in flagged.items] == [TASK]

    resolved = incident_value(INSTANCE, TASK)
    log.append(event(ValueType.INCIDENT, "RESOLVED", 400, resolved, 7000))
    incident = log.store.search(Query(IncidentFilter(incident_key=400))).items[0]
    assert (incident.state, incident.creation_time, incident.resolution_time) == (
        "RESOLVED",
        6000,
        7000,
    )
    assert not log.store.search(Query(ProcessInstanceFilter())).items[0].has_incident
    assert log.store.search(Query(ElementInstanceFilter(has_incident=True))).total == 0


JOB = 500


@pytest.mark.parametrize(
    ("intent", "changes", "expected_state", "field", "expected"),
    [
        ("COMPLETED", {"worker": "w1"}, "COMPLETED", "worker", "w1"),
        ("FAILED", {"retries": 2, "errorMessage": "boom"}, "FAILED", "error_message", "boom"),
        ("TIMED_OUT", {}, "TIMED_OUT", "retries", 3),
        ("RETRIES_UPDATED", {"retries": 5}, "RETRIES_UPDATED", "retries", 5),
        ("CANCELED", {}, "CANCELED", "retries", 3),
        ("ERROR_THROWN", {"errorCode": "NOPE"}, "ERROR_THROWN", "error_code", "NOPE"),
        ("TIMEOUT_UPDATED", {"deadline": 99_000}, "ACTIVATED", "deadline", 99_000),
        ("RECURRED_AFTER_BACKOFF", {"retries": 1}, "ACTIVATED", "retries", 1),
    ],
)
def test_job_events(
    log: Log,
    intent: str,
    changes: dict[str, object],
    expected_state: str,
    field: str,
    expected: object,
) -> None:
    log.append(event(ValueType.JOB, "CREATED", JOB, job_value(INSTANCE, TASK), 1000))
    job = log.store.search(Query(JobFilter(job_key=JOB))).items[0]
    assert (job.state, job.worker, job.deadline, job.retries) == ("CREATED", None, None, 3)
    assert job.custom_headers == {"region": "eu"} and job.type == "charge"
    activated = job_value(INSTANCE, TASK, worker="w1", deadline=60_000)
    batch = {"type": "charge", "worker": "w1", "jobKeys": [JOB], "jobs": [activated]}
    log.append(event(ValueType.JOB_BATCH, "ACTIVATED", 9, batch, 2000))
    job = log.store.search(Query(JobFilter(job_key=JOB))).items[0]
    assert (job.state, job.worker, job.deadline) == ("ACTIVATED", "w1", 60_000)

    log.append(event(ValueType.JOB, intent, JOB, job_value(INSTANCE, TASK, **changes), 3000))
    job = log.store.search(Query(JobFilter(job_key=JOB))).items[0]
    assert job.state == expected_state
    assert getattr(job, field) == expected
    assert (job.creation_time, job.last_update_time) == (1000, 3000)


def test_user_task_lifecycle(log: Log) -> None:
    key = 601
    log.append(event(ValueType.USER_TASK, "CREATED", key, user_task_value(key, INSTANCE), 1000))
    task = log.store.search(Query(UserTaskFilter(user_task_key=key))).items[0]
    assert (task.state, task.assignee, task.creation_date, task.completion_date) == (
        "CREATED",
        None,
        1000,
        None,
    )
    assert task.candidate_users == ("ann", "bob") and task.candidate_groups == ("sales",)
    assert (task.priority, task.form_key, task.due_date) == (50, None, None)

    assigned = user_task_value(key, INSTANCE, assignee="ann")
    updated = user_task_value(
        key, INSTANCE, assignee="ann", candidateGroupsList=["ops"], dueDate="2026-12-01T10:00Z"
    )
    log.append(
        event(ValueType.USER_TASK, "ASSIGNED", key, assigned, 2000),
        event(ValueType.USER_TASK, "UPDATED", key, updated, 2001),
    )
    task = log.store.search(Query(UserTaskFilter(assignee="ann"))).items[0]
    assert (task.state, task.candidate_groups, task.due_date) == (
        "CREATED",
        ("ops",),
        "2026-12-01T10:00Z",
    )
    unassigned = user_task_value(key, INSTANCE, assignee="")
    log.append(event(ValueType.USER_TASK, "ASSIGNED", key, unassigned, 2500))
    assert log.store.search(Query(UserTaskFilter(user_task_key=key))).items[0].assignee is None

    log.append(event(ValueType.USER_TASK, "COMPLETED", key, unassigned, 3000))
    task = log.store.search(Query(UserTaskFilter(user_task_key=key))).items[0]
    assert (task.state, task.completion_date) == ("COMPLETED", 3000)


def test_user_task_canceled(log: Log) -> None:
    log.append(
        event(ValueType.USER_TASK, "CREATED", 7, user_task_value(7, INSTANCE), 1000),
        event(ValueType.USER_TASK, "CANCELED", 7, user_task_value(7, INSTANCE), 1500),
    )
    task = log.store.search(Query(UserTaskFilter())).items[0]
    assert (task.state, task.completion_date) == ("CANCELED", 1500)


def test_decisions_and_their_evaluations(log: Log) -> None:
    drg = {
        "decisionRequirementsId": "pricing",
        "decisionRequirementsName": "Pricing",
        "decisionRequirementsVersion": 1,
        "decisionRequirementsKey": 800,
        "namespace": "http://example.com/dmn",
        "resourceName": "pricing.dmn",
        "resource": "<definitions id='pricing'/>",
        "checksum": "c",
        "tenantId": "<default>",
    }
    decision = {
        "decisionId": "discount",
        "decisionName": "Discount",
        "version": 1,
        "decisionKey": 801,
        "decisionRequirementsId": "pricing",
        "decisionRequirementsKey": 800,
        "tenantId": "<default>",
    }
    evaluation = {
        "decisionKey": 801,
        "decisionId": "discount",
        "decisionName": "Discount",
        "decisionVersion": 1,
        "decisionRequirementsId": "pricing",
        "decisionRequirementsKey": 800,
        "decisionOutput": '{"rate":0.1}',
        "bpmnProcessId": "order",
        "processDefinitionKey": PROCESS_KEY + 1,
        "processInstanceKey": INSTANCE,
        "elementId": "decide",
        "elementInstanceKey": 105,
        "evaluatedDecisions": [{"decisionId": "discount", "decisionOutput": '{"rate":0.1}'}],
        "evaluationFailureMessage": "",
        "failedDecisionId": "",
        "tenantId": "<default>",
    }
    failed = dict(
        evaluation,
        decisionOutput="null",
        evaluationFailureMessage="no rule matched",
        failedDecisionId="discount",
        processInstanceKey=-1,
        elementInstanceKey=-1,
    )
    log.append(
        event(ValueType.DECISION_REQUIREMENTS, "CREATED", 800, drg, 100),
        event(ValueType.DECISION, "CREATED", 801, decision, 100),
        event(ValueType.DECISION_EVALUATION, "EVALUATED", 802, evaluation, 200),
        event(ValueType.DECISION_EVALUATION, "FAILED", 803, failed, 300),
    )
    store = log.store
    requirements = store.search(Query(DecisionRequirementsFilter())).items
    assert [(r.decision_requirements_id, r.namespace, r.version) for r in requirements] == [
        ("pricing", "http://example.com/dmn", 1)
    ]
    assert store.decision_requirements_xml(800) == "<definitions id='pricing'/>"
    definitions = store.search(Query(DecisionDefinitionFilter(decision_requirements_key=800)))
    assert [(d.decision_key, d.decision_id, d.decision_name) for d in definitions.items] == [
        (801, "discount", "Discount")
    ]
    instances = store.search(Query(DecisionInstanceFilter(decision_key=801))).items
    assert [(i.state, i.decision_output, i.process_instance_key) for i in instances] == [
        ("EVALUATED", '{"rate":0.1}', INSTANCE),
        ("FAILED", "null", None),
    ]
    assert instances[0].evaluated_decisions == (
        {"decisionId": "discount", "decisionOutput": '{"rate":0.1}'},
    )
    assert instances[1].evaluation_failure_message == "no rule matched"
    assert instances[0].evaluation_failure_message is None


def test_commands_rejections_and_unknown_value_types_are_not_projected(log: Log) -> None:
    process = element_value(INSTANCE, "order", "PROCESS")
    log.append(
        Record(INSTANCE, RecordType.COMMAND, PI, "ACTIVATE_ELEMENT", process, 1000),
        Record(INSTANCE, RecordType.COMMAND_REJECTION, PI, "ACTIVATE_ELEMENT", process, 1000),
        event(ValueType.TIMER, "CREATED", 900, {"dueDate": 5, "targetElementId": "t"}),
        event(ValueType.MESSAGE, "PUBLISHED", 901, {"name": "m", "correlationKey": "k"}),
        event(ValueType.JOB, "SOME_FUTURE_INTENT", 902, job_value(INSTANCE, TASK)),
        event(ValueType.CLOCK, "PINNED", 903, {}),
    )
    assert log.position == 6
    for flt in (ProcessInstanceFilter(), ElementInstanceFilter(), JobFilter()):
        assert log.store.search(Query(flt)).total == 0


def test_a_refused_append_projects_nothing(log: Log) -> None:
    _instance_started(log)
    process = element_value(INSTANCE, "order", "PROCESS")
    with pytest.raises(PositionConflictError):
        log.store.append(1, numbered([event(PI, "ELEMENT_COMPLETED", INSTANCE, process)], 2))
    assert log.store.search(Query(ProcessInstanceFilter())).items[0].state == "ACTIVE"


def test_one_batch_projects_like_one_append_per_record(store: SqlStore) -> None:
    def lifecycle() -> list[Record]:
        process = element_value(INSTANCE, "order", "PROCESS")
        task = element_value(INSTANCE, "task", "SERVICE_TASK", scope=INSTANCE)
        return [
            event(PI, "ELEMENT_ACTIVATING", INSTANCE, process, 1),
            event(PI, "ELEMENT_ACTIVATING", TASK, task, 2),
            event(ValueType.JOB, "CREATED", JOB, job_value(INSTANCE, TASK), 3),
            event(ValueType.JOB, "FAILED", JOB, job_value(INSTANCE, TASK, retries=0), 4),
            event(ValueType.INCIDENT, "CREATED", 400, incident_value(INSTANCE, TASK), 5),
            event(ValueType.JOB, "RETRIES_UPDATED", JOB, job_value(INSTANCE, TASK), 6),
            event(ValueType.INCIDENT, "RESOLVED", 400, incident_value(INSTANCE, TASK), 7),
            event(ValueType.JOB, "COMPLETED", JOB, job_value(INSTANCE, TASK), 8),
            event(PI, "ELEMENT_COMPLETED", TASK, task, 9),
            event(PI, "ELEMENT_COMPLETED", INSTANCE, process, 10),
        ]

    store.append(1, numbered(lifecycle()))
    # The same records one append at a time, in a second (in-memory SQLite) database.
    other = SqliteStore(":memory:")
    try:
        log = Log(other)
        for record in lifecycle():
            log.append(record)
        filters = (ProcessInstanceFilter(), ElementInstanceFilter(), JobFilter(), IncidentFilter())
        for flt in filters:
            assert other.search(Query(flt)) == store.search(Query(flt))
    finally:
        other.close()
    job = store.search(Query(JobFilter())).items[0]
    assert (job.state, job.retries, job.last_update_time) == ("COMPLETED", 3, 8)
    instance = store.search(Query(ProcessInstanceFilter())).items[0]
    assert (instance.state, instance.has_incident) == ("COMPLETED", False)


def test_odd_values_cannot_fail_the_append(log: Log) -> None:
    odd = job_value(INSTANCE, 2**70, retries=2**64, deadline="soon", customHeaders=None)
    del odd["type"]
    log.append(
        event(ValueType.JOB, "CREATED", JOB, odd),
        event(ValueType.VARIABLE, "CREATED", 301, {"value": {"not": "text"}}),
    )
    job = log.store.search(Query(JobFilter())).items[0]
    assert (job.retries, job.deadline, job.element_instance_key, job.type) == (
        None,
        None,
        None,
        None,
    )
    assert job.custom_headers == {}
    variable = log.store.search(Query(VariableFilter())).items[0]
    assert (variable.name, variable.value, variable.scope_key) == ("", '{"not":"text"}', -1)
    assert log.store.last_position(1) == 2


def test_rebuilding_the_read_model_from_the_log_gives_the_same_answers(log: Log) -> None:
    _instance_started(log)
    log.append(event(ValueType.INCIDENT, "CREATED", 400, incident_value(INSTANCE, TASK), 6000))
    log.append(event(ValueType.JOB, "CREATED", JOB, job_value(INSTANCE, TASK), 1000))
    log.append(event(ValueType.USER_TASK, "CREATED", 7, user_task_value(7, INSTANCE), 1000))
    log.append(event(ValueType.INCIDENT, "RESOLVED", 400, incident_value(INSTANCE, TASK), 7000))
    filters = (
        ProcessInstanceFilter(),
        ElementInstanceFilter(),
        IncidentFilter(),
        JobFilter(),
        UserTaskFilter(),
    )
    before = [log.store.search(Query(flt)) for flt in filters]
    assert all(result.total > 0 for result in before)
    with log.store._transaction() as cursor:  # lose part of the read model
        cursor.execute(log.store._queries["clear_process_instances"])
        cursor.execute(log.store._queries["clear_jobs"])
    assert log.store.search(Query(JobFilter())).total == 0
    assert log.store.rebuild_read_model() == log.position
    assert [log.store.search(Query(flt)) for flt in filters] == before


def test_merge_columns_match_the_upserts_in_projection_sql() -> None:
    queries = load_queries(Dialect.SQLITE)
    for name, mutable in MUTABLE_COLUMNS.items():
        sql = queries[name]
        insert = re.search(r"INSERT INTO \w+ \(([^)]*)\)", sql)
        assert insert is not None, name
        columns = [c.strip() for c in insert.group(1).split(",")]
        head, _, update = sql.partition("DO UPDATE SET")
        assert head.count("?") == len(columns), name
        if mutable is None:
            assert "DO NOTHING" in sql, name
            continue
        updated = [columns.index(c) for c in re.findall(r"(\w+) = ", update)]
        extra = [len(columns)] if "?" in update else []
        assert sorted(updated + extra) == list(mutable), name


def test_forms_from_form_created(log: Log) -> None:
    form = {
        "formId": "review-form",
        "version": 2,
        "formKey": 950,
        "resourceName": "review.form",
        "checksum": "f",
        "resource": '{"components":[]}',
        "tenantId": "<default>",
    }
    log.append(event(ValueType.FORM, "CREATED", 950, form, 100))
    assert log.store.form(950) == form
    assert log.store.form(951) is None


def test_element_statistics_count_states_per_element(log: Log) -> None:
    for instance in (100, 200, 300):
        process = element_value(instance, "order", "PROCESS")
        task = element_value(instance, "task", "SERVICE_TASK", scope=instance)
        log.append(
            event(PI, "ELEMENT_ACTIVATING", instance, process),
            event(
                PI,
                "ELEMENT_ACTIVATING",
                instance + 1,
                element_value(instance, "start", "START_EVENT", scope=instance),
            ),
            event(
                PI,
                "ELEMENT_COMPLETED",
                instance + 1,
                element_value(instance, "start", "START_EVENT", scope=instance),
            ),
            event(PI, "ELEMENT_ACTIVATING", instance + 2, task),
        )
    task = element_value(300, "task", "SERVICE_TASK", scope=300)
    log.append(
        event(ValueType.INCIDENT, "CREATED", 400, incident_value(200, 202)),
        event(PI, "ELEMENT_TERMINATED", 302, task),
    )
    other_version = element_value(500, "order", "PROCESS", version=2)
    log.append(event(PI, "ELEMENT_ACTIVATING", 500, other_version))
    stats = log.store.element_statistics(PROCESS_KEY + 1)
    assert [(s.element_id, s.active, s.incidents, s.completed, s.terminated) for s in stats] == [
        ("start", 0, 0, 3, 0),
        ("task", 1, 1, 0, 1),
    ]
    assert log.store.element_statistics(PROCESS_KEY + 2) == ()
