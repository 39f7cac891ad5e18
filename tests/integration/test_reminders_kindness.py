"""Reminders only on kindness days: the scheduler sends them on those days alone, the next
reminder moves when the days change, and without kindness days reminders keep their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.kindness import service as kindness
from server.reminders.scheduler import tick
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    fast_sender,
    next_due,
    post_form,
    reader,
    sign_in_as,
    soup,
)

MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # a Tuesday
WEDNESDAY = 2


@pytest.fixture
def receiver():
    with PushService() as receiver:
        yield receiver


async def test_reminders_come_only_on_kindness_days(client, settings, receiver):
    account, [device] = await reader(receiver, MORNING, kindness_only=True)
    await kindness.save(account, [WEDNESDAY], 3)
    from server.reminders import service

    await service.replan(account, MORNING)
    assert await next_due(account) == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    sender = fast_sender(settings)
    assert await tick(sender, MORNING + timedelta(hours=1)) == {}  # Tuesday: nothing
    assert await tick(sender, datetime(2026, 11, 25, 9, 0, tzinfo=UTC)) == {"sent": 1}
    assert receiver.count(device) == 1
    assert await next_due(account) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a week on


async def test_changing_kindness_days_moves_the_next_reminder(client, receiver):
    now = datetime.now(UTC)
    account, _ = await reader(receiver, now, kindness_only=True)
    await sign_in_as(client, account)
    for day in (4, 6):
        saved = await post_form(client, "/settings/kindness-days", {"days": [str(day)], "aim": "3"})
        assert saved.status_code == 303
        due = await next_due(account)
        assert due.weekday() == day and now < due <= now + timedelta(days=7)
    # No kindness days: the reminder keeps its own days (every day here) again.
    await post_form(client, "/settings/kindness-days", {"aim": "3"})
    assert await next_due(account) <= now + timedelta(days=1)


async def test_the_settings_offer_kindness_days_only_once_there_are_some(client):
    await sign_in_as(client, timezone="UTC")
    page = soup(await client.get("/settings/reminders"))
    assert page.select_one("#kindness_only") is None
    assert page.select_one("a[href='/settings/kindness-days']").get_text() == "Choose kindness days"
    await post_form(client, "/settings/kindness-days", {"days": ["1", "5"], "aim": "3"})
    page = soup(await client.get("/settings/reminders"))
    assert page.select_one("label[for=kindness_only]").get_text() == "Only on my kindness days"
    assert (
        page.select_one("#kindness_only-hint")
        .get_text(" ", strip=True)
        .startswith("Tuesday and Saturday, on the days ticked above.")
    )
