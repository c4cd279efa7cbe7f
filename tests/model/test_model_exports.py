"""The public surface of ``cadenza.model`` is exactly what ``__all__`` says, all documented."""

from __future__ import annotations

import inspect

from cadenza import model


def test_all_names_exist_and_are_documented() -> None:
    for name in model.__all__:
        value = getattr(model, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_no_private_module_leaks_a_public_name() -> None:
    public = {n for n in vars(model) if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(model, n))}
    assert public - modules == set(model.__all__)


def test_entry_points() -> None:
    assert {"transform", "load", "Transformed", "due_date", "parse_cycle"} <= set(model.__all__)
