"""What every test layer shares: reading pages (HTML, the CSRF token they carry) and the
service worker's generated config line. Layer helpers build on these: integration tests in
``tests/integration/support.py``, browser tests in ``tests/e2e/conftest.py``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

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


# ---- Colour contrast (WCAG 2), for the design system's and the charts' tests ----


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def theme_colours(css: str) -> list[dict[str, str]]:
    """The light and dark value of every CSS colour variable in ``css``: :root, then its
    prefers-color-scheme: dark override (a variable it leaves alone keeps its light value)."""
    dark_at = css.index("@media (prefers-color-scheme: dark)")
    light, dark = {}, {}
    for match in re.finditer(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css):
        (dark if match.start() > dark_at else light).setdefault(match.group(1), match.group(2))
    return [light, {**light, **dark}]


def zone_at_local_hour(hour: int) -> str:
    """A zone where it is now ``hour`` o'clock (Etc/GMT-N is N hours ahead of UTC)."""
    ahead = (hour - datetime.now(UTC).hour) % 24
    ahead = ahead - 24 if ahead > 14 else ahead
    return "UTC" if ahead == 0 else f"Etc/GMT{-ahead:+d}"
