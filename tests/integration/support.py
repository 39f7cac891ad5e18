"""Helpers the integration tests share: visiting and posting like a browser, signing in (by
session or through the forms), tapping, claiming, reminder readers with devices.

Named readers are personas: ``alice`` and ``bob`` are claimed accounts the tests make through
the forms, so every test means the same person by the same name.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
import zoneinfo
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import pytest

from server import ratelimit
from server.accounts.forms import USERNAME_RE
from server.acts.content import CATEGORY_LABELS
from server.acts.forms import NOTE_MAX
from server.acts.models import Act, HeldAct
from server.identity.models import Account, ApiToken, Session
from server.identity.sessions import COOKIE, token_hash
from server.parsing import storable
from server.reminders import scheduler, service
from server.reminders.models import ReminderSend, ReminderSettings
from tests.integration.app_client import AppClient
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
        if header.split("=", 1)[0] == COOKIE:
            return header
    return None


def sign_out(client) -> None:
    """Forgets the session cookie, as a new visitor would be."""
    client.cookies.delete(COOKIE)


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


async def act_count(**filters) -> int:
    return await Act.filter(**filters).count()


async def held_count(**filters) -> int:
    return await HeldAct.filter(**filters).count()


async def log_act(account: Account, local_date: date, when: datetime, timezone: str) -> None:
    await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=when, timezone=timezone, local_date=local_date
    )


# ---- Reminders ------------------------------------------------------------------------


def fast_sender(settings, delays=(0.01, 0.02)):
    """The app's sender with retries a test can wait for."""
    return scheduler.make_sender(settings, retry_delays=delays)


async def reader(
    receiver,
    now: datetime,
    *,
    at: str = "09:00",
    timezone: str = "UTC",
    days=range(7),
    devices: int = 1,
    **choices,
) -> tuple[Account, list[str]]:
    """An account with reminders on (saved at ``now``) and ``devices`` subscriptions."""
    account = await Account.create()
    view = service.SettingsView(
        enabled=True, time_of_day=at, timezone=timezone, days=list(days), **choices
    )
    await service.save_settings(account, view, now)
    names = []
    for _ in range(devices):
        sub = receiver.device()
        names.append(sub["endpoint"].rsplit("/", 1)[1])
        await service.save_subscription(
            account, sub["endpoint"], sub["keys"]["p256dh"], sub["keys"]["auth"], "Test"
        )
    return account, names


async def next_due(account: Account) -> datetime | None:
    return (await ReminderSettings.get(account_id=account.id)).next_due_at


async def sends(account: Account) -> list[tuple[date, str, str]]:
    rows = await ReminderSend.filter(account_id=account.id).order_by("local_date")
    return [(r.local_date, r.status, r.detail) for r in rows]


# ---- Hostile input --------------------------------------------------------------------

# Words that mean a reader was shown a developer's message instead of ours.
JARGON = re.compile(
    r"Traceback|Exception|Error\b|Validation failed|msgspec|Expected `|codec|surrogate"
    r"|multipart/form-data|Internal Server|Bad Request|Not Found\b",
)


@pytest.fixture
def generous_limits(monkeypatch):
    """Rate limits would turn later hostile requests into 429s before they reach the parsers."""
    for action, kinds in ratelimit.LIMITS.items():
        monkeypatch.setitem(
            ratelimit.LIMITS, action, {k: (10**9, window) for k, (_, window) in kinds.items()}
        )


def assert_not_5xx(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])


def assert_readable(response, what: str = "") -> None:
    """No 5xx, and a refusal a person can read: JSON with an "error" sentence, or a page with
    a heading or a message, in our words (never an exception's name)."""
    where = f"{what}: {response.status_code} {response.text[:300]!r}"
    assert response.status_code < 500, where
    if response.status_code < 400 or response.request.method == "HEAD":
        return
    if response.headers.get("content-type", "").startswith("application/json"):
        error = json.loads(response.content).get("error")
        assert isinstance(error, str) and error.strip(), where
        message = error
    else:
        page = soup(response)
        found = page.select("h1, [role=alert], .field-error, .notice")
        message = " ".join(node.get_text(" ", strip=True) for node in found)
        assert message.strip(), where
    assert not JARGON.search(message), where


async def assert_stored_rows_valid() -> None:
    """Whatever hostile input did, every stored row is one the app could have made."""
    zones = zoneinfo.available_timezones() | {"UTC"}
    for act in await Act.all():
        assert isinstance(act.id, uuid.UUID) or uuid.UUID(str(act.id))
        assert act.timezone in zones, act.timezone
        zoneinfo.ZoneInfo(act.timezone)
        for mood in (act.mood_before, act.mood_after):
            assert mood is None or 1 <= mood <= 5, mood
        assert act.note is None or (0 < len(act.note) <= NOTE_MAX and storable(act.note))
        assert act.category is None or act.category in CATEGORY_LABELS, act.category
    for account in await Account.exclude(username=None):
        assert USERNAME_RE.fullmatch(account.username), account.username
        assert account.username == account.username.lower()
    for token in await ApiToken.all():
        assert 0 < len(token.name) <= 60 and storable(token.name), token.name
