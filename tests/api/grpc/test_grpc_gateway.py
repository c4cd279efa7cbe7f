"""The gateway served in-process against the fake engine, driven with our generated stubs."""

from __future__ import annotations

import json

import grpc
import pytest
from grpc_fake_engine import FakeEngine
from grpc_harness import NO_TASK_XML, PROCESS_XML, deploy, pb, rpc_error, run, serving, start
from grpc_health.v1 import health_pb2, health_pb2_grpc

from cadenza.api._port import AnswerTimeout, Backpressure, CommandRejected
from cadenza.api.grpc import SERVICE_NAME, UNSUPPORTED_RPCS, GatewayConfig, start_grpc_server
from cadenza.kernel._records import RejectionType, ValueType

Code = grpc.StatusCode


def test_every_rpc_of_the_protocol_is_served_and_unsupported_ones_say_so() -> None:
    service = pb.DESCRIPTOR.services_by_name["Gateway"]
    names = {method.name for method in service.methods}
    assert len(names) == 22
    assert names >= UNSUPPORTED_RPCS

    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            for name in sorted(UNSUPPORTED_RPCS):
                request_type = getattr(pb, service.methods_by_name[name].input_type.name)
                error = await rpc_error(getattr(stub, name)(request_type()))
                assert error.code() is Code.UNIMPLEMENTED
                assert error.details() == f"{name} is not supported yet by Cadenza's gateway"

    run(scenario)


def test_deploy_resource_sends_the_resources_and_answers_the_metadata() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            response = await deploy(stub)
            assert response.tenantId == "<default>"
            [deployment] = response.deployments
            assert deployment.WhichOneof("Metadata") == "process"
            assert deployment.process.bpmnProcessId == "order"
            assert deployment.process.version == 1
            assert deployment.process.resourceName == "order.bpmn"
            assert deployment.process.processDefinitionKey == engine.processes["order"][0].key
            assert response.key > 0

    run(scenario)
    [command] = engine.commands
    assert (command.value_type, command.intent) == (ValueType.DEPLOYMENT, "CREATE")
    assert command.value == {"resources": [{"resourceName": "order.bpmn", "resource": PROCESS_XML}]}


def test_deploy_errors_invalid_argument_for_no_resource_and_for_a_rejected_resource() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            empty = await rpc_error(stub.DeployResource(pb.DeployResourceRequest()))
            assert empty.code() is Code.INVALID_ARGUMENT
            assert "at least one resource" in (empty.details() or "")
            broken = await rpc_error(deploy(stub, b"<nothing/>"))
            assert broken.code() is Code.INVALID_ARGUMENT
            assert broken.details() == (
                "Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new "
                "resources, but 'order.bpmn' contains no process"
            )

    run(scenario)
    assert len(engine.commands) == 1  # the empty request never reached the engine


def test_deprecated_deploy_process_answers_the_processes() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            request = pb.DeployProcessRequest(
                processes=[pb.ProcessRequestObject(name="a.bpmn", definition=PROCESS_XML)]
            )
            response = await stub.DeployProcess(request)
            assert [p.bpmnProcessId for p in response.processes] == ["order"]
            assert response.processes[0].resourceName == "a.bpmn"

    run(scenario)


def test_create_process_instance_maps_request_and_answer() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            await deploy(stub)
            request = pb.CreateProcessInstanceRequest(
                bpmnProcessId="order",
                variables='{"amount": 12, "items": ["a"]}',
                startInstructions=[pb.ProcessInstanceCreationStartInstruction(elementId="task")],
                tags=["vip"],
            )
            response = await stub.CreateProcessInstance(request)
            assert response.bpmnProcessId == "order"
            assert response.version == 1
            assert response.processInstanceKey in engine.instances
            assert response.tenantId == "<default>"

    run(scenario)
    command = engine.commands[-1]
    assert (command.value_type, command.intent) == (ValueType.PROCESS_INSTANCE_CREATION, "CREATE")
    assert command.value == {
        "bpmnProcessId": "order",
        "version": -1,  # unset means latest
        "processDefinitionKey": 0,
        "variables": {"amount": 12, "items": ["a"]},
        "startInstructions": [{"elementId": "task"}],
        "tags": ["vip"],
    }


def test_unknown_process_is_not_found_with_zeebes_message() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            error = await rpc_error(
                stub.CreateProcessInstance(pb.CreateProcessInstanceRequest(bpmnProcessId="x"))
            )
            assert error.code() is Code.NOT_FOUND
            assert error.details() == (
                "Command 'CREATE' rejected with code 'NOT_FOUND': Expected to find process "
                "definition with process ID 'x', but none found"
            )

    run(scenario)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ("{not json", "Expected 'variables' to be a JSON object, but it is not valid JSON"),
        ("[1, 2]", "Expected 'variables' to be a JSON object at its root, but it is an array"),
        ('"text"', "Expected 'variables' to be a JSON object at its root, but it is a string"),
        ('{"a": NaN}', "NaN is not a JSON value"),
    ],
)
def test_bad_variables_are_invalid_argument_and_never_reach_the_engine(
    variables: str, expected: str
) -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            await deploy(stub)
            error = await rpc_error(start(stub, variables))
            assert error.code() is Code.INVALID_ARGUMENT
            assert expected in (error.details() or "")
            # the server keeps serving
            assert await start(stub) in engine.instances

    run(scenario)
    assert [c.intent for c in engine.commands] == ["CREATE", "CREATE"]


