"""Soak: mixed traffic (pages, articles, taps, progress) against a live server. No answer is an
error, and the worker's memory after the run stays within 10% of its memory after warm-up (a
leak would grow with every request).

`make test` runs a time-boxed 30 seconds (the brotli leak this caught grew the worker by about
2 MB a second, so 20 measured seconds show it several times over); `make bench` runs the full
hundred seconds (``LIFTED_SOAK_SECONDS=100``).
"""

from __future__ import annotations

import os
import re
import threading
import time

import psutil

from tests.e2e.conftest import LiveServer
from tests.quality.conftest import Reader

TOTAL = float(os.environ.get("LIFTED_SOAK_SECONDS", "30"))
WARM_UP = TOTAL / 3  # seconds: caches, templates and pools fill up
SOAK = TOTAL - WARM_UP  # seconds measured after warm-up
READERS = 3
PAGES = ["/", "/articles", "/progress", "/acts", "/settings", "/help", "/about", "/offline"]
ARTICLE = re.compile(r'href="(/articles/[a-z0-9-]+)"')


def rss(server: LiveServer) -> int:
    return psutil.Process(server.process.pid).memory_info().rss


class Traffic(threading.Thread):
    """A reader going round the app: every page, each article, a tap now and then."""

    def __init__(self, server: LiveServer, until: float, articles: list[str]) -> None:
        super().__init__(daemon=True)
        self.reader = Reader(server.url)
        self.until = until
        self.paths = PAGES + articles
        self.errors: list[tuple[str, int]] = []
        self.requests = 0

    def run(self) -> None:
        self.reader.visit("/")
        n = 0
        while time.monotonic() < self.until:
            path = self.paths[n % len(self.paths)]
            response = self.reader.visit(path)
            self.requests += 1
            if response.status_code >= 400:
                self.errors.append((path, response.status_code))
            if n % 3 == 0:
                tapped = self.reader.tap()
                self.requests += 1
                if tapped.status_code != 200:
                    self.errors.append(("POST /acts", tapped.status_code))
            n += 1
        self.reader.close()


def run_traffic(server: LiveServer, seconds: float, articles: list[str]) -> list[Traffic]:
    until = time.monotonic() + seconds
    readers = [Traffic(server, until, articles) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=seconds + 60)
    return readers


def test_soak_mixed_traffic_without_errors_or_growing_memory(tmp_path):
    server = LiveServer(tmp_path).start()
    try:
        library = Reader(server.url).visit("/articles").text
        articles = list(dict.fromkeys(ARTICLE.findall(library)))
        warm = run_traffic(server, WARM_UP, articles)
        after_warm_up = rss(server)
        soak = run_traffic(server, SOAK, articles)
        after_soak = rss(server)
        assert server.process.poll() is None, "the server died during the soak"
    finally:
        server.stop()
    readers = warm + soak
    assert [e for r in readers for e in r.errors] == []
    assert articles, "the library lists no article to read"
    assert sum(r.requests for r in soak) > 10 * SOAK  # busy enough to show a leak
    growth = after_soak / after_warm_up - 1
    assert growth <= 0.10, (
        f"memory grew {growth:.1%}: {after_warm_up / 2**20:.0f} MB after warm-up, "
        f"{after_soak / 2**20:.0f} MB after {SOAK} s more"
    )
    assert "Traceback" not in server.log()
