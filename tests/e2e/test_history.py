"""An act's details and the history in real Chromium: the mood faces (by pointer, by keyboard,
and as a screen reader names them), the note's counter, deleting with Undo, and the history
opened offline showing the taps still waiting on the phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import no_axe_violation, wait_for_service_worker
from tests.e2e.test_tracker import export, tap_button

ACT_PAGE = re.compile(r"/acts/([0-9a-f-]{36})\?next=")


def open_new_act(page, base: str) -> str:
    """Taps on Today, follows "Add details" to the act's page; returns the act's id."""
    page.goto(base + "/")
    tap_button(page).click()
    page.get_by_role("link", name="Add details").click()
    expect(page).to_have_url(ACT_PAGE)
    return ACT_PAGE.search(page.url).group(1)


def test_mood_faces_by_pointer_keyboard_and_screen_reader(page, live_server, axe_source):
    act_id = open_new_act(page, live_server.url)
    before = page.get_by_role("group", name="How did you feel before?")
    after = page.get_by_role("group", name="And after?")
    # Each face is a radio a screen reader names in words, with "Not set" chosen at first.
    names = ["Very low", "Low", "Okay", "Good", "Very good", "Not set"]
    for name in names:
        expect(before.get_by_role("radio", name=name, exact=True)).to_have_count(1)
    expect(before.get_by_role("radio", name="Not set")).to_be_checked()
    low = before.locator("label.face-2")
    expect(low.locator(".face-name")).to_have_css("opacity", "0")

    low.click()  # the face itself, as a finger would
    expect(before.get_by_role("radio", name="Low", exact=True)).to_be_checked()
    expect(low.locator(".face-name")).to_have_css("opacity", "1")
    expect(low.locator(".face-name")).to_have_text("Low")
    # Arrow keys move along the faces, like any radio group.
    page.keyboard.press("ArrowRight")
    expect(before.get_by_role("radio", name="Okay", exact=True)).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(before.get_by_role("radio", name="Good", exact=True)).to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(before.get_by_role("radio", name="Okay", exact=True)).to_be_checked()
    after.locator("label.face-5").click()
    after.locator("label.mood-clear").click()  # changed my mind
    expect(after.get_by_role("radio", name="Not set")).to_be_checked()
    after.locator("label.face-4").click()
    no_axe_violation(page, axe_source)  # the chosen faces, named

    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/\?saved=1#log$"))  # back to Today
    expect(page.locator(".tap-confirmation")).to_have_text("Saved your changes.")
    (act,) = export(page, live_server)
    assert (act["id"], act["mood_before"], act["mood_after"]) == (act_id, 3, 4)


def test_the_note_counts_as_you_type_and_stops_at_the_limit(page, live_server):
    open_new_act(page, live_server.url)
    note, count = page.get_by_label("A short note"), page.locator("#note-count")
    expect(count).to_have_text("0 of 500")
    note.press_sequentially("Held the door")
    expect(count).to_have_text("13 of 500")
    note.fill("x" * 600)  # a long paste: the field keeps the first 500
    expect(count).to_have_text("500 of 500")
    assert len(note.input_value()) == 500
    # Screen readers hear the count once typing pauses.
    expect(page.locator("[data-note-count-spoken]")).to_have_text("500 of 500 characters")


def test_delete_asks_nothing_and_undo_brings_the_act_back(page, live_server, axe_source):
    act_id = open_new_act(page, live_server.url)
    page.get_by_label("A short note").fill("Carried the shopping up")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{live_server.url}/acts")
    page.locator(f"#act-{act_id} a").click()
    page.get_by_role("button", name="Delete this act").click()

    expect(page).to_have_url(re.compile(rf"/acts\?deleted={act_id}$"))
    expect(page.locator(".undo-notice")).to_contain_text("Deleted.")
    expect(page.locator(f"#act-{act_id}")).to_have_count(0)
    assert export(page, live_server) == []
    no_axe_violation(page, axe_source)
    page.get_by_role("button", name="Undo").click()
    expect(page).to_have_url(re.compile(rf"/acts\?restored=1#act-{act_id}$"))
    expect(page.locator(f"#act-{act_id}")).to_contain_text("Carried the shopping up")
    (act,) = export(page, live_server)
    assert (act["id"], act["note"]) == (act_id, "Carried the shopping up")


def test_undo_after_a_delete_goes_after_ten_seconds(page, live_server):
    page.clock.install()
    act_id = open_new_act(page, live_server.url)
    page.get_by_role("button", name="Delete this act").click()
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    page.clock.run_for(9000)
    expect(undo).to_be_visible()
    page.clock.run_for(1500)
    expect(undo).to_have_count(0)
    expect(page.locator(".undo-notice")).to_contain_text("Deleted.")  # the words stay
    assert act_id not in str(export(page, live_server))


def test_history_offline_shows_the_taps_waiting_to_sync(page, context, live_server, axe_source):
    page.goto(live_server.url + "/")
    wait_for_service_worker(page)
    tap_button(page).click()
    expect(page.locator(".tap-confirmation")).not_to_be_empty()
    page.goto(live_server.url + "/acts")  # online: the service worker keeps this copy
    expect(page.locator(".act-day")).to_have_count(1)
    day = page.locator(".act-day h2").inner_text()

    context.set_offline(True)
    page.goto(live_server.url + "/")
    tap_button(page).click()
    expect(page.locator("[data-outbox-badge]")).to_have_text("1 waiting to sync")
    page.goto(live_server.url + "/acts")  # the cached copy, from before this tap
    waiting = page.locator(".act-waiting")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Act of kindness")
    expect(waiting).to_contain_text("Waiting to sync")
    # In its day, counted there, above the act the server already holds.
    today = page.locator(".act-day").first
    expect(today.locator("h2")).to_have_text(day.replace("1 act", "2 acts"))
    expect(today.locator("li").first).to_have_class("act-waiting")
    no_axe_violation(page, axe_source)

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # Sent: the row opens its act like the others, and the server holds both.
    expect(page.locator(".act-waiting")).to_have_count(0)
    expect(today.locator("li a.row")).to_have_count(2)
    sent_id = today.locator("li").first.get_attribute("id").removeprefix("act-")
    expect(today.locator("li a.row").first).to_have_attribute("href", f"/acts/{sent_id}?next=/acts")
    assert len(export(page, live_server)) == 2
