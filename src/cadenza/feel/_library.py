"""Loads every built-in function module so that the registry is complete."""

from __future__ import annotations

from cadenza.feel import (
    _lib_context,
    _lib_list,
    _lib_number,
    _lib_range,
    _lib_string,
    _lib_temporal,
)
from cadenza.feel._builtins import BUILTINS

__all__ = ["BUILTINS"]

# The modules register their functions when imported; keep the names referenced.
_MODULES = (_lib_context, _lib_list, _lib_number, _lib_range, _lib_string, _lib_temporal)
