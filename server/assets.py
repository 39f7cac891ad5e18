"""Static files under content-hashed URLs, so browsers may cache them for a year.

At start every file under web/static is read once and named by its content
(``app.css`` -> ``/static/app.3f2a9c81d0.css``). Templates ask ``asset_url("app.css")``.
Unhashed names (the manifest's icons) are served too, with a short cache.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=86400"

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    immutable: bool


class Assets:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.urls: dict[str, str] = {}
        self.files: dict[str, Asset] = {}
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            body = path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()[:10]
            stem, dot, suffix = name.rpartition(".")
            hashed = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.urls[name] = f"/static/{hashed}"
            self.files[hashed] = Asset(body, media_type, immutable=True)
            self.files[name] = Asset(body, media_type, immutable=False)

    def url(self, name: str) -> str:
        """The hashed URL of a file under web/static; a missing name fails loudly at render."""
        return self.urls[name]

    def offline_urls(self) -> list[str]:
        """Hashed URLs a page can use; licence and checksum files and large install icons
        are left out of the offline cache because no page loads them."""
        return sorted(url for name, url in self.urls.items() if not _not_for_pages(name))


def _not_for_pages(name: str) -> bool:
    return name.endswith((".LICENSE", ".sha384", "-512.png")) or "apple-touch" in name


@get("/static/{name:path}", sync_to_thread=False, include_in_schema=False)
def static_file(request: Request, name: FromPath[str]) -> Response[bytes]:
    asset = request.app.state.assets.files.get(name.lstrip("/"))
    if asset is None:
        raise NotFoundException()
    return Response(
        asset.body,
        media_type=asset.media_type,
        headers={"Cache-Control": IMMUTABLE if asset.immutable else SHORT},
    )
