"""A second reminder time, added and removed on a phone: folded away until asked for, its own
days, and the summary moving to whichever comes first."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_second_time_is_added_and_removed_on_a_phone(page, live_server):
    page.goto(live_server.url + "/settings/reminders")
    page.get_by_label("Send me a gentle reminder").check()
    second = page.get_by_label("Second reminder time")
    expect(second).to_be_hidden()  # folded away until asked for
    page.get_by_text("Add another time").click()
    second.fill("07:15")
    for weekday in range(5):  # Monday to Friday off: this one is for the weekend
        toggle = page.locator(f"#day-2-{weekday}")
        toggle.evaluate("(box) => box.scrollIntoView({block: 'center'})")  # clear of the nav
        toggle.uncheck()
    page.get_by_role("button", name="Save reminders").click()

    expect(page.locator("main .notice").first).to_have_text("Saved.")
    expect(page.get_by_label("Second reminder time")).to_have_value("07:15")
    chosen = page.locator("input[name=days_2]:checked")
    expect(chosen).to_have_count(2)  # the weekend only
    expect(page.get_by_text("Add another time")).to_be_visible()  # a third is offered
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    remove = page.get_by_label("Remove this time when I save")
    remove.evaluate("(box) => box.scrollIntoView({block: 'center'})")
    remove.check()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.locator("main .notice").first).to_have_text("Saved.")
    expect(page.get_by_label("Second reminder time")).to_have_value("")
