"""The reader's day boundary at a chosen hour, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server.days import day_start, last_moment_of, local_day

PARIS = "Europe/Paris"  # clocks go forward 29 March 2026 (2 → 3), back 25 October (3 → 2)


def paris(*args, fold: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo(PARIS), fold=fold)


@pytest.mark.parametrize(
    ("moment", "day_end", "day"),
    [
        (paris(2026, 6, 10, 23, 59), 0, date(2026, 6, 10)),
        (paris(2026, 6, 11, 0, 30), 0, date(2026, 6, 11)),
        (paris(2026, 6, 11, 0, 30), 3, date(2026, 6, 10)),
        (paris(2026, 6, 11, 2, 59), 3, date(2026, 6, 10)),
        (paris(2026, 6, 11, 3, 0), 3, date(2026, 6, 11)),
        # Clocks back: 2:30 happens twice, and both belong to the day before.
        (paris(2026, 10, 25, 2, 30, fold=0), 3, date(2026, 10, 24)),
        (paris(2026, 10, 25, 2, 30, fold=1), 3, date(2026, 10, 24)),
        (paris(2026, 10, 25, 3, 0), 3, date(2026, 10, 25)),
        # Clocks forward: 1:59 is the day before, and the next minute (3:00) is the new day.
        (paris(2026, 3, 29, 1, 59), 2, date(2026, 3, 28)),
        (paris(2026, 3, 29, 3, 0), 2, date(2026, 3, 29)),
    ],
)
def test_an_instant_belongs_to_the_readers_day(moment, day_end, day):
    assert local_day(moment.astimezone(UTC), PARIS, day_end) == day


def test_a_day_starts_at_its_hour_even_inside_a_missing_one():
    assert day_start(date(2026, 6, 11), PARIS, 3) == datetime(2026, 6, 11, 1, 0, tzinfo=UTC)
    # 2:00 on 29 March does not exist in Paris: the day starts at the change itself.
    assert day_start(date(2026, 3, 29), PARIS, 2) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    last = last_moment_of(date(2026, 3, 28), PARIS, 2)
    assert local_day(last, PARIS, 2) == date(2026, 3, 28)
    assert local_day(last_moment_of(date(2026, 10, 24), PARIS, 3), PARIS, 3) == date(2026, 10, 24)


def test_a_zone_we_dont_know_is_utc():
    assert local_day(datetime(2026, 6, 11, 0, 30, tzinfo=UTC), "Nowhere/Land", 1) == date(
        2026, 6, 10
    )
