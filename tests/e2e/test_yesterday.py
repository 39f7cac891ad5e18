"""'I did one yesterday' in Chromium: logged on the day before, online and kept offline, with
Undo; today's count stays and the week shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_service_worker
from tests.e2e.taps import counter, tap
from tests.e2e.test_today import come_back, go_offline
from tests.e2e.test_tracker import export
from tests.support import zone_at_local_hour

YESTERDAY = "Added to yesterday. Thank you for remembering it."


def test_i_did_one_yesterday_online_offline_and_undone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="UTC")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        button = page.get_by_role("button", name="I did one yesterday")
        button.click()
        expect(page.locator("#tap-status .tap-confirmation")).to_have_text(YESTERDAY)
        expect(page.locator(f"#tap-week li[data-date='{yesterday}'].is-filled")).to_have_count(1)
        expect(counter(page)).to_have_text("Nothing logged yet today, and that's okay")
        page.wait_for_load_state("networkidle")
        (act,) = export(page, live_server)
        assert act["local_date"] == yesterday

        # Offline: kept on the phone, undone before it ever leaves.
        go_offline(page, context)
        button.click()
        expect(page.locator("#tap-status .tap-confirmation")).to_have_text(YESTERDAY)
        page.locator("#tap-status").get_by_role("button", name="Undo").click()
        expect(page.locator("#tap-status .tap-confirmation")).to_have_text("Removed. No harm done.")
        button.click()  # and once more, to keep
        expect(page.locator("[data-outbox-badge]")).to_have_text("1 waiting to sync")
        come_back(page, context)
        assert [a["local_date"] for a in export(page, live_server)] == [yesterday] * 2
    finally:
        context.close()


def test_at_one_in_the_morning_a_night_owls_tap_counts_for_the_day_before(browser, live_server):
    zone = zone_at_local_hour(1)
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id=zone)
    try:
        page = context.new_page()
        # Installed from Today first, as a reader would (the worker then controls every page).
        page.goto(live_server.url + "/")
        wait_for_service_worker(page)
        page.goto(live_server.url + "/settings/day")
        page.get_by_label("3 a.m.").check()
        page.get_by_role("button", name="Save").click()
        page.goto(live_server.url + "/")
        calendar = datetime.now(UTC).astimezone(ZoneInfo(zone)).date()
        before = (calendar - timedelta(days=1)).isoformat()
        # The greeting names the reader's day, also as the phone's own clock writes it.
        expect(page.locator("[data-greeting-date]")).to_have_attribute("datetime", before)
        go_offline(page, context)
        tap(page)
        # Counted on the phone for the day the reader is in, as the server will count it.
        expect(page.locator(f"#tap-week li[data-date='{before}'].is-filled")).to_have_count(1)
        expect(counter(page)).to_have_text("1 act of kindness today")
        come_back(page, context)
        assert [a["local_date"] for a in export(page, live_server)] == [before]
    finally:
        context.close()
