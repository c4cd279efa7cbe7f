"""Durability: every append acknowledged before a SIGKILL is found after reopening."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest

from cadenza.store import SqlStore

# The writer appends batches forever and prints the last position after each append returns,
# which is the moment the runtime would answer clients.
WRITER = textwrap.dedent(
    """
    import sys
    from cadenza.kernel._records import Record, RecordType, ValueType
    from cadenza.store import PostgresStore, SqliteStore

    backend, target = sys.argv[1], sys.argv[2]
    store = PostgresStore(target) if backend == "postgres" else SqliteStore(target)
    position = 0
    while True:
        batch = []
        for _ in range(50):
            position += 1
            value = {"position": position, "payload": "x" * 200, "big": 2**70 + position}
            batch.append(Record(position, RecordType.EVENT, ValueType.VARIABLE, "CREATED",
                                value, 1000, position=position))
        store.append(1, batch)
        print(position, flush=True)
    """
)

ACKNOWLEDGED_BATCHES = 25


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_acknowledged_appends_survive_sigkill(
    backend: str, target: str, open_store: Callable[[], SqlStore]
) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, backend, target],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged = 0
    try:
        assert writer.stdout is not None
        for _ in range(ACKNOWLEDGED_BATCHES):
            line = writer.stdout.readline()
            if not line:
                pytest.fail(f"the writer died: {writer.stderr.read() if writer.stderr else ''}")
            acknowledged = int(line)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        for stream in (writer.stdout, writer.stderr):
            if stream is not None:
                stream.close()
    assert writer.returncode == -signal.SIGKILL
    assert acknowledged == ACKNOWLEDGED_BATCHES * 50

    store = open_store()
    last = store.last_position(1)
    assert last >= acknowledged
    assert last % 50 == 0  # an interrupted batch is all or nothing
    records = list(store.read(1))
    assert [r.position for r in records] == list(range(1, last + 1))
    assert all(r.value["big"] == 2**70 + r.position for r in records)
    if backend == "sqlite":
        connection = store._connection  # type: ignore[attr-defined]
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
