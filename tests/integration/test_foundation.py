"""The house: pages render in the layout, the PWA pieces are served, headers are strict."""

from __future__ import annotations

import json

from tests.integration.support import csrf_token, soup
from tests.support import service_worker_config


async def test_home_renders_in_layout(client):
    response = await client.get("/")
    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == "en"
    assert len(html.select("h1")) == 1
    assert html.select_one("main#main")
    nav = html.select_one("nav[aria-label=Main]")
    assert [a.get_text(strip=True) for a in nav.select("a")] == [
        "Today",
        "Read",
        "Progress",
        "Settings",
        "Help",
    ]
    # Help is in the header and stays on screen in the bottom navigation.
    assert html.select_one('header a[href="/help"]').get_text(strip=True) == "Need help now?"
    assert nav.select_one('a[href="/help"]').get_text(strip=True) == "Help"
    assert "user-scalable" not in html.select_one("meta[name=viewport]")["content"]
    config = json.loads(html.select_one("meta[name=htmx-config]")["content"])
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False


async def test_every_asset_is_local_and_hashed(client):
    html = soup(await client.get("/"))
    for tag in html.select("script[src], link[rel=stylesheet]"):
        url = tag.get("src") or tag.get("href")
        assert url.startswith("/static/"), url
        response = await client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_security_headers(client):
    response = await client.get("/")
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "permissions-policy" in response.headers
    assert "strict-transport-security" not in response.headers


async def test_hsts_when_base_url_is_https(database_url, data_dir):
    from server.app import create_app
    from tests.integration.app_client import AppClient
    from tests.integration.conftest import make_settings

    app = create_app(make_settings(database_url, data_dir, LIFTED_BASE_URL="https://lifted.test"))
    async with AppClient(app) as client:
        response = await client.get("/")
    assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_manifest_has_every_field(client):
    response = await client.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    for key in ("name", "short_name", "description", "id", "start_url", "scope"):
        assert manifest[key], key
    assert manifest["name"] == "Lifted"
    assert manifest["display"] == "standalone"
    # Opening from the icon or a notification reuses the open window instead of another one.
    assert manifest["launch_handler"]["client_mode"][0] == "navigate-existing"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any")} <= sizes
    assert {("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        icon_response = await client.get(icon["src"])
        assert icon_response.status_code == 200
        assert icon_response.content.startswith(b"\x89PNG")
    shortcut = manifest["shortcuts"][0]
    assert shortcut["name"] == "Log an act"
    assert (await client.get(shortcut["url"])).status_code == 200
    apple = soup(await client.get("/")).select_one("link[rel=apple-touch-icon]")["href"]
    assert (await client.get(apple)).status_code == 200


async def test_service_worker_is_served_fresh_with_precache(client):
    response = await client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert "javascript" in response.headers["content-type"]
    first_line = response.text.splitlines()[0]
    config = service_worker_config(first_line)
    assert "/offline" in config["precache"] and "/" in config["precache"]
    assert any(url.endswith(".css") for url in config["precache"])
    assert config["version"]


async def test_offline_page(client):
    response = await client.get("/offline")
    assert response.status_code == 200
    assert soup(response).select_one("h1").get_text(strip=True) == "You're offline"


async def test_unknown_page_is_a_friendly_404(client):
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    html = soup(response)
    assert html.select_one("h1").get_text(strip=True) == "We couldn't find that page"
    assert html.select_one("nav[aria-label=Main]")


def _register_echo_form(app):
    from litestar import post

    @post("/echo", sync_to_thread=False, status_code=200)
    def echo() -> str:
        return "saved"

    app.register(echo)


async def test_state_change_without_csrf_token_is_refused_in_plain_words(client, app):
    _register_echo_form(app)
    response = await client.post("/echo", data={"text": "x"})
    assert response.status_code == 403
    assert "Reload the page" in soup(response).select_one("main").get_text()


async def test_csrf_token_from_page_is_accepted_as_field_and_header(client, app):
    _register_echo_form(app)
    token = await csrf_token(client)
    as_field = await client.post("/echo", data={"_csrf_token": token})
    assert as_field.status_code == 200
    as_header = await client.post("/echo", headers={"x-csrftoken": token, "hx-request": "true"})
    assert as_header.status_code == 200


async def test_server_error_shows_no_traceback(client, app, caplog):
    from litestar import get

    @get("/boom", sync_to_thread=False)
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.register(boom)
    response = await client.get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "Something went wrong on our side" in response.text
    assert "secret internals" in caplog.text
