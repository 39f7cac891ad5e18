"""Today's greeting and date, in the reader's time zone ("Good evening", "Tuesday 1 December").

The server can only guess the zone of a reader it has not seen tap (UTC then), and a copy of
Today served offline may be a day old, so web/static/tap.js writes the same words again from
the device's clock on load: keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from server import days


@dataclass(frozen=True)
class Greeting:
    words: str
    date_text: str
    iso: str


def words_for(hour: int) -> str:
    """Morning from 5 to noon, afternoon until 6 pm, evening through the night."""
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def greeting(account, now: datetime | None = None) -> Greeting:
    try:
        zone = ZoneInfo(account.timezone) if account else UTC
    except (KeyError, ValueError):
        zone = UTC
    now = now or datetime.now(UTC)
    local = now.astimezone(zone)
    # The reader's day, which may end after midnight (server/days.py).
    day = days.local_day(now, str(zone), account.day_ends_at if account else 0)
    return Greeting(words_for(local.hour), days.day_words(day), day.isoformat())
