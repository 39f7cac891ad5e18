"""Where request bodies are decoded: the app's Request class and its CSRF middleware.

Both are Litestar's, with the failures bad input causes there turned into a 400 in plain words:

- A multipart part may name its own charset, and Litestar decodes the part with whatever codec
  that names: bytes it can't decode, a codec Python doesn't know ("nonsense") or one that is
  not for text ("rot13") raised from inside the CSRF middleware, before any handler ran. Some
  codecs (utf-16, raw_unicode_escape) also yield lone surrogates, which no database can store.
- JSON nested thousands deep makes msgspec raise RecursionError.
- A multipart form read by the CSRF check used up the body, so a handler reading the body
  afterwards waited for the client forever.
- hmac.compare_digest raises TypeError for non-ASCII text, so a CSRF token or cookie with
  "é" in it crashed the check instead of failing it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request as LitestarRequest
from litestar._asgi.utils import wrap_in_exception_handler  # Litestar pinned at 2.25.0
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.middleware.csrf import CSRFMiddleware as LitestarCSRFMiddleware
from litestar.types import ASGIApp

from server.errors import TOO_DEEP, BadInput
from server.parsing import encodable

UNREADABLE_FORM = (
    "This form could not be read: it contains characters we can't accept. "
    "Please reload the page and try again."
)


def _encodable_form(form: FormMultiDict) -> bool:
    # A NUL is left to the form parsers, which say which field holds it.
    return all(
        encodable(key) and (encodable(value) if isinstance(value, str) else True)
        for key, value in form.multi_items()
    )


class Request(LitestarRequest):
    """Litestar's Request; a form or JSON body that can't be decoded is a 400 (BadInput)."""

    async def form(self) -> FormMultiDict:
        try:
            if self.content_type[0] == RequestEncodingType.MULTI_PART:
                # Litestar parses a multipart form straight from the stream without keeping
                # the bytes, so a handler reading the body after the CSRF check read the form
                # waited for bytes that had already gone. Read once, kept for both.
                await self.body()
            form = await super().form()
        # LookupError: the charset a part named is no text codec Python knows.
        except (UnicodeError, LookupError):
            raise BadInput(UNREADABLE_FORM) from None
        if not _encodable_form(form):
            raise BadInput(UNREADABLE_FORM)
        return form

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise BadInput(TOO_DEEP) from None


class CSRFMiddleware(LitestarCSRFMiddleware):
    """Litestar's CSRF check, where a token that can't be ours fails instead of raising.

    Tokens Litestar makes are ASCII text; a non-ASCII one (or a file sent as ``_csrf_token``)
    is a mismatch, so the answer is the usual 403.
    """

    def _csrf_tokens_match(self, request_csrf_token: Any, cookie_csrf_token: Any) -> bool:
        tokens = (request_csrf_token, cookie_csrf_token)
        if not all(isinstance(token, str) and token.isascii() for token in tokens):
            return False
        return super()._csrf_tokens_match(request_csrf_token, cookie_csrf_token)


def csrf_middleware(config: CSRFConfig):
    """The CSRF check as app middleware, with its refusals (a 403, or a 400 for a form that
    can't be read) answered right there, inside the app's other middleware: so they carry the
    security headers, and the access log records their status instead of a 500. Litestar puts
    its own exception handler only around the route handler, inside this."""

    def middleware(app: ASGIApp) -> ASGIApp:
        return wrap_in_exception_handler(CSRFMiddleware(app=app, config=config))

    return middleware
