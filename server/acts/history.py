"""Plain values for the history and an act's page: days with their counts, the notice after
a redirect, and the addresses that take the reader back where they came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from server.acts.forms import HISTORY, MOODS, tap_anchor, tap_page
from server.acts.service import ActView

# After a redirect, what the query string says happened (``deleted`` has its own notice,
# with Undo while it lasts).
NOTICES = {
    "saved": "Saved your changes.",
    "restored": "It's back, just as it was.",
    "gone": "That act can't come back now: Undo lasts only a few seconds. It is deleted for good.",
    "accepted": "Added for today. Thank you.",
    "released": "Let go. That's fine, too.",
}


def acts_text(count: int) -> str:
    return f"{count} act{'' if count == 1 else 's'}"


def day_label(day: date, today: date) -> str:
    """ "Tuesday 1 December", with the year only when it isn't this one (history.js writes
    the same for a day it adds)."""
    label = f"{day:%A} {day.day} {day:%B}"
    return label if day.year == today.year else f"{label} {day.year}"


@dataclass(frozen=True)
class Day:
    date: date
    label: str
    count: int  # every act of the day, also those on the next page of history
    acts: list[ActView]

    @property
    def count_text(self) -> str:
        return acts_text(self.count)


def by_day(items: list[ActView], counts: dict[date, int], today: date) -> list[Day]:
    """The page's acts (newest first) grouped by the day they were done on."""
    days: list[Day] = []
    for item in items:
        if not days or days[-1].date != item.local_date:
            count = counts.get(item.local_date, 0)
            days.append(Day(item.local_date, day_label(item.local_date, today), count, []))
        days[-1].acts.append(item)
    # A day's count never shows fewer acts than its rows (a tap landing between the queries).
    return [Day(d.date, d.label, max(d.count, len(d.acts)), d.acts) for d in days]


def notice(query) -> str | None:
    return next((text for key, text in NOTICES.items() if query.get(key)), None)


def mood_words(act: ActView) -> str | None:
    """A mood change in words, for screen readers ("Mood: low before, good after")."""
    if not (act.mood_before and act.mood_after):
        return None
    before, after = MOODS[act.mood_before].lower(), MOODS[act.mood_after].lower()
    return f"Mood: {before} before, {after} after"


def page_param(target: str) -> str:
    """``target`` (from ``forms.return_to``) as the value of a ``next`` parameter."""
    return quote(target, safe="/")


def with_params(target: str, anchor: str = "", **params: str) -> str:
    """``target`` with query parameters added and an optional ``#anchor``."""
    query = "&".join(f"{key}={quote(str(value))}" for key, value in params.items())
    joined = f"{target}{'&' if '?' in target else '?'}{query}" if query else target
    return f"{joined}#{anchor}" if anchor else joined


def history_of(target: str | None) -> str:
    """The page of history to land on: ``target`` when it is one, else the first page."""
    return target if target and target.startswith(HISTORY) else HISTORY


def back_to(target: str, act_id: str) -> str:
    """Where "Back" and Save lead: the tap area it came from (Today, an article), or the act's
    row in the history."""
    if tap_page(target):
        return target + tap_anchor(target)
    return f"{target}#act-{act_id}"
