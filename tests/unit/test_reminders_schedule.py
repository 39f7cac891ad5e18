"""Reminder date arithmetic, text, calendar folding and device labels: no database."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.reminders import calendar, forms, schedule, texts
from server.reminders.service import SettingsView

NY = ZoneInfo("America/New_York")


def plan(**changes) -> schedule.Plan:
    values = {"time_of_day": time(9, 0), "days": schedule.ALL_DAYS, "timezone": "UTC"}
    return schedule.Plan(**{**values, **changes})


def test_next_due_is_strictly_after_and_on_a_chosen_day():
    tuesday_9 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert schedule.next_due(plan(), tuesday_9 - timedelta(seconds=1)) == tuesday_9
    assert schedule.next_due(plan(), tuesday_9) == tuesday_9 + timedelta(days=1)
    tuesdays = plan(days=schedule.days_mask([1]))
    assert schedule.next_due(tuesdays, tuesday_9) == tuesday_9 + timedelta(days=7)
    assert schedule.next_due(plan(days=0), tuesday_9) is None


def test_next_due_waits_out_a_pause():
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    paused = plan(paused_until=start + timedelta(days=2, hours=2))
    assert schedule.next_due(paused, start) == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_spring_forward_gap_moves_to_the_clock_change():
    assert schedule.occurrence(date(2026, 3, 8), time(2, 30), NY) == datetime(
        2026, 3, 8, 7, 0, tzinfo=UTC
    )
    # Berlin jumps 02:00 -> 03:00 on 29 March 2026 (01:00 UTC).
    berlin = schedule.occurrence(date(2026, 3, 29), time(2, 15), ZoneInfo("Europe/Berlin"))
    assert berlin == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_fall_back_repeated_time_is_its_first_occurrence():
    assert schedule.occurrence(date(2026, 11, 1), time(1, 30), NY) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_quiet_hours_wrap_past_midnight():
    quiet = (time(22, 0), time(7, 0))
    assert schedule.in_quiet_hours(time(23, 0), *quiet)
    assert schedule.in_quiet_hours(time(6, 59), *quiet)
    assert not schedule.in_quiet_hours(time(7, 0), *quiet)
    assert not schedule.in_quiet_hours(time(12, 0), *quiet)
    assert schedule.in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))
    assert not schedule.in_quiet_hours(time(13, 0), None, None)


def test_texts_fill_ideas_and_never_guilt():
    rng = random.Random(7)
    bodies = {texts.compose(rng).body for _ in range(200)}
    assert len(bodies) > 10
    assert not any("{idea}" in b for b in bodies)
    words = " ".join(bodies).lower()
    for guilt in ("streak", "missed", "don't forget", "failed"):
        assert guilt not in words


def test_folding_keeps_lines_short_and_characters_whole():
    line = "DESCRIPTION:" + "Kindness — small and real. " * 10
    folded = calendar.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 - (i > 0) for i, p in enumerate(parts))
    assert "".join(parts) == line


def test_vtimezone_of_a_zone_without_dst():
    lines = calendar.vtimezone("Asia/Kolkata", date(2026, 11, 24))
    assert "TZOFFSETTO:+0530" in lines and "BEGIN:DAYLIGHT" not in lines


def test_vtimezone_lists_real_transitions():
    lines = calendar.vtimezone("Europe/London", date(2026, 11, 24))
    assert "DTSTART:20260329T010000" in lines  # clocks go forward at 01:00 GMT
    assert "DTSTART:20261025T020000" in lines  # and back at 02:00 BST


def test_feed_escapes_text_and_uses_crlf():
    view = SettingsView(enabled=True, time_of_day="08:00", days=[5, 6], timezone="UTC")
    body = calendar.build("id", view, datetime(2026, 11, 24, tzinfo=UTC), "https://x.org", "x.org")
    assert b"RRULE:FREQ=WEEKLY;BYDAY=SA,SU\r\n" in body
    assert b"DTSTART;TZID=UTC:20261128T080000" in body
    assert calendar.escape("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"


def test_device_labels():
    cases = {
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile "
        "Safari/537.36": "Chrome on Android",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "Version/17.4 Mobile/15E148 Safari/604.1": "Safari on iPhone",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 "
        "Safari/537.36 Edg/131.0": "Edge on Windows",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 "
        "Firefox/133.0": "Firefox on Linux",
        "": "A browser",
    }
    for agent, label in cases.items():
        assert forms.device_label(agent) == label
