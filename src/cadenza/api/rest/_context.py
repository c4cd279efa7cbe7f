"""What every route of the REST API shares: the engine port, the settings, the stop signal."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from cadenza.api._port import EnginePort
from cadenza.api.rest._problems import RestProblem
from cadenza.api.rest._shapes import DEFAULT_TENANT
from cadenza.api.rest._wire import parse_key


@dataclass(frozen=True, slots=True)
class RestSettings:
    """Limits and defaults of the REST API.

    ``max_body_bytes``: larger request bodies get 413. ``long_poll_default_ms``: how long job
    activation waits for jobs when the request sets no ``requestTimeout`` (Zeebe's default is
    10 s). ``await_completion_default_ms``: how long create-with-result waits by default.
    """

    max_body_bytes: int = 64 * 1024 * 1024
    long_poll_default_ms: int = 10_000
    long_poll_max_ms: int = 300_000
    await_completion_default_ms: int = 15_000


@dataclass(slots=True)
class RestContext:
    """The engine and settings behind one app; ``stopping`` ends long polls on shutdown."""

    port: EnginePort
    settings: RestSettings
    stopping: asyncio.Event = field(default_factory=asyncio.Event)


def path_key(value: str, name: str) -> int:
    """A key from the URL path; 400 naming the parameter when malformed."""
    return parse_key(value, name)


def tenant_of(tenant_id: str | None) -> str:
    """The tenant a request addresses (the default tenant when it names none)."""
    if tenant_id is None or tenant_id == "":
        return DEFAULT_TENANT
    return tenant_id


def require_one(first: object, second: object, names: tuple[str, str]) -> None:
    """400 unless exactly one of two alternative members is given."""
    if (first is None) == (second is None):
        raise RestProblem.invalid(f"exactly one of '{names[0]}' and '{names[1]}' is required")
