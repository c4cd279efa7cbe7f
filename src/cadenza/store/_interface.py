"""The narrow interface between the runtime and a store (SQLite now, PostgreSQL later)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from cadenza.kernel._records import Record


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The kernel state of one partition as of ``position`` (every record up to it applied)."""

    partition_id: int
    position: int
    state: bytes  # opaque to the store: the kernel serialises and restores it
    format_version: int


class LogStore(Protocol):
    """Append-only record log plus snapshots, per partition.

    ``append`` is the durability point: when it returns, the records survive a crash of the
    process (SIGKILL) and the runtime may answer clients.
    """

    def append(self, partition_id: int, records: Sequence[Record]) -> None:
        """Append ``records`` (positions already assigned, increasing) in ONE transaction."""
        ...

    def read(self, partition_id: int, after_position: int = 0) -> Iterator[Record]:
        """The records of a partition with position > ``after_position``, in order."""
        ...

    def last_position(self, partition_id: int) -> int:
        """The highest position appended to the partition (0 when empty)."""
        ...

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Store a snapshot durably; older snapshots of the partition may be dropped."""
        ...

    def latest_snapshot(self, partition_id: int) -> Snapshot | None:
        """The newest snapshot of the partition, or None."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
