"""Cadenza: a BPMN 2.0 / DMN process orchestrator that speaks Camunda 8's protocols.

``cadenza.Engine`` runs embedded (SQLite or memory); ``cadenza.testing.Harness`` adds a
controlled clock and assertions on the record stream."""

from cadenza.errors import CommandRejected
from cadenza.runtime import ActivatedJob, BpmnError, Deployment, Engine
from cadenza.runtime.collect import job_worker

__all__ = [
    "ActivatedJob",
    "BpmnError",
    "CommandRejected",
    "Deployment",
    "Engine",
    "job_worker",
]
__version__ = "0.1.0"
