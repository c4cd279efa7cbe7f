"""RFC 9457 problem responses, and how engine failures map to HTTP statuses as Camunda maps them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from cadenza.api._port import AnswerTimeout, Backpressure, CommandRejected
from cadenza.kernel._records import RejectionType

PROBLEM_MEDIA_TYPE = "application/problem+json"

_log = logging.getLogger("cadenza.api.rest")

# Camunda's gateway answers a rejection with the status below and the rejection name as title.
REJECTION_STATUS: dict[RejectionType, int] = {
    RejectionType.INVALID_ARGUMENT: 400,
    RejectionType.NOT_FOUND: 404,
    RejectionType.ALREADY_EXISTS: 409,
    RejectionType.INVALID_STATE: 409,
    RejectionType.PROCESSING_ERROR: 500,
    RejectionType.EXCEEDED_BATCH_RECORD_SIZE: 400,
    RejectionType.UNAUTHORIZED: 401,
    RejectionType.FORBIDDEN: 403,
    RejectionType.NULL_VAL: 500,
}


_HTTP_TITLES = {
    400: "INVALID_ARGUMENT",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
}


class RestProblem(Exception):
    """A request that ends in a problem response; raised anywhere inside a route."""

    def __init__(
        self, status: int, title: str, detail: str, problem_type: str = "about:blank"
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.problem_type = problem_type
        super().__init__(f"{status} {title}: {detail}")

    @classmethod
    def invalid(cls, detail: str) -> RestProblem:
        """400 for a request whose content is wrong (the detail names the field)."""
        return cls(400, "INVALID_ARGUMENT", detail)

    @classmethod
    def not_found(cls, detail: str) -> RestProblem:
        """404 for a key or resource that does not exist."""
        return cls(404, "NOT_FOUND", detail)


def problem_response(
    status: int, title: str, detail: str, instance: str, problem_type: str = "about:blank"
) -> Response:
    """A problem+json response with all five members the Camunda clients require."""
    body = {
        "type": problem_type,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def describe_validation_errors(errors: Sequence[Any]) -> str:
    """One line naming each bad field of a request, e.g. ``body.maxJobsToActivate: Field required``."""
    parts: list[str] = []
    for error in errors:
        loc = ".".join(str(p) for p in error.get("loc", ()))
        kind = error.get("type", "")
        if kind == "json_invalid":
            reason = error.get("ctx", {}).get("error", "invalid JSON")
            parts.append(f"request body is not valid JSON ({reason})")
        elif kind == "extra_forbidden":
            parts.append(f"{loc}: unknown property")
        elif kind == "missing" and loc == "body":
            parts.append("request body is required")
        elif loc == "body" and kind in ("model_attributes_type", "dict_type"):
            parts.append("request body must be a JSON object")
        else:
            parts.append(f"{loc}: {error.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


def rejection_problem(rejected: CommandRejected, instance: str) -> Response:
    """The response for an engine rejection."""
    status = REJECTION_STATUS.get(rejected.rejection_type, 400)
    return problem_response(status, rejected.rejection_type.name, rejected.reason, instance)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every failure a problem response, so no traceback reaches a client."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RestProblem)
        return problem_response(
            exc.status, exc.title, exc.detail, request.url.path, exc.problem_type
        )

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        detail = describe_validation_errors(exc.errors())
        return problem_response(400, "INVALID_ARGUMENT", detail, request.url.path)

    async def on_rejected(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CommandRejected)
        return rejection_problem(exc, request.url.path)

    async def on_backpressure(request: Request, exc: Exception) -> Response:
        detail = str(exc) or "the engine is at its in-flight limit; retry after a backoff"
        return problem_response(503, "RESOURCE_EXHAUSTED", detail, request.url.path)

    async def on_timeout(request: Request, exc: Exception) -> Response:
        detail = str(exc) or "the engine did not answer within the request timeout"
        return problem_response(504, "DEADLINE_EXCEEDED", detail, request.url.path)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        title = _HTTP_TITLES.get(exc.status_code, "ERROR")
        return problem_response(exc.status_code, title, str(exc.detail), request.url.path)

    async def on_bug(request: Request, exc: Exception) -> Response:
        _log.exception("unexpected failure serving %s %s", request.method, request.url.path)
        detail = "an unexpected error occurred while processing the request"
        return problem_response(500, "INTERNAL_ERROR", detail, request.url.path)

    app.add_exception_handler(RestProblem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(CommandRejected, on_rejected)
    app.add_exception_handler(Backpressure, on_backpressure)
    app.add_exception_handler(AnswerTimeout, on_timeout)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_bug)
