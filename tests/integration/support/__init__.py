"""Helpers the integration tests share: visiting and posting like a browser, signing in (by
session or through the forms), tapping, claiming, reminder readers with devices.

Named readers are personas: ``alice`` and ``bob`` are claimed accounts the tests make through
the forms, so every test means the same person by the same name.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from argon2 import PasswordHasher
from tortoise import connections
from tortoise.expressions import Q

from server import db, ratelimit
from server.acts.models import Act, ActDay, ActWeek, HeldAct
from server.app import create_app
from server.identity.models import Account, Session
from server.identity.sessions import COOKIE, token_hash
from server.progress.summary import week_number
from server.ratelimit.models import RateLimitHit
from tests.integration.app_client import AppClient
from tests.integration.conftest import make_settings
from tests.support import CSRF_RE, csrf_in, soup

__all__ = ["CSRF_RE", "soup"]

BASE_URL = "http://127.0.0.1:8000"
PASSPHRASE = "correct horse battery staple"
CODE_RE = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$")


# ---- Pages and forms ------------------------------------------------------------------


async def csrf_token(client, path: str = "/") -> str:
    """The token a page hands to its forms, after visiting a page like a browser would."""
    page = await client.get(path)
    token = csrf_in(page.text)
    assert token, "page carries no CSRF token"
    return token


async def post_form(client, url: str, data: dict | None = None, **kwargs):
    """A form post with the page's CSRF token, redirects not followed unless asked.

    Encoded here rather than by httpx, which refuses text with a lone surrogate: a hostile
    client can send one (it arrives as %ED%A0%80)."""
    token = await csrf_token(client)
    kwargs.setdefault("follow_redirects", False)
    body = urlencode({**(data or {}), "_csrf_token": token}, doseq=True, errors="surrogatepass")
    headers = {"content-type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
    return await client.post(url, content=body.encode(), headers=headers, **kwargs)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def upload(client, document) -> object:
    """Imports ``document`` (an export as a dict, or raw bytes) through the account page."""
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    token = await csrf_token(client, "/account")
    return await client.post(
        "/account/import",
        data={"_csrf_token": token},
        files={"export": ("lifted.json", raw, "application/json")},
    )


# ---- Who is asking --------------------------------------------------------------------


async def sign_in_as(client, account: Account | None = None, **fields) -> Account:
    """Signs ``client`` in as ``account`` (a new anonymous one unless given) and returns it.

    Works like a browser that already holds a session: a Session row keyed by the token's
    SHA-256 and the raw token in the session cookie. ``fields`` go to ``Account.create``
    when a new account is made (e.g. ``timezone="Europe/Paris"``).
    """
    if account is None:
        account = await Account.create(**fields)
    token = secrets.token_urlsafe(32)
    await Session.create(id=token_hash(token), account=account)
    client.cookies.set(COOKIE, token)
    return account


async def sign_in(client, username: str, passphrase: str = PASSPHRASE):
    """Signs in through the form, as a person would; returns the answer (303 when it worked)."""
    return await post_form(
        client, "/account/sign-in", {"username": username, "passphrase": passphrase}
    )


async def claim(client, username: str, passphrase: str = PASSPHRASE) -> str:
    """Claims the client's account; returns the recovery code shown on the page."""
    response = await post_form(
        client,
        "/account/claim",
        {"username": username, "passphrase": passphrase, "passphrase_again": passphrase},
    )
    assert response.status_code == 200, response.text
    return soup(response).select_one("#recovery-code").get_text(strip=True)


def browser_at(app, address: str) -> AppClient:
    """Another browser on the app the test already runs, seen coming from ``address``."""
    return AppClient(app, base_url=BASE_URL, address=address)


def new_device(client) -> list:
    """Forgets this client's cookies (a fresh browser); returns them to switch back later."""
    saved = list(client.cookies.jar)
    client.cookies.clear()
    return saved


def use_device(client, cookies: list) -> None:
    client.cookies.clear()
    for cookie in cookies:
        client.cookies.jar.set_cookie(cookie)


def set_cookie(response, name: str) -> str | None:
    """The response's Set-Cookie header for cookie ``name`` (also under its ``__Host-``
    name, as on https), or None."""
    for header in response.headers.get_list("set-cookie"):
        if header.split("=", 1)[0].removeprefix("__Host-") == name:
            return header
    return None


def session_cookie(response) -> str | None:
    return set_cookie(response, COOKIE)


def sign_out(client) -> None:
    """Forgets the session cookie, as a new visitor would be."""
    client.cookies.delete(COOKIE)


# ---- Rate limits -------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"


def limited_app(database_url, data_dir, backend: str = "database", **env: str):
    """The app counting attempts in the database or (``backend="redis"``) in Redis."""
    if backend == "redis":
        env["LIFTED_REDIS_URL"] = REDIS_URL
    app = create_app(make_settings(database_url, data_dir, **env))
    if backend == "redis":
        # Each test counts under its own prefix, so runs never see each other's attempts.
        app.state.rate_limiter = ratelimit.RedisBackend(REDIS_URL, prefix=f"test-{uuid.uuid4()}:")
    return app


