"""Reminders heal themselves on a phone: after `python -m server vapid --rotate`, or when the
server stopped sending to a device (its push service said 404/410), the next time Lifted is
opened there the page subscribes anew, silently, and the server keeps one live device."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, LiveServer, wait_for_service_worker
from tests.e2e.push_fakes import FAKE_PUSH_MANAGER, devices
from tests.integration.support import subscription

PAGE = "/settings/reminders"
ON = "Notifications are on for this device."


def endpoint_in(page) -> str:
    return page.evaluate("localStorage.getItem('test.push-endpoint')")


def key_in(page) -> str:
    return page.evaluate("document.querySelector('[data-push]').dataset.vapidKey")


def reopen(page, server) -> None:
    page.goto(server.url + PAGE)
    expect(page.get_by_text(ON)).to_be_visible()


def test_a_rotated_key_and_a_gone_device_heal_when_lifted_is_next_opened(browser, tmp_path):
    server = LiveServer(tmp_path).start()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        context.grant_permissions(["notifications"], origin=server.url)
        context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(subscription()["keys"]))
        page = context.new_page()
        page.goto(server.url + PAGE)
        wait_for_service_worker(page)
        page.get_by_role("button", name="Turn on notifications on this device").click()
        page.wait_for_url(f"**{PAGE}?device=on")
        first, old_key = endpoint_in(page), key_in(page)
        assert [(e, gone) for e, _, gone, _ in devices(server)] == [(first, None)]

        # The operator rotates the key: every device is marked for renewal, said plainly.
        server.stop()
        rotated = subprocess.run(
            [sys.executable, "-m", "server", "vapid", "--rotate"],
            cwd=ROOT,
            env=server.env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "1 device renews itself" in rotated.stderr
        [(_, _, gone, reason)] = devices(server)
        assert gone and reason.startswith("Lifted's notification key was changed.")
        server.start()

        # Opening Lifted on the phone: a new subscription made with the new key replaces it.
        reopen(page, server)
        second = endpoint_in(page)
        assert key_in(page) == rotated.stdout.strip() != old_key
        assert [(e, gone) for e, _, gone, _ in devices(server)] == [(second, None)]
        assert second != first

        # The push service ended it (404/410): the server marks it gone; opening heals it too.
        with sqlite3.connect(tmp_path / "lifted.sqlite3") as db:
            db.execute("UPDATE push_subscriptions SET gone_at = CURRENT_TIMESTAMP")
        reopen(page, server)
        third = endpoint_in(page)
        assert third not in (first, second)
        assert [(e, gone) for e, _, gone, _ in devices(server)] == [(third, None)]

        # A device the server still sends to is left alone.
        reopen(page, server)
        assert endpoint_in(page) == third
        assert len(devices(server)) == 1

        # A device the reader removed stays off: opening Lifted doesn't bring it back.
        page.get_by_role("button", name="Stop reminders on this device").click()
        page.wait_for_url(f"**{PAGE}?removed=1")
        turn_on = page.get_by_role("button", name="Turn on notifications on this device")
        expect(turn_on).to_be_visible()
        page.reload()
        expect(turn_on).to_be_visible()
        assert devices(server) == [] and endpoint_in(page) is None
    finally:
        context.close()
        server.stop()
