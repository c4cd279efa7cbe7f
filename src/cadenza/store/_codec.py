"""Record values <-> JSON text, and records <-> table rows.

orjson is several times faster than the standard library, but it refuses integers beyond 64
bits and lone surrogates, and it would read such integers back as floats. A value orjson refuses
is written by the standard library instead and its row is marked, so that it is read back by the
standard library too: exact for every value, fast for the common one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson

from cadenza.kernel._records import Record, RecordType, RejectionType, ValueType
from cadenza.store._errors import StoreError

CODEC_FAST = 1  # plain JSON, any parser reads it exactly
CODEC_EXACT = 2  # integers beyond 64 bits or escaped surrogates: read with the stdlib

RecordRow = tuple[int, int, int, int, int, int, str, str, int, int, int, str, int]

_RECORD_TYPES = {int(m): m for m in RecordType}
_VALUE_TYPES = {int(m): m for m in ValueType}
_REJECTION_TYPES = {int(m): m for m in RejectionType}


def encode_json(value: object) -> tuple[str, int]:
    """``value`` as JSON text and the codec needed to read it back exactly."""
    try:
        return orjson.dumps(value).decode(), CODEC_FAST
    except TypeError:
        # orjson.JSONEncodeError subclasses TypeError: huge int, lone surrogate, odd type.
        return json.dumps(value, separators=(",", ":"), allow_nan=False), CODEC_EXACT


def decode_json(text: str | bytes, codec: int) -> Any:
    """The value of JSON ``text`` written with ``codec``."""
    if codec == CODEC_FAST:
        return orjson.loads(text)
    return json.loads(text)


def record_rows(partition_id: int, records: Sequence[Record]) -> list[RecordRow]:
    """The ``append_record`` parameter rows of ``records``."""
    dumps = orjson.dumps
    try:
        # The common case in one comprehension: no per-record call or branch beyond the encode.
        return [
            (
                partition_id,
                r.position,
                r.source_position,
                r.key,
                r.record_type,
                r.value_type,
                r.intent,
                dumps(r.value).decode(),
                CODEC_FAST,
                r.timestamp,
                r.rejection_type,
                r.rejection_reason,
                r.version,
            )
            for r in records
        ]
    except TypeError:
        return [_record_row(partition_id, r) for r in records]


def _record_row(partition_id: int, r: Record) -> RecordRow:
    """The row of one record, for a batch where orjson refused some value."""
    try:
        text, codec = encode_json(r.value)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"partition {partition_id}, position {r.position}: record value is not JSON ({error})"
        ) from error
    return (
        partition_id,
        r.position,
        r.source_position,
        r.key,
        r.record_type,
        r.value_type,
        r.intent,
        text,
        codec,
        r.timestamp,
        r.rejection_type,
        r.rejection_reason,
        r.version,
    )


def row_record(row: Sequence[Any]) -> Record:
    """The record of a ``read_records`` row."""
    (
        partition_id,
        position,
        source_position,
        key,
        record_type,
        value_type,
        intent,
        value,
        codec,
        timestamp,
        rejection_type,
        rejection_reason,
        version,
    ) = row
    try:
        kinds = (
            _RECORD_TYPES[record_type],
            _VALUE_TYPES[value_type],
            _REJECTION_TYPES[rejection_type],
        )
    except KeyError as error:
        raise StoreError(
            f"partition {partition_id}, position {position}: unknown enum number {error} "
            f"(record type {record_type}, value type {value_type}, rejection type "
            f"{rejection_type}); was the log written by a newer version?"
        ) from None
    return Record(
        key=key,
        record_type=kinds[0],
        value_type=kinds[1],
        intent=intent,
        value=orjson.loads(value) if codec == CODEC_FAST else json.loads(value),
        timestamp=timestamp,
        position=position,
        source_position=source_position,
        partition_id=partition_id,
        rejection_type=kinds[2],
        rejection_reason=rejection_reason,
        version=version,
    )
