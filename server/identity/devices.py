"""Known devices: browsers that have signed in to an account before.

After signing in, claiming or recovering, the browser gets a long-lived cookie saying "this
browser has signed in as account X", signed with the app's secret key. It opens nothing by
itself: it only lets the rate limits count this browser's sign-in and recovery attempts for X
under a key of its own, so strangers failing against X's username never lock X's owner out.
It carries the account's random id (never the username), a random id for the browser and
when it was issued.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass

from litestar import Request

from server.identity.cookies import MAX_AGE, cookie_name, set_cookie

COOKIE = "lifted_device"  # "__Host-lifted_device" on https (cookies.py)
VERSION = "1"


@dataclass(frozen=True)
class Device:
    account_id: str
    device_id: str


def _signature(secret: str, payload: str) -> str:
    # A key of its own, derived from the secret, so this signature can never be mistaken for
    # another use of the same secret (the CSRF token's).
    key = hashlib.sha256(b"lifted known-device cookie\x00" + secret.encode()).digest()
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def encode(secret: str, account_id: str, device_id: str, issued: int | None = None) -> str:
    issued = int(time.time()) if issued is None else issued
    payload = f"{VERSION}.{account_id}.{device_id}.{issued}"
    return f"{payload}.{_signature(secret, payload)}"


def decode(secret: str, value: str, now: float | None = None) -> Device | None:
    """The device a cookie names, or None when it is malformed, forged or too old."""
    parts = value.split(".")
    if len(parts) != 5 or parts[0] != VERSION:
        return None
    payload, signature = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(signature.encode(), _signature(secret, payload).encode()):
        return None
    _, account_id, device_id, issued = parts[:4]
    try:
        uuid.UUID(account_id)
        age = (time.time() if now is None else now) - int(issued)
    except ValueError:
        return None
    return Device(account_id, device_id) if 0 <= age <= MAX_AGE else None


def known_device(request: Request) -> Device | None:
    """The account this browser has signed in to before, if its cookie is genuine."""
    settings = request.app.state.settings
    value = request.cookies.get(cookie_name(COOKIE, settings.https))
    return decode(settings.secret_key, value) if value else None


def remember(request: Request, account) -> None:
    """Marks this browser as one that has signed in to ``account`` (a fresh cookie, keeping
    the browser's id when it already had one)."""
    known = known_device(request)
    device_id = known.device_id if known else secrets.token_urlsafe(12)
    secret = request.app.state.settings.secret_key
    request.state.device_cookie = encode(secret, str(account.id), device_id)


def forget(request: Request, account) -> None:
    """Removes this browser's cookie if it names ``account`` (being deleted)."""
    known = known_device(request)
    if known is not None and known.account_id == str(account.id):
        request.state.device_cookie = ""


def cookie_header(value: str, secure: bool) -> bytes:
    """The Set-Cookie header for the device cookie; an empty value removes it."""
    return set_cookie(cookie_name(COOKIE, secure), value, secure)
