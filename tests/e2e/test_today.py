"""Today in real Chromium: the greeting, what a tap shows (count, week, a gentle bloom, none
when motion is unwelcome), double taps, Undo and details of a tap still on the phone, ideas
offline, the "saved" note, and "Log it on Today" at an article's end."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from server.acts.content import IDEAS
from server.articles.content import load_library
from server.settings import ROOT
from tests.e2e.conftest import (
    THEMES,
    no_axe_violation,
    violations,
    wait_for_service_worker,
    wait_until,
)
from tests.e2e.taps import (
    OUTBOX_COUNT,
    OUTBOX_EMPTY,
    OUTBOX_ENTRIES,
    TAP_ANIMATIONS_DONE,
    badge,
    counter,
    export,
    tap,
    tap_button,
    tapped_now,
)

LIBRARY = load_library(ROOT / "content")
CATEGORY_OF_IDEA = {idea.id: idea.category for idea in IDEAS}
# In the page, so a busy test machine can't stretch the gap between the two.
TWO_CLICKS_200_MS_APART = """async () => {
  const button = document.querySelector(".tap-button");
  button.click();
  await new Promise((resolve) => setTimeout(resolve, 200));
  button.click();
}"""
ANIMATION = """([selector, pseudo]) => {
  const style = getComputedStyle(document.querySelector(selector), pseudo);
  return [style.animationName, style.animationDuration];
}"""


def today_dot(page):
    return page.locator("#tap-week li.is-today")


def go_offline(page, context) -> None:
    """Offline once the service worker can serve the app (and has sent what waited)."""
    wait_for_service_worker(page)
    page.evaluate("async () => { await self.LiftedOutbox.replay(); }")
    context.set_offline(True)


def come_back(page, context) -> None:
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_until(page, OUTBOX_EMPTY)


def test_the_greeting_follows_the_phones_clock(browser, live_server):
    # A phone in Los Angeles, two days on in the evening: the page may be a day-old copy, or
    # rendered for a zone the server guessed, and still greets the reader for their evening.
    zone = ZoneInfo("America/Los_Angeles")
    evening = (datetime.now(zone) + timedelta(days=2)).replace(hour=19, minute=30)
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id=zone.key)
    try:
        page = context.new_page()
        page.clock.install(time=evening)
        page.goto(live_server.url + "/")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Good evening")
        date = page.locator("[data-greeting-date]")
        expect(date).to_have_text(f"{evening:%A} {evening.day} {evening:%B}")
        expect(date).to_have_attribute("datetime", evening.date().isoformat())
        page.clock.set_system_time(evening.replace(hour=8))
        page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
        expect(heading).to_have_text("Good morning")
    finally:
        context.close()


# Records each haptic tick a page asks for (Chromium headless has no vibration motor).
COUNT_VIBRATIONS = """window.__ticks = [];
Object.defineProperty(navigator, "vibrate", {value: (p) => (window.__ticks.push(p), true)});"""


def test_a_tap_shows_the_count_the_week_and_a_gentle_bloom(page, live_server):
    page.add_init_script(COUNT_VIBRATIONS)
    page.goto(live_server.url + "/")
    week = page.locator("#tap-week")
    expect(week).to_be_hidden()  # a week without acts shows no row of empty dots
    box = tap_button(page).bounding_box()
    tap(page)
    expect(counter(page)).to_have_text("1 act of kindness today")
    expect(week).to_be_visible()
    expect(week.locator("li")).to_have_count(7)
    expect(today_dot(page)).to_contain_class("is-filled is-today")
    expect(today_dot(page)).to_contain_text(", today: 1 act")
    expect(week.locator("li.is-filled")).to_have_count(1)
    expect(page.locator(".tap-confirmation")).not_to_be_empty()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    expect(today_dot(page)).to_have_attribute("data-count", "1")  # the server's week, swapped in
    assert page.evaluate(ANIMATION, [".tap-button", "::after"]) == ["tap-bloom", "0.7s"]
    assert page.evaluate(ANIMATION, ["[data-tap-count]", None])[0] == "tap-count-in"
    # The button did not move or change size.
    assert tap_button(page).bounding_box() == box
    assert page.evaluate("window.__ticks") == [12]  # one light haptic tick


def test_no_motion_when_the_reader_asks_for_less(page, live_server):
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + "/")
    tap(page)
    expect(counter(page)).to_have_text("1 act of kindness today")
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    assert page.locator(".tap-button.is-bloom").count() == 1
    for selector, pseudo in [(".tap-button", "::after"), ("[data-tap-count]", None)]:
        assert page.evaluate(ANIMATION, [selector, pseudo])[0] == "none", selector
    assert page.evaluate(ANIMATION, [".tap-confirmation", None])[0] == "none"


def test_a_double_tap_is_asked_about_and_spaced_taps_both_count(page, context, live_server):
    page.goto(live_server.url + "/")
    page.evaluate(TWO_CLICKS_200_MS_APART)
    question = page.locator("[data-tap-again]")
    expect(question).to_contain_text("Tapped twice? Counted once.")
    expect(page.get_by_role("button", name="Undo")).to_be_visible()  # the first tap's answer
    expect(question).to_be_visible()  # ... which did not sweep the question away
    expect(counter(page)).to_have_text("1 act of kindness today")
    wait_until(page, OUTBOX_EMPTY)
    assert len(export(page, live_server)) == 1

    page.get_by_role("button", name="Log another").click()
    expect(counter(page)).to_have_text("2 acts of kindness today")
    expect(question).to_have_count(0)
    expect(tap_button(page)).to_be_focused()
    wait_until(page, OUTBOX_EMPTY)
    assert len(export(page, live_server)) == 2

    page.wait_for_timeout(1500)
    tap_button(page).click()
    page.wait_for_timeout(1500)
    tap_button(page).click()
    expect(counter(page)).to_have_text("4 acts of kindness today")
    expect(question).to_have_count(0)

    # Offline the same: one waits, the quick second is asked about.
    go_offline(page, context)
    page.wait_for_timeout(1100)
    page.evaluate(TWO_CLICKS_200_MS_APART)
    expect(question).to_be_visible()
    expect(badge(page)).to_have_text("1 waiting to sync")
    come_back(page, context)
    acts = export(page, live_server)
    assert len(acts) == 5 and len({act["id"] for act in acts}) == 5


def test_undo_of_an_offline_tap_keeps_it_from_the_server(page, context, live_server):
    page.goto(live_server.url + "/")
    go_offline(page, context)
    tap(page)
    expect(page.locator(".tap-confirmation")).to_contain_text("Saved on this phone")
    expect(badge(page)).to_have_text("1 waiting to sync")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".tap-confirmation")).to_have_text("Removed. No harm done.")
    expect(counter(page)).to_have_text("Nothing logged yet today, and that's okay")
    expect(badge(page)).to_have_text("")
    expect(page.locator("#tap-week")).to_be_hidden()
    expect(tap_button(page)).to_be_focused()
    assert page.evaluate(OUTBOX_COUNT) == 0
    come_back(page, context)
    page.wait_for_load_state("networkidle")
    assert export(page, live_server) == []


def test_details_of_an_offline_tap_travel_with_it(page, context, live_server):
    page.goto(live_server.url + "/")
    go_offline(page, context)
    tap(page)
    page.get_by_role("link", name="Add details").click()
    form = page.locator("[data-details-form]")
    expect(form.get_by_role("heading", name="Add details")).to_be_focused()
    # The same chips, faces and note counter as an act's own page, from the same markup.
    kinds = form.get_by_role("group", name="What kind of kindness?")
    expect(kinds.get_by_role("radio", name="Act of kindness")).to_be_checked()
    kinds.locator("label.kind-option", has_text="Listening").click()
    note = form.get_by_label("A short note")
    note.press_sequentially("Sat with my neighbour a while")
    expect(form.locator("[data-note-count]")).to_have_text("29 of 500")
    form.get_by_role("group", name="How did you feel before?").locator("label.face-2").click()
    after = form.get_by_role("group", name="And after?")
    after.locator("label.face-4").click()
    expect(after.locator("label.face-4 .face-name")).to_have_css("opacity", "1")
    form.get_by_role("button", name="Save details").click()
    expect(form).to_have_count(0)
    expect(page.locator(".tap-confirmation")).to_have_text(
        "Details added. They'll be sent with your act."
    )
    (entry,) = page.evaluate(OUTBOX_ENTRIES)
    assert entry["details"]["note"] == "Sat with my neighbour a while"

    come_back(page, context)
    # The calm note that they arrived: a status line, not a toast that takes focus.
    saved = page.get_by_role("status").filter(has_text="Your act is saved.")
    expect(saved).to_be_visible()
    assert page.evaluate("document.activeElement.closest('[data-outbox-badge]')") is None
    (act,) = export(page, live_server)
    assert act["id"] == entry["id"]
    assert (act["category"], act["note"]) == ("listening", "Sat with my neighbour a while")
    assert (act["mood_before"], act["mood_after"]) == (2, 4)
    expect(saved).to_have_count(0, timeout=10000)
    # Once the act is on the server, its details are its own page's.
    page.get_by_role("link", name="Add details").click()
    expect(page).to_have_url(f"{live_server.url}/acts/{act['id']}?next=/")


def test_another_idea_works_offline(page, context, live_server):
    page.goto(live_server.url + "/")
    go_offline(page, context)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    text = page.locator(".idea-text")
    first = text.inner_text()
    page.get_by_role("link", name="Another idea").click()
    expect(text).not_to_have_text(first)
    idea = next(idea for idea in IDEAS if idea.text == text.inner_text())
    expect(page.locator(".idea-why")).to_have_attribute("href", f"/articles/{idea.article}")
    for _ in range(len(IDEAS) - 1):
        page.get_by_role("link", name="Another idea").click()
    expect(text).to_have_text(first)  # round the whole deck
    assert asked == [] and page.url == live_server.url + "/"


def test_log_it_on_today_from_an_article(page, context, live_server, axe_source):  # noqa: F811
    article = LIBRARY.articles[0]
    kind = CATEGORY_OF_IDEA[article.idea]
    page.goto(live_server.url + article.url)
    box = page.locator("#try-today")
    tap(page, box.get_by_role("button", name="Log it on Today"))
    expect(box.locator("[data-tap-count]")).to_have_text("1 act of kindness today")
    expect(box.get_by_role("button", name="Undo")).to_be_visible()
    (act,) = export(page, live_server)
    assert act["category"] == kind
    # Its details page returns here when saved.
    expect(box.get_by_role("link", name="Add details")).to_have_attribute(
        "href", f"/acts/{act['id']}?next={article.url}"
    )
    page.evaluate(TAP_ANIMATIONS_DONE)
    no_axe_violation(page, axe_source)  # the article's own confirmation
    # Undo right there (htmx is on this page too: the undo is sent once, by tap.js).
    with page.expect_request(lambda request: request.url.endswith("/delete")):
        box.get_by_role("button", name="Undo").click()
    expect(box.locator(".tap-confirmation")).to_have_text("Removed. No harm done.")
    page.wait_for_load_state("networkidle")
    assert export(page, live_server) == []

    # Offline: kept on the phone with its kind; its details are added on Today.
    go_offline(page, context)
    page.reload()
    tap(page, box.get_by_role("button", name="Log it on Today"))
    expect(box.locator(".tap-confirmation")).to_contain_text("Saved on this phone")
    expect(box.get_by_role("button", name="Undo")).to_be_visible()
    box.get_by_role("link", name="Add details").click()
    form = page.locator("[data-details-form]")
    kinds = form.get_by_role("group", name="What kind of kindness?")
    expect(kinds.locator(f"input[name=category][value={kind}]")).to_be_checked()
    form.get_by_label("A short note").fill("After reading")
    form.get_by_role("button", name="Save details").click()
    expect(page.locator("#tap-status .tap-confirmation")).to_contain_text("Details added")
    come_back(page, context)
    acts = export(page, live_server)
    assert [(a["category"], a["note"]) for a in acts] == [(kind, "After reading")]


def test_the_button_fits_a_small_phone_one_tap_from_opening(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 568}, is_mobile=True)
    try:
        page = context.new_page()
        for path in ("/", "/#log"):  # the app, and the manifest's "Log an act" shortcut
            page.goto(live_server.url + path)
            button = tap_button(page)
            box = button.bounding_box()
            assert box["height"] >= 96 and box["y"] >= 0 and box["y"] + box["height"] <= 568
            lines = button.evaluate(
                "(b) => { const r = document.createRange(); r.selectNodeContents(b);"
                " return new Set([...r.getClientRects()].map((l) => Math.round(l.top))).size; }"
            )
            assert lines == 1, path
    finally:
        context.close()


def test_the_states_after_a_tap_pass_axe_in_both_themes(page, context, live_server, axe_source):  # noqa: F811
    """The week, the double-tap question, an offline tap's details form and the saved note."""
    page.goto(live_server.url + "/")
    page.evaluate(TWO_CLICKS_200_MS_APART)
    tapped_now(page)
    expect(page.locator("[data-tap-again]")).to_be_visible()
    go_offline(page, context)
    tap(page)
    # The offline tap's own links, not the online tap's still on screen a moment before.
    expect(page.locator("#tap-status .tap-confirmation")).to_contain_text("Saved on this phone")
    page.get_by_role("link", name="Add details").click()
    expect(page.locator("[data-details-form]")).to_be_visible()
    page.evaluate(TAP_ANIMATIONS_DONE)  # mid-fade, text is paler than it will be
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert violations(page, axe_source) == [], theme
    page.locator("[data-details-form]").get_by_role("button", name="Save details").click()
    come_back(page, context)
    expect(badge(page)).to_have_text("Your act is saved.")
    page.evaluate(TAP_ANIMATIONS_DONE)
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert violations(page, axe_source) == [], theme
