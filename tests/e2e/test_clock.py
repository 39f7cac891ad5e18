"""Times of day read in the reader's own habit: on a phone set to 12-hour time the reminder
summary, the history and an act's page say "7:30 PM", as the time field does; set to 24-hour,
"19:30". (The server writes 24-hour inside <time class="clock">; app.js rewrites it.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.taps import export, tap

HABITS = {"en-US": re.compile(r"^7:30\sPM$"), "en-GB": re.compile(r"^19:30$")}
ANY_TIME = {"en-US": re.compile(r"^1?\d:\d\d\s[AP]M$"), "en-GB": re.compile(r"^\d\d:\d\d$")}


@pytest.mark.parametrize("locale", HABITS)
def test_times_read_in_the_readers_12_or_24_hour_habit(browser, live_server, locale):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale=locale, timezone_id="Europe/London"
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/settings/reminders")
        page.get_by_label("Send me a gentle reminder").check()
        page.get_by_label("Time of day").fill("19:30")
        page.get_by_role("button", name="Save reminders").click()
        summary = page.locator("#reach time.clock")
        expect(summary).to_have_text(HABITS[locale])
        assert summary.get_attribute("datetime") == "19:30"

        page.goto(live_server.url + "/")
        tap(page)
        expect(page.locator("[data-tap-count]")).to_have_text(re.compile("1"))
        _acts_soon(page, live_server)
        page.goto(f"{live_server.url}/acts")
        row = page.locator(".act-time time.clock").first
        expect(row).to_have_text(ANY_TIME[locale])
        page.locator("a.act-item").first.click()
        expect(page.locator(".act-when time.clock")).to_have_text(ANY_TIME[locale])
    finally:
        context.close()


def _acts_soon(page, live_server) -> list[dict]:
    for _ in range(50):
        acts = export(page, live_server)
        if acts:
            return acts
        page.wait_for_timeout(100)
    raise AssertionError("the tap never reached the server")


# The hour just after midnight, where Chromium's "numeric" hours wrote "0:05" for a 24-hour
# reader (a failure only a run after midnight saw).
MIDNIGHT = {"en-US": re.compile(r"^12:05\sAM$"), "en-GB": re.compile(r"^00:05$")}


@pytest.mark.parametrize("locale", MIDNIGHT)
def test_the_hour_after_midnight_reads_in_the_same_habit(browser, live_server, locale):
    context = browser.new_context(locale=locale, timezone_id="Europe/London")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/help")
        page.evaluate(
            """() => {
              const clock = Object.assign(document.createElement("time"), {className: "clock"});
              clock.setAttribute("datetime", "00:05");
              clock.id = "probe";
              document.querySelector("main").append(clock);
              document.body.dispatchEvent(new CustomEvent("htmx:load", {bubbles: true}));
            }"""
        )
        expect(page.locator("#probe")).to_have_text(MIDNIGHT[locale])
        history_time = page.evaluate(
            "() => LiftedClock.formatter('Europe/London').format(new Date('2026-01-01T00:05:00Z'))"
        )
        assert MIDNIGHT[locale].match(history_time), history_time
    finally:
        context.close()
