"""Taps waiting on the phone reach the server while the page stays open, with nothing touched.

Not every engine has Background Sync, and some fire no `online` when a connection comes back,
so the page tries again by itself (web/static/outbox.js keepTrying): 5 s after a failed send,
doubling up to every 2 minutes, until nothing waits. Here the server stops and starts again
while the browser stays online, so no `online` event fires at all.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, wait_for_service_worker, wait_until
from tests.e2e.taps import OUTBOX_EMPTY, badge, export, tap

# outbox.js: the first try again, then each wait doubled up to the longest.
FIRST_RETRY_S = 5
RETRY_WAITS_S = (5, 10, 20, 40, 80, 120, 120)


@pytest.fixture
def own_server(tmp_path):
    """A server of this test's own, to stop and start again on the same address."""
    server = LiveServer(tmp_path).start()
    yield server
    server.stop()


def test_taps_made_while_the_server_is_down_arrive_once_it_is_back(page, own_server):
    page.goto(own_server.url + "/")
    wait_for_service_worker(page)
    own_server.stop()
    tap(page)
    tap(page)
    expect(badge(page)).to_have_text("2 waiting to sync")

    own_server.start()
    back = time.monotonic()
    wait_until(page, OUTBOX_EMPTY, timeout=(FIRST_RETRY_S + 10) * 1000)
    # Within one wait of the server's return (the last failed try was at most 5 s before),
    # plus the send itself on a busy machine; the exact schedule is the next test's.
    assert time.monotonic() - back <= FIRST_RETRY_S + 4
    expect(badge(page)).to_have_text("Your 2 acts are saved.")
    acts = export(page, own_server)
    assert len(acts) == 2 and len({act["id"] for act in acts}) == 2


def emptied(page, seconds: float = 20) -> None:
    """wait_until polls on the page's timers, which stand still under page.clock: poll here."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(OUTBOX_EMPTY):
        assert time.monotonic() < deadline, f"the outbox still held taps after {seconds} s"
        page.wait_for_timeout(100)


def test_the_tries_slow_down_to_every_two_minutes_and_stop_once_sent(page, own_server):
    """The page's own clock is stopped and moved by hand, so the schedule is exact."""
    page.clock.install()
    page.goto(own_server.url + "/")
    wait_for_service_worker(page)
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=1))
    tries: list[str] = []
    settled: list[str] = []  # tries answered or failed: the next wait is set only after that

    def watch(into: list[str]):
        is_tap = lambda r: r.method == "POST" and urlparse(r.url).path == "/acts"  # noqa: E731
        return lambda r: is_tap(r) and into.append(r.url)

    page.on("request", watch(tries))
    page.on("requestfailed", watch(settled))
    page.on("requestfinished", watch(settled))

    def tried(count: int) -> None:
        deadline = time.monotonic() + 5
        while len(settled) < count and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert len(tries) == count and len(settled) == count
        page.wait_for_timeout(200)  # the page sets its next wait as the failure reaches it

    own_server.stop()
    tap(page)
    tried(1)
    for wait in RETRY_WAITS_S:
        before = len(tries)
        page.clock.run_for(wait * 1000 - 300)
        page.wait_for_timeout(300)  # a try fired too soon would show here
        assert len(tries) == before, f"tried again before {wait} s"
        page.clock.run_for(600)
        tried(before + 1)
    assert len(tries) == 1 + len(RETRY_WAITS_S)

    own_server.start()
    page.clock.run_for(120_000 + 600)
    tried(len(RETRY_WAITS_S) + 2)
    emptied(page)
    # Nothing waits, so nothing more is tried, however long the page stays open.
    page.clock.run_for(30 * 60_000)
    page.wait_for_timeout(500)
    assert len(tries) == len(RETRY_WAITS_S) + 2
    assert len(export(page, own_server)) == 1
