"""The reminder form's time zone list in real Chromium: this device's zone chosen on a first
visit, a filter that narrows the list as the reader types, and the choice saved."""

from __future__ import annotations


def test_the_zone_list_starts_on_this_devices_zone_and_filters_as_you_type(browser, live_server):
    context = browser.new_context(
        viewport={"width": 320, "height": 568}, timezone_id="Asia/Tokyo", locale="en-GB"
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/settings/reminders")
        zone = page.locator("select#timezone")
        assert zone.input_value() == "Asia/Tokyo"
        search = page.get_by_role("searchbox", name="Find your time zone")
        assert search.is_visible()
        search.fill("new york")
        assert zone.input_value() == "America/New_York"
        shown = zone.locator("option").evaluate_all("els => els.map(o => o.value)")
        # The match, and the zone chosen before it (so nothing is lost while typing).
        assert "America/New_York" in shown and len(shown) <= 3
        search.fill("")
        assert zone.locator("option").count() > 300 and zone.input_value() == "America/New_York"
        search.fill("buenos")
        assert zone.input_value() == "America/Argentina/Buenos_Aires"
        assert page.locator("#day-5").is_checked()  # every day, until the reader says
        page.locator("#day-5").click()  # a tap on Saturday's toggle turns it off
        page.get_by_role("button", name="Save reminders").click()
        page.wait_for_url("**/settings/reminders?saved=1")
        assert zone.input_value() == "America/Argentina/Buenos_Aires"
        assert not page.locator("#day-5").is_checked() and page.locator("#day-4").is_checked()
        # Saved: the device's own zone no longer replaces the reader's choice.
        page.reload()
        assert zone.input_value() == "America/Argentina/Buenos_Aires"
    finally:
        context.close()


def test_the_days_are_one_row_of_seven_toggles_on_a_small_phone(page, live_server):
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto(live_server.url + "/settings/reminders")
    boxes = (
        page.locator("#reminder-form .days")
        .first.locator(".day label")
        .evaluate_all(
            "els => els.map(e => { const b = e.getBoundingClientRect(); "
            "return [b.top, b.height]; })"
        )
    )
    assert len(boxes) == 7 and len({round(top) for top, _ in boxes}) == 1
    assert all(height >= 48 for _, height in boxes)
    monday = page.locator("#day-0")
    before = monday.is_checked()
    monday.focus()  # the hidden checkbox still takes the keyboard
    page.keyboard.press("Space")
    assert monday.is_checked() != before
