""" "Snooze 1 hour" from a reminder: one more nudge an hour later, once, never in quiet hours,
not at all once an act is logged; from the service worker (JSON) or Safari's page (a form)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from server.reminders import schedule, scheduler, service
from server.reminders.scheduler import _occurrence, tick
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    csrf_token,
    fast_sender,
    log_act,
    next_due,
    post_form,
    reader,
    sends,
    sign_in_as,
    soup,
)

MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


@pytest.fixture
def receiver():
    with PushService() as receiver:
        yield receiver


def at(moment: datetime, monkeypatch) -> None:
    monkeypatch.setattr(schedule, "utcnow", lambda: moment)


async def snooze_json(client) -> dict:
    token = await csrf_token(client)
    response = await client.post(
        "/reminders/snooze",
        headers={"x-csrftoken": token, "accept": "application/json", "hx-request": "true"},
    )
    assert response.status_code == 200
    return response.json()


async def test_a_snooze_sends_one_more_reminder_an_hour_later(
    client, settings, receiver, monkeypatch
):
    account, [device] = await reader(receiver, MORNING, at="19:00")
    await sign_in_as(client, account)
    sender = fast_sender(settings)
    assert await tick(sender, DUE) == {"sent": 1}

    at(DUE + timedelta(minutes=2, seconds=30), monkeypatch)
    said = await snooze_json(client)
    assert said["outcome"] == "snoozed"
    assert said["title"] == "Snoozed for an hour"
    later = datetime(2026, 11, 24, 20, 3, tzinfo=UTC)
    assert await next_due(account) == later

    assert await tick(sender, later - timedelta(seconds=1)) == {}
    assert await tick(sender, later) == {"sent": 1}
    assert await tick(sender, later) == {}  # once, whoever ticks again
    assert receiver.count(device) == 2
    assert await next_due(account) == DUE + timedelta(days=1)
    assert [row[1] for row in await sends(account)] == ["sent", "sent"]


async def test_snoozing_twice_moves_the_one_snooze(client, settings, receiver, monkeypatch):
    account, [device] = await reader(receiver, MORNING, at="19:00")
    await sign_in_as(client, account)
    at(DUE, monkeypatch)
    await snooze_json(client)
    at(DUE + timedelta(minutes=30), monkeypatch)
    await snooze_json(client)
    sender = fast_sender(settings)
    await tick(sender, DUE)
    assert await tick(sender, datetime(2026, 11, 24, 20, 1, tzinfo=UTC)) == {}
    assert await tick(sender, datetime(2026, 11, 24, 20, 31, tzinfo=UTC)) == {"sent": 1}
    assert receiver.count(device) == 2


async def test_an_act_logged_after_snoozing_cancels_it(client, settings, receiver, monkeypatch):
    # Skipping after a logged act is off: the snooze still stands down once one is logged.
    account, [device] = await reader(receiver, MORNING, at="19:00", skip_if_logged=False)
    await log_act(account, date(2026, 11, 24), MORNING, "UTC")  # before: doesn't count
    await sign_in_as(client, account)
    sender = fast_sender(settings)
    assert await tick(sender, DUE) == {"sent": 1}
    at(DUE + timedelta(minutes=1), monkeypatch)
    await snooze_json(client)
    await log_act(account, date(2026, 11, 24), DUE + timedelta(minutes=20), "UTC")
    assert await tick(sender, datetime(2026, 11, 24, 20, 2, tzinfo=UTC)) == {"skipped": 1}
    assert receiver.count(device) == 1
    assert (await sends(account))[-1][1:] == ("skipped", "an act was logged after the snooze")


async def test_a_snooze_asked_while_its_reminder_is_being_sent_is_kept(
    client, settings, receiver, monkeypatch
):
    # The scheduler has read the 19:00 row; the reader snoozes before it moves the row on.
    account, [device] = await reader(receiver, MORNING, at="19:00")
    await sign_in_as(client, account)
    [read_before] = await service.due(DUE, 10, set())
    at(DUE + timedelta(seconds=5), monkeypatch)
    assert (await snooze_json(client))["outcome"] == "snoozed"
    sender = fast_sender(settings)
    assert await _occurrence(sender, read_before, DUE, scheduler.GRACE, None) == "sent"
    assert await next_due(account) == DUE  # left for the next tick, which sees the snooze
    snoozed = datetime(2026, 11, 24, 20, 1, tzinfo=UTC)
    await tick(sender, DUE + timedelta(seconds=30))
    assert await next_due(account) == snoozed
    assert await tick(sender, snoozed) == {"sent": 1}
    assert receiver.count(device) == 2


async def test_an_earlier_snooze_moved_just_as_it_came_due_is_not_sent(
    client, settings, receiver, monkeypatch
):
    account, [device] = await reader(receiver, MORNING, at="19:00")
    await sign_in_as(client, account)
    sender = fast_sender(settings)
    await tick(sender, DUE)
    at(DUE, monkeypatch)
    await snooze_json(client)  # 20:01
    at(datetime(2026, 11, 24, 20, 1, 10, tzinfo=UTC), monkeypatch)
    await snooze_json(client)  # 21:02, asked before any tick reached 20:01
    assert await tick(sender, datetime(2026, 11, 24, 20, 1, 20, tzinfo=UTC)) == {"skipped": 1}
    assert await tick(sender, datetime(2026, 11, 24, 21, 2, tzinfo=UTC)) == {"sent": 1}
    assert receiver.count(device) == 2


async def test_a_snooze_never_lands_in_quiet_hours(client, receiver, monkeypatch):
    account, _ = await reader(receiver, MORNING, at="21:30", quiet_start="22:00", quiet_end="07:00")
    await sign_in_as(client, account)
    at(datetime(2026, 11, 24, 21, 31, tzinfo=UTC), monkeypatch)
    said = await snooze_json(client)
    assert said["outcome"] == "quiet"
    assert "quiet hours" in said["body"]
    assert await next_due(account) == datetime(2026, 11, 24, 21, 30, tzinfo=UTC)  # as it was


async def test_nothing_to_snooze_when_paused_off_or_signed_out(client, receiver, monkeypatch):
    assert (await snooze_json(client))["outcome"] == "signed-out"
    account, _ = await reader(receiver, MORNING, at="19:00")
    await sign_in_as(client, account)
    at(DUE, monkeypatch)
    await post_form(client, "/settings/reminders/pause", {"days": "1"})
    said = await snooze_json(client)
    assert said["outcome"] == "off"
    assert await next_due(account) == DUE + timedelta(days=2)  # after the pause, as it was


async def test_safaris_snooze_page_asks_first_then_says_when(client, receiver, monkeypatch):
    account, _ = await reader(receiver, MORNING, at="22:30", timezone="Europe/Paris")
    await sign_in_as(client, account)
    at(DUE, monkeypatch)
    page = soup(await client.get("/reminders/snooze"))  # following the link changes nothing
    assert page.select_one("form[action='/reminders/snooze'] button").get_text() == (
        "Remind me in an hour"
    )
    assert await next_due(account) == datetime(2026, 11, 24, 21, 30, tzinfo=UTC)
    done = soup(await post_form(client, "/reminders/snooze"))
    assert done.select_one("h1").get_text() == "Snoozed for an hour"
    # 20:01 UTC is 21:01 in Paris, shown as a clock the page localises.
    assert done.select_one("[role=status] time.clock")["datetime"] == "21:01"
    assert await next_due(account) == datetime(2026, 11, 24, 20, 1, tzinfo=UTC)
