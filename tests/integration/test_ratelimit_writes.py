"""Limits on what costs the server: importing, downloading a long history, creating access
tokens and starting anonymous accounts. Each answers a calm 429 with Retry-After once its limit
is reached."""

from __future__ import annotations

from server import ratelimit
from server.identity.models import Account, ApiToken
from tests.integration.support import (
    Visitor,
    assert_refused,
    browser_at,
    new_device,
    post_form,
    soup,
    tap,
    upload,
)

HOUR = 3600


def limit(action: str, kind: str) -> int:
    return ratelimit.LIMITS[action][kind][0]


async def test_importing_is_limited_per_account(client):
    await tap(client)
    export = (await client.get("/account/export.json")).json()
    for _ in range(limit("import", "account")):
        assert (await upload(client, export)).status_code == 200
    refused = await upload(client, export)
    assert_refused(refused, HOUR)
    assert soup(refused).select_one("#import-error") is not None
    assert soup(refused).select_one("#import-report") is None


async def test_importing_is_limited_per_address(client):
    export = {"acts": []}
    per_browser = limit("import", "account") - 1
    browsers, left = 0, limit("import", "address")
    while left:
        new_device(client)  # another browser (and so another account) on the same address
        for _ in range(min(per_browser, left)):
            assert (await upload(client, export)).status_code == 200
        left -= min(per_browser, left)
        browsers += 1
    new_device(client)
    assert_refused(await upload(client, export), HOUR)
    assert browsers > 1
    elsewhere = browser_at(client.app, "198.51.100.20")
    assert (await upload(elsewhere, export)).status_code == 200


async def test_creating_tokens_is_limited_per_account(client):
    for number in range(limit("new-token", "account")):
        response = await post_form(client, "/account/tokens", {"name": f"tool {number}"})
        assert response.status_code == 200
    refused = await post_form(client, "/account/tokens", {"name": "one more"})
    assert_refused(refused, HOUR)
    page = soup(refused)
    assert page.select_one("#token-value") is None
    assert page.select_one("#f-name")["value"] == "one more"  # nothing typed is lost
    assert await ApiToken.all().count() == limit("new-token", "account")


async def test_starting_anonymous_accounts_is_limited_per_address(client):
    allowed = limit("new-account", "address")
    for _ in range(allowed):
        new_device(client)
        await tap(client)
    for htmx in (False, True):
        visitor = Visitor(browser_at(client.app, "testclient"))
        refused = await visitor.tap(htmx=htmx)
        assert_refused(refused, HOUR)
        assert soup(refused).select_one("h1").get_text() == "Let's take a breath"
    assert await Account.all().count() == allowed
    # A reader who already has an account keeps tapping; another address starts afresh.
    await tap(client)
    elsewhere = Visitor(browser_at(client.app, "198.51.100.20"))
    assert (await elsewhere.tap()).status_code == 200


async def test_downloading_acts_is_limited_per_account(client):
    await tap(client)
    downloads = ("/account/export.json", "/account/export.csv")
    for number in range(limit("export", "account")):
        assert (await client.get(downloads[number % 2])).status_code == 200
    for path in downloads:
        refused = await client.get(path)
        assert_refused(refused, HOUR)
        assert "content-disposition" not in refused.headers  # a page, not a broken file
    # Another reader on the same address downloads theirs.
    new_device(client)
    await tap(client)
    assert (await client.get(downloads[0])).json()["acts"]


async def test_downloading_acts_is_limited_per_address(client):
    left = limit("export", "address")
    while left:
        new_device(client)
        await tap(client)
        for _ in range(min(limit("export", "account"), left)):
            assert (await client.get("/account/export.csv")).status_code == 200
            left -= 1
    new_device(client)
    await tap(client)
    assert_refused(await client.get("/account/export.json"), HOUR)
    elsewhere = browser_at(client.app, "198.51.100.20")
    await tap(elsewhere)
    assert (await elsewhere.get("/account/export.json")).status_code == 200
