"""Progress figures, read only through SQL aggregates over the (account_id, local_date) index.

The page costs the same with 100 acts as with 100,000: five queries, none of which returns
one row per act. Per-day counts cover the heatmap's 53 weeks (at most 371 rows); totals,
weeks, categories and moods are grouped or plain aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise import connections
from tortoise.expressions import RawSQL
from tortoise.functions import Count, Min, Sum

from server.accounts.models import Account
from server.acts.models import Act
from server.progress import heatmap
from server.progress.milestones import category_labels, evaluate, milestones, nth_reached
from server.progress.momentum import as_percent, momentum

# Weeks are numbered from Monday 1 January 2001 so both databases agree on week boundaries
# (Monday first). Acts never predate 2001, so integer division never meets a negative number.
WEEK_ZERO = date(2001, 1, 1)
WEEK_SQL = {
    "sqlite": "CAST((julianday(local_date) - julianday('2001-01-01')) / 7 AS INTEGER)",
    "postgres": "((local_date - DATE '2001-01-01') / 7)",
}


def today_for(timezone: str | None) -> date:
    """The reader's calendar date now. Tests replace this to fix "today"."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(UTC).astimezone(zone).date()


def week_number(day: date) -> int:
    return (day - WEEK_ZERO).days // 7


@dataclass
class Figures:
    """Everything the page and the API show, as plain values."""

    today: date
    daily: dict[date, int]  # acts per day from the heatmap's first day on
    all_time: int
    days_all_time: int
    weeks: list[tuple[int, date]]  # (week number, first day with an act that week), oldest first
    categories: list[tuple[str | None, int]]
    moods: tuple[int, float | None, float | None]  # acts with both moods, mean before, after


async def _figures(account: Account, today: date) -> Figures:
    acts = Act.filter(account_id=account.id)
    start = heatmap.first_day(today)
    # No upper bound: an act dated after "today" (a trip across time zones) still counts
    # towards totals and milestones, it just isn't drawn yet.
    per_day = (
        await acts.filter(local_date__gte=start)
        .annotate(n=Count("id"))
        .group_by("local_date")
        .values("local_date", "n")
    )
    totals = await acts.annotate(n=Count("id"), days=Count("local_date", distinct=True)).values(
        "n", "days"
    )
    dialect = connections.get("default").capabilities.dialect
    weeks = (
        await acts.annotate(week=RawSQL(WEEK_SQL[dialect]), first=Min("local_date"))
        .group_by("week")
        .order_by("week")
        .values("week", "first")
    )
    kinds = await acts.annotate(n=Count("id")).group_by("category").values("category", "n")
    moods = (
        await acts.filter(mood_before__isnull=False, mood_after__isnull=False)
        # Sums, not Avg: Tortoise casts Avg over a SmallIntField back to int, truncating it.
        .annotate(n=Count("id"), before=Sum("mood_before"), after=Sum("mood_after"))
        .values("n", "before", "after")
    )
    mood = moods[0] if moods else {"n": 0, "before": None, "after": None}
    return Figures(
        today=today,
        daily={_as_date(r["local_date"]): r["n"] for r in per_day},
        all_time=totals[0]["n"] if totals else 0,
        days_all_time=totals[0]["days"] if totals else 0,
        weeks=[(int(r["week"]), _as_date(r["first"])) for r in weeks],
        categories=[(r["category"], r["n"]) for r in kinds],
        moods=(mood["n"] or 0, _mean(mood["before"], mood["n"]), _mean(mood["after"], mood["n"])),
    )


def _as_date(value) -> date:
    # SQLite hands back ISO strings for aggregates such as MIN(local_date).
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _mean(total, count) -> float | None:
    return float(total) / count if count and total is not None else None


def weeks_in_a_row(weeks: list[tuple[int, date]], today: date) -> int:
    """Weeks running up to this one that each held an act. This week not having one *yet*
    does not end the run: the week isn't over."""
    numbers = {number for number, _ in weeks}
    current = week_number(today)
    if current not in numbers:
        current -= 1
    run = 0
    while current - run in numbers:
        run += 1
    return run


def helper_high(moods: tuple[int, float | None, float | None]) -> dict:
    """Mean lift over acts where the reader noted mood both before and after.

    The mean of (after - before) equals mean(after) - mean(before) over the same acts, so SQL
    averages suffice. We deliberately do NOT compare days with acts to days without: Lifted
    only asks about mood when an act is logged, so days without acts have no mood at all, and
    any such comparison would be invented. The page says so in plain words instead.
    """
    count, before, after = moods
    lift = round(after - before, 1) if count and before is not None and after is not None else None
    return {
        "acts_with_both": count,
        "average_lift": lift,
        "average_before": round(before, 1) if before is not None else None,
        "average_after": round(after, 1) if after is not None else None,
    }


def _milestone_days(f: Figures) -> dict:
    """When each milestone was reached, if the past year's counts can tell (else None)."""
    steps = sorted(f.daily.items())
    acts_earlier = f.all_time - sum(f.daily.values())
    days_earlier = f.days_all_time - len(f.daily)
    found = {}
    for m in milestones():
        if m.kind == "acts":
            found[m.id] = nth_reached(m.threshold, acts_earlier, steps)
        elif m.kind == "days":
            found[m.id] = nth_reached(m.threshold, days_earlier, [(d, 1) for d, _ in steps])
        elif m.kind == "weeks" and len(f.weeks) >= m.threshold:
            found[m.id] = f.weeks[m.threshold - 1][1]
    return found


def summarise(f: Figures) -> dict:
    today = f.today
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    this_week = [n for d, n in f.daily.items() if week_start <= d <= today]
    this_month = [n for d, n in f.daily.items() if month_start <= d <= today]
    # Today isn't over: until its first act, the score is shown as of yesterday, undecayed.
    through = today if f.daily.get(today) else today - timedelta(days=1)
    labels = category_labels()
    totals = {"acts": f.all_time, "days": f.days_all_time, "weeks": len(f.weeks)}
    return {
        "date": today.isoformat(),
        "today": f.daily.get(today, 0),
        "week": sum(this_week),
        "month": sum(this_month),
        "all_time": f.all_time,
        "days_this_week": len(this_week),
        "days_this_month": len(this_month),
        "days_all_time": f.days_all_time,
        "weeks_all_time": len(f.weeks),
        "momentum": as_percent(momentum(f.daily, through)),
        "weeks_with_kindness": weeks_in_a_row(f.weeks, today),
        "categories": [
            {"id": key, "label": labels.get(key, key) if key else "Other", "count": n}
            for key, n in sorted(f.categories, key=lambda kv: (-kv[1], kv[0] or "~"))
        ],
        "milestones": evaluate(totals, _milestone_days(f)),
        "helper_high": helper_high(f.moods),
    }


async def progress_summary(account: Account, today: date) -> dict:
    """The reader's progress as JSON-friendly plain values (the page and GET /api/v1/progress).

    Keys: date (ISO, the reader's "today"), today, week, month, all_time (act counts; weeks
    start on Monday), days_this_week, days_this_month, days_all_time, weeks_all_time,
    momentum (0-100, one decimal), weeks_with_kindness (weeks in a row up to this one),
    categories [{id, label, count}], milestones {reached: [{id, title, text, reached_on}],
    next: {id, title, goal, current, remaining} or None}, helper_high {acts_with_both,
    average_lift, average_before, average_after}.
    """
    return summarise(await _figures(account, today))


async def progress_page(account: Account, today: date) -> tuple[dict, Figures]:
    """The summary and the raw per-day figures the page draws its charts from."""
    figures = await _figures(account, today)
    return summarise(figures), figures
