"""A reminder is useful from the notification itself (Chromium): the declarative payload the
server sends shows with "I did one" and "Snooze 1 hour". I did one logs exactly one act
without opening Lifted, online or offline (through the same outbox as a tap), and clears the
app badge; Snooze asks the server for one more reminder and says what it did."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from server.reminders import texts
from tests.e2e.conftest import LiveServer, wait_for_service_worker, wait_until
from tests.e2e.push_fakes import click, push, registration_id, wait_for_notification, worker_of
from tests.e2e.taps import OUTBOX_EMPTY, export

# The service worker records what the Badging API was asked (Chromium headless has no shelf).
# Which notifications the worker closed (by their titles).
CLOSE_SPY = """() => {
  self.closed = [];
  const close = Notification.prototype.close;
  Notification.prototype.close = function () {
    self.closed.push(this.title);
    return close.call(this);
  };
}"""
BADGE_SPY = """() => {
  self.badgeCalls = [];
  self.navigator.setAppBadge = async (n) => { self.badgeCalls.push(["set", n]); };
  self.navigator.clearAppBadge = async () => { self.badgeCalls.push(["clear"]); };
}"""


@pytest.fixture
def own_server(tmp_path):
    server = LiveServer(tmp_path).start()
    yield server
    server.stop()


def reminder(page, context, server, discreet: bool = False):
    """A page controlled by the worker, and the worker with a real reminder pushed to it."""
    context.grant_permissions(["notifications"], origin=server.url)
    page.goto(server.url + "/settings/reminders")
    wait_for_service_worker(page)
    registration = registration_id(page, context, server.url)
    worker = worker_of(context)
    worker.evaluate(BADGE_SPY)
    payload = texts.compose(discreet=discreet).payload(server.url)
    push(page, server.url, registration, payload)
    [shown] = wait_for_notification(page)
    assert shown["title"] == json.loads(payload)["notification"]["title"]
    assert shown["data"] == {"url": "/#log", "discreet": discreet}
    assert shown["actions"] == ["done", "snooze"]
    assert worker.evaluate("self.badgeCalls") == [["set", 1]]
    return worker


def notifications(page, expected: str = "") -> list[str]:
    """The titles on screen, once one reads ``expected`` (the action's quiet answer)."""
    titles = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => n.title)"""
    if expected:
        wait_until(page, f"async () => (await ({titles})()).includes({json.dumps(expected)})")
    return page.evaluate(titles)


def test_i_did_one_logs_one_act_without_opening_lifted(page, context, own_server):
    worker = reminder(page, context, own_server)
    assert worker.evaluate("self.registration.active !== null")
    click(worker, "done")
    assert notifications(page, "Logged. Thank you.") == ["Logged. Thank you."]
    acts = export(page, own_server)
    assert len(acts) == 1
    assert ["clear"] in worker.evaluate("self.badgeCalls")
    assert page.url.endswith("/settings/reminders")  # no window was opened or moved


def test_i_did_one_offline_waits_and_arrives_exactly_once(page, context, own_server):
    worker = reminder(page, context, own_server)
    own_server.stop()
    click(worker, "done")
    assert notifications(page, "Saved on this phone") == ["Saved on this phone"]
    assert page.evaluate(f"({OUTBOX_EMPTY})()") is False

    own_server.start()
    # The open page (or Background Sync) sends it; a second replay changes nothing.
    page.evaluate("self.LiftedOutbox.replay()")
    worker.evaluate("self.LiftedOutbox.replay()")
    expect(page.locator("body")).to_be_visible()
    acts = export(page, own_server)
    assert len(acts) == 1
    assert page.evaluate(f"({OUTBOX_EMPTY})()") is True


def test_i_did_one_gives_way_at_once_and_always_answers(page, context, own_server):
    """The reminder can't be pressed twice while its act is on its way (a second press would
    log a second act), and a failure after the act is kept still ends in an answer."""
    worker = reminder(page, context, own_server)
    worker.evaluate("() => { self.LiftedOutbox.replay = () => new Promise(() => {}); }")
    click(worker, "done")  # the connection hangs
    assert notifications(page, "Saved") == ["Saved"]
    assert wait_for_notification(page)[0]["actions"] == []  # no button left to press twice

    worker.evaluate(
        """() => {
          self.LiftedOutbox.replay = async () => ({ results: [], refused: [], left: 1 });
          self.LiftedOutbox.outbox.all = async () => { throw new Error("storage went away"); };
        }"""
    )
    click(worker, "done")
    assert notifications(page, "Saved on this phone") == ["Saved on this phone"]


def test_snooze_asks_the_server_for_one_more_and_says_so(page, context, own_server):
    context.grant_permissions(["notifications"], origin=own_server.url)
    page.goto(own_server.url + "/settings/reminders")
    page.get_by_label("Send me a gentle reminder").check()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.locator("#reach")).to_be_visible()
    worker = reminder(page, context, own_server)
    worker.evaluate(CLOSE_SPY)
    click(worker, "snooze")
    assert notifications(page, "Snoozed for an hour") == ["Snoozed for an hour"]
    # The answer replaced the reminder (same tag): closing it too could have taken the answer
    # away when it came at once, as offline (Chromium closes by tag).
    assert worker.evaluate("self.closed") == []
    assert export(page, own_server) == []  # a snooze logs nothing
    page.reload()
    # The next reminder on the settings page is now the snooze, about an hour away.
    expect(page.locator("#reach")).to_contain_text(re.compile("next reminder", re.I))

    own_server.stop()
    click(worker, "snooze")  # fails at once: the answer must not be closed right after it
    assert notifications(page, "Couldn't snooze") == ["Couldn't snooze"]
    assert worker.evaluate("self.closed") == []
    own_server.start()


def test_a_test_reminder_offers_no_actions(page, context, own_server):
    context.grant_permissions(["notifications"], origin=own_server.url)
    page.goto(own_server.url + "/settings/reminders")
    wait_for_service_worker(page)
    registration = registration_id(page, context, own_server.url)
    worker_of(context).evaluate(BADGE_SPY)
    push(
        page,
        own_server.url,
        registration,
        texts.compose(tag=texts.TEST_TAG).payload(own_server.url),
    )
    [shown] = wait_for_notification(page)
    assert shown["actions"] == []
    assert worker_of(context).evaluate("self.badgeCalls") == []


def test_a_discreet_reminder_is_answered_discreetly(page, context, own_server):
    worker = reminder(page, context, own_server, discreet=True)
    click(worker, "done")
    assert notifications(page, "Done") == ["Done"]
    assert len(export(page, own_server)) == 1
