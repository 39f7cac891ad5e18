"""Readers with reminders and push devices, for the reminder and push tests."""

from __future__ import annotations

import json
from datetime import date, datetime

from cryptography.hazmat.primitives.asymmetric import ec

from server.identity.models import Account
from server.reminders import scheduler, service
from server.reminders.models import PushSubscription, ReminderOccurrence, ReminderSettings
from server.reminders.vapid import b64url
from tests.integration.support import csrf_token, post_form, soup

# ---- Reminders ------------------------------------------------------------------------


# Reminder settings a reader might save: on, three evenings a week, quiet at night.
REMINDERS_ON = {
    "enabled": "on",
    "time_of_day": "19:30",
    "days": ["0", "2", "4"],
    "timezone": "Europe/Paris",
    "quiet_start": "22:00",
    "quiet_end": "07:00",
    "skip_if_logged": "on",
}


def fast_sender(settings, delays=(0.01, 0.02)):
    """The app's sender with retries a test can wait for."""
    return scheduler.make_sender(settings, retry_delays=delays)


async def reader(
    receiver,
    now: datetime,
    *,
    at: str = "09:00",
    timezone: str = "UTC",
    days=range(7),
    devices: int = 1,
    **choices,
) -> tuple[Account, list[str]]:
    """An account with reminders on (saved at ``now``) and ``devices`` subscriptions."""
    account = await Account.create()
    view = service.SettingsView(
        enabled=True, time_of_day=at, timezone=timezone, days=list(days), **choices
    )
    await service.save_settings(account, view, now)
    names = []
    for _ in range(devices):
        sub = receiver.device()
        names.append(sub["endpoint"].rsplit("/", 1)[1])
        await service.save_subscription(
            account, sub["endpoint"], sub["keys"]["p256dh"], sub["keys"]["auth"], "Test"
        )
    return account, names


async def next_due(account: Account) -> datetime | None:
    return (await ReminderSettings.get(account_id=account.id)).next_due_at


async def sends(account: Account) -> list[tuple[date, str, str]]:
    rows = await ReminderOccurrence.filter(account_id=account.id).order_by("due_at")
    return [(r.local_date, r.status, r.detail) for r in rows]


def chosen_zone(html) -> str:
    """The time zone the reminder form's list has chosen ("" for its "Choose" placeholder)."""
    option = html.select_one("select#timezone option[selected]")
    return option["value"] if option else ""


def subscription(endpoint: str = "https://push.example.net/send/abc123", **keys) -> dict:
    """A browser's PushSubscription.toJSON() with fresh, valid keys (``keys`` override them)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_numbers().x.to_bytes(32, "big") + key.public_numbers().y.to_bytes(32, "big")
    default = {"p256dh": b64url(b"\x04" + point), "auth": b64url(b"0123456789abcdef")}
    return {"endpoint": endpoint, "keys": {**default, **keys}}


async def send_json(client, method: str, body, path: str = "/reminders/subscription", **headers):
    """A JSON request to /reminders/subscription (or ``path``), as reminders.js sends it."""
    token = await csrf_token(client)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.request(
        method,
        path,
        content=data,
        headers={"x-csrftoken": token, "content-type": "application/json", **headers},
    )


async def devices_text(client) -> str:
    """The text of every device on the reminder settings page, as a reader sees it."""
    html = soup(await client.get("/settings/reminders"))
    return " ".join(d.get_text(" ", strip=True) for d in html.select(".device"))


async def press_test_button(client) -> str:
    """Presses "Send a test reminder"; returns "<delivered>-<devices>" from the redirect."""
    response = await post_form(client, "/settings/reminders/test")
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("test=", 1)[1]


async def add_device_row(account: Account, endpoint: str, **keys) -> PushSubscription:
    """A device stored directly, as a row written before today's checks would be."""
    sub = subscription(endpoint, **keys)
    return await PushSubscription.create(
        account_id=account.id,
        endpoint=endpoint,
        p256dh=sub["keys"]["p256dh"],
        auth=sub["keys"]["auth"],
        label="Old row",
    )
