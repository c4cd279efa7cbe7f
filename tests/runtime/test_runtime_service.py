"""The engine service behind the gateways: group commit, answers, long polls, back-pressure."""

from __future__ import annotations

import asyncio
import pathlib

import pytest
from runtime_models import ONE_TASK, TIMER_WAIT

from cadenza.api._port import AnswerTimeout, Backpressure, Command, CommandRejected, JobActivation
from cadenza.kernel import ValueType
from cadenza.runtime._service import EngineService
from cadenza.store import SqliteStore


def _service(tmp_path: pathlib.Path, **options: int) -> EngineService:
    return EngineService(SqliteStore(tmp_path / "db.sqlite"), **options)  # type: ignore[arg-type]


def _deploy(text: str, name: str) -> Command:
    return Command(
        ValueType.DEPLOYMENT, "CREATE", {"resources": [{"resourceName": name, "resource": text}]}
    )


def _create(process_id: str, **variables: object) -> Command:
    return Command(
        ValueType.PROCESS_INSTANCE_CREATION,
        "CREATE",
        {"bpmnProcessId": process_id, "version": -1, "variables": variables},
    )


def test_concurrent_commands_are_answered_and_committed(tmp_path: pathlib.Path) -> None:
    service = _service(tmp_path)

    async def scenario() -> list[int]:
        await service.execute(_deploy(ONE_TASK, "one.bpmn"))
        answers = await asyncio.gather(*(service.execute(_create("one", n=i)) for i in range(200)))
        return [a.value["processInstanceKey"] for a in answers]

    keys = asyncio.run(scenario())
    service.close()
    assert len(set(keys)) == 200
    store = SqliteStore(tmp_path / "db.sqlite")
    created = [
        r.key
        for r in store.read(1)
        if r.intent == "CREATED" and r.value_type is ValueType.PROCESS_INSTANCE_CREATION
    ]
    store.close()
    assert sorted(created) == sorted(keys)


def test_rejections_raise_command_rejected(tmp_path: pathlib.Path) -> None:
    service = _service(tmp_path)

    async def scenario() -> None:
        with pytest.raises(CommandRejected) as rejected:
            await service.execute(_create("missing"))
        assert rejected.value.rejection_type.name == "NOT_FOUND"
        assert "missing" in rejected.value.reason

    asyncio.run(scenario())
    service.close()


def test_long_poll_wakes_when_a_job_is_created(tmp_path: pathlib.Path) -> None:
    service = _service(tmp_path)

    async def scenario() -> list[dict[str, object]]:
        await service.execute(_deploy(ONE_TASK, "one.bpmn"))
        waiter = asyncio.create_task(service.wait_for_jobs("work", 5.0))
        await asyncio.sleep(0.05)
        assert not waiter.done()
        await service.execute(_create("one", n=7))
        assert await asyncio.wait_for(waiter, 2.0) is True
        return await service.activate_jobs(JobActivation("work", "w", 60_000, 10))

    jobs = asyncio.run(scenario())
    service.close()
    assert len(jobs) == 1 and jobs[0]["variables"] == {"n": 7} and jobs[0]["key"] > 0


def test_create_with_result_times_out(tmp_path: pathlib.Path) -> None:
    service = _service(tmp_path)

    async def scenario() -> None:
        await service.execute(_deploy(TIMER_WAIT, "wait.bpmn"))
        command = Command(
            ValueType.PROCESS_INSTANCE_CREATION,
            "CREATE_WITH_AWAITING_RESULT",
            {"bpmnProcessId": "wait", "version": -1, "variables": {}},
            timeout_ms=300,
        )
        with pytest.raises(AnswerTimeout):
            await service.execute(command)

    asyncio.run(scenario())
    service.close()


def test_backpressure_when_too_many_commands_are_in_flight(tmp_path: pathlib.Path) -> None:
    service = _service(tmp_path, max_in_flight=1)
    with service._wakeup:  # hold the processing thread so commands stay queued
        service.submit(_record_of(_create("one")))
        with pytest.raises(Backpressure):
            service.submit(_record_of(_create("one")))
    service.close()


def _record_of(command: Command):  # type: ignore[no-untyped-def]
    from cadenza.kernel import command as make

    return make(command.value_type, command.intent, dict(command.value))
