"""Timer definitions as Zeebe reads them: ISO 8601 dates, durations, repeating intervals, cron.

Pure functions: the reference time is always passed in, never read from a clock.

- ``timeDate``: an ISO 8601 date-time with an offset or ``Z``, optionally followed by a region in
  brackets (``2019-10-02T08:09:40+02:00[Europe/Berlin]``).
- ``timeDuration``: ``PnYnMnWnDTnHnMnS`` (fractional seconds allowed).
- ``timeCycle``: ``R[n]/[start/]duration`` (``R`` alone repeats forever) or a Spring-style cron
  expression with six fields, seconds first (``0 0 9-17 * * MON-FRI``), or a macro (``@daily``).
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter


class TimerFormatError(ValueError):
    """A timer value that is not a valid ISO 8601 date, duration, repeating interval or cron."""


class TimerKind(enum.Enum):
    """Which BPMN timer element a value comes from (``TimerDefinition.kind`` uses the values)."""

    DATE = "date"
    DURATION = "duration"
    CYCLE = "cycle"


_DURATION = re.compile(
    r"P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?",
    re.IGNORECASE,
)
_ZONE_SUFFIX = re.compile(r"^(?P<stamp>[^\[]+)\[(?P<zone>[A-Za-z0-9_+\-/]+)\]$")
_CRON_MACROS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration: calendar parts (years, months, days) and an exact time part.

    Calendar parts are added on the calendar (one month after Jan 31 is the end of February);
    the time part is added as elapsed time.
    """

    years: int = 0
    months: int = 0
    days: int = 0
    time: timedelta = timedelta(0)

    @property
    def is_zero(self) -> bool:
        """True when the duration adds nothing."""
        return not (self.years or self.months or self.days or self.time)

    def times(self, factor: int) -> Duration:
        """This duration repeated ``factor`` times."""
        return Duration(
            self.years * factor, self.months * factor, self.days * factor, self.time * factor
        )

    def add_to(self, moment: datetime) -> datetime:
        """``moment`` moved forward by this duration."""
        month_index = moment.month - 1 + self.months + 12 * self.years
        year = moment.year + month_index // 12
        month = month_index % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return (
            moment.replace(year=year, month=month, day=day) + timedelta(days=self.days) + self.time
        )


