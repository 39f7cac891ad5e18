"""This month and the months before it as calendars: weeks (Monday first) of days.

Pure layout from the per-day counts the service has already read for the year grid (the
same ``act_days`` window), so a month costs no query. Only dates, never times: a month's days
come from date arithmetic, so a change of clocks (summer time) cannot add or lose a day.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from server.progress.heatmap import cell_label

# (short, full) weekday names for the column headers, Monday first.
WEEKDAYS = (
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
)


@dataclass(frozen=True)
class Day:
    day: date
    count: int
    is_today: bool
    is_future: bool

    @property
    def label(self) -> str:
        return cell_label(self.day, self.count)


@dataclass(frozen=True)
class Month:
    key: str  # "month-2026-03": the id the page's links point at
    name: str  # "March 2026"
    month_name: str  # "March"
    year: int
    weeks: tuple[tuple[Day | None, ...], ...]  # None pads the first and last week
    acts: int
    days: int  # days with an act
    current: bool  # the month holding today


def weeks_of(year: int, month: int) -> list[list[date | None]]:
    """The month's days in rows of seven, Monday first, padded with None at either end."""
    first = date(year, month, 1)
    cells: list[date | None] = [None] * first.weekday()
    cells += [first + timedelta(days=n) for n in range(monthrange(year, month)[1])]
    cells += [None] * (-len(cells) % 7)
    return [cells[n : n + 7] for n in range(0, len(cells), 7)]


def months_covered(today: date, since: date) -> list[tuple[int, int]]:
    """(year, month) of every month whose days all fall on or after ``since``, through
    today's month, oldest first: the months the counts can show whole."""
    year, month = since.year, since.month
    if since.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    found = []
    while (year, month) <= (today.year, today.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def month_of(year: int, number: int, today: date, counts: dict[date, int]) -> Month:
    weeks = tuple(
        tuple(
            None
            if day is None
            else Day(day, counts.get(day, 0) if day <= today else 0, day == today, day > today)
            for day in week
        )
        for week in weeks_of(year, number)
    )
    days = [d for week in weeks for d in week if d is not None]
    first = date(year, number, 1)
    return Month(
        key=f"month-{year:04d}-{number:02d}",
        name=f"{first:%B} {year}",
        month_name=f"{first:%B}",
        year=year,
        weeks=weeks,
        acts=sum(d.count for d in days),
        days=sum(1 for d in days if d.count),
        current=(year, number) == (today.year, today.month),
    )


def months(today: date, counts: dict[date, int], since: date) -> list[Month]:
    """Every whole month the counts cover, oldest first, the last being this month."""
    return [month_of(year, number, today, counts) for year, number in months_covered(today, since)]
