"""A push reaches the real service worker in Chromium, shows a notification, and its click
leads to the tap screen."""

from __future__ import annotations

import json

from tests.e2e.conftest import wait_for_service_worker, wait_until
from tests.e2e.push_fakes import (
    FAKE_PUSH_MANAGER,
    NOTIFICATIONS,
    owners,
    push,
    registration_id,
    wait_for_notification,
    worker_of,
)


def test_a_push_shows_the_reminder_and_its_click_opens_the_tap_screen(page, context, live_server):
    origin = live_server.url
    context.grant_permissions(["notifications"], origin=origin)
    page.goto(origin + "/settings/reminders")
    wait_for_service_worker(page)
    registration = registration_id(page, context, origin)

    payload = {
        "title": "A small idea",
        "body": "If it feels right today: say thank you.",
        "url": "/#log",
        "tag": "lifted-reminder",
    }
    push(page, origin, registration, json.dumps(payload))
    [shown] = wait_for_notification(page)
    assert shown["title"] == "A small idea"
    assert shown["body"] == "If it feels right today: say thank you."
    assert shown["data"] == {"url": "/#log", "discreet": False}
    assert shown["icon"].endswith("/static/icons/icon-192.png")

    # The click handler's work, called in the service worker itself: the open window goes to
    # the tap screen. (No protocol command clicks a native notification.)
    worker_of(context).evaluate("openTapScreen(undefined)")
    page.wait_for_url(origin + "/#log")


def test_an_unreadable_push_still_shows_a_gentle_notification(page, context, live_server):
    origin = live_server.url
    context.grant_permissions(["notifications"], origin=origin)
    page.goto(origin + "/settings/reminders")
    wait_for_service_worker(page)
    registration = registration_id(page, context, origin)
    push(page, origin, registration, "not json at all")
    [shown] = wait_for_notification(page)
    assert shown["title"] == "A gentle nudge"
    assert "brighten" in shown["body"] and shown["data"]["url"] == "/#log"

    # A newer reminder with the same tag replaces the one on screen.
    push(
        page,
        origin,
        registration,
        json.dumps({"title": "Newer", "body": "b", "tag": "lifted-reminder"}),
    )
    wait_until(page, f"async () => (await ({NOTIFICATIONS})()).some((n) => n.title === 'Newer')")
    assert [n["title"] for n in page.evaluate(NOTIFICATIONS)] == ["Newer"]


def test_the_click_only_follows_our_own_urls(page, context, live_server):
    origin = live_server.url
    page.goto(origin + "/settings/reminders")
    wait_for_service_worker(page)
    worker_of(context).evaluate("openTapScreen('https://elsewhere.example/phish')")
    page.wait_for_url(origin + "/#log")


def test_settings_page_fills_the_time_zone_and_offers_notifications(page, live_server):
    page.goto(live_server.url + "/settings/reminders")
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert page.locator("#timezone").input_value() == zone
    assert page.get_by_role("button", name="Turn on notifications on this device").is_visible()
    assert not page.get_by_role("button", name="Turn off notifications on this device").is_visible()
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []


def test_a_subscription_kept_for_another_sign_in_is_replaced_by_a_new_one(
    page, context, live_server
):
    from tests.integration.support import subscription

    keys = subscription()["keys"]
    origin = live_server.url
    context.grant_permissions(["notifications"], origin=origin)
    context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(keys))
    page.goto(origin + "/settings/reminders")
    wait_for_service_worker(page)
    page.get_by_role("button", name="Turn on notifications on this device").click()
    page.wait_for_url("**/settings/reminders?device=on")
    first = page.evaluate("localStorage.getItem('test.push-endpoint')")

    # Someone else signs in on this browser, and the page no longer remembers what it posted:
    # the server keeps the first device with its account, and asks for a new subscription.
    context.clear_cookies()
    page.evaluate("localStorage.removeItem('lifted.push-subscription')")
    page.goto(origin + "/settings/reminders")
    page.get_by_text("Notifications are on for this device.").wait_for()
    second = page.evaluate("localStorage.getItem('test.push-endpoint')")
    assert second and second != first
    found = owners(live_server, {first, second})
    assert set(found) == {first, second} and found[first] != found[second]
    page.reload()
    assert page.locator(".device").count() == 1
