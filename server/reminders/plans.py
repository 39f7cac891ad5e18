"""A reader's reminder settings as plain values (the form's, the page's and the scheduler's),
and the schedule.Plan they make."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from server.parsing import clock_time
from server.reminders import schedule
from server.reminders.models import ReminderSettings


@dataclass
class TimeView:
    """A second or third reminder time as the form shows it."""

    time_of_day: str = ""
    days: list[int] = field(default_factory=lambda: list(range(7)))
    skip_if_logged: bool = True

    @property
    def slot(self) -> schedule.Slot:
        return schedule.Slot(
            clock_time(self.time_of_day), schedule.days_mask(self.days), self.skip_if_logged
        )


@dataclass
class SettingsView:
    enabled: bool = False
    time_of_day: str = "19:00"
    days: list[int] = field(default_factory=lambda: list(range(7)))
    timezone: str = "UTC"
    quiet_start: str = ""
    quiet_end: str = ""
    skip_if_logged: bool = True
    paused_until: datetime | None = None
    calendar_token: str | None = None
    next_due_at: datetime | None = None
    saved: bool = False
    more_times: list[TimeView] = field(default_factory=list)
    discreet: bool = False
    snoozed_until: datetime | None = None
    kindness_only: bool = False
    kindness_days: int = 0  # the reader's kindness days (a weekday mask), 0 for none
    day_end: int = 0  # the hour the reader's day ends (server/days.py)

    @property
    def plan(self) -> schedule.Plan:
        return schedule.Plan(
            time_of_day=clock_time(self.time_of_day),
            days=schedule.days_mask(self.days),
            timezone=self.timezone,
            quiet_start=clock_time(self.quiet_start or ""),
            quiet_end=clock_time(self.quiet_end or ""),
            paused_until=self.paused_until,
            skip_if_logged=self.skip_if_logged,
            more=tuple(t.slot for t in self.more_times),
            snoozed_until=self.snoozed_until,
            only_days=(self.kindness_only and self.kindness_days) or schedule.ALL_DAYS,
            day_end=self.day_end,
        )


def settings_view(
    row: ReminderSettings, kindness_days: int = 0, day_ends: dict | None = None
) -> SettingsView:
    """The row as plain values; ``day_ends`` maps account ids to when their day ends."""
    return SettingsView(
        enabled=row.enabled,
        time_of_day=row.time_of_day,
        days=schedule.day_indexes(row.days),
        timezone=row.timezone,
        quiet_start=row.quiet_start or "",
        quiet_end=row.quiet_end or "",
        skip_if_logged=row.skip_if_logged,
        paused_until=row.paused_until,
        calendar_token=row.calendar_token,
        next_due_at=row.next_due_at,
        saved=True,
        more_times=[
            TimeView(t["at"], schedule.day_indexes(t["days"]), bool(t["skip_if_logged"]))
            for t in row.extra_times or []
        ],
        discreet=row.discreet,
        snoozed_until=row.snoozed_until,
        kindness_only=row.kindness_only,
        kindness_days=kindness_days,
        day_end=(day_ends or {}).get(row.account_id, 0),
    )
