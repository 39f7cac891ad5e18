"""Who is asking: the session cookie, anonymous accounts made on first write, rotation and
expiry.

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
from server.identity.cache import CACHE, forget_session
from server.identity.cookies import COOKIELESS, MAX_AGE, cookie_name, read, set_cookie
from server.identity.models import Account, Session

# A route whose page carries nothing of its reader (server/pagecache.py) says so in its opt:
# unless its query string asks for more, nobody's session is looked up for it.
READER_FREE = "reader_free"
COOKIE = "lifted_session"  # "__Host-lifted_session" on https (cookies.py)
TOUCH_EVERY = timedelta(hours=12)
# A browser signed in to a named account signs in again after this long unused. An anonymous
# account has no passphrase: its cookie is its only key, so its session lasts as long as the
# browser keeps the cookie (400 days from the last use, renewed as it is used).
IDLE_SIGNED_IN = timedelta(days=90)
IDLE_ANONYMOUS = timedelta(seconds=MAX_AGE)


# Sent with the answer that ends a session or an account: the browser drops its caches and
# storage for this site (offline copies of pages, the outbox, the service worker), so the next
# person to pick up the phone finds none of the previous reader's notes, even offline.
LEAVING = {"Clear-Site-Data": '"cache", "storage"'}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_account(request: Request) -> Account | None:
    # Read from the scope: ``request.state`` builds a State object on every access.
    return request.scope.get("state", {}).get("account")


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
        forget_session(old)
    token = secrets.token_urlsafe(32)
    await Session.create(id=token_hash(token), account=account)
    request.state.account = account
    request.state.session_id = token_hash(token)
    request.state.set_cookie = token


async def end_session(request: Request) -> None:
    old = request.state.get("session_id")
    if old:
        await Session.filter(id=old).delete()
        forget_session(old)
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


def idle_limit(account: Account) -> timedelta:
    """How long a browser may go unused before it must sign in again (see IDLE_SIGNED_IN)."""
    return IDLE_SIGNED_IN if account.username else IDLE_ANONYMOUS


async def _load(token: str, now: datetime) -> tuple[Account, str, bool] | None:
    """(account, session id, renewed) for a live session; None for an unknown or expired one
    (an expired one is removed on the way). Kept per process (identity/cache.py) until the
    session needs renewing, or anything forgets it."""
    session_id = token_hash(token)
    kept = CACHE.get(session_id)
    # Within TOUCH_EVERY of its last renewal a session can be neither idle nor due a touch.
    if kept is not None and now - kept[1] <= TOUCH_EVERY:
        return _copy(kept[0]), session_id, False
    since = CACHE.generation
    rows = await db.fetch(LOAD_SQL, session_id)
    if not rows:
        return None
    row = rows[0]
    last_seen = LAST_SEEN.to_python_value(row.pop("session_last_seen_at"))
    account = Account._init_from_db(**row)
    if now - last_seen > idle_limit(account):
        await Session.filter(id=session_id).delete()
        forget_session(session_id)
        return None
    # Written at most twice a day, so a page view is a read and nothing more.
    renewed = now - last_seen > TOUCH_EVERY
    if renewed:
        await db.fetch(TOUCH_SQL, now, session_id)
        last_seen = now
    CACHE.put(session_id, _copy(account), last_seen, since)
    return account, session_id, renewed


def _copy(account: Account) -> Account:
    """A request's own Account, from the one kept: the fields as read (no parsing again),
    nothing the previous request noted on it (identity/memo.py)."""
    fresh = Account.__new__(Account)
    fresh.__dict__.update(account.__dict__)
    fresh.__dict__.pop("_lifted_memo", None)
    return fresh


async def remove_expired(now: datetime | None = None) -> int:
    """Deletes every session past its idle limit; returns how many (housekeeping)."""
    now = now or datetime.now(UTC)
    named = await Session.filter(
        last_seen_at__lt=now - IDLE_SIGNED_IN, account__username__isnull=False
    ).values_list("id", flat=True)
    removed = await Session.filter(id__in=list(named)).delete() if named else 0
    return removed + await Session.filter(last_seen_at__lt=now - IDLE_ANONYMOUS).delete()


def identity_middleware(secure: bool):
    """Loads the account behind the cookie into ``request.state`` and writes any new cookie.

    The cookie is renewed whenever the session is (twice a day at most), so a browser in use
    keeps it: for an anonymous reader it is the only key to their acts.
    """
    name = cookie_name(COOKIE, secure)

    def middleware(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or COOKIELESS.match(scope["path"]):
                await app(scope, receive, send)
                return
            state = scope.setdefault("state", {})
            state["account"] = None
            state["session_id"] = None
            handler = scope.get("route_handler")
            if handler is not None and handler.opt.get(READER_FREE) and not scope["query_string"]:
                await app(scope, receive, send)
                return
            token, legacy = read(scope, COOKIE, secure)
            headers: list[tuple[bytes, bytes]] = []
            if token:
                found = await _load(token, datetime.now(UTC))
                if found is None:
                    state["set_cookie"] = ""  # unknown or expired: the browser forgets it
                else:
                    state["account"], state["session_id"], renewed = found
                    if renewed or legacy:
                        state.setdefault("set_cookie", token)
                if legacy:
                    headers.append((b"set-cookie", set_cookie(COOKIE, "", secure)))

            async def send_cookie(message: Message) -> None:
                if message["type"] == "http.response.start":
                    extra = list(headers)
                    if "set_cookie" in state:
                        extra.append((b"set-cookie", set_cookie(name, state["set_cookie"], secure)))
                    if "device_cookie" in state:
                        extra.append(
                            (b"set-cookie", devices.cookie_header(state["device_cookie"], secure))
                        )
                    if extra:
                        message["headers"] = [*message.get("headers", []), *extra]
                await send(message)

            await app(scope, receive, send_cookie)

        return wrapped

    return middleware
