"""Kindness days: the reader's choice, whether a day is one, and how those days went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.exceptions import IntegrityError

from server import db
from server.days import DAY_NAMES
from server.identity.memo import forget, once
from server.identity.models import Account
from server.kindness.models import KindnessDays

MAX_DAYS = 2
AIMS = (3, 4, 5)
# The helper's high on kindness days against other days is shown once each side has this many
# acts with a mood before and after (fewer would be noise, and read as a verdict).
COMPARE_AFTER = 5
# From the reader's most recent acts, like Progress's kinds and moods: a fixed cost.
RECENT = 500
MOODS_SQL = f"""
SELECT local_date, mood_before, mood_after FROM (
  SELECT local_date, mood_before, mood_after FROM acts
  WHERE account_id = ?::uuid ORDER BY occurred_at DESC LIMIT {RECENT}) AS recent
WHERE mood_before IS NOT NULL AND mood_after IS NOT NULL
"""


@dataclass(frozen=True)
class Plan:
    weekdays: tuple[int, ...]  # 0 = Monday
    aim: int

    def covers(self, day: date) -> bool:
        return day.weekday() in self.weekdays

    @property
    def names(self) -> list[str]:
        return [DAY_NAMES[d] for d in self.weekdays]

    @property
    def words(self) -> str:
        """ "Saturday", "Tuesday and Saturday"."""
        return " and ".join(self.names)


async def get(account: Account | None) -> Plan | None:
    if account is None:
        return None
    row = await _row(account)
    if row is None or not row.days:
        return None
    return Plan(tuple(d for d in range(7) if row.days & (1 << d)), row.aim)


async def mask(account: Account | None) -> int:
    """The kindness days as a weekday mask (bit 0 = Monday), 0 for none."""
    if account is None:
        return 0
    row = await _row(account)
    return row.days if row else 0


async def _row(account: Account) -> KindnessDays | None:
    """The reader's row, read once per request (Today, reminders and Progress all ask)."""
    return await once(account, "kindness", lambda: KindnessDays.get_or_none(account_id=account.id))


async def masks(account_ids: list) -> dict:
    """mask() for many accounts at once (the reminder scheduler's batch)."""
    if not account_ids:
        return {}
    rows = await KindnessDays.filter(account_id__in=account_ids).values_list("account_id", "days")
    return dict(rows)


async def save(account: Account, weekdays: list[int], aim: int) -> None:
    """Chooses the kindness days (none: the reader has none) and the aim."""
    mask = sum(1 << d for d in set(weekdays))
    forget(account, "kindness")
    if not mask:
        await KindnessDays.filter(account_id=account.id).delete()
        return
    # Update first; a first choice creates the row (two at once: the loser updates).
    if await KindnessDays.filter(account_id=account.id).update(days=mask, aim=aim):
        return
    try:
        await KindnessDays.create(account_id=account.id, days=mask, aim=aim)
    except IntegrityError:
        await KindnessDays.filter(account_id=account.id).update(days=mask, aim=aim)


@dataclass(frozen=True)
class Lift:
    """Mean mood lift (after minus before) of acts on kindness days and on other days."""

    kindness: float | None
    other: float | None
    kindness_acts: int
    other_acts: int


async def lift_by_day(account: Account, plan: Plan) -> Lift:
    on, off = [], []
    for row in await db.fetch(MOODS_SQL, account.id):
        day = db.as_date(row["local_date"])
        (on if plan.covers(day) else off).append(int(row["mood_after"]) - int(row["mood_before"]))

    def mean(values: list[int]) -> float | None:
        return round(sum(values) / len(values), 1) if len(values) >= COMPARE_AFTER else None

    return Lift(mean(on), mean(off), len(on), len(off))
