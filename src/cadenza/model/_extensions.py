"""Readers for the ``zeebe:`` extension elements Camunda Modeler writes under
``bpmn:extensionElements``: each returns model values and reports what is wrong."""

from __future__ import annotations

from cadenza.model._elements import (
    CalledDecision,
    CalledElement,
    Expression,
    JobDefinition,
    Mapping_,
    MultiInstance,
    Script,
    UserTaskDefinition,
)
from cadenza.model._report import Reporter
from cadenza.model._timers import TimerFormatError, parse_date
from cadenza.model._xml import Node, bpmn, child_named, children_named, text_of, zeebe

DEFAULT_RETRIES = "3"
USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask"
# Zeebe gives job-based user tasks a single retry: a person, not a worker, completes them.
USER_TASK_JOB_RETRIES = "1"
_BINDINGS = frozenset({"latest", "deployment", "versionTag"})
# Extension elements that change execution but that Cadenza does not run yet; ignoring them
# silently would run the model differently from Zeebe, so they are refused.
_UNSUPPORTED = {
    "executionListeners": "execution listeners (zeebe:executionListeners)",
    "taskListeners": "task listeners (zeebe:taskListeners)",
    "adHoc": "ad-hoc subprocess settings (zeebe:adHoc)",
}


def extension(node: Node, local: str) -> Node | None:
    """The ``zeebe:<local>`` element inside ``node``'s ``bpmn:extensionElements``."""
    container = child_named(node, bpmn("extensionElements"))
    return None if container is None else child_named(container, zeebe(local))


def report_unsupported_extensions(report: Reporter, node: Node, element_id: str) -> None:
    """Refuse extension elements whose behaviour Cadenza does not implement."""
    for local, what in _UNSUPPORTED.items():
        found = extension(node, local)
        if found is not None and len(found):
            report.add(found, element_id, f"{what} are not supported.")


def io_mappings(
    report: Reporter, node: Node, element_id: str
) -> tuple[tuple[Mapping_, ...], tuple[Mapping_, ...]]:
    """``zeebe:ioMapping``: input mappings (static or FEEL sources) and output mappings (FEEL)."""
    mapping = extension(node, "ioMapping")
    if mapping is None:
        return (), ()
    inputs = tuple(
        _mapping(report, item, element_id, "input", feel_only=False)
        for item in children_named(mapping, zeebe("input"))
    )
    outputs = tuple(
        _mapping(report, item, element_id, "output", feel_only=True)
        for item in children_named(mapping, zeebe("output"))
    )
    return inputs, outputs


def _mapping(
    report: Reporter, item: Node, element_id: str, direction: str, *, feel_only: bool
) -> Mapping_:
    target = item.get("target", "")
    report.path(item, element_id, f"zeebe:{direction} target", target)
    source = item.get("source")
    if source is None or not source.strip():
        if direction == "output":
            report.add(item, element_id, "zeebe:output needs a source expression.")
        # An input without a source creates the local variable with the value null.
        return Mapping_(Expression("", "null"), target)
    attribute = f"zeebe:{direction} source (target '{target}')"
    return Mapping_(
        report.expression(item, element_id, attribute, source, feel_only=feel_only), target
    )


def properties(node: Node) -> dict[str, str]:
    """``zeebe:properties``: name -> value (later duplicates win, as in the Modeler)."""
    found = extension(node, "properties")
    if found is None:
        return {}
    return {
        item.get("name", ""): item.get("value", "")
        for item in children_named(found, zeebe("property"))
        if item.get("name")
    }


def job_definition(report: Reporter, node: Node, element_id: str) -> JobDefinition | None:
    """``zeebe:taskDefinition`` with ``zeebe:taskHeaders``; None when there is no definition."""
    definition = extension(node, "taskDefinition")
    if definition is None:
        return None
    job_type = definition.get("type", "")
    if not job_type.strip():
        report.add(definition, element_id, "zeebe:taskDefinition needs a non-empty type.")
    retries = definition.get("retries") or DEFAULT_RETRIES
    return JobDefinition(
        type=report.expression(definition, element_id, "zeebe:taskDefinition type", job_type),
        retries=report.expression(definition, element_id, "zeebe:taskDefinition retries", retries),
        headers=task_headers(node),
    )


