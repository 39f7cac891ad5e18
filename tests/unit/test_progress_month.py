"""The month calendars: weeks from Monday, whole months only, from the counts already read."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

import pytest

from server.progress import monthview
from server.progress.service import WINDOW

TODAY = date(2026, 3, 18)  # a Wednesday; 1 March 2026 was a Sunday


def test_a_month_starting_on_sunday_has_six_blank_days_first():
    weeks = monthview.weeks_of(2026, 3)
    assert weeks[0] == [None] * 6 + [date(2026, 3, 1)]
    assert weeks[1][0] == date(2026, 3, 2)  # Monday starts the next row
    assert len(weeks) == 6  # 6 blanks + 31 days need six rows
    assert weeks[-1] == [date(2026, 3, 30), date(2026, 3, 31)] + [None] * 5


def test_a_february_starting_on_monday_fills_exactly_four_rows():
    weeks = monthview.weeks_of(2027, 2)
    assert len(weeks) == 4 and None not in sum(weeks, [])
    assert weeks[0][0] == date(2027, 2, 1) and weeks[-1][-1] == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("year", "number"),
    [
        (2026, 3),  # clocks go forward in Europe on 29 March
        (2026, 10),  # and back on 25 October
        (2026, 11),  # and in North America on 1 November, a Sunday
        (2028, 2),  # a leap February
        (2026, 12),
    ],
)
def test_every_day_once_in_its_weekday_column_whatever_the_clocks_do(year, number):
    weeks = monthview.weeks_of(year, number)
    assert all(len(week) == 7 for week in weeks)
    days = [day for week in weeks for day in week if day]
    assert len(days) == monthrange(year, number)[1]
    assert days == [date(year, number, 1) + timedelta(days=n) for n in range(len(days))]
    for week in weeks:
        for column, day in enumerate(week):
            assert day is None or day.weekday() == column


def test_a_month_carries_counts_today_and_totals():
    counts = {date(2026, 3, 12): 3, TODAY: 2, date(2026, 3, 2): 1, date(2026, 2, 27): 9}
    march = monthview.month_of(2026, 3, TODAY, counts)
    assert (march.key, march.name, march.month_name, march.year) == (
        "month-2026-03",
        "March 2026",
        "March",
        2026,
    )
    assert march.current and (march.acts, march.days) == (6, 3)  # February's 9 are not March's
    days = {d.day: d for week in march.weeks for d in week if d}
    assert days[date(2026, 3, 12)].count == 3
    assert days[date(2026, 3, 12)].label == "3 acts on 12 March 2026"
    assert [d.day for d in days.values() if d.is_today] == [TODAY]
    assert all(d.is_future == (d.day > TODAY) for d in days.values())
    february = monthview.month_of(2026, 2, TODAY, counts)
    assert not february.current and (february.acts, february.days) == (9, 1)


def test_only_whole_months_inside_the_counts_are_offered():
    assert monthview.months_covered(TODAY, date(2025, 3, 12)) == [
        *((2025, n) for n in range(4, 13)),
        *((2026, n) for n in range(1, 4)),
    ]
    # A window starting on the 1st keeps that month.
    assert monthview.months_covered(date(2026, 1, 10), date(2025, 12, 1))[0] == (2025, 12)


@pytest.mark.parametrize("offset", range(0, 366, 7))
def test_the_service_window_always_gives_a_year_of_months(offset):
    today = date(2026, 1, 1) + timedelta(days=offset)
    covered = monthview.months_covered(today, today - WINDOW)
    assert len(covered) >= 12 and covered[-1] == (today.year, today.month)
    months = monthview.months(today, {}, today - WINDOW)
    assert [m.current for m in months] == [False] * (len(months) - 1) + [True]
