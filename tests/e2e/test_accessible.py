"""Every page passes axe-core with no violation, in the light and the dark theme, for a new
reader and for a signed-in one (after claiming an account)."""

from __future__ import annotations

from tests.e2e.conftest import THEMES, violations
from tests.e2e.site import NOT_FOUND, REQUIRED, claim_account, discover


def audit(page, base: str, paths: list[str], axe_source: str) -> dict[str, list[str]]:
    problems = {}
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("load")
            if found := violations(page, axe_source):
                problems[f"{path} [{theme}]"] = found
    return problems


def test_every_page_has_no_axe_violation_for_a_new_reader(browser, live_server, axe_source):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        paths = discover(context.request, live_server.url)
        missing = [p for p in [*REQUIRED, "/account/claim"] if p not in paths]
        assert missing == [], f"pages every feature promised are missing: {missing}"
        problems = audit(page, live_server.url, [*paths, NOT_FOUND], axe_source)
    finally:
        context.close()
    assert problems == {}


def test_every_page_has_no_axe_violation_when_signed_in(browser, live_server, axe_source):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        username = claim_account(page, live_server.url)
        # The one-time recovery code page is only ever shown right after claiming.
        problems = {}
        if username and (found := violations(page, axe_source)):
            problems["(recovery code after claim)"] = found
        paths = discover(context.request, live_server.url)
        missing = [p for p in REQUIRED if p not in paths]
        assert missing == [], f"pages every feature promised are missing: {missing}"
        problems.update(audit(page, live_server.url, [*paths, NOT_FOUND], axe_source))
    finally:
        context.close()
    assert problems == {}
