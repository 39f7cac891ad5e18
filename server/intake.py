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

import math
from functools import lru_cache
from secrets import compare_digest
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request as LitestarRequest
from litestar._asgi.utils import wrap_in_exception_handler  # Litestar pinned at 2.25.0
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import FormMultiDict
from litestar.datastructures.cookie import Cookie
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import (
    ClientException,
    InternalServerException,
    PermissionDeniedException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.middleware._utils import build_exclude_path_pattern, should_bypass_middleware
from litestar.middleware.csrf import (
    CSRF_SECRET_LENGTH as SECRET_LENGTH,
)
from litestar.middleware.csrf import (
    generate_csrf_hash,
    generate_csrf_token,
)
from litestar.types import ASGIApp, Empty, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from server.errors import TOO_DEEP, BadInput
from server.identity.cookies import read_cookies
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

    async def fields(self) -> dict[str, str]:
        """The form's text fields by name (the last of a repeated one; files left out).
        A url-encoded form (a tap, every form of ours) is read straight from its body, as
        Litestar reads it (Latin-1, then percent-escapes as UTF-8), without building a
        FormMultiDict or caching a body no other request will send."""
        if _content_type(self.scope).startswith(b"application/x-www-form-urlencoded"):
            body = (await self.body()).decode("latin-1")
            found = dict(parse_qsl(body, keep_blank_values=True, separator="&"))
            if not all(encodable(k) and encodable(v) for k, v in found.items()):
                raise BadInput(UNREADABLE_FORM)
            return found
        form = await self.form()
        return {key: value for key, value in form.items() if isinstance(value, str)}

    async def body(self) -> bytes:
        """Litestar's ``Request.body`` (the same limits and refusals), read straight from
        ``receive``: its async generator, and the Headers it builds to read Content-Length,
        cost a tap more than the rest of reading its form (bench, cProfile)."""
        state = self._connection_state
        if self._body is not Empty or state.body is not Empty or not self.is_connected:
            return await super().body()
        limit = self.route_handler.resolve_request_max_body_size() or math.inf
        if (announced := _header(self.scope, b"content-length")) is not None:
            try:
                length = int(announced)
            except ValueError:
                text = announced.decode("latin-1")
                raise ClientException(f"Invalid content-length: {text!r}") from None
            if length > limit:
                raise RequestEntityTooLarge
        chunks, total = [], 0
        while True:
            event = await self.receive()
            if event["type"] == "http.disconnect":
                raise InternalServerException("client disconnected prematurely")
            if event["type"] != "http.request":
                continue
            if chunk := event.get("body", b""):
                total += len(chunk)
                if total > limit:
                    raise RequestEntityTooLarge
                chunks.append(chunk)
            if not event.get("more_body", False):
                break
        self.is_connected = False
        self._body = state.body = b"".join(chunks)
        return self._body

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


class CSRFMiddleware:
    """Litestar's double-submit CSRF check (the same tokens, cookie and refusals), read
    straight from the request's headers: Litestar's builds a Request and parses every cookie
    first, which cost a tap more than the check (bench, py-spy).

    - A safe method gets the token (the cookie's, or a new one set as the cookie).
    - Any other needs the ``x-csrftoken`` header (or a form's ``_csrf_token``) to carry the
      cookie's token: both must be ours (their HMAC) and hold the same secret. Anything else,
      a non-ASCII token or a file sent as the token included, is a 403.
    """

    def __init__(self, app: ASGIApp, config: CSRFConfig) -> None:
        self.app = app
        self.config = config
        self.cookie = config.cookie_name.encode()
        self.header = config.header_name.lower().encode()
        self.exclude = build_exclude_path_pattern(exclude=config.exclude, middleware_cls=type(self))
        cookie = Cookie(
            key=config.cookie_name,
            value="TOKEN",  # a hex token needs no quoting; the placeholder neither
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        )
        self.set_cookie = cookie.to_header(header="")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if should_bypass_middleware(
            scope=scope,
            scopes={ScopeType.HTTP},
            exclude_opt_key=self.config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            await self.app(scope, receive, send)
            return
        cookie = read_cookies(scope).get(self.config.cookie_name)
        state = ScopeState.from_scope(scope)
        if scope["method"] in self.config.safe_methods:
            token = state.csrf_token = cookie or generate_csrf_token(self.config.secret)
            await self.app(scope, receive, send if cookie else self._setting(send, token))
            return
        sent = next((v for k, v in scope["headers"] if k == self.header), None)
        given: Any = sent.decode("latin-1") if sent else None
        if not given and _is_form(scope):
            request = scope["litestar_app"].request_class(scope=scope, receive=receive)
            given = (await request.form()).get("_csrf_token")
        if cookie is None or given is None or not self._match(given, cookie):
            raise PermissionDeniedException("CSRF token verification failed")
        state.csrf_token = given
        await self.app(scope, receive, send)

    def _setting(self, send: Send, token: str) -> Send:
        header = self.set_cookie.replace("TOKEN", token, 1).encode("latin-1")

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", header)]
            await send(message)

        return with_cookie

    def _secret(self, token: Any) -> str | None:
        # Only a token of our length can be ours: anything else is refused before it could
        # fill the memo below (a 60 KB forged token per request would otherwise stay).
        if not isinstance(token, str) or len(token) != TOKEN_LENGTH or not token.isascii():
            return None
        return _checked(token, self.config.secret)

    def _match(self, given: Any, cookie: str) -> bool:
        if given == cookie:  # the header copies the cookie's token: one HMAC to check
            return self._secret(cookie) is not None
        mine, theirs = self._secret(given), self._secret(cookie)
        return mine is not None and theirs is not None and compare_digest(mine, theirs)


# A token is its secret in hex and the secret's HMAC-SHA256 in hex (Litestar's format).
TOKEN_LENGTH = SECRET_LENGTH + 64


@lru_cache(maxsize=4096)
def _checked(token: str, key: str) -> str | None:
    """The secret inside ``token`` when its HMAC under ``key`` is right, else None. Kept for
    the tokens seen lately: a reader sends the same one with every tap."""
    secret, digest = token[:SECRET_LENGTH], token[SECRET_LENGTH:]
    expected = generate_csrf_hash(token=secret, secret=key)
    return secret if compare_digest(digest, expected) else None


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((v for k, v in scope["headers"] if k == name), None)


def _content_type(scope: Scope) -> bytes:
    return (_header(scope, b"content-type") or b"").lower()


def _is_form(scope: Scope) -> bool:
    kind = _content_type(scope)
    return kind.startswith((b"application/x-www-form-urlencoded", b"multipart/form-data"))


def csrf_middleware(config: CSRFConfig):
    """The CSRF check as app middleware, with its refusals (a 403, or a 400 for a form that
    can't be read) answered right there, inside the app's other middleware: so they carry the
    security headers, and the access log records their status instead of a 500. Litestar puts
    its own exception handler only around the route handler, inside this."""

    def middleware(app: ASGIApp) -> ASGIApp:
        return wrap_in_exception_handler(CSRFMiddleware(app=app, config=config))

    return middleware
