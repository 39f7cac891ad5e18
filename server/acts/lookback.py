"""Look-back: once a week, Today brings back one of the reader's own past acts, its note and
how it lifted them. Recalling past kindness lifts well-being almost as much as doing it (Ko et
al. 2021).

The act is at least a week old, has a note, and is not private; a deleted act is not in
``acts`` at all. Each week (from Monday) has its own: a point in the reader's history picked
from the account and the week, and the noted act nearest before it. Two indexed lookups, so the
cost does not grow with the history (at most SCAN acts each side of the point).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from server import db
from server.acts.content import kind_label
from server.days import day_words
from server.identity.models import Account
from server.progress.service import today_for
from server.progress.summary import week_number

AT_LEAST = timedelta(days=7)
FIRST_SQL = "SELECT MIN(local_date) AS first FROM acts WHERE account_id = ?::uuid"
# Looks at most SCAN acts on each side of the week's point (through the (account, day)
# index), so a long history without notes costs no more than a short one.
SCAN = 200
PICK_SQL = f"""
SELECT id, local_date, category, note, mood_before, mood_after FROM (
  SELECT id, local_date, occurred_at, category, note, mood_before, mood_after, private
  FROM acts WHERE account_id = ?::uuid AND local_date <= ?::date AND local_date >= ?::date
  ORDER BY local_date {{order}} LIMIT {SCAN}) AS near
WHERE note IS NOT NULL AND note <> '' AND NOT private
ORDER BY local_date {{order}}, occurred_at {{order}} LIMIT 1
"""
COUNTS = {2: "Two", 3: "Three", 4: "Four"}


@dataclass(frozen=True)
class LookBack:
    act_id: str
    day: date
    ago: str  # "Three weeks ago"
    kind: str
    note: str
    lift: int | None  # mood after minus before, when both were noted


def ago(today: date, day: date) -> str:
    days = (today - day).days
    if days < 14:
        return "A week ago"
    if days < 30:
        return f"{COUNTS.get(days // 7, days // 7)} weeks ago"
    if days < 60:
        return "A month ago"
    if days < 365:
        return f"{days // 30} months ago"
    return "A year ago" if days < 730 else f"{days // 365} years ago"


async def this_week(account: Account | None) -> LookBack | None:
    if account is None:
        return None
    today = today_for(account.timezone, account.day_ends_at)
    latest = today - AT_LEAST
    (row,) = await db.fetch(FIRST_SQL, account.id)
    if row["first"] is None or (first := db.as_date(row["first"])) > latest:
        return None
    seed = hashlib.sha256(f"{account.id}:{week_number(today)}".encode()).digest()
    point = first + timedelta(days=int.from_bytes(seed[:4], "big") % ((latest - first).days + 1))
    # The noted act nearest before the point; else the nearest after it.
    found = await db.fetch(PICK_SQL.format(order="DESC"), account.id, point, first)
    found = found or await db.fetch(PICK_SQL.format(order="ASC"), account.id, latest, point)
    if not found:
        return None
    act = found[0]
    day = db.as_date(act["local_date"])
    both = act["mood_before"] is not None and act["mood_after"] is not None
    return LookBack(
        act_id=str(act["id"]),
        day=day,
        ago=ago(today, day),
        kind=kind_label(act["category"]),
        note=act["note"],
        lift=int(act["mood_after"]) - int(act["mood_before"]) if both else None,
    )


async def home_section(request):
    """Today's look-back card, once there is a week-old act with a note to bring back."""
    found = await this_week(request.state.get("account"))
    if found is None:
        return None
    return "acts/_lookback.html", {
        "look": found,
        "day": day_words(found.day),
    }
