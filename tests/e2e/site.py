"""Finding every page a reader can reach, and becoming a signed-in reader, for the
whole-site browser tests (accessibility, privacy).

Pages are discovered, not listed: the crawl starts from the pages every feature promises and
follows same-origin links, so a page added later is covered without touching the tests.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urldefrag, urlsplit

# Pages that must exist by the end; a feature that drops one fails the suite.
REQUIRED = [
    "/",
    "/articles",
    "/help",
    "/about",
    "/privacy",
    "/progress",
    "/settings",
    "/settings/reminders",
    "/acts",
    "/account",
    "/account/sign-in",
    "/account/tokens",
    "/offline",
]
# Where the crawl starts: what the features promise, and the account pages that only some
# readers see (claiming before an account has a name, recovery, deleting). Links found on them
# add the rest (each article, each act, ...).
SEEDS = [*REQUIRED, "/account/claim", "/account/recover", "/account/delete"]
NOT_FOUND = "/no-such-page-for-quality-checks"
# Not pages: files, feeds, machine endpoints.
SKIP = re.compile(r"^/(static|api|reminders/calendar)/|\.(js|json|ics|csv|webmanifest|txt)$")
HREF = re.compile(r'href="([^"]+)"')
MAX_PAGES = 120


def same_origin_paths(html: str, base: str) -> list[str]:
    paths = []
    for href in HREF.findall(html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        parts = urlsplit(href)
        if parts.scheme and f"{parts.scheme}://{parts.netloc}" != base:
            continue
        if not parts.path.startswith("/") or parts.query or SKIP.search(parts.path):
            continue
        paths.append(parts.path)
    return paths


def discover(request, base: str) -> list[str]:
    """Every HTML page reachable from SEEDS by same-origin links that answers 200, in crawl
    order. ``request`` is Playwright's APIRequestContext of a browser context, so the crawl
    sees the pages as that context's reader (signed in or not)."""
    queue, seen, pages = list(SEEDS), set(SEEDS), []
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        response = request.get(base + path, max_redirects=0)
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(path)
        for link in same_origin_paths(response.text(), base):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def claim_account(page, base: str) -> str:
    """Makes this browser context a signed-in reader through the claim form, as a person
    would, after one tap. Returns the username (empty when claiming isn't there yet)."""
    page.goto(base + "/")
    tap = page.locator("form[action='/acts'] button[type=submit]").first
    if tap.count():
        tap.click()
        page.wait_for_load_state("networkidle")
    response = page.goto(base + "/account/claim")
    if response is None or response.status != 200:
        return ""
    username = f"quality-{secrets.token_hex(4)}"
    passphrase = f"bright lanterns over {secrets.token_hex(6)} harbour"
    page.fill("input[name=username]", username)
    page.fill("input[name=passphrase]", passphrase)
    if page.locator("input[name=passphrase_again]").count():
        page.fill("input[name=passphrase_again]", passphrase)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    check = page.request.get(base + "/account/claim", max_redirects=0)
    assert check.status in (302, 303), "claiming the account did not sign this browser in"
    return username
