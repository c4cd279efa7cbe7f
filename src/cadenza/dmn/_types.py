"""DMN types: typeRef text and item definitions -> checkable types, and the DMN conversions
(singleton list <-> element) applied where a value meets a declared type."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cadenza.dmn import _feel
from cadenza.dmn._model import ItemDefinition
from cadenza.model import Problem

_BUILTIN_ALIASES = {
    "number": "number",
    "string": "string",
    "boolean": "boolean",
    "date": "date",
    "time": "time",
    "date and time": "date and time",
    "dateTime": "date and time",
    "datetime": "date and time",
    "days and time duration": "days and time duration",
    "dayTimeDuration": "days and time duration",
    "years and months duration": "years and months duration",
    "yearMonthDuration": "years and months duration",
    "duration": "duration",
    "context": "context",
    "list": "list",
    "function": "function",
    "range": "range",
    "Any": "Any",
    "any": "Any",
    "Null": "Null",
}


@dataclass(frozen=True, slots=True)
class DmnType:
    """A resolved type. ``kind`` is a FEEL built-in name or one of list/context/function/range.

    ``element`` is the item type of a list or range; ``fields`` the entries a context must have;
    ``allowed`` the allowed-values test (already compiled); ``name`` the declared name."""

    kind: str
    name: str
    element: DmnType | None = None
    fields: tuple[tuple[str, DmnType], ...] | None = None
    parameters: tuple[DmnType, ...] | None = None
    output: DmnType | None = None
    allowed: Callable[[Any], bool] | None = None


ANY = DmnType("Any", "Any")


def value_kind(value: Any) -> str:
    """The FEEL built-in type name of a value ("Null" for null)."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | Decimal | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "date and time"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "context"
    return _feel.special_kind(value)


def conforms(value: Any, declared: DmnType, allowed: bool = True) -> bool:
    """True when ``value`` is an instance of ``declared`` (null conforms to every type).

    ``allowed`` False leaves the allowed values out, as FEEL ``instance of`` does (the DMN
    TCK: ``256 instance of t255`` is true for a number type limited to ``<= 255``)."""
    if value is None:
        return True
    kind = declared.kind
    if kind == "Any":
        ok = True
    elif kind == "list":
        ok = isinstance(value, list | tuple) and (
            declared.element is None or all(conforms(v, declared.element, allowed) for v in value)
        )
    elif kind == "context":
        ok = isinstance(value, Mapping) and (
            declared.fields is None
            or all(
                name in value and conforms(value[name], t, allowed) for name, t in declared.fields
            )
        )
    elif kind == "duration":
        ok = value_kind(value) in {"days and time duration", "years and months duration"}
    else:
        ok = value_kind(value) == kind
    if ok and allowed and declared.allowed is not None:
        ok = declared.allowed(value)
    return ok


def coerce(value: Any, declared: DmnType | None) -> tuple[Any, bool]:
    """Apply the DMN conversions towards ``declared``; returns (value, conformed).

    A value that does not conform becomes null, reported through ``conformed`` False."""
    if declared is None or value is None or conforms(value, declared):
        return value, True
    if (
        declared.kind == "list"
        and declared.element is not None
        and conforms(value, declared.element)
    ):
        return [value], True
    if isinstance(value, list | tuple) and len(value) == 1 and conforms(value[0], declared):
        return value[0], True
    return None, False


class TypeResolver:
    """Resolves typeRefs against a model's item definitions (and imported ones by prefix)."""

    def __init__(
        self,
        items: tuple[ItemDefinition, ...],
        imported: Mapping[str, TypeResolver] | None = None,
        resource: str = "",
    ) -> None:
        self.resource = resource
        self.problems: list[Problem] = []
        self._items = {item.name: item for item in items}
        self._imported = dict(imported or {})
        self._cache: dict[str, DmnType] = {}
        self._resolving: set[str] = set()

    def resolve(self, type_ref: str | None) -> DmnType | None:
        """The type a typeRef names; None when there is no typeRef (no check applies)."""
        if type_ref is None:
            return None
        cached = self._cache.get(type_ref)
        if cached is None:
            cached = self._resolve(type_ref.strip())
            self._cache[type_ref] = cached
        return cached

    def _resolve(self, text: str) -> DmnType:
        if text in self._items:
            if text in self._resolving:
                return ANY  # a recursive type: checked one level deep only
            self._resolving.add(text)
            try:
                return self._item(self._items[text])
            finally:
                self._resolving.discard(text)
        if text in _BUILTIN_ALIASES:
            kind = _BUILTIN_ALIASES[text]
            return DmnType(kind, text)
        parsed = _parse_type_expression(text, self._resolve)
        if parsed is not None:
            return parsed
        prefix, _, rest = text.partition(".")
        if rest and prefix in self._imported:
            found = self._imported[prefix].resolve(rest)
            return found if found is not None else ANY
        return ANY  # unknown names are not checked rather than failing every evaluation

    def _allowed(self, item: ItemDefinition) -> Callable[[Any], bool]:
        text = item.allowed_values or ""
        try:
            return _feel.unary_test(text)
        except _feel.FeelSyntaxError as error:
            message = f"FEEL syntax error in allowed values {text.strip()!r}: {error}"
        except Exception as error:  # a compiler defect: reported, located
            message = f"FEEL could not compile {text.strip()!r}: {type(error).__name__}: {error}"
        self.problems.append(
            Problem(self.resource, item.source.line, item.source.element_id, message)
        )
        return _no_constraint

    def _item(self, item: ItemDefinition) -> DmnType:
        if item.function_parameters is not None:
            base = DmnType(
                "function",
                item.name,
                parameters=tuple(
                    self._resolve(p.type_ref or "Any") for p in item.function_parameters
                ),
                output=self._resolve(item.function_output) if item.function_output else ANY,
            )
        elif item.components:
            base = DmnType(
                "context",
                item.name,
                fields=tuple((c.name, self._item(c)) for c in item.components),
            )
        elif item.type_ref is not None:
            base = self._resolve(item.type_ref)
        else:
            base = ANY
        if item.allowed_values is not None:
            test = self._allowed(item)
            base = DmnType(
                base.kind, item.name, base.element, base.fields, base.parameters, base.output, test
            )
        if item.is_collection:
            return DmnType("list", item.name, element=base)
        if base.name != item.name:
            base = DmnType(
                base.kind,
                item.name,
                base.element,
                base.fields,
                base.parameters,
                base.output,
                base.allowed,
            )
        return base


def _no_constraint(_value: Any) -> bool:
    return True


_GENERIC = re.compile(r"^(list|range|context|function)\s*<(.*)>\s*(?:->\s*(.+))?$", re.DOTALL)


def _split_top(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def _parse_type_expression(text: str, resolve: Callable[[str], DmnType]) -> DmnType | None:
    match = _GENERIC.match(text)
    if match is None:
        return None
    kind, inner, output = match.group(1), match.group(2), match.group(3)
    if kind in {"list", "range"}:
        return DmnType(kind, text, element=resolve(inner.strip()))
    if kind == "context":
        fields = []
        for part in _split_top(inner):
            name, _, type_text = part.partition(":")
            fields.append((name.strip().strip('"'), resolve(type_text.strip())))
        return DmnType("context", text, fields=tuple(fields))
    return DmnType(
        "function",
        text,
        parameters=tuple(resolve(p) for p in _split_top(inner)),
        output=resolve(output.strip()) if output else ANY,
    )
