"""What the tap area shows: today's count, a glimpse of the week and, after a tap or an undo,
a line of feedback.

Shared by the Today section (a full page), the article's "Try this today" box and the tap and
undo handlers (an htmx swap), so all render the same ``acts/_status.html`` from the same values.
web/static/tap.js writes the same words while taps wait offline: keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property

from server.acts import service
from server.acts.content import confirmation_for
from server.acts.forms import TODAY, local_date, tap_anchor, tap_page, valid_timezone
from server.acts.week import week_counts, week_of

# Where a tap or an undo may send a browser without JavaScript back to: Today, or the article
# whose "Log it on Today" was pressed (checked, so a form can't redirect anywhere else).
HOME = TODAY
back_to = tap_page  # Today or an article's page, else None
anchor = tap_anchor


@dataclass(frozen=True)
class WeekDay:
    """One dot of the week's glimpse."""

    day: date
    count: int
    today: bool
    future: bool

    @property
    def letter(self) -> str:
        return f"{self.day:%a}"[0]

    @property
    def label(self) -> str:
        """What a screen reader hears for the dot (tap.js's dayLabel says the same)."""
        name = f"{self.day:%A}{', today' if self.today else ''}"
        if self.count:
            return f"{name}: {self.count} act{'' if self.count == 1 else 's'}"
        return f"{name}: {'still ahead' if self.future else 'none logged'}"


@dataclass(frozen=True)
class Status:
    count: int
    date: str  # the reader's local day the count is for (ISO), so scripts can tell it is stale
    counts: tuple[int, ...] = ()  # the week's, Monday first; none when the answer has no week
    act: service.ActView | None = None
    confirmation: str | None = None
    undo: bool = False
    message: str | None = None
    error: str | None = None
    page: str = HOME  # the page the tap area is on, where Undo without JavaScript returns

    @property
    def count_text(self) -> str:
        return count_text(self.count)

    @cached_property
    def week(self) -> tuple[WeekDay, ...]:
        """The glimpse's seven days (Today draws them; a tap's answer needs only the counts)."""
        return week(date.fromisoformat(self.date), self.counts) if self.counts else ()

    @property
    def week_counts(self) -> str:
        """The week's counts, Monday first ("2,0,1,0,0,0,0"): what tap.js needs of the week
        after a tap, in a few bytes rather than the whole glimpse."""
        return ",".join(map(str, self.counts))

    @property
    def week_has_acts(self) -> bool:
        """An empty week stays out of sight: seven hollow dots would read like a score."""
        return any(self.counts)


def count_text(count: int) -> str:
    """The counter's words; web/static/tap.js writes the same ones while offline."""
    if count == 0:
        return "Nothing logged yet today, and that's okay"
    return f"{count} act{'' if count == 1 else 's'} of kindness today"


def today(account, timezone: str | None = None):
    """The day the tap area counts: today in ``timezone`` when valid, else the reader's."""
    if timezone and valid_timezone(timezone):
        return local_date(datetime.now(UTC), timezone, account.day_ends_at if account else 0)
    return service.today_for(account)


def week(day: date, counts: tuple[int, ...]) -> tuple[WeekDay, ...]:
    return tuple(
        WeekDay(each, count, each == day, each > day)
        for each, count in zip(week_of(day), counts, strict=True)
    )


async def build(
    account,
    *,
    timezone: str | None = None,
    act: service.ActView | None = None,
    undo: bool = False,
    message: str | None = None,
    error: str | None = None,
    counts: tuple[int, ...] | None = None,
    count: int | None = None,
    page: str = HOME,
    day: date | None = None,
) -> Status:
    """Counts today and its week in ``timezone`` (the tap's own zone) or else the reader's
    usual one, unless the caller already has the week's ``counts`` (Monday first) for
    ``today(account, timezone)``, or just the day's ``count``: the tap reads them in its own
    statement (then, with no week, the answer carries none). A caller that has worked out
    that day already passes it as ``day``."""
    day = day or today(account, timezone)
    if counts is None and count is None:
        counts = await week_counts(account, day)
    return Status(
        count=counts[day.weekday()] if counts else count,
        date=day.isoformat(),
        counts=tuple(counts) if counts else (),
        act=act,
        confirmation=confirmation_for(act.id) if act else None,
        undo=undo,
        message=message,
        error=error,
        page=page,
    )
