"""A reminder is useful from the notification itself (Chromium): the declarative payload the
server sends shows with an "I did one" action, which logs exactly one act without opening
Lifted, online or offline (through the same outbox as a tap), and clears the app badge."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from server.reminders import texts
from tests.e2e.conftest import LiveServer, wait_for_service_worker
from tests.e2e.push_fakes import push, registration_id, wait_for_notification, worker_of
from tests.e2e.taps import OUTBOX_EMPTY, export

# The service worker records what the Badging API was asked (Chromium headless has no shelf).
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


def reminder(page, context, server):
    """A page controlled by the worker, and the worker with a real reminder pushed to it."""
    context.grant_permissions(["notifications"], origin=server.url)
    page.goto(server.url + "/settings/reminders")
    wait_for_service_worker(page)
    registration = registration_id(page, context, server.url)
    worker = worker_of(context)
    worker.evaluate(BADGE_SPY)
    payload = texts.compose().payload(server.url)
    push(page, server.url, registration, payload)
    [shown] = wait_for_notification(page)
    assert shown["title"] == json.loads(payload)["notification"]["title"]
    assert shown["data"] == {"url": "/#log"}
    assert worker.evaluate("self.badgeCalls") == [["set", 1]]
    return worker


def notifications(page) -> list[str]:
    return page.evaluate(
        """async () => (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => n.title)"""
    )


def test_i_did_one_logs_one_act_without_opening_lifted(page, context, own_server):
    worker = reminder(page, context, own_server)
    assert worker.evaluate("self.registration.active !== null")
    # What the click on the action runs (no protocol command clicks a native notification).
    worker.evaluate("logFromNotification()")
    acts = export(page, own_server)
    assert len(acts) == 1
    assert notifications(page) == ["Logged. Thank you."]
    assert ["clear"] in worker.evaluate("self.badgeCalls")
    assert page.url.endswith("/settings/reminders")  # no window was opened or moved


def test_i_did_one_offline_waits_and_arrives_exactly_once(page, context, own_server):
    worker = reminder(page, context, own_server)
    own_server.stop()
    worker.evaluate("logFromNotification()")
    assert notifications(page) == ["Saved on this phone"]
    assert page.evaluate(f"({OUTBOX_EMPTY})()") is False

    own_server.start()
    # The open page (or Background Sync) sends it; a second replay changes nothing.
    page.evaluate("self.LiftedOutbox.replay()")
    worker.evaluate("self.LiftedOutbox.replay()")
    expect(page.locator("body")).to_be_visible()
    acts = export(page, own_server)
    assert len(acts) == 1
    assert page.evaluate(f"({OUTBOX_EMPTY})()") is True
