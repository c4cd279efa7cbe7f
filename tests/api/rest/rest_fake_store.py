"""The read-model side of the fake engine: tables of rows, deployed definitions, and the
filter, sort and paging semantics of the query contract in ``cadenza.api.rest._queries``."""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cadenza.api._port import Answer, CommandRejected
from cadenza.kernel._records import RejectionType

START_MS = 1_760_000_000_000


def rejected(kind: RejectionType, reason: str) -> CommandRejected:
    return CommandRejected(kind, reason)


@dataclass
class Definition:
    key: int
    process_id: str
    version: int
    resource_name: str
    xml: str
    job_types: list[str]
    user_tasks: list[str]
    messages: list[str]


@dataclass
class FakeStore:
    """Rows per search name, plus the deployed definitions and forms."""

    queries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    forms: dict[int, dict[str, Any]] = field(default_factory=dict)
    definitions: dict[int, Definition] = field(default_factory=dict)
    _next_key: int = 2251799813685248
    _now: int = START_MS

    def key(self) -> int:
        self._next_key += 1
        return self._next_key

    def tick(self) -> int:
        self._now += 1000
        return self._now

    def table(self, name: str) -> list[dict[str, Any]]:
        return self.rows.setdefault(name, [])

    def find(self, name: str, key_field: str, key: int) -> dict[str, Any] | None:
        return next((r for r in self.table(name) if r[key_field] == key), None)

    def _deploy(self, resources: list[dict[str, Any]]) -> dict[str, Any]:
        processes: list[dict[str, Any]] = []
        decisions: list[dict[str, Any]] = []
        forms: list[dict[str, Any]] = []
        for resource in resources:
            name, text = resource["resourceName"], resource["resource"].decode("utf-8", "replace")
            if name.endswith(".form"):
                form = json.loads(text)
                form_key = self.key()
                forms.append(
                    {
                        "formId": form["id"],
                        "version": 1,
                        "formKey": form_key,
                        "resourceName": name,
                        "isDuplicate": False,
                    }
                )
                self.forms[form_key] = {
                    "formKey": form_key,
                    "formId": form["id"],
                    "version": 1,
                    "schema": text,
                    "tenantId": "<default>",
                }
                continue
            if name.endswith(".dmn"):
                for decision_id in re.findall(r'<decision id="([^"]+)"', text):
                    key = self.key()
                    decisions.append(
                        {
                            "decisionId": decision_id,
                            "decisionName": decision_id,
                            "version": 1,
                            "decisionKey": key,
                            "decisionRequirementsId": "drg",
                            "decisionRequirementsKey": key + 1,
                            "isDuplicate": False,
                        }
                    )
                    self.table("decision_definitions").append(
                        {
                            "decisionDefinitionKey": key,
                            "decisionDefinitionId": decision_id,
                            "name": decision_id,
                            "version": 1,
                            "decisionRequirementsId": "drg",
                            "decisionRequirementsKey": key + 1,
                            "decisionRequirementsName": "DRG",
                            "decisionRequirementsVersion": 1,
                            "tenantId": "<default>",
                        }
                    )
                continue
            ids = re.findall(r'<(?:bpmn:)?process id="([^"]+)"', text)
            if not ids:
                raise rejected(RejectionType.INVALID_ARGUMENT, f"'{name}': no BPMN process found")
            for process_id in ids:
                version = 1 + sum(d.process_id == process_id for d in self.definitions.values())
                definition = Definition(
                    self.key(),
                    process_id,
                    version,
                    name,
                    text,
                    re.findall(r'taskDefinition type="([^"]+)"', text),
                    re.findall(r'<(?:bpmn:)?userTask id="([^"]+)"', text),
                    re.findall(r'<(?:bpmn:)?message [^>]*name="([^"]+)"', text),
                )
                self.definitions[definition.key] = definition
                processes.append(
                    {
                        "bpmnProcessId": process_id,
                        "version": version,
                        "processDefinitionKey": definition.key,
                        "resourceName": name,
                        "isDuplicate": False,
                    }
                )
                self.table("process_definitions").append(
                    {
                        "processDefinitionKey": definition.key,
                        "processDefinitionId": process_id,
                        "name": process_id,
                        "resourceName": name,
                        "version": version,
                        "versionTag": None,
                        "tenantId": "<default>",
                        "hasStartForm": False,
                    }
                )
        return {
            "processesMetadata": processes,
            "decisionsMetadata": decisions,
            "decisionRequirementsMetadata": [],
            "formMetadata": forms,
        }

    def _evaluate(self, v: Mapping[str, Any]) -> Answer:
        rows = self.table("decision_definitions")
        row = next(
            (
                r
                for r in rows
                if r["decisionDefinitionId"] == v.get("decisionId")
                or r["decisionDefinitionKey"] == v.get("decisionKey")
            ),
            None,
        )
        if row is None:
            raise rejected(RejectionType.NOT_FOUND, "no such decision")
        decision = {
            "decisionId": row["decisionDefinitionId"],
            "decisionName": row["name"],
            "decisionKey": row["decisionDefinitionKey"],
            "decisionVersion": 1,
            "decisionType": "DECISION_TABLE",
            "decisionOutput": '"approve"',
            "evaluatedInputs": [{"inputId": "in1", "inputName": "amount", "inputValue": "100"}],
            "matchedRules": [
                {
                    "ruleId": "r1",
                    "ruleIndex": 1,
                    "evaluatedOutputs": [
                        {"outputId": "out1", "outputName": "result", "outputValue": '"approve"'}
                    ],
                }
            ],
        }
        value = {
            **decision,
            "decisionRequirementsId": "drg",
            "decisionRequirementsKey": row["decisionRequirementsKey"],
            "evaluatedDecisions": [decision],
            "failedDecisionId": "",
            "evaluationFailureMessage": "",
        }
        return Answer(self.key(), "EVALUATED", value)

    async def query(self, name: str, **params: Any) -> Any:
        self.queries.append((name, params))
        if name == "process_definition_xml":
            definition = self.definitions.get(params["key"])
            return definition.xml if definition else None
        if name == "user_task_form":
            task = self.find("user_tasks", "userTaskKey", params["key"])
            return self.forms.get(task["formKey"]) if task and task.get("formKey") else None
        rows = [r for r in self.table(name) if _matches(r, params["filter"])]
        for field_name, order in reversed(params["sort"]):
            rows.sort(
                key=lambda r: (r.get(field_name) is None, r.get(field_name) or 0),
                reverse=order == "DESC",
            )
        offset, limit = params["offset"], params["limit"]
        return {"items": rows[offset : offset + limit], "total": len(rows)}


def _holds(value: Any, op: str, operand: Any) -> bool:
    if op == "$eq":
        return bool(value == operand)
    if op == "$neq":
        return bool(value != operand)
    if op == "$exists":
        return (value is not None) == operand
    if op == "$in":
        return value in operand
    if op == "$notIn":
        return value not in operand
    if op == "$like":
        return isinstance(value, str) and fnmatch.fnmatchcase(value, operand)
    if op == "$all":
        return all(item in (value or ()) for item in operand)
    if value is None:
        return False
    comparisons = {"$gt": value > operand, "$gte": value >= operand}
    comparisons.update({"$lt": value < operand, "$lte": value <= operand})
    return bool(comparisons[op])


def _matches(row: Mapping[str, Any], conditions: Mapping[str, Mapping[str, Any]]) -> bool:
    return all(
        _holds(row.get(name), op, operand)
        for name, ops in conditions.items()
        for op, operand in ops.items()
    )
