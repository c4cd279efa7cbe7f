"""Reading DMN files from disk for :mod:`cadenza.dmn`, which itself reads no files."""

from __future__ import annotations

import os
from collections.abc import Iterable

from cadenza import dmn
from cadenza.model import Problem

__all__ = ["parse_file", "parse_files"]


def parse_file(
    path: str | os.PathLike[str], *, strict: bool = True, check_values: bool = False
) -> dmn.DecisionModel:
    """Parse one ``.dmn`` file; raises :class:`cadenza.dmn.DmnError` when it cannot be read
    or is not a valid model (the file name is the problems' resource)."""
    name = os.fspath(path)
    return dmn.parse(_read(name), name, strict=strict, check_values=check_values)


def parse_files(
    paths: Iterable[str | os.PathLike[str]], *, strict: bool = True, check_values: bool = False
) -> dict[str, dmn.DecisionModel]:
    """Parse ``.dmn`` files that import one another; returns the models by file name."""
    resources = [(os.fspath(p), _read(os.fspath(p))) for p in paths]
    return dmn.parse_many(resources, strict=strict, check_values=check_values)


def _read(name: str) -> bytes:
    try:
        with open(name, "rb") as handle:
            return handle.read(dmn.MAX_RESOURCE_BYTES + 1)
    except OSError as error:
        raise dmn.DmnError(
            [Problem(name, 0, None, f"cannot read: {error.strerror or error}")]
        ) from error
