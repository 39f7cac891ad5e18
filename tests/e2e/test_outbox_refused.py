"""A tap the server refuses for good (400, 413, ...) is kept, shown, and left to the reader:
never dropped, never retried in a loop, and the taps beside it are still sent exactly once."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from urllib.parse import parse_qs

from playwright.sync_api import expect

from tests.e2e.conftest import violations, wait_for_service_worker, wait_until
from tests.e2e.test_accessible import THEMES

# Writes taps into the outbox as tap.js would, the first one oldest. `bad_time` entries carry a
# time the server cannot read, so it answers 400 however often they are sent.
PUT = """async ({ taps }) => {
  const { localDate, zone } = self.LiftedOutbox;
  const now = Date.now();
  const items = taps.map(([id, badTime], index) => ({
    id,
    occurred_at: badTime ? "not a time" : new Date(now).toISOString(),
    timezone: zone(),
    local_date: localDate(new Date(now), zone()),
    queued_at: new Date(now - 10000 + index * 1000).toISOString(),
  }));
  await Promise.all(items.map((item) => self.LiftedOutbox.outbox.add(item)));
}"""
ENTRIES = "async () => await self.LiftedOutbox.outbox.all()"
REPLAY_TRIGGERS = 3


def posted_ids(context) -> Counter:
    """How many times each tap id was POSTed to /acts, counted as the browser sends them."""
    sent: Counter = Counter()

    def count(request):
        if request.method == "POST" and request.url.endswith("/acts"):
            sent[parse_qs(request.post_data or "").get("id", [""])[0]] += 1

    context.on("request", count)
    return sent


def notice(page):
    return page.locator("[data-outbox-attention]")


def refused_entry(page, key: str):
    return page.locator(f'[data-outbox-refused="{key}"]')


def act_ids(page, live_server) -> set[str]:
    response = page.request.get(live_server.url + "/account/export.json")
    assert response.ok
    return {act["id"] for act in response.json()["acts"]}


def settle(page) -> None:
    """Gives every replay the page may start a chance to run (they queue under one lock)."""
    page.wait_for_load_state("networkidle")
    page.evaluate("async () => { await self.LiftedOutbox.replay(); }")


def test_a_refused_tap_waits_for_the_reader_and_its_neighbours_go_once(browser, live_server):
    # Without a service worker, so the page's own replay is the one tested (and routed).
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        refused_then_chosen(page, context, live_server)
    finally:
        context.close()


def refused_then_chosen(page, context, live_server) -> None:
    sent = posted_ids(context)
    bad, flaky, good = (str(uuid.uuid4()) for _ in range(3))
    refusals = {"count": 0}

    # `flaky` is refused once as too large (the server's own 413 words), then let through.
    def refuse_flaky_once(route):
        if flaky in (route.request.post_data or "") and not refusals["count"]:
            refusals["count"] += 1
            body = json.dumps({"error": "Please send something shorter.", "status": 413})
            route.fulfill(status=413, body=body, content_type="application/json")
        else:
            route.continue_()

    page.route("**/acts", refuse_flaky_once)
    page.goto(live_server.url + "/")
    expect(page.locator("[data-tap-count]")).to_contain_text("Nothing logged yet today")
    page.evaluate(PUT, {"taps": [[bad, True], [flaky, False], [good, False]]})
    page.evaluate("() => window.dispatchEvent(new Event('online'))")

    expect(notice(page)).to_be_visible()
    expect(notice(page)).to_contain_text("2 taps couldn't be saved")
    expect(refused_entry(page, bad)).to_contain_text("was not understood")
    expect(refused_entry(page, flaky)).to_contain_text("Please send something shorter.")
    # The good tap counts; refused ones count neither today nor as waiting to sync.
    expect(page.locator("[data-tap-count]")).to_have_text("1 act of kindness today")
    expect(page.locator("[data-outbox-badge]")).not_to_contain_text("waiting")

    # Every way a replay starts (back online, a page load) leaves the refused taps alone.
    for _ in range(REPLAY_TRIGGERS):
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
    settle(page)
    page.reload()
    expect(notice(page)).to_contain_text("2 taps couldn't be saved")
    settle(page)
    assert (sent[bad], sent[flaky], sent[good]) == (1, 1, 1)
    assert len(page.evaluate(ENTRIES)) == 2

    with page.expect_response(lambda r: flaky in (r.request.post_data or "")) as answer:
        refused_entry(page, flaky).get_by_role("button", name="Try again").click()
    assert answer.value.status == 200
    expect(refused_entry(page, flaky)).to_have_count(0)
    expect(notice(page)).to_contain_text("1 tap couldn't be saved")
    expect(page.locator("[data-tap-count]")).to_have_text("2 acts of kindness today")
    # The pressed button went with its tap; keyboard focus stays in the notice.
    expect(page.get_by_text("1 tap couldn't be saved")).to_be_focused()

    with page.expect_response(lambda r: bad in (r.request.post_data or "")) as answer:
        refused_entry(page, bad).get_by_role("button", name="Try again").click()
    assert answer.value.status == 400
    expect(refused_entry(page, bad)).to_contain_text("it still couldn't be saved")

    refused_entry(page, bad).get_by_role("button", name="Remove it").click()
    expect(notice(page)).to_be_hidden()
    expect(page.locator("#main")).to_be_focused()
    assert page.evaluate(ENTRIES) == []
    settle(page)
    assert (sent[bad], sent[flaky], sent[good]) == (2, 2, 1)
    assert act_ids(page, live_server) == {good, flaky}


def test_the_service_worker_keeps_a_refused_tap_aside_too(page, context, live_server):
    bad, good = str(uuid.uuid4()), str(uuid.uuid4())
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    settle(page)
    # Written after the page's own replay on load, so the service worker's is the one to send.
    page.evaluate(PUT, {"taps": [[bad, True], [good, False]]})
    worker = context.service_workers[0]
    replay = """async () => {
        const outcome = await self.LiftedOutbox.replay();
        const sent = outcome.results.map((result) => result.id);
        return { sent, refused: outcome.refused, left: outcome.left };
    }"""
    assert worker.evaluate(replay) == {"sent": [good], "refused": [bad], "left": 0}
    # A second Background Sync sends nothing: the refused tap is not retried.
    assert worker.evaluate(replay) == {"sent": [], "refused": [], "left": 0}
    entries = page.evaluate(ENTRIES)
    assert [(e["id"], e["refused"]["status"]) for e in entries] == [(bad, 400)]

    page.reload()
    expect(notice(page)).to_contain_text("1 tap couldn't be saved")
    expect(refused_entry(page, bad)).to_contain_text("was not understood")
    expect(page.locator("[data-tap-count]")).to_have_text("1 act of kindness today")
    wait_until(page, "async () => (await self.LiftedOutbox.outbox.all()).length === 1")
    assert act_ids(page, live_server) == {good}


def test_the_notice_passes_axe_in_both_themes(page, live_server, axe_source):
    page.goto(live_server.url + "/")
    page.evaluate(PUT, {"taps": [[str(uuid.uuid4()), True], [str(uuid.uuid4()), True]]})
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(notice(page)).to_contain_text("2 taps couldn't be saved")
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert violations(page, axe_source) == [], theme
