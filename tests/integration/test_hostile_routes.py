"""Every route the app has, every way input reaches it: no input makes a 5xx.

Each class of hostile input (non-ASCII digits, lone surrogates, NUL, over-long values, invalid
UTF-8 and broken escapes, JSON nested thousands deep, multipart parts in odd charsets, files
sent in place of fields, non-ASCII CSRF tokens) goes into every place it can go: path
parameters, the query string, urlencoded and multipart forms and JSON bodies. Three visitors
send it: one with no cookie at all, one with only the CSRF cookie a page hands out, and a
signed-in reader with an act, a kept-aside act, an access token, a device and a calendar feed,
whose real ids are the starting point for the hostile path parameters.

Every answer is below 500 and readable: a page with a message, or JSON with "error". The routes,
their methods and parameters come from ``app.routes``, and the field names from the templates
and the server's source, so a route or a field added later is walked too.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from server.acts.content import CATEGORIES
from server.acts.models import Act, HeldAct
from server.identity import tokens
from server.identity.models import ApiToken
from server.identity.sessions import COOKIE
from server.reminders import service as reminders
from server.reminders.models import PushSubscription
from server.settings import ROOT
from tests.integration.push_receiver import PushService
from tests.integration.support import (
    assert_readable,
    assert_stored_rows_valid,
    csrf_token,
    fast_sender,
    generous_limits,  # noqa: F401 (a fixture)
    sign_in_as,
)

pytestmark = pytest.mark.usefixtures("generous_limits")

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
LONG_FIELD = 1200  # longer than any field may be, and every field at once is under 64 KiB
LONG_QUERY = 600  # every name at once, and the long path, stay within httpx's 64 KiB URL
LONG_PATH = 10_000
DEEP = 5000
HANG = 10  # seconds: a request still unanswered then waits for bytes that won't come
BOUNDARY = "lifted-walk"
FORM = "application/x-www-form-urlencoded"
# Names the framework fills in, not the client.
NOT_INPUT = {"request", "data", "state", "headers", "scope", "body", "socket", "account"}


def _digits(script: str, fallback: str) -> Callable[[str], str]:
    table = str.maketrans("0123456789", script)
    return lambda value: value.translate(table) if re.search("[0-9]", value) else fallback


# Each turns a plausible value into a hostile one of its class (``size`` for the long one).
VALUE_CLASSES: dict[str, Callable[[str, int], str]] = {
    "superscript digits": lambda v, _: _digits("⁰¹²³⁴⁵⁶⁷⁸⁹", "²")(v),
    "Arabic-Indic digits": lambda v, _: _digits("٠١٢٣٤٥٦٧٨٩", "٣")(v),
    "full-width digits": lambda v, _: _digits("０１２３４５６７８９", "３")(v),
    # In the middle, so that checks of how a value starts or ends ("….ics") still pass.
    "a lone surrogate": lambda v, _: v[: len(v) // 2] + "\ud800" + v[len(v) // 2 :],
    "a NUL": lambda v, _: v[: len(v) // 2] + "\x00" + v[len(v) // 2 :],
    # Padded in the middle, with letters so that every field at once fits the body limit.
    "over-long": lambda v, size: v[: len(v) // 2] + "x" * (size - len(v)) + v[len(v) // 2 :],
}
# Part charsets that made Litestar's multipart decoding raise (or yield lone surrogates).
CHARSETS = {
    "utf-16": b"\x00\xd8",
    "raw_unicode_escape": b"\\ud800",
    "nonsense": b"abc",
    "rot13": b"abc",
}


def field_names(app: Litestar) -> list[str]:
    """Every name the app may read from a form, query string or JSON body: inputs in the
    templates, names the server's code reads, and declared query parameters."""
    names: set[str] = set()
    for path in (ROOT / "web" / "templates").rglob("*.html"):
        text = path.read_text()
        names |= set(re.findall(r'\bname="([a-z_]+)"', text))
        names |= set(re.findall(r'\bfield\("([a-z_]+)"', text))
    for path in (ROOT / "server").rglob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r'\b(?:get|getall|field|fields)\((?:\w+, )?"([a-z_]+)"', text))
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            declared = set(handler.parsed_fn_signature.parameters)
            names |= declared - NOT_INPUT - set(route.path_parameters)
    return sorted(names - {"_csrf_token"})


