"""Where time comes from: the system clock, or a controlled one for tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Milliseconds since the epoch."""

    def now_ms(self) -> int:
        """The current time in milliseconds since the epoch."""
        ...


class SystemClock:
    """The machine's wall clock."""

    def now_ms(self) -> int:
        """The current time in milliseconds since the epoch."""
        return time.time_ns() // 1_000_000


class ControlledClock:
    """A clock that only moves when told to (the test harness's time travel)."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._now = int(start.timestamp() * 1000)

    def now_ms(self) -> int:
        """The controlled time."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move time forward by ``delta``."""
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self._now += int(delta.total_seconds() * 1000)

    @property
    def now(self) -> datetime:
        """The controlled time as an aware datetime."""
        return datetime.fromtimestamp(self._now / 1000, tz=UTC)
