"""create_app(): plugins, lifespan (Tortoise up and down), and the one route list."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig
from litestar_htmx import HTMXPlugin

from server import assets, compression, db, errors, housekeeping, intake, middleware, pwa, ratelimit
from server.accounts import routes as accounts
from server.acts import home as acts_home
from server.acts import routes as acts
from server.api import routes as api
from server.articles import routes as articles
from server.articles import setup as articles_setup
from server.days import routes as days
from server.identity import cache as identity_cache
from server.identity import cookies, tokens
from server.identity.sessions import identity_middleware
from server.kindness import routes as kindness
from server.pages import routes as pages
from server.progress import routes as progress
from server.reminders import routes as reminders
from server.reminders import scheduler as reminder_scheduler
from server.reminders import service as reminders_service
from server.rest import routes as rest
from server.settings import ROOT, Settings
from server.sharing import routes as sharing
from server.web import template_globals

ROUTES = [
    assets.static_file,
    *pwa.ROUTES,
    *pages.ROUTES,
    *accounts.ROUTES,
    *api.ROUTES,
    *acts.ROUTES,
    *progress.ROUTES,
    *articles.ROUTES,
    *reminders.ROUTES,
    *rest.ROUTES,
    *kindness.ROUTES,
    *days.ROUTES,
    *sharing.ROUTES,
]

# Functions returning URLs the service worker keeps for offline use.
PRECACHE_SOURCES: list = [
    articles_setup.precache_urls,
    progress.precache_urls,
    acts.precache_urls,
]
# The offline page's sections, in order: help for the reader's region first, then the main
# pages, then every reading (each an async function of the request, like Today's sections).
OFFLINE_SECTIONS: list = [
    articles_setup.offline_help,
    pwa.main_links,
    articles_setup.offline_readings,
]
# Taking an account back (recovery, or "sign out everywhere" with its box ticked) runs each of
# these after ending every session: each feature shuts its own way in.
SHUT_OUT: list = [tokens.shut_out, reminders_service.shut_out]
# Strings whose change must refresh the offline cache (e.g. a digest of the articles).
CONTENT_DIGESTS: list = [articles_setup.content_digest]


class Lifted(Litestar):
    """Litestar with what must wrap every answer, routing included: Litestar runs an app's
    middleware only for a matched route, so a 404 for an unknown path would miss them.

    - the security headers (``middleware.security_headers``), on every response;
    - HEAD wherever GET is answered (``middleware.head_as_get``).
    """

    def __init__(self, *args, https: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        secured = middleware.security_headers(https)(super().__call__)
        self._entry = middleware.head_as_get(secured)

    async def __call__(self, scope, receive, send) -> None:
        await self._entry(scope, receive, send)


def create_app(settings: Settings) -> Litestar:
    static = assets.Assets(ROOT / "web" / "static")
    state = State(
        {
            "settings": settings,
            "assets": static,
            "precache_sources": PRECACHE_SOURCES,
            "offline_sections": OFFLINE_SECTIONS,
            "shut_out": SHUT_OUT,
            # Content-only pages, rendered once per process (server/pagecache.py).
            "page_cache": {},
            # The end of each article: its "Log it on Today" box, from the tracker.
            "try_today": acts_home.try_today,
            # Told when a reader's kindness days change: reminders limited to them move.
            "kindness_changed": [reminders_service.replan],
        }
    )
    # Reading needs no database: articles load now, and a malformed one stops start-up here.
    articles_setup.install(state, settings.content_dir)

    def set_globals(engine: JinjaTemplateEngine) -> None:
        engine.engine.globals.update(template_globals(settings, static))
        # Templates change only with a new release, which restarts the app, as do the asset
        # hashes read above: no file stat for every response (Jinja's default re-checks).
        engine.engine.auto_reload = False

    @asynccontextmanager
    async def database(app: Litestar):
        await db.open_db(settings.database_url)
        try:
            yield
        finally:
            await db.close_db()

    def build_service_worker(app: Litestar) -> None:
        digests = [digest(app.state) for digest in CONTENT_DIGESTS]
        app.state.service_worker = pwa.build_service_worker(app.state, digests)

    csrf_config = CSRFConfig(
        secret=settings.secret_key,
        cookie_name=cookies.cookie_name("csrftoken", settings.https),
        cookie_secure=settings.https,
        cookie_samesite="lax",
        # Pages made for a reader carry the token in <body data-hx-headers>; the pages made for
        # everyone (server/pagecache.py) have app.js ask /acts/token. No script reads the cookie.
        cookie_httponly=True,
        # Public files carry no cookie, and the JSON API (bearer tokens) and the calendar
        # feed (a secret link) don't authenticate with cookies, so CSRF cannot reach them.
        exclude=[cookies.COOKIELESS.pattern],
    )
    return Lifted(
        https=settings.https,
        route_handlers=ROUTES,
        state=state,
        plugins=[HTMXPlugin()],
        template_config=TemplateConfig(
            directory=ROOT / "web" / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=set_globals,
        ),
        lifespan=[
            database,
            identity_cache.listening(settings.database_url),
            reminder_scheduler.lifespan(settings),
            housekeeping.lifespan(settings.scheduler),
        ],
        on_startup=[build_service_worker],
        on_shutdown=[ratelimit.close],
        middleware=[
            middleware.access_logger,
            middleware.complete_allow,
            identity_middleware(settings.https),
            # Litestar's CSRF check, made here rather than through ``csrf_config``: a token that
            # can't be ours fails instead of raising, and its refusal is an error page of ours.
            intake.csrf_middleware(csrf_config),
            compression.compression,
        ],
        # Forms and JSON bodies that can't be decoded are a 400, wherever they are read.
        request_class=intake.Request,
        exception_handlers=errors.HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        logging_config=LoggingConfig(
            root={"level": settings.log_level, "handlers": ["queue_listener"]},
            log_exceptions="never",
            disable_stack_trace={404, 403, 400, 405, 413, 429},
        ),
        # Only the JSON API is documented: pages stay out unless a router opts in (api/routes.py).
        include_in_schema=False,
        openapi_config=OpenAPIConfig(
            title="Lifted API",
            version="1",
            path="/api/schema",
            render_plugins=[JsonRenderPlugin()],
            description="Log acts of kindness and read your progress with a personal access "
            "token (Your account, Advanced, Access tokens).",
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
            ),
        ),
    )


def app_from_env() -> Litestar:
    """For uvicorn's --factory: settings from the environment."""
    settings = Settings.from_env()
    logging.getLogger().setLevel(settings.log_level)
    return create_app(settings)
