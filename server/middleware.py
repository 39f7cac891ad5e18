"""ASGI middleware: security headers on every response, a structured access log, a complete
Allow header on OPTIONS answers, and HEAD for every GET."""

from __future__ import annotations

import json
import logging
import time

from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("lifted.access")

# No inline script or style anywhere: htmx is configured through a <meta> tag.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def security_headers(https: bool):
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", PERMISSIONS.encode()),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
        # No other site may embed any of our answers (a page, a feed, an image) in its own.
        (b"cross-origin-resource-policy", b"same-origin"),
    ]
    if https:
        headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
    # A stylesheet, script or PNG under /static/ is never a document: the policies that govern
    # documents (CSP, framing, permissions, opener) do nothing there, and left out they save
    # ~460 bytes on each of a first load's files. SVG and HTML could be opened as documents:
    # they keep everything. (/sw.js is not under /static/: a worker keeps its CSP.)
    kept = {b"x-content-type-options", b"referrer-policy", b"cross-origin-resource-policy"}
    lean = [(k, v) for k, v in headers if k in kept or k == b"strict-transport-security"]

    def middleware(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            static = scope["path"].startswith("/static/")

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    given = message.get("headers", [])
                    present = {name.lower() for name, _ in given}
                    document = not static or any(
                        name.lower() == b"content-type"
                        and value.startswith((b"image/svg", b"text/html"))
                        for name, value in given
                    )
                    extra = [(k, v) for k, v in (headers if document else lean) if k not in present]
                    message["headers"] = [*given, *extra]
                await send(message)

            await app(scope, receive, send_with_headers)

        return wrapped

    return middleware


def access_logger(app: ASGIApp) -> ASGIApp:
    """One JSON line per request. It logs the route's template, never the concrete path or
    query string, so secrets carried in URLs (calendar feeds, tokens) stay out of logs."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        # Checked first: at the usual WARNING level, nothing is timed or built per request.
        if scope["type"] != "http" or not access_log.isEnabledFor(logging.INFO):
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, record_status)
        finally:
            access_log.info(
                json.dumps(
                    {
                        "method": scope["method"],
                        "route": scope.get("path_template") or "(unmatched)",
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                )
            )

    return wrapped


def complete_allow(app: ASGIApp) -> ASGIApp:
    """Lists every method of a path in the Allow header of Litestar's own OPTIONS answer.

    Litestar 2.x makes that answer when the first handler of a path is registered and never
    updates it, so a GET and a POST on one path in separate handlers answer "OPTIONS, POST"
    (litestar-org/litestar#4169, fixed only in 3.x). The app's finished routes know them all.
    """
    allowed: dict[str, bytes] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await app(scope, receive, send)
            return
        if not allowed:
            routes = [route for route in scope["app"].routes if isinstance(route, HTTPRoute)]
            for route in routes:
                methods = set(route.methods) | ({"HEAD"} if "GET" in route.methods else set())
                allowed[route.path_format] = ", ".join(sorted(methods)).encode()
        allow = allowed.get(scope.get("path_template", ""))

        async def send_allow(message: Message) -> None:
            if allow and message["type"] == "http.response.start":
                message["headers"] = [
                    (name, allow if name.lower() == b"allow" else value)
                    for name, value in message.get("headers", [])
                ]
            await send(message)

        await app(scope, receive, send_allow)

    return wrapped


def head_as_get(app: ASGIApp) -> ASGIApp:
    """Answers HEAD wherever GET is answered: the same status and headers, no body.

    Litestar routes HEAD only to handlers that list it, so a HEAD for a page would be a 405.
    This wraps the whole app (routing included): the request goes through as a GET, and its
    body is dropped on the way out (Content-Length stays, as HEAD requires).
    """

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b"", "more_body": False}
                if sent["done"]:
                    return
                sent["done"] = True
            await send(message)

        sent = {"done": False}
        await app({**scope, "method": "GET"}, receive, without_body)

    return wrapped
