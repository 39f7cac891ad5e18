"""Progress in real Chromium: it opens offline with the last figures seen plus the taps still
waiting to be sent; the counts stay even at 320 px; the year's calendar scrolls inside its card
and opens on today; the month calendars step back; axe finds nothing in either theme."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import (
    no_axe_violation,
    violations,
    wait_for_service_worker,
    wait_until,
)
from tests.e2e.taps import OUTBOX_COUNT, tap

PERIODS = ("today", "week", "month", "all")


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
    signed_in(context, live_server, 9)
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


def signed_in(context, live_server, acts: int) -> None:
    token = reader_with_acts(live_server, acts)
    context.add_cookies([{"name": "lifted_session", "value": token, "url": live_server.url}])


def boxes(page, selector: str) -> list[dict]:
    return [page.locator(selector).nth(i).bounding_box() for i in range(4)]


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_counts_stay_even_from_320_px_up(page, context, live_server):
    signed_in(context, live_server, 25)
    page.goto(live_server.url + "/progress")
    for width, across in ((320, 2), (390, 2), (700, 4)):
        page.set_viewport_size({"width": width, "height": 800})
        numbers, labels = boxes(page, ".tally dd[data-period]"), boxes(page, ".tally dt")
        tiles = boxes(page, ".tally > div")
        card = page.locator(".tally-card").bounding_box()
        # Every label on one line: none taller than one line of text.
        line = page.locator(".tally dt").first.evaluate(
            "(dt) => parseFloat(getComputedStyle(dt).lineHeight)"
        )
        assert all(box["height"] <= line * 1.2 for box in labels), (width, labels)
        # Nothing overlaps, and everything stays inside the card.
        parts = numbers + labels
        for i, a in enumerate(parts):
            assert card["x"] <= a["x"] and a["x"] + a["width"] <= card["x"] + card["width"]
            assert not any(overlap(a, b) for b in parts[i + 1 :]), (width, a)
        # Numbers share a baseline along a row: the same top and height.
        rows = [numbers[i : i + across] for i in range(0, 4, across)]
        for row in rows:
            assert len({(round(b["y"]), round(b["height"])) for b in row}) == 1, (width, row)
        assert len({round(t["y"]) for t in tiles}) == 4 // across
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_year_scrolls_inside_its_card_and_opens_on_today(page, context, live_server):
    signed_in(context, live_server, 3)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/progress")
    widths = page.evaluate(
        """() => [document.documentElement.scrollWidth, window.innerWidth,
                  document.querySelector('.heatmap-scroll').scrollWidth,
                  document.querySelector('.heatmap-scroll').clientWidth]"""
    )
    page_width, viewport, calendar, box = widths
    assert page_width <= viewport  # no sideways scrolling of the whole page
    assert calendar > 2 * box  # the calendar keeps legible cells and scrolls in its card
    # It opens on this week (the right end), the part a reader looks for first.
    scroller = page.locator(".heatmap-scroll").bounding_box()
    today = page.locator("rect.hm-today").bounding_box()
    assert today["width"] >= 14
    assert scroller["x"] <= today["x"] and today["x"] + today["width"] <= (
        scroller["x"] + scroller["width"]
    )
    # It says it scrolls, and the weekday labels stay beside the rows, outside the box.
    expect(page.locator("#heatmap-hint")).to_be_visible()
    expect(page.locator("#heatmap-hint")).to_have_text("← Swipe to see earlier months")
    monday = page.locator(".heatmap-days text", has_text="Mon").bounding_box()
    assert monday["x"] + monday["width"] <= scroller["x"] + 1
    # Wherever it is scrolled, a month label is whole or not shown: never "ay" of "May".
    for step in (0, -137, -333):
        page.locator(".heatmap-scroll").evaluate(f"(box) => box.scrollBy({{left: {step}}})")
        page.evaluate("() => new Promise(requestAnimationFrame)")
        page.evaluate("() => new Promise(requestAnimationFrame)")
        shown = page.locator(".heatmap text.chart-label:not(.chart-label-cut)")
        assert shown.count() >= 2
        for i in range(shown.count()):
            label = shown.nth(i).bounding_box()
            assert scroller["x"] - 0.5 <= label["x"], (step, label)
            assert label["x"] + label["width"] <= scroller["x"] + scroller["width"] + 0.5
    # The oldest months are there, a swipe away.
    page.locator(".heatmap-scroll").evaluate("(box) => box.scrollBy({left: -10000})")
    oldest = page.locator(".heatmap rect").first.bounding_box()
    assert scroller["x"] <= oldest["x"] < scroller["x"] + scroller["width"]


def test_the_month_calendar_reads_at_320_px_and_steps_back(page, context, live_server):
    signed_in(context, live_server, 40)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/progress")
    current = page.locator(".month-current")
    expect(current).to_be_visible()
    expect(page.locator(".month:visible")).to_have_count(1)
    table = current.locator("table").bounding_box()
    card = current.bounding_box()
    assert card["x"] <= table["x"] and table["x"] + table["width"] <= card["x"] + card["width"]
    today = current.locator('td[aria-current="date"]')
    assert today.bounding_box()["width"] >= 30
    size = today.locator(".md-date").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 13
    expect(today.locator(".md-count")).to_contain_text("1")

    older = current.locator("a.month-older")
    name = older.inner_text().strip("‹ ").strip()
    older.click()
    shown = page.locator(".month:visible")
    expect(shown).to_have_count(1)
    expect(shown.locator("h2")).to_contain_text(name)
    expect(current).to_be_hidden()
    shown.locator("a.month-newer").click()
    expect(current).to_be_visible()
    expect(page.locator(".month:visible")).to_have_count(1)


def counts(page) -> dict[str, tuple[int, int]]:
    """Each count as shown, and as the server sent it."""
    return {
        key: (
            int(page.locator(f"#count-{key}").inner_text()),
            int(page.locator(f"#count-{key}").get_attribute("data-count")),
        )
        for key in PERIODS
    }


def test_taps_waiting_offline_are_added_and_marked(browser, live_server, axe_source):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, service_workers="allow", timezone_id="UTC"
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        signed_in(context, live_server, 4)
        page.goto(live_server.url + "/progress")
        wait_for_service_worker(page)
        # Online with nothing waiting, the script changes nothing.
        assert all(shown == sent for shown, sent in counts(page).values())
        assert page.locator(".tally-waiting").count() == 0

        context.set_offline(True)
        page.goto(live_server.url + "/")
        for _ in range(2):
            tap(page)  # a second apart: quicker, the second is asked about as a slip
        expect(page.locator("[data-outbox-badge]")).to_have_text("2 waiting to sync")
        page.goto(live_server.url + "/progress")  # from the service worker's copy
        for key in PERIODS:
            tile = page.locator(f"#count-{key}").locator("xpath=..")
            expect(tile.locator(".tally-waiting")).to_be_visible()
            expect(tile.locator(".tally-waiting")).to_have_text("+2 waiting to sync")
        assert all(shown == sent + 2 for shown, sent in counts(page).values())
        assert counts(page)["all"][1] == 4
        no_axe_violation(page, axe_source)  # the waiting marks, offline

        # Back online, tap.js sends them: the marks go, the counts stay right.
        context.set_offline(False)
        wait_until(page, f"async () => (await ({OUTBOX_COUNT})()) === 0")
        expect(page.locator(".tally-waiting")).to_have_count(0)
        assert counts(page)["all"][0] == 6
        page.reload()
        assert counts(page)["all"] == (6, 6)
        assert page.locator(".tally-waiting").count() == 0
    finally:
        context.close()


def test_a_new_readers_first_taps_offline_are_promised_on_the_empty_page(
    page, context, live_server
):
    page.goto(live_server.url + "/progress")
    wait_for_service_worker(page)
    note = page.locator("[data-progress-empty-waiting]")
    expect(note).to_be_hidden()
    context.set_offline(True)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="I did an act of kindness", exact=True).click()
    expect(page.locator("[data-outbox-badge]")).to_have_text("1 waiting to sync")
    page.goto(live_server.url + "/progress")
    expect(note).to_be_visible()
    expect(note).to_have_text(
        "1 act waiting to sync. It will show up here once you're back online."
    )
    context.set_offline(False)


def test_progress_has_no_axe_violation_in_either_theme(page, context, live_server, axe_source):
    signed_in(context, live_server, 30)
    page.set_viewport_size({"width": 320, "height": 640})
    problems = {}
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        page.goto(live_server.url + "/progress")
        if found := violations(page, axe_source):
            problems[theme] = found
        page.locator(".month-current a.month-older").click()  # an earlier month, shown
        if found := violations(page, axe_source):
            problems[f"{theme}, earlier month"] = found
    assert problems == {}