def assert_refused(response, longest: int = 900) -> None:
    """A calm 429: Retry-After within the window, and the plain wait sentence on the page."""
    assert response.status_code == 429, (response.status_code, response.text[:300])
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= longest
    html = soup(response)
    # A form says it beside the form; the plain error page says it in its main text.
    alert = (html.select_one("[role=alert]") or html.select_one("main")).get_text()
    assert "Please wait" in alert and "minute" in alert, alert


async def counts_under(keys: list[str]) -> int:
    """Rate-limit rows stored under any of ``keys``: the key itself or a key below it (a
    known device sits below its account's key)."""
    query = Q(key__in=keys)
    for key in keys:
        query |= Q(key__startswith=f"{key}:")
    return await RateLimitHit.filter(query).count()


class CountingHasher(PasswordHasher):
    """Fast Argon2id that counts its verifications (each runs in a worker thread)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1)
        self.verified = 0
        self._lock = threading.Lock()

    def verify(self, hash, password) -> bool:  # noqa: A002 (argon2's own names)
        with self._lock:
            self.verified += 1
        return super().verify(hash, password)


# ---- Acts -----------------------------------------------------------------------------


async def tap(client, **fields) -> str:
    """One tap on Home's button, as a browser without JavaScript sends it. Returns the id."""
    act_id = fields.pop("id", str(uuid.uuid4()))
    data = {"id": act_id, "timezone": "UTC", **fields}
    response = await post_form(client, "/acts", data)
    assert response.status_code in (200, 303), response.text
    return act_id


class Visitor:
    """One browser: its own cookie jar on the shared app, and the CSRF token its pages carry."""

    def __init__(self, client) -> None:
        self.client = client
        self.token: str | None = None

    @classmethod
    def new(cls, app) -> Visitor:
        # The `client` fixture already runs the app's lifespan; more clients just need cookies.
        return cls(AppClient(app, base_url=BASE_URL))

    async def open_home(self, path: str = "/"):
        response = await self.client.get(path)
        self.token = csrf_in(response.text)
        return response

    async def post(self, url: str, data: dict | None = None, htmx: bool = False):
        if self.token is None:
            await self.open_home()
        headers = {"x-csrftoken": self.token}
        if htmx:
            headers["hx-request"] = "true"
        return await self.client.post(url, data=data or {}, headers=headers, follow_redirects=False)

    async def tap(self, htmx: bool = True, **fields):
        fields.setdefault("id", str(uuid.uuid4()))
        return await self.post("/acts", {k: str(v) for k, v in fields.items()}, htmx=htmx)


def count_queries(monkeypatch) -> list[int]:
    """Records, for every SQL statement run, how many rows it returned."""
    rows: list[int] = []
    cls = type(connections.get("default"))
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(cls, name)

        async def counted(self, *args, _original=original, _name=name, **kwargs):
            result = await _original(self, *args, **kwargs)
            rows.append(len(result[1] if _name == "execute_query" else result))
            return result

        monkeypatch.setattr(cls, name, counted)
    # PostgreSQL's hot statements go to the lane (server/db.py, server/lane.py).
    on_lane = db._on_lane

    async def counted_on_lane(lane, sql, params):
        result = await on_lane(lane, sql, params)
        rows.append(len(result))
        return result

    monkeypatch.setattr(db, "_on_lane", counted_on_lane)
    grouped = db._grouped  # and SQLite's writes that share a commit

    async def counted_grouped(group, conn, sql, values):
        result = await grouped(group, conn, sql, values)
        rows.append(len(result))
        return result

    monkeypatch.setattr(db, "_grouped", counted_grouped)
    return rows


async def act_count(**filters) -> int:
    return await Act.filter(**filters).count()


async def held_count(**filters) -> int:
    return await HeldAct.filter(**filters).count()


async def recount() -> Counter:
    rows = await Act.all().values_list("account_id", "local_date")
    return Counter((str(account), day) for account, day in rows)


async def stored_days() -> Counter:
    rows = await ActDay.all().values_list("account_id", "local_date", "count")
    assert all(count > 0 for *_, count in rows), "a day with no act is not kept"
    days = Counter({(str(account), day): count for account, day, count in rows})
    # And act_weeks (kept from act_days, what Progress counts weeks from) follows the days.
    weeks = Counter((account, week_number(day)) for account, day in days)
    stored = await ActWeek.all().values_list("account_id", "week", "days")
    assert Counter({(str(account), week): n for account, week, n in stored}) == weeks
    return days


async def assert_days_match_acts() -> Counter:
    days = await stored_days()
    assert days == await recount()
    return days


async def stored_act(act_id) -> dict | None:
    """An act's row exactly as stored, every column (to compare before and after)."""
    rows = await db.fetch("SELECT * FROM acts WHERE id = ?::uuid", uuid.UUID(str(act_id)))
    return rows[0] if rows else None


async def log_act(account: Account, local_date: date, when: datetime, timezone: str) -> None:
    await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=when, timezone=timezone, local_date=local_date
    )


# Reminder readers and devices, and hostile-input checks, live in their own modules; they are
# part of this one support module (import them from here).
from tests.integration.support.hostile import *  # noqa: E402, F403
from tests.integration.support.reminders import *  # noqa: E402, F403
