"""Variables on the wire: JSON text in, JSON text out."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from cadenza.api.grpc._errors import invalid_argument

_JSON_KINDS: dict[type, str] = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _reject_constant(name: str) -> NoReturn:
    # Python's json accepts NaN and Infinity, which are not JSON; Zeebe refuses them too.
    raise ValueError(f"{name} is not a JSON value")


def parse_variables(text: str, field: str = "variables") -> dict[str, Any]:
    """Parse a variables document; empty text means no variables.

    Raises ``GatewayError`` (INVALID_ARGUMENT) naming ``field`` when the text is not JSON or its
    root is not an object.
    """
    if not text.strip():
        return {}
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise invalid_argument(
            f"Expected '{field}' to be a JSON object, but it is not valid JSON: {error.msg} "
            f"at line {error.lineno}, column {error.colno}"
        ) from None
    except ValueError as error:
        raise invalid_argument(
            f"Expected '{field}' to be a JSON object, but it is not valid JSON: {error}"
        ) from None
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), type(document).__name__)
        raise invalid_argument(
            f"Expected '{field}' to be a JSON object at its root, but it is {kind}"
        )
    return document


def dump_json(value: Any) -> str:
    """JSON text for a value going to a client (compact, non-ASCII kept as is)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_text(value: Any) -> str:
    """JSON text for a value of a record that Zeebe already carries as JSON text.

    Decision outputs and evaluated input and output values are JSON documents in Zeebe's record
    values; a ``str`` is taken as such a document, anything else is serialized.
    """
    if isinstance(value, str):
        return value
    return dump_json(value)
