"""Personal access tokens for the JSON API: create (shown once), list, revoke, authenticate.

A token is a long random string, so a SHA-256 is enough to store it (nobody can guess 256
bits) and lets a request find its token by an indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from server.identity.models import Account, ApiToken

TOKEN_PREFIX = "lft_"
# Writing last_used_at on every request would turn each read into a write; a minute is plenty.
TOUCH_EVERY = timedelta(minutes=1)


# The lifetimes a reader may choose when making a token, in days (None: until revoked).
LIFETIMES: dict[str, int | None] = {"30": 30, "90": 90, "365": 365, "never": None}
DEFAULT_LIFETIME = "90"


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


async def create(account: Account, name: str, days: int | None = None) -> str:
    """Makes a token (valid for ``days``, or until revoked) and returns it in full; only its
    SHA-256 is kept."""
    token = new_api_token()
    expires = datetime.now(UTC) + timedelta(days=days) if days else None
    await ApiToken.create(
        account=account, name=name, token_hash=api_token_hash(token), expires_at=expires
    )
    return token


def _live(**filters):
    """Tokens neither revoked nor expired."""
    now = datetime.now(UTC)
    return ApiToken.filter(Q(expires_at=None) | Q(expires_at__gt=now), revoked_at=None, **filters)


async def active(account: Account) -> list[TokenView]:
    rows = await _live(account=account).order_by("-created_at", "-id")
    return [TokenView(t.id, t.name, t.created_at, t.last_used_at, t.expires_at) for t in rows]


async def revoke_all(account: Account) -> int:
    """Revokes every token of the account (taking the account back); returns how many."""
    return await ApiToken.filter(account=account, revoked_at=None).update(
        revoked_at=datetime.now(UTC)
    )


async def shut_out(account: Account) -> str | None:
    """Taking the account back: every access token stops working."""
    count = await revoke_all(account)
    if not count:
        return None
    if count == 1:
        return "Your access token no longer works."
    return f"Your {count} access tokens no longer work."


async def revoke(account: Account, token_id: int) -> bool:
    """Revokes one of this account's tokens; False when it has no such token."""
    updated = await ApiToken.filter(id=token_id, account=account, revoked_at=None).update(
        revoked_at=datetime.now(UTC)
    )
    return bool(updated)


async def account_for(token: str) -> Account | None:
    """The account behind a bearer token, or None for an unknown, revoked or expired token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = await _live(token_hash=api_token_hash(token)).select_related("account").first()
    if row is None:
        return None
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        await ApiToken.filter(id=row.id).update(last_used_at=now)
    return row.account
