"""Variables: scopes, local writes and Zeebe's propagation rule.

A variable lives in a scope (an element instance key). Reads look outwards from a scope; a
non-local write goes to the closest scope where the name already exists, else to the root scope
of the process instance (docs.camunda.io, "Variables")."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from cadenza.kernel._context import Context
from cadenza.kernel._intents import Variable
from cadenza.kernel._state import State


def encode(value: Any) -> str:
    """The JSON text of a variable value, as records carry it."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # integers beyond 64 bits: the standard library keeps them exact
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def decode(text: str) -> Any:
    """The value of a variable's JSON text."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class ScopeView(Mapping[str, Any]):
    """The variables visible from a scope, innermost first, with an optional overlay on top.

    Lookups walk the scope chain lazily, so a large variable in an outer scope costs nothing
    unless an expression reads it."""

    __slots__ = ("_chain", "_overlay", "_state")

    def __init__(
        self, state: State, scope_key: int, overlay: Mapping[str, Any] | None = None
    ) -> None:
        self._state = state
        self._chain = state.scope_chain(scope_key) if scope_key != -1 else []
        self._overlay = overlay

    def __getitem__(self, name: str) -> Any:
        if self._overlay is not None and name in self._overlay:
            return self._overlay[name]
        variables = self._state.variables
        for key in self._chain:
            scope = variables.get(key)
            if scope is not None and name in scope:
                return scope[name]
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        if self._overlay is not None and name in self._overlay:
            return True
        variables = self._state.variables
        return any(name in variables.get(key, ()) for key in self._chain)

    def __iter__(self) -> Iterator[str]:
        return iter(self.collect())

    def __len__(self) -> int:
        return len(self.collect())

    def collect(self) -> dict[str, Any]:
        """Every visible variable as a plain dict (inner scopes shadow outer ones)."""
        result: dict[str, Any] = {}
        for key in reversed(self._chain):
            result.update(self._state.variables.get(key, {}))
        if self._overlay is not None:
            result.update(self._overlay)
        return result


def _owner_value(state: State, scope_key: int) -> dict[str, Any]:
    instance = state.elements.get(scope_key)
    return instance.value if instance is not None else {}


def set_local(ctx: Context, scope_key: int, name: str, value: Any) -> None:
    """Create or update ``name`` in exactly ``scope_key`` (no event when unchanged)."""
    state = ctx.state
    scope = state.variables.get(scope_key)
    if scope is not None and name in scope:
        old = scope[name]
        if old == value and type(old) is type(value):
            return
        intent = Variable.UPDATED
        key = state.variable_keys[scope_key][name]
    else:
        intent = Variable.CREATED
        key = ctx.new_key()
    owner = _owner_value(state, scope_key)
    ctx.variable_event(
        value,
        intent,
        key,
        {
            "name": name,
            "value": encode(value),
            "scopeKey": scope_key,
            "processInstanceKey": owner.get("processInstanceKey", scope_key),
            "processDefinitionKey": owner.get("processDefinitionKey", -1),
            "bpmnProcessId": owner.get("bpmnProcessId", ""),
            "tenantId": owner.get("tenantId", "<default>"),
        },
    )


def set_locals(ctx: Context, scope_key: int, variables: Mapping[str, Any]) -> None:
    """Set each variable locally in ``scope_key``."""
    for name, value in variables.items():
        set_local(ctx, scope_key, name, value)


def merge(ctx: Context, scope_key: int, variables: Mapping[str, Any]) -> None:
    """Propagate each variable from ``scope_key``: to the closest scope that has it, else root."""
    if not variables:
        return
    state = ctx.state
    chain = state.scope_chain(scope_key)
    if not chain:
        return
    root = chain[-1]
    for name, value in variables.items():
        target = root
        for key in chain:
            scope = state.variables.get(key)
            if scope is not None and name in scope:
                target = key
                break
        set_local(ctx, target, name, value)


def visible(state: State, scope_key: int, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The variables visible from ``scope_key`` (only ``names`` when given)."""
    view = ScopeView(state, scope_key)
    if names:
        return {n: view[n] for n in names if n in view}
    return view.collect()
