"""The Progress page: counts, momentum, the year at a glance, kinds of kindness, milestones."""

from __future__ import annotations

from datetime import date

from litestar import Request, get
from litestar.response import Template

from server.identity.sessions import current_account
from server.kindness import service as kindness
from server.progress import charts, service
from server.progress.heatmap import long_date
from server.web import page


def _day(iso: str | None) -> str | None:
    return long_date(date.fromisoformat(iso)) if iso else None


@get("/progress", name="progress", include_in_schema=False)
async def progress(request: Request) -> Template:
    account = current_account(request)
    # The route owns "now": the service takes the reader's local date, so tests can fix it.
    today = service.today_for(
        account.timezone if account else None, account.day_ends_at if account else 0
    )
    as_of = f"{today:%A} {long_date(today)}"
    if account is None:
        return page(request, "progress/page.html", active="progress", empty=True, as_of=as_of)
    summary, figures = await service.progress_page(account, today)
    if summary["all_time"] == 0:
        return page(request, "progress/page.html", active="progress", empty=True, as_of=as_of)
    reached = [{**m, "reached_on": _day(m["reached_on"])} for m in summary["milestones"]["reached"]]
    plan = await kindness.get(account)
    lift = await kindness.lift_by_day(account, plan) if plan else None
    return page(
        request,
        "progress/page.html",
        active="progress",
        empty=False,
        as_of=as_of,
        p=summary,
        reached=reached,
        kindness_plan=plan,
        kindness_lift=lift,
        compare_after=kindness.COMPARE_AFTER,
        **charts.page_charts(
            summary, figures.daily, today, figures.since, plan.weekdays if plan else ()
        ),
    )


ROUTES = [progress]


def precache_urls(state) -> list[str]:
    """Progress opens offline with the last figures the reader saw (sw.js: network first)."""
    return ["/progress"]
