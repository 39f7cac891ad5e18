"""Nothing left behind, nothing readable by others: leaving clears the phone, sessions and
tokens expire, public files carry no cookie, and every answer carries the same strict headers
(HEAD included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.identity import sessions
from server.identity.models import ApiToken, Session
from tests.integration.support import (
    claim,
    new_device,
    post_form,
    sign_in_as,
    soup,
)

CLEAR = '"cache", "storage"'


async def test_signing_out_and_deleting_clear_the_phone(client):
    await claim(client, "robin")
    out = await post_form(client, "/account/sign-out")
    assert out.status_code == 303 and out.headers["clear-site-data"] == CLEAR
    page = soup(await client.get(out.headers["location"]))
    # Where the browser ignores Clear-Site-Data, the page asks the service worker to forget.
    assert page.select_one("[data-forget-private]")
    assert any("leave." in s["src"] for s in page.select("script[src]"))

    await sign_in_as(client)
    gone = await post_form(client, "/account/delete", {"confirm": "DELETE"})
    assert gone.status_code == 303 and gone.headers["clear-site-data"] == CLEAR
    assert soup(await client.get("/account/deleted")).select_one("[data-forget-private]")


async def _age_session(client, days: int) -> None:
    token = client.cookies.get(sessions.COOKIE)
    then = datetime.now(UTC) - timedelta(days=days)
    await Session.filter(id=sessions.token_hash(token)).update(last_seen_at=then)


async def test_a_signed_in_browser_left_unused_signs_in_again(client):
    await claim(client, "robin")
    await _age_session(client, 91)
    page = await client.get("/account")
    assert "Signed in as" not in page.text
    assert not await Session.exists()  # removed on the way
    assert any("lifted_session=;" in h for h in page.headers.get_list("set-cookie"))


async def test_an_anonymous_readers_only_key_lasts_while_it_is_used(client):
    """No passphrase opens an anonymous account, so only the cookie's age limits it, and each
    use (at most twice a day) renews both the session and the cookie's 400 days."""
    account = await sign_in_as(client)
    await _age_session(client, 91)
    page = await client.get("/")
    renewed = [h for h in page.headers.get_list("set-cookie") if h.startswith("lifted_session=")]
    assert renewed and f"Max-Age={400 * 24 * 3600}" in renewed[0]
    row = await Session.get(account_id=account.id)
    assert datetime.now(UTC) - row.last_seen_at < timedelta(minutes=1)
    # A second visit the same day writes nothing and sets no cookie.
    again = await client.get("/")
    assert not [h for h in again.headers.get_list("set-cookie") if "lifted_session" in h]


async def test_expired_sessions_are_tidied_away(client):
    await claim(client, "robin")
    named = client.cookies.get(sessions.COOKIE)
    new_device(client)
    await sign_in_as(client)  # anonymous
    anonymous = client.cookies.get(sessions.COOKIE)
    now = datetime.now(UTC)
    await Session.all().update(last_seen_at=now - timedelta(days=120))
    assert await sessions.remove_expired(now) == 1
    [left] = await Session.all()
    assert left.id == sessions.token_hash(anonymous) != sessions.token_hash(named)
    assert await sessions.remove_expired(now + timedelta(days=300)) == 1


async def test_tokens_can_expire(client):
    made = await post_form(client, "/account/tokens", {"name": "shortcut", "expires": "30"})
    token = soup(made).select_one("#token-value").get_text(strip=True)
    listed = soup(await client.get("/account/tokens")).select_one(".token").get_text(" ")
    soon = (datetime.now(UTC) + timedelta(days=30)).strftime("%-d %B %Y")
    assert f"works until {soon}" in listed
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/progress", headers=bearer)).status_code == 200
    await ApiToken.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert (await client.get("/api/v1/progress", headers=bearer)).status_code == 401
    assert not soup(await client.get("/account/tokens")).select(".token")
    refused = await post_form(client, "/account/tokens", {"name": "x", "expires": "forever"})
    assert refused.status_code == 422


PUBLIC = ["/sw.js", "/manifest.webmanifest", "/healthz", "/static/icons/icon-192.png"]


async def test_public_files_carry_no_cookie_and_pages_do(client, app):
    static = app.state.assets.url("app.css")
    for path in [*PUBLIC, static, "/api/v1/progress", "/reminders/calendar/none.ics"]:
        response = await client.get(path)
        assert "set-cookie" not in response.headers, path
    page = await client.get("/")
    assert any(h.startswith("csrftoken=") for h in page.headers.get_list("set-cookie"))


def _get_pages(app) -> list[str]:
    """Every GET route without path parameters, as the app lists them."""
    paths = set()
    for route in app.routes:
        methods = getattr(route, "methods", set())
        if "GET" in methods and "{" not in route.path:
            paths.add(route.path)
    return sorted(paths)


@pytest.mark.parametrize("signed_in", [False, True])
async def test_every_get_answers_head_alike_with_the_same_strict_headers(client, app, signed_in):
    if signed_in:
        await claim(client, "robin")
    paths = [*_get_pages(app), "/articles/healing-through-helping", "/no-such-page"]
    assert len(paths) > 15
    for path in paths:
        get = await client.get(path, follow_redirects=False)
        head = await client.head(path, follow_redirects=False)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
        for response in (get, head):
            headers = response.headers
            assert headers["cross-origin-resource-policy"] == "same-origin", path
            assert "interest-cohort" not in headers["permissions-policy"], path
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
    options = await client.options("/acts")
    assert "HEAD" in options.headers["allow"] and "GET" in options.headers["allow"]