@dataclass
class Reader:
    """The signed-in reader's things: the API token, and real values for path parameters."""

    api_token: str = ""
    path: dict[str, str] = field(default_factory=dict)


def plausible(reader: Reader, endpoint: str) -> dict[str, object]:
    """What a well-meaning client would send for each name (ints where JSON has numbers)."""
    now = datetime.now(UTC)
    return {
        "id": str(uuid.uuid4()),
        "occurred_at": now.isoformat(timespec="seconds"),
        "timezone": "Europe/Paris",
        "category": CATEGORIES[0].id,
        "note": "Carried 2 bags up 3 floors",
        "mood_before": 2,
        "mood_after": 4,
        "time_of_day": "19:30",
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "days": "3",
        "enabled": "on",
        "skip_if_logged": "on",
        "page": 2,
        "per_page": 10,
        "idea": "3",
        "test": "1-2",
        "logged": reader.path.get("act_id", ""),
        "username": "walker2",
        "passphrase": "correct horse 12 battery",
        "passphrase_again": "correct horse 12 battery",
        "recovery_code": "ABCDE-12345-FGHJK-67890",
        "name": "phone 2",
        "confirm": "DELETE",
        "next": "/",
        "topic": "recovery",
        "endpoint": endpoint,
    }


def q(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def raw(value: object) -> bytes:
    return str(value).encode("utf-8", "surrogatepass")


def urlencoded(values: dict[str, str]) -> bytes:
    return "&".join(f"{q(k)}={q(v)}" for k, v in values.items()).encode()


def multipart(parts: list[tuple[str, bytes, str | None, str | None]]) -> tuple[bytes, str]:
    """(body, content type) from (name, bytes, charset, filename) parts."""
    out = b""
    for name, value, charset, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
        if charset:
            head += f"Content-Type: text/plain; charset={charset}\r\n"
        out += head.encode() + b"\r\n" + value + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"


@dataclass
class Walk:
    """One visitor walking every route, checking each answer."""

    client: object
    visitor: str  # "no cookie", "CSRF cookie only" or "signed in"
    reader: Reader
    reseed: Callable
    names: list[str]
    sent: int = 0
    csrf: str = ""
    framework: bool = False  # the route is Litestar's (the OpenAPI schema), not ours
    template: str = ""
    failures: dict[str, str] = field(default_factory=dict)

    async def prepare(self) -> None:
        if self.visitor == "no cookie":
            self.client.cookies.clear()
        elif self.visitor == "CSRF cookie only":
            if not self.csrf:
                self.client.cookies.clear()
                self.csrf = await csrf_token(self.client)
            self.client.cookies.delete(COOKIE)  # a write may have made an account: forget it
        elif not self.csrf or not self.signed_in():
            # First, or the last request signed out or deleted the account: a fresh reader.
            if not self.signed_in():
                self.reader = await self.reseed()
            self.csrf = await csrf_token(self.client)

    async def send(self, label: str, method: str, url: str, body=None, kind=None, headers=None):
        await self.prepare()
        headers = dict(headers or {})
        if kind in ("json", None) and self.csrf and method in BODY_METHODS:
            headers["x-csrftoken"] = self.csrf  # as htmx and fetch send it; forms carry theirs
        if kind:
            headers["content-type"] = kind if kind != "json" else "application/json"
        if self.visitor == "signed in" and url.startswith("/api/"):
            headers["authorization"] = f"Bearer {self.reader.api_token}"
        # As bytes: a header may carry non-ASCII (latin-1), as a hostile client can send it.
        raw_headers = [(k.encode(), v.encode("latin-1")) for k, v in headers.items()]
        request = self.client.request(
            method, url, content=body, headers=raw_headers, follow_redirects=False
        )
        self.sent += 1
        where = f"{label}: {method} {self.template}"
        try:
            response = await asyncio.wait_for(request, HANG)
        except TimeoutError:
            self.failures.setdefault(where, f"{url[:100]} -> no answer in {HANG} s")
            return
        try:
            if self.framework:
                # Litestar's own schema routes answer a bare "Error 404" page of their own.
                assert response.status_code < 500, response.text[:300]
            else:
                assert_readable(response)
        except AssertionError as exc:
            # Kept, not raised: the report then lists every class on every route that failed.
            self.failures.setdefault(where, f"{url[:100]} -> {str(exc)[:200]}")

    def signed_in(self) -> bool:
        return any(cookie.name == COOKIE for cookie in self.client.cookies.jar)

    def path(self, route: HTTPRoute, transform: Callable[[str], str]) -> str:
        path = route.path_format
        for name in route.path_parameters:
            path = path.replace("{" + name + "}", q(transform(self.reader.path.get(name, "1"))))
        return path

    def form(self, values: dict[str, str]) -> dict[str, str]:
        return {**values, "_csrf_token": self.csrf} if self.csrf else values

    async def route(self, route: HTTPRoute, method: str, endpoint: str) -> None:
        handlers = route.route_handlers
        self.template = route.path_format
        self.framework = all(h.fn.__module__.startswith("litestar.") for h in handlers)
        base = plausible(self.reader, endpoint)
        # Without a CSRF cookie a write stops at the CSRF check, which only decodes the form:
        # the raw bodies below are what can go wrong there; values never reach a handler.
        classes = {} if self.visitor == "no cookie" and method in BODY_METHODS else VALUE_CLASSES
        for label, change in classes.items():
            values = {n: change(str(base.get(n, "1")), LONG_FIELD) for n in self.names}
            query = {n: change(str(base.get(n, "1")), LONG_QUERY) for n in self.names}
            url = self.path(route, lambda v, change=change: change(v, LONG_PATH))
            with_query = f"{url}?{urlencoded(query).decode()}"
            if method not in BODY_METHODS:
                await self.send(label, method, with_query)
                continue
            form = self.form(values)
            await self.send(label, method, with_query, urlencoded(form), FORM)
            await self.send(label, method, url, *multipart_of(form))
            document = {n: base.get(n, "1") for n in self.names}
            document["keys"] = {"p256dh": "BAAA", "auth": "AAAA"}
            await self.send(label, method, url, json_of(document, change), "json")
        if method in BODY_METHODS:
            await self.raw_bodies(route, method)
        else:
            url = self.path(route, lambda v: "%ff%zz%")
            broken = "&".join(f"{n}=%ff%zz%ED%A0%80%" for n in self.names)
            await self.send("invalid UTF-8", method, f"{url}?{broken}")

    async def raw_bodies(self, route: HTTPRoute, method: str) -> None:
        url = self.path(route, lambda v: v)
        token = [("_csrf_token", self.csrf.encode(), None, None)] if self.csrf else []
        broken = b"&".join(n.encode() + b"=\xff%ff%zz%" for n in self.names)
        if self.csrf:
            broken += b"&_csrf_token=" + self.csrf.encode()
        await self.send("invalid UTF-8", method, url, broken, FORM)
        parts = [(n, b"\xff\xfe", None, None) for n in self.names]
        await self.send("invalid UTF-8", method, url, *multipart(parts + token))
        await self.send("invalid UTF-8", method, url, b'{"note": "\xff"}', "json")
        deep = b"[" * DEEP + b"]" * DEEP
        await self.send("deep JSON", method, url, deep, "json")
        files = [(n, b'{"acts": ' + deep + b"}", None, f"{n}.json") for n in self.names]
        await self.send("deep JSON in files", method, url, *multipart(files + token))
        for charset, payload in CHARSETS.items():
            parts = [(n, payload, charset, None) for n in self.names]
            await self.send(f"charset={charset}", method, url, *multipart(parts + token))
        files = [(n, b"1", None, "x.txt") for n in self.names]
        await self.send("files for fields", method, url, *multipart(files + token))
        bad = {"x-csrftoken": "\u00e9" * 80}
        await self.send("non-ASCII CSRF header", method, url, b"note=1", FORM, bad)
        parts = [("_csrf_token", raw("\u00e9" * 80), None, None)]
        await self.send("non-ASCII CSRF field", method, url, *multipart(parts))


def multipart_of(values: dict[str, str]) -> tuple[bytes, str]:
    return multipart([(k, raw(v), None, None) for k, v in values.items()])


def json_of(document: object, change: Callable[[str, int], str]) -> bytes:
    """The document with every string changed; json.dumps escapes lone surrogates as \\ud800."""

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return change(value, LONG_FIELD) if isinstance(value, str) else value

    return json.dumps(walk(document)).encode()


async def seed(client, app: Litestar, receiver) -> Reader:
    """A signed-in reader with one of each thing a path can name."""
    client.cookies.clear()
    account = await sign_in_as(client)
    now = datetime.now(UTC)
    act = await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=now, timezone="UTC", local_date=now.date()
    )
    held = await HeldAct.create(
        id=uuid.uuid4(),
        account_id=account.id,
        occurred_at=now - timedelta(days=40),
        timezone="UTC",
        reason="It was more than 30 days old when it reached us.",
        payload={},
    )
    api_token = await tokens.create(account, "walker")
    subscription = receiver.device()
    keys = subscription["keys"]
    await reminders.save_subscription(
        account, subscription["endpoint"], keys["p256dh"], keys["auth"], "Test"
    )
    view = reminders.SettingsView(enabled=True, time_of_day="09:00", timezone="UTC")
    await reminders.save_settings(account, view, now)
    calendar = secrets.token_urlsafe(24)
    await reminders.set_calendar_token(account, calendar)
    token_row = await ApiToken.get(account_id=account.id)
    device = await PushSubscription.get(endpoint=subscription["endpoint"])
    slug = app.state.library.articles[0].slug
    return Reader(
        api_token=api_token,
        path={
            "act_id": str(act.id),
            "held_id": str(held.id),
            "token_id": str(token_row.id),
            "device_id": str(device.id),
            "slug": slug,
            "name": f"{calendar}.ics",
        },
    )


