"""Parsing and validating reminder input: the settings form and push subscriptions."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from server.parsing import (
    UNSTORABLE,
    JSONError,
    clock_time,
    field,
    fields,
    json_document,
    showable,
    storable,
    whole_number,
)
from server.reminders import schedule
from server.reminders.service import SettingsView
from server.reminders.vapid import b64url_decode

PAUSE_DAYS = (1, 3, 7)
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def parse_settings(form) -> tuple[SettingsView, dict[str, str]]:
    """The reader's values (kept as typed, to re-show) and an error message per field."""
    errors: dict[str, str] = {}

    def typed(name: str, size: int) -> str:
        return showable(field(form, name).strip()[:size])

    view = SettingsView(
        enabled=field(form, "enabled") == "on",
        time_of_day=typed("time_of_day", 8),
        timezone=typed("timezone", 64),
        quiet_start=typed("quiet_start", 8),
        quiet_end=typed("quiet_end", 8),
        skip_if_logged=field(form, "skip_if_logged") == "on",
    )
    days = (whole_number(day, low=0, high=6) for day in fields(form, "days"))
    view.days = sorted({day for day in days if day is not None})

    at = clock_time(view.time_of_day)
    if at is None:
        errors["time_of_day"] = "Please choose a time, like 19:00."
    else:
        view.time_of_day = at.strftime("%H:%M")
    if not view.days:
        errors["days"] = "Please choose at least one day."
    if view.timezone not in schedule.known_timezones():
        errors["timezone"] = (
            "We don't know that time zone. Use a name like Europe/London or America/New_York."
        )
    quiet = [view.quiet_start, view.quiet_end]
    parsed = [clock_time(q) if q else None for q in quiet]
    if any(q and p is None for q, p in zip(quiet, parsed, strict=True)):
        errors["quiet"] = "Please give quiet hours as times, like 22:00 and 07:00."
    elif bool(quiet[0]) != bool(quiet[1]):
        errors["quiet"] = "Quiet hours need both a start and an end (or leave both empty)."
    elif parsed[0] and parsed[0] == parsed[1]:
        errors["quiet"] = "Quiet hours need different start and end times."
    elif parsed[0] and at and schedule.in_quiet_hours(at, parsed[0], parsed[1]):
        errors["quiet"] = (
            "Your reminder time falls inside your quiet hours, so it would never arrive. "
            "Choose another time or change the quiet hours."
        )
    else:
        view.quiet_start, view.quiet_end = (p.strftime("%H:%M") if p else "" for p in parsed)
    return view, errors


def parse_pause(form) -> int | None:
    days = whole_number(field(form, "days"), low=1, high=max(PAUSE_DAYS))
    return days if days in PAUSE_DAYS else None


class SubscriptionError(ValueError):
    """Bad subscription input; the message is shown to the caller as {"error": ...}."""


def _decode(value, name: str, size: int) -> str:
    if not isinstance(value, str) or not _B64URL.match(value):
        raise SubscriptionError(f"keys.{name} must be a base64url string.")
    try:
        raw = b64url_decode(value.rstrip("="))
    except ValueError:
        raise SubscriptionError(f"keys.{name} must be a base64url string.") from None
    if len(raw) != size:
        raise SubscriptionError(f"keys.{name} must decode to {size} bytes, not {len(raw)}.")
    return value.rstrip("=")


def parse_json(body: bytes) -> dict:
    try:
        data = json_document(body or b"null")
    except JSONError as exc:
        raise SubscriptionError(str(exc)) from None
    if not isinstance(data, dict):
        raise SubscriptionError("The request body must be a JSON object.")
    return data


def parse_endpoint(data: dict, allow_http: bool) -> str:
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise SubscriptionError("endpoint is missing.")
    if len(endpoint) > 1000:
        raise SubscriptionError("endpoint is longer than 1000 characters.")
    if not storable(endpoint):
        raise SubscriptionError(f"endpoint {UNSTORABLE}.")
    parts = urlsplit(endpoint)
    schemes = {"https", "http"} if allow_http else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise SubscriptionError("endpoint must be an https:// address.")
    return endpoint


def parse_subscription(body: bytes, allow_http: bool) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from PushSubscription.toJSON(), checked the way the push
    service and the encryption will need them."""
    data = parse_json(body)
    endpoint = parse_endpoint(data, allow_http)
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise SubscriptionError("keys is missing: send PushSubscription.toJSON().")
    p256dh = _decode(keys.get("p256dh"), "p256dh", 65)
    if b64url_decode(p256dh)[0] != 0x04:
        raise SubscriptionError("keys.p256dh must be an uncompressed P-256 point.")
    auth = _decode(keys.get("auth"), "auth", 16)
    return endpoint, p256dh, auth


_BROWSERS = [
    ("EdgA/", "Edge"),
    ("Edg/", "Edge"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Macintosh", "Mac"),
    ("Linux", "Linux"),
]


def device_label(user_agent: str) -> str:
    """ "Chrome on Android" from a user agent, so readers can tell their devices apart."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "A browser")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    return f"{browser} on {system}" if system else browser
