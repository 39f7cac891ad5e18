"""Lifted behind Caddy over HTTPS, as a self-hoster runs it (deploy/Caddyfile.local, `tls
internal`), in Chromium trusting exactly Caddy's local CA: the service worker registers and
the app is installable, every cookie is Secure and `__Host-`, HSTS is sent, Lifted counts the
browser's own address (from the trusted proxy's X-Forwarded-For; the browser comes over IPv6,
Caddy over IPv4), and a tap through the proxy is stored exactly once."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from server.ratelimit import _digest, address_key
from tests.e2e.caddy import Caddy
from tests.e2e.conftest import (
    CHROMIUM_ARGS,
    LiveServer,
    chromium_path,
    wait_for_service_worker,
    wait_until,
)
from tests.e2e.taps import OUTBOX_EMPTY, counter, tap


@pytest.fixture
def proxied(tmp_path):
    app = LiveServer(tmp_path / "app")
    (tmp_path / "app").mkdir()
    (tmp_path / "caddy").mkdir()
    caddy = Caddy(tmp_path / "caddy", [f"127.0.0.1:{app.port}"])
    app.env |= {"LIFTED_BASE_URL": caddy.url, "LIFTED_TRUSTED_PROXIES": "127.0.0.1"}
    try:
        app.start()
        caddy.start()
        yield app, caddy
    finally:
        caddy.stop()
        app.stop()


def test_https_behind_caddy_installs_and_stores_a_tap_once(playwright_instance, proxied, tmp_path):
    app, caddy = proxied
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=[*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={caddy.intermediate_spki()}"],
        headless=True,
        service_workers="allow",
        viewport={"width": 390, "height": 844},
    )
    try:
        page = context.new_page()
        response = page.goto(caddy.url + "/")
        assert response.url.startswith("https://")
        assert response.headers["strict-transport-security"].startswith("max-age=")
        wait_for_service_worker(page)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

        tap(page)
        expect(counter(page)).to_have_text("1 act of kindness today")
        wait_until(page, OUTBOX_EMPTY)  # sent and acknowledged
        # Read in the page (Playwright's own HTTP client doesn't share the browser's trust).
        acts = page.evaluate(
            "async () => (await (await fetch('/account/export.json')).json()).acts"
        )
        assert len(acts) == 1
        cookies = context.cookies(caddy.url)
        assert cookies and all(c["secure"] and c["name"].startswith("__Host-") for c in cookies)
    finally:
        context.close()
    # The first tap made the reader's account, counted against the browser's address: ::1,
    # the address Caddy saw (as IPv6, by its /64), never Caddy's own 127.0.0.1.
    with sqlite3.connect(app.data_dir / "lifted.sqlite3") as db:
        keys = [key for (key,) in db.execute("SELECT key FROM rate_limit_hits")]
    assert f"new-account:address:{_digest(address_key('::1'))}" in keys, keys
    assert f"new-account:address:{_digest('127.0.0.1')}" not in keys, keys
