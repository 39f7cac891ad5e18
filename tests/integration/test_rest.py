"""Rest mode: a break quiets reminders, freezes momentum exactly and ends with a welcome back;
bad input gets a plain answer and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.acts.models import Act
from server.days import day_words
from server.identity.models import Account
from server.progress.momentum import as_percent, momentum
from server.progress.service import progress_summary, today_for
from server.reminders.scheduler import tick
from server.rest.models import Rest
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    fast_sender,
    log_act,
    post_form,
    reader,
    sends,
    sign_in_as,
    soup,
)

DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday


def _words(html, selector: str) -> str:
    found = html.select_one(selector)
    return found.get_text(" ", strip=True) if found else ""


async def test_a_break_quiets_everything_until_the_reader_ends_it(client):
    account = await sign_in_as(client, timezone="UTC")
    today = today_for("UTC")
    await log_act(account, today - timedelta(days=2), datetime.now(UTC), "UTC")
    await Act.filter(account=account).update(category="giving")  # variety would name a kind
    assert soup(await client.get("/")).select_one("#idea-card .idea-reason") is not None
    form = soup(await client.get("/settings/rest"))
    assert [i["value"] for i in form.select("input[name=length]")] == ["3", "7", "14", "30", "open"]

    started = await post_form(client, "/settings/rest", {"length": "7"})
    assert (started.status_code, started.headers["location"]) == (303, "/settings/rest")
    until = f"Until {day_words(today + timedelta(days=6))}."
    assert until in _words(soup(await client.get("/settings/rest")), ".card")
    card = _words(soup(await client.get("/")), ".rest-card")
    assert card.startswith("You're taking a break") and until in card
    reminders = soup(await client.get("/settings/reminders"))
    assert "reminders stay quiet until it ends" in reminders.get_text(" ")
    assert soup(await client.get("/progress")).select_one("#momentum-resting") is not None

    # Three days on (a break started and ended on one day never was one: no welcome back).
    await Rest.filter(account=account).update(starts_on=today - timedelta(days=3))
    assert soup(await client.get("/")).select_one("#idea-card .idea-reason") is None
    ended = await post_form(client, "/settings/rest/end", {"next": "/"})
    assert (ended.status_code, ended.headers["location"]) == (303, "/")
    assert _words(soup(await client.get("/")), ".rest-card").startswith("Welcome back")
    assert soup(await client.get("/progress")).select_one("#momentum-resting") is None
    assert "reminders stay quiet" not in (await client.get("/settings/reminders")).text
    # Ended today: today is an ordinary day again.
    assert await Rest.filter(account=account).values_list("starts_on", "ended_on") == [
        (today - timedelta(days=3), today)
    ]


async def test_until_turned_off_and_changing_the_length_keep_one_break(client):
    account = await sign_in_as(client, timezone="UTC")
    await post_form(client, "/settings/rest", {"length": "open"})
    assert "Until you turn it off." in _words(soup(await client.get("/")), ".rest-card")
    await post_form(client, "/settings/rest", {"length": "3"})
    today = today_for("UTC")
    assert await Rest.filter(account=account).values_list("starts_on", "ends_on") == [
        (today, today + timedelta(days=2))
    ]


@pytest.mark.parametrize("length", ["", "5", "banana", "٣", "0", "-7", "99999999999999999999"])
async def test_a_length_not_offered_is_asked_again_and_starts_nothing(client, length):
    account = await sign_in_as(client, timezone="UTC")
    answer = await post_form(client, "/settings/rest", {"length": length})
    assert answer.status_code == 422
    assert _words(soup(answer), "#length-error") == "Choose how long your break lasts."
    assert not await Rest.filter(account=account).exists()


async def test_momentum_is_the_same_after_a_break_as_before_it(client):
    account = await sign_in_as(client, timezone="UTC")
    today = today_for("UTC")
    streak = [today - timedelta(days=n) for n in range(17, 31)]  # two weeks, ending 17 days ago
    for day in streak:
        await log_act(account, day, datetime.now(UTC), "UTC")
    without = await progress_summary(account, today)
    assert without["momentum"] == as_percent(momentum(streak, today - timedelta(days=1)))
    # A break from the day after the streak through yesterday, an act logged during it.
    await Rest.create(account=account, starts_on=today - timedelta(days=16), ends_on=today)
    await log_act(account, today - timedelta(days=5), datetime.now(UTC), "UTC")
    await post_form(client, "/settings/rest/end", {})
    # As the next request would: the reader read afresh (a request keeps what it read once).
    rested = await progress_summary(await Account.get(id=account.id), today)
    assert rested["momentum"] == as_percent(momentum(streak, streak[0])) > without["momentum"]
    assert rested["all_time"] == 15 and rested["resting"] is False  # the act itself counts


async def test_welcome_back_shows_for_two_days_after_a_break_ends(client):
    account = await sign_in_as(client, timezone="UTC")
    today = today_for("UTC")
    rest = await Rest.create(
        account=account, starts_on=today - timedelta(days=8), ends_on=today - timedelta(days=1)
    )
    assert _words(soup(await client.get("/")), ".rest-card").startswith("Welcome back")
    rest.ends_on = today - timedelta(days=3)
    await rest.save()
    assert soup(await client.get("/")).select_one(".rest-card") is None


async def test_no_reminder_is_sent_during_a_break(client, settings):
    with PushService() as receiver:
        account, [device] = await reader(receiver, DUE - timedelta(hours=1))
        await Rest.create(account=account, starts_on=DUE.date(), ends_on=DUE.date())
        sender = fast_sender(settings)
        assert await tick(sender, DUE) == {"skipped": 1}
        skipped = ("skipped", "resting: the reader is taking a break")
        assert (await sends(account))[-1][1:] == skipped
        assert receiver.count(device) == 0
        assert await tick(sender, DUE + timedelta(days=1)) == {"sent": 1}
        assert receiver.count(device) == 1
