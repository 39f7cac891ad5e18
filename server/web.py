"""Rendering helpers and the context every page gets.

Handlers call ``page(...)``; the same template serves a full page and, for an htmx request,
the fragment named by ``fragment`` (one source of markup for a page and its swaps).
"""

from __future__ import annotations

import html
from typing import Any

from litestar import MediaType, Request, Response
from litestar.response import Template
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup, escape

NAV = [
    ("today", "Today", "/"),
    ("read", "Read", "/articles"),
    ("progress", "Progress", "/progress"),
    ("settings", "Settings", "/settings"),
]


def is_htmx(request: Request) -> bool:
    """Whether htmx asks (for a fragment), not restoring its history (for a whole page).
    Read from the raw headers: a tap asks twice, and Litestar's Headers cost more."""
    asked = False
    for name, value in request.scope["headers"]:
        if name == b"hx-request":
            asked = value == b"true"
        elif name == b"hx-history-restore-request" and value:
            return False
    return asked


def page(
    request: Request,
    template: str,
    *,
    fragment: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    """A full page, or just ``fragment`` (a partial template) when htmx asks."""
    name = fragment if fragment and is_htmx(request) else template
    context.setdefault("account", request.state.get("account"))
    return Template(
        template_name=name,
        context=context,
        status_code=status_code,
        headers={"Vary": "HX-Request", **(headers or {})},
    )


def fragment(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """A partial template rendered here and answered as HTML: the same context a Template
    response gives (``request``, ``csrf_input``), without its per-response work, which cost a
    tap more than rendering its fragment (bench, py-spy)."""
    token = ScopeState.from_scope(request.scope).csrf_token or ""
    body = render(request, template, request=request, csrf_input=csrf_input(token), **context)
    return HTML(body, status_code=status_code, headers=headers)


def render(request: Request, template: str, /, **context: Any) -> str:
    """``template`` rendered with ``context`` by the app's Jinja environment, as a string.

    As ``Template.render`` does, except that the template's globals are merged into the
    context from a plain copy taken once (Jinja merges its ChainMap of them on every render,
    a sixth of a tap's time in the app: bench, py-spy). They are set when the app starts, and
    each template is looked up once per app."""
    engine = request.app.template_engine
    kept = engine.__dict__.setdefault("_lifted_templates", {})
    if (found := kept.get(template)) is None:
        # Looked up once: templates don't change while the app runs (auto_reload is off).
        found = kept[template] = engine.get_template(template)
        found._lifted_globals = dict(found.globals)  # type: ignore[attr-defined]
    merged = found._lifted_globals  # type: ignore[attr-defined]
    try:
        return found.environment.concat(  # type: ignore[attr-defined]
            found.root_render_func(found.new_context({**merged, **context}, shared=True))
        )
    except Exception:
        found.environment.handle_exception()
        raise  # handle_exception re-raises; this line is for the type checker


class HTML(Response):
    """Markup already rendered, answered as it is. Litestar's Response finds a serialiser and
    builds typed headers on its way to the ASGI answer, which cost a tap more than its whole
    form (bench, py-spy); this one goes straight to the two messages. Anything it does not
    expect (cookies, background tasks, HEAD) takes Litestar's own way."""

    __slots__ = ()

    def __init__(
        self, body: str, *, status_code: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        # What Response.__init__ sets (Litestar pinned at 2.25.0; tests/unit/test_web.py
        # compares), without its isinstance checks against typing's generics.
        self.content = body
        self.background = None
        self.cookies = []
        self.encoding = "utf-8"
        self.headers = dict(headers or {})
        self.media_type = MediaType.HTML
        self.status_code = status_code
        self.response_type_encoders = {**(self.type_encoders or {})}

    def to_asgi_response(self, app: Any, request: Request, **kwargs: Any) -> Any:
        headers = {**(kwargs.get("headers") or {}), **self.headers}
        if not self._plain(app, headers, kwargs):
            return super().to_asgi_response(app, request, **kwargs)
        body = self.content.encode()
        encoded = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            *(
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in headers.items()
            ),
        ]
        return _Answer(self.status_code, encoded, body)

    def _plain(self, app: Any, headers: dict, kwargs: dict) -> bool:
        """Whether this answer is the plain case the short way covers: a text body with a
        status that carries one, text headers that don't set its type or length, and nothing
        else to add (cookies, encoded headers, background tasks, HEAD)."""
        if app is not None or self.background or self.cookies or not isinstance(self.content, str):
            return False
        if any(kwargs.get(extra) for extra in _LITESTARS_OWN):
            return False
        if self.status_code < 200 or self.status_code in (204, 304):
            return False
        return all(
            isinstance(value, str) and name.lower() not in _SET_HERE
            for name, value in headers.items()
        )


_LITESTARS_OWN = ("cookies", "encoded_headers", "background", "is_head_response")
_SET_HERE = {"content-type", "content-length"}


class _Answer:
    """An ASGI app that sends one finished answer."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


def csrf_input(token: str) -> str:
    """The hidden field a form sends its CSRF token in (Litestar's ``csrf_input``)."""
    return f'<input type="hidden" name="_csrf_token" value="{html.escape(token)}" />'


def clock(hh_mm: str) -> Markup:
    """A time of day as ``<time class="clock">``: 24-hour without script, and app.js shows it
    in the reader's own 12- or 24-hour habit (the browser's, as its time fields use)."""
    return Markup('<time class="clock" datetime="{0}">{0}</time>').format(escape(hh_mm))


def template_globals(settings: Any, assets: Any) -> dict[str, Any]:
    """Names every template can use: asset URLs, the navigation, the base URL."""
    return {
        "asset_url": assets.url,
        "clock": clock,
        "nav_items": NAV,
        "base_url": settings.base_url,
    }
