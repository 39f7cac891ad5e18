"""Plain values for the reminder settings page: labels in the reader's time zone, notices."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from litestar import Request
from markupsafe import Markup

from server.kindness import service as kindness
from server.parsing import whole_number
from server.reminders import forms, push, schedule, service, zones
from server.rest import service as rest
from server.web import clock


def when(instant: datetime | None, timezone: str) -> Markup | str:
    """ "Thursday 26 November at 19:00" in the reader's zone (the time as a clock)."""
    if instant is None:
        return ""
    zone = ZoneInfo(timezone if timezone in schedule.known_timezones() else "UTC")
    local = instant.astimezone(zone)
    return Markup("{} {} {} at {}").format(
        f"{local:%A}", local.day, f"{local:%B}", clock(f"{local:%H:%M}")
    )


# After a redirect, what the query string says happened: (key, the value that shows the
# notice, or None for any value, the notice), in the order the page shows them.
NOTICES = (
    ("saved", None, "Saved."),
    ("device", "on", "Notifications are on for this device."),
    ("device", "off", "Notifications are off for this device."),
    ("removed", None, "That device won't get reminders any more."),
    ("calendar", "new", "Here is your calendar link. Any earlier link no longer works."),
    ("calendar", "off", "The calendar link is turned off. Calendars using it will stop updating."),
)


def _notices(query) -> list[str]:
    notices = [
        text
        for key, value, text in NOTICES
        if (query.get(key) == value if value else query.get(key))
    ]
    test = query.get("test") or ""
    delivered, _, total = (whole_number(n, low=0, high=1000) for n in test.partition("-"))
    if delivered is not None and total is not None:
        if total == 0:
            notices.append(
                "There are no devices with notifications turned on yet. Turn them on below, "
                "then try again."
            )
        else:
            notices.append(
                f"A test reminder went to {delivered} of {total} device{'s' if total != 1 else ''}."
            )
    return notices


def reach(live_devices: int, calendar: bool) -> str:
    """Where a reminder arrives, in words: "on 2 devices, in your calendar and on Today"."""
    places = [f"on {live_devices} device{'s' if live_devices != 1 else ''}"] if live_devices else []
    places += ["in your calendar"] if calendar else []
    places.append("on Today")
    return ", ".join(places[:-1]) + " and " + places[-1] if len(places) > 1 else places[0]


def _problem(stored: str | None) -> str:
    """A device's last problem as a reader may see it. Rows kept from older versions may hold
    other text (an exception's name, a status code): those show as the general sentence."""
    if not stored:
        return ""
    return stored if stored in push.PROBLEMS else push.TROUBLE


async def settings_context(request: Request, account, view, errors: dict) -> dict:
    saved = await service.get_settings(account)
    if view is None:
        view = saved
    now = schedule.utcnow()
    paused = saved.paused_until if saved.paused_until and saved.paused_until > now else None
    devices = [
        {
            "id": d.id,
            "label": d.label or "A browser",
            "added": when(d.created_at, saved.timezone),
            "last_delivered": when(d.last_delivered_at, saved.timezone),
            "last_error": _problem(d.last_error),
            "gone": when(d.gone_at, saved.timezone),
        }
        for d in await service.devices(account)
    ]
    live = sum(1 for device in devices if not device["gone"])
    resting = await rest.current(
        account, schedule.local_date_of(now, saved.timezone, saved.day_end)
    )
    base_url = request.app.state.settings.base_url
    return {
        "view": view,
        "errors": errors,
        "notices": [] if errors else _notices(request.query_params),
        "day_names": list(enumerate(schedule.DAY_NAMES)),
        "max_times": schedule.MAX_TIMES,
        "ordinals": {2: "Second", 3: "Third"},
        "pause_days": forms.PAUSE_DAYS,
        "paused_until": when(paused, saved.timezone),
        "resting": resting,
        "kindness_words": plan.words if (plan := await kindness.get(account)) else "",
        "next_reminder": when(saved.next_due_at, saved.timezone) if saved.enabled else "",
        "devices": devices,
        # What a reminder reaches, so the page never promises one that can't arrive.
        "live_devices": live,
        "reach": reach(live, bool(saved.calendar_token)),
        "autofill_timezone": not saved.saved,
        "zone_groups": zones.choices(view.timezone),
        "calendar_url": (
            f"{base_url}/reminders/calendar/{saved.calendar_token}.ics"
            if saved.calendar_token
            else ""
        ),
        "vapid_key": getattr(request.app.state, "vapid_public_key", ""),
    }


# What "Snooze 1 hour" did, as a notification says it (title, body): the service worker
# can't show a time in the reader's own 12/24-hour habit, so it says "in an hour".
SNOOZE_WORDS = {
    "snoozed": ("Snoozed for an hour", "Lifted will nudge you again in an hour."),
    "quiet": (
        "Quiet hours are near",
        "An hour from now is in your quiet hours, so Lifted stays quiet until your next reminder.",
    ),
    "off": (
        "Reminders are off or paused",
        "Nothing more is sent for now. You can change that in Settings, Reminders.",
    ),
    "signed-out": ("Couldn't snooze", "Open Lifted to check your reminders."),
}


def snooze_said(outcome: str, until: datetime | None, timezone: str) -> dict:
    """The snooze page's sentence, with the time (as a clock) when one was set."""
    title, body = SNOOZE_WORDS[outcome]
    if until is not None:
        body = Markup("Lifted will nudge you again at {}.").format(when(until, timezone))
    return {"title": title, "body": body}
