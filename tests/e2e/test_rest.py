"""A break in Chromium: a reminder due on Today goes quiet while the reader rests, and comes
back when the break is ended."""

from __future__ import annotations

from playwright.sync_api import expect

DUE_CARD = ".reminder-card"


def test_a_break_mutes_a_due_reminder_until_it_ends(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="UTC")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/settings/reminders")
        page.get_by_label("Send me a gentle reminder").check()
        page.get_by_label("Time of day").fill("00:00")  # passed already, every day
        page.get_by_label("Skip the reminder on days I've already logged an act").uncheck()
        page.locator("#timezone").select_option("UTC")
        page.get_by_role("button", name="Save reminders").click()
        page.goto(live_server.url + "/")
        expect(page.locator(DUE_CARD)).to_be_visible()  # due, and nothing logged

        page.goto(live_server.url + "/settings/rest")
        page.get_by_label("A week").check()
        page.get_by_role("button", name="Start my break").click()
        page.goto(live_server.url + "/")
        expect(page.locator(".rest-card h2")).to_have_text("You're taking a break")
        expect(page.locator(DUE_CARD)).to_have_count(0)
        page.goto(live_server.url + "/settings/reminders")
        expect(page.get_by_role("status").filter(has_text="reminders stay quiet")).to_be_visible()

        page.goto(live_server.url + "/")
        page.locator(".rest-card").get_by_role("button", name="End my break").click()
        expect(page).to_have_url(live_server.url + "/")
        expect(page.locator(DUE_CARD)).to_be_visible()
    finally:
        context.close()
