"""Helpers for the account tests: cheap Argon2, claiming, signing in, acting as a second device.

Import ``fast_argon2`` into a test module to use it (it is autouse there).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup

from server.accounts import credentials
from server.accounts.identity import COOKIE
from tests.integration.conftest import csrf_token

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_argon2():
    """Argon2id with tiny parameters so the suite stays fast; production keeps the defaults."""
    production = credentials._hasher
    credentials.use_hasher(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    yield
    credentials.use_hasher(production)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def post_form(client, url: str, data: dict | None = None, **kwargs):
    token = await csrf_token(client)
    kwargs.setdefault("follow_redirects", False)
    return await client.post(url, data={**(data or {}), "_csrf_token": token}, **kwargs)


async def tap(client, **fields) -> str:
    """One tap on Home's button, as a browser without JavaScript sends it. Returns the id."""
    act_id = fields.pop("id", str(uuid.uuid4()))
    data = {"id": act_id, "timezone": "UTC", **fields}
    response = await post_form(client, "/acts", data)
    assert response.status_code in (200, 303), response.text
    return act_id


async def claim(client, username: str, passphrase: str = PASSPHRASE) -> str:
    """Claims the client's account; returns the recovery code shown on the page."""
    response = await post_form(
        client,
        "/account/claim",
        {"username": username, "passphrase": passphrase, "passphrase_again": passphrase},
    )
    assert response.status_code == 200, response.text
    return soup(response).select_one("#recovery-code").get_text(strip=True)


async def sign_in(client, username: str, passphrase: str = PASSPHRASE):
    return await post_form(
        client, "/account/sign-in", {"username": username, "passphrase": passphrase}
    )


def new_device(client) -> list:
    """Forgets this client's cookies (a fresh browser); returns them to switch back later."""
    saved = list(client.cookies.jar)
    client.cookies.clear()
    return saved


def use_device(client, cookies: list) -> None:
    client.cookies.clear()
    for cookie in cookies:
        client.cookies.jar.set_cookie(cookie)


def session_cookie(response) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{COOKIE}="):
            return header
    return None


CODE_RE = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
