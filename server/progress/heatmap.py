"""The past year as a calendar grid: 53 week columns (Monday first) by 7 weekday rows.

Pure layout, no drawing and no database: ``charts.heatmap_svg`` draws what ``grid`` returns,
and the service feeds it per-day counts from one grouped query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

WEEKS = 53
# Month labels at least this many week columns apart, so three letters never touch.
LABEL_SPACING = 3
# (lowest count, label) per shade; a day's bucket is the last one whose lowest count it reaches.
BUCKETS = ((0, "none"), (1, "1"), (2, "2"), (3, "3 to 4"), (5, "5 or more"))


def bucket(count: int) -> int:
    """0 for none, 1 for one act, 2 for two, 3 for three or four, 4 for five or more."""
    level = 0
    for index, (lowest, _) in enumerate(BUCKETS):
        if count >= lowest:
            level = index
    return level


def first_day(today: date) -> date:
    """The Monday that starts the first column: today's week is the last of 53."""
    return today - timedelta(days=today.weekday(), weeks=WEEKS - 1)


def position(day: date, today: date) -> tuple[int, int]:
    """(column, row) of ``day``: column 0 is the oldest week, row 0 is Monday."""
    return (day - first_day(today)).days // 7, day.weekday()


def long_date(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def cell_label(day: date, count: int) -> str:
    """What a cell says to a pointer or a screen reader: "3 acts on 12 March 2026"."""
    if count == 0:
        return f"No acts on {long_date(day)}"
    return f"{count} act{'s' if count != 1 else ''} on {long_date(day)}"


@dataclass(frozen=True)
class Cell:
    day: date
    count: int
    column: int
    row: int

    @property
    def bucket(self) -> int:
        return bucket(self.count)

    @property
    def label(self) -> str:
        return cell_label(self.day, self.count)


def grid(today: date, counts: dict[date, int]) -> list[Cell]:
    """Every day from the first column's Monday through today (none after today)."""
    start = first_day(today)
    cells = []
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        cells.append(Cell(day, counts.get(day, 0), offset // 7, day.weekday()))
    return cells


def month_labels(today: date) -> list[tuple[int, str]]:
    """(column, "Mar") for each column holding the 1st of a month, spaced so labels never
    overlap (a month starting within two columns of the previous label is left unlabelled).
    The oldest column names its own month too when there is room before the first label, so
    every part of the grid says which month it is."""
    start = first_day(today)
    labels: list[tuple[int, str]] = []
    for column in range(WEEKS):
        monday = start + timedelta(weeks=column)
        firsts = [monday + timedelta(days=i) for i in range(7)]
        first = next((d for d in firsts if d.day == 1 and d <= today), None)
        if first and (not labels or column - labels[-1][0] >= LABEL_SPACING):
            labels.append((column, f"{first:%b}"))
    if not labels or labels[0][0] >= LABEL_SPACING:
        labels.insert(0, (0, f"{start:%b}"))
    return labels


@dataclass(frozen=True)
class Month:
    name: str  # "May 2026"
    acts: int
    days: int


def months(today: date, counts: dict[date, int]) -> list[Month]:
    """Acts and active days per calendar month shown on the grid, oldest first."""
    start = first_day(today)
    totals: dict[tuple[int, int], list[int]] = {}
    day = start
    while day <= today:
        entry = totals.setdefault((day.year, day.month), [0, 0])
        count = counts.get(day, 0)
        entry[0] += count
        entry[1] += 1 if count else 0
        day += timedelta(days=1)
    return [
        Month(f"{date(year, month, 1):%B} {year}", acts, days)
        for (year, month), (acts, days) in totals.items()
    ]


def summary_sentence(today: date, counts: dict[date, int]) -> str:
    """One sentence a screen reader hears instead of the grid."""
    start = first_day(today)
    active = sum(1 for day, count in counts.items() if start <= day <= today and count)
    if not active:
        return "No acts logged in the past year yet. Your first one will show up here."
    # Ties go to the most recent month: it is the one the reader remembers.
    busiest = max(reversed(months(today, counts)), key=lambda m: m.acts)
    days = "day" if active == 1 else "days"
    return (
        f"You logged kindness on {active} {days} in the past year; busiest month: {busiest.name}."
    )
