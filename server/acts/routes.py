"""The tap, undo, history, an act's details, deleting with Undo, and acts kept aside for
review. Thin handlers."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import MediaType, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from litestar.utils.scope.state import ScopeState

from server.acts import deleted, export, service, status
from server.acts import history as views
from server.acts.content import CATEGORIES, UNSORTED
from server.acts.forms import (
    HISTORY,
    MOODS,
    NOTE_MAX,
    ActInputError,
    parse_act,
    parse_details,
    return_to,
    tap_anchor,
    tap_page,
)
from server.errors import error_response
from server.identity.sessions import current_account, ensure_account
from server.parsing import PathKey, whole_number
from server.web import fragment, is_htmx, page

TAKEN = "This tap couldn't be saved because its id is already in use. Please tap again."
# Tells the offline outbox that a 409 or 422 is this route's last word on a tap (taken, or
# kept aside for review), so it may leave the phone; any other 4xx needs the reader's choice.
OUTCOME_HEADER = "Lifted-Outcome"


def _fragment(request: Request, state: status.Status, status_code: int = 200) -> Response:
    return fragment(
        request,
        "acts/_status.html",
        status=state,
        status_code=status_code,
        headers={"Vary": "HX-Request"},
    )


@post("/acts", name="acts:tap", include_in_schema=False)
async def tap(request: Request) -> Response:
    """One tap. Answers a retried tap (same ``id``) exactly as it answered the first."""
    account = current_account(request)
    data = await request.fields()
    try:
        act = parse_act(
            data,
            now=datetime.now(UTC),
            default_timezone=account.timezone if account else "UTC",
            day_end=account.day_ends_at if account else 0,
        )
    except ActInputError as exc:
        return error_response(request, 400, " ".join(exc.errors.values()))
    account = await ensure_account(request)
    page = status.back_to(data.get("next")) or status.HOME
    day = status.today(account, act.timezone)
    # Today's answer shows the week too (read in the same statement); elsewhere the day will do.
    week = is_htmx(request) and page == status.HOME
    try:
        recorded = await service.record_tap(account, act, day, week=week)
    except service.ActIdTaken:
        return await _refuse(request, account, 409, TAKEN, "taken")
    except service.ActHeld as held:
        text = (
            f"We kept this act aside instead of counting it: {held.held.reason} "
            "You can add it for today from your list of acts."
        )
        return await _refuse(request, account, 422, text, "held")
    view = recorded.act
    if is_htmx(request):
        state = await status.build(
            account,
            day=day,
            timezone=view.timezone,
            act=view,
            undo=True,
            counts=recorded.week,
            count=recorded.day_count,
            page=page,
        )
        return _fragment(request, state)
    if view.local_date < day:  # "I did one yesterday": said on Today, the count unchanged
        return Redirect(f"{page}?yesterday=1{status.anchor(page)}", status_code=303)
    return Redirect(f"{page}?logged={view.id}{status.anchor(page)}", status_code=303)


async def _refuse(request: Request, account, code: int, text: str, outcome: str) -> Response:
    if is_htmx(request):
        response: Response = _fragment(request, await status.build(account, error=text), code)
    else:
        response = error_response(request, code, text)
    response.headers[OUTCOME_HEADER] = outcome
    return response


@post("/acts/{act_id:str}/delete", name="acts:delete", include_in_schema=False)
async def delete(request: Request, act_id: PathKey) -> Response:
    """Undo right after a tap (``next`` is Today or the article: back there), or Delete on the
    act's own page: at once, without a question, back to the history with Undo offered for a
    few seconds."""
    account = current_account(request)
    data = await request.fields()
    removed = await deleted.delete_act(account, act_id)
    if removed is None:
        raise NotFoundException()
    page = status.back_to(data.get("next"))
    if page is None:
        target = views.history_of(return_to(data.get("next")))
        return Redirect(views.with_params(target, deleted=removed.id), status_code=303)
    if is_htmx(request):
        text = "Removed. No harm done."
        state = await status.build(account, timezone=removed.timezone, message=text, page=page)
        return _fragment(request, state)
    return Redirect(f"{page}?undone=1{status.anchor(page)}", status_code=303)


@post("/acts/{act_id:str}/restore", name="acts:restore", include_in_schema=False)
async def restore(request: Request, act_id: PathKey) -> Redirect:
    """Undo after a delete: the act comes back where it was, or a kind word when too late."""
    target = views.history_of(return_to((await request.fields()).get("next")))
    back = await deleted.restore_act(current_account(request), act_id)
    if back is None:
        return Redirect(views.with_params(target, gone=1), status_code=303)
    return Redirect(views.with_params(target, f"act-{back.id}", restored=1), status_code=303)


@get("/acts/token", name="acts:token", include_in_schema=False)
async def token(request: Request) -> Response:
    """A fresh CSRF token for the offline outbox, whose copy from a cached page may be stale."""
    value = ScopeState.from_scope(request.scope).csrf_token
    return Response(
        {"csrf": value}, media_type=MediaType.JSON, headers={"Cache-Control": "no-store"}
    )


def _page_number(raw: str | None) -> int:
    return whole_number(raw, low=1, high=99_999) or 1


@get("/acts", name="acts:history", include_in_schema=False)
async def history(request: Request) -> Template:
    account = current_account(request)
    params = request.query_params
    acts = await service.list_acts(account, _page_number(params.get("page")))
    counts = await service.counts_for_days(account, {act.local_date for act in acts.items})
    here = return_to(f"/acts?page={acts.page}") or HISTORY
    just_deleted = await deleted.recently_deleted(account, params.get("deleted"))
    return page(
        request,
        "acts/history.html",
        active="today",
        acts=acts,
        days=views.by_day(acts.items, counts, service.today_for(account)),
        held=await service.list_held(account),
        notice=views.notice(params),
        deleted=just_deleted,
        deleted_any=bool(params.get("deleted")),
        here=here,
        next_param=views.page_param(here),
        unsorted=UNSORTED,
        mood_words=views.mood_words,
    )


def _edit(
    request: Request, act, values: dict, errors: dict, target: str, status_code: int = 200
) -> Template:
    return page(
        request,
        "acts/edit.html",
        status_code=status_code,
        active="today",
        act=act,
        values=values,
        errors=errors,
        categories=CATEGORIES,
        unsorted=UNSORTED,
        moods=MOODS,
        note_max=NOTE_MAX,
        next=target,
        back=views.back_to(target, act.id),
        history=views.history_of(target),
    )


@get("/acts/{act_id:str}", name="acts:edit", include_in_schema=False)
async def edit(request: Request, act_id: PathKey) -> Template:
    act = await service.get_act(current_account(request), act_id)
    if act is None:
        raise NotFoundException()
    values = {
        "category": act.category or "",
        "note": act.note or "",
        "mood_before": str(act.mood_before or ""),
        "mood_after": str(act.mood_after or ""),
        "private": act.private,
    }
    target = return_to(request.query_params.get("next")) or HISTORY
    return _edit(request, act, values, {}, target)


@post("/acts/{act_id:str}", name="acts:save", include_in_schema=False)
async def save(request: Request, act_id: PathKey) -> Response:
    """Saves the details, then back where the reader came from (only places on the
    allow-list of ``forms.return_to``; anything else leads to the history)."""
    account = current_account(request)
    act = await service.get_act(account, act_id)
    if act is None:
        raise NotFoundException()
    data = await request.fields()
    target = return_to(data.get("next")) or HISTORY
    try:
        details = parse_details(data)
    except ActInputError as exc:
        values = {**data, "private": data.get("private") == "on"}
        return _edit(request, act, values, exc.errors, target, status_code=422)
    await service.update_act(account, act_id, details, private=data.get("private") == "on")
    if tap_page(target):
        return Redirect(f"{target}?saved=1{tap_anchor(target)}", status_code=303)
    return Redirect(views.with_params(target, f"act-{act.id}", saved=1), status_code=303)


@post("/acts/held/{held_id:str}/accept", name="acts:held-accept", include_in_schema=False)
async def accept_held(request: Request, held_id: PathKey) -> Redirect:
    if await service.accept_held(current_account(request), held_id) is None:
        raise NotFoundException()
    return Redirect("/acts?accepted=1", status_code=303)


@post("/acts/held/{held_id:str}/release", name="acts:held-release", include_in_schema=False)
async def release_held(request: Request, held_id: PathKey) -> Redirect:
    if not await service.release_held(current_account(request), held_id):
        raise NotFoundException()
    return Redirect("/acts?released=1", status_code=303)


def precache_urls(state) -> list[str]:
    """The history opens offline too (the service worker refreshes it on every visit)."""
    return ["/acts"]


ROUTES = [
    *(tap, delete, restore, token, history, edit, save, accept_held, release_held),
    *export.ROUTES,
]
