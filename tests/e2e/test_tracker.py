"""The tap in real Chromium: instant feedback, offline taps kept and sent, undo, no JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_service_worker, wait_until
from tests.e2e.taps import (
    BUTTON,  # noqa: F401 - other browser tests import it from here
    OUTBOX_COUNT,
    badge,
    counter,
    export,
    tap,
    tap_button,
    tapped_now,
)

# Clicks the button and reads the counter in the same task, before any storage, network or
# timer could have answered: feedback that waited for any of them would still show the old text.
SAME_TASK_TAP = """() => {
  const counter = document.querySelector("[data-tap-count]");
  const before = counter.textContent;
  document.querySelector(".tap-button").click();
  return [before, counter.textContent];
}"""


def test_offline_taps_survive_a_reload_and_are_sent_once(page, context, live_server):
    statuses: list[tuple[int, str]] = []
    context.on("response", lambda r: statuses.append((r.status, r.url)))
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)

    tap(page)
    expect(counter(page)).to_have_text("1 act of kindness today")
    expect(page.get_by_role("button", name="Undo")).to_be_visible()

    context.set_offline(True)
    # Feedback does not wait for the network, nor for storage: the counter moves at once.
    page.wait_for_timeout(1100)  # not a double tap
    assert page.evaluate(SAME_TASK_TAP) == ["1 act of kindness today", "2 acts of kindness today"]
    tapped_now(page)
    for _ in range(4):
        tap(page)
    expect(counter(page)).to_have_text("6 acts of kindness today")
    expect(badge(page)).to_have_text("5 waiting to sync")
    expect(page.locator(".tap-confirmation")).to_contain_text("Saved on this phone")

    page.reload()  # served by the service worker from its cache
    expect(badge(page)).to_have_text("5 waiting to sync")
    tap(page)
    tap(page)
    expect(badge(page)).to_have_text("7 waiting to sync")
    assert page.evaluate(OUTBOX_COUNT) == 7

    context.set_offline(False)
    # Replay starts on the `online` event; wait for the outbox to empty rather than sleeping.
    wait_until(page, f"async () => (await ({OUTBOX_COUNT})()) === 0")
    # The badge says they arrived, for a few seconds, then steps aside.
    expect(badge(page)).to_have_text("Your 7 acts are saved.")
    expect(badge(page)).to_have_text("", timeout=10000)
    expect(counter(page)).to_have_text("8 acts of kindness today")

    acts = export(page, live_server)
    assert len(acts) == 8
    assert len({act["id"] for act in acts}) == 8
    assert [s for s in statuses if s[0] >= 500] == []


def test_undo_takes_the_act_back(page, live_server):
    page.goto(live_server.url + "/")
    tap(page)
    expect(counter(page)).to_have_text("1 act of kindness today")
    page.evaluate("window.stillHere = true")
    with page.expect_request(lambda request: request.url.endswith("/delete")) as undo:
        page.get_by_role("button", name="Undo").click()
    expect(page.locator(".tap-confirmation")).to_have_text("Removed. No harm done.")
    expect(counter(page)).to_have_text("Nothing logged yet today, and that's okay")
    assert export(page, live_server) == []
    # Sent by tap.js with the CSRF header it takes from <body data-hx-headers>, asking for the
    # tap area's part, and swapped in place rather than reloading the page.
    assert undo.value.headers.get("hx-request") == "true"
    assert undo.value.headers.get("x-csrftoken")
    assert page.evaluate("window.stillHere") is True
    # The pressed Undo is gone: keyboard focus went back to the button, not to the page's top.
    expect(tap_button(page)).to_be_focused()


def test_the_tap_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        tap_button(page).click()
        expect(page).to_have_url(re.compile(r"/\?logged=[0-9a-f-]{36}#log$"))
        expect(counter(page)).to_have_text("1 act of kindness today")
        expect(page.locator(".tap-confirmation")).not_to_be_empty()
        page.get_by_role("link", name="Another idea").click()
        expect(page).to_have_url(re.compile(r"/\?idea=\d+#idea-card$"))
        assert len(export(page, live_server)) == 1
    finally:
        context.close()
