"""The kernel tests run on an in-memory harness with a controlled clock; after every test the
log is replayed onto an empty state and compared with the live one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kernel_replay import assert_replay_matches

from cadenza.testing import Harness


@pytest.fixture
def h() -> Iterator[Harness]:
    """A fresh harness; checks the replay invariant when the test is done."""
    harness = Harness()
    yield harness
    try:
        assert_replay_matches(harness)
    finally:
        harness.close()
