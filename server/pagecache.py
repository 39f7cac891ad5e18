"""Pages whose HTML depends only on the content (an article, the library, help, about,
privacy, the offline page): rendered once per process, compressed once, and answered with an
ETag, so a repeat visit with ``If-None-Match`` is a 304 with no body.

Such a page carries nothing of its reader: no CSRF token (web/static/app.js asks /acts/token
when the page has a form), no finished marks (reader.js asks /articles/reads), nobody's
name. A route marked ``READER_FREE`` in its ``opt`` isn't even asked whose session it is
(identity middleware), unless its query string asks for something more (a tap without
JavaScript returning to its article). Help and the offline page differ by the reader's
region: one copy per region.

Only known keys are kept (a mistyped topic is rendered each time), so the cache holds at most
a few entries per article and page. A new release restarts the process, and with it the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from litestar import MediaType, Request, Response

from server import web
from server.compression import MINIMUM, choose, compress
from server.identity.sessions import READER_FREE
from server.web import csrf_input

__all__ = ["READER_FREE", "content_page", "render"]
LIMIT = 2000  # entries per process; past it, pages are rendered per request (never reached)


@dataclass(frozen=True)
class Rendered:
    etag: str
    bodies: dict[str | None, bytes]  # by Content-Encoding: None (plain), "br", "gzip"


def render(request: Request, template: str, context: dict[str, Any]) -> str:
    """``template`` with no reader: base.html leaves the token out and says so, and the
    forms' token fields are blank (everyone.js fills them in from /acts/token)."""
    full = {"account": None, "content_only": True, "csrf_input": csrf_input(""), **context}
    return web.render(request, template, **full)


def _prepare(html: str) -> Rendered:
    plain = html.encode()
    etag = 'W/"' + hashlib.sha256(plain).hexdigest()[:24] + '"'
    bodies: dict[str | None, bytes] = {None: plain}
    if len(plain) >= MINIMUM:
        bodies |= {"br": compress(plain, "br"), "gzip": compress(plain, "gzip")}
    return Rendered(etag, bodies)


def content_page(
    request: Request, key: Any, template: str, vary: str = "", **context: Any
) -> Response:
    """The page for ``key`` (rendered from ``template`` with ``context`` the first time),
    or a 304 when the browser already holds it. ``key=None`` renders without keeping."""
    kept = request.app.state.page_cache
    found = kept.get(key) if key is not None else None
    if found is None:
        found = _prepare(render(request, template, context))
        if key is not None and len(kept) < LIMIT:
            kept[key] = found
    headers = {
        "ETag": found.etag,
        # Always asked again (a new release changes the page), answered with a 304 if same;
        # private, as the answer may set this visitor's CSRF cookie.
        "Cache-Control": "private, no-cache",
        "Vary": ", ".join(filter(None, ["HX-Request", vary, "Accept-Encoding"])),
    }
    asked = request.headers.get("if-none-match", "")
    if found.etag in (tag.strip() for tag in asked.split(",")) or asked.strip() == "*":
        return Response(b"", status_code=304, headers=headers)
    encoding = choose(request.scope) if len(found.bodies) > 1 else None
    if encoding:
        headers["Content-Encoding"] = encoding
    return Response(found.bodies[encoding], media_type=MediaType.HTML, headers=headers)
