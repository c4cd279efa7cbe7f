"""Build hook: generate the gRPC gateway's protobuf modules when the wheel is built.

The generated modules are not kept in git. Building a wheel, or installing the project editable
(``pip install -e .``), runs ``grpc_tools.protoc`` on ``src/cadenza/api/grpc/_proto/gateway.proto``
and writes ``gateway_pb2.py``, ``gateway_pb2.pyi`` and ``gateway_pb2_grpc.py`` next to it; the
wheel ships them as artifacts.

Two edits follow generation:

- the message descriptors go into a private descriptor pool instead of protobuf's default pool.
  Zeebe clients (pyzeebe, zeebe-grpc) register the same ``gateway_protocol.*`` names in the default
  pool, and a pool refuses a second file defining the same names; with a private pool a Cadenza
  server and such a client live in one process;
- the generated files are marked for mypy to skip: the gRPC plugin writes untyped code and the
  stubs protoc writes use bare generics, which strict mode refuses (their types are still used).
"""

from __future__ import annotations

import pathlib
import sys
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PROTO_ROOT = pathlib.Path("src")
PROTO_FILE = pathlib.Path("cadenza/api/grpc/_proto/gateway.proto")
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")

_DEFAULT_POOL = "_descriptor_pool.Default().AddSerializedFile("
_PRIVATE_POOL = "_descriptor_pool.DescriptorPool().AddSerializedFile("


class GrpcStubsBuildHook(BuildHookInterface):
    """Runs protoc for the gateway protocol before the wheel (standard or editable) is built."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Generate the modules and add them to the wheel's artifacts."""
        if self.target_name != "wheel":
            return
        root = pathlib.Path(self.root)
        generated = generate(root)
        build_data.setdefault("artifacts", []).extend(
            path.relative_to(root).as_posix() for path in generated
        )


def generate(root: pathlib.Path) -> list[pathlib.Path]:
    """Run protoc for the gateway protocol under ``root``; answer the files written."""
    from grpc_tools import protoc

    source_root = root / PROTO_ROOT
    args = [
        "grpc_tools.protoc",
        f"--proto_path={source_root}",
        f"--python_out={source_root}",
        f"--pyi_out={source_root}",
        f"--grpc_python_out={source_root}",
        str(source_root / PROTO_FILE),
    ]
    if protoc.main(args) != 0:
        sys.exit(f"protoc failed on {source_root / PROTO_FILE}")
    stem = source_root / PROTO_FILE.parent / PROTO_FILE.stem
    written = [stem.with_name(stem.name + suffix) for suffix in GENERATED_SUFFIXES]
    _use_private_pool(written[0])
    for path in written:
        _skip_for_mypy(path)
    return written


def _use_private_pool(module: pathlib.Path) -> None:
    text = module.read_text(encoding="utf-8")
    if text.count(_DEFAULT_POOL) != 1:
        sys.exit(f"{module}: unexpected protoc output, cannot move it to a private pool")
    module.write_text(text.replace(_DEFAULT_POOL, _PRIVATE_POOL), encoding="utf-8")


def _skip_for_mypy(module: pathlib.Path) -> None:
    text = module.read_text(encoding="utf-8")
    if not text.startswith("# mypy: ignore-errors"):
        module.write_text("# mypy: ignore-errors\n" + text, encoding="utf-8")
