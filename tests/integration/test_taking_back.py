"""Taking an account back shuts everyone else out: recovery (always) and "sign out everywhere"
(when its box is ticked) end every session, revoke every access token, replace the calendar
link and drop every push device, and the page says so."""

from __future__ import annotations

from server.reminders.models import PushSubscription, ReminderSettings
from tests.integration.push_receiver import Receiver
from tests.integration.support import (
    PASSPHRASE,
    claim,
    new_device,
    post_form,
    sign_in,
    soup,
    use_device,
)

NEW_PASSPHRASE = "a brand new morning walk"


async def _ways_in(client) -> dict:
    """Everything an intruder who had the passphrase for a while could have set up: a token,
    the calendar link, a push device, and a signed-in browser (this client's cookies)."""
    made = await post_form(client, "/account/tokens", {"name": "intruder", "expires": "never"})
    token = soup(made).select_one("#token-value").get_text(strip=True)
    await post_form(client, "/settings/reminders/calendar")
    html = soup(await client.get("/settings/reminders"))
    calendar = html.select_one("#calendar-url")["value"].removeprefix("http://127.0.0.1:8000")
    row = await ReminderSettings.get()
    device = Receiver().device()
    await PushSubscription.create(
        account_id=row.account_id,
        endpoint=device["endpoint"],
        p256dh=device["keys"]["p256dh"],
        auth=device["keys"]["auth"],
    )
    return {"token": token, "calendar": calendar}


async def _still_open(client, ways: dict, intruder_cookies) -> dict[str, bool]:
    """Which of the ways in still work, tried from outside (no cookies) and as the intruder."""
    saved = new_device(client)
    api = await client.get("/api/v1/progress", headers={"Authorization": f"Bearer {ways['token']}"})
    feed = await client.get(ways["calendar"])
    use_device(client, intruder_cookies)
    signed_in = "Signed in as" in (await client.get("/account")).text
    use_device(client, saved)
    return {
        "token": api.status_code == 200,
        "calendar": feed.status_code == 200,
        "devices": await PushSubscription.exists(),
        "session": signed_in,
    }


async def test_recovery_shuts_out_every_token_link_device_and_session(client):
    code = await claim(client, "robin")
    ways = await _ways_in(client)
    intruder = list(client.cookies.jar)
    before = await _still_open(client, ways, intruder)
    assert before == {"token": True, "calendar": True, "devices": True, "session": True}

    new_device(client)
    response = await post_form(
        client,
        "/account/recover",
        {"username": "robin", "recovery_code": code, "passphrase": NEW_PASSPHRASE},
    )
    assert response.status_code == 200, response.text
    said = [li.get_text(" ", strip=True) for li in soup(response).select("#shut-out li")]
    assert said == [
        "Your access token no longer works.",
        "Notifications are off on 1 device; turn them on again here in Reminders. "
        "Your calendar link is replaced; subscribe to the new one in Reminders.",
    ]
    after = await _still_open(client, ways, intruder)
    assert after == {"token": False, "calendar": False, "devices": False, "session": False}
    # The reader who took the account back has a new, working calendar link.
    html = soup(await client.get("/settings/reminders"))
    fresh = html.select_one("#calendar-url")["value"].removeprefix("http://127.0.0.1:8000")
    assert fresh != ways["calendar"] and (await client.get(fresh)).status_code == 200


async def test_sign_out_everywhere_shuts_the_rest_only_when_asked(client):
    await claim(client, "robin")
    ways = await _ways_in(client)
    other = list(client.cookies.jar)

    # Plain "sign out everywhere": every browser is signed out; tokens, link and devices stay.
    new_device(client)
    assert (await sign_in(client, "robin", PASSPHRASE)).status_code == 303
    plain = await post_form(client, "/account/sign-out-everywhere")
    assert plain.headers["location"] == "/account/sign-in?signed_out=everywhere"
    assert plain.headers["clear-site-data"] == '"cache", "storage"'
    left = await _still_open(client, ways, other)
    assert left == {"token": True, "calendar": True, "devices": True, "session": False}

    # With the box ticked, the rest goes too, and the sign-in page says what happened.
    assert (await sign_in(client, "robin", PASSPHRASE)).status_code == 303
    ticked = await post_form(client, "/account/sign-out-everywhere", {"also_revoke": "on"})
    assert ticked.headers["location"] == "/account/sign-in?signed_out=shut"
    notice = soup(await client.get(ticked.headers["location"])).select_one("[data-forget-private]")
    assert "Tools you connected no longer work" in notice.get_text()
    assert await _still_open(client, ways, other) == dict.fromkeys(
        ["token", "calendar", "devices", "session"], False
    )
