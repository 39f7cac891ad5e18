"""Robin's history: about five weeks of acts as a Lifted JSON export (the shape GET
/account/export.json answers, which POST /account/import reads back).

Drawn from a fixed seed and placed relative to today, so every run shows the same pattern of
days, kinds, notes and moods, and pictures from two runs can be compared side by side.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import yaml

from server.settings import ROOT

SEED = 20250611
TIMEZONE = "Europe/London"
DAYS = 35
# The kinds of kindness the app offers; an act's kind must be one of these ids.
KINDS = [kind["id"] for kind in yaml.safe_load((ROOT / "content/categories.yaml").read_text())]
# Notes as a reader writes them, each with the kind it most likely was.
NOTES = [
    ("listening", "Called my sister just to listen"),
    ("giving", "Left a thank-you note for the night nurse"),
    ("stranger", "Held the door and the lift for a man with a pram"),
    ("helping", "Carried Mrs Patel's shopping up the stairs"),
    ("family", "Made Dad his favourite soup and stayed for tea"),
    ("encouragement", "Told Sam his presentation went really well"),
    ("volunteering", "Two hours sorting tins at the food bank"),
    ("amends", "Apologised to Jo for snapping last week"),
    ("listening", "Sat with Alex after group, mostly just listened"),
    ("stranger", "Paid for the coffee of the person behind me"),
    ("giving", "Gave my old coat to the shelter drive"),
    ("helping", "Showed a new starter how the rota works"),
    ("family", "Read two bedtime stories instead of one"),
    ("encouragement", "Texted Mia good luck before her interview"),
    ("stranger", "Helped someone find the right bus"),
    ("volunteering", "Walked dogs at the rescue centre"),
    ("listening", "Let my neighbour tell me about his garden, properly"),
    ("helping", "Fixed the wobbly table at the meeting hall"),
    ("amends", "Paid back the tenner I owed Chris"),
    ("giving", "Dropped flowers at the care home reception"),
]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _moods(rng: random.Random) -> tuple[int | None, int | None]:
    """Half the acts carry moods; after is usually a little higher than before."""
    if rng.random() < 0.5:
        return None, None
    before = rng.choice([1, 2, 2, 3, 3, 3, 4])
    return before, min(5, before + rng.choice([0, 1, 1, 1, 2]))


def robins_acts(today: date) -> list[dict]:
    """Acts on most days of the five weeks before ``today`` (none today: the screenshots tap
    for that), one to four a day, with a few quiet gaps of two to four days."""
    rng = random.Random(SEED)
    notes = rng.sample(NOTES, len(NOTES))
    zone = ZoneInfo(TIMEZONE)
    acts, quiet = [], 0
    for offset in range(DAYS, 0, -1):
        if quiet:
            quiet -= 1
            continue
        if rng.random() < 0.07:
            quiet = rng.randint(1, 3)  # this day and up to three more
            continue
        if rng.random() < 0.25:
            continue
        day = today - timedelta(days=offset)
        count = rng.choices([1, 2, 3, 4], weights=[6, 4, 2, 1])[0]
        for minute in sorted(rng.sample(range(7 * 60, 22 * 60, 5), count)):
            kind = rng.choice(KINDS) if rng.random() < 0.75 else None
            note = None
            if notes and rng.random() < 0.4:
                kind, note = notes.pop()
            before, after = _moods(rng)
            local = datetime.combine(day, time(minute // 60, minute % 60), zone)
            acts.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "occurred_at": _iso(local),
                    "timezone": TIMEZONE,
                    "local_date": day.isoformat(),
                    "category": kind,
                    "note": note,
                    "mood_before": before,
                    "mood_after": after,
                }
            )
    return acts


def export(acts: list[dict]) -> dict:
    """The acts as a file from Your account → Export, newest first like the real one."""
    return {
        "acts": sorted(acts, key=lambda act: act["occurred_at"], reverse=True),
        "exported_at": _iso(datetime.now(UTC)),
        "account": None,
    }
