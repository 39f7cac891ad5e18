"""Figures from counts: pure functions from per-day counts (and a recent sample) to the
summary the page and the API show. No database here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from server.acts.content import kind_label
from server.days import DAY_NAMES
from server.progress.milestones import evaluate, milestones, nth_reached
from server.progress.momentum import as_percent, momentum

# Kinds and moods are read from this many most recent acts, so their cost is fixed.
RECENT = 500
# Weeks are numbered from Monday 1 January 2001, so a week always starts on a Monday.
WEEK_ZERO = date(2001, 1, 1)


def week_number(day: date) -> int:
    return (day - WEEK_ZERO).days // 7


@dataclass
class Figures:
    """What the queries return, as plain values."""

    today: date
    daily: dict[date, int]  # acts per day with an act, from ``since`` on
    since: date  # the first day ``daily`` covers (service.WINDOW before today)
    acts: int  # all time
    days: int  # days with an act, all time
    weeks: int  # weeks with an act, all time
    last_run: tuple[int | None, int]  # the latest such week_number, weeks in a row ending there
    first_days: dict[date, int]  # the oldest days with acts, enough to date each milestone
    categories: list[tuple[str | None, int]]  # among the most recent RECENT acts
    moods: tuple[int, float | None, float | None]  # acts with both moods, mean before, after
    resting: frozenset[date] = frozenset()  # days of the past year on a break (server/rest)
    # Per kind among the recent acts: (kind, acts with both moods, mean lift over them).
    lifts: list[tuple[str | None, int, float]] = field(default_factory=list)


def weeks_in_a_row(last_run: tuple[int | None, int], today: date) -> int:
    """Weeks running up to this one that each held an act, from the latest week with an act
    (a ``week_number``) and the run of weeks ending there. This week not having one *yet*
    does not end the run: the week isn't over."""
    last, run = last_run
    if last is None or last < week_number(today) - 1:
        return 0
    return run


def helper_high(moods: tuple[int, float | None, float | None]) -> dict:
    """Mean lift over acts where the reader noted mood both before and after.

    The mean of (after - before) equals mean(after) - mean(before) over the same acts, so
    sums suffice. We deliberately do NOT compare days with acts to days without: Lifted only
    asks about mood when an act is logged, so days without acts have no mood at all, and any
    such comparison would be invented. The page says so in plain words instead.
    """
    count, before, after = moods
    known = count and before is not None and after is not None
    return {
        "acts_with_both": count,
        "average_lift": round(after - before, 1) if known else None,
        "average_before": round(before, 1) if known else None,
        "average_after": round(after, 1) if known else None,
    }


# Insights appear once there is this much to go on: fewer acts would read patterns into noise.
INSIGHTS_AFTER = 30
KIND_NEEDS = 3  # acts with a mood before and after, for a kind's lift to be shown


def insights(f: Figures) -> dict:
    """Which kinds came with the largest mood lift (among named kinds with KIND_NEEDS acts that
    have both moods, lift above zero, at most three) and the busiest weekdays of the past year
    (at most two). Only the reader's own record: nothing is compared with anyone."""
    kinds = sorted(
        ((kind, n, lift) for kind, n, lift in f.lifts if kind and n >= KIND_NEEDS and lift > 0),
        key=lambda k: (-k[2], -k[1]),
    )[:3]
    by_weekday = [0] * 7
    for day, n in f.daily.items():
        by_weekday[day.weekday()] += n
    busiest = sorted((d for d in range(7) if by_weekday[d]), key=lambda d: -by_weekday[d])[:2]
    return {
        "after": INSIGHTS_AFTER,
        "ready": f.acts >= INSIGHTS_AFTER,
        "kinds": [
            {"label": kind_label(k), "acts": n, "lift": round(lift, 1)} for k, n, lift in kinds
        ],
        "weekdays": [DAY_NAMES[d] for d in sorted(busiest, key=lambda d: -by_weekday[d])],
    }


def milestone_days(daily: dict[date, int]) -> dict[str, date | None]:
    """The day each milestone was reached, from the running totals of acts, days and weeks.

    Walks the days oldest first and stops once every milestone is behind it, so a long
    history costs no more than the first few hundred days of it."""
    highest = {"acts": 0, "days": 0, "weeks": 0}
    for m in milestones():
        highest[m.kind] = max(highest[m.kind], m.threshold)
    steps, weeks, seen, acts = [], [], set(), 0
    for day in sorted(daily):
        steps.append((day, daily[day]))
        acts += daily[day]
        if (number := week_number(day)) not in seen:
            seen.add(number)
            weeks.append((day, 1))
        if (
            acts >= highest["acts"]
            and len(steps) >= highest["days"]
            and len(weeks) >= highest["weeks"]
        ):
            break
    series = {"acts": steps, "days": [(day, 1) for day, _ in steps], "weeks": weeks}
    return {m.id: nth_reached(m.threshold, 0, series[m.kind]) for m in milestones()}


def summarise(f: Figures) -> dict:
    today = f.today
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    this_week = [n for d, n in f.daily.items() if week_start <= d <= today]
    this_month = [n for d, n in f.daily.items() if month_start <= d <= today]
    # Today isn't over: until its first act, the score is shown as of yesterday, undecayed.
    through = today if f.daily.get(today) else today - timedelta(days=1)
    all_time = f.acts
    weeks_all_time = f.weeks
    # A day a year back weighs under 0.5 ** (365 / 14), about 1e-8: older days change nothing.
    recent_days = [day for day in f.daily if (today - day).days <= 371]
    totals = {"acts": all_time, "days": f.days, "weeks": weeks_all_time}
    return {
        "date": today.isoformat(),
        "today": f.daily.get(today, 0),
        "week": sum(this_week),
        "month": sum(this_month),
        "all_time": all_time,
        "days_this_week": len(this_week),
        "days_this_month": len(this_month),
        "days_all_time": f.days,
        "weeks_all_time": weeks_all_time,
        "momentum": as_percent(momentum(recent_days, through, f.resting)),
        "resting": today in f.resting,
        "weeks_with_kindness": weeks_in_a_row(f.last_run, today),
        "recent_acts": min(all_time, RECENT),
        "categories": [
            {"id": key, "label": kind_label(key), "count": n}
            for key, n in sorted(f.categories, key=lambda kv: (-kv[1], kv[0] or "~"))
        ],
        "milestones": evaluate(totals, milestone_days(f.first_days)),
        "helper_high": helper_high(f.moods),
        "insights": insights(f),
    }