def task_headers(node: Node) -> dict[str, str]:
    """``zeebe:taskHeaders``: static key -> value pairs handed to the job worker."""
    found = extension(node, "taskHeaders")
    if found is None:
        return {}
    return {
        item.get("key", ""): item.get("value", "")
        for item in children_named(found, zeebe("header"))
        if item.get("key")
    }


def user_task_definition(
    report: Reporter, node: Node, element_id: str
) -> tuple[UserTaskDefinition, bool]:
    """The user task's assignment, schedule, priority and form; True when it is a Camunda user
    task (``zeebe:userTask`` present), False for a job-based one."""

    def optional(local: str, attribute: str) -> Expression | None:
        found = extension(node, local)
        value = None if found is None else found.get(attribute)
        if found is None or value is None or not value.strip():
            return None
        return report.expression(found, element_id, f"zeebe:{local} {attribute}", value)

    form = extension(node, "formDefinition")
    binding = "latest" if form is None else form.get("bindingType", "latest")
    if binding not in _BINDINGS and form is not None:
        report.add(form, element_id, _binding_message("zeebe:formDefinition", binding))
    definition = UserTaskDefinition(
        assignee=optional("assignmentDefinition", "assignee"),
        candidate_users=optional("assignmentDefinition", "candidateUsers"),
        candidate_groups=optional("assignmentDefinition", "candidateGroups"),
        due_date=optional("taskSchedule", "dueDate"),
        follow_up_date=optional("taskSchedule", "followUpDate"),
        priority=optional("priorityDefinition", "priority"),
        form_key=None if form is None else form.get("formKey") or None,
        form_id=None if form is None else form.get("formId") or None,
        external_reference=None if form is None else form.get("externalReference") or None,
    )
    _check_static_schedule(report, node, element_id, definition)
    return definition, extension(node, "userTask") is not None


def _check_static_schedule(
    report: Reporter, node: Node, element_id: str, definition: UserTaskDefinition
) -> None:
    """Static dates must be ISO 8601 date-times and a static priority a number 0..100, as Zeebe
    checks them at deployment (expressions are checked when the task is created)."""
    for attribute, value in (
        ("dueDate", definition.due_date),
        ("followUpDate", definition.follow_up_date),
    ):
        if value is not None and value.is_static:
            try:
                parse_date(value.source)
            except TimerFormatError:
                report.add(
                    node,
                    element_id,
                    f"zeebe:taskSchedule {attribute} must be an ISO 8601 date-time such as "
                    f"'2023-03-02T15:35+02:00', found '{value.source}'.",
                )
    priority = definition.priority
    if priority is not None and priority.is_static:
        text = priority.source.strip()
        if not (text.isdigit() and 0 <= int(text) <= 100):
            report.add(
                node,
                element_id,
                f"zeebe:priorityDefinition priority must be a number between 0 and 100, found '{text}'.",
            )


def user_task_job(node: Node) -> JobDefinition:
    """The job a job-based user task creates (Zeebe's fixed type, one retry)."""
    return JobDefinition(
        type=Expression.of(USER_TASK_JOB_TYPE),
        retries=Expression.of(USER_TASK_JOB_RETRIES),
        headers=task_headers(node),
    )


def called_decision(report: Reporter, node: Node, element_id: str) -> CalledDecision | None:
    """``zeebe:calledDecision decisionId resultVariable bindingType``."""
    found = extension(node, "calledDecision")
    if found is None:
        return None
    decision_id = found.get("decisionId", "")
    result_variable = found.get("resultVariable", "")
    if not decision_id.strip():
        report.add(found, element_id, "zeebe:calledDecision needs a decisionId.")
    if not result_variable.strip():
        report.add(found, element_id, "zeebe:calledDecision needs a resultVariable.")
    binding = found.get("bindingType", "latest")
    if binding not in _BINDINGS:
        report.add(found, element_id, _binding_message("zeebe:calledDecision", binding))
    return CalledDecision(
        decision_id=report.expression(
            found, element_id, "zeebe:calledDecision decisionId", decision_id
        ),
        result_variable=result_variable,
        binding=binding,
    )


