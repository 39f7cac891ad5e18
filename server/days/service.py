"""The one write about days: when the reader's day ends."""

from __future__ import annotations

from server.days import DAY_ENDS
from server.identity.cache import forget_account
from server.identity.models import Account


async def set_day_end(account: Account, hour: int) -> None:
    if hour not in DAY_ENDS:
        raise ValueError(f"a day ends at one of {list(DAY_ENDS)}")
    await Account.filter(id=account.id).update(day_ends_at=hour)
    forget_account(account)
    account.day_ends_at = hour
