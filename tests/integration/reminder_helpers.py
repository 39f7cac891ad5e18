"""Setting up readers with reminders and devices for the reminder tests."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from server.accounts.models import Account
from server.acts.models import Act
from server.reminders import scheduler, service
from server.reminders.models import ReminderSend, ReminderSettings


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


async def log_act(account: Account, local_date: date, when: datetime, timezone: str) -> None:
    await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=when, timezone=timezone, local_date=local_date
    )


async def next_due(account: Account) -> datetime | None:
    return (await ReminderSettings.get(account_id=account.id)).next_due_at


async def sends(account: Account) -> list[tuple[date, str, str]]:
    rows = await ReminderSend.filter(account_id=account.id).order_by("local_date")
    return [(r.local_date, r.status, r.detail) for r in rows]
