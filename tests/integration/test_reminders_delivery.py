"""Reminders really arrive: through a local push service that checks VAPID and decrypts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from server.reminders import push, service, texts
from server.reminders.models import PushSubscription
from server.reminders.scheduler import tick
from tests.integration.push_receiver import PushService
from tests.integration.support import fast_sender, log_act, next_due, reader, sends

MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # a Tuesday
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def receiver():
    with PushService() as receiver:
        yield receiver


def matches_content(title: str, body: str) -> bool:
    for item in texts.reminder_texts():
        if item["title"] != title:
            continue
        prefix, _, suffix = item["body"].partition("{idea}")
        if body == item["body"] or any(
            body == prefix + idea + suffix for idea in texts.idea_texts()
        ):
            return True
    return False


async def test_a_due_reminder_arrives_once_with_a_warm_text(client, settings, receiver):
    account, [device] = await reader(receiver, MORNING)
    sender = fast_sender(settings)
    assert await tick(sender, DUE - timedelta(minutes=1)) == {}
    assert receiver.count(device) == 0

    counts = await tick(sender, DUE)
    assert counts == {"sent": 1}
    assert receiver.errors == []
    [delivery] = receiver.for_device(device)
    # Declarative Web Push, as Safari reads it without a service worker (and ours in others).
    assert delivery.payload["web_push"] == 8030 and delivery.payload["mutable"] is True
    assert delivery.payload["app_badge"] == 1
    shown = delivery.payload["notification"]
    assert matches_content(shown["title"], shown["body"])
    assert "{idea}" not in shown["body"]
    assert shown["navigate"] == settings.base_url + "/#log"
    assert shown["tag"] == "lifted-reminder"
    assert shown["actions"] == [
        {"action": "done", "title": "I did one", "navigate": settings.base_url + "/#log"},
        {
            "action": "snooze",
            "title": "Snooze 1 hour",
            "navigate": settings.base_url + "/reminders/snooze",
        },
    ]
    assert delivery.headers["ttl"] == "14400"
    assert delivery.headers["urgency"] == "high"
    assert delivery.headers["topic"] == "lifted-reminder"
    assert delivery.claims["sub"] == "mailto:admin@localhost"
    assert delivery.vapid_key == client.app.state.vapid_public_key

    # The same instant again (another process, a restart) sends nothing more.
    assert await tick(sender, DUE) == {}
    assert receiver.count(device) == 1
    assert await sends(account) == [(date(2026, 11, 24), "sent", "")]
    assert await next_due(account) == DUE + timedelta(days=1)
    row = await PushSubscription.get(account_id=account.id)
    assert row.last_delivered_at == DUE and row.last_error is None


async def test_every_device_of_an_account_gets_it(client, settings, receiver):
    _, devices = await reader(receiver, MORNING, devices=2)
    assert await tick(fast_sender(settings), DUE) == {"sent": 1}
    assert [receiver.count(d) for d in devices] == [1, 1]


async def test_no_reminder_after_an_act_that_day_when_skipping(client, settings, receiver):
    skipper, [quiet] = await reader(receiver, MORNING)
    keen, [nudged] = await reader(receiver, MORNING, skip_if_logged=False)
    for account in (skipper, keen):
        await log_act(account, date(2026, 11, 24), MORNING, "UTC")
    # Yesterday's act does not count for today.
    other, [fresh] = await reader(receiver, MORNING)
    await log_act(other, date(2026, 11, 23), MORNING - timedelta(days=1), "UTC")

    assert await tick(fast_sender(settings), DUE) == {"sent": 2, "skipped": 1}
    assert (receiver.count(quiet), receiver.count(nudged), receiver.count(fresh)) == (0, 1, 1)
    assert (await sends(skipper))[0][1:] == ("skipped", "an act was already logged that day")


async def test_quiet_hours_hold_a_late_reminder(client, settings, receiver):
    # Due 21:30; the server was down until 22:10, inside the grace window but in quiet hours.
    account, [device] = await reader(
        receiver, MORNING, at="21:30", quiet_start="22:00", quiet_end="07:00"
    )
    await tick(fast_sender(settings), datetime(2026, 11, 24, 22, 10, tzinfo=UTC))
    assert receiver.count(device) == 0
    assert (await sends(account))[0][1:] == ("skipped", "quiet hours")
    assert await next_due(account) == datetime(2026, 11, 25, 21, 30, tzinfo=UTC)


async def test_a_pause_holds_reminders_until_it_ends(client, settings, receiver):

    account, [device] = await reader(receiver, MORNING)
    await service.set_pause(account, MORNING + timedelta(days=3), MORNING)
    sender = fast_sender(settings)
    for day in range(3):
        await tick(sender, DUE + timedelta(days=day))
    assert receiver.count(device) == 0
    assert await tick(sender, DUE + timedelta(days=3)) == {"sent": 1}
    assert receiver.count(device) == 1


async def test_a_gone_subscription_is_kept_as_gone_and_sent_nothing_more(
    client, settings, receiver
):
    account, [gone, kept] = await reader(receiver, MORNING, devices=2)
    receiver.script[gone] = [410]
    sender = fast_sender(settings)
    assert await tick(sender, DUE) == {"sent": 1}
    assert receiver.attempts[gone] == 1  # never retried
    row = await PushSubscription.get(endpoint__endswith=f"/{gone}")
    assert row.gone_at == DUE and row.last_error == push.ENDED
    # Shown to the reader (not deleted unseen), and never sent to again.
    assert await tick(sender, DUE + timedelta(days=1)) == {"sent": 1}
    assert receiver.attempts[gone] == 1 and receiver.count(kept) == 2
    assert await PushSubscription.filter(account_id=account.id).count() == 2


async def test_a_404_also_ends_it_and_the_day_is_recorded_failed(client, settings, receiver):
    account, [device] = await reader(receiver, MORNING)
    receiver.script[device] = [404]
    assert await tick(fast_sender(settings), DUE) == {"failed": 1}
    [row] = await PushSubscription.filter(account_id=account.id)
    assert row.gone_at is not None


async def test_failing_days_in_a_row_make_a_device_gone(client, settings, receiver):
    """Each day's send fails after its retries; a delivery in between starts the count again."""
    account, [device] = await reader(receiver, MORNING)
    sender = fast_sender(settings)
    attempts = 1 + len(sender.retry_delays)
    days = iter(range(100))

    async def a_day(answers: list[int]) -> PushSubscription:
        receiver.script[device] = answers
        await tick(sender, DUE + timedelta(days=next(days)))
        return await PushSubscription.get(account_id=account.id)

    for _ in range(service.GONE_AFTER - 1):
        row = await a_day([500] * attempts)
        assert row.gone_at is None
    assert (await a_day([])).failures == 0  # delivered: the run of failures is over
    for _ in range(service.GONE_AFTER - 1):
        assert (await a_day([500] * attempts)).gone_at is None
    row = await a_day([500] * attempts)
    assert row.failures == service.GONE_AFTER and row.gone_at is not None
    before = receiver.attempts[device]
    await a_day([])
    assert receiver.attempts[device] == before  # gone: nothing more is sent


