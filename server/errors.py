"""Error pages in plain words. A 500 logs its traceback and never shows it."""

from __future__ import annotations

import logging

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
    return Template(
        template_name="errors/error.html",
        context={"title": title, "text": text, "status": status, "account": None},
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
