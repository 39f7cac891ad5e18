"""The reminder page in Chromium: "off" is visible at a glance, and turning notifications on
never hangs on "Turning on notifications…" when the browser's push service doesn't answer."""

from __future__ import annotations

from playwright.sync_api import expect

PAGE = "/settings/reminders"
# A push service that never answers: the browser's subscribe() stays pending for ever.
SILENT_PUSH_SERVICE = "PushManager.prototype.subscribe = () => new Promise(() => {});"


def test_reminders_off_are_shown_at_rest_and_come_alive_when_turned_on(page, live_server):
    page.goto(live_server.url + PAGE)
    note = page.locator(".off-note")
    day = page.locator("label[for=day-0]")
    expect(note).to_be_visible()
    assert day.evaluate("(label) => getComputedStyle(label).borderStyle") == "dashed"
    page.get_by_label("Send me a gentle reminder").check()
    expect(note).to_be_hidden()
    assert day.evaluate("(label) => getComputedStyle(label).borderStyle") == "solid"


def test_turning_on_notifications_gives_up_in_plain_words_when_nothing_answers(
    page, context, live_server
):
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(SILENT_PUSH_SERVICE)
    page.clock.install()
    page.goto(live_server.url + PAGE)
    button = page.get_by_role("button", name="Turn on notifications on this device")
    button.click()
    status = page.locator("[data-push-status]")
    expect(status).to_have_text("Turning on notifications…")
    page.clock.run_for(19_000)
    expect(status).to_have_text("Turning on notifications…")
    page.clock.run_for(2_000)
    expect(status).to_contain_text("Notifications could not be turned on.")
    expect(status).to_contain_text("didn't answer in time")
    expect(button).to_be_enabled()
