"""Settings, Kindness days: choose them and the aim; Today's card on such a day."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.acts import service as acts
from server.days import DAY_NAMES
from server.identity.sessions import current_account, ensure_account
from server.kindness import service
from server.parsing import field, fields, whole_number
from server.rest import service as rest
from server.web import page

PAGE = "/settings/kindness-days"
TOO_MANY = "Choose one or two days, or none."
NO_AIM = "Choose an aim of 3, 4 or 5 acts."


def aim_words(count: int, aim: int) -> str:
    """What Today's card says; web/static/today.js says the same after each tap."""
    if count <= 0:
        return f"Your gentle aim today: {aim} acts of kindness, whenever they fit."
    if count < aim:
        return f"{count} of {aim} so far."
    return f"{count} today: you reached your aim of {aim}. Anything more is a bonus."


def _parse(form) -> tuple[list[int], int, dict[str, str]]:
    days = sorted(
        {d for d in (whole_number(v, low=0, high=6) for v in fields(form, "days")) if d is not None}
    )
    aim = whole_number(field(form, "aim"), low=min(service.AIMS), high=max(service.AIMS))
    errors = {}
    if len(days) > service.MAX_DAYS:
        errors["days"] = TOO_MANY
    if aim is None and days:
        errors["aim"] = NO_AIM
    return days, aim or service.AIMS[0], errors


async def _render(request, chosen=None, aim=None, errors=None, status_code=200) -> Template:
    plan = await service.get(current_account(request))
    return page(
        request,
        "kindness/page.html",
        status_code=status_code,
        active="settings",
        plan=plan,
        chosen=chosen if chosen is not None else (plan.weekdays if plan else ()),
        aim=aim or (plan.aim if plan else service.AIMS[0]),
        aims=service.AIMS,
        day_names=list(enumerate(DAY_NAMES)),
        errors=errors or {},
        saved=request.query_params.get("saved") == "1",
    )


@get(PAGE, name="kindness-days", include_in_schema=False)
async def kindness_page(request: Request) -> Template:
    return await _render(request)


@post(PAGE, include_in_schema=False)
async def save(request: Request) -> Response:
    days, aim, errors = _parse(await request.form())
    if errors:
        return await _render(request, days, aim, errors, status_code=422)
    if days or current_account(request):
        account = await ensure_account(request)
        await service.save(account, days, aim)
        now = datetime.now(UTC)
        for changed in getattr(request.app.state, "kindness_changed", ()):
            await changed(account, now)
    return Redirect(f"{PAGE}?saved=1", status_code=303)


async def home_section(request: Request):
    """On a kindness day (and not on a break): the day's acts against the aim."""
    account = current_account(request)
    plan = await service.get(account)
    if plan is None:
        return None
    today = acts.today_for(account)
    if not plan.covers(today) or await rest.resting_on(account, today):
        return None
    count = (await acts.counts_for_days(account, {today})).get(today, 0)
    return "kindness/_today.html", {
        "aim": plan.aim,
        "count": count,
        "words": aim_words(count, plan.aim),
    }


ROUTES = [kindness_page, save]
