"""Who is asking: the session cookie, anonymous accounts made on first write, and rotation.

The cookie holds a random token; the database keeps only its SHA-256, so sessions work across
processes and hosts and a leaked database cannot be replayed as cookies.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from litestar import Request
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from server import db, ratelimit
from server.identity import devices
from server.identity.models import Account, Session

COOKIE = "lifted_session"
MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept for a cookie
TOUCH_EVERY = timedelta(hours=12)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_account(request: Request) -> Account | None:
    return request.state.get("account")


async def ensure_account(request: Request) -> Account:
    """The reader's account, creating an anonymous one (and its cookie) on first write.

    Starting one is rate-limited per address (a script could otherwise make rows without
    end); a refusal is a 429 with Retry-After, which the offline outbox takes as "later".
    """
    account = current_account(request)
    if account is None:
        decision = await ratelimit.check(request, "new-account")
        if not decision.allowed:
            raise ratelimit.too_many(decision)
        account = await Account.create()
        await start_session(request, account)
    return account


async def start_session(request: Request, account: Account) -> None:
    """Signs this browser in to ``account`` with a fresh token (rotation on sign-in/claim)."""
    old = request.state.get("session_id")
    if old:
        await Session.filter(id=old).delete()
    token = secrets.token_urlsafe(32)
    await Session.create(id=token_hash(token), account=account)
    request.state.account = account
    request.state.session_id = token_hash(token)
    request.state.set_cookie = token


async def end_session(request: Request) -> None:
    old = request.state.get("session_id")
    if old:
        await Session.filter(id=old).delete()
    request.state.account = None
    request.state.session_id = None
    request.state.set_cookie = ""


# Every page asks this, so it is one raw query: the ORM's query building cost four times the
# query itself (bench/RESULTS.json, "session lookup").
LOAD_SQL = """
SELECT s.last_seen_at AS session_last_seen_at, a.*
FROM sessions s JOIN accounts a ON a.id = s.account_id
WHERE s.id = ?
"""
TOUCH_SQL = "UPDATE sessions SET last_seen_at = ?::timestamptz WHERE id = ?"
LAST_SEEN = Session._meta.fields_map["last_seen_at"]


async def _load(token: str) -> tuple[Account, str] | None:
    session_id = token_hash(token)
    rows = await db.fetch(LOAD_SQL, session_id)
    if not rows:
        return None
    row = rows[0]
    last_seen = LAST_SEEN.to_python_value(row.pop("session_last_seen_at"))
    now = datetime.now(UTC)
    # Written at most twice a day, so a page view is a read and nothing more.
    if now - last_seen > TOUCH_EVERY:
        await db.fetch(TOUCH_SQL, now, session_id)
    return Account._init_from_db(**row), session_id


def _cookie_header(token: str, secure: bool) -> bytes:
    parts = [f"{COOKIE}={token}", "Path=/", "HttpOnly", "SameSite=Lax"]
    parts.append(f"Max-Age={MAX_AGE}" if token else "Max-Age=0")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode()


def _read_cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == COOKIE and val:
                    return val
    return None


def identity_middleware(secure: bool):
    """Loads the account behind the cookie into ``request.state`` and writes any new cookie."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["path"].startswith(("/static/", "/api/")):
                await app(scope, receive, send)
                return
            state = scope.setdefault("state", {})
            state["account"] = None
            state["session_id"] = None
            token = _read_cookie(scope)
            if token and (found := await _load(token)):
                state["account"], state["session_id"] = found

            async def send_cookie(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = []
                    if "set_cookie" in state:
                        headers.append(_cookie_header(state["set_cookie"], secure))
                    if "device_cookie" in state:
                        headers.append(devices.cookie_header(state["device_cookie"], secure))
                    message["headers"] = [
                        *message.get("headers", []),
                        *((b"set-cookie", header) for header in headers),
                    ]
                await send(message)

            await app(scope, receive, send_cookie)

        return wrapped

    return middleware
