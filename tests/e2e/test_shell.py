"""The shell in real Chromium: the service worker, the offline page, a strict CSP that holds."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import wait_for_service_worker, wait_until


def test_home_loads_without_csp_violations(page, live_server):
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    # Today leaves htmx out (its weight budget; tap.js and today.js need none of it) ...
    assert page.evaluate("typeof window.htmx") == "undefined"
    # ... the library uses it: loaded from our own origin, configured from the meta tag.
    page.goto(live_server.url + "/articles")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.htmx && htmx.config.allowEval") is False
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []


def test_service_worker_serves_offline_page_for_uncached_navigation(page, context, live_server):
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.goto(live_server.url + "/never-visited-page")
    assert page.locator("h1").inner_text() == "You're offline"
    page.goto(live_server.url + "/")
    assert page.locator("nav[aria-label=Main]").is_visible()
    context.set_offline(False)


# Every control a thumb aims at: links that stand alone (navigation, rows, chips, buttons
# dressed as links) and buttons. Links inside running text are exempt, as WCAG exempts them.
TARGETS = "nav a, header a, button, .button, .chip, .row, summary, .help-line"
# A control whose text is wider than the inside of its border: [text, needed, room].
FITS = """els => els.filter(e => e.offsetParent && e.clientWidth > 0)
  .map(e => [e.textContent.trim(), e.scrollWidth, e.clientWidth])
  .filter(([text, needed, room]) => text && needed > room)"""
PAGES = [
    "/", "/articles", "/articles/altruism-as-therapy", "/help", "/progress", "/acts",
    "/settings", "/settings/reminders", "/settings/rest", "/account", "/offline",
]  # fmt: skip


def test_tap_targets_are_at_least_48px_on_every_page_of_a_small_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 568}, is_mobile=True)
    try:
        page = context.new_page()
        small, crowded = [], []
        for path in PAGES:
            page.goto(live_server.url + path)
            sizes = page.eval_on_selector_all(
                TARGETS,
                "els => els.filter(e => e.offsetParent).map(e => [e.textContent.trim(), "
                "e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
            )
            assert sizes, path
            small += [(path, *s) for s in sizes if s[1] < 48 or s[2] < 48]
            crowded += [
                (path, *c) for c in page.eval_on_selector_all(TARGETS + ", .day label", FITS)
            ]
        assert small == []
        assert crowded == []  # no label runs into (or past) its control's border
    finally:
        context.close()


def test_the_async_wait_really_waits_and_really_fails(page, live_server):
    """``wait_until`` awaits an async condition (wait_for_function would take its Promise as
    true at once): it returns when the condition comes true, and fails when it never does."""
    page.goto(live_server.url + "/")
    page.evaluate("window.__ready = false; setTimeout(() => { window.__ready = true; }, 300)")
    wait_until(page, "async () => window.__ready", timeout=5000)
    assert page.evaluate("window.__ready") is True
    with pytest.raises(PlaywrightError, match="not true within 300 ms"):
        wait_until(page, "async () => false", timeout=300)


def test_a_page_the_worker_did_not_take_asks_to_be_taken(page, context, live_server):
    """A page opened while the worker was activating is left out of its clients.claim(), and
    so would not work offline until reloaded. A reload that bypasses the worker makes such a
    page on purpose: it asks (app.js), and the worker takes it."""
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    session = context.new_cdp_session(page)
    with page.expect_navigation(wait_until="load"):
        session.send("Page.reload", {"ignoreCache": True})  # as Shift+Reload: no worker for it
    wait_until(page, "async () => navigator.serviceWorker.controller !== null", timeout=10000)
    context.set_offline(True)
    page.goto(live_server.url + "/progress")
    assert page.locator("h1").first.is_visible()
    context.set_offline(False)
