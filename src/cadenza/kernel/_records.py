"""Records: every change in the engine is one, and the log of them is the truth.

A record is a command (imperative: ``ACTIVATE_ELEMENT``), an event (past tense:
``ELEMENT_ACTIVATED``) or a rejection of a command. Value types and intent names follow Zeebe's
so exported records read the same. The numbers of these persisted enums never change; new
members are appended.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

RECORD_VERSION = 1
NOT_DECODED: Any = object()


class RecordType(enum.IntEnum):
    """Whether a record asks for a change, states one, or refuses one."""

    COMMAND = 1
    EVENT = 2
    COMMAND_REJECTION = 3


class ValueType(enum.IntEnum):
    """What a record is about (Zeebe's ``ValueType``)."""

    DEPLOYMENT = 1
    PROCESS = 2
    PROCESS_INSTANCE = 3
    PROCESS_INSTANCE_CREATION = 4
    PROCESS_INSTANCE_RESULT = 5
    JOB = 6
    JOB_BATCH = 7
    TIMER = 8
    MESSAGE = 9
    MESSAGE_SUBSCRIPTION = 10
    PROCESS_MESSAGE_SUBSCRIPTION = 11
    MESSAGE_START_EVENT_SUBSCRIPTION = 12
    SIGNAL = 13
    SIGNAL_SUBSCRIPTION = 14
    VARIABLE = 15
    VARIABLE_DOCUMENT = 16
    INCIDENT = 17
    DECISION = 18
    DECISION_REQUIREMENTS = 19
    DECISION_EVALUATION = 20
    USER_TASK = 21
    ERROR = 22
    ESCALATION = 23
    RESOURCE_DELETION = 24
    FORM = 25
    PROCESS_INSTANCE_BATCH = 26
    COMMAND_DISTRIBUTION = 27
    CLOCK = 28
    PROCESS_EVENT = 29
    MULTI_INSTANCE = 30
    MESSAGE_CORRELATION = 31


class RejectionType(enum.IntEnum):
    """Why a command was refused (Zeebe's ``RejectionType``); the API maps it to a status."""

    NULL_VAL = 0
    INVALID_ARGUMENT = 1
    NOT_FOUND = 2
    ALREADY_EXISTS = 3
    INVALID_STATE = 4
    PROCESSING_ERROR = 5
    EXCEEDED_BATCH_RECORD_SIZE = 6
    UNAUTHORIZED = 7
    FORBIDDEN = 8


@dataclass(slots=True)
class Record:
    """One entry of a partition's log.

    ``value`` is a JSON-like dict whose shape depends on ``value_type`` (see ``_values.py``);
    ``intent`` is the intent's name (``"ELEMENT_ACTIVATED"``). ``position`` is assigned by the
    writer when the record is appended (0 until then). ``request_id`` links a command to the
    client request waiting for its answer; it is not part of the value and not replayed.
    """

    key: int
    record_type: RecordType
    value_type: ValueType
    intent: str
    value: dict[str, Any]
    timestamp: int  # milliseconds since the epoch, from the command that caused the record
    position: int = 0
    source_position: int = -1
    partition_id: int = 1
    rejection_type: RejectionType = RejectionType.NULL_VAL
    rejection_reason: str = ""
    request_id: int = -1
    version: int = RECORD_VERSION
    # The value a VARIABLE event encodes, kept so the applier need not decode the JSON text it
    # was just given; not persisted (replay decodes the text).
    decoded: Any = NOT_DECODED

    @property
    def is_event(self) -> bool:
        """True for events, the records that appliers replay."""
        return self.record_type is RecordType.EVENT

    @property
    def is_command(self) -> bool:
        """True for commands, the records processors handle."""
        return self.record_type is RecordType.COMMAND


# -- keys ----------------------------------------------------------------------------------------
# As in Zeebe, a key carries its partition id in the high bits so any key routes to its partition.
PARTITION_BITS = 51


def encode_key(partition_id: int, counter: int) -> int:
    """The key for ``counter`` on ``partition_id``."""
    return (partition_id << PARTITION_BITS) + counter


def decode_partition(key: int) -> int:
    """The partition a key belongs to."""
    return key >> PARTITION_BITS
