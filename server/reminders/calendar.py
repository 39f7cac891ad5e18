"""The personal calendar feed: one recurring event with an alarm per reminder time,
in the reader's time zone, as valid iCalendar (RFC 5545): CRLF lines folded at 75 octets,
a UID, a DTSTAMP, and a VTIMEZONE built from the zone's real transitions."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.reminders import schedule
from server.reminders.plans import SettingsView

SUMMARY = "A moment for kindness (Lifted)"
DESCRIPTION = (
    "Only if it feels right today: is there someone you could brighten? "
    "Log it in Lifted with one tap."
)
# For lock screens and shared calendars: the discreet option's words.
DISCREET_SUMMARY = "A gentle nudge (Lifted)"
DISCREET_DESCRIPTION = "Open Lifted when you have a moment."


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Splits a content line into pieces of at most 75 octets, never inside a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return "\r\n ".join(part.decode() for part in out)


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants where the zone's offset changes, found day by day then to the minute."""
    found = []
    day = start
    while day < end:
        following = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = day, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        day = following
    return found


def vtimezone(name: str, around: date) -> list[str]:
    zone = ZoneInfo(name)
    start = datetime(around.year - 1, 1, 1, tzinfo=UTC)
    changes = _transitions(zone, start, datetime(around.year + 3, 1, 1, tzinfo=UTC))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    if not changes:
        offset = _offset(start.astimezone(zone).utcoffset())
        tzname = start.astimezone(zone).tzname()
        return [
            *lines,
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            f"TZNAME:{tzname}",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    for change in changes:
        before = (change - timedelta(minutes=1)).astimezone(zone)
        after = change.astimezone(zone)
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        # DTSTART is the local time the change happens, on the clock as it was before.
        wall = (change.replace(tzinfo=None) + before.utcoffset()).strftime("%Y%m%dT%H%M%S")
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{wall}",
            f"TZOFFSETFROM:{_offset(before.utcoffset())}",
            f"TZOFFSETTO:{_offset(after.utcoffset())}",
            f"TZNAME:{after.tzname()}",
            f"END:{kind}",
        ]
    return [*lines, "END:VTIMEZONE"]


def _event(uid, slot, today, timezone, now, base_url, words) -> list[str]:
    """One recurring event with an alarm at a reminder time, on its weekdays."""
    first = next(
        today + timedelta(days=n)
        for n in range(7)
        if schedule.is_day(slot.days, today + timedelta(days=n))
    )
    start = datetime.combine(first, slot.at).strftime("%Y%m%dT%H%M%S")
    byday = ",".join(schedule.ICAL_DAYS[i] for i in schedule.day_indexes(slot.days))
    summary, description = words
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;TZID={timezone}:{start}",
        "DURATION:PT15M",
        f"RRULE:FREQ=WEEKLY;BYDAY={byday}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{base_url}/#log",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(summary)}",
        "TRIGGER:PT0M",
        "END:VALARM",
        "END:VEVENT",
    ]


def build(feed_id: str, view: SettingsView, now: datetime, base_url: str, host: str) -> bytes:
    """The whole feed. A reader with reminders off gets a valid calendar with no events."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Lifted//Gentle reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Lifted reminders",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
    ]
    plan = view.plan
    if view.enabled and plan.slots:
        today = now.astimezone(plan.zone).date()
        uid = hashlib.sha256(feed_id.encode()).hexdigest()[:24]
        words = (
            (DISCREET_SUMMARY, DISCREET_DESCRIPTION) if view.discreet else (SUMMARY, DESCRIPTION)
        )
        lines += vtimezone(view.timezone, today)
        for number, slot in enumerate(plan.slots, start=1):
            # The first time keeps the UID earlier releases gave the one daily event.
            name = f"reminder-{uid}" + (f"-{number}" if number > 1 else "")
            lines += _event(f"{name}@{host}", slot, today, view.timezone, now, base_url, words)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
