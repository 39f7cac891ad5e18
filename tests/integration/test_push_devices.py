"""Web Push for readers: plain sentences about a device's problems, at most ten devices, rate
limits on the test button and on subscribing, a device stays with its account, keys that
encrypt, and one bad device never spoils the others' reminders."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from server.reminders import scheduler
from server.reminders.models import PushSubscription, ReminderOccurrence
from server.reminders.vapid import b64url_decode
from tests.integration.network import Listener
from tests.integration.push_receiver import PushService, b64url
from tests.integration.support import (
    add_device_row,
    devices_text,
    fast_sender,
    post_form,
    press_test_button,
    reader,
    send_json,
    sign_in_as,
    soup,
    subscription,
)

PAGE = "/settings/reminders"
NO_ANSWER = "The push service didn't answer."
BAD_KEYS = "This device's notification keys don't work."
TROUBLE = "Something went wrong sending to this device."
# What must never reach a page: exception names, "host:port", dotted or bracketed addresses.
LEAKS = re.compile(r"Error|Exception|Timeout|[A-Za-z\]]:\d+|\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]")
MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def test_readers_see_plain_sentences_only(client, settings):
    account = await sign_in_as(client)
    with Listener() as closed:
        port = closed.port
    # Nothing listens there now: the connection is refused.
    await add_device_row(account, f"http://127.0.0.1:{port}/push/gone-quiet")
    old = await add_device_row(account, f"http://127.0.0.1:{port}/push/old")
    client.app.state.push_sender = fast_sender(settings)
    assert await press_test_button(client) == "0-2"
    text = await devices_text(client)
    assert f"The last reminder didn't arrive. {NO_ANSWER}" in text
    assert not LEAKS.search(text), text
    # A row from before keeps no exception name on the page either.
    await PushSubscription.filter(id=old.id).update(
        last_error="Could not reach the push service (ConnectionError)."
    )
    text = await devices_text(client)
    assert TROUBLE in text and not LEAKS.search(text), text


# ---- Limits ---------------------------------------------------------------------------


async def test_an_account_has_at_most_ten_devices(client):
    subs = [subscription(f"https://push.example.net/send/{n}") for n in range(11)]
    for sub in subs[:10]:
        assert (await send_json(client, "POST", sub)).status_code == 201
    eleventh = await send_json(client, "POST", subs[10])
    assert eleventh.status_code == 409
    assert "remove one" in eleventh.json()["error"]
    # A device already on the account may renew its keys at the limit.
    renewed = subscription(subs[3]["endpoint"])
    assert (await send_json(client, "POST", renewed)).status_code == 201
    assert await PushSubscription.all().count() == 10
    row = await PushSubscription.get(endpoint=subs[3]["endpoint"])
    assert row.p256dh == renewed["keys"]["p256dh"]


async def test_the_test_button_is_rate_limited(client):
    with PushService() as receiver:
        await send_json(client, "POST", receiver.device("phone"))
        for _ in range(5):
            assert await press_test_button(client) == "1-1"
        response = await post_form(client, f"{PAGE}/test")
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    notice = soup(response).select_one(".notice").get_text()
    assert "Please wait" in notice and "minutes" in notice
    assert receiver.count("phone") == 5


async def test_subscribing_is_rate_limited(client):
    await sign_in_as(client)
    for n in range(20):
        sub = subscription(f"https://push.example.net/send/{n % 5}")
        assert (await send_json(client, "POST", sub)).status_code == 201
    response = await send_json(client, "POST", subscription())
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Please wait" in response.json()["error"]


# ---- Whose device it is ---------------------------------------------------------------


async def test_a_stored_endpoint_is_not_moved_to_another_account(client):
    first = await sign_in_as(client)
    sub = subscription()
    assert (await send_json(client, "POST", sub)).status_code == 201
    stored = await PushSubscription.get()

    await sign_in_as(client)
    taken = await send_json(client, "POST", subscription(sub["endpoint"]))
    assert taken.status_code == 409
    assert set(taken.json()) == {"error", "resubscribe"} and taken.json()["resubscribe"]
    assert "Turn notifications off on this device, then on again." in taken.json()["error"]
    assert str(first.id) not in taken.text and "Chrome" not in taken.text
    row = await PushSubscription.get()
    assert str(row.account_id) == str(first.id)
    assert (row.p256dh, row.auth) == (stored.p256dh, stored.auth)
    assert "No devices have notifications" in soup(await client.get(PAGE)).get_text()


# ---- Keys -----------------------------------------------------------------------------


def off_curve_point() -> str:
    """A valid browser key with one bit of y flipped: 65 bytes, 0x04, and off the curve."""
    raw = bytearray(b64url_decode(subscription()["keys"]["p256dh"]))
    raw[-1] ^= 1
    return b64url(bytes(raw))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (lambda: {"p256dh": off_curve_point()}, "point on the P-256 curve"),
        (lambda: {"auth": b64url(b"x" * 15)}, "16 bytes, not 15"),
        (lambda: {"auth": b64url(b"x" * 17)}, "16 bytes, not 17"),
    ],
    ids=["off-curve", "auth-15", "auth-17"],
)
async def test_keys_that_cannot_encrypt_are_refused(client, keys, message):
    response = await send_json(client, "POST", subscription(**keys()))
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert await PushSubscription.all().count() == 0


async def test_a_bad_stored_row_does_not_stop_the_other_devices(client, settings):
    with PushService() as receiver:
        account, [good] = await reader(receiver, MORNING)
        await sign_in_as(client, account)
        await add_device_row(account, "http://127.0.0.1:9/push/bad-curve", p256dh=off_curve_point())
        await add_device_row(account, "http://127.0.0.1:9/push/garbage", p256dh="!!", auth="?")
        assert await press_test_button(client) == "1-3"
        assert await scheduler.tick(fast_sender(settings), DUE) == {"sent": 1}
    assert receiver.count(good) == 2
    assert (await ReminderOccurrence.get(account_id=account.id)).status == "sent"
    text = await devices_text(client)
    assert text.count(BAD_KEYS) == 2


async def test_one_device_raising_does_not_stop_the_others(client, settings, monkeypatch):
    with PushService() as receiver:
        account, [good, broken] = await reader(receiver, MORNING, devices=2)
        sender = fast_sender(settings)
        real_send = sender.send

        async def send(info, payload, topic):
            if info["endpoint"].endswith(broken):
                raise RuntimeError("boom")
            return await real_send(info, payload, topic)

        monkeypatch.setattr(sender, "send", send)
        assert await scheduler.tick(sender, DUE + timedelta(seconds=1)) == {"sent": 1}
    assert receiver.count(good) == 1
    send_row = await ReminderOccurrence.get(account_id=account.id)
    assert send_row.status == "sent" and send_row.detail == TROUBLE
    await sign_in_as(client, account)
    assert TROUBLE in await devices_text(client)
