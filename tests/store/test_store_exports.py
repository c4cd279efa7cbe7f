"""The public surface of cadenza.store is what ``__all__`` says."""

from __future__ import annotations

import cadenza.store as store


def test_all_names_exist_and_are_documented() -> None:
    for name in store.__all__:
        value = getattr(store, name)
        if isinstance(value, type):
            assert value.__doc__, f"{name} has no docstring"
    assert sorted(store.__all__) == sorted(set(store.__all__))


def test_public_names_are_exported() -> None:
    public = {
        name
        for name, value in vars(store).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("cadenza.")
    }
    assert public == set(store.__all__) - {"MAX_PAGE_SIZE"}
    assert isinstance(store.MAX_PAGE_SIZE, int)
