"""A deterministic test harness: the embedded engine in memory, a controlled clock, and
assertions on the record stream.

    from datetime import timedelta
    from cadenza.testing import Harness

    h = Harness()
    h.deploy("order.bpmn")
    key = h.create_instance("order", {"orderId": "o-1"})
    h.advance(timedelta(hours=1))          # fires due timers, runs in-process workers
    h.assert_element_completed(key, "reminder")
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from cadenza.kernel import Record, RecordType, ValueType
from cadenza.runtime import ControlledClock, Engine, MemoryStore
from cadenza.store import LogStore

__all__ = ["Harness"]


class Harness(Engine):
    """An engine whose clock moves only when ``advance`` is called."""

    def __init__(self, start: datetime | None = None, *, store: LogStore | None = None) -> None:
        self.clock = ControlledClock(start)
        super().__init__(store=store or MemoryStore(), clock=self.clock)

    @property
    def now(self) -> datetime:
        """The harness's current time."""
        return self.clock.now

    def advance(self, delta: timedelta) -> None:
        """Move time forward, then fire what is due and run the in-process workers."""
        self.clock.advance(delta)
        self.run_until_idle()

    # -- the record stream -------------------------------------------------------------------
    def records(
        self,
        value_type: ValueType | None = None,
        intent: str | None = None,
        *,
        element_id: str | None = None,
        process_instance_key: int | None = None,
        events_only: bool = True,
    ) -> list[Record]:
        """The logged records, filtered."""
        selected = []
        for record in super().records():
            if events_only and record.record_type is not RecordType.EVENT:
                continue
            if value_type is not None and record.value_type is not value_type:
                continue
            if intent is not None and record.intent != intent:
                continue
            if element_id is not None and record.value.get("elementId") != element_id:
                continue
            if (
                process_instance_key is not None
                and record.value.get("processInstanceKey") != process_instance_key
            ):
                continue
            selected.append(record)
        return selected

    def rejections(self) -> list[Record]:
        """Every rejected command."""
        return [r for r in super().records() if r.record_type is RecordType.COMMAND_REJECTION]

    def element_intents(self, process_instance_key: int) -> list[tuple[str, str]]:
        """(element id, intent) of every PROCESS_INSTANCE event of an instance, in order."""
        return [
            (r.value["elementId"], r.intent)
            for r in self.records(
                ValueType.PROCESS_INSTANCE, process_instance_key=process_instance_key
            )
        ]

    def completed_elements(self, process_instance_key: int) -> list[str]:
        """Ids of the elements that completed, in order."""
        return [
            element
            for element, intent in self.element_intents(process_instance_key)
            if intent == "ELEMENT_COMPLETED"
        ]

    def variables(self, process_instance_key: int) -> dict[str, Any]:
        """The root variables of an instance, as the VARIABLE records left them."""
        return self.instance_variables(process_instance_key)

    def jobs(self, job_type: str | None = None) -> list[dict[str, Any]]:
        """Jobs that exist now (any state), each with its key and state."""
        return [
            {"key": job.key, "state": job.state, **job.value}
            for job in self.state.jobs.values()
            if job_type is None or job.value["type"] == job_type
        ]

    # -- assertions --------------------------------------------------------------------------
    def assert_instance_completed(self, process_instance_key: int) -> None:
        """The process instance completed."""
        state = self.instance_state(process_instance_key)
        assert state == "COMPLETED", f"instance {process_instance_key} is {state}"

    def assert_instance_terminated(self, process_instance_key: int) -> None:
        """The process instance was terminated (cancelled)."""
        state = self.instance_state(process_instance_key)
        assert state == "TERMINATED", f"instance {process_instance_key} is {state}"

    def assert_element_completed(self, process_instance_key: int, element_id: str) -> None:
        """``element_id`` completed at least once in the instance."""
        completed = self.completed_elements(process_instance_key)
        assert element_id in completed, f"{element_id} not completed; completed: {completed}"

    def assert_element_not_reached(self, process_instance_key: int, element_id: str) -> None:
        """``element_id`` was never activated in the instance."""
        reached = {e for e, _ in self.element_intents(process_instance_key)}
        assert element_id not in reached, f"{element_id} was reached"

    def assert_incident(self, process_instance_key: int, error_type: str) -> dict[str, Any]:
        """An open incident of ``error_type`` exists in the instance; returns it."""
        found = [i for i in self.incidents(process_instance_key) if i["errorType"] == error_type]
        assert found, f"no {error_type} incident; open: {self.incidents(process_instance_key)}"
        return found[0]


def intents(records: Iterable[Record]) -> list[str]:
    """The intents of ``records``, in order."""
    return [r.intent for r in records]