def test_bad_variables_name_the_nested_field_of_create_with_result() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            request = pb.CreateProcessInstanceWithResultRequest(
                request=pb.CreateProcessInstanceRequest(bpmnProcessId="order", variables="[]")
            )
            error = await rpc_error(stub.CreateProcessInstanceWithResult(request))
            assert error.code() is Code.INVALID_ARGUMENT
            assert "'request.variables'" in (error.details() or "")

    run(scenario)


def test_publish_message_answers_its_key_and_a_duplicate_id_already_exists() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            request = pb.PublishMessageRequest(
                name="paid",
                correlationKey="o-1",
                timeToLive=60_000,
                messageId="m1",
                variables='{"x": 1}',
            )
            response = await stub.PublishMessage(request)
            assert response.key > 0
            assert response.tenantId == "<default>"
            duplicate = await rpc_error(stub.PublishMessage(request))
            assert duplicate.code() is Code.ALREADY_EXISTS
            assert "rejected with code 'ALREADY_EXISTS'" in (duplicate.details() or "")

    run(scenario)
    assert engine.commands[0].value == {
        "name": "paid",
        "correlationKey": "o-1",
        "timeToLive": 60_000,
        "messageId": "m1",
        "variables": {"x": 1},
    }


def test_broadcast_signal_and_set_variables() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            signal = await stub.BroadcastSignal(
                pb.BroadcastSignalRequest(signalName="alarm", variables='{"level": 3}')
            )
            assert signal.key > 0
            await deploy(stub)
            instance_key = await start(stub)
            update = await stub.SetVariables(
                pb.SetVariablesRequest(
                    elementInstanceKey=instance_key, variables='{"a": 1}', local=True
                )
            )
            assert update.key > 0
            missing = await rpc_error(
                stub.SetVariables(pb.SetVariablesRequest(elementInstanceKey=1, variables="{}"))
            )
            assert missing.code() is Code.NOT_FOUND

    run(scenario)
    assert engine.signals == [{"signalName": "alarm", "variables": {"level": 3}}]
    update_command = next(c for c in engine.commands if c.value_type is ValueType.VARIABLE_DOCUMENT)
    assert update_command.value["updateSemantics"] == "LOCAL"
    assert update_command.value["variables"] == {"a": 1}


def test_cancel_and_delete_resource() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            deployed = await deploy(stub)
            instance_key = await start(stub)
            await stub.CancelProcessInstance(
                pb.CancelProcessInstanceRequest(processInstanceKey=instance_key)
            )
            again = await rpc_error(
                stub.CancelProcessInstance(
                    pb.CancelProcessInstanceRequest(processInstanceKey=instance_key)
                )
            )
            assert again.code() is Code.NOT_FOUND
            key = deployed.deployments[0].process.processDefinitionKey
            await stub.DeleteResource(pb.DeleteResourceRequest(resourceKey=key))
            assert engine.processes["order"] == []

    run(scenario)
    cancel = next(c for c in engine.commands if c.value_type is ValueType.PROCESS_INSTANCE)
    assert (cancel.intent, cancel.value) == ("CANCEL", {})


def test_create_with_result_answers_variables_or_deadline_exceeded() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            await deploy(stub, NO_TASK_XML)
            await deploy(stub)
            done = await stub.CreateProcessInstanceWithResult(
                pb.CreateProcessInstanceWithResultRequest(
                    request=pb.CreateProcessInstanceRequest(
                        bpmnProcessId="instant", variables='{"a": 1, "b": 2}'
                    ),
                    fetchVariables=["a"],
                )
            )
            assert json.loads(done.variables) == {"a": 1}
            assert done.bpmnProcessId == "instant"
            waiting = pb.CreateProcessInstanceWithResultRequest(
                request=pb.CreateProcessInstanceRequest(bpmnProcessId="order"), requestTimeout=50
            )
            error = await rpc_error(stub.CreateProcessInstanceWithResult(waiting))
            assert error.code() is Code.DEADLINE_EXCEEDED
            assert "within 50 ms" in (error.details() or "")

    run(scenario)
    assert engine.commands[-1].timeout_ms == 50
    assert engine.commands[-2].timeout_ms == GatewayConfig().result_timeout_ms
    assert engine.commands[-2].intent == "CREATE_WITH_AWAITING_RESULT"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (Backpressure(), Code.RESOURCE_EXHAUSTED),
        (AnswerTimeout(), Code.DEADLINE_EXCEEDED),
        (CommandRejected(RejectionType.INVALID_STATE, "busy"), Code.FAILED_PRECONDITION),
        (CommandRejected(RejectionType.FORBIDDEN, "no"), Code.PERMISSION_DENIED),
        (CommandRejected(RejectionType.PROCESSING_ERROR, "bug"), Code.INTERNAL),
        (RuntimeError("bug"), Code.INTERNAL),
    ],
)
def test_engine_refusals_map_to_status_codes(error: Exception, code: grpc.StatusCode) -> None:
    engine = FakeEngine(fail_next=error)

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            failure = await rpc_error(
                stub.PublishMessage(pb.PublishMessageRequest(name="m", correlationKey="k"))
            )
            assert failure.code() is code
            # and the next call is served normally
            assert (await stub.PublishMessage(pb.PublishMessageRequest(name="m"))).key > 0

    run(scenario)


