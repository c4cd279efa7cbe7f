"""The runtime: partitions over a store and a clock, the embedded engine, in-process workers."""

from cadenza.runtime._clock import Clock, ControlledClock, SystemClock
from cadenza.runtime._engine import DeployedProcessInfo, Deployment, Engine
from cadenza.runtime._memory import MemoryStore
from cadenza.runtime._partition import Partition
from cadenza.runtime._workers import ActivatedJob, BpmnError, Worker

__all__ = [
    "ActivatedJob",
    "BpmnError",
    "Clock",
    "ControlledClock",
    "DeployedProcessInfo",
    "Deployment",
    "Engine",
    "MemoryStore",
    "Partition",
    "SystemClock",
    "Worker",
]
