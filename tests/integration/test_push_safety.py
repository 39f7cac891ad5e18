"""Web Push never reaches inside: endpoints are checked when a browser subscribes and again at
every send, against the address actually connected to; redirects are never followed; readers
see plain sentences; devices, test pushes and subscribes are bounded; a bad device can't spoil
the others'."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests.adapters

from server.reminders import scheduler, service
from server.reminders.models import PushSubscription, ReminderSend
from server.reminders.vapid import b64url_decode
from tests.integration.app_client import AppClient
from tests.integration.conftest import clear_tables, make_settings
from tests.integration.push_receiver import PushService, b64url
from tests.integration.support import (
    PUBLIC_ADDRESS,
    Listener,
    fast_sender,
    post_form,
    reader,
    send_json,
    sign_in_as,
    soup,
    subscription,
    tls_server,
)

PAGE = "/settings/reminders"
NO_ANSWER = "The push service didn't answer."
REFUSED = "The push service refused this reminder."
NOT_ALLOWED = "This device's push address isn't one Lifted can send to."
BAD_KEYS = "This device's notification keys don't work."
TROUBLE = "Something went wrong sending to this device."
# What must never reach a page: exception names, "host:port", dotted or bracketed addresses.
LEAKS = re.compile(r"Error|Exception|Timeout|[A-Za-z\]]:\d+|\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]")
MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def strict_settings(database_url, data_dir):
    """Production's rules: LIFTED_PUSH_ALLOW_HTTP off, so no http and no loopback."""
    return make_settings(database_url, data_dir, LIFTED_PUSH_ALLOW_HTTP="false")


@pytest.fixture
async def strict(strict_settings):
    from server.app import create_app

    async with AppClient(create_app(strict_settings), base_url="http://127.0.0.1:8000") as client:
        await clear_tables()
        yield client


async def devices_text(client) -> str:
    html = soup(await client.get(PAGE))
    return " ".join(d.get_text(" ", strip=True) for d in html.select(".device"))


async def test_result(client) -> str:
    response = await post_form(client, f"{PAGE}/test")
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("test=", 1)[1]


def add_row(account, endpoint: str, **keys) -> PushSubscription:
    """A device stored directly, as a row written before these checks would be."""
    sub = subscription(endpoint, **keys)
    return PushSubscription.create(
        account_id=account.id,
        endpoint=endpoint,
        p256dh=sub["keys"]["p256dh"],
        auth=sub["keys"]["auth"],
        label="Old row",
    )


# ---- What subscribing accepts ---------------------------------------------------------

REFUSED_ENDPOINTS = [
    "http://push.example.net/send/x",  # plain http
    "https://push.example.net:8443/send/x",  # not port 443
    "https://user:secret@push.example.net/send/x",  # user:password
    "https://push.example.net@127.0.0.1/send/x",
    "https://127.0.0.1/send/x",
    "https://127.0.0.1:443/send/x",
    "https://localhost/send/x",
    "https://push.localhost/send/x",
    "https://10.0.0.1/send/x",
    "https://172.16.5.4/send/x",
    "https://192.168.1.1/send/x",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/send/x",  # carrier-grade NAT
    "https://0.0.0.0/send/x",
    "https://224.0.0.1/send/x",  # multicast
    "https://255.255.255.255/send/x",
    "https://240.0.0.1/send/x",  # reserved
    "https://192.0.2.10/send/x",  # documentation
    "https://198.18.0.1/send/x",  # benchmarking
    "https://[::1]/send/x",
    "https://[::]/send/x",
    "https://[fc00::1]/send/x",
    "https://[fd12:3456::1]/send/x",
    "https://[fe80::1]/send/x",
    "https://[fe80::1%25eth0]/send/x",
    "https://[ff02::1]/send/x",
    "https://[::ffff:127.0.0.1]/send/x",  # IPv4-mapped
    "https://[::ffff:a9fe:a9fe]/send/x",
    "https://[::127.0.0.1]/send/x",  # IPv4-compatible
    "https://[64:ff9b::a00:1]/send/x",  # NAT64 of 10.0.0.1
    "https://[2002:7f00:1::1]/send/x",  # 6to4 of 127.0.0.1
    "https://[2001:db8::1]/send/x",  # documentation
    "https://[2001::1]/send/x",  # Teredo
    "https://2130706433/send/x",  # 127.0.0.1 as one number
    "https://0x7f.1/send/x",
    "https://0x7f000001/send/x",
    "https://0177.0.0.1/send/x",  # octal
    "https://017.0.0.1/send/x",
    "https://127.1/send/x",
    "https://push/send/x",  # one label: the server's own search domains
    "https://internal.example.net/send/x",  # resolves to a private address
    "https://metadata.example.net/latest",  # resolves to the metadata address
    "https://mixed.example.net/send/x",  # one public and one loopback answer
    "https://nowhere.example.net/send/x",  # doesn't resolve
    "https://[::1/send/x",
    "https://push.example.net:99999/send/x",
    "https://push.example.net\\@127.0.0.1/send/x",
    "https://push.exa mple.net/send/x",
    "https://push.example.net/send/\u00e9",
]


