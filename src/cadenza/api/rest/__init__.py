"""Camunda 8 REST API v2 for Cadenza: ``create_app`` builds the FastAPI application over an
``EnginePort``; ``start_rest_server`` serves it with uvicorn on the running event loop.

The read-model queries the search endpoints need are the contract in ``_queries``
(``SEARCHES``, ``PROCESS_DEFINITION_XML``, ``USER_TASK_FORM``, ``UnsupportedQuery``).
"""

from cadenza.api.rest._app import API_PREFIX, RestServer, create_app, start_rest_server
from cadenza.api.rest._context import RestSettings
from cadenza.api.rest._problems import REJECTION_STATUS, RestProblem
from cadenza.api.rest._queries import (
    PROCESS_DEFINITION_XML,
    SEARCHES,
    USER_TASK_FORM,
    FieldKind,
    SearchSpec,
    UnsupportedQuery,
)
from cadenza.api.rest._shapes import ROW_FIELDS

__all__ = [
    "API_PREFIX",
    "PROCESS_DEFINITION_XML",
    "REJECTION_STATUS",
    "ROW_FIELDS",
    "SEARCHES",
    "USER_TASK_FORM",
    "FieldKind",
    "RestProblem",
    "RestServer",
    "RestSettings",
    "SearchSpec",
    "UnsupportedQuery",
    "create_app",
    "start_rest_server",
]
