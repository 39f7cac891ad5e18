"""Quiet celebrations from content/milestones.yaml.

Pure functions over totals the service has already counted: which milestones are reached,
on which day (when the past year's per-day counts can tell), and the next one to look forward
to. Nothing here queries the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import yaml

from server.settings import ROOT

CONTENT = ROOT / "content"
UNITS = {"acts": ("act", "acts"), "days": ("day", "days"), "weeks": ("week", "weeks")}


@dataclass(frozen=True)
class Milestone:
    id: str
    kind: str  # acts, days or weeks (days and weeks need not be consecutive)
    threshold: int
    title: str
    text: str

    @property
    def goal(self) -> str:
        """ "10 acts", "7 days with kindness", "4 weeks with kindness"."""
        one, many = UNITS[self.kind]
        unit = one if self.threshold == 1 else many
        return f"{self.threshold} {unit}" + ("" if self.kind == "acts" else " with kindness")


@cache
def milestones() -> tuple[Milestone, ...]:
    raw = yaml.safe_load((CONTENT / "milestones.yaml").read_text(encoding="utf-8"))
    return tuple(
        Milestone(m["id"], m["kind"], int(m["threshold"]), m["title"], m["text"]) for m in raw
    )


def nth_reached(threshold: int, earlier: int, steps: Sequence[tuple[date, int]]) -> date | None:
    """The day a running total first reaches ``threshold``.

    ``earlier`` is the total before the first step; ``steps`` are (day, amount) oldest first.
    None when the total was reached before the steps begin (older than we look) or never.
    """
    if threshold <= earlier:
        return None
    total = earlier
    for day, amount in steps:
        total += amount
        if total >= threshold:
            return day
    return None


def evaluate(totals: dict[str, int], reached_on: dict[str, date | None]) -> dict:
    """Reached milestones (in content order, with their day when known) and the next one.

    ``totals`` maps kind to the reader's count; ``reached_on`` maps a milestone id to its day.
    """
    reached, upcoming = [], None
    for m in milestones():
        current = totals.get(m.kind, 0)
        if current >= m.threshold:
            day = reached_on.get(m.id)
            reached.append(
                {
                    "id": m.id,
                    "title": m.title,
                    "text": m.text,
                    "reached_on": day.isoformat() if day else None,
                }
            )
        elif upcoming is None:
            upcoming = {
                "id": m.id,
                "title": m.title,
                "goal": m.goal,
                "current": current,
                "remaining": m.threshold - current,
            }
    return {"reached": reached, "next": upcoming}
