"""Small helpers integration tests share: signing a test client in, parsing pages."""

from __future__ import annotations

import secrets

from bs4 import BeautifulSoup

from server.accounts.identity import COOKIE, token_hash
from server.accounts.models import Account, Session


async def sign_in(client, account: Account | None = None, **fields) -> Account:
    """Signs ``client`` in as ``account`` (a new anonymous one unless given) and returns it.

    Works like a browser that already holds a session: a Session row keyed by the token's
    SHA-256 and the raw token in the ``lifted_session`` cookie. ``fields`` go to
    ``Account.create`` when a new account is made (e.g. ``timezone="Europe/Paris"``).
    """
    if account is None:
        account = await Account.create(**fields)
    token = secrets.token_urlsafe(32)
    await Session.create(id=token_hash(token), account=account)
    client.cookies.set(COOKIE, token)
    return account


def sign_out(client) -> None:
    """Forgets the session cookie, as a new visitor would be."""
    client.cookies.delete(COOKIE)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")
