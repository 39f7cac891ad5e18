"""The outbox is worth keeping: after a tap Lifted asks the browser to keep its storage when
space runs low, and Settings says in plain words whether this browser does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_until
from tests.e2e.taps import tap

# Chromium decides persistence from engagement; the test fixes the answer and counts requests.
STORAGE_SPY = """(() => {
  const kept = %s;
  self.persistCalls = 0;
  StorageManager.prototype.persisted = async () => kept || self.persistCalls > 0;
  StorageManager.prototype.persist = async () => { self.persistCalls += 1; return true; };
})();"""


@pytest.mark.parametrize(
    ("kept", "says"),
    [
        ("false", "This browser may clear Lifted's offline copy if the phone runs low on space."),
        ("true", "This browser keeps Lifted's offline copy and any taps waiting to be sent"),
    ],
)
def test_settings_says_whether_storage_is_kept(page, context, live_server, kept, says):
    context.add_init_script(STORAGE_SPY % kept)
    page.goto(live_server.url + "/settings")
    status = page.locator("[data-storage-status]")
    expect(status).to_contain_text(says)
    expect(page.get_by_role("heading", name="On this phone")).to_be_visible()


def test_a_tap_asks_the_browser_to_keep_lifteds_storage(page, context, live_server):
    context.add_init_script(STORAGE_SPY % "false")
    page.goto(live_server.url + "/")
    assert page.evaluate("self.persistCalls") == 0
    tap(page)
    wait_until(page, "async () => self.persistCalls === 1")
    # Asked once: later taps never ask again (Firefox may show the reader a prompt).
    tap(page)
    page.wait_for_timeout(300)
    assert page.evaluate("self.persistCalls") == 1
