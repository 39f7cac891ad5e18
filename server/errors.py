"""Error pages in plain words. A 500 logs its traceback and never shows it.

Bad input is refused where it enters (server/parsing.py, server/intake.py). The handlers for
decoding errors below are the net under that: whatever still slips through answers a 400 in
plain words instead of a 500, and is logged so the missing check can be added.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.response import Template

log = logging.getLogger("lifted.errors")

MESSAGES = {
    400: ("That didn't look right", "Something in the request could not be understood."),
    401: ("Please sign in", "This needs a valid access token."),
    403: (
        "Please try that again",
        "This page was open for a while, so its security check went stale. "
        "Reload the page and try again; nothing you entered has been saved twice.",
    ),
    404: ("We couldn't find that page", "It may have moved, or the link may be mistyped."),
    405: ("That can't be done here", "This address doesn't accept that kind of request."),
    413: ("That was too much at once", "Please send something shorter."),
    429: ("Let's take a breath", "Too many tries in a short time. Please wait a little."),
    500: (
        "Something went wrong on our side",
        "It isn't anything you did. Your saved acts are safe; please try again in a moment.",
    ),
}
UNREADABLE = "Something in the request could not be read. Please check it and try again."
TOO_DEEP = "That was nested too deeply to read. Please send something simpler."
UNSTORABLE = "Something in the request contains a character we can't accept."


class Plain:
    """Marks an HTTPException whose detail is written for readers. Litestar's own details are
    for developers ("Invalid multipart/form-data"), so only these are shown."""


class BadInput(Plain, ClientException):
    """A 400 whose detail tells the reader what was wrong."""


class NotSignedIn(Plain, NotAuthorizedException):
    """A 401 whose detail tells the client how to sign in."""


class TooMany(Plain, TooManyRequestsException):
    """A 429 whose detail says how long to wait, in words."""


# Where a reader most likely wants to go next, by the address that failed: the page it
# belongs to. Only addresses, so this floor still knows no feature's code.
DESTINATIONS = (
    ("/articles", "Browse the readings", "/articles"),
    ("/acts", "See your acts", "/acts"),
    ("/progress", "See your progress", "/progress"),
    ("/settings/reminders", "Back to reminders", "/settings/reminders"),
    ("/account", "Back to your account", "/account"),
    ("/settings", "Back to Settings", "/settings"),
)
TODAY = ("Back to Today", "/")
# A form refused (a stale page, too much at once, too many tries) is tried again where it was.
RETRY = {400: "Go back", 403: "Go back and try again", 413: "Go back", 429: "Back to the page"}


def _came_from(request: Request) -> str | None:
    """The page this request came from, when it is one of ours (path and query only)."""
    parts = urlsplit(request.headers.get("referer", ""))
    if parts.scheme not in ("http", "https") or parts.netloc != request.url.netloc:
        return None
    # "//host" and "/\host" both leave the site in a browser (it reads a backslash as a slash).
    if not parts.path.startswith("/") or parts.path.startswith("//") or "\\" in parts.path:
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def next_step(request: Request, status: int) -> tuple[str, str]:
    """(label, URL) of the one button an error page offers, so it is never a dead end."""
    back = _came_from(request)
    if status in RETRY and back:
        return RETRY[status], back
    if status >= 500:
        if request.method == "GET":
            query = request.url.query
            return "Try again", f"{request.url.path}?{query}" if query else request.url.path
        if back:
            return "Go back and try again", back
    path = request.url.path
    for prefix, label, url in DESTINATIONS:
        if (path == prefix or path.startswith(prefix + "/")) and path != url:
            return label, url
    return TODAY


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    sent_json = request.headers.get("content-type", "").startswith("application/json")
    return request.url.path.startswith("/api/") or (
        ("application/json" in accept or sent_json) and "text/html" not in accept
    )


def error_response(
    request: Request,
    status: int,
    detail: str | None = None,
    fields: dict[str, str] | None = None,
) -> Response:
    title, text = MESSAGES.get(status, MESSAGES[400] if status < 500 else MESSAGES[500])
    if detail and status < 500:
        text = detail
    if _wants_json(request):
        body: dict = {"error": text, "status": status}
        if fields:
            body["fields"] = fields
        return Response(body, status_code=status, media_type=MediaType.JSON)
    label, url = next_step(request, status)
    return Template(
        template_name="errors/error.html",
        context={
            "title": title,
            "text": text,
            "status": status,
            "account": None,
            "next_label": label,
            "next_url": url,
        },
        status_code=status,
    )


def http_error(request: Request, exc: HTTPException) -> Response:
    detail = exc.detail if isinstance(exc, Plain) else None
    response = error_response(request, exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def not_found(request: Request, exc: NotFoundException) -> Response:
    return error_response(request, 404)


def forbidden(request: Request, exc: PermissionDeniedException) -> Response:
    return error_response(request, 403)


def invalid(request: Request, exc: ValidationException) -> Response:
    """Litestar's checks of declared parameters and bodies. A path parameter out of bounds
    (parsing.RowId, parsing.PathKey) names nothing, so that is a 404; the rest say which
    values can't be used, without Litestar's wording (which repeats the whole URL)."""
    problems = [e for e in exc.extra or [] if isinstance(e, dict) and e.get("key")]
    names = list(dict.fromkeys(str(e["key"]) for e in problems))
    # By name, not by Litestar's "source": that says "query" when the query string happens
    # to carry the same name as well.
    if names and all(name in request.path_params for name in names):
        return error_response(request, 404)
    if not names:
        return error_response(request, 400)
    text = f"Some values can't be used: {', '.join(names)}. Please check them and try again."
    fields = {name: "This value can't be used here." for name in names}
    return error_response(request, 400, text, fields)


def _refused(text: str):
    def handler(request: Request, exc: Exception) -> Response:
        log.warning(
            "refused unreadable input on %s %s: %s",
            request.method,
            request.scope.get("path_template"),
            type(exc).__name__,
        )
        return error_response(request, 400, text)

    return handler


def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.scope.get("path_template"))
    return error_response(request, 500)


HANDLERS = {
    NotFoundException: not_found,
    PermissionDeniedException: forbidden,
    ValidationException: invalid,
    HTTPException: http_error,
    RecursionError: _refused(TOO_DEEP),
    UnicodeDecodeError: _refused(UNREADABLE),
    UnicodeEncodeError: _refused(UNSTORABLE),
    msgspec.DecodeError: _refused(UNREADABLE),
    500: server_error,
    Exception: server_error,
}
