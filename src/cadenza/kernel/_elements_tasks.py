"""Tasks: job workers, Camunda user tasks, business rule and script tasks, receive, manual."""

from __future__ import annotations

import json
from typing import Any

from cadenza.kernel._decisions import evaluate_decision
from cadenza.kernel._expressions import Failure
from cadenza.kernel._flow import Bpmn, register
from cadenza.kernel._intents import Job, UserTask
from cadenza.kernel._records import ValueType
from cadenza.kernel._state import ElementInstance
from cadenza.kernel._variables import ScopeView
from cadenza.model import ElementKind, JobDefinition

USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask"


def create_job(
    bpmn: Bpmn, instance: ElementInstance, job: JobDefinition, headers: dict[str, str] | None = None
) -> bool:
    """JOB CREATED for the element; False (with an incident) when its type or retries fail."""
    job_type = bpmn.evaluator.string(job.type, instance.key)
    if isinstance(job_type, Failure):
        bpmn.incident(instance, "EXTRACT_VALUE_ERROR", job_type.message)
        return False
    retries = bpmn.evaluator.integer(job.retries, instance.key)
    if isinstance(retries, Failure):
        bpmn.incident(instance, "EXTRACT_VALUE_ERROR", retries.message)
        return False
    value = instance.value
    custom_headers = dict(job.headers)
    if headers:
        custom_headers.update(headers)
    bpmn.ctx.event(
        ValueType.JOB,
        Job.CREATED,
        bpmn.ctx.new_key(),
        {
            "type": job_type,
            "worker": "",
            "retries": retries,
            "retryBackoff": 0,
            "recurringTime": -1,
            "deadline": -1,
            "timeout": -1,
            "errorMessage": "",
            "errorCode": "",
            "customHeaders": custom_headers,
            "variables": {},
            "elementId": value["elementId"],
            "elementInstanceKey": instance.key,
            "processInstanceKey": value["processInstanceKey"],
            "bpmnProcessId": value["bpmnProcessId"],
            "processDefinitionVersion": value["version"],
            "processDefinitionKey": value["processDefinitionKey"],
            "tenantId": value.get("tenantId", "<default>"),
            "jobKind": "BPMN_ELEMENT",
            "jobListenerEventType": "UNSPECIFIED",
        },
    )
    bpmn.ctx.job_available(job_type)
    return True


def cancel_work(bpmn: Bpmn, instance: ElementInstance) -> None:
    """Cancel the job or user task of a terminating element."""
    state = bpmn.state
    if instance.job_key != -1:
        job = state.jobs.get(instance.job_key)
        if job is not None:
            bpmn.ctx.event(ValueType.JOB, Job.CANCELED, job.key, job.value)
    if instance.user_task_key != -1:
        task = state.user_tasks.get(instance.user_task_key)
        if task is not None:
            bpmn.ctx.event(ValueType.USER_TASK, UserTask.CANCELING, instance.user_task_key, task)
            bpmn.ctx.event(ValueType.USER_TASK, UserTask.CANCELED, instance.user_task_key, task)


