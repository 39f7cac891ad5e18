"""The reader's day may end after midnight: every day boundary follows it (the tap's day,
Today, the greeting, reminders), and "I did one yesterday" logs an act on the day before."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.acts.models import Act
from server.days import local_day
from server.identity.models import Account
from server.reminders.scheduler import tick
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    fast_sender,
    log_act,
    post_form,
    reader,
    sends,
    sign_in_as,
    soup,
    tap,
    upload,
)
from tests.support import zone_at_local_hour


async def test_the_day_page_keeps_an_hour_and_refuses_others(client):
    account = await sign_in_as(client, timezone="UTC")
    page = soup(await client.get("/settings/day"))
    assert [i["value"] for i in page.select("input[name=day_ends_at]")] == list("012345")
    for wrong in ("6", "-1", "٣", "", "3 a.m."):
        answer = await post_form(client, "/settings/day", {"day_ends_at": wrong})
        assert answer.status_code == 422
        assert soup(answer).select_one("#day-error").get_text() == "Choose one of the hours listed."
    saved = await post_form(client, "/settings/day", {"day_ends_at": "3"})
    assert saved.headers["location"] == "/settings/day?saved=1"
    assert (await Account.get(id=account.id)).day_ends_at == 3
    notice = soup(await client.get(saved.headers["location"])).select_one(".notice")
    assert notice.get_text(strip=True) == "Saved. Your day ends at 3 a.m."


@pytest.mark.parametrize(("day_end", "days_back"), [(3, 1), (0, 0)])
async def test_at_one_in_the_morning_today_is_the_day_the_reader_is_in(client, day_end, days_back):
    zone = zone_at_local_hour(1)
    account = await sign_in_as(client, timezone=zone, day_ends_at=day_end)
    calendar = datetime.now(UTC).astimezone(__import__("zoneinfo").ZoneInfo(zone)).date()
    expected = calendar - timedelta(days=days_back)
    home = soup(await client.get("/"))
    assert home.select_one("[data-greeting-date]")["datetime"] == expected.isoformat()
    assert home.body.get("data-day-end") == (str(day_end) if day_end else None)
    act_id = await tap(client, timezone=zone)
    assert (await Act.get(id=act_id)).local_date == expected
    counter = soup(await client.get("/")).select_one("[data-tap-count]")
    assert counter.get_text(strip=True) == "1 act of kindness today"
    assert counter["data-date"] == expected.isoformat()
    assert account.day_ends_at == day_end


async def test_i_did_one_yesterday_logs_it_on_the_day_before(client):
    await sign_in_as(client, timezone="UTC", day_ends_at=2)
    key = str(uuid.uuid4())
    answer = await post_form(client, "/acts", {"id": key, "day": "yesterday", "timezone": "UTC"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/?yesterday=1#log")
    act = await Act.get(id=key)
    today = local_day(datetime.now(UTC), "UTC", 2)
    assert act.local_date == today - timedelta(days=1)
    assert local_day(act.occurred_at, "UTC", 2) == act.local_date  # the last minute of it
    home = soup(await client.get(answer.headers["location"]))
    assert home.select_one(".tap-confirmation").get_text(strip=True) == (
        "Added to yesterday. Thank you for remembering it."
    )
    assert (
        home.select_one("[data-tap-count]").get_text(strip=True)
        == "Nothing logged yet today, and that's okay"
    )
    # Sent again (a retry): still one act.
    await post_form(client, "/acts", {"id": key, "day": "yesterday", "timezone": "UTC"})
    assert await Act.filter(id=key).count() == 1


async def test_a_yesterday_tap_queued_offline_is_the_day_before_it_was_made(client):
    await sign_in_as(client, timezone="UTC")
    made = datetime.now(UTC) - timedelta(days=3)
    key = await tap(client, day="yesterday", occurred_at=made.isoformat())
    assert (await Act.get(id=key)).local_date == made.date() - timedelta(days=1)


async def test_a_day_that_is_not_today_or_yesterday_is_refused(client):
    await sign_in_as(client, timezone="UTC")
    key = str(uuid.uuid4())
    answer = await post_form(client, "/acts", {"id": key, "day": "tomorrow", "timezone": "UTC"})
    assert answer.status_code == 400
    assert "A tap is for today or yesterday." in answer.text
    assert not await Act.filter(id=key).exists()


async def test_a_reminder_after_midnight_knows_the_readers_day(client, settings):
    due = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    with PushService() as receiver:
        for day_end, outcome in ((3, "skipped"), (0, "sent")):
            account, _ = await reader(receiver, due - timedelta(hours=5), at="01:00")
            await Account.filter(id=account.id).update(day_ends_at=day_end)
            # Logged at 11 p.m.: the day before the reminder's date, but the reader's same day
            # when their day ends at 3 a.m.
            late = due - timedelta(hours=2)
            await log_act(account, local_day(late, "UTC", day_end), late, "UTC")
            await tick(fast_sender(settings), due)
            assert (await sends(account))[-1][1] == outcome, day_end


async def test_the_boundary_holds_across_the_clocks_going_back(client):
    """Europe/Paris, 25 October 2026: 2:30 a.m. happens twice. With the day ending at 3 a.m.
    both belong to the 24th, and 3:00 (after the change) starts the 25th. Brought in by an
    import (a tap that old would be kept aside), stored and counted on both databases."""
    account = await sign_in_as(client, timezone="Europe/Paris", day_ends_at=3)
    moments = {
        "2026-10-25T00:30:00Z": "2026-10-24",  # 2:30 CEST, the first one
        "2026-10-25T01:30:00Z": "2026-10-24",  # 2:30 CET, the second one
        "2026-10-25T02:00:00Z": "2026-10-25",  # 3:00 CET
    }
    acts = [
        {"id": str(uuid.uuid4()), "occurred_at": at, "timezone": "Europe/Paris"} for at in moments
    ]
    assert (await upload(client, {"acts": acts})).status_code == 200
    stored = (
        await Act.filter(account=account)
        .order_by("occurred_at")
        .values_list("local_date", flat=True)
    )
    assert [day.isoformat() for day in stored] == list(moments.values())
