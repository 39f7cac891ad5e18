"""Settings, Your day: the hour the reader's day ends, for night owls and late shifts."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.days import DAY_ENDS, hour_words, service
from server.identity.sessions import current_account, ensure_account
from server.parsing import field, whole_number
from server.web import page

PAGE = "/settings/day"
CHOOSE = "Choose one of the hours listed."


async def _render(request: Request, error: str = "", status_code: int = 200) -> Template:
    account = current_account(request)
    return page(
        request,
        "days/page.html",
        status_code=status_code,
        active="settings",
        chosen=account.day_ends_at if account else 0,
        hours=[(hour, hour_words(hour)) for hour in DAY_ENDS],
        error=error,
        saved=request.query_params.get("saved") == "1",
    )


@get(PAGE, name="day", include_in_schema=False)
async def day_page(request: Request) -> Template:
    return await _render(request)


@post(PAGE, include_in_schema=False)
async def save(request: Request) -> Response:
    hour = whole_number(field(await request.form(), "day_ends_at"), low=0, high=max(DAY_ENDS))
    if hour is None:
        return await _render(request, CHOOSE, status_code=422)
    if hour or current_account(request):
        await service.set_day_end(await ensure_account(request), hour)
    return Redirect(f"{PAGE}?saved=1", status_code=303)


ROUTES = [day_page, save]