def routes(app: Litestar) -> list[tuple[HTTPRoute, str]]:
    found = [
        (route, method)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for method in sorted(route.methods - {"OPTIONS"})
    ]
    assert len(found) > 40, "the walk found fewer routes than the app has"
    return found


@pytest.mark.parametrize("visitor", ["no cookie", "CSRF cookie only", "signed in"])
async def test_no_input_makes_a_5xx_on_any_route(client, app, settings, visitor):
    app.state.push_sender = fast_sender(settings, delays=())
    names = field_names(app)
    with PushService() as receiver:
        reader = await seed(client, app, receiver)
        walk = Walk(client, visitor, reader, lambda: seed(client, app, receiver), names)
        for route, method in routes(app):
            await walk.route(route, method, receiver.device()["endpoint"])
    report = "\n".join(f"{where}  ({example})" for where, example in walk.failures.items())
    assert not walk.failures, f"{len(walk.failures)} kinds of input failed:\n{report}"
    assert walk.sent > 500
    await assert_stored_rows_valid()


async def test_refusals_before_any_handler_carry_the_security_headers(client):
    """The CSRF check refuses (403), and refuses a form it can't read (400), inside the app's
    middleware: the answer has the Content-Security-Policy like every page."""
    unreadable, kind = multipart([("note", b"\xff\xfe", None, None)])
    for body, content_type, status in ((b"note=1", FORM, 403), (unreadable, kind, 400)):
        response = await client.post("/acts", content=body, headers={"content-type": content_type})
        assert response.status_code == status
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert_readable(response)
