"""The reader's week in acts: how many on each day, Monday first (the week Progress uses too).

Read from ``act_days`` (one row per account and local day, kept by triggers on ``acts``), so the
cost stays flat however long the history. The tap reads the same counts inside its own
statement (service.tap_sql); pages read them here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from server import db
from server.identity.models import Account

WEEK_SQL = """
SELECT local_date, count FROM act_days
WHERE account_id = ?::uuid AND local_date >= ?::date AND local_date <= ?::date
"""


@lru_cache(maxsize=64)  # every tap asks, nearly always about this week
def week_of(day: date) -> tuple[date, ...]:
    """The seven days, Monday first, of the week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return tuple(monday + timedelta(days=offset) for offset in range(7))


async def week_counts(account: Account | None, day: date) -> tuple[int, ...]:
    """Acts on each day of the week that holds ``day``: one range read of at most seven rows,
    which also gives ``day``'s own count."""
    days = week_of(day)
    if account is None:
        return (0,) * 7
    rows = await db.fetch(WEEK_SQL, account.id, days[0], days[-1])
    # SQLite hands the date back as text, PostgreSQL as a date.
    counts = {str(row["local_date"])[:10]: int(row["count"]) for row in rows}
    return tuple(counts.get(each.isoformat(), 0) for each in days)
