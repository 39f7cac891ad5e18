"""The installable-app pieces: the manifest, the service worker and the offline page.

The service worker is web/sw.js with one generated first line: the cache version and the list
of URLs to precache, both derived from what the server serves. When an article or an asset
changes, the version changes, the browser sees a new /sw.js and replaces the old caches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from litestar import Request, Response, get

from server import db
from server.pagecache import content_page
from server.settings import ROOT

MANIFEST = ROOT / "manifest.webmanifest"
SERVICE_WORKER = ROOT / "web" / "sw.js"

# Pages every install keeps for offline use; features add theirs through `precache_sources`.
SHELL_PAGES = ["/", "/offline"]
# The few places the offline page offers, each kept for offline use by its feature.
MAIN_LINKS = [("Today", "/"), ("Read", "/articles"), ("Progress", "/progress")]


def precache_list(state) -> list[str]:
    urls = list(SHELL_PAGES)
    for source in state.precache_sources:
        urls.extend(source(state))
    urls.extend(state.assets.offline_urls())
    return list(dict.fromkeys(urls))


def build_service_worker(state, extra_digests: list[str]) -> bytes:
    urls = precache_list(state)
    body = SERVICE_WORKER.read_bytes()
    digest = hashlib.sha256()
    digest.update(body)
    digest.update(json.dumps(urls).encode())
    for item in extra_digests:
        digest.update(item.encode())
    config = {"version": digest.hexdigest()[:12], "precache": urls}
    return f"self.LIFTED = {json.dumps(config)};\n".encode() + body


@get("/manifest.webmanifest", sync_to_thread=False, include_in_schema=False)
def manifest() -> Response[bytes]:
    return Response(
        MANIFEST.read_bytes(),
        media_type="application/manifest+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@get("/sw.js", sync_to_thread=False, include_in_schema=False)
def service_worker(request: Request) -> Response[bytes]:
    state = request.app.state
    return Response(
        state.service_worker,
        media_type="text/javascript",
        # no-cache: the browser revalidates on every check, so an update is seen at once.
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@get("/offline", include_in_schema=False)
async def offline(request: Request) -> Response:
    """What a page never saved offline falls back to: the sections features offer
    (``state.offline_sections``: help first, then what still opens), like Today's."""
    sections = []
    for section in request.app.state.offline_sections:
        part = await section(request)
        if part is not None:
            sections.append(part)
    # The same for every reader in a region (help comes first): one copy per region. A
    # section that differs by reader names its variant.
    key = ("offline", *(context.get("variant") for _, context in sections))
    return content_page(
        request, key, "pages/offline.html", "Cookie, Accept-Language", sections=sections
    )


async def main_links(request: Request) -> tuple[str, dict]:
    """The app's main pages, all kept for offline use."""
    return "pages/_offline_links.html", {"links": MAIN_LINKS}


@get("/healthz", sync_to_thread=False, include_in_schema=False)
def health() -> dict[str, str]:
    """The process answers (a proxy's liveness check)."""
    return {"status": "ok"}


@get("/readyz", include_in_schema=False)
async def ready() -> Response:
    """The process can serve readers: it answers and its database does (a proxy's readiness
    check: a process whose database is gone gets no readers)."""
    if await db.ready():
        return Response({"status": "ready"}, status_code=200)
    return Response({"status": "the database is not answering"}, status_code=503)


PrecacheSource = Callable[[object], list[str]]
ROUTES = [manifest, service_worker, offline, health, ready]


def read_manifest() -> dict:
    return json.loads(Path(MANIFEST).read_text())
