"""Push in browser tests: a stand-in push service, pushes delivered to the real service worker
over CDP, the notifications it shows, and what the server stored.

Chromium can't subscribe to a real push service offline, so pages get a stand-in PushManager:
one subscription per browser (kept in localStorage), a new endpoint after unsubscribe, keys the
server accepts, and the applicationServerKey it was made with (so a page can see that the
server's key changed)."""

from __future__ import annotations

import sqlite3

from tests.e2e.conftest import wait_until

FAKE_PUSH_MANAGER = """(() => {
  const KEYS = %s;
  const STATE = "test.push-endpoint";
  const KEY = "test.push-key";
  const make = (endpoint) => {
    const key = localStorage.getItem(KEY);
    return {
      endpoint,
      options: { applicationServerKey: key ? Uint8Array.from(JSON.parse(key)).buffer : null },
      toJSON: () => ({ endpoint, expirationTime: null, keys: KEYS }),
      unsubscribe: async () => { localStorage.removeItem(STATE); return true; },
    };
  };
  PushManager.prototype.getSubscription = async function () {
    const endpoint = localStorage.getItem(STATE);
    return endpoint ? make(endpoint) : null;
  };
  PushManager.prototype.subscribe = async function (options) {
    if (!localStorage.getItem(STATE)) {
      localStorage.setItem(STATE, "http://127.0.0.1:9/push/" + crypto.randomUUID());
      const key = options && options.applicationServerKey;
      localStorage.setItem(KEY, JSON.stringify(key ? Array.from(new Uint8Array(key)) : []));
    }
    return make(localStorage.getItem(STATE));
  };
})();"""


def devices(live_server) -> list[tuple[str, str, str | None, str | None]]:
    """(endpoint, account id, gone_at, last_error) of every stored subscription."""
    with sqlite3.connect(live_server.data_dir / "lifted.sqlite3") as db:
        return db.execute(
            "SELECT endpoint, account_id, gone_at, last_error FROM push_subscriptions"
        ).fetchall()


def owners(live_server, endpoints) -> dict[str, str]:
    return {row[0]: row[1] for row in devices(live_server) if row[0] in endpoints}


NOTIFICATIONS = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map(
        (n) => ({title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data,
                 actions: (n.actions || []).map((a) => a.action)}));
}"""


def registration_id(page, context, origin: str) -> str:
    cdp = context.new_cdp_session(page)
    found: dict[str, str] = {}

    def seen(event):
        for registration in event["registrations"]:
            if registration["scopeURL"] == origin + "/" and not registration["isDeleted"]:
                found["id"] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    # The registration arrives as a protocol event; let the page's loop turn until it has.
    for _ in range(50):
        if "id" in found:
            break
        page.wait_for_timeout(100)
    assert "id" in found, "the service worker registration was not reported"
    page.cdp = cdp
    return found["id"]


def worker_of(context):
    """Our service worker as Playwright sees it (it may report it a moment after it runs)."""
    workers = context.service_workers
    return workers[0] if workers else context.wait_for_event("serviceworker", timeout=10000)


def push(page, origin: str, registration: str, data: str) -> None:
    page.cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration, "data": data},
    )


def wait_for_notification(page, count: int = 1) -> list[dict]:
    wait_until(page, f"async () => (await ({NOTIFICATIONS})()).length >= {count}")
    return page.evaluate(NOTIFICATIONS)


def click(worker, action: str = "") -> None:
    """A click on the notification on screen (its ``action`` button, or its body with ""), as
    a notificationclick event through the worker's own listener. No protocol command clicks
    a native notification; a synthetic event's waitUntil throws, after the listener has
    started its work, so the work is awaited by what the test checks next."""
    worker.evaluate(
        """async (action) => {
          const [notification] = await self.registration.getNotifications();
          const event = new NotificationEvent("notificationclick", {notification, action});
          self.dispatchEvent(event);
        }""",
        action,
    )
