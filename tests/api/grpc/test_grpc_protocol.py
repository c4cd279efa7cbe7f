"""The wire contract and the pure pieces of the mapping (no server)."""

from __future__ import annotations

import json

import grpc
import pytest
from google.protobuf import descriptor_pb2
from grpc_harness import pb
from pyzeebe.proto import gateway_pb2 as zeebe_pb

import cadenza.api.grpc as gateway
from cadenza.api._port import Answer, Command, PartitionInfo, Topology
from cadenza.api.grpc import GatewayError, parse_variables, rejection_status
from cadenza.api.grpc import _jobs as jobs
from cadenza.api.grpc import _responses as responses
from cadenza.kernel._records import RejectionType, ValueType


def _fields(file: descriptor_pb2.FileDescriptorProto) -> dict[str, tuple[object, ...]]:
    found: dict[str, tuple[object, ...]] = {}

    def walk(prefix: str, messages: list[descriptor_pb2.DescriptorProto]) -> None:
        for message in messages:
            name = prefix + message.name
            found[name] = ()
            for f in message.field:
                found[f"{name}.{f.name}"] = (
                    f.number,
                    f.type,
                    f.label,
                    f.type_name,
                    f.proto3_optional,
                )
            for enum in message.enum_type:
                for value in enum.value:
                    found[f"{name}.{enum.name}.{value.name}"] = (value.number,)
            walk(name + ".", list(message.nested_type))

    walk("", list(file.message_type))
    for method in file.service[0].method:
        found[f"rpc {method.name}"] = (
            method.input_type,
            method.output_type,
            method.server_streaming,
            method.client_streaming,
        )
    return found


def test_every_message_field_and_rpc_of_zeebes_protocol_is_on_our_wire() -> None:
    # pyzeebe 4.7 carries Zeebe's gateway.proto (8.x); every name, number and type of it must be
    # the same in ours for its clients to interoperate. Ours may only add what Zeebe added later.
    theirs, ours = descriptor_pb2.FileDescriptorProto(), descriptor_pb2.FileDescriptorProto()
    zeebe_pb.DESCRIPTOR.CopyToProto(theirs)
    pb.DESCRIPTOR.CopyToProto(ours)
    assert ours.package == theirs.package == "gateway_protocol"
    assert ours.service[0].name == "Gateway"
    zeebe, cadenza = _fields(theirs), _fields(ours)
    different = {k: (v, cadenza.get(k)) for k, v in zeebe.items() if cadenza.get(k) != v}
    assert different == {}
    assert len([k for k in zeebe if k.startswith("rpc ")]) == 21
    assert {k for k in cadenza if k.startswith("rpc ")} - set(zeebe) == {"rpc EvaluateConditional"}


def test_our_messages_live_outside_the_default_pool_so_zeebe_clients_can_share_a_process() -> None:
    assert pb.DESCRIPTOR.pool is not zeebe_pb.DESCRIPTOR.pool
    job = pb.ActivatedJob(key=5, variables='{"a":1}', tags=["t"])
    decoded = zeebe_pb.ActivatedJob.FromString(job.SerializeToString())
    assert (decoded.key, decoded.variables) == (5, '{"a":1}')


def test_package_exports_what_all_says() -> None:
    assert sorted(gateway.__all__) == sorted(
        name for name in vars(gateway) if not name.startswith("_") and name != "annotations"
    )


def test_parse_variables_accepts_objects_and_empty_text() -> None:
    assert parse_variables("") == {}
    assert parse_variables("  ") == {}
    assert parse_variables('{"a": [1, {"b": null}], "é": "ü"}') == {"a": [1, {"b": None}], "é": "ü"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1', "Expected 'v' to be a JSON object, but it is not valid JSON: Expecting"),
        ("{\n  'a': 1}", "at line 2, column 3"),
        ("null", "at its root, but it is null"),
        ("12", "at its root, but it is a number"),
        ("true", "at its root, but it is a boolean"),
        ('{"a": Infinity}', "Infinity is not a JSON value"),
    ],
)
def test_parse_variables_refuses_other_documents_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(GatewayError) as raised:
        parse_variables(text, "v")
    assert raised.value.code is grpc.StatusCode.INVALID_ARGUMENT
    assert message in raised.value.message


def test_rejection_types_map_to_zeebes_status_codes() -> None:
    expected = {
        RejectionType.INVALID_ARGUMENT: grpc.StatusCode.INVALID_ARGUMENT,
        RejectionType.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
        RejectionType.ALREADY_EXISTS: grpc.StatusCode.ALREADY_EXISTS,
        RejectionType.INVALID_STATE: grpc.StatusCode.FAILED_PRECONDITION,
        RejectionType.PROCESSING_ERROR: grpc.StatusCode.INTERNAL,
        RejectionType.UNAUTHORIZED: grpc.StatusCode.PERMISSION_DENIED,
        RejectionType.FORBIDDEN: grpc.StatusCode.PERMISSION_DENIED,
        RejectionType.EXCEEDED_BATCH_RECORD_SIZE: grpc.StatusCode.UNKNOWN,
        RejectionType.NULL_VAL: grpc.StatusCode.UNKNOWN,
    }
    assert {t: rejection_status(t) for t in RejectionType} == expected


