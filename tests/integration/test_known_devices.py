"""A browser that has signed in to an account before keeps signing in while strangers who
guess at the same username are held back; a forged device cookie earns nothing."""

from __future__ import annotations

import pytest

from server import ratelimit
from server.identity.models import Account
from tests.integration.app_client import AppClient
from tests.integration.conftest import clear_tables
from tests.integration.support import (
    BASE_URL,
    PASSPHRASE,
    assert_refused,
    browser_at,
    claim,
    limited_app,
    post_form,
    session_cookie,
    set_cookie,
    sign_in,
    sign_out,
    soup,
)

DEVICE = "lifted_device"
WRONG = "wrong guess!!"
USER_LIMIT = ratelimit.LIMITS["sign-in"]["user"][0]


@pytest.fixture(params=["database", "redis"])
def backend(request) -> str:
    return request.param


async def _hold_back(stranger, username: str = "robin", tries: int = USER_LIMIT) -> None:
    """A stranger uses up the username's tries; now even the right passphrase waits."""
    for _ in range(tries):
        assert (await sign_in(stranger, username, WRONG)).status_code == 422
    assert_refused(await sign_in(stranger, username))


async def test_a_known_device_signs_in_while_a_stranger_is_held_back(
    database_url, data_dir, backend
):
    app = limited_app(database_url, data_dir, backend)
    async with AppClient(app, base_url=BASE_URL) as owner:
        await clear_tables()
        response = await post_form(
            owner,
            "/account/claim",
            {"username": "robin", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
        )
        assert response.status_code == 200
        header = set_cookie(response, DEVICE)
        assert header is not None, "claiming gives no device cookie"
        flags = [part.strip().lower() for part in header.split(";")]
        assert {"httponly", "samesite=lax", "path=/", f"max-age={400 * 24 * 3600}"} <= set(flags)
        assert "robin" not in header  # it carries the account's id, never the username
        sign_out(owner)  # signed out, yet still the browser that signed in before

        # The stranger comes from the same address: only the cookie tells them apart.
        await _hold_back(browser_at(app, "testclient"))
        response = await sign_in(owner, "robin")
        assert response.status_code == 303, response.text[:300]
        assert session_cookie(response) is not None


async def test_a_known_device_has_a_limit_of_its_own(client):
    await claim(client, "robin")
    sign_out(client)
    device_limit = ratelimit.LIMITS["sign-in"]["device"][0]
    for _ in range(device_limit):
        assert (await sign_in(client, "robin", WRONG)).status_code == 422
    assert_refused(await sign_in(client, "robin"))
    # Its failures were its own: strangers still have the username's tries.
    stranger = browser_at(client.app, "testclient")
    assert (await sign_in(stranger, "robin", WRONG)).status_code == 422


async def test_a_browser_that_signs_in_becomes_known(client):
    await claim(client, "robin")
    laptop = browser_at(client.app, "testclient")
    response = await sign_in(laptop, "robin")
    assert response.status_code == 303
    assert set_cookie(response, DEVICE) is not None
    sign_out(laptop)
    # The laptop's first sign-in counted against the username: it wasn't known yet.
    await _hold_back(browser_at(client.app, "testclient"), tries=USER_LIMIT - 1)
    assert (await sign_in(laptop, "robin")).status_code == 303


async def test_a_forged_or_borrowed_device_cookie_counts_as_a_stranger(client, settings):
    await claim(client, "robin")
    genuine = client.cookies.get(DEVICE)
    assert genuine, "claiming gives no device cookie"
    mallory = browser_at(client.app, "testclient")
    await claim(mallory, "mallory")
    borrowed = mallory.cookies.get(DEVICE)  # valid, but for Mallory's own account
    robin = await Account.get(username="robin")
    mallory_account = await Account.get(username="mallory")

    from server.identity import devices

    fields = genuine.split(".")
    forgeries = {
        "signature changed": ".".join([*fields[:-1], fields[-1][:-2] + "AA"]),
        "device changed": genuine.replace(fields[2], "x" * len(fields[2]), 1),
        "account swapped": genuine.replace(str(robin.id), str(mallory_account.id)),
        "another account's": borrowed,
        "another key": devices.encode("not the server's secret", str(robin.id), fields[2]),
        "garbage": "1.2.3",
    }
    stranger = browser_at(client.app, "testclient")
    await _hold_back(stranger)
    for name, value in forgeries.items():
        assert value != genuine, name
        stranger.cookies.set(DEVICE, value)
        assert_refused(await sign_in(stranger, "robin"))
    # The genuine cookie, in any browser, is what counts: the test can tell them apart.
    stranger.cookies.set(DEVICE, genuine)
    assert (await sign_in(stranger, "robin")).status_code == 303


async def test_a_known_device_can_recover_while_a_stranger_is_held_back(client):
    code = await claim(client, "robin")
    sign_out(client)
    stranger = browser_at(client.app, "testclient")
    guess = {"username": "robin", "recovery_code": "AAAAA-AAAAA-AAAAA-AAAAA"}
    guess |= {"passphrase": "a new passphrase", "passphrase_again": "a new passphrase"}
    for _ in range(ratelimit.LIMITS["recover"]["user"][0]):
        assert (await post_form(stranger, "/account/recover", guess)).status_code == 422
    assert_refused(await post_form(stranger, "/account/recover", guess))

    response = await post_form(client, "/account/recover", {**guess, "recovery_code": code})
    assert response.status_code == 200, response.text[:300]
    assert soup(response).select_one("#recovery-code") is not None
    assert set_cookie(response, DEVICE) is not None
