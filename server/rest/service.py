"""Breaks: which days a reader rests, the break now, and the welcome back after one.

Days are the reader's own calendar days (the caller passes "today"). A break covers its
first day through its last; ending it early leaves the day it was ended out, so a reader who
comes back in the morning has that day as an ordinary one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.expressions import Q

from server.identity.memo import forget, once
from server.identity.models import Account
from server.rest.models import Rest

# The lengths offered, in days; None is "until I turn it off".
LENGTHS = (3, 7, 14, 30)
# Today says welcome back on the first two days after a break.
WELCOME_FOR = 2


@dataclass(frozen=True)
class Break:
    starts_on: date
    last_day: date | None  # None: until the reader turns it off
    id: int = 0


def _last_day(rest: Rest) -> date | None:
    last = rest.ends_on
    if rest.ended_on is not None:
        early = rest.ended_on - timedelta(days=1)
        last = early if last is None else min(last, early)
    return last


def _covers(rest: Rest, day: date) -> bool:
    last = _last_day(rest)
    return rest.starts_on <= day and (last is None or day <= last)


async def _rests(account: Account | int | str, since: date, through: date) -> list[Rest]:
    """The breaks that may cover days from ``since`` through ``through``, oldest first. For an
    Account (a request's reader) every break is read once per request (a reader has few)."""
    if isinstance(account, Account):
        every = await once(
            account, "rests", lambda: Rest.filter(account_id=account.id).order_by("id")
        )
        return [r for r in every if _overlaps(r, since, through)]
    return await Rest.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=since),
        Q(ended_on__isnull=True) | Q(ended_on__gt=since),
        account_id=account,
        starts_on__lte=through,
    ).order_by("id")


def _overlaps(rest: Rest, since: date, through: date) -> bool:
    last = _last_day(rest)
    return rest.starts_on <= through and (last is None or last >= since)


async def current(account: Account | None, today: date) -> Break | None:
    """The break the reader is on today, if any."""
    if account is None:
        return None
    for rest in reversed(await _rests(account, today, today)):
        if _covers(rest, today):
            return Break(rest.starts_on, _last_day(rest), rest.id)
    return None


async def resting_days(account: Account | int | str, since: date, through: date) -> set[date]:
    """Every day from ``since`` through ``through`` that a break covers (for momentum)."""
    days: set[date] = set()
    for rest in await _rests(account, since, through):
        last = _last_day(rest)
        day, end = max(rest.starts_on, since), min(through, last or through)
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return days


async def resting_on(account: Account | int | str, day: date) -> bool:
    return bool(await resting_days(account, day, day))


async def start(account: Account, today: date, length: int | None) -> Break:
    """Starts a break today for ``length`` days (None: until turned off). A break already
    running is changed instead, keeping the day it began."""
    ends_on = today + timedelta(days=length - 1) if length else None
    running = await current(account, today)
    forget(account, "rests")
    if running is not None:
        await Rest.filter(id=running.id).update(ends_on=ends_on)
        return Break(running.starts_on, ends_on, running.id)
    await Rest.create(account=account, starts_on=today, ends_on=ends_on)
    return Break(today, ends_on)


async def end(account: Account | None, today: date) -> bool:
    """Ends today's break (today itself is then an ordinary day); False when none was on."""
    running = await current(account, today) if account else None
    if running is None:
        return False
    forget(account, "rests")
    await Rest.filter(id=running.id).update(ended_on=today)
    return True


async def welcome_back(account: Account | None, today: date) -> Break | None:
    """The break that ended in the last WELCOME_FOR days, when none is on now."""
    if account is None:
        return None
    since = today - timedelta(days=WELCOME_FOR)
    rests = await _rests(account, since, today)
    if any(_covers(rest, today) for rest in rests):
        return None
    ended = [
        r
        for r in rests
        if (last := _last_day(r)) is not None and since <= last < today and r.starts_on <= last
    ]
    return Break(ended[-1].starts_on, _last_day(ended[-1])) if ended else None
