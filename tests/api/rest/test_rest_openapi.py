"""The OpenAPI document describes our own routes, and the package exports what it says."""

from __future__ import annotations

from rest_support import Api, api

import cadenza.api.rest as rest

__all__ = ["api"]  # fixtures

EXPECTED = {
    ("get", "/v2/topology"),
    ("post", "/v2/deployments"),
    ("post", "/v2/process-instances"),
    ("get", "/v2/process-instances/{processInstanceKey}"),
    ("post", "/v2/process-instances/{processInstanceKey}/cancellation"),
    ("post", "/v2/process-instances/search"),
    ("post", "/v2/process-definitions/search"),
    ("get", "/v2/process-definitions/{processDefinitionKey}"),
    ("get", "/v2/process-definitions/{processDefinitionKey}/xml"),
    ("post", "/v2/jobs/activation"),
    ("post", "/v2/jobs/{jobKey}/completion"),
    ("post", "/v2/jobs/{jobKey}/failure"),
    ("post", "/v2/jobs/{jobKey}/error"),
    ("patch", "/v2/jobs/{jobKey}"),
    ("post", "/v2/jobs/search"),
    ("post", "/v2/messages/publication"),
    ("post", "/v2/messages/correlation"),
    ("post", "/v2/signals/broadcast"),
    ("post", "/v2/user-tasks/search"),
    ("get", "/v2/user-tasks/{userTaskKey}"),
    ("post", "/v2/user-tasks/{userTaskKey}/assignment"),
    ("delete", "/v2/user-tasks/{userTaskKey}/assignee"),
    ("post", "/v2/user-tasks/{userTaskKey}/completion"),
    ("get", "/v2/user-tasks/{userTaskKey}/form"),
    ("post", "/v2/incidents/search"),
    ("post", "/v2/incidents/{incidentKey}/resolution"),
    ("post", "/v2/variables/search"),
    ("post", "/v2/element-instances/search"),
    ("put", "/v2/element-instances/{elementInstanceKey}/variables"),
    ("post", "/v2/decision-definitions/search"),
    ("post", "/v2/decision-definitions/evaluation"),
}


def test_openapi_document_lists_every_operation(api: Api) -> None:
    document = api.get("/openapi.json").json()
    served = {(m, path) for path, ops in document["paths"].items() for m in ops}
    assert served == EXPECTED
    job = document["components"]["schemas"]["ActivatedJob"]
    assert {"jobKey", "tenantId", "kind", "tags", "rootProcessInstanceKey"} <= set(job["required"])
    activation = document["components"]["schemas"]["JobActivationRequest"]
    assert activation["additionalProperties"] is False


def test_exports_match_all() -> None:
    exported = {name for name in dir(rest) if not name.startswith("_")}
    modules = {"annotations"} | {n for n in exported if type(getattr(rest, n)).__name__ == "module"}
    assert exported - modules == set(rest.__all__)
    for name in rest.__all__:
        assert getattr(rest, name).__doc__ or name.isupper(), name
