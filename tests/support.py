"""What every test layer shares: reading pages (HTML, the CSRF token they carry) and the
service worker's generated config line. Layer helpers build on these: integration tests in
``tests/integration/support.py``, browser tests in ``tests/e2e/conftest.py``."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

# Every page hands its CSRF token to htmx (and to outbox.js) in <body data-hx-headers>.
CSRF_RE = re.compile(r'"x-csrftoken": "([^"]+)"')


def soup(response_or_html) -> BeautifulSoup:
    """A page parsed, from a response (httpx, or anything with ``.text``) or its HTML."""
    html = getattr(response_or_html, "text", response_or_html)
    return BeautifulSoup(html() if callable(html) else html, "html.parser")


def csrf_in(html: str) -> str | None:
    """The CSRF token a page carries, or None."""
    match = CSRF_RE.search(html)
    return match.group(1) if match else None


def service_worker_config(body: str | bytes) -> dict:
    """``{"version", "precache"}`` from the line the server puts before web/sw.js."""
    text = body.decode() if isinstance(body, bytes) else body
    first = text.splitlines()[0]
    return json.loads(first.removeprefix("self.LIFTED = ").rstrip(";"))


def text_without(node, selector: str) -> str:
    """The text of ``node`` (a parsed page or part of one) leaving out the parts matching
    ``selector``: what a reader sees without opening them."""
    copy = BeautifulSoup(str(node), "html.parser")
    for part in copy.select(selector):
        part.decompose()
    return copy.get_text(" ", strip=True)
