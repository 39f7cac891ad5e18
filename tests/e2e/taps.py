"""The tap in a browser, for every browser test that taps: finding the button and the counter,
tapping like a person (never two taps within a second, which tap.js asks about instead of
counting), reading the outbox and what the server stored."""

from __future__ import annotations

import time

BUTTON = "I did an act of kindness"
# web/static/tap.js BURST_MS: a second tap sooner than this is a question, not an act.
BURST_SECONDS = 1.0
OUTBOX_COUNT = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("lifted", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").count();
    request.onsuccess = () => { resolve(request.result); open.result.close(); };
  };
})"""
OUTBOX_EMPTY = f"async () => (await ({OUTBOX_COUNT})()) === 0"
OUTBOX_ENTRIES = "async () => await self.LiftedOutbox.outbox.all()"
# The bloom and fades after a tap (app.css, tap-*) last under a second: what a reader sees once
# they are over (a picture, a contrast check) waits for them.
TAP_ANIMATIONS_DONE = """() => Promise.all(document.getAnimations()
  .filter((animation) => (animation.animationName || "").startsWith("tap-"))
  .map((animation) => animation.finished.catch(() => null)))"""
_last_tap: dict[int, float] = {}


def tap_button(page):
    return page.get_by_role("button", name=BUTTON, exact=True)


def counter(page):
    return page.locator("[data-tap-count]")


def badge(page):
    return page.locator("[data-outbox-badge]")


def tap(page, button=None) -> None:
    """One deliberate tap (Today's button unless ``button``): waits out the double-tap second
    since this page's last tap."""
    since = time.monotonic() - _last_tap.get(id(page), float("-inf"))
    if since < BURST_SECONDS + 0.1:
        time.sleep(BURST_SECONDS + 0.1 - since)
    (button or tap_button(page)).click()
    _last_tap[id(page)] = time.monotonic()


def tapped_now(page) -> None:
    """Records a tap made another way (a script's click), so the next ``tap`` waits for it."""
    _last_tap[id(page)] = time.monotonic()


def export(page, live_server) -> list[dict]:
    """The acts the server holds for this browser's reader."""
    response = page.request.get(live_server.url + "/account/export.json")
    assert response.ok
    return response.json()["acts"]
