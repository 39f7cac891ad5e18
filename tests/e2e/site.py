"""Finding every page a reader can reach, and becoming a signed-in reader, for the
whole-site browser tests (accessibility, privacy).

Pages are discovered, not listed: the crawl starts from the pages every feature promises and
follows same-origin links, so a page added later is covered without touching the tests. Links
with a query string (a topic filter, the next page of acts) are followed too, one per path and
set of query keys: ``?topic=a`` and ``?topic=b`` render the same template, so crawling every
value would only make the whole-site tests slower.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

from tests.support import csrf_in

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
SEEDS = [*REQUIRED, "/account/claim", "/account/recover", "/account/delete", "/account/deleted"]
# Pages no link leads to: where a form's redirect lands, its query string saying what happened
# (server/acts/routes.py NOTICES, server/reminders/views.py NOTICES). The reminder page shows
# all of its notices at once. A new reader sees them too (the empty history, no settings yet).
AFTER_ACTIONS = [
    "/?undone=1",
    "/acts?saved=1",
    "/acts?deleted=1",
    "/acts?accepted=1",
    "/acts?released=1",
    "/settings/reminders?saved=1&device=on&removed=1&calendar=new&test=1-2",
    "/settings/reminders?device=off&calendar=off&test=0-0",
]
NOT_FOUND = "/no-such-page-for-quality-checks"
# Not pages: files, feeds, machine endpoints.
SKIP = re.compile(r"^/(static|api|reminders/calendar)/|\.(js|json|ics|csv|webmanifest|txt)$")
HREF = re.compile(r'href="([^"]+)"')
MAX_PAGES = 120


def same_origin_paths(html: str, base: str) -> list[str]:
    """The same-origin page links in ``html``: paths, with their query string when they have
    one (``/articles?topic=recovery``)."""
    paths = []
    for href in HREF.findall(html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        parts = urlsplit(href)
        if parts.scheme and f"{parts.scheme}://{parts.netloc}" != base:
            continue
        if not parts.path.startswith("/") or SKIP.search(parts.path):
            continue
        paths.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return paths


def _shape(link: str) -> str:
    """A query link's path and sorted keys (``/acts?page``); a plain path is its own shape."""
    parts = urlsplit(link)
    if not parts.query:
        return link
    return f"{parts.path}?{'&'.join(sorted(key for key, _ in parse_qsl(parts.query, True)))}"


def discover(request, base: str) -> list[str]:
    """Every HTML page reachable from SEEDS by same-origin links that answers 200, in crawl
    order. ``request`` is Playwright's APIRequestContext of a browser context, so the crawl
    sees the pages as that context's reader (signed in or not)."""
    queue, pages = list(SEEDS), []
    seen = {_shape(path) for path in SEEDS}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        response = request.get(base + path, max_redirects=0)
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(path)
        for link in same_origin_paths(response.text(), base):
            if _shape(link) not in seen:
                seen.add(_shape(link))
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


def csrf_headers(request, base: str) -> dict[str, str]:
    """The CSRF header (as htmx sends it) for this context's reader, from a page it opens."""
    token = csrf_in(request.get(base + "/").text())
    assert token, "the home page carries no CSRF token"
    return {"x-csrftoken": token}


def post_form(request, base: str, path: str, data: dict[str, str] | list[tuple[str, str]]):
    """Posts a form as this context's reader, without following the redirect: the answer is
    what the form got. ``data`` may be pairs, for a field sent more than once."""
    headers = {**csrf_headers(request, base), "content-type": "application/x-www-form-urlencoded"}
    return request.post(
        base + path, data=urlencode(data, doseq=True), headers=headers, max_redirects=0
    )
