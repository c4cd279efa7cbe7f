"""The Zeebe gateway protocol: ``gateway.proto`` and the modules generated from it at build time.

``gateway_pb2`` (messages) and ``gateway_pb2_grpc`` (service stubs) are written here by the
build hook (``hatch_build.py``) and are not kept in version control.
"""

from __future__ import annotations

import importlib
from types import ModuleType

GENERATED_MODULES = ("gateway_pb2", "gateway_pb2_grpc")
"""The modules the build hook writes into this package."""


def __getattr__(name: str) -> ModuleType:
    # Reached on the first import of a generated module: say how to get it when it is missing.
    if name not in GENERATED_MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    qualified = f"{__name__}.{name}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as error:
        if error.name != qualified:
            raise
        raise ImportError(
            f"{qualified} is generated from gateway.proto when Cadenza is built; "
            "reinstall it (pip install -e .) to generate it"
        ) from None
