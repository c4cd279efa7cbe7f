"""How values travel on the REST wire: keys as decimal strings, instants as ISO 8601 text.

Camunda's REST API sends every 64-bit key as a string, because JavaScript clients cannot hold
them in a number; the engine and the read model use Python ints.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi.routing import APIRoute
from pydantic import BeforeValidator, PlainSerializer
from starlette.requests import Request
from starlette.responses import Response

from cadenza.api.rest._problems import RestProblem

_MAX_KEY = 2**63 - 1


def parse_key(value: object, field: str = "key") -> int:
    """A key from the wire (decimal string, or int from lenient clients); 400 when malformed."""
    if isinstance(value, bool):
        raise RestProblem.invalid(f"'{field}' must be a key (a decimal string), got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    else:
        raise RestProblem.invalid(f"'{field}' must be a key (a decimal string), got {value!r}")
    if not 0 <= number <= _MAX_KEY:
        raise RestProblem.invalid(f"'{field}' must be a positive 64-bit key, got {value!r}")
    return number


def format_key(value: int | None) -> str | None:
    """A key for the wire; ``None`` and the engine's "no key" (-1, 0) stay null."""
    if value is None or value <= 0:
        return None
    return str(value)


def _key_from_wire(value: object) -> int:
    try:
        return parse_key(value)
    except RestProblem as problem:
        # pydantic reports ValueError with the field's location, which the 400 detail names
        raise ValueError(problem.detail) from None


KeyParam = Annotated[int, BeforeValidator(_key_from_wire)]
"""A key field of a request body: accepts ``"2251799813685249"`` (and a JSON number)."""

WireKey = Annotated[int, PlainSerializer(lambda k: str(k), return_type=str)]
"""A key field of a response body: an int inside, a string on the wire."""


def format_instant(epoch_ms: int | None) -> str | None:
    """Milliseconds since the epoch as ISO 8601 UTC text with milliseconds, or None."""
    if epoch_ms is None or epoch_ms < 0:
        return None
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_instant(value: object, field: str) -> int:
    """ISO 8601 date-time text from a filter as milliseconds since the epoch; 400 otherwise."""
    if not isinstance(value, str):
        raise RestProblem.invalid(f"'{field}' must be an ISO 8601 date-time, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RestProblem.invalid(
            f"'{field}' must be an ISO 8601 date-time, got {value!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def json_text(value: Any) -> str:
    """A value as the JSON text Camunda uses for variable values and decision outputs."""
    if isinstance(value, str | bytes):
        # the engine may already hand over JSON text (Zeebe's records do)
        text = value.decode() if isinstance(value, bytes) else value
        try:
            json.loads(text)
        except ValueError:
            return json.dumps(text)
        return text
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def encode_cursor(offset: int) -> str:
    """An opaque page cursor (base64, as the SDK's cursor pattern requires) for an offset."""
    return base64.b64encode(f"o{offset}".encode()).decode()


def decode_cursor(cursor: str, field: str) -> int:
    """The offset a cursor of ``encode_cursor`` stands for; 400 for anything else."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith("o") or not text[1:].isdigit():
        raise RestProblem.invalid(f"'{field}' is not a cursor returned by this server")
    return int(text[1:])


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


class StrictJsonRequest(Request):
    """A request whose JSON body must be strict JSON: ``NaN`` and ``Infinity`` are refused
    (Python's parser would accept them)."""

    async def json(self) -> Any:
        """The parsed body."""
        if not hasattr(self, "_json"):
            body = await self.body()
            self._json = json.loads(body, parse_constant=_refuse_constant)
        return self._json


class StrictJsonRoute(APIRoute):
    """Routes whose requests parse their JSON bodies strictly."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the handler so it sees a ``StrictJsonRequest``."""
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict
