"""Variety keeps kindness from going stale (hedonic adaptation): the day's idea is a kind of
act the reader hasn't logged in the last two weeks, with the reason in plain words.

Only for readers who name kinds at all (an act with a kind among their 500 latest): for everyone
else, "you haven't tried" would be about a choice they never make. The choice is steady for
the day (the same card on every visit), and "Another idea" steps through the whole deck as
before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server import db
from server.acts.content import IDEAS, Idea
from server.identity.models import Account
from server.progress.service import today_for

LATELY = timedelta(days=14)
# "You haven't tried ___ lately", per kind (content/categories.yaml ids).
TRIED = {
    "helping": "helping someone",
    "listening": "listening",
    "giving": "giving",
    "volunteering": "volunteering",
    "encouragement": "encouraging someone",
    "amends": "making amends",
    "family": "something for family",
    "stranger": "a kindness for a stranger",
}
# Both bounded, whatever the history's size: whether the reader names kinds at all is read
# from their most recent acts (like Progress's kinds), what they named lately from the days
# since LATELY through the (account, day) index.
RECENT = 500
NAMES_KINDS_SQL = f"""
SELECT 1 AS named FROM (SELECT category FROM acts WHERE account_id = ?::uuid
                        ORDER BY occurred_at DESC LIMIT {RECENT}) AS recent
WHERE category IS NOT NULL LIMIT 1
"""
LATELY_SQL = """
SELECT DISTINCT category FROM acts
WHERE account_id = ?::uuid AND local_date >= ?::date AND category IS NOT NULL
"""


@dataclass(frozen=True)
class Suggestion:
    index: int  # in IDEAS
    reason: str


async def suggestion(account: Account | None) -> Suggestion | None:
    """Today's idea from a kind not logged lately, or None (nothing to vary yet)."""
    if account is None:
        return None
    today = today_for(account.timezone, account.day_ends_at)
    if not await db.fetch(NAMES_KINDS_SQL, account.id):
        return None
    recent = {row["category"] for row in await db.fetch(LATELY_SQL, account.id, today - LATELY)}
    fresh: list[Idea] = [idea for idea in IDEAS if idea.category not in recent]
    if not fresh:
        return None
    idea = fresh[today.toordinal() % len(fresh)]
    reason = f"You haven't tried {TRIED.get(idea.category, 'this kind of kindness')} lately."
    return Suggestion(IDEAS.index(idea), reason)
