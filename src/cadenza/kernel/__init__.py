"""The pure, deterministic engine: records, state, appliers and processors."""

from cadenza.kernel._context import Batch, Response
from cadenza.kernel._kernel import Kernel, command
from cadenza.kernel._records import Record, RecordType, RejectionType, ValueType
from cadenza.kernel._state import State

__all__ = [
    "Batch",
    "Kernel",
    "Record",
    "RecordType",
    "RejectionType",
    "Response",
    "State",
    "ValueType",
    "command",
]
