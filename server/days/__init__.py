"""The reader's day: when it begins and ends. Every day boundary in Lifted goes through here.

A reader may say their day ends at an hour after midnight (``day_ends_at``, 0 to 5): an act
logged at 1:30 a.m. by someone whose day ends at 3 a.m. belongs to the day before, and so does
that hour on Today, Progress, kindness days, breaks and reminders. The boundary is wall-clock
time in the reader's zone, so it holds across daylight-saving changes: on the night clocks go
back, both 1:30s belong to the day before; on the night they go forward, a boundary inside
the missing hour falls at the first moment after it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The hours a day may end at; 0 is midnight.
DAY_ENDS = range(0, 6)
ONE_MINUTE = timedelta(minutes=1)


def _zone(timezone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(timezone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, timezone: str | None, day_end: int = 0) -> date:
    """The reader's day that ``moment`` belongs to."""
    local = moment.astimezone(_zone(timezone))
    return local.date() - timedelta(days=1) if local.hour < (day_end or 0) else local.date()


def today(timezone: str | None, day_end: int = 0, now: datetime | None = None) -> date:
    return local_day(now or datetime.now(UTC), timezone, day_end)


def day_start(day: date, timezone: str | None, day_end: int = 0) -> datetime:
    """The first instant of the reader's ``day`` (UTC). A start inside a spring-forward gap is
    read with the offset before the change, which lands on the first moment after it."""
    return datetime.combine(day, time(day_end or 0), tzinfo=_zone(timezone)).astimezone(UTC)


def last_moment_of(day: date, timezone: str | None, day_end: int = 0) -> datetime:
    """A minute before the day after ``day`` begins: "I did one yesterday" is dated here."""
    return day_start(day + timedelta(days=1), timezone, day_end) - ONE_MINUTE


def hour_words(hour: int) -> str:
    return "Midnight" if not hour else f"{hour} a.m."


def day_words(day: date) -> str:
    """ "Friday 11 December", as Today's greeting and every card write a day."""
    return f"{day:%A} {day.day} {day:%B}"
