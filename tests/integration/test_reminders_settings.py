"""The reminder settings page, device registration, the calendar feed and the Home card."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from server.reminders import schedule
from server.reminders.models import PushSubscription, ReminderSettings
from tests.integration.push_receiver import PushService, b64url
from tests.integration.support import (
    REMINDERS_ON,
    chosen_zone,
    csrf_token,
    send_json,
    sign_in_as,
    soup,
    subscription,
)

PAGE = "/settings/reminders"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
)
GOOD = REMINDERS_ON


async def post_form(client, url, data=None):
    token = await csrf_token(client)
    return await client.post(
        url, data={**(data or {}), "_csrf_token": token}, follow_redirects=False
    )


async def test_settings_hub_links_to_reminders(client):
    html = soup(await client.get("/settings"))
    assert html.select_one(f'a[href="{PAGE}"]')


async def test_reminders_are_off_by_default_with_skipping_on(client):
    response = await client.get(PAGE)
    html = soup(response)
    assert len(html.select("h1")) == 1
    assert not html.select_one("#enabled").has_attr("checked")
    assert html.select_one("#skip_if_logged").has_attr("checked")
    assert html.select_one("#timezone")["data-autofill"] == "true"
    for field in ("enabled", "time_of_day", "timezone", "quiet_start", "quiet_end"):
        assert html.select_one(f'label[for="{field}"]'), field
    key = html.select_one("[data-vapid-key]")["data-vapid-key"]
    assert key == client.app.state.vapid_public_key
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4
    assert "Home Screen" in html.select_one("#devices-title").parent.get_text()


async def test_saving_creates_an_account_and_keeps_the_choices(client):
    response = await post_form(client, PAGE, GOOD)
    assert response.status_code == 303 and response.headers["location"] == f"{PAGE}?saved=1"
    assert "lifted_session" in response.headers.get("set-cookie", "")
    html = soup(await client.get(response.headers["location"]))
    assert "Saved." in html.select_one(".notice").get_text()
    assert html.select_one("#enabled").has_attr("checked")
    assert html.select_one("#time_of_day")["value"] == "19:30"
    assert [i["value"] for i in html.select("input[name=days][checked]")] == ["0", "2", "4"]
    assert chosen_zone(html) == "Europe/Paris"
    assert html.select_one("#timezone")["data-autofill"] == "false"
    assert html.select_one("#quiet_start")["value"] == "22:00"
    # No device yet: the page says where the reminder will (and won't) arrive.
    assert "your next reminder (" in html.select_one("#reach").get_text()
    row = await ReminderSettings.get()
    assert row.days == 0b10101 and row.timezone == "Europe/Paris"
    local = row.next_due_at.astimezone(schedule.ZoneInfo("Europe/Paris"))
    assert local.strftime("%H:%M") == "19:30" and local.weekday() in (0, 2, 4)
    assert row.next_due_at > datetime.now(UTC)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time_of_day": "25:00"}, "Please choose a time"),
        ({"days": []}, "at least one day"),
        ({"timezone": "Mars/Olympus"}, "don't know that time zone"),
        ({"timezone": "../../etc/passwd"}, "don't know that time zone"),
        ({"timezone": "localtime"}, "don't know that time zone"),
        ({"timezone": "Factory"}, "don't know that time zone"),
        ({"quiet_end": ""}, "both a start and an end"),
        ({"quiet_start": "7pm"}, "as times"),
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "different start and end"),
        ({"time_of_day": "23:00"}, "inside your quiet hours"),
    ],
)
async def test_bad_values_are_explained_and_kept(client, change, message):
    response = await post_form(client, PAGE, {**GOOD, **change})
    assert response.status_code == 422
    html = soup(response)
    assert message in html.select_one("[role=alert]").get_text()
    assert html.select_one(".field-error")
    # A zone that isn't one can't be chosen in the list: it asks for one again.
    assert chosen_zone(html) == ("" if "timezone" in change else "Europe/Paris")
    assert html.select_one("#enabled").has_attr("checked")
    # A time field keeps a time and drops anything else, which <input type=time> can't hold.
    for field in ("time_of_day", "quiet_start", "quiet_end"):
        typed = {**GOOD, **change}.get(field, "")
        kept = typed if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", typed) else ""
        assert html.select_one(f"#{field}")["value"] == kept, field
    assert await ReminderSettings.all().count() == 0


async def test_pause_shows_until_when_and_resume_ends_it(client):
    await post_form(client, PAGE, GOOD)
    before = (await ReminderSettings.get()).next_due_at
    response = await post_form(client, f"{PAGE}/pause", {"days": "3"})
    assert response.status_code == 303
    html = soup(await client.get(PAGE))
    assert html.select_one(".paused").get_text().startswith("Paused until ")
    row = await ReminderSettings.get()
    assert row.paused_until > datetime.now(UTC) + timedelta(days=2, hours=23)
    assert row.next_due_at >= row.paused_until > before
    await post_form(client, f"{PAGE}/resume")
    html = soup(await client.get(PAGE))
    assert html.select_one(".paused") is None
    assert [b["value"] for b in html.select("button[name=days]")] == ["1", "3", "7"]
    assert (await ReminderSettings.get()).next_due_at == before


async def test_pause_for_an_odd_number_of_days_is_ignored(client):
    await post_form(client, PAGE, GOOD)
    await post_form(client, f"{PAGE}/pause", {"days": "30"})
    assert (await ReminderSettings.get()).paused_until is None


async def test_a_device_subscribes_and_is_listed(client):
    response = await send_json(client, "POST", subscription(), **{"user-agent": ANDROID})
    assert response.status_code == 201, response.text
    html = soup(await client.get(PAGE))
    [device] = html.select(".device")
    assert "Chrome on Android" in device.get_text()
    assert "Nothing delivered yet" in device.get_text()
    # The same endpoint posted again (renewed keys, a re-check on load) stays one device.
    renewed = subscription()
    await send_json(client, "POST", renewed, **{"user-agent": ANDROID})
    [row] = await PushSubscription.all()
    assert row.p256dh == renewed["keys"]["p256dh"]


async def test_a_device_can_be_removed_by_endpoint(client):
    sub = subscription()
    await send_json(client, "POST", sub)
    response = await send_json(client, "DELETE", {"endpoint": sub["endpoint"]})
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert await PushSubscription.all().count() == 0
    again = await send_json(client, "DELETE", {"endpoint": sub["endpoint"]})
    assert again.status_code == 404 and "error" in again.json()


async def test_another_accounts_device_is_not_removable(client):
    sub = subscription()
    await sign_in_as(client)
    await send_json(client, "POST", sub)
    device = await PushSubscription.get()
    await sign_in_as(client)
    response = await send_json(client, "DELETE", {"endpoint": sub["endpoint"]})
    assert response.status_code == 404
    remove = await post_form(client, f"{PAGE}/devices/{device.id}/remove")
    assert remove.status_code == 404
    assert await PushSubscription.all().count() == 1


def _bad(**keys):
    sub = subscription()
    sub["keys"].update(keys)
    return sub


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "must be JSON"),
        (b"[1, 2]", "JSON object"),
        ({"keys": {}}, "endpoint is missing"),
        (subscription("ftp://push.example.net/x"), "https://"),
        (subscription("https://push.example.net/" + "a" * 1000), "longer than 1000"),
        ({"endpoint": "https://push.example.net/x"}, "keys is missing"),
        (_bad(p256dh="!!!"), "base64url"),
        (_bad(p256dh=b64url(b"\x04" + b"1" * 30)), "65 bytes"),
        (_bad(p256dh=b64url(b"\x02" + b"1" * 64)), "uncompressed"),
        (_bad(auth=b64url(b"short")), "16 bytes"),
        (_bad(auth=None), "base64url"),
    ],
)
async def test_bad_subscriptions_get_a_clear_4xx(client, body, message):
    response = await send_json(client, "POST", body)
    assert 400 <= response.status_code < 500
    assert message in response.json()["error"]
    assert await PushSubscription.all().count() == 0


async def test_http_endpoints_need_the_testing_setting(database_url, data_dir):
    from server.app import create_app
    from tests.integration.app_client import AppClient
    from tests.integration.conftest import make_settings

    settings = make_settings(database_url, data_dir, LIFTED_PUSH_ALLOW_HTTP="false")
    async with AppClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        response = await send_json(client, "POST", subscription("http://push.example.net/x"))
        assert response.status_code == 422 and "https://" in response.json()["error"]


async def test_subscribing_needs_the_csrf_header(client):
    await client.get("/")
    response = await client.post(
        "/reminders/subscription",
        content=json.dumps(subscription()),
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    assert response.status_code == 403
    assert await PushSubscription.all().count() == 0


async def test_the_test_button_reports_what_arrived(client):
    with PushService() as receiver:
        await send_json(client, "POST", receiver.device("phone"), **{"user-agent": ANDROID})
        await send_json(client, "POST", receiver.device("laptop"))
        receiver.script["laptop"] = [403]
        response = await post_form(client, f"{PAGE}/test")
        assert response.status_code == 303
        html = soup(await client.get(response.headers["location"]))
    assert "A test reminder went to 1 of 2 devices." in html.select_one(".notice").get_text()
    [delivery] = receiver.for_device("phone")
    shown = delivery.payload["notification"]
    assert shown["navigate"].endswith("/#log") and shown["title"]
    # A test logs nothing and leaves no badge: no "I did one", no app_badge.
    assert "actions" not in shown and "app_badge" not in delivery.payload
    text = " ".join(d.get_text(" ", strip=True) for d in html.select(".device"))
    assert "Last delivered" in text
    assert "The last reminder didn't arrive. The push service refused this reminder." in text


async def test_the_test_button_without_devices_says_so(client):
    await post_form(client, PAGE, GOOD)
    response = await post_form(client, f"{PAGE}/test")
    html = soup(await client.get(response.headers["location"]))
    assert "no devices" in html.select_one(".notice").get_text()
