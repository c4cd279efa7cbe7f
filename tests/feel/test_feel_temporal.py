"""Dates, times, date-times, durations: parsing, arithmetic per the spec's tables, properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cadenza import feel

YM = feel.YearsMonthsDuration
PARIS = ZoneInfo("Europe/Paris")


def ev(source: str, now: dt.datetime | None = None) -> Any:
    return feel.compile(source).evaluate({}, now=now)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2024-02-29")', dt.date(2024, 2, 29)),
        ('date("2023-02-29")', None),
        ('date("01211-12-31")', None),
        ("date(2024, 1, 31)", dt.date(2024, 1, 31)),
        ('date(date and time("2024-01-01T23:00:00"))', dt.date(2024, 1, 1)),
        ('time("10:20:30")', dt.time(10, 20, 30)),
        (
            'time("10:20:30.5+02:00")',
            dt.time(10, 20, 30, 500000, dt.timezone(dt.timedelta(hours=2))),
        ),
        ('time("10:20")', dt.time(10, 20)),
        ('time("25:00:00")', None),
        ("time(10, 20, 30.25)", dt.time(10, 20, 30, 250000)),
        (
            'time(10, 20, 30, duration("PT1H"))',
            dt.time(10, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        (
            'date and time("2024-01-01T10:00:00@Europe/Paris")',
            dt.datetime(2024, 1, 1, 10, tzinfo=PARIS),
        ),
        (
            'date and time("2024-01-01T10:00@Europe/Paris")',
            dt.datetime(2024, 1, 1, 10, tzinfo=PARIS),
        ),
        ('date and time("2024-01-01T10:00:00@Nowhere/City")', None),
        ('date and time("2024-01-01")', dt.datetime(2024, 1, 1)),
        ('date and time("2024-01-01T24:00:00")', dt.datetime(2024, 1, 2)),
        (
            'date and time(date("2024-01-01"), time("10:00:00Z"))',
            dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC),
        ),
        ('duration("P1DT2H")', dt.timedelta(days=1, hours=2)),
        ('duration("-PT1.5S")', dt.timedelta(seconds=-1.5)),
        ('duration("P2W")', dt.timedelta(days=14)),
        ('duration("P1Y2M")', YM(14)),
        ('duration("-P3M")', YM(-3)),
        ('duration("P")', None),
        ('duration("PT")', None),
        ('duration("P1Y2D")', None),
        ('years and months duration(date("2011-12-22"), date("2013-08-24"))', YM(20)),
        ('years and months duration(date("2013-08-24"), date("2011-12-22"))', YM(-20)),
        ('years and months duration(date("2024-01-31"), date("2024-02-29"))', YM(0)),
    ],
)
def test_conversions(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2024-03-01") - date("2024-02-01")', dt.timedelta(days=29)),
        ('date("2024-01-31") + duration("P1M")', dt.date(2024, 2, 29)),
        ('date("2024-02-29") + duration("P1Y")', dt.date(2025, 2, 28)),
        ('date("2024-01-01") - duration("P1Y1M")', dt.date(2022, 12, 1)),
        ('date("2024-01-01") + duration("PT36H")', dt.date(2024, 1, 2)),
        ('duration("P1D") + date("2024-01-01")', dt.date(2024, 1, 2)),
        ('@"2024-01-01T10:00:00" + @"PT90M"', dt.datetime(2024, 1, 1, 11, 30)),
        ('@"2024-01-31T10:00:00Z" + @"P1M"', dt.datetime(2024, 2, 29, 10, tzinfo=dt.UTC)),
        ('@"2024-01-02T00:00:00Z" - @"2024-01-01T12:00:00+02:00"', dt.timedelta(hours=14)),
        ('@"2024-01-02T00:00:00" - @"2024-01-01T12:00:00Z"', None),
        ('@"2021-01-02T10:10:10+01:00" - @"2021-01-01"', dt.timedelta(days=1, seconds=33010)),
        ('@"2021-01-02T10:10:10" - @"2021-01-01"', None),
        ('time("10:00:00") + duration("PT15H")', dt.time(1, 0)),
        ('time("10:00:00") - time("08:30:00")', dt.timedelta(hours=1, minutes=30)),
        ('duration("P1D") + duration("PT1H")', dt.timedelta(hours=25)),
        ('duration("P1Y") - duration("P1M")', YM(11)),
        ('duration("P1Y") + duration("P1D")', None),
        ('duration("PT1H") * 1.5', dt.timedelta(minutes=90)),
        ('2 * duration("P1Y1M")', YM(26)),
        ('duration("P1Y") / 5', YM(2)),
        ('duration("PT1H") / duration("PT15M")', 4),
        ('duration("P1Y") / duration("P1M")', 12),
        ('duration("PT1H") / 0', None),
        ('-duration("PT1H")', dt.timedelta(hours=-1)),
        ('date("2024-01-01") + 1', None),
    ],
)
def test_arithmetic(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2024-01-01") < date("2024-01-02")', True),
        ('date("2024-01-01") = date and time("2024-01-01T00:00:00")', None),
        ('@"2024-01-01T10:00:00+01:00" = @"2024-01-01T09:00:00Z"', True),
        ('@"2024-01-01T10:00:00" = @"2024-01-01T10:00:00Z"', False),
        ('@"2024-01-01T10:00:00" < @"2024-01-01T10:00:00Z"', None),
        ('duration("PT24H") = duration("P1D")', True),
        ('duration("P1Y") = duration("P12M")', True),
        ('duration("P1Y") > duration("P11M")', True),
        ('duration("P1D") > duration("P1M")', None),
        ('time("10:00:00+01:00") = time("09:00:00Z")', True),
        ('is(@"2024-01-01T10:00:00+01:00", @"2024-01-01T09:00:00Z")', False),
        ('is(date("2024-01-01"), date("2024-01-01"))', True),
        ('is(date("2024-01-01"), @"2024-01-01T00:00:00")', False),
    ],
)
def test_comparisons(source: str, expected: Any) -> None:
    assert ev(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('date("2024-02-29").year', 2024),
        ('date("2024-02-29").month', 2),
        ('date("2024-02-29").day', 29),
        ('date("2024-02-29").weekday', 4),
        ('@"2024-01-01T10:20:30.5@Europe/Paris".second', Decimal("30.5")),
        ('@"2024-01-01T10:20:30@Europe/Paris".timezone', "Europe/Paris"),
        ('@"2024-01-01T10:20:30+02:00".time offset', dt.timedelta(hours=2)),
        ('@"2024-01-01T10:20:30".time offset', None),
        ('time("10:20:30").hour', 10),
        ('duration("P1DT2H3M4S").days', 1),
        ('duration("P1DT2H3M4S").hours', 2),
        ('duration("P1DT2H3M4S").minutes', 3),
        ('duration("P1DT2H3M4.5S").seconds', Decimal("4.5")),
        ('duration("-P1DT2H").hours', -2),
        ('duration("P1Y14M").years', 2),
        ('duration("P1Y14M").months', 2),
        ("[1..10).end included", False),
        ("[1..10).start", 1),
        ('date("2024-01-01").hour', None),
        ('day of year(date("2024-12-31"))', 366),
        ('day of week(date("2024-02-29"))', "Thursday"),
        ('month of year(date("2024-02-29"))', "February"),
        ('week of year(date("2021-01-03"))', 53),
        ('week of year(date("2024-12-30"))', 1),
        ('last day of month(date("2024-02-10"))', dt.date(2024, 2, 29)),
        ('last day of month(date("2023-12-10"))', dt.date(2023, 12, 31)),
        ('cycle(duration("PT1H"))', "R/PT1H"),
        ('cycle(3, duration("PT10S"))', "R3/PT10S"),
        ('cycle(repetitions: 2, duration: duration("P1D"))', "R2/P1D"),
        ('cycle("PT1H")', None),
    ],
)
def test_properties_and_calendar(source: str, expected: Any) -> None:
    assert ev(source) == expected


def test_now_and_today_come_from_the_caller() -> None:
    moment = dt.datetime(2024, 5, 17, 8, 30, tzinfo=dt.UTC)
    assert ev("now()", now=moment) == moment
    assert ev("today()", now=moment) == dt.date(2024, 5, 17)
    assert ev('today() + duration("P1D")', now=moment) == dt.date(2024, 5, 18)
    value, warnings = feel.compile("now()").evaluate_with_warnings({})
    assert value is None and warnings


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('date("2024-02-29")', "2024-02-29"),
        ('time("10:00:00.250")', "10:00:00.25"),
        ('time("10:00:00Z")', "10:00:00Z"),
        ('time("10:00:00-05:30")', "10:00:00-05:30"),
        ('@"2024-01-01T10:00:00@Europe/Paris"', "2024-01-01T10:00:00@Europe/Paris"),
        ('duration("PT90M")', "PT1H30M"),
        ('duration("P0D")', "PT0S"),
        ('duration("-P1DT0.5S")', "-P1DT0.5S"),
        ('duration("P49M")', "P4Y1M"),
        ('duration("P0Y")', "P0M"),
        ('duration("-P13M")', "-P1Y1M"),
    ],
)
def test_string_forms(source: str, text: str) -> None:
    assert ev(f"string({source})") == text
    assert feel.to_json(feel.compile(source).evaluate_raw()) == text


def test_zoned_arithmetic_uses_elapsed_time_across_daylight_saving() -> None:
    # Europe/Paris moves to summer time on 2024-03-31: that day has 23 hours.
    assert ev('string(@"2024-03-30T12:00:00@Europe/Paris" + @"PT24H")') == (
        "2024-03-31T13:00:00@Europe/Paris"
    )
    assert ev('@"2024-03-31T12:00:00@Europe/Paris" - @"2024-03-30T12:00:00@Europe/Paris"') == (
        dt.timedelta(hours=23)
    )
    # Calendar durations keep the wall clock.
    assert ev('string(@"2024-03-30T12:00:00@Europe/Paris" + @"P1M")') == (
        "2024-04-30T12:00:00@Europe/Paris"
    )
