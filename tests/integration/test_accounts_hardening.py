"""What an attacker would try against accounts and acts, and what they would see instead.

Session cookie flags are covered in test_accounts_sessions.py.
"""

from __future__ import annotations

import logging
import re
import uuid

from server.accounts import credentials
from server.acts.models import Act
from server.identity.sessions import COOKIE
from tests.integration.support import (
    PASSPHRASE,
    CountingHasher,
    claim,
    csrf_token,
    new_device,
    post_form,
    sign_in,
    sign_in_as,
    soup,
    tap,
    use_device,
)

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PARAM_RE = re.compile(r"\{(\w+)(?::(\w+))?\}")


def _fill(path: str) -> str:
    """The route's path with plausible values in its parameters."""

    def value(match: re.Match) -> str:
        name, kind = match.group(1), match.group(2) or "str"
        if kind == "int":
            return "1"
        if kind == "uuid" or name == "id" or name.endswith("_id"):
            return str(uuid.uuid4())
        return "x"

    return PARAM_RE.sub(value, path)


def _write_routes(app) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if route.path.startswith("/api/"):
            continue
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(set(getattr(handler, "http_methods", ())) & WRITE_METHODS):
                found.append((method, _fill(route.path)))
    return found


async def test_every_page_write_without_a_csrf_token_is_refused_in_plain_words(client, app):
    await sign_in_as(client)
    await client.get("/")  # the browser holds the CSRF cookie, but the form lost its token
    routes = _write_routes(app)
    assert ("POST", "/acts") in routes and ("POST", "/account/sign-in") in routes
    for method, path in routes:
        response = await client.request(
            method, path, data={"note": "hello"}, follow_redirects=False
        )
        assert response.status_code == 403, (method, path, response.status_code)
        assert "Reload the page" in soup(response).get_text(), (method, path)
    assert await Act.all().count() == 0


async def test_another_accounts_act_is_not_found_and_stays_untouched(client):
    await sign_in_as(client)
    act_id = await tap(client, note="mine")
    first = new_device(client)
    await sign_in_as(client)
    token = await csrf_token(client)
    responses = [
        await client.get(f"/acts/{act_id}"),
        await client.post(
            f"/acts/{act_id}", data={"note": "stolen", "_csrf_token": token}, follow_redirects=False
        ),
        await client.post(
            f"/acts/{act_id}/delete", data={"_csrf_token": token}, follow_redirects=False
        ),
    ]
    for response in responses:
        assert response.status_code == 404, response.request.url
        assert "We couldn't find that page" in soup(response).get_text()
        assert "mine" not in response.text
    act = await Act.get(id=act_id)
    assert act.note == "mine"
    use_device(client, first)
    assert (await client.get(f"/acts/{act_id}")).status_code == 200


async def test_a_note_with_markup_is_shown_as_text(client):
    await sign_in_as(client)
    note = "<script>alert(1)</script><b>x</b>"
    act_id = await tap(client, note=note)
    for url in ("/acts", f"/acts/{act_id}"):
        response = await client.get(url)
        assert response.status_code == 200
        html = soup(response)
        assert not [s for s in html.select("script") if "alert(1)" in s.get_text()], url
        assert not [b for b in html.select("b") if b.get_text() == "x"], url
        assert "<script>alert(1)</script>" not in response.text, url
        assert note in html.get_text(), url


async def test_a_username_with_markup_is_refused_and_echoed_as_text(client):
    name = "<script>alert(1)</script>"
    response = await post_form(
        client,
        "/account/claim",
        {"username": name, "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
    )
    assert response.status_code == 422
    html = soup(response)
    assert (
        "letters, digits, dots, dashes or underscores"
        in html.select_one("#f-username-error").get_text()
    )
    assert html.select_one("#f-username")["value"] == name
    assert name not in response.text
    assert not [s for s in html.select("script") if "alert(1)" in s.get_text()]


async def test_a_token_name_with_markup_is_shown_as_text(client):
    await sign_in_as(client)
    name = "<b>phone</b>"
    response = await post_form(client, "/account/tokens", {"name": name})
    assert response.status_code == 200
    listed = soup(await client.get("/account/tokens"))
    assert [t.get_text() for t in listed.select(".token-name")] == [name]
    assert not listed.select(".token-name b")


async def test_a_body_over_the_limit_gets_a_friendly_413(client, settings):
    await sign_in_as(client)
    token = await csrf_token(client)
    big = "x" * (settings.max_body_bytes + 1)
    for path in ("/acts", "/account/sign-in", "/account/claim"):
        response = await client.post(
            path,
            data={"note": big, "username": big},
            headers={"x-csrftoken": token},
            follow_redirects=False,
        )
        assert response.status_code == 413, (path, response.status_code)
        assert "That was too much at once" in soup(response).get_text(), path
    assert await Act.all().count() == 0


async def test_no_secret_reaches_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    code = await claim(client, "quiet.owl")
    session = client.cookies.get(COOKIE)
    new_pass = "a brand new passphrase here"
    new_device(client)
    assert (await sign_in(client, "quiet.owl")).status_code == 303
    signed_in_session = client.cookies.get(COOKIE)
    response = await post_form(
        client,
        "/account/recover",
        {
            "username": "quiet.owl",
            "recovery_code": code,
            "passphrase": new_pass,
            "passphrase_again": new_pass,
        },
    )
    assert response.status_code == 200, response.text
    new_code = soup(response).select_one("#recovery-code").get_text(strip=True)
    response = await post_form(client, "/account/tokens", {"name": "shortcut"})
    api_token = soup(response).select_one("#token-value").get_text(strip=True)
    assert api_token.startswith("lft_")
    created = await client.post(
        "/api/v1/acts",
        json={"id": str(uuid.uuid4()), "timezone": "UTC"},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert created.status_code == 201
    # The logs were written (so this test can fail), yet hold none of the secrets.
    assert "/account/sign-in" in caplog.text and "/api/v1/acts" in caplog.text
    secrets = [PASSPHRASE, new_pass, code, new_code, api_token, session, signed_in_session]
    secrets += [code.replace("-", ""), new_code.replace("-", "")]
    for secret in secrets:
        assert secret and secret not in caplog.text


async def test_wrong_username_and_wrong_passphrase_cost_the_same(client):
    await claim(client, "robin")
    new_device(client)
    hasher = CountingHasher()
    credentials.use_hasher(hasher)
    answers = []
    for username, passphrase in (("nobody-here", PASSPHRASE), ("robin", "not the right one")):
        hasher.verified = 0
        response = await sign_in(client, username, passphrase)
        assert hasher.verified == 1, username
        answers.append((response.status_code, soup(response).select_one("[role=alert]").get_text()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 422 and "don't match" in answers[0][1]
