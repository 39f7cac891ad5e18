"""Progress figures, read with a few small queries whose cost does not follow the act count.

From ``act_days`` (acts per account and local day, kept by triggers on ``acts``, migration
0002), so no act is read for them:

1. Totals, all time: acts and days with acts (one row, from an index).
2. From ``act_weeks`` (a row a week, migration 0004): the weeks with acts, all time, and the
   run of weeks in a row ending at the latest.
3. The days of the past year and a bit: today, this week and month, momentum, the heatmap
   and the month calendars.
4. The oldest few hundred days, enough to tell the day each milestone was reached.

And from ``acts``: 5. kinds and moods of the most recent ``RECENT`` acts, through the
(account_id, occurred_at) index: a fixed number of rows, however long the history.

``summary.summarise`` turns these into figures.
"""

from __future__ import annotations

from datetime import date, timedelta

from server import days, db
from server.identity.models import Account
from server.progress.milestones import milestones
from server.progress.summary import RECENT, Figures, summarise, week_number
from server.rest import service as rest

# Momentum looks 371 days back, the heatmap 53 weeks and the month view its whole months:
# all fit in this window.
WINDOW = timedelta(days=371)
# Answered from the (account_id, local_date, count) index alone, no table row read.
TOTALS_SQL = (
    "SELECT COUNT(*) AS days, COALESCE(SUM(count), 0) AS acts "
    "FROM act_days WHERE account_id = ?::uuid"
)
# From act_weeks (migration 0004), its unique index alone: all weeks with acts; the latest up to
# this one; and where the run of weeks ending there starts, the latest week whose week before
# holds no act (walking back from the latest, it stops at the first gap).
WEEKS_SQL = """
SELECT (SELECT COUNT(*) FROM act_weeks WHERE account_id = ?::uuid) AS weeks,
       (SELECT MAX(week) FROM act_weeks WHERE account_id = ?::uuid AND week <= ?) AS last,
       (SELECT week FROM act_weeks AS a WHERE account_id = ?::uuid AND week <= ?
        AND NOT EXISTS (SELECT 1 FROM act_weeks AS b
                        WHERE b.account_id = a.account_id AND b.week = a.week - 1)
        ORDER BY week DESC LIMIT 1) AS start
"""
WINDOW_SQL = (
    "SELECT local_date, count AS n FROM act_days "
    "WHERE account_id = ?::uuid AND local_date >= ?::date"
)
# The oldest days, enough of them to date every milestone (see _first_days).
FIRST_DAYS_SQL = (
    "SELECT local_date, count AS n FROM act_days WHERE account_id = ?::uuid "
    "ORDER BY local_date LIMIT ?"
)
RECENT_SQL = f"""
SELECT category, COUNT(*) AS n,
       SUM(CASE WHEN mood_before IS NOT NULL AND mood_after IS NOT NULL THEN 1 ELSE 0 END)
           AS paired,
       SUM(CASE WHEN mood_after IS NOT NULL THEN mood_before END) AS before_sum,
       SUM(CASE WHEN mood_before IS NOT NULL THEN mood_after END) AS after_sum
FROM (SELECT category, mood_before, mood_after FROM acts
      WHERE account_id = ?::uuid ORDER BY occurred_at DESC LIMIT {RECENT}) AS recent
GROUP BY category
"""


def today_for(timezone: str | None, day_end: int = 0) -> date:
    """The reader's day now (it may end after midnight). Tests replace this to fix "today"."""
    return days.today(timezone, day_end)


def _first_days() -> int:
    """How many oldest days place every milestone: a day holds at least one act and a week
    at most seven days, so the largest threshold in days does."""
    return max(m.threshold * (7 if m.kind == "weeks" else 1) for m in milestones())


async def _figures(account: Account, today: date) -> Figures:
    key = account.id
    (totals,) = await db.fetch(TOTALS_SQL, key)
    current = week_number(today)
    (weeks,) = await db.fetch(WEEKS_SQL, key, key, current, key, current)
    window = await db.fetch(WINDOW_SQL, key, today - WINDOW)
    first = await db.fetch(FIRST_DAYS_SQL, key, _first_days())
    recent = await db.fetch(RECENT_SQL, key)
    resting = await rest.resting_days(account, today - WINDOW, today)
    paired = sum(int(r["paired"] or 0) for r in recent)
    return Figures(
        today=today,
        daily={db.as_date(r["local_date"]): int(r["n"]) for r in window},
        since=today - WINDOW,
        acts=int(totals["acts"]),
        days=int(totals["days"]),
        weeks=int(weeks["weeks"]),
        last_run=_last_run(weeks["last"], weeks["start"]),
        first_days={db.as_date(r["local_date"]): int(r["n"]) for r in first},
        categories=[(r["category"], int(r["n"])) for r in recent],
        lifts=[
            (
                r["category"],
                int(r["paired"]),
                (float(r["after_sum"]) - float(r["before_sum"])) / int(r["paired"]),
            )
            for r in recent
            if r["paired"]
        ],
        resting=frozenset(resting),
        moods=(
            paired,
            _mean(sum(r["before_sum"] or 0 for r in recent), paired),
            _mean(sum(r["after_sum"] or 0 for r in recent), paired),
        ),
    )


def _last_run(last, start) -> tuple[int | None, int]:
    return (None, 0) if last is None else (int(last), int(last) - int(start) + 1)


def _mean(total, count: int) -> float | None:
    return float(total) / count if count else None


async def progress_summary(account: Account, today: date) -> dict:
    """The reader's progress as JSON-friendly plain values (the page and GET /api/v1/progress).

    Keys: date (ISO, the reader's "today"), today, week, month, all_time (act counts; weeks
    start on Monday), days_this_week, days_this_month, days_all_time, weeks_all_time,
    momentum (0-100, one decimal), weeks_with_kindness (weeks in a row up to this one),
    categories [{id, label, count}] and helper_high {acts_with_both, average_lift,
    average_before, average_after} over the most recent ``recent_acts`` acts, milestones
    {reached: [{id, title, text, reached_on}], next: {id, title, goal, current, remaining}
    or None}.
    """
    return summarise(await _figures(account, today))


async def progress_page(account: Account, today: date) -> tuple[dict, Figures]:
    """The summary and the per-day counts the page draws its charts from."""
    figures = await _figures(account, today)
    return summarise(figures), figures
