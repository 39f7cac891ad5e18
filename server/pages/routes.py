"""Pages that belong to no single feature: Home (Today) and the Settings hub."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from server.web import page


@get("/", name="home", include_in_schema=False)
async def home(request: Request) -> Template:
    return page(request, "pages/home.html", active="today")


@get("/settings", name="settings", include_in_schema=False)
async def settings_hub(request: Request) -> Template:
    return page(request, "pages/settings.html", active="settings")


ROUTES = [home, settings_hub]
