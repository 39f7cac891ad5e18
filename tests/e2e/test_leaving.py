"""A signed-out phone shows none of the previous reader's notes, even offline: Chromium clears
the site's storage on Clear-Site-Data, and where a browser ignores that header (simulated here
by removing it) the service worker drops the private pages itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_service_worker, wait_until
from tests.e2e.site import claim_account

NOTE = "a note only the first reader wrote"
PRIVATE = ["/", "/acts", "/progress", "/account"]

CACHED_BODIES = """async () => {
    const bodies = [];
    for (const key of await caches.keys()) {
        const cache = await caches.open(key);
        for (const request of await cache.keys()) {
            bodies.push((await (await cache.match(request)).text()));
        }
    }
    return bodies;
}"""


def without_clear_site_data(route):
    response = route.fetch(max_redirects=0)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "clear-site-data"}
    route.fulfill(response=response, headers=headers)


def shown_offline(page, base: str, path: str) -> str:
    """What the phone shows for ``path`` with no connection ("" when nothing can be shown)."""
    try:
        page.goto(base + path)
    except Exception:  # the browser's own offline error: nothing of Lifted's at all
        return ""
    return page.locator("body").inner_text()


@pytest.mark.parametrize("browser_clears", [True, False], ids=["clear-site-data", "worker"])
def test_a_signed_out_phone_keeps_none_of_the_readers_notes(browser, live_server, browser_clears):
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(base + "/")
        wait_for_service_worker(page)
        claim_account(page, base)
        page.goto(base + "/acts")
        page.locator("a.act-item").first.click()
        page.get_by_label("Note").fill(NOTE)
        page.get_by_role("button", name="Save").click()
        expect(page.locator("main")).to_contain_text(NOTE)
        edit = page.url.removeprefix(base)
        for path in [*PRIVATE, edit, "/acts"]:
            page.goto(base + path)  # each page is now kept for offline use
        context.set_offline(True)
        assert NOTE in shown_offline(page, base, "/acts")  # the copy is really there
        context.set_offline(False)

        # A preference that isn't private: only Clear-Site-Data takes it (proof it acted).
        page.evaluate("localStorage.setItem('lifted.textSize', 'large')")
        if not browser_clears:
            page.route("**/account/sign-out", without_clear_site_data)
        page.goto(base + "/account")
        page.get_by_role("button", name="Sign out", exact=True).click()
        page.wait_for_url("**/account/sign-in?signed_out=here")
        expect(page.locator("[data-forget-private]")).to_be_visible()
        kept = page.evaluate("localStorage.getItem('lifted.textSize')")
        assert kept == (None if browser_clears else "large")
        wait_for_service_worker(page)
        wait_until(
            page, f"async () => !(await ({CACHED_BODIES})()).some((b) => b.includes({NOTE!r}))"
        )

        context.set_offline(True)
        for path in [*PRIVATE, edit]:
            assert NOTE not in shown_offline(page, base, path), path
    finally:
        context.close()
