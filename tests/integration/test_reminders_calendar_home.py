"""The calendar feed, the Home card at the reminder time, and the server's VAPID key."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.reminders import schedule, service
from server.reminders.models import ReminderSettings
from tests.integration.support import csrf_token, log_act, sign_in_as, soup

PAGE = "/settings/reminders"
ROOT = Path(__file__).resolve().parents[2]


async def post(client, url, data=None):
    token = await csrf_token(client)
    return await client.post(
        url, data={**(data or {}), "_csrf_token": token}, follow_redirects=False
    )


async def save(client, **changes):
    form = {
        "enabled": "on",
        "time_of_day": "07:45",
        "days": ["0", "1", "2", "3", "4"],
        "timezone": "America/New_York",
        "skip_if_logged": "on",
        **changes,
    }
    response = await post(client, PAGE, form)
    assert response.status_code == 303, response.text


def unfold(body: bytes) -> list[str]:
    return body.decode().replace("\r\n ", "").split("\r\n")


async def calendar_link(client) -> str:
    response = await post(client, f"{PAGE}/calendar")
    html = soup(await client.get(response.headers["location"]))
    url = html.select_one("#calendar-url")["value"]
    assert url.startswith("http://127.0.0.1:8000/reminders/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://127.0.0.1:8000")


async def test_calendar_feed_is_valid_icalendar_for_the_readers_choices(client):
    await save(client)
    feed = await client.get(await calendar_link(client))
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    body = feed.content
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    assert lines.count("BEGIN:VEVENT") == 1
    assert any(x.startswith("UID:") for x in lines) and any(x.startswith("DTSTAMP:") for x in lines)
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" in lines
    [start] = [x for x in lines if x.startswith("DTSTART;")]
    assert start.startswith("DTSTART;TZID=America/New_York:") and start.endswith("T074500")
    assert "TZID:America/New_York" in lines and "BEGIN:DAYLIGHT" in lines
    assert "TZOFFSETTO:-0500" in lines and "TZOFFSETTO:-0400" in lines
    alarm = lines[lines.index("BEGIN:VALARM") : lines.index("END:VALARM")]
    assert "ACTION:DISPLAY" in alarm and "TRIGGER:PT0M" in alarm
    assert "URL:http://127.0.0.1:8000/#log" in lines


async def test_calendar_link_can_be_renewed_and_turned_off(client):
    await save(client)
    first = await calendar_link(client)
    second = await calendar_link(client)
    assert first != second
    assert (await client.get(first)).status_code == 404
    assert (await client.get(second)).status_code == 200
    await post(client, f"{PAGE}/calendar/revoke")
    assert (await client.get(second)).status_code == 404
    assert soup(await client.get(PAGE)).select_one("#calendar-url") is None


async def test_calendar_feed_without_reminders_has_no_events(client):
    url = await calendar_link(client)
    body = (await client.get(url)).content
    assert b"BEGIN:VCALENDAR" in body and b"BEGIN:VEVENT" not in body


async def test_unknown_calendar_tokens_are_404(client):
    assert (await client.get("/reminders/calendar/nothing-here.ics")).status_code == 404
    assert (await client.get("/reminders/calendar/.ics")).status_code == 404


@pytest.fixture
def clock(monkeypatch):
    """Sets the time the Home card sees."""

    def set_time(moment: datetime) -> None:
        monkeypatch.setattr(schedule, "utcnow", lambda: moment)

    return set_time


def card(response):
    return soup(response).select_one(".reminder-card")


async def test_home_card_appears_only_when_the_reminder_is_due(client, clock):
    account = await sign_in_as(client)
    # Tuesday 24 November 2026, 07:45 in New York is 12:45 UTC; weekdays only.
    view = service.SettingsView(
        enabled=True, time_of_day="07:45", days=[0, 1, 2, 3, 4], timezone="America/New_York"
    )
    saved = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    await service.save_settings(account, view, saved)
    clock(datetime(2026, 11, 24, 12, 44, tzinfo=UTC))
    assert card(await client.get("/")) is None
    clock(datetime(2026, 11, 24, 12, 45, tzinfo=UTC))
    shown = card(await client.get("/"))
    assert shown and shown.select_one("a[href='/#log']")
    assert "Only if it feels right today:" in shown.get_text()
    # Saturday is not a reminder day.
    clock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    assert card(await client.get("/")) is None
    # Paused: no card.
    clock(datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    await service.set_pause(account, datetime(2026, 11, 25, tzinfo=UTC), saved)
    assert card(await client.get("/")) is None
    await service.set_pause(account, None, saved)
    assert card(await client.get("/")) is not None
    # An act logged today (in the reader's zone) settles it, unless skipping is off.
    await log_act(
        account, date(2026, 11, 24), datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "America/New_York"
    )
    assert card(await client.get("/")) is None
    view.skip_if_logged = False
    await service.save_settings(account, view, saved)
    assert card(await client.get("/")) is not None


async def test_home_card_needs_reminders_on(client, clock):
    account = await sign_in_as(client)
    view = service.SettingsView(enabled=False, time_of_day="07:00", timezone="UTC")
    await service.save_settings(account, view, datetime(2026, 11, 24, tzinfo=UTC))
    clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    html = soup(await client.get("/"))
    assert html.select_one(".reminder-card") is None
    assert html.select_one("[data-push]") is None
    assert await ReminderSettings.filter(next_due_at__isnull=False).count() == 0


async def test_vapid_key_is_generated_once_and_kept_private(client, settings):
    path = settings.data_dir / "vapid_private.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server",
        "vapid",
        cwd=ROOT,
        env={**os.environ, "LIFTED_DATA_DIR": str(settings.data_dir)},
        stdout=asyncio.subprocess.PIPE,
    )
    printed = (await process.communicate())[0].decode().strip()
    assert printed == client.app.state.vapid_public_key


def test_vapid_key_from_the_setting(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    env = {**os.environ, "LIFTED_DATA_DIR": str(tmp_path), "LIFTED_VAPID_PRIVATE_KEY": pem}
    result = subprocess.run(
        [sys.executable, "-m", "server", "vapid"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    from server.reminders.vapid import b64url

    assert result.stdout.strip() == b64url(raw)
    assert not (tmp_path / "vapid_private.pem").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "server", "vapid"],
        cwd=ROOT,
        env={**env, "LIFTED_VAPID_PRIVATE_KEY": "nonsense"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "LIFTED_VAPID_PRIVATE_KEY" in bad.stderr


def test_tick_rejects_a_malformed_time(tmp_path):
    env = {**os.environ, "LIFTED_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "server", "reminders", "tick", "--at", "soon"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "2026-11-24T09:00:00Z" in result.stderr
