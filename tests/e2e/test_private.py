"""Nothing leaves for a third party: on every page, signed in, every request the browser makes
(page, scripts, styles, images, the service worker's own fetches) goes to Lifted's origin."""

from __future__ import annotations

from tests.e2e.conftest import wait_for_service_worker
from tests.e2e.site import NOT_FOUND, claim_account, discover


def test_no_request_leaves_the_apps_origin(browser, live_server):
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    requests: list[tuple[str, str]] = []
    # Context-wide, so requests made by the service worker are seen too.
    context.on(
        "request",
        lambda r: requests.append((r.url, "service worker" if r.service_worker else r.frame.url)),
    )
    try:
        page = context.new_page()
        page.goto(base + "/")
        wait_for_service_worker(page)
        claim_account(page, base)
        paths = discover(context.request, base)
        for path in [*paths, NOT_FOUND]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert len(paths) >= 5
    visited = {url for url, _ in requests}
    assert base + "/" in visited
    foreign = [
        (url, origin)
        for url, origin in requests
        if not url.startswith((base + "/", "data:", "blob:"))
    ]
    assert foreign == []
