"""The reminder page tells the truth: it promises a reminder only where one can arrive, offers
the test only when a device can receive it, and shows a device its push service has ended (or
that keeps failing) as gone, with the fix, instead of dropping it unseen."""

from __future__ import annotations

from server.reminders import push, service
from server.reminders.models import PushSubscription
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    REMINDERS_ON,
    add_device_row,
    fast_sender,
    post_form,
    press_test_button,
    send_json,
    sign_in_as,
    soup,
)

PAGE = "/settings/reminders"
TEST_BUTTON = "Send a test reminder"


async def page(client):
    html = soup(await client.get(PAGE))
    reach = html.select_one("#reach")
    buttons = [b.get_text(strip=True) for b in html.select("button")]
    return (reach.get_text(" ", strip=True) if reach else None), buttons, html


async def test_with_no_device_the_page_says_nothing_will_arrive_and_how_to_fix_it(client):
    await post_form(client, PAGE, REMINDERS_ON)
    reach, buttons, html = await page(client)
    assert reach.startswith("Nothing will arrive on its own yet.")
    assert "only show as a card on Today" in reach
    steps = [a["href"] for a in html.select("#reach a")]
    assert steps == ["#devices-title", "#calendar-title"]
    assert html.select_one("#devices-title") and html.select_one("#calendar-title")
    assert TEST_BUTTON not in buttons

    # A calendar link reaches the reader without any device.
    await post_form(client, f"{PAGE}/calendar")
    reach, buttons, html = await page(client)
    assert "in your calendar and on Today" in reach and "nothing will pop up" in reach
    assert [a["href"] for a in html.select("#reach a")] == ["#devices-title"]

    # A device that can receive it: the plain promise, and the test button.
    with PushService() as receiver:
        assert (await send_json(client, "POST", receiver.device("phone"))).status_code < 300
        reach, buttons, html = await page(client)
    assert reach.startswith("Your next reminder: ")
    assert reach.endswith(", on 1 device, in your calendar and on Today.")
    assert TEST_BUTTON in buttons
    # The time is a clock the page shows in the reader's 12/24-hour habit, as the field.
    [clock] = html.select("#reach time.clock")
    assert clock["datetime"] == clock.get_text() == "19:30"


async def test_reminders_off_promise_nothing(client):
    await post_form(client, PAGE, {**REMINDERS_ON, "enabled": ""})
    reach, _, html = await page(client)
    assert reach is None and "Your next reminder" not in html.get_text()
    # The fields stay (choices are kept); the form says what "off" means.
    assert html.select_one(".reminder-fields #time_of_day")["value"] == "19:30"
    assert "Off: nothing is sent" in html.select_one(".off-note").get_text()


async def test_an_ended_device_is_shown_as_gone_with_its_fix_until_it_subscribes_again(
    client, settings
):
    await post_form(client, PAGE, REMINDERS_ON)
    with PushService() as receiver:
        phone = receiver.device("phone")
        await send_json(client, "POST", phone)
        receiver.script["phone"] = [410]
        client.app.state.push_sender = fast_sender(settings)
        assert await press_test_button(client) == "0-1"
        reach, buttons, html = await page(client)
        [device] = html.select(".device")
        text = device.get_text(" ", strip=True)
        assert "is-gone" in device["class"]
        assert "Not receiving reminders since" in text and push.ENDED in text
        assert "turn notifications on again" in text
        assert "Remove this device" in buttons and TEST_BUTTON not in buttons
        assert reach.startswith("Nothing will arrive on its own yet.")
        # Nothing more is sent to it.
        assert await press_test_button(client) == "0-0"
        assert receiver.attempts["phone"] == 1

        # Turning notifications on again on that device (the same subscription) is the fix.
        await send_json(client, "POST", phone)
        reach, buttons, html = await page(client)
        assert not html.select(".device.is-gone") and TEST_BUTTON in buttons
        assert await press_test_button(client) == "1-1"


async def test_gone_devices_make_room_for_a_new_one(client):
    account = await sign_in_as(client)
    rows = [
        await add_device_row(account, f"https://push.example.net/send/{n}")
        for n in range(service.MAX_DEVICES)
    ]
    await PushSubscription.filter(id=rows[0].id).update(gone_at=rows[0].created_at)
    with PushService() as receiver:
        saved = await send_json(client, "POST", receiver.device("new"))
    assert saved.status_code < 300, saved.text
    left = await PushSubscription.filter(account_id=account.id).count()
    assert left == service.MAX_DEVICES
    assert not await PushSubscription.filter(id=rows[0].id).exists()
