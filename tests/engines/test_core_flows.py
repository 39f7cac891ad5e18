"""The core flows in Firefox ESR and WebKitGTK (Chromium has the full suite in tests/e2e): the
service worker takes over and every article and /help read with the server stopped; a tap
counts and Undo takes it back; taps made with the server stopped reach it exactly once with
nobody touching the page; the topic filter; text size; and every main page renders with no
script error and no sideways scroll. A smoke, not a copy of the Chromium suite."""

from __future__ import annotations

import time

# The service worker controls the page and holds each given path (args[0]) in its cache.
CACHED = """
await navigator.serviceWorker.ready;
if (!navigator.serviceWorker.controller) return false;
for (const path of args[0]) { if (!(await caches.match(path))) return false; }
return true;"""
ACTS = "return (await (await fetch('/account/export.json', {cache: 'no-store'})).json()).acts;"
COUNT_NOW = "Number(document.querySelector('[data-tap-count]').dataset.count)"
COUNT = f"return {COUNT_NOW};"
COUNT_IS = f"return {COUNT_NOW} === args[0];"
TAP = "document.querySelector('.tap-button').click(); return true;"
# web/static/tap.js BURST_MS: a second tap within a second is asked about, not counted.
BETWEEN_TAPS = 1.2
# Waiting taps are retried on a timer from 5 s, doubling (web/static/outbox.js keepTrying).
SYNC_WITHIN = 30.0
PAGES = ["/", "/articles", "/progress", "/acts", "/settings", "/settings/reminders", "/help"]


def test_every_article_and_help_read_with_the_server_stopped(engine, up):
    engine.goto(up.url + "/articles")
    articles = engine.js(
        """return [...document.querySelectorAll('.article-list h2 a')]
          .map((a) => [a.getAttribute('href'), a.textContent.trim()]);"""
    )
    assert len(articles) >= 5
    engine.wait(CACHED, ["/", "/help", *(href for href, _ in articles)], timeout=30)
    up.stop()
    try:
        for href, title in articles:
            engine.goto(up.url + href)
            assert engine.js("return document.querySelector('h1').textContent.trim();") == title
            assert engine.js("return document.querySelectorAll('main p').length;") > 3
        engine.goto(up.url + "/help")
        calls = engine.js("return document.querySelectorAll('a[href^=\"tel:\"]').length;")
        assert calls >= 1  # the lines to call, offline too
        assert engine.errors() == []  # nothing failed while offline, icons included
    finally:
        up.start()


def test_a_tap_counts_and_undo_takes_it_back(engine, up):
    engine.goto(up.url + "/")
    before = engine.js(COUNT)
    stored = len(engine.js(ACTS))
    engine.js(TAP)
    engine.wait(COUNT_IS, before + 1)
    assert len(engine.js(ACTS)) == stored + 1
    engine.wait("return !!document.querySelector('[data-undo] button');")
    engine.js("document.querySelector('[data-undo] button').click(); return true;")
    engine.wait(COUNT_IS, before)
    assert len(engine.js(ACTS)) == stored
    assert engine.errors() == []


def test_taps_made_offline_arrive_once_with_nobody_touching_the_page(engine, up, capsys):
    engine.goto(up.url + "/")
    engine.wait(CACHED, ["/"], timeout=30)
    stored = {act["id"] for act in engine.js(ACTS)}
    time.sleep(BETWEEN_TAPS)  # clear of any earlier test's tap
    up.stop()
    try:
        engine.js(TAP)
        time.sleep(BETWEEN_TAPS)
        engine.js(TAP)
        engine.wait(
            "return (document.querySelector('[data-outbox-badge]').textContent || '')"
            ".includes('2 waiting to sync');"
        )
    finally:
        up.start()
    started = time.monotonic()
    # Nothing is touched now: the page's own retry must send both.
    engine.wait(
        "const box = await self.LiftedOutbox.outbox.all(); return box.length === 0;",
        timeout=SYNC_WITHIN,
    )
    took = time.monotonic() - started
    acts = engine.js(ACTS)
    new = [act for act in acts if act["id"] not in stored]
    assert len(new) == 2 and len(acts) == len(stored) + 2
    with capsys.disabled():
        print(f"\n{engine.name}: two offline taps stored {took:.1f} s after the server came back")


def test_the_topic_filter_narrows_the_library(engine, up):
    engine.goto(up.url + "/articles")
    every = engine.js("return document.querySelectorAll('.article-entry').length;")
    label = engine.js(
        """const link = document.querySelectorAll('.topic-filter a')[1];
        link.click(); return link.textContent.trim();"""
    )
    engine.wait(
        """const chosen = document.querySelector('.topic-filter a[aria-current=page]');
        return chosen && chosen.textContent.trim() === args[0];""",
        label,
    )
    shown = engine.js("return document.querySelectorAll('.article-entry').length;")
    assert 0 < shown < every
    assert engine.errors() == []


def test_text_size_grows_and_is_kept(engine, up):
    engine.goto(up.url + "/articles")
    href = engine.js("return document.querySelector('.article-list h2 a').getAttribute('href');")
    engine.goto(up.url + href)
    now = "parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)"
    size = f"return {now};"
    before = engine.js(size)
    engine.js("document.querySelector('[data-text-size=large]').click(); return true;")
    engine.wait(f"return {now} > args[0];", before)
    engine.goto(up.url + href)
    assert engine.js(size) > before
    pressed = (
        "return document.querySelector('[data-text-size=large]').getAttribute('aria-pressed');"
    )
    assert engine.js(pressed) == "true"
    engine.js("document.querySelector('[data-text-size=medium]').click(); return true;")


def test_main_pages_render_without_errors_or_sideways_scroll(engine, up):
    for path in PAGES:
        engine.goto(up.url + path)
        engine.wait("return document.readyState === 'complete';")
        scroll, view = engine.width()
        assert scroll <= view, f"{engine.name} {path}: {scroll} px wide in a {view} px window"
        assert engine.errors() == [], f"{engine.name} {path}"


def test_reminders_say_what_this_browser_can_do(engine, up):
    engine.goto(up.url + "/settings/reminders")
    status = "return document.querySelector('[data-push-status]').textContent.trim();"
    enable = "return !document.querySelector('[data-push-enable]').hidden;"
    if engine.name == "webkit":  # WebKitGTK has no Push API: say so, and what works instead
        said = engine.wait(status)
        assert "can't show notifications" in said and "card appears on Today" in said
        assert engine.js(enable) is False
    else:
        engine.wait(enable)
        assert engine.js(status) == ""
    assert engine.errors() == []