def private_names(dns) -> None:
    dns.names["internal.example.net"] = ["10.1.2.3"]
    dns.names["metadata.example.net"] = ["169.254.169.254"]
    dns.names["mixed.example.net"] = [PUBLIC_ADDRESS, "127.0.0.1"]


@pytest.mark.parametrize("endpoint", REFUSED_ENDPOINTS)
async def test_subscribing_refuses_what_is_not_a_public_push_service(strict, dns, endpoint):
    private_names(dns)
    response = await send_json(strict, "POST", subscription(endpoint))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error in ("endpoint must be an https:// address.", PLAIN_REFUSAL)
    assert await PushSubscription.all().count() == 0
    assert dns.connections == []


PLAIN_REFUSAL = "endpoint is not a push service Lifted can send to."


async def test_a_public_push_service_is_accepted(strict, dns):
    dns.names["fcm.example.net"] = [PUBLIC_ADDRESS, "2001:4860:4860::8888"]
    for endpoint in ("https://fcm.example.net/send/a", "https://fcm.example.net:443/send/b"):
        response = await send_json(strict, "POST", subscription(endpoint))
        assert response.status_code == 201, response.text
    assert await PushSubscription.all().count() == 2
    assert dns.connections == []  # subscribing resolves; it never connects


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://10.0.0.1:8080/send/x",
        "http://169.254.169.254/latest",
        "https://[fd00::1]/send/x",
        "http://internal.example.net/send/x",
        "https://2130706433/send/x",
    ],
)
async def test_the_testing_setting_opens_loopback_only(client, dns, endpoint):
    private_names(dns)
    response = await send_json(client, "POST", subscription(endpoint))
    assert response.status_code == 422 and response.json()["error"] == PLAIN_REFUSAL
    loopback = await send_json(client, "POST", subscription("http://127.0.0.1:9/send/x"))
    assert loopback.status_code == 201


async def test_unsubscribing_checks_the_endpoint_the_same_way(strict):
    for body in (
        {"endpoint": "https://[::1"},
        {"endpoint": "https://push.example.net:99999/x"},
        {"endpoint": "http://127.0.0.1:8000/x"},
        {"endpoint": ["not", "text"]},
        {"endpoint": "https://push.example.net/\ud800"},
    ):
        response = await send_json(strict, "DELETE", body)
        assert response.status_code == 422, (body, response.text)
        assert "error" in response.json()


# ---- What sending connects to ---------------------------------------------------------


async def test_dns_rebinding_after_subscribing_is_refused_at_send(client, settings, dns):
    dns.names["push.rebind.example"] = [PUBLIC_ADDRESS]
    account = await sign_in_as(client)
    response = await send_json(client, "POST", subscription("https://push.rebind.example/s/x"))
    assert response.status_code == 201
    await service.save_settings(
        account, service.SettingsView(enabled=True, time_of_day="09:00"), MORNING
    )
    dns.names["push.rebind.example"] = [PUBLIC_ADDRESS, "10.0.0.7"]

    assert await test_result(client) == "0-1"
    assert await scheduler.tick(fast_sender(settings), DUE) == {"failed": 1}
    assert dns.connections == []
    [send] = await ReminderSend.filter(account_id=account.id)
    assert send.status == "failed" and send.detail.startswith(NOT_ALLOWED)
    assert NOT_ALLOWED in await devices_text(client)


