"""When reminders fall due: pure date arithmetic in the reader's time zone, no database.

A reminder is due at up to three wall-clock times, each on its own weekdays, plus a snooze.
``occurrence`` turns one local date into a UTC instant, handling daylight-saving changes: a
time skipped by spring-forward fires at the first valid moment after the gap, and a time
repeated by fall-back fires only at its first occurrence (each local date has exactly one
instant).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server import days
from server.parsing import time_zones

DAY_NAMES = days.DAY_NAMES
ALL_DAYS = 127  # bit 0 = Monday ... bit 6 = Sunday
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


MAX_TIMES = 3
SNOOZE = timedelta(hours=1)


@dataclass(frozen=True)
class Slot:
    """One reminder time: a wall-clock time, its weekdays, and whether a logged act skips it."""

    at: time
    days: int
    skip_if_logged: bool = True


@dataclass(frozen=True)
class Plan:
    """What the scheduler needs from a reader's reminder settings. The first time is
    ``time_of_day``/``days``; ``more`` holds the others."""

    time_of_day: time
    days: int
    timezone: str
    quiet_start: time | None = None
    quiet_end: time | None = None
    paused_until: datetime | None = None
    skip_if_logged: bool = True
    more: tuple[Slot, ...] = ()
    snoozed_until: datetime | None = None
    # Every time is limited to these weekdays ("only on my kindness days"); all by default.
    only_days: int = ALL_DAYS
    day_end: int = 0  # the hour the reader's day ends: which day a reminder is about

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def slots(self) -> tuple[Slot, ...]:
        first = Slot(self.time_of_day, self.days, self.skip_if_logged)
        limited = (
            Slot(s.at, s.days & self.only_days, s.skip_if_logged) for s in (first, *self.more)
        )
        return tuple(s for s in limited if s.at is not None and s.days & ALL_DAYS)


def known_timezones() -> frozenset[str]:
    return time_zones()


def is_day(days: int, day: date) -> bool:
    return bool(days & (1 << day.weekday()))


def occurrence(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on local ``day``; see the module docstring for DST."""
    local = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of a repeated time
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # Skipped by spring-forward: fold=1 reads the time with the old offset, landing before the
    # gap; the clock change itself is the first valid moment after the reminder time.
    start = local.replace(fold=1).astimezone(UTC)
    for minute in range(0, 24 * 60):
        probe = start + timedelta(minutes=minute)
        if probe.astimezone(zone).replace(tzinfo=None) >= local.replace(tzinfo=None):
            return probe
    return instant  # not reached for any real zone


def next_due(plan: Plan, after: datetime) -> datetime | None:
    """The first reminder instant strictly after ``after`` (and after any pause) of any time
    or the snooze, or None."""
    zone = plan.zone
    if plan.paused_until and plan.paused_until > after:
        after = plan.paused_until
    found = [plan.snoozed_until] if plan.snoozed_until and plan.snoozed_until > after else []
    day = after.astimezone(zone).date() - timedelta(days=1)
    for slot in plan.slots:
        for offset in range(0, 9):
            candidate_day = day + timedelta(days=offset)
            if not is_day(slot.days, candidate_day):
                continue
            instant = occurrence(candidate_day, slot.at, zone)
            if instant > after:
                found.append(instant)
                break
    return min(found, default=None)


def slots_at(plan: Plan, instant: datetime) -> list[Slot]:
    """The reminder times that fall due at ``instant`` (none for a snooze)."""
    zone = plan.zone
    day = instant.astimezone(zone).date()
    return [
        slot
        for slot in plan.slots
        if is_day(slot.days, day) and occurrence(day, slot.at, zone) == instant
    ]


def in_quiet_hours(moment: time, start: time | None, end: time | None) -> bool:
    """Quiet hours may wrap past midnight (22:00-07:00); the end minute is no longer quiet."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def local_date_of(instant: datetime, timezone: str, day_end: int = 0) -> date:
    """The reader's day ``instant`` falls on (it may end after midnight: server/days.py)."""
    return days.local_day(instant, timezone, day_end)


def passed_today(plan: Plan, now: datetime) -> list[Slot]:
    """Today's reminder times (in the reader's zone) whose moment has come; none when paused."""
    zone = plan.zone
    today = now.astimezone(zone).date()
    if plan.paused_until and plan.paused_until > now:
        return []
    return [
        slot
        for slot in plan.slots
        if is_day(slot.days, today) and now >= occurrence(today, slot.at, zone)
    ]


def days_mask(indexes: list[int]) -> int:
    mask = 0
    for index in indexes:
        mask |= 1 << index
    return mask


def day_indexes(mask: int) -> list[int]:
    return [i for i in range(7) if mask & (1 << i)]


def utcnow() -> datetime:
    return datetime.now(UTC)
