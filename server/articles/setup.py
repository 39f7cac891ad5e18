"""How the reading library plugs into the app: loading at start, offline cache, Today.

``install`` runs inside ``create_app``, so a malformed article stops start-up at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from litestar import Request

from server.articles import service
from server.articles.content import Article, load_library
from server.articles.help import Guide, HelpPage
from server.identity.sessions import current_account


def install(state, content_dir: Path) -> None:
    """Loads the library into ``state``, raising ``ContentError`` for a malformed file."""
    state.library = load_library(content_dir)


def help_guide(request: Request) -> tuple[HelpPage, Guide]:
    """The help text, and its regions ordered for this reader: by the time zone Lifted keeps
    for them (a tap or a reminder sets it), or else by their browser's languages."""
    account = current_account(request)
    page = request.app.state.library.help
    timezone = account.timezone if account else None
    return page, page.guide(timezone, request.headers.get("accept-language"))


async def offline_help(request: Request):
    """The offline page opens with the reader's own crisis lines, ready to call."""
    page, guide = help_guide(request)
    variant = guide.mine.name if guide.mine else None
    return "articles/_offline_help.html", {"help": page, "guide": guide, "variant": variant}


async def offline_readings(request: Request):
    """Every reading, all kept offline, as a compact list."""
    return "articles/_offline_readings.html", {"articles": request.app.state.library.articles}


def precache_urls(state) -> list[str]:
    """The library, every article, help and about: all readable offline after one visit."""
    return state.library.precache_urls()


def content_digest(state) -> str:
    """Changes whenever an article, the ideas or the help text changes, renewing the cache."""
    return state.library.digest


def _today(account) -> int:
    try:
        zone = ZoneInfo(account.timezone) if account else UTC
    except (KeyError, ValueError):
        zone = UTC
    return datetime.now(zone).date().toordinal()


async def todays_reading(request: Request):
    """Today's section: one unread article, the same all day, moving on each new day."""
    account = current_account(request)
    finished = await service.finished_slugs(account)
    article, all_read = choose(request.app.state.library.articles, finished, _today(account))
    return "articles/_today.html", {"article": article, "all_read": all_read}


def choose(articles, finished: set[str], day: int) -> tuple[Article, bool]:
    """The day's article from the unread ones (or from all, once all are read), stepping on by
    one each day so the same reading stays put until tomorrow."""
    unread = [a for a in articles if a.slug not in finished]
    pool = unread or list(articles)
    return pool[day % len(pool)], not unread
