"""A log store in memory: for tests, the harness and the in-memory benchmark variant."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cadenza.kernel import Record
from cadenza.store import Snapshot


class MemoryStore:
    """Keeps records and snapshots in lists; nothing survives the process."""

    def __init__(self, keep_records: bool = True) -> None:
        self.keep_records = keep_records
        self._records: dict[int, list[Record]] = {}
        self._last: dict[int, int] = {}
        self._snapshots: dict[int, Snapshot] = {}

    def append(self, partition_id: int, records: Sequence[Record]) -> None:
        """Keep the records (positions assigned by the kernel)."""
        if records:
            if self.keep_records:
                self._records.setdefault(partition_id, []).extend(records)
            self._last[partition_id] = records[-1].position

    def read(self, partition_id: int, after_position: int = 0) -> Iterator[Record]:
        """Records after ``after_position``, in order."""
        for record in self._records.get(partition_id, ()):
            if record.position > after_position:
                yield record

    def last_position(self, partition_id: int) -> int:
        """The highest position appended."""
        return self._last.get(partition_id, 0)

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep the newest snapshot."""
        self._snapshots[snapshot.partition_id] = snapshot

    def latest_snapshot(self, partition_id: int) -> Snapshot | None:
        """The newest snapshot."""
        return self._snapshots.get(partition_id)

    def close(self) -> None:
        """Nothing to release."""