async def test_server_errors_are_retried_then_delivered(client, settings, receiver):
    account, [device] = await reader(receiver, MORNING)
    receiver.script[device] = [500, 503]
    assert await tick(fast_sender(settings), DUE) == {"sent": 1}
    assert receiver.attempts[device] == 3 and receiver.count(device) == 1
    row = await PushSubscription.get(account_id=account.id)
    assert row.last_error is None and row.failures == 0


async def test_persistent_failure_is_recorded_not_deleted(client, settings, receiver):
    account, [device] = await reader(receiver, MORNING)
    receiver.script[device] = [500, 500, 500]
    assert await tick(fast_sender(settings), DUE) == {"failed": 1}
    assert receiver.attempts[device] == 3
    row = await PushSubscription.get(account_id=account.id)
    assert row.last_error == push.BUSY and row.failures == 1
    assert (await sends(account))[0][1] == "failed"


async def test_spring_forward_fires_at_the_next_valid_time(client, settings, receiver):
    # 2026-03-08 in New York: 02:00 jumps to 03:00, so 02:30 never happens that night.
    saved = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    account, [device] = await reader(receiver, saved, at="02:30", timezone="America/New_York")
    jump = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT, the first valid minute
    assert await next_due(account) == jump
    sender = fast_sender(settings)
    assert await tick(sender, jump - timedelta(seconds=1)) == {}
    assert await tick(sender, jump) == {"sent": 1}
    assert await next_due(account) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # 02:30 EDT


