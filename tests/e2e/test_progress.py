"""Progress in real Chromium: it opens offline with the last figures seen, and the year's
calendar scrolls inside its card instead of widening a phone's page."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta

from tests.e2e.conftest import wait_for_service_worker


def reader_with_acts(live_server, acts: int) -> str:
    """An account with ``acts`` acts on as many recent days, written straight to the server's
    SQLite file; returns its session token (the cookie a signed-in browser holds)."""
    token = secrets.token_urlsafe(32)
    account = str(uuid.uuid4())
    now = datetime.now(UTC)
    with sqlite3.connect(live_server.data_dir / "lifted.sqlite3") as db:
        db.execute(
            "INSERT INTO accounts (id, timezone, created_at) VALUES (?, 'UTC', ?)",
            (account, now.isoformat()),
        )
        db.execute(
            "INSERT INTO sessions (id, account_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
            (hashlib.sha256(token.encode()).hexdigest(), account, now.isoformat(), now.isoformat()),
        )
        for n in range(acts):
            day = date.today() - timedelta(days=n)
            db.execute(
                "INSERT INTO acts (id, account_id, occurred_at, timezone, local_date, category,"
                " created_at, updated_at) VALUES (?, ?, ?, 'UTC', ?, 'helping', ?, ?)",
                (
                    str(uuid.uuid4()),
                    account,
                    now.isoformat(),
                    day.isoformat(),
                    now.isoformat(),
                    now.isoformat(),
                ),
            )
    return token


def test_progress_opens_offline_with_the_last_figures(page, context, live_server):
    token = reader_with_acts(live_server, 9)
    context.add_cookies([{"name": "lifted_session", "value": token, "url": live_server.url}])
    page.goto(live_server.url + "/progress")
    wait_for_service_worker(page)
    page.reload()  # now the service worker serves it and keeps this copy
    assert page.locator("#count-all").inner_text() == "9"

    context.set_offline(True)
    page.goto(live_server.url + "/progress")
    assert page.locator("h1").inner_text() == "Progress"
    assert page.locator("#count-all").inner_text() == "9"
    assert page.locator("svg.heatmap").is_visible()
    context.set_offline(False)


def test_the_year_scrolls_inside_its_card_on_a_phone(page, context, live_server):
    token = reader_with_acts(live_server, 3)
    context.add_cookies([{"name": "lifted_session", "value": token, "url": live_server.url}])
    page.goto(live_server.url + "/progress")
    widths = page.evaluate(
        """() => [document.documentElement.scrollWidth, window.innerWidth,
                  document.querySelector('.heatmap-scroll').scrollWidth,
                  document.querySelector('.heatmap-scroll').clientWidth]"""
    )
    page_width, viewport, calendar, card = widths
    assert page_width <= viewport  # no sideways scrolling of the whole page
    assert calendar > card  # the calendar keeps legible cells and scrolls in its card
    # It starts at this week (the right end), the part a reader looks for first.
    today = page.locator("rect.hm-today").bounding_box()
    assert 0 <= today["x"] <= viewport
