"""Partition leases and fencing tokens (groundwork for several nodes sharing PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cadenza.kernel._records import Record, RecordType, ValueType
from cadenza.store import LeaseHeldError, SqlStore, StaleFencingTokenError


def _record(position: int, partition_id: int = 1) -> Record:
    return Record(
        position,
        RecordType.EVENT,
        ValueType.TIMER,
        "CREATED",
        {},
        1,
        position=position,
        partition_id=partition_id,
    )


def test_takeover_fences_the_previous_owner(open_store: Callable[[], SqlStore]) -> None:
    node_a, node_b = open_store(), open_store()
    token_a = node_a.acquire_partition(1, "a", lease_ms=1_000, now_ms=10_000)
    assert node_a.acquire_partition(1, "a", lease_ms=1_000, now_ms=10_500) == token_a  # renewal
    node_a.append(1, [_record(1)])

    with pytest.raises(LeaseHeldError, match="leased by node 'a' until 11500"):
        node_b.acquire_partition(1, "b", lease_ms=1_000, now_ms=11_000)
    token_b = node_b.acquire_partition(1, "b", lease_ms=1_000, now_ms=11_501)
    assert token_b > token_a

    with pytest.raises(StaleFencingTokenError, match=f"token {token_a} is stale; node 'b'"):
        node_a.append(1, [_record(2)])
    node_b.append(1, [_record(2)])
    assert [r.position for r in node_b.read(1)] == [1, 2]


def test_leases_are_per_partition(open_store: Callable[[], SqlStore]) -> None:
    node_a, node_b = open_store(), open_store()
    node_a.acquire_partition(1, "a", lease_ms=1_000, now_ms=0)
    node_a.acquire_partition(2, "a", lease_ms=1_000, now_ms=0)
    node_b.acquire_partition(2, "b", lease_ms=1_000, now_ms=5_000)  # a's lease has expired
    node_a.append(1, [_record(1)])  # partition 1 is still a's
    with pytest.raises(StaleFencingTokenError):
        node_a.append(2, [_record(1, partition_id=2)])
    assert node_a.last_position(2) == 0
    node_b.append(2, [_record(1, partition_id=2)])
    assert node_a.last_position(2) == 1


def test_a_store_without_a_lease_is_not_fenced(open_store: Callable[[], SqlStore]) -> None:
    embedded, node = open_store(), open_store()
    node.acquire_partition(1, "n", lease_ms=1_000, now_ms=0)
    # Embedded use never acquires leases; its appends are not checked.
    embedded.append(1, [_record(1)])
    node.append(1, [_record(2)])
    assert node.last_position(1) == 2
