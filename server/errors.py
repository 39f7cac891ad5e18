"""Error pages in plain words. A 500 logs its traceback and never shows it."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Template

log = logging.getLogger("lifted.errors")

MESSAGES = {
    400: ("That didn't look right", "Something in the request could not be understood."),
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
    if not parts.path.startswith("/") or parts.path.startswith("//"):
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
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def error_response(request: Request, status: int, detail: str | None = None) -> Response:
    title, text = MESSAGES.get(status, MESSAGES[400] if status < 500 else MESSAGES[500])
    # Litestar's own 403 and 413 details are jargon ("Request Entity Too Large"): keep ours.
    if detail and status < 500 and status not in (403, 413):
        text = detail
    if _wants_json(request):
        return Response(
            {"error": text, "status": status}, status_code=status, media_type=MediaType.JSON
        )
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
    response = error_response(request, exc.status_code, exc.detail if exc.detail else None)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def not_found(request: Request, exc: NotFoundException) -> Response:
    return error_response(request, 404)


def forbidden(request: Request, exc: PermissionDeniedException) -> Response:
    return error_response(request, 403)


def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.scope.get("path_template"))
    return error_response(request, 500)


HANDLERS = {
    NotFoundException: not_found,
    PermissionDeniedException: forbidden,
    HTTPException: http_error,
    500: server_error,
    Exception: server_error,
}