def test_evaluate_decision_maps_the_evaluation() -> None:
    from cadenza.api._port import Answer

    value = {
        "decisionKey": 7,
        "decisionId": "discount",
        "decisionName": "Discount",
        "decisionVersion": 2,
        "decisionRequirementsId": "drg",
        "decisionRequirementsKey": 6,
        "decisionOutput": '{"rate":0.1}',
        "evaluatedDecisions": [
            {
                "decisionId": "discount",
                "decisionKey": 7,
                "decisionType": "DECISION_TABLE",
                "decisionOutput": {"rate": 0.1},
                "evaluatedInputs": [{"inputId": "i1", "inputName": "Amount", "inputValue": 12}],
                "matchedRules": [
                    {
                        "ruleId": "r2",
                        "ruleIndex": 2,
                        "evaluatedOutputs": [
                            {"outputId": "o1", "outputName": "rate", "outputValue": 0.1}
                        ],
                    }
                ],
            }
        ],
    }
    engine = FakeEngine(decision_answer=Answer(99, "EVALUATED", value))

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            response = await stub.EvaluateDecision(
                pb.EvaluateDecisionRequest(decisionId="discount", variables='{"amount": 12}')
            )
            assert response.decisionOutput == '{"rate":0.1}'
            assert response.decisionEvaluationKey == 99
            [evaluated] = response.evaluatedDecisions
            assert json.loads(evaluated.decisionOutput) == {"rate": 0.1}
            assert evaluated.evaluatedInputs[0].inputValue == "12"
            assert evaluated.matchedRules[0].evaluatedOutputs[0].outputValue == "0.1"
            assert evaluated.decisionEvaluationInstanceKey == "99-1"
            neither = await rpc_error(stub.EvaluateDecision(pb.EvaluateDecisionRequest()))
            assert neither.code() is Code.INVALID_ARGUMENT

    run(scenario)
    assert engine.commands[0].value == {"decisionId": "discount", "variables": {"amount": 12}}


def test_topology_reports_this_node_as_leader_of_every_partition() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            topology = await stub.Topology(pb.TopologyRequest())
            assert (topology.clusterSize, topology.partitionsCount) == (1, 2)
            assert topology.replicationFactor == 1
            assert topology.gatewayVersion == "8.8.0"
            [broker] = topology.brokers
            assert (broker.nodeId, broker.host, broker.port) == (0, "127.0.0.1", 26500)
            assert [(p.partitionId, p.role, p.health) for p in broker.partitions] == [
                (1, pb.Partition.LEADER, pb.Partition.HEALTHY),
                (2, pb.Partition.LEADER, pb.Partition.HEALTHY),
            ]

    run(scenario)


def test_health_reports_serving_for_the_gateway_service() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (_stub, _server, channel):
            health = health_pb2_grpc.HealthStub(channel)
            for service in (SERVICE_NAME, ""):
                answer = await health.Check(health_pb2.HealthCheckRequest(service=service))
                assert answer.status == health_pb2.HealthCheckResponse.SERVING

    run(scenario)


def test_a_request_past_the_max_message_size_is_refused_clearly() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine(), GatewayConfig(max_message_size=4096)) as (stub, _s, _c):
            error = await rpc_error(deploy(stub, PROCESS_XML + b" " * 8192))
            assert error.code() is Code.RESOURCE_EXHAUSTED
            assert "larger than max" in (error.details() or "")
            assert (await deploy(stub)).deployments  # still serving

    run(scenario)


def test_the_default_max_message_size_is_well_above_zeebes_4_mib() -> None:
    assert GatewayConfig().max_message_size >= 16 * 4 * 1024 * 1024


def test_stop_ends_serving() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, server, _channel):
            await server.stop(0)
            assert await server.wait_for_termination(1.0)
            error = await rpc_error(stub.Topology(pb.TopologyRequest(), timeout=2))
            assert error.code() is Code.UNAVAILABLE

    run(scenario)


def test_create_needs_a_process_id_or_key() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            error = await rpc_error(stub.CreateProcessInstance(pb.CreateProcessInstanceRequest()))
            assert error.code() is Code.INVALID_ARGUMENT
            assert "neither was given" in (error.details() or "")

    run(scenario)
    assert engine.commands == []


def test_bad_or_taken_addresses_are_refused() -> None:
    async def scenario() -> None:
        with pytest.raises(ValueError, match="host:port"):
            await start_grpc_server(FakeEngine(), "localhost")
        async with serving(FakeEngine()) as (_stub, server, _channel):
            with pytest.raises(OSError, match=f"cannot listen on {server.address}"):
                await start_grpc_server(FakeEngine(), server.address)

    run(scenario)
