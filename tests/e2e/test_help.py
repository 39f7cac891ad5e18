"""Help in real Chromium on a small phone: big buttons that fill the width, the help link in
reach at every scroll position, /help and /offline offline, and no page wider than 320 px."""

from __future__ import annotations

import pytest

from server.articles.content import load_library
from server.settings import ROOT
from tests.e2e.conftest import wait_for_service_worker
from tests.e2e.site import NOT_FOUND, claim_account, discover

LIBRARY = load_library(ROOT / "content")
LONGEST = max(LIBRARY.articles, key=lambda a: len(a.html))
SMALL = {"width": 320, "height": 568}

# Each help button: its height, its width, and the width of the column it sits in.
BUTTON_SIZES = """() => [...document.querySelectorAll("main a.help-line")].map((a) => {
    const box = a.getBoundingClientRect();
    const column = a.parentElement.getBoundingClientRect();
    return [a.textContent.trim().replace(/\\s+/g, " "), box.height, box.width, column.width];
})"""
# Whether the bottom bar's Help link is on screen and nothing covers it.
HELP_IN_REACH = """() => {
    const link = document.querySelector(".bottom-nav .nav-help-link");
    const box = link.getBoundingClientRect();
    const inside = box.top >= 0 && box.bottom <= window.innerHeight && box.height >= 48;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return inside && link.contains(hit);
}"""
WIDER_THAN_SCREEN = """() => {
    const page = document.documentElement;
    if (page.scrollWidth <= window.innerWidth) return [];
    return [...document.querySelectorAll("main *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3).map((e) => e.tagName + "." + e.className);
}"""


@pytest.fixture
def small_page(browser):
    """A 320 px phone whose browser prefers British English."""
    context = browser.new_context(viewport=SMALL, locale="en-GB", service_workers="allow")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_help_buttons_are_big_and_fill_the_width_on_a_small_phone(small_page, live_server):
    small_page.goto(live_server.url + "/help")
    sizes = small_page.evaluate(BUTTON_SIZES)
    # British English: UK & Ireland first, its emergency number before its line.
    assert sizes[0][0] == "UK & Ireland · Emergency Call 999"
    assert sizes[1][0].startswith("UK & Ireland · Samaritans Call 116 123")
    assert len(sizes) > 8  # other regions follow, as buttons too
    for text, height, width, column in sizes:
        assert height >= 48, text
        assert width >= column - 1 and column >= 320 - 2 * 16 - 1, (text, width, column)


def test_help_stays_in_reach_at_every_scroll_position_of_a_long_article(small_page, live_server):
    small_page.goto(live_server.url + LONGEST.url)
    height = small_page.evaluate("document.documentElement.scrollHeight")
    assert height > 4 * SMALL["height"]
    for fraction in (0, 0.25, 0.5, 0.75):
        small_page.evaluate("(y) => window.scrollTo(0, y)", int(height * fraction))
        assert small_page.evaluate(HELP_IN_REACH), fraction
    small_page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert small_page.evaluate("window.scrollY + window.innerHeight") >= height - 1
    assert small_page.evaluate(HELP_IN_REACH), "end"
    # The last of the article (the next reading) isn't hidden behind the bar either.
    last = small_page.locator(".prev-next a").last.bounding_box()
    bar = small_page.locator(".bottom-nav").bounding_box()
    assert last["y"] + last["height"] <= bar["y"]


def test_help_and_the_offline_page_work_offline(small_page, live_server):
    page = small_page
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    try:
        page.goto(live_server.url + "/help")
        assert page.locator("h1").inner_text() == "Need help now?"
        assert page.locator("main a.help-line[href='tel:116123']").is_visible()
        assert page.locator("main a.help-line[href='tel:988']").count() == 2  # US and Canada
        page.goto(live_server.url + "/offline")
        assert page.locator("h1").inner_text() == "You're offline"
        first = page.locator("main section").first
        assert first.locator("h2").inner_text().strip() == "Need help now?"
        hrefs = first.locator("a.help-line").evaluate_all("els => els.map(a => a.href)")
        assert hrefs == ["tel:999", "tel:116123"]
        # A page never saved falls back to the same help.
        page.goto(live_server.url + "/settings/reminders?never=saved")
        assert page.locator("h1").inner_text() == "You're offline"
        assert page.locator("main a.help-line").first.get_attribute("href") == "tel:999"
        page.locator("main a[href='/help']").click()
        page.wait_for_url(live_server.url + "/help")
        assert page.locator("main a.help-line").count() > 2
    finally:
        page.context.set_offline(False)


def _wide_pages(page, base: str, paths: list[str]) -> dict[str, list[str]]:
    wide = {}
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("load")
        if found := page.evaluate(WIDER_THAN_SCREEN):
            wide[path] = found
    return wide


def test_no_page_scrolls_sideways_at_320_px(browser, live_server):
    context = browser.new_context(viewport=SMALL, locale="en-GB")
    try:
        page = context.new_page()
        paths = discover(context.request, live_server.url)
        wide = _wide_pages(page, live_server.url, [*paths, NOT_FOUND])
        claim_account(page, live_server.url)
        signed_in = discover(context.request, live_server.url)
        wide.update(_wide_pages(page, live_server.url, signed_in))
    finally:
        context.close()
    assert wide == {}
