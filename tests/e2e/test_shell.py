"""The shell in real Chromium: the service worker, the offline page, a strict CSP that holds."""

from __future__ import annotations

from tests.e2e.conftest import wait_for_service_worker


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


def test_tap_targets_are_at_least_48px(page, live_server):
    page.goto(live_server.url + "/")
    sizes = page.eval_on_selector_all(
        "nav a, header a, button, .button",
        "els => els.filter(e => e.offsetParent).map(e => [e.textContent.trim(), "
        "e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
    )
    assert sizes
    small = [s for s in sizes if s[1] < 48 or s[2] < 48]
    assert small == []
