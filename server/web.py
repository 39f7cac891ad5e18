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
    return Response(body, media_type=MediaType.HTML, status_code=status_code, headers=headers)


def render(request: Request, template: str, /, **context: Any) -> str:
    """``template`` rendered with ``context`` by the app's Jinja environment, as a string."""
    return request.app.template_engine.get_template(template).render(**context)


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
