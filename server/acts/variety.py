"""Variety keeps kindness from going stale (hedonic adaptation): the day's idea is a kind of
act the reader hasn't logged in the last two weeks, with the reason in plain words.

Only for readers who name kinds at all (an act with a kind in their history): for everyone
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
KINDS_SQL = """
SELECT DISTINCT category, local_date >= ?::date AS lately FROM acts
WHERE account_id = ?::uuid AND category IS NOT NULL
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
    rows = await db.fetch(KINDS_SQL, today - LATELY, account.id)
    if not rows:
        return None
    recent = {row["category"] for row in rows if row["lately"] in (True, 1)}
    fresh: list[Idea] = [idea for idea in IDEAS if idea.category not in recent]
    if not fresh:
        return None
    idea = fresh[today.toordinal() % len(fresh)]
    reason = f"You haven't tried {TRIED.get(idea.category, 'this kind of kindness')} lately."
    return Suggestion(IDEAS.index(idea), reason)
