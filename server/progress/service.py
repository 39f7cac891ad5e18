"""Progress figures, read with two aggregate queries whose cost does not follow the act count.

1. Acts per day, all time: the account's rows of ``act_days``, which triggers on ``acts``
   keep (migration 0002). One row per day with an act, never one per act, and no act is
   read; it gives totals, days, weeks, milestones, momentum and the heatmap.
2. Kinds and moods of the most recent ``RECENT`` acts, through the (account_id, occurred_at)
   index: a fixed number of rows, however long the history.

Nothing here loads acts into Python; ``summary.summarise`` turns the counts into figures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise import connections

from server.accounts.models import Account
from server.progress.summary import RECENT, Figures, summarise

PER_DAY_SQL = "SELECT local_date, count AS n FROM act_days WHERE account_id = {p}"
RECENT_SQL = f"""
SELECT category, COUNT(*) AS n,
       SUM(CASE WHEN mood_before IS NOT NULL AND mood_after IS NOT NULL THEN 1 ELSE 0 END)
           AS paired,
       SUM(CASE WHEN mood_after IS NOT NULL THEN mood_before END) AS before_sum,
       SUM(CASE WHEN mood_before IS NOT NULL THEN mood_after END) AS after_sum
FROM (SELECT category, mood_before, mood_after FROM acts
      WHERE account_id = {{p}} ORDER BY occurred_at DESC LIMIT {RECENT}) AS recent
GROUP BY category
"""


def today_for(timezone: str | None) -> date:
    """The reader's calendar date now. Tests replace this to fix "today"."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(UTC).astimezone(zone).date()


async def _query(sql: str, account: Account) -> list[dict]:
    """Runs ``sql`` with the account id as its one parameter, in each database's dialect.

    Raw SQL because the ORM would count the key (COUNT(id)) and parse every date through
    iso8601, which for a long history costs more than the query itself.
    """
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        return await conn.execute_query_dict(sql.format(p="$1"), [UUID(str(account.id))])
    return await conn.execute_query_dict(sql.format(p="?"), [str(account.id)])


async def _figures(account: Account, today: date) -> Figures:
    per_day = await _query(PER_DAY_SQL, account)
    recent = await _query(RECENT_SQL, account)
    paired = sum(int(r["paired"] or 0) for r in recent)
    return Figures(
        today=today,
        daily={_as_date(r["local_date"]): int(r["n"]) for r in per_day},
        categories=[(r["category"], int(r["n"])) for r in recent],
        moods=(
            paired,
            _mean(sum(r["before_sum"] or 0 for r in recent), paired),
            _mean(sum(r["after_sum"] or 0 for r in recent), paired),
        ),
    )


def _as_date(value) -> date:
    # SQLite hands back the stored ISO text, PostgreSQL a date.
    return value if isinstance(value, date) else date.fromisoformat(value)


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
