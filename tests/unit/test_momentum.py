"""Momentum's formula, the year grid's layout and milestone arithmetic: pure logic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.progress import heatmap
from server.progress.milestones import evaluate, milestones, nth_reached
from server.progress.momentum import (
    ALPHA,
    HALF_LIFE_DAYS,
    as_percent,
    in_words,
    momentum,
    shown_number,
)

TODAY = date(2026, 3, 18)  # a Wednesday


def days_back(start: int, count: int) -> list[date]:
    """``count`` consecutive days ending ``start`` days before TODAY."""
    return [TODAY - timedelta(days=start + i) for i in range(count)]


def stepwise(active: set[date], first: date, through: date) -> float:
    """The formula exactly as documented, one day at a time, to check the closed form."""
    score, day = 0.0, first
    while day <= through:
        score = score * (1 - ALPHA) + ALPHA * (1 if day in active else 0)
        day += timedelta(days=1)
    return score


def test_alpha_gives_a_half_life_of_two_weeks():
    assert HALF_LIFE_DAYS == 14
    assert pytest.approx(0.5) == (1 - ALPHA) ** 14
    assert pytest.approx(0.04830, abs=1e-5) == ALPHA


def test_one_act_today_from_nothing():
    assert momentum([TODAY], TODAY) == pytest.approx(ALPHA)
    assert as_percent(momentum([TODAY], TODAY)) == 4.8


def test_no_acts_is_zero():
    assert momentum([], TODAY) == 0.0


def test_fourteen_days_in_a_row_reach_half():
    assert momentum(days_back(0, 14), TODAY) == pytest.approx(0.5)
    assert as_percent(momentum(days_back(0, 14), TODAY)) == 50.0


def test_fourteen_quiet_days_halve_it_and_never_reset():
    streak = days_back(14, 14)  # 14 active days, then 14 quiet days up to today
    before = momentum(streak, TODAY - timedelta(days=14))
    after = momentum(streak, TODAY)
    assert after == pytest.approx(before / 2) == pytest.approx(0.25)
    one_quiet_day = momentum(days_back(1, 14), TODAY)
    assert one_quiet_day == pytest.approx(0.5 * (1 - ALPHA))  # a gentle dip, not a reset


def test_closed_form_matches_the_day_by_day_formula():
    active = {TODAY - timedelta(days=n) for n in (0, 1, 2, 5, 9, 30, 31, 90, 200)}
    first = min(active)
    for through in (TODAY, TODAY - timedelta(days=3), TODAY + timedelta(days=10)):
        expected = stepwise(active, first, through)
        assert momentum(active, through) == pytest.approx(expected)


def stepwise_resting(active: set[date], resting: set[date], first: date, through: date):
    """The day-by-day formula with resting days skipped outright (no decay, no growth)."""
    score, day = 0.0, first
    while day <= through:
        if day not in resting:
            score = score * (1 - ALPHA) + ALPHA * (1 if day in active else 0)
        day += timedelta(days=1)
    return score


def test_a_break_freezes_momentum_exactly():
    streak = set(days_back(20, 14))  # two weeks of acts, ending 20 days ago
    before_break = momentum(streak, TODAY - timedelta(days=20))
    resting = set(days_back(1, 19))  # every day since, up to yesterday
    assert momentum(streak, TODAY - timedelta(days=1), resting) == pytest.approx(before_break)
    # An act logged during the break neither adds to it.
    during = streak | {TODAY - timedelta(days=5)}
    assert momentum(during, TODAY - timedelta(days=1), resting) == pytest.approx(before_break)
    # Back from the break: today decays by one day only, as if the break never happened.
    assert momentum(streak, TODAY, resting) == pytest.approx(before_break * (1 - ALPHA))
    assert momentum(streak, TODAY) < before_break / 2  # without the break: weeks of decay


def test_resting_closed_form_matches_the_day_by_day_formula():
    active = {TODAY - timedelta(days=n) for n in (0, 1, 2, 5, 9, 12, 30, 31, 90, 200)}
    resting = {TODAY - timedelta(days=n) for n in (*range(3, 11), 31, 32, 150)}
    first = min(active - resting)
    for through in (TODAY, TODAY - timedelta(days=4), TODAY + timedelta(days=10)):
        expected = stepwise_resting(active, resting, first, through)
        assert momentum(active, through, resting) == pytest.approx(expected)
    assert momentum([TODAY], TODAY, {TODAY}) == 0.0  # only resting days: nothing yet


def test_only_days_count_not_how_many_acts_and_future_days_are_ignored():
    assert momentum([TODAY, TODAY, TODAY], TODAY) == pytest.approx(ALPHA)
    assert momentum([TODAY + timedelta(days=1)], TODAY) == 0.0


def test_momentum_never_exceeds_one():
    every_day = [TODAY - timedelta(days=n) for n in range(365)]
    assert 0.999 < momentum(every_day, TODAY) <= 1.0
    assert as_percent(momentum(every_day, TODAY)) == 100.0


@pytest.mark.parametrize(
    ("count", "level"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (12, 4)]
)
def test_buckets(count, level):
    assert heatmap.bucket(count) == level


def test_grid_has_53_week_columns_ending_today():
    cells = heatmap.grid(TODAY, {})
    assert cells[0].day.weekday() == 0  # the grid starts on a Monday
    assert cells[-1].day == TODAY
    assert {c.column for c in cells} == set(range(53))
    assert len(cells) == 52 * 7 + TODAY.weekday() + 1  # nothing after today
    assert all(c.row == c.day.weekday() for c in cells)


def test_a_dates_column_and_row():
    assert heatmap.position(TODAY, TODAY) == (52, 2)  # last column, Wednesday's row
    monday = date(2026, 3, 16)
    assert heatmap.position(monday, TODAY) == (52, 0)
    assert heatmap.position(monday - timedelta(days=1), TODAY) == (51, 6)  # Sunday before
    assert heatmap.position(date(2025, 3, 17), TODAY) == (0, 0)
    assert heatmap.first_day(TODAY) == date(2025, 3, 17)


def test_cells_carry_count_bucket_and_label():
    march_12 = date(2026, 3, 12)
    cell = next(c for c in heatmap.grid(TODAY, {march_12: 3}) if c.day == march_12)
    assert (cell.column, cell.row) == heatmap.position(march_12, TODAY)
    assert cell.bucket == 3
    assert cell.label == "3 acts on 12 March 2026"
    assert heatmap.cell_label(march_12, 1) == "1 act on 12 March 2026"
    assert heatmap.cell_label(march_12, 0) == "No acts on 12 March 2026"


def test_month_labels_never_crowd():
    labels = heatmap.month_labels(TODAY)
    columns = [column for column, _ in labels]
    assert all(b - a >= 3 for a, b in zip(columns, columns[1:], strict=False))
    assert heatmap.position(date(2026, 3, 1), TODAY) == (49, 6)  # a Sunday
    assert labels[-1] == (49, "Mar")


def test_summary_sentence_names_days_and_busiest_month():
    counts = {date(2025, 5, 2): 4, date(2025, 5, 9): 1, date(2026, 1, 3): 2}
    sentence = heatmap.summary_sentence(TODAY, counts)
    assert sentence == ("You logged kindness on 3 days in the past year; busiest month: May 2025.")
    assert "No acts" in heatmap.summary_sentence(TODAY, {})


def test_nth_reached_walks_a_running_total():
    steps = [(date(2026, 3, 1), 3), (date(2026, 3, 4), 2), (date(2026, 3, 9), 6)]
    assert nth_reached(1, 0, steps) == date(2026, 3, 1)
    assert nth_reached(5, 0, steps) == date(2026, 3, 4)
    assert nth_reached(10, 0, steps) == date(2026, 3, 9)
    assert nth_reached(50, 0, steps) is None  # not reached yet
    assert nth_reached(4, 4, steps) is None  # reached before the counts we looked at


def test_milestones_reached_and_next():
    result = evaluate({"acts": 12, "days": 5, "weeks": 2}, {"first-act": date(2026, 1, 2)})
    assert [m["id"] for m in result["reached"]] == ["first-act", "acts-10"]
    assert result["reached"][0]["reached_on"] == "2026-01-02"
    assert result["next"]["goal"] == "7 days with kindness"
    assert result["next"]["remaining"] == 2
    everything = evaluate({"acts": 10_000, "days": 10_000, "weeks": 10_000}, {})
    assert len(everything["reached"]) == len(milestones()) and everything["next"] is None
    nothing = evaluate({}, {})
    assert nothing["reached"] == [] and nothing["next"]["goal"] == "1 act"


def test_weeks_in_a_row_forgives_a_week_not_over_yet():
    from server.progress.summary import week_number, weeks_in_a_row

    def run(*days: date) -> int:
        # What the service reads: the latest week with an act and the run of weeks ending there.
        weeks = {week_number(day) for day in days}
        last = max(weeks, default=None)
        length = 0
        while last is not None and last - length in weeks:
            length += 1
        return weeks_in_a_row((last, length), TODAY)

    assert week_number(date(2026, 3, 16)) == week_number(TODAY) != week_number(date(2026, 3, 15))
    assert run(date(2026, 3, 2), date(2026, 3, 12), date(2026, 3, 16)) == 3
    # Nothing yet this week: last week's run still stands.
    assert run(date(2026, 3, 2), date(2026, 3, 12)) == 2
    assert run(date(2026, 2, 20), date(2026, 3, 16)) == 1
    assert run(date(2026, 3, 2)) == 0  # nothing last week nor this one: the run has ended
    assert run() == 0


def test_milestone_days_from_running_totals():
    from server.progress.summary import milestone_days

    daily = {date(2026, 1, 5): 6, date(2026, 1, 20): 4, date(2026, 2, 3): 1}
    daily |= {date(2026, 2, 10) + timedelta(days=n): 1 for n in range(4)}
    found = milestone_days(daily)
    assert found["first-act"] == date(2026, 1, 5)
    assert found["acts-10"] == date(2026, 1, 20)
    assert found["days-7"] == date(2026, 2, 13)  # the seventh distinct day
    assert found["weeks-4"] == date(2026, 2, 10)  # first act of the fourth week
    assert found["acts-25"] is None


def test_helper_high_without_paired_moods_says_nothing():
    from server.progress.summary import helper_high

    assert helper_high((0, None, None))["average_lift"] is None
    assert helper_high((2, 3.0, 2.5))["average_lift"] == -0.5


GENTLE = {"Ready when you are", "A good start", "Building", "Steady", "Strong"}


@pytest.mark.parametrize(
    ("percent", "words"),
    [
        (0, "Ready when you are"),
        (0.1, "A good start"),
        (4.8, "A good start"),
        (9.9, "A good start"),
        (10, "Building"),
        (29.9, "Building"),
        (30, "Steady"),
        (59.9, "Steady"),
        (60, "Strong"),
        (100, "Strong"),
    ],
)
def test_momentum_words_by_band(percent, words):
    assert in_words(percent) == words


def test_a_first_act_reads_as_a_good_start_and_words_never_fall_below_it():
    assert in_words(as_percent(momentum([TODAY], TODAY))) == "A good start"
    # Every score gets gentle words, and more momentum never gets humbler ones.
    order = ["Ready when you are", "A good start", "Building", "Steady", "Strong"]
    seen = [in_words(tenth / 10) for tenth in range(0, 1001)]
    assert set(seen) == GENTLE
    assert [order.index(w) for w in seen] == sorted(order.index(w) for w in seen)


def test_kindness_once_a_week_reads_as_building():
    weekly = [TODAY - timedelta(days=7 * n) for n in range(52)]
    for quiet in range(7):  # whatever day of the week it is now
        assert in_words(as_percent(momentum(weekly, TODAY + timedelta(days=quiet)))) == "Building"


@pytest.mark.parametrize(("percent", "shown"), [(0, 0), (0.3, 1), (4.8, 5), (49.5, 50), (100, 100)])
def test_the_number_beside_the_words(percent, shown):
    assert shown_number(percent) == shown