def script(report: Reporter, node: Node, element_id: str) -> Script | None:
    """``zeebe:script expression resultVariable`` (the expression is always FEEL)."""
    found = extension(node, "script")
    if found is None:
        return None
    text = found.get("expression", "")
    result_variable = found.get("resultVariable", "")
    if not text.strip():
        report.add(found, element_id, "zeebe:script needs an expression.")
    if not result_variable.strip():
        report.add(found, element_id, "zeebe:script needs a resultVariable.")
    expression = (
        report.expression(found, element_id, "zeebe:script expression", text, feel_only=True)
        if text.strip()
        else Expression.feel_only("null")
    )
    return Script(expression=expression, result_variable=result_variable)


def called_element(report: Reporter, node: Node, element_id: str) -> CalledElement | None:
    """``zeebe:calledElement processId propagateAllChildVariables propagateAllParentVariables
    bindingType``; both propagation flags default to true."""
    found = extension(node, "calledElement")
    if found is None:
        report.add(
            node, element_id, "A call activity needs a zeebe:calledElement with a processId."
        )
        return None
    process_id = found.get("processId", "")
    if not process_id.strip():
        report.add(found, element_id, "zeebe:calledElement needs a processId.")
    binding = found.get("bindingType", "latest")
    if binding not in _BINDINGS:
        report.add(found, element_id, _binding_message("zeebe:calledElement", binding))
    return CalledElement(
        process_id=report.expression(
            found, element_id, "zeebe:calledElement processId", process_id
        ),
        propagate_all_parent_variables=_flag(found.get("propagateAllParentVariables")),
        propagate_all_child_variables=_flag(found.get("propagateAllChildVariables")),
        binding=binding,
    )


def _flag(value: str | None, default: bool = True) -> bool:
    return default if value is None else value.strip().lower() == "true"


def _binding_message(owner: str, binding: str) -> str:
    return f"{owner} has bindingType '{binding}'; it must be one of latest, deployment, versionTag."


def multi_instance(report: Reporter, node: Node, element_id: str) -> MultiInstance | None:
    """``bpmn:multiInstanceLoopCharacteristics`` with ``zeebe:loopCharacteristics``."""
    loop = child_named(node, bpmn("multiInstanceLoopCharacteristics"))
    if loop is None:
        return None
    zeebe_loop = extension(loop, "loopCharacteristics")
    collection = "" if zeebe_loop is None else zeebe_loop.get("inputCollection", "")
    if not collection.strip():
        report.add(
            loop, element_id, "Multi-instance needs zeebe:loopCharacteristics inputCollection."
        )
        input_collection = Expression.feel_only("[]")
    else:
        assert zeebe_loop is not None
        input_collection = report.expression(
            zeebe_loop, element_id, "inputCollection", collection, feel_only=True
        )
    output_collection = None if zeebe_loop is None else zeebe_loop.get("outputCollection") or None
    output_text = None if zeebe_loop is None else zeebe_loop.get("outputElement") or None
    output_element = None
    if output_text is not None and zeebe_loop is not None:
        output_element = report.expression(
            zeebe_loop, element_id, "outputElement", output_text, feel_only=True
        )
    if output_collection is not None and zeebe_loop is not None:
        report.path(zeebe_loop, element_id, "outputCollection", output_collection)
    input_element = None if zeebe_loop is None else zeebe_loop.get("inputElement") or None
    if input_element is not None and zeebe_loop is not None:
        report.path(zeebe_loop, element_id, "inputElement", input_element)
    condition_node = child_named(loop, bpmn("completionCondition"))
    condition = None
    if condition_node is not None and text_of(condition_node):
        # Zeebe accepts the completion condition with or without the leading '='.
        condition = Expression.feel_only(text_of(condition_node))
        assert condition.feel is not None
        report.check_feel(condition_node, element_id, "completionCondition", condition.feel)
    return MultiInstance(
        sequential=_flag(loop.get("isSequential"), default=False),
        input_collection=input_collection,
        input_element=input_element,
        output_collection=output_collection,
        output_element=output_element,
        completion_condition=condition,
    )
