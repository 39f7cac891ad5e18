"""Settings, Take a break: start one, change its length, end it; and Today's card."""

from __future__ import annotations

from datetime import date

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.days import day_words
from server.identity.sessions import current_account, ensure_account
from server.parsing import field, whole_number
from server.progress.service import today_for
from server.rest import service
from server.web import page

PAGE = "/settings/rest"
FOREVER = "open"
CHOOSE = "Choose how long your break lasts."


def _today(request: Request) -> date:
    account = current_account(request)
    return today_for(account.timezone, account.day_ends_at) if account else today_for(None)


def _length(form) -> tuple[bool, int | None]:
    """(understood, days): days is None for "until I turn it off"."""
    raw = field(form, "length")
    if raw == FOREVER:
        return True, None
    days = whole_number(raw, low=1, high=max(service.LENGTHS))
    return days in service.LENGTHS, days


async def _render(request: Request, error: str = "", status_code: int = 200) -> Template:
    today = _today(request)
    running = await service.current(current_account(request), today)
    return page(
        request,
        "rest/page.html",
        status_code=status_code,
        active="settings",
        running=running,
        until=day_words(running.last_day) if running and running.last_day else None,
        lengths=service.LENGTHS,
        forever=FOREVER,
        error=error,
        ended=request.query_params.get("ended") == "1",
    )


@get(PAGE, name="rest", include_in_schema=False)
async def rest_page(request: Request) -> Template:
    return await _render(request)


@post(PAGE, include_in_schema=False)
async def start(request: Request) -> Response:
    understood, days = _length(await request.form())
    if not understood:
        return await _render(request, CHOOSE, status_code=422)
    account = await ensure_account(request)
    await service.start(account, today_for(account.timezone, account.day_ends_at), days)
    return Redirect(PAGE, status_code=303)


@post(f"{PAGE}/end", include_in_schema=False)
async def end(request: Request) -> Response:
    back = "/" if field(await request.form(), "next") == "/" else f"{PAGE}?ended=1"
    await service.end(current_account(request), _today(request))
    return Redirect(back, status_code=303)


async def home_section(request: Request):
    """Today's card: the break now (and how to end it), or welcome back after one."""
    account = current_account(request)
    if account is None:
        return None
    today = today_for(account.timezone, account.day_ends_at)
    running = await service.current(account, today)
    back = None if running else await service.welcome_back(account, today)
    if running is None and back is None:
        return None
    return "rest/_today.html", {
        "running": running,
        "until": day_words(running.last_day) if running and running.last_day else None,
        "back": back,
    }


ROUTES = [rest_page, start, end]
