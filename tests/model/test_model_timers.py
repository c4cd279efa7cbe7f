"""ISO 8601 and cron timer values, and the due dates the kernel computes from them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadenza.model import (
    CronSchedule,
    Duration,
    RepeatingInterval,
    TimerFormatError,
    TimerKind,
    check_timer,
    due_date,
    parse_cycle,
    parse_date,
    parse_duration,
)

NOW = datetime(2024, 1, 31, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT5M", Duration(time=timedelta(minutes=5))),
        ("PT1.5S", Duration(time=timedelta(seconds=1.5))),
        ("PT0,25S", Duration(time=timedelta(seconds=0.25))),
        ("P2W", Duration(days=14)),
        ("P1Y2M3DT4H5M6S", Duration(1, 2, 3, timedelta(hours=4, minutes=5, seconds=6))),
        ("p1d", Duration(days=1)),
        (" PT10S ", Duration(time=timedelta(seconds=10))),
    ],
)
def test_parse_duration(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "P1DT", "5M", "PT5", "P1.5D", "-PT5S", "PT5M3H"])
def test_invalid_durations(text: str) -> None:
    with pytest.raises(TimerFormatError):
        parse_duration(text)


def test_calendar_durations_clamp_to_the_month_end() -> None:
    assert parse_duration("P1M").add_to(NOW) == datetime(2024, 2, 29, 10, tzinfo=UTC)
    assert parse_duration("P1Y1M").add_to(NOW) == datetime(2025, 2, 28, 10, tzinfo=UTC)


def test_parse_dates() -> None:
    assert parse_date("2019-10-01T12:00:00Z") == datetime(2019, 10, 1, 12, tzinfo=UTC)
    berlin = parse_date("2019-10-02T08:09:40+02:00[Europe/Berlin]")
    assert berlin.utcoffset() == timedelta(hours=2)
    assert berlin.astimezone(UTC) == datetime(2019, 10, 2, 6, 9, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["2019-10-01T12:00:00", "tomorrow", "2019-13-01T00:00:00Z", "2019-10-01T12:00Z[Mars/Base]"],
)
def test_invalid_dates(text: str) -> None:
    with pytest.raises(TimerFormatError):
        parse_date(text)


def test_repeating_intervals() -> None:
    assert parse_cycle("R5/PT10S") == RepeatingInterval(
        5, None, Duration(time=timedelta(seconds=10))
    )
    assert parse_cycle("R/P1D") == RepeatingInterval(None, None, Duration(days=1))
    with_start = parse_cycle("R3/2024-02-01T00:00:00Z/PT1H")
    assert with_start == RepeatingInterval(
        3, datetime(2024, 2, 1, tzinfo=UTC), Duration(time=timedelta(hours=1))
    )


@pytest.mark.parametrize(
    "text", ["R5", "Rx/PT1S", "R5/PT0S", "R/2024-01-01T00:00:00Z/PT1S/x", "R/"]
)
def test_invalid_cycles(text: str) -> None:
    with pytest.raises(TimerFormatError):
        parse_cycle(text)


def test_cron_cycles() -> None:
    assert parse_cycle("0 0 9-17 * * MON-FRI") == CronSchedule("0 0 9-17 * * MON-FRI")
    assert parse_cycle("@Daily") == CronSchedule("@daily")
    for bad in ["* * * * *", "0 0 25 * * *", "a b c d e f"]:
        with pytest.raises(TimerFormatError):
            parse_cycle(bad)


def test_due_dates() -> None:
    assert due_date("date", "2030-01-01T00:00:00Z", NOW) == datetime(2030, 1, 1, tzinfo=UTC)
    assert due_date(TimerKind.DURATION, "PT90M", NOW) == NOW + timedelta(minutes=90)
    assert due_date("cycle", "R5/PT10S", NOW) == NOW + timedelta(seconds=10)
    # a start in the future is the first due time
    assert due_date("cycle", "R/2024-02-01T00:00:00Z/PT1H", NOW) == datetime(2024, 2, 1, tzinfo=UTC)
    # a start in the past: the next step after now, counted from the start
    assert due_date("cycle", "R/2024-01-31T09:20:00Z/PT30M", NOW) == datetime(
        2024, 1, 31, 10, 20, tzinfo=UTC
    )
    assert due_date("cycle", "R/2023-01-31T00:00:00Z/P1M", NOW) == datetime(2024, 2, 29, tzinfo=UTC)
    # cron: the next match strictly after now (09:00-17:00 on the hour, weekdays)
    assert due_date("cycle", "0 0 9-17 * * MON-FRI", NOW) == datetime(2024, 1, 31, 11, tzinfo=UTC)
    with pytest.raises(TimerFormatError):
        due_date("duration", "soon", NOW)


def test_cycle_next_due_after_a_trigger() -> None:
    cycle = parse_cycle("R3/PT10M")
    assert cycle.repetitions == 3
    assert cycle.next_due(NOW) == NOW + timedelta(minutes=10)
    cron = parse_cycle("0 30 * * * *")
    assert cron.repetitions is None
    assert cron.next_due(NOW) == NOW + timedelta(minutes=30)


def test_check_timer_messages() -> None:
    assert check_timer("duration", "PT1M") is None
    assert check_timer("date", "2019-10-01T12:00:00") == (
        "'2019-10-01T12:00:00' has no time zone; add an offset or 'Z', e.g. '2019-10-01T12:00:00Z'"
    )


@given(
    st.integers(0, 3), st.integers(0, 11), st.integers(0, 40), st.integers(0, 23),
    st.integers(0, 59), st.integers(0, 59),
)  # fmt: skip
def test_formatted_durations_round_trip(
    years: int, months: int, days: int, hours: int, minutes: int, seconds: int
) -> None:
    text = f"P{years}Y{months}M{days}DT{hours}H{minutes}M{seconds}S"
    parsed = parse_duration(text)
    assert (parsed.years, parsed.months, parsed.days) == (years, months, days)
    assert parsed.time == timedelta(hours=hours, minutes=minutes, seconds=seconds)
    assert parsed.add_to(NOW) >= NOW
