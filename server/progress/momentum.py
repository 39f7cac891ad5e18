"""Momentum: a forgiving measure of how present kindness has been lately.

A streak resets to zero after one missed day, which teaches people who already judge themselves
harshly that one bad day undoes everything. Momentum, in the spirit of Loop Habit Tracker's
habit strength, is instead an exponentially decaying average of recent days::

    score = 0 before the first act
    for each day d from the first act to the last day counted:
        score = score * (1 - ALPHA) + ALPHA * x_d      where x_d = 1 if d had an act, else 0

    ALPHA = 1 - 0.5 ** (1 / HALF_LIFE_DAYS),  HALF_LIFE_DAYS = 14

So each day's weight halves every 14 days. Known values: one act today from nothing gives
ALPHA ≈ 4.8 %; 14 days in a row give 1 - 0.5 = 50 %; 14 quiet days after that halve it to
25 %. A quiet day lowers the score gently and it never drops to zero at once.

Only days matter, not how many acts a day holds, so a busy day cannot "buy" momentum and the
input is a set of dates: the service passes the days with acts in the past year (a day a year
back weighs under 0.5 ** (365 / 14) ≈ 1e-8). The loop runs once per active day, not per act.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable
from datetime import date, timedelta

HALF_LIFE_DAYS = 14
ALPHA = 1 - 0.5 ** (1 / HALF_LIFE_DAYS)


def momentum(active_days: Iterable[date], through: date, resting: Collection[date] = ()) -> float:
    """The score (0.0 to 1.0) on ``through``, from the days that had at least one act.

    Days after ``through`` are ignored. Closed form per gap: ``k`` quiet days multiply the
    score by ``(1 - ALPHA) ** k``, so the loop runs once per active day, not once per day.

    ``resting`` days (the reader's breaks, server/rest) are taken out of time: the score
    neither decays nor grows on them, even for an act logged during the break, so it is
    exactly the same after a break as before it.
    """
    rest = sorted(resting)

    def held(after: date, upto: date) -> int:
        """Resting days in (after, upto]."""
        return bisect_right(rest, upto) - bisect_right(rest, after)

    days = sorted({d for d in active_days if d <= through})
    if rest:
        days = [d for d in days if d not in resting]
    if not days:
        return 0.0
    score = 0.0
    previous = days[0] - timedelta(days=1)
    for day in days:
        quiet = (day - previous).days - 1 - held(previous, day)
        score *= (1 - ALPHA) ** quiet
        score = score * (1 - ALPHA) + ALPHA
        previous = day
    return score * (1 - ALPHA) ** ((through - previous).days - held(previous, through))


def as_percent(score: float) -> float:
    """The score as a percentage with one decimal, for JSON and the gauge's label."""
    return round(max(0.0, min(1.0, score)) * 100, 1)


# Words come before the number, so a first act reads as "A good start", never as "5 %".
# Every band is gentle; (lowest percent, words), rising: a score takes the last it reaches.
# One act gives 4.8, a week of daily acts 29, an act every other day settles near 50 and three
# weeks of daily acts pass 60. One act a week stays between 11 and 17: "Building".
FIRST_WORDS = "A good start"
BANDS = ((10.0, "Building"), (30.0, "Steady"), (60.0, "Strong"))
# Only when nothing in the past year counts any more: an invitation, not a verdict.
RESTING_WORDS = "Ready when you are"


def in_words(percent: float) -> str:
    """What the page leads with for a score from ``as_percent``."""
    if percent <= 0:
        return RESTING_WORDS
    words = FIRST_WORDS
    for lowest, name in BANDS:
        if percent >= lowest:
            words = name
    return words


def shown_number(percent: float) -> int:
    """The whole number shown beside the words: any momentum at all shows at least 1."""
    return max(1, round(percent)) if percent > 0 else 0
