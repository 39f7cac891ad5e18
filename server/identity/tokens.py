"""Personal access tokens for the JSON API: create (shown once), list, revoke, authenticate.

A token is a long random string, so a SHA-256 is enough to store it (nobody can guess 256
bits) and lets a request find its token by an indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from server.identity.models import Account, ApiToken

TOKEN_PREFIX = "lft_"
# Writing last_used_at on every request would turn each read into a write; a minute is plenty.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


async def create(account: Account, name: str) -> str:
    """Makes a token and returns it in full; only its SHA-256 is kept."""
    token = new_api_token()
    await ApiToken.create(account=account, name=name, token_hash=api_token_hash(token))
    return token


async def active(account: Account) -> list[TokenView]:
    rows = await ApiToken.filter(account=account, revoked_at=None).order_by("-created_at", "-id")
    return [TokenView(t.id, t.name, t.created_at, t.last_used_at) for t in rows]


async def revoke(account: Account, token_id: int) -> bool:
    """Revokes one of this account's tokens; False when it has no such token."""
    updated = await ApiToken.filter(id=token_id, account=account, revoked_at=None).update(
        revoked_at=datetime.now(UTC)
    )
    return bool(updated)


async def account_for(token: str) -> Account | None:
    """The account behind a bearer token, or None for an unknown or revoked token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = await ApiToken.get_or_none(
        token_hash=api_token_hash(token), revoked_at=None
    ).select_related("account")
    if row is None:
        return None
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        await ApiToken.filter(id=row.id).update(last_used_at=now)
    return row.account
