"""Web Push never reaches inside: endpoints are checked when a browser subscribes and again at
every send, against the address actually connected to; redirects are never followed; no answer
holds a push past its deadline."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from datetime import UTC, datetime

import pytest
import requests.adapters

from server.reminders import scheduler, service
from server.reminders.models import PushSubscription, ReminderOccurrence
from tests.integration.app_client import AppClient
from tests.integration.conftest import clear_tables, make_settings
from tests.integration.network import PUBLIC_ADDRESS, Listener, tls_server
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    add_device_row,
    devices_text,
    fast_sender,
    press_test_button,
    send_json,
    sign_in_as,
    subscription,
)

NO_ANSWER = "The push service didn't answer."
REFUSED = "The push service refused this reminder."
NOT_ALLOWED = "This device's push address isn't one Lifted can send to."
PLAIN_REFUSAL = "endpoint is not a push service Lifted can send to."
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

    assert await press_test_button(client) == "0-1"
    assert await scheduler.tick(fast_sender(settings), DUE) == {"failed": 1}
    assert dns.connections == []
    [send] = await ReminderOccurrence.filter(account_id=account.id)
    assert send.status == "failed" and send.detail.startswith(NOT_ALLOWED)
    assert NOT_ALLOWED in await devices_text(client)


async def test_a_push_connects_to_the_checked_address_under_its_own_name(client, dns):
    dns.names["push.pinned.test"] = ["127.0.0.1"]
    with PushService(host="push.pinned.test") as receiver:
        response = await send_json(client, "POST", receiver.device("phone"))
        assert response.status_code == 201, response.text
        assert await press_test_button(client) == "1-1"
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
        assert await press_test_button(client) == "1-2"
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
            await add_device_row(account, endpoint)
        assert await press_test_button(strict) == "0-4"
        sender = scheduler.make_sender(strict_settings, retry_delays=(0.01, 0.02))
        assert await scheduler.tick(sender, DUE) == {"failed": 1}
    assert listener.accepted == 0
    assert dns.connections == []
    assert (await ReminderOccurrence.get(account_id=account.id)).status == "failed"


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirects_are_never_followed(client, status):
    with Listener() as elsewhere, PushService() as receiver:
        await send_json(client, "POST", receiver.device("phone"))
        location = f"http://127.0.0.1:{elsewhere.port}/push/phone"
        receiver.script["phone"] = [(status, {"Location": location})]
        assert await press_test_button(client) == "0-1"
        assert receiver.attempts["phone"] == 1  # not retried either
    assert elsewhere.accepted == 0
    assert f"The last reminder didn't arrive. {REFUSED}" in await devices_text(client)


# ---- Time ------------------------------------------------------------------------------


class Dripper:
    """A push service that answers one byte of header every 50 ms (for 10 s, so a broken
    deadline fails this test instead of hanging it): no single read ever times out. Records
    when the client's side went away."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.origin = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.gone_at: float | None = None
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.socket.accept()
        try:
            conn.sendall(b"HTTP/1.1 201 Created\r\nX-Slow: ")
            until = time.monotonic() + 10
            while time.monotonic() < until:
                conn.sendall(b"a")
                time.sleep(0.05)
        except OSError:
            self.gone_at = time.monotonic()
        finally:
            conn.close()
            self.socket.close()


async def test_a_push_service_that_drips_is_cut_off_at_the_deadline(settings):
    dripper = Dripper()
    sender = scheduler.make_sender(settings, retry_delays=(), timeout=0.5)
    started = time.monotonic()
    outcome = await sender.send(subscription(f"{dripper.origin}/push/x"), "{}", "t")
    assert outcome.detail == NO_ANSWER
    # The drip lasts 10 s: well under that means the deadline (0.5 s) cut it, with room for a
    # busy machine.
    assert time.monotonic() - started < 5
    # The request in flight was ended, not left to drip on in a worker thread.
    for _ in range(100):
        if dripper.gone_at is not None:
            break
        await asyncio.sleep(0.05)
    assert dripper.gone_at is not None and dripper.gone_at - started < 5