@pytest.mark.parametrize(
    ("request_timeout_ms", "remaining_s", "budget_s"),
    [
        (0, None, 10.0),  # the server's default
        (0, 20.0, 10.0),  # pyzeebe with requestTimeout 0: deadline 20 s
        (5_000, 10.0, 5.0),  # pyzeebe: deadline twice the request timeout
        (50_000, 60.0, 50.0),
        (50_000, 30.0, 29.5),  # never past the client's deadline
        (-1, 20.0, 0.0),  # no long polling
        (1_000, 0.1, 0.0),
    ],
)
def test_long_poll_budget(
    request_timeout_ms: int, remaining_s: float | None, budget_s: float
) -> None:
    assert jobs.poll_budget_s(request_timeout_ms, 10_000, remaining_s) == pytest.approx(budget_s)


def test_activated_jobs_are_split_to_stay_under_the_message_size() -> None:
    activated = [
        pb.ActivatedJob(key=i, variables=json.dumps({"blob": "x" * 500})) for i in range(10)
    ]
    batches = jobs.batches(activated, 2_000)
    assert [job.key for batch in batches for job in batch.jobs] == list(range(10))
    assert len(batches) > 1
    assert all(batch.ByteSize() <= 2_000 for batch in batches)
    assert jobs.batches([], 2_000) == []


def test_activated_job_defaults_for_missing_fields() -> None:
    job = jobs.activated_job({"key": 1, "type": "t", "customHeaders": None, "variables": "{}"})
    assert (job.customHeaders, job.variables, job.tenantId) == ("{}", "{}", "<default>")
    assert job.kind == pb.ActivatedJob.BPMN_ELEMENT
    assert job.listenerEventType == pb.ActivatedJob.UNSPECIFIED
    listener = jobs.activated_job(
        {"key": 2, "jobKind": "TASK_LISTENER", "jobListenerEventType": "COMPLETING"}
    )
    assert (listener.kind, listener.listenerEventType) == (
        pb.ActivatedJob.TASK_LISTENER,
        pb.ActivatedJob.COMPLETING,
    )


def test_deploy_answer_lists_processes_decisions_drgs_and_forms() -> None:
    answer = Answer(
        10,
        "CREATED",
        {
            "processesMetadata": [{"bpmnProcessId": "p", "version": 1, "processDefinitionKey": 11}],
            "decisionsMetadata": [
                {
                    "decisionId": "d",
                    "decisionName": "D",
                    "version": 2,
                    "decisionKey": 12,
                    "decisionRequirementsId": "drg",
                    "decisionRequirementsKey": 13,
                }
            ],
            "decisionRequirementsMetadata": [
                {
                    "decisionRequirementsId": "drg",
                    "decisionRequirementsName": "G",
                    "decisionRequirementsVersion": 2,
                    "decisionRequirementsKey": 13,
                    "resourceName": "d.dmn",
                }
            ],
            "formMetadata": [
                {"formId": "f", "version": 1, "formKey": 14, "resourceName": "f.form"}
            ],
        },
    )
    command = Command(ValueType.DEPLOYMENT, "CREATE", tenant_id="acme")
    response = responses.deploy_resource(answer, command)
    kinds = [d.WhichOneof("Metadata") for d in response.deployments]
    assert kinds == ["process", "decision", "decisionRequirements", "form"]
    decision = response.deployments[1].decision
    assert (decision.dmnDecisionId, decision.dmnDecisionRequirementsId, decision.decisionKey) == (
        "d",
        "drg",
        12,
    )
    drg = response.deployments[2].decisionRequirements
    assert (drg.version, drg.resourceName) == (2, "d.dmn")
    assert response.deployments[3].form.formKey == 14
    assert response.tenantId == "acme"
    assert {d.process.tenantId for d in response.deployments[:1]} == {"acme"}


def test_topology_falls_back_to_leader_and_healthy_for_unknown_words() -> None:
    info = Topology(1, 1, 1, "8.8.0", 3, "h", 1, [PartitionInfo(1, role="FOLLOWER", health="meh")])
    [partition] = responses.topology(info).brokers[0].partitions
    assert (partition.role, partition.health) == (pb.Partition.FOLLOWER, pb.Partition.HEALTHY)


def test_failed_decision_evaluation_is_a_response_with_the_failure() -> None:
    answer = Answer(
        5,
        "FAILED",
        {"decisionId": "d", "failedDecisionId": "d", "evaluationFailureMessage": "no rule"},
    )
    response = responses.evaluate_decision(
        answer, Command(ValueType.DECISION_EVALUATION, "EVALUATE")
    )
    assert (response.failedDecisionId, response.failureMessage) == ("d", "no rule")
    assert response.decisionOutput == ""


def test_a_missing_generated_module_says_how_to_generate_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cadenza.api.grpc import _proto

    def missing(name: str) -> None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(_proto.importlib, "import_module", missing)
    with pytest.raises(
        ImportError, match=r"gateway_pb2_grpc is generated .* \(pip install -e \.\)"
    ):
        _proto.__getattr__("gateway_pb2_grpc")
    with pytest.raises(AttributeError):
        _proto.__getattr__("something_else")
