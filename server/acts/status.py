"""What the tap area shows: today's count and, after a tap or an undo, a line of feedback.

Shared by the Today section (a full page) and the tap and undo handlers (an htmx swap), so both
render the same ``acts/_status.html`` from the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from server.acts import service
from server.acts.content import confirmation_for
from server.acts.forms import local_date, valid_timezone


@dataclass(frozen=True)
class Status:
    count: int
    date: str  # the reader's local day the count is for (ISO), so scripts can tell it is stale
    act: service.ActView | None = None
    confirmation: str | None = None
    undo: bool = False
    message: str | None = None
    error: str | None = None

    @property
    def count_text(self) -> str:
        return count_text(self.count)


def count_text(count: int) -> str:
    """The counter's words; web/static/tap.js writes the same ones while offline."""
    if count == 0:
        return "Nothing logged yet today, and that's okay"
    return f"{count} act{'' if count == 1 else 's'} of kindness today"


def today(account, timezone: str | None = None):
    """The day the tap area counts: today in ``timezone`` when valid, else the reader's."""
    if timezone and valid_timezone(timezone):
        return local_date(datetime.now(UTC), timezone)
    return service.today_for(account)


async def build(
    account,
    *,
    timezone: str | None = None,
    act: service.ActView | None = None,
    undo: bool = False,
    message: str | None = None,
    error: str | None = None,
    count: int | None = None,
) -> Status:
    """Counts today in ``timezone`` (the tap's own zone) or else the reader's usual one,
    unless the caller already has the ``count`` for ``today(account, timezone)``."""
    day = today(account, timezone)
    return Status(
        count=await service.count_for_day(account, day) if count is None else count,
        date=day.isoformat(),
        act=act,
        confirmation=confirmation_for(act.id) if act else None,
        undo=undo,
        message=message,
        error=error,
    )