async def test_a_push_connects_to_the_checked_address_under_its_own_name(client, dns):
    dns.names["push.pinned.test"] = ["127.0.0.1"]
    with PushService(host="push.pinned.test") as receiver:
        response = await send_json(client, "POST", receiver.device("phone"))
        assert response.status_code == 201, response.text
        assert await test_result(client) == "1-1"
    [delivery] = receiver.for_device("phone")
    port = receiver.origin.rsplit(":", 1)[1]
    assert delivery.headers["host"] == f"push.pinned.test:{port}"
    assert delivery.claims["aud"] == f"http://push.pinned.test:{port}"
    assert dns.connections == [("127.0.0.1", int(port))]


async def test_tls_is_verified_against_the_name_not_the_address(
    client, settings, dns, tmp_path, monkeypatch
):
    client.app.state.push_sender = fast_sender(settings)
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    context, ca = tls_server(good, "push.tls.test")
    wrong, wrong_ca = tls_server(bad, "someone-else.test")
    dns.names["push.tls.test"] = ["127.0.0.1"]
    dns.names["push.wrong.test"] = ["127.0.0.1"]
    # Trust both test CAs, so only the name on the certificate can fail the second push.
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(ca + wrong_ca)
    monkeypatch.setattr(requests.adapters, "DEFAULT_CA_BUNDLE_PATH", str(bundle))
    with (
        PushService(host="push.tls.test", tls=context) as receiver,
        PushService(host="push.wrong.test", tls=wrong) as impostor,
    ):
        await send_json(client, "POST", receiver.device("phone"))
        await send_json(client, "POST", impostor.device("laptop"))
        assert await test_result(client) == "1-2"
    assert receiver.count("phone") == 1 and impostor.deliveries == []
    assert NO_ANSWER in await devices_text(client)


async def test_loopback_rows_are_never_connected_to_without_the_testing_setting(
    strict, strict_settings, dns
):
    dns.names["loop.example.net"] = ["127.0.0.1"]
    account = await sign_in_as(strict)
    await service.save_settings(
        account, service.SettingsView(enabled=True, time_of_day="09:00"), MORNING
    )
    with Listener() as listener:
        for endpoint in (
            f"http://127.0.0.1:{listener.port}/push/a",
            f"https://127.0.0.1:{listener.port}/push/b",
            f"https://[::ffff:127.0.0.1]:{listener.port}/push/c",
            "https://loop.example.net/push/d",
        ):
            await add_row(account, endpoint)
        assert await test_result(strict) == "0-4"
        sender = scheduler.make_sender(strict_settings, retry_delays=(0.01, 0.02))
        assert await scheduler.tick(sender, DUE) == {"failed": 1}
    assert listener.accepted == 0
    assert dns.connections == []
    assert (await ReminderSend.get(account_id=account.id)).status == "failed"


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirects_are_never_followed(client, status):
    with Listener() as elsewhere, PushService() as receiver:
        await send_json(client, "POST", receiver.device("phone"))
        location = f"http://127.0.0.1:{elsewhere.port}/push/phone"
        receiver.script["phone"] = [(status, {"Location": location})]
        assert await test_result(client) == "0-1"
        assert receiver.attempts["phone"] == 1  # not retried either
    assert elsewhere.accepted == 0
    assert f"Last problem: {REFUSED}" in await devices_text(client)


async def test_readers_see_plain_sentences_only(client, settings):
    account = await sign_in_as(client)
    with Listener() as closed:
        port = closed.port
    # Nothing listens there now: the connection is refused.
    await add_row(account, f"http://127.0.0.1:{port}/push/gone-quiet")
    old = await add_row(account, f"http://127.0.0.1:{port}/push/old")
    client.app.state.push_sender = fast_sender(settings)
    assert await test_result(client) == "0-2"
    text = await devices_text(client)
    assert f"Last problem: {NO_ANSWER}" in text
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
            assert await test_result(client) == "1-1"
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
    assert set(taken.json()) == {"error"}
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
        await add_row(account, "http://127.0.0.1:9/push/bad-curve", p256dh=off_curve_point())
        await add_row(account, "http://127.0.0.1:9/push/garbage", p256dh="!!", auth="?")
        assert await test_result(client) == "1-3"
        assert await scheduler.tick(fast_sender(settings), DUE) == {"sent": 1}
    assert receiver.count(good) == 2
    assert (await ReminderSend.get(account_id=account.id)).status == "sent"
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
    send_row = await ReminderSend.get(account_id=account.id)
    assert send_row.status == "sent" and send_row.detail == TROUBLE
    await sign_in_as(client, account)
    assert TROUBLE in await devices_text(client)