@dataclass(frozen=True, slots=True)
class RepeatingInterval:
    """``R[n]/[start/]duration``: ``repetitions`` None repeats forever."""

    repetitions: int | None
    start: datetime | None
    interval: Duration

    def first_due(self, now: datetime) -> datetime:
        """The first due time strictly after ``now`` (the start itself when it is later).

        Without a start the first due time is one interval after ``now``; with a start in the
        past, it is the first ``start + k * interval`` after ``now``.
        """
        if self.start is None:
            return self.interval.add_to(now)
        if self.start > now:
            return self.start
        interval = self.interval
        if not (interval.years or interval.months):
            # Exact intervals: jump straight to the next step after now.
            step = timedelta(days=interval.days) + interval.time
            return self.start + step * ((now - self.start) // step + 1)
        # Calendar intervals: count whole steps from the start (not from the previous due time,
        # which would drift from the 31st to the 28th); each step is at least a month, so the
        # loop runs at most a few thousand times for any real date.
        steps = 1
        while True:
            due = interval.times(steps).add_to(self.start)
            if due > now:
                return due
            steps += 1

    def next_due(self, after: datetime) -> datetime:
        """The due time that follows a trigger at ``after`` (one interval later)."""
        return self.interval.add_to(after)


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A Spring-style cron expression (six fields, seconds first) or a macro; repeats forever."""

    expression: str

    @property
    def repetitions(self) -> None:
        """Cron schedules never run out."""
        return None

    def first_due(self, now: datetime) -> datetime:
        """The first matching time strictly after ``now``, in ``now``'s time zone."""
        return self.next_due(now)

    def next_due(self, after: datetime) -> datetime:
        """The first matching time strictly after ``after``."""
        result = croniter(self.expression, after, second_at_beginning=True).get_next(datetime)
        assert isinstance(result, datetime)
        return result


TimerCycle = RepeatingInterval | CronSchedule


def parse_duration(text: str) -> Duration:
    """Parse ``PnYnMnWnDTnHnMnS``; raise ``TimerFormatError`` when it is not one."""
    value = text.strip()
    match = _DURATION.fullmatch(value)
    if match is None or not any(match.groupdict().values()):
        raise TimerFormatError(f"'{text}' is not an ISO 8601 duration such as 'PT5M' or 'P1DT2H'")
    part = {key: int(val) if val and key != "s" else 0 for key, val in match.groupdict().items()}
    seconds = Decimal(match["s"].replace(",", ".")) if match["s"] else Decimal(0)
    time = timedelta(hours=part["h"], minutes=part["mi"], seconds=float(seconds))
    return Duration(part["y"], part["mo"], part["d"] + 7 * part["w"], time)


def parse_date(text: str) -> datetime:
    """Parse an ISO 8601 date-time with an offset (or ``Z``), optionally ``[Region/City]``."""
    value = text.strip()
    zone: ZoneInfo | None = None
    suffix = _ZONE_SUFFIX.match(value)
    if suffix is not None:
        value = suffix["stamp"]
        try:
            zone = ZoneInfo(suffix["zone"])
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise TimerFormatError(f"'{text}' names an unknown time zone") from error
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise TimerFormatError(
            f"'{text}' is not an ISO 8601 date-time such as '2019-10-01T12:00:00Z'"
        ) from error
    if zone is not None:
        moment = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
    if moment.tzinfo is None:
        raise TimerFormatError(
            f"'{text}' has no time zone; add an offset or 'Z', e.g. '2019-10-01T12:00:00Z'"
        )
    return moment


def parse_cycle(text: str) -> TimerCycle:
    """Parse a ``timeCycle``: a repeating interval when it starts with ``R``, else a cron."""
    value = text.strip()
    if value.upper().startswith("R"):
        return _parse_repeating_interval(value)
    return _parse_cron(value)


def _parse_repeating_interval(value: str) -> RepeatingInterval:
    parts = value.split("/")
    if len(parts) not in (2, 3):
        raise TimerFormatError(
            f"'{value}' is not a repeating interval such as 'R5/PT10S' or 'R/2020-01-01T00:00Z/P1D'"
        )
    count = parts[0][1:]
    if count and not count.isdigit():
        raise TimerFormatError(f"'{value}' has an invalid repetition count '{parts[0]}'")
    start = parse_date(parts[1]) if len(parts) == 3 else None
    interval = parse_duration(parts[-1])
    if interval.is_zero:
        raise TimerFormatError(f"'{value}' repeats with a zero interval")
    return RepeatingInterval(int(count) if count else None, start, interval)


def _parse_cron(value: str) -> CronSchedule:
    lowered = value.lower()
    if lowered in _CRON_MACROS:
        return CronSchedule(lowered)
    fields = value.split()
    if len(fields) != 6:
        raise TimerFormatError(
            f"'{value}' is neither a repeating interval ('R5/PT10S') nor a cron expression with "
            "six fields, seconds first ('0 0 9-17 * * MON-FRI')"
        )
    try:
        valid = bool(croniter.is_valid(value, second_at_beginning=True))
    except (ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        raise TimerFormatError(f"'{value}' is not a valid cron expression")
    return CronSchedule(value)


def check_timer(kind: TimerKind | str, text: str) -> str | None:
    """Why a static timer value is invalid, or None when it is valid."""
    try:
        _parse(TimerKind(kind), text)
    except TimerFormatError as error:
        return str(error)
    return None


def _parse(kind: TimerKind, text: str) -> datetime | Duration | TimerCycle:
    if kind is TimerKind.DATE:
        return parse_date(text)
    if kind is TimerKind.DURATION:
        return parse_duration(text)
    return parse_cycle(text)


def due_date(kind: TimerKind | str, text: str, now: datetime) -> datetime:
    """When a timer defined by the (evaluated, static) ``text`` is first due, seen from ``now``.

    ``date``: the date itself; ``duration``: ``now`` plus the duration; ``cycle``: the first due
    time of the cycle (see ``RepeatingInterval.first_due`` and ``CronSchedule.first_due``).
    ``now`` must be timezone-aware (the command's timestamp in UTC). Raises ``TimerFormatError``
    on a value that does not parse (the kernel turns it into an incident).
    """
    parsed = _parse(TimerKind(kind), text)
    if isinstance(parsed, datetime):
        return parsed
    if isinstance(parsed, Duration):
        return parsed.add_to(now)
    return parsed.first_due(now)
