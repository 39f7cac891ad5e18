"""A stand-in push service for browser tests, and what the server stored.

Chromium can't subscribe to a real push service offline, so pages get a stand-in PushManager:
one subscription per browser (kept in localStorage), a new endpoint after unsubscribe, keys the
server accepts, and the applicationServerKey it was made with (so a page can see that the
server's key changed)."""

from __future__ import annotations

import sqlite3

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
