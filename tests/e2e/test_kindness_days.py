"""Kindness days in Chromium: chosen in Settings, counted on Today as each tap lands (online
and waiting offline), named on Progress."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect

from server.days import DAY_NAMES
from tests.e2e.taps import tap
from tests.e2e.test_today import go_offline


def test_a_kindness_day_is_set_counted_on_today_and_named_on_progress(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="UTC")
    try:
        page = context.new_page()
        today = DAY_NAMES[datetime.now(UTC).weekday()]
        page.goto(live_server.url + "/settings/kindness-days")
        days = page.get_by_role("group", name="Your kindness days")
        days.get_by_role("checkbox", name=today).check()  # as a finger would: the box is on top
        page.get_by_role("group", name="A gentle aim for each").get_by_label("3 acts").check()
        page.get_by_role("button", name="Save kindness days").click()
        expect(page.locator(".notice.success")).to_have_text(
            f"Saved. Your kindness day is {today}."
        )

        page.goto(live_server.url + "/")
        card = page.locator(".kindness-day")
        expect(card.locator("[data-aim-words]")).to_have_text(
            "Your gentle aim today: 3 acts of kindness, whenever they fit."
        )
        tap(page)
        expect(card.locator("[data-aim-words]")).to_have_text("1 of 3 so far.")
        expect(card.locator(".aim-dots li.is-filled")).to_have_count(1)
        go_offline(page, context)
        tap(page)
        tap(page)
        expect(card.locator("[data-aim-words]")).to_have_text(
            "3 today: you reached your aim of 3. Anything more is a bonus."
        )
        expect(card.locator(".aim-dots li.is-filled")).to_have_count(3)
        context.set_offline(False)

        page.goto(live_server.url + "/progress")
        expect(page.locator("#kindness-key")).to_have_text(f"Your kindness day: {today}.")
        expect(page.locator(".heatmap-days .kd-label")).to_have_count(1)
    finally:
        context.close()