async def test_fall_back_fires_only_once(client, settings, receiver):
    # 2026-11-01 in New York: 01:30 happens twice (EDT, then EST an hour later).
    saved = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    account, [device] = await reader(receiver, saved, at="01:30", timezone="America/New_York")
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    sender = fast_sender(settings)
    assert await tick(sender, first) == {"sent": 1}
    assert await tick(sender, first + timedelta(hours=1)) == {}
    assert receiver.count(device) == 1
    assert await next_due(account) == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)


async def test_late_reminders_go_within_the_grace_window_only(client, settings, receiver):
    late, [sent] = await reader(receiver, MORNING)
    sender = fast_sender(settings)
    assert await tick(sender, DUE + timedelta(hours=1, minutes=30)) == {"sent": 1}
    assert receiver.count(sent) == 1

    too_late, [held] = await reader(receiver, MORNING)
    assert await tick(sender, DUE + timedelta(hours=2, minutes=30)) == {"skipped": 1}
    assert receiver.count(held) == 0
    assert (await sends(too_late))[0][1].startswith("skipped")
    assert await next_due(too_late) == DUE + timedelta(days=1)


async def test_a_server_down_for_days_sends_no_backlog(client, settings, receiver):
    account, [device] = await reader(receiver, MORNING)
    # The overdue occurrence is recorded as skipped; the days between are passed over.
    counts = await tick(fast_sender(settings), DUE + timedelta(days=3, minutes=5))
    assert counts == {"skipped": 1, "sent": 1}
    assert receiver.count(device) == 1
    assert [s[:2] for s in await sends(account)] == [
        (date(2026, 11, 24), "skipped"),
        (date(2026, 11, 27), "sent"),
    ]


async def test_zones_where_the_day_has_already_changed(client, settings, receiver):
    # At 18:00 UTC on Tuesday 24th it is 08:00 on Wednesday 25th in Kiritimati (UTC+14) and
    # 07:00 on Tuesday 24th in Pago Pago (UTC-11).
    instant = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    ahead, [a] = await reader(receiver, MORNING, at="08:00", timezone="Pacific/Kiritimati")
    behind, [b] = await reader(receiver, MORNING, at="07:00", timezone="Pacific/Pago_Pago")
    # Wednesdays only for the reader ahead: due now, on their Wednesday.
    weds, [w] = await reader(receiver, MORNING, at="08:00", timezone="Pacific/Kiritimati", days=[2])
    # An act on Kiritimati's Wednesday (still Tuesday in UTC) counts for that day.
    logged, [done] = await reader(receiver, MORNING, at="08:00", timezone="Pacific/Kiritimati")
    await log_act(logged, date(2026, 11, 25), instant - timedelta(hours=1), "Pacific/Kiritimati")

    assert await tick(fast_sender(settings), instant) == {"sent": 3, "skipped": 1}
    assert [receiver.count(x) for x in (a, b, w, done)] == [1, 1, 1, 0]
    assert (await sends(ahead))[0][0] == date(2026, 11, 25)
    assert (await sends(behind))[0][0] == date(2026, 11, 24)
    assert await next_due(weds) == instant + timedelta(days=7)


async def test_the_app_runs_the_scheduler_and_stops_it_cleanly(
    database_url, data_dir, receiver, monkeypatch
):
    import asyncio

    from server import db
    from server.app import create_app
    from server.reminders import scheduler
    from tests.integration.app_client import AppClient
    from tests.integration.conftest import clear_tables, make_settings

    monkeypatch.setattr(scheduler, "INTERVAL", 0.05)
    settings = make_settings(database_url, data_dir, LIFTED_SCHEDULER="true")
    now = datetime.now(UTC)
    # Seeded (and the connection closed) before the app starts and opens the database itself.
    await db.open_db(database_url)
    await clear_tables()
    at = (now - timedelta(minutes=1)).strftime("%H:%M")
    _, [device] = await reader(receiver, now - timedelta(minutes=3), at=at)
    await db.close_db()
    async with AppClient(create_app(settings)):
        assert await asyncio.to_thread(receiver.arrived.wait, 20)
    # Shutdown cancelled the scheduler: nothing else arrives, nothing hangs.
    assert receiver.count(device) == 1
