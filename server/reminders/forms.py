"""Parsing and validating reminder input: the settings form and push subscriptions."""

from __future__ import annotations

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
from server.reminders import endpoint, keys, schedule, zones
from server.reminders.plans import SettingsView, TimeView

PAUSE_DAYS = (1, 3, 7)


def parse_settings(form) -> tuple[SettingsView, dict[str, str]]:
    """The reader's values (kept as typed, to re-show) and an error message per field."""
    errors: dict[str, str] = {}

    def typed(name: str, size: int) -> str:
        return showable(field(form, name).strip()[:size])

    view = SettingsView(
        enabled=field(form, "enabled") == "on",
        time_of_day=typed("time_of_day", 8),
        timezone=zones.parse(field(form, "timezone")) or typed("timezone", 64),
        quiet_start=typed("quiet_start", 8),
        quiet_end=typed("quiet_end", 8),
        skip_if_logged=field(form, "skip_if_logged") == "on",
        discreet=field(form, "discreet") == "on",
        kindness_only=field(form, "kindness_only") == "on",
    )
    view.days = _days(form, "days")

    at = clock_time(view.time_of_day)
    view.time_of_day = _shown(at)
    if at is None:
        errors["time_of_day"] = "Please choose a time, like 19:00."
    if not view.days:
        errors["days"] = "Please choose at least one day."
    times = [at] + _more_times(form, view, errors)
    if zones.parse(view.timezone) is None:
        errors["timezone"] = (
            "We don't know that time zone. Please choose yours from the list, like London "
            "(in Europe) or New York (in the Americas)."
        )
    quiet = [view.quiet_start, view.quiet_end]
    parsed = [clock_time(q) if q else None for q in quiet]
    if any(q and p is None for q, p in zip(quiet, parsed, strict=True)):
        errors["quiet"] = "Please give quiet hours as times, like 22:00 and 07:00."
    elif bool(quiet[0]) != bool(quiet[1]):
        errors["quiet"] = "Quiet hours need both a start and an end (or leave both empty)."
    elif parsed[0] and parsed[0] == parsed[1]:
        errors["quiet"] = "Quiet hours need different start and end times."
    elif parsed[0] and any(t and schedule.in_quiet_hours(t, *parsed) for t in times):
        errors["quiet"] = (
            "A reminder time falls inside your quiet hours, so it would never arrive. "
            "Choose another time or change the quiet hours."
        )
    view.quiet_start, view.quiet_end = (_shown(p) for p in parsed)
    return view, errors


def _days(form, name: str) -> list[int]:
    days = (whole_number(day, low=0, high=6) for day in fields(form, name))
    return sorted({day for day in days if day is not None})


def _more_times(form, view: SettingsView, errors: dict[str, str]) -> list:
    """A second and third time (``time_of_day_2``, ``days_2``, ``skip_if_logged_2``, ...). An
    empty time is no time; ticking ``remove_N`` saves the form without time N."""
    taken = {view.time_of_day}
    parsed = []
    for n in range(2, schedule.MAX_TIMES + 1):
        typed = showable(field(form, f"time_of_day_{n}").strip()[:8])
        if not typed or field(form, f"remove_{n}") == "on":
            continue
        at = clock_time(typed)
        place = len(view.more_times) + 2  # where the form shows it again (after removals)
        extra = TimeView(
            _shown(at), _days(form, f"days_{n}"), field(form, f"skip_if_logged_{n}") == "on"
        )
        view.more_times.append(extra)
        parsed.append(at)
        if at is None:
            errors[f"time_of_day_{place}"] = "Please choose a time, like 12:30, or clear this one."
        elif extra.time_of_day in taken:
            errors[f"time_of_day_{place}"] = f"You already have a reminder at {extra.time_of_day}."
        elif not extra.days:
            errors[f"days_{place}"] = "Please choose at least one day for this time."
        taken.add(extra.time_of_day)
    return parsed


def _shown(value) -> str:
    """A time field's value as the form shows it again: ``HH:MM``, or empty for what isn't a
    time. An <input type=time> can only hold a time (the browser would show "7pm" as empty
    anyway, and the page would not be valid HTML); the error beside it says what to fix."""
    return value.strftime("%H:%M") if value else ""


def parse_pause(form) -> int | None:
    days = whole_number(field(form, "days"), low=1, high=max(PAUSE_DAYS))
    return days if days in PAUSE_DAYS else None


class SubscriptionError(ValueError):
    """Bad subscription input; the message is shown to the caller as {"error": ...}."""


def parse_json(body: bytes) -> dict:
    try:
        data = json_document(body or b"null")
    except JSONError as exc:
        raise SubscriptionError(str(exc)) from None
    if not isinstance(data, dict):
        raise SubscriptionError("The request body must be a JSON object.")
    return data


def parse_endpoint(data: dict, allow_local: bool) -> str:
    """The endpoint, if its form is one Lifted sends to (endpoint.check_url; no DNS)."""
    url = data.get("endpoint")
    if not isinstance(url, str) or not url:
        raise SubscriptionError("endpoint is missing.")
    if len(url) > 1000:
        raise SubscriptionError("endpoint is longer than 1000 characters.")
    if not storable(url):
        raise SubscriptionError(f"endpoint {UNSTORABLE}.")
    try:
        endpoint.check_url(url, allow_local)
    except endpoint.Refused as exc:
        raise SubscriptionError(str(exc)) from None
    return url


def replaced_endpoint(body: bytes) -> str:
    """The browser's earlier endpoint sent beside a renewed subscription (``"replaces"``), or
    "" when none; it only ever removes a row of the same account, so its form is enough."""
    value = parse_json(body).get("replaces")
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or len(value) > 1000 or not storable(value):
        raise SubscriptionError("replaces must be the earlier endpoint, as text.")
    return value


async def parse_subscription(body: bytes, allow_local: bool) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from PushSubscription.toJSON(), checked the way sending will
    need them: the endpoint's form and every address its host resolves to now, and keys that
    encrypt."""
    data = parse_json(body)
    url = parse_endpoint(data, allow_local)
    received = data.get("keys")
    if not isinstance(received, dict):
        raise SubscriptionError("keys is missing: send PushSubscription.toJSON().")
    try:
        p256dh, auth = keys.check(received.get("p256dh"), received.get("auth"))
        await endpoint.vet(url, allow_local)
    except (keys.BadKeys, endpoint.Refused) as exc:
        raise SubscriptionError(str(exc)) from None
    return url, p256dh, auth


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
