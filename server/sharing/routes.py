"""Settings, Share with a supporter (make, list, turn off) and the shared page itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter
from litestar.response import Redirect, Response, Template

from server import ratelimit
from server.identity.sessions import current_account, ensure_account
from server.kindness import service as kindness
from server.parsing import RowId, field, text
from server.progress import charts, heatmap
from server.progress.service import today_for
from server.sharing import service
from server.web import page

PAGE = "/settings/sharing"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
# Any text up to 200 characters reaches the handler, which answers every dead link alike.
AnyToken = Annotated[str, PathParameter(max_length=200)]
NAME_MAX = 60
NO_STORE = {"Cache-Control": "no-store"}
# The shared page: never indexed, never cached, never telling where it was opened from.
SHARED_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def _parse(form) -> tuple[dict, dict[str, str]]:
    name = text(" ".join(field(form, "name").split()), max_length=NAME_MAX, label="the name")
    lifetime = field(form, "expires") or service.DEFAULT_LIFETIME
    values = {
        "name": name.value[:200],
        "expires": lifetime if lifetime in service.LIFETIMES else service.DEFAULT_LIFETIME,
        **{key: field(form, key) == "on" for key in ("kinds", "moods", "notes")},
    }
    errors = {}
    if not name.value:
        errors["name"] = "Please say who it is for, like “Sam, my sponsor”."
    elif name.problem or not name.value.isprintable():
        errors["name"] = name.problem or "The name has a character we can't accept."
    if lifetime not in service.LIFETIMES:
        errors["expires"] = "Please choose how long the link works."
    return values, errors


async def _render(request: Request, status_code: int = 200, **context) -> Template:
    context.setdefault("values", {"expires": service.DEFAULT_LIFETIME})
    context.setdefault("errors", {})
    return page(
        request,
        "sharing/settings.html",
        status_code=status_code,
        active="settings",
        links=await service.links(current_account(request)),
        now=datetime.now(UTC),
        lifetimes=[
            ("7", "A week"),
            ("30", "A month"),
            ("90", "Three months"),
            ("never", "Until I turn it off"),
        ],
        **context,
    )


@get(PAGE, name="sharing", include_in_schema=False)
async def sharing_page(request: Request) -> Template:
    return await _render(request, revoked=request.query_params.get("revoked") == "1")


@post(PAGE, include_in_schema=False)
async def create(request: Request) -> Response:
    values, errors = _parse(await request.form())
    if errors:
        return await _render(request, 422, values=values, errors=errors)
    account = await ensure_account(request)
    decision = await ratelimit.check(request, "new-share-link", account=str(account.id))
    if not decision.allowed:
        response = await _render(
            request, 429, values=values, problem=ratelimit.wait_sentence(decision.retry_after)
        )
        response.headers.update(ratelimit.retry_headers(decision))
        return response
    token = await service.create(
        account, values["name"], service.LIFETIMES[values["expires"]],
        kinds=values["kinds"], moods=values["moods"], notes=values["notes"],
    )  # fmt: skip
    base = request.app.state.settings.base_url
    # Rendered here rather than after a redirect: the link must not travel in a URL.
    response = await _render(request, new_link=f"{base}/s/{token}", new_name=values["name"])
    response.headers.update(NO_STORE)
    return response


@post(f"{PAGE}/{{link_id:int}}/revoke", include_in_schema=False)
async def revoke(request: Request, link_id: RowId) -> Redirect:
    if not await service.revoke(current_account(request), link_id):
        raise NotFoundException()
    return Redirect(f"{PAGE}?revoked=1", status_code=303)


@get("/s/{token:str}", name="shared", include_in_schema=False)
async def shared(request: Request, token: AnyToken) -> Template:
    """What the supporter sees. Any link that doesn't work (never made, mistyped, turned off,
    expired, its account deleted) gets the same 404: the token is checked here, not by the
    router, so even a malformed one gets this page."""
    found = await service.open_link(token) if TOKEN.fullmatch(token) else None
    if found is None:
        return Template(
            "sharing/shared.html", context={"gone": True}, status_code=404, headers=SHARED_HEADERS
        )
    account = found.account
    today = today_for(account.timezone, account.day_ends_at)
    daily = await service.daily(account, today)
    week_start = today - timedelta(days=today.weekday())
    week = [
        (week_start + timedelta(days=n), daily.get(week_start + timedelta(days=n), 0))
        for n in range(7)
    ]
    kinds, lift, paired = await service.kinds_and_lift(account, today)
    plan = await kindness.get(account)
    context = {
        "gone": False,
        "name": found.name,
        "today": today,
        "week": week,
        "this_week": sum(n for _, n in week),
        "month": sum(n for d, n in daily.items() if d >= today.replace(day=1)),
        "year": sum(daily.values()),
        "year_days": len(daily),
        "heatmap": charts.heatmap_svg(
            heatmap.grid(today, daily), heatmap.month_labels(today),
            f"Kindness on {len(daily)} day{'' if len(daily) == 1 else 's'} in the past year.",
        ),
        "legend": charts.legend_svg(),
        "kindness": plan,
        "kinds": charts.kinds(kinds) if found.kinds else None,
        "lift": (lift, paired) if found.moods else None,
        "notes": await service.recent_notes(account, today) if found.notes else None,
    }  # fmt: skip
    return Template("sharing/shared.html", context=context, headers=SHARED_HEADERS)


ROUTES = [sharing_page, create, revoke, shared]
