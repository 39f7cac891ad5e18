"""A share link in Chromium: made in Settings with only kinds ticked, opened by a supporter in
a fresh browser, it shows exactly that, sets no cookie and installs no service worker."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_service_worker, wait_until
from tests.e2e.taps import OUTBOX_EMPTY, tap


def test_a_share_link_shows_exactly_what_was_chosen(browser, page, live_server):
    page.goto(live_server.url + "/")
    tap(page)
    wait_until(page, OUTBOX_EMPTY)  # on the server before the supporter looks
    page.goto(live_server.url + "/settings/sharing")
    page.get_by_label("Who is it for?").fill("Sam, my sponsor")
    page.get_by_label("A week").check()
    page.get_by_label("Kinds of kindness").check()
    page.get_by_role("button", name="Make the link").click()
    link = page.locator("#link-value").inner_text().strip()
    # The link names the configured LIFTED_BASE_URL; the test server listens elsewhere.
    link = live_server.url + link[link.index("/s/") :]
    expect(page.locator(".share-link .token-name")).to_have_text("Sam, my sponsor")

    supporter = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        shared = supporter.new_page()
        shared.goto(link)
        expect(shared.locator("h1")).to_have_text("Shared kindness")
        expect(shared.locator("#shared-week")).to_have_text("1")
        expect(shared.locator("#shared-kinds-title")).to_be_visible()
        expect(shared.locator("#shared-lift-title")).to_have_count(0)
        expect(shared.locator("#shared-notes-title")).to_have_count(0)
        assert supporter.cookies() == []
        assert (
            shared.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
        )
        assert shared.locator("a[href]").count() == 0
    finally:
        supporter.close()
    page.goto(live_server.url + "/settings/sharing")
    expect(page.locator(".share-link")).to_contain_text("last opened")
    # The reader opening their own link, with Lifted's service worker: it keeps no copy.
    wait_for_service_worker(page)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Shared kindness")
    kept = (
        "caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n)"
        ".then((c) => c.keys())))).then((all) => all.flat().map((r) => r.url))"
    )
    assert [url for url in page.evaluate(kept) if "/s/" in url] == []
