"""Pages that belong to no single feature: Home (Today) and the Settings hub.

Today is made of sections that features provide: each is an async function taking the request
and returning ``(template, context)`` for its part of the page, or ``None`` to stay out.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from server.acts.home import section as acts_section
from server.acts.lookback import home_section as lookback_section
from server.articles.setup import todays_reading
from server.identity.sessions import current_account
from server.kindness.routes import home_section as kindness_section
from server.pages.greeting import greeting
from server.reminders.routes import home_section as reminders_section
from server.rest.routes import home_section as rest_section
from server.web import page

# Features append their Today sections here, in the order they appear on the page.
HOME_SECTIONS: list = [
    acts_section,
    kindness_section,
    rest_section,
    todays_reading,
    lookback_section,
    reminders_section,
]


@get("/", name="home", include_in_schema=False)
async def home(request: Request) -> Template:
    sections = []
    for section in HOME_SECTIONS:
        part = await section(request)
        if part is not None:
            sections.append(part)
    return page(
        request,
        "pages/home.html",
        active="today",
        sections=sections,
        greeting=greeting(current_account(request)),
    )


@get("/settings", name="settings", include_in_schema=False)
async def settings_hub(request: Request) -> Template:
    return page(request, "pages/settings.html", active="settings")


ROUTES = [home, settings_hub]