class Activity:
    """What every activity does: mappings, boundary subscriptions, the work, clean-up."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Input mappings, subscriptions, then ``start_work``."""
        if not bpmn.input_mappings(instance):
            return
        bpmn.events.close(bpmn, instance)  # a retried activation opens them again
        if not bpmn.events.open(bpmn, instance):
            return
        self.start_work(bpmn, instance)

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """The kind-specific part of the activation (default: pass through)."""
        bpmn.complete(instance)

    def wait(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Become a wait state and correlate buffered messages to fresh subscriptions."""
        bpmn.activated(instance)
        bpmn.events.after_activated(bpmn, instance)

    def complete(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Output mappings, close subscriptions, completed."""
        if not bpmn.output_mappings(instance):
            return
        bpmn.events.close(bpmn, instance)
        bpmn.completed(instance)

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Cancel the work, close subscriptions, terminated."""
        cancel_work(bpmn, instance)
        bpmn.events.close(bpmn, instance)
        bpmn.terminated(instance)


@register(ElementKind.MANUAL_TASK, ElementKind.TASK)
class PassThroughTask(Activity):
    """Manual and undefined tasks: nothing to wait for."""


@register(ElementKind.SERVICE_TASK, ElementKind.SEND_TASK)
class JobWorkerTask(Activity):
    """A task done by a job worker."""

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Create the job and wait for it."""
        job = instance.element.job
        if job is None:
            bpmn.complete(instance)
            return
        bpmn.activated(instance)
        if create_job(bpmn, instance, job):
            bpmn.events.after_activated(bpmn, instance)

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Retried after an incident on the job creation: only the job is missing then."""
        if instance.state == "ELEMENT_ACTIVATED" and instance.job_key == -1:
            job = instance.element.job
            if job is not None and create_job(bpmn, instance, job):
                bpmn.events.after_activated(bpmn, instance)
            return
        super().activate(bpmn, instance)


@register(ElementKind.RECEIVE_TASK)
class ReceiveTask(Activity):
    """Waits for its message (the subscription is opened with the boundary ones)."""

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Wait for the message."""
        self.wait(bpmn, instance)


@register(ElementKind.SCRIPT_TASK)
class ScriptTask(JobWorkerTask):
    """``zeebe:script``: a FEEL expression whose value goes to the result variable; or a job."""

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Evaluate the script, or create a job when it is job-based."""
        script = instance.element.script
        if script is None:
            super().start_work(bpmn, instance)
            return
        value = bpmn.evaluator.value(script.expression, instance.key)
        if isinstance(value, Failure):
            bpmn.incident(instance, "EXTRACT_VALUE_ERROR", value.message)
            return
        bpmn.complete(instance, {script.result_variable: value})


@register(ElementKind.BUSINESS_RULE_TASK)
class BusinessRuleTask(JobWorkerTask):
    """``zeebe:calledDecision``: evaluate a deployed decision; or a job."""

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Evaluate the decision and complete with its result."""
        called = instance.element.called_decision
        if called is None:
            super().start_work(bpmn, instance)
            return
        decision_id = bpmn.evaluator.string(called.decision_id, instance.key)
        if isinstance(decision_id, Failure):
            bpmn.incident(instance, "EXTRACT_VALUE_ERROR", decision_id.message)
            return
        decision = bpmn.state.latest_decision(decision_id)
        if decision is None:
            bpmn.incident(
                instance,
                "CALLED_DECISION_ERROR",
                f"Expected to evaluate decision '{decision_id}', but no decision found for id "
                f"'{decision_id}'",
            )
            return
        view = ScopeView(bpmn.state, instance.key)
        output, value, failure = evaluate_decision(bpmn.state, decision, view)
        value.update(
            bpmnProcessId=instance.value["bpmnProcessId"],
            processDefinitionKey=instance.value["processDefinitionKey"],
            processInstanceKey=instance.value["processInstanceKey"],
            elementId=instance.element.id,
            elementInstanceKey=instance.key,
        )
        intent = "FAILED" if failure else "EVALUATED"
        bpmn.ctx.event(ValueType.DECISION_EVALUATION, intent, bpmn.ctx.new_key(), value)
        if failure is not None:
            bpmn.incident(instance, "DECISION_EVALUATION_ERROR", failure)
            return
        bpmn.complete(instance, {called.result_variable: output})


@register(ElementKind.USER_TASK)
class UserTaskProcessor(JobWorkerTask):
    """A Camunda user task (``zeebe:userTask``), or a job of type ``io.camunda.zeebe:userTask``."""

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Create the user task (or its job) and wait."""
        definition = instance.element.user_task
        attributes = self._attributes(bpmn, instance)
        if attributes is None:
            return
        if instance.element.job is not None or definition is None:
            headers = _job_headers(attributes)
            job = instance.element.job
            if job is None:
                from cadenza.model import Expression

                job = JobDefinition(Expression.of(USER_TASK_JOB_TYPE), Expression.of("3"))
            bpmn.activated(instance)
            if create_job(bpmn, instance, job, headers):
                bpmn.events.after_activated(bpmn, instance)
            return
        value = instance.value
        task_key = bpmn.ctx.new_key()
        task: dict[str, Any] = {
            "userTaskKey": task_key,
            **attributes,
            "customHeaders": {},
            "variables": {},
            "action": "",
            "changedAttributes": [],
            "elementId": value["elementId"],
            "elementInstanceKey": instance.key,
            "processInstanceKey": value["processInstanceKey"],
            "bpmnProcessId": value["bpmnProcessId"],
            "processDefinitionVersion": value["version"],
            "processDefinitionKey": value["processDefinitionKey"],
            "tenantId": value.get("tenantId", "<default>"),
            "creationTimestamp": bpmn.ctx.now,
        }
        bpmn.ctx.event(ValueType.USER_TASK, UserTask.CREATING, task_key, task)
        bpmn.ctx.event(ValueType.USER_TASK, UserTask.CREATED, task_key, task)
        self.wait(bpmn, instance)

    def _attributes(self, bpmn: Bpmn, instance: ElementInstance) -> dict[str, Any] | None:
        definition = instance.element.user_task
        result: dict[str, Any] = {
            "assignee": "",
            "candidateUsersList": [],
            "candidateGroupsList": [],
            "dueDate": "",
            "followUpDate": "",
            "priority": 50,
            "formKey": -1,
            "externalFormReference": "",
        }
        if definition is None:
            return result
        evaluator = bpmn.evaluator
        for field, expression in (
            ("assignee", definition.assignee),
            ("dueDate", definition.due_date),
            ("followUpDate", definition.follow_up_date),
        ):
            if expression is not None:
                text = evaluator.value(expression, instance.key)
                if isinstance(text, Failure):
                    bpmn.incident(instance, "EXTRACT_VALUE_ERROR", text.message)
                    return None
                result[field] = "" if text is None else str(text)
        for field, expression in (
            ("candidateUsersList", definition.candidate_users),
            ("candidateGroupsList", definition.candidate_groups),
        ):
            if expression is not None:
                items = evaluator.string_list(expression, instance.key)
                if isinstance(items, Failure):
                    bpmn.incident(instance, "EXTRACT_VALUE_ERROR", items.message)
                    return None
                result[field] = items
        if definition.priority is not None:
            priority = evaluator.integer(definition.priority, instance.key)
            if isinstance(priority, Failure):
                bpmn.incident(instance, "EXTRACT_VALUE_ERROR", priority.message)
                return None
            result["priority"] = priority
        if definition.form_id:
            versions = bpmn.state.form_versions.get(definition.form_id)
            if not versions:
                bpmn.incident(
                    instance,
                    "FORM_NOT_FOUND",
                    f"Expected to find a form with id '{definition.form_id}', but no form "
                    "with this id is found, at least a form with this id should be available.",
                )
                return None
            result["formKey"] = versions[-1]
        if definition.external_reference:
            result["externalFormReference"] = definition.external_reference
        if definition.form_key:
            result["externalFormReference"] = result["externalFormReference"] or ""
            result["formKeyText"] = definition.form_key
        return result


def _job_headers(attributes: dict[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = {}
    if attributes["assignee"]:
        headers["io.camunda.zeebe:assignee"] = attributes["assignee"]
    if attributes["candidateGroupsList"]:
        headers["io.camunda.zeebe:candidateGroups"] = json.dumps(attributes["candidateGroupsList"])
    if attributes["candidateUsersList"]:
        headers["io.camunda.zeebe:candidateUsers"] = json.dumps(attributes["candidateUsersList"])
    if attributes["dueDate"]:
        headers["io.camunda.zeebe:dueDate"] = attributes["dueDate"]
    if attributes["followUpDate"]:
        headers["io.camunda.zeebe:followUpDate"] = attributes["followUpDate"]
    if attributes.get("formKeyText"):
        headers["io.camunda.zeebe:formKey"] = attributes["formKeyText"]
    return headers
