"""Parsing and checking what a reader (or an API client) sends about an act.

Pure functions over plain mappings of strings, so the web form, the offline outbox and the JSON
API share one set of rules and one set of messages. Errors are keyed by field name.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from server import days
from server.acts.content import CATEGORY_LABELS
from server.parsing import showable, text, time_zones, uuid_or_none, whole_number

NOTE_MAX = 500
MOODS = {1: "Very low", 2: "Low", 3: "Okay", 4: "Good", 5: "Very good"}
# A tap from the offline outbox keeps the time it was made, within these bounds.
FUTURE_LIMIT = timedelta(minutes=5)
PAST_LIMIT = timedelta(days=30)


class ActInputError(Exception):
    """The input cannot be used. ``errors`` maps a field name to a message for the reader."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ActDetails:
    """The optional details a reader may add to an act after the tap."""

    category: str | None = None
    note: str | None = None
    mood_before: int | None = None
    mood_after: int | None = None


@dataclass(frozen=True)
class ActInput:
    """A checked tap. ``held_reason`` is set when its time is out of bounds: the act is then
    kept aside for the reader to review instead of being counted."""

    id: uuid.UUID
    occurred_at: datetime  # aware, UTC
    timezone: str
    local_date: date
    details: ActDetails
    held_reason: str | None = None
    private: bool = False  # only an import sets it (an exported act's mark)


def valid_timezone(name: str) -> bool:
    return name in time_zones()


def local_date(moment: datetime, timezone: str, day_end: int = 0) -> date:
    """The reader's day of ``moment`` (their day may end after midnight: server/days.py)."""
    return days.local_day(moment, timezone, day_end)


def parse_details(data: Mapping[str, str]) -> ActDetails:
    """Category, note and moods; every one may be left empty."""
    errors: dict[str, str] = {}
    category = (data.get("category") or "").strip() or None
    if category is not None and category not in CATEGORY_LABELS:
        errors["category"] = "Please choose one of the listed kinds of kindness."
    note = text(data.get("note"), max_length=NOTE_MAX, label="the note")
    if note.problem:
        errors["note"] = note.problem
    moods = {}
    for field, when in (("mood_before", "before"), ("mood_after", "after")):
        raw = (data.get(field) or "").strip()
        moods[field] = whole_number(raw, low=min(MOODS), high=max(MOODS)) if raw else None
        if raw and moods[field] is None:
            errors[field] = f"Choose how you felt {when} on the scale from 1 to 5."
    if errors:
        raise ActInputError(errors)
    return ActDetails(category=category, note=note.value or None, **moods)


TODAY = "/"
HISTORY = "/acts"


ARTICLE_PREFIX = "/articles/"


def tap_page(raw: str | None) -> str | None:
    """``raw`` when it names a page with a tap area, Today or an article's page, else None."""
    if raw == TODAY:
        return TODAY
    if not raw or not raw.startswith(ARTICLE_PREFIX):
        return None
    slug = raw.removeprefix(ARTICLE_PREFIX)
    plain = all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    return raw if slug and len(slug) <= 100 and plain else None


def tap_anchor(page: str) -> str:
    """The part of a tap page that holds the tap area."""
    return "#log" if page == TODAY else "#try-today"


def return_to(raw: str | None) -> str | None:
    """Where an act's page may send the reader back to, from its ``next`` parameter: a page
    with a tap area (Today, an article: ``tap_page``) or a page of the history (``/acts``,
    ``/acts?page=N``), else None.

    An allow-list, and the answer is rebuilt from what was understood rather than echoed, so
    a crafted link (``//elsewhere.example``, ``/acts/../account``, a scheme) leads nowhere."""
    raw = (raw or "").strip()
    if page := tap_page(raw):
        return page
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or parts.path != HISTORY:
        return None
    pages = parse_qs(parts.query).get("page", [])
    if not pages:
        return HISTORY
    page = pages[0]
    if len(pages) > 1 or not (page.isascii() and page.isdigit()) or not 0 < int(page) < 100_000:
        return None
    return HISTORY if int(page) == 1 else f"{HISTORY}?page={int(page)}"


def _parse_time(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ActInputError(
            {"occurred_at": "The time of the act was not understood (expected ISO 8601)."}
        ) from None
    if moment.tzinfo is None:
        raise ActInputError(
            {"occurred_at": "The time of the act needs a UTC offset, like 2026-01-31T18:00Z."}
        )
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        moment = None
    # Year 1 or 9999 overflows when shifted to a local date: no real act is that far off.
    if moment is None or not 1900 <= moment.year <= 9000:
        raise ActInputError({"occurred_at": "The time of the act is out of range."})
    return moment


# "day": a tap for now (empty or "today") or for the reader's yesterday ("I did one yesterday").
DAYS = ("", "today", "yesterday")


def parse_act(
    data: Mapping[str, str], *, now: datetime, default_timezone: str, day_end: int = 0
) -> ActInput:
    """Checks a tap. ``id`` is the client's idempotency key (a new one is made when absent),
    ``timezone`` an IANA name and ``occurred_at`` an ISO 8601 time (both default to the
    reader's usual time zone and ``now``; ``day=yesterday`` without a time dates it to the last
    minute of the reader's yesterday). Raises ActInputError with every problem found."""
    errors: dict[str, str] = {}
    raw_id = (data.get("id") or "").strip()
    act_id = uuid_or_none(raw_id) if raw_id else uuid.uuid4()
    if act_id is None:
        errors["id"] = "This tap's id is not a valid UUID; please reload the page and tap again."
    timezone = (data.get("timezone") or "").strip() or default_timezone
    if not valid_timezone(timezone):
        errors["timezone"] = f"'{showable(timezone[:64])}' is not a time zone we know."
    occurred_at = now.astimezone(UTC)
    if raw_time := (data.get("occurred_at") or "").strip():
        try:
            occurred_at = _parse_time(raw_time)
        except ActInputError as exc:
            errors.update(exc.errors)
    day = (data.get("day") or "").strip()
    if day not in DAYS:
        errors["day"] = "A tap is for today or yesterday."
    elif day == "yesterday" and not errors:
        # The day before the one the tap was made on (offline, that may be a while ago).
        yesterday = local_date(occurred_at, timezone, day_end) - timedelta(days=1)
        occurred_at = days.last_moment_of(yesterday, timezone, day_end)
    try:
        details = parse_details(data)
    except ActInputError as exc:
        errors.update(exc.errors)
    if errors:
        raise ActInputError(errors)

    held_reason = None
    if occurred_at > now + FUTURE_LIMIT:
        held_reason = "Its time was in the future, so your device's clock may be off."
    elif occurred_at < now - PAST_LIMIT:
        held_reason = "It was more than 30 days old when it reached us."
    return ActInput(
        id=act_id,
        occurred_at=occurred_at,
        timezone=timezone,
        local_date=local_date(occurred_at, timezone, day_end),
        details=details,
        held_reason=held_reason,
    )
