"""Reminder pages and endpoints: settings, pause, devices, test send, calendar feed, Home card."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from litestar import Request, Response, delete, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from server import ratelimit
from server.identity.sessions import current_account, ensure_account
from server.parsing import PathKey, RowId
from server.reminders import calendar, forms, schedule, service, texts
from server.reminders.scheduler import send_to_devices
from server.reminders.views import SNOOZE_WORDS, settings_context, snooze_said
from server.rest import service as rest
from server.web import page

PAGE = "/settings/reminders"


def _back(query: str = "") -> Redirect:
    return Redirect(f"{PAGE}?{query}" if query else PAGE, status_code=303)


# Why a subscribe changed nothing. Neither says anything about another account.
SUBSCRIBE_REFUSALS = {
    "elsewhere": (
        "This browser's notifications are set up for another sign-in. "
        "Turn notifications off on this device, then on again."
    ),
    "full": (
        f"Notifications are on for {service.MAX_DEVICES} devices already. "
        "Please remove one under Settings, Reminders first."
    ),
}


def _error(message: str, status: int = 400, headers: dict | None = None) -> Response:
    return Response({"error": message}, status_code=status, headers=headers)


async def _render(
    request: Request,
    view=None,
    errors=None,
    status: int = 200,
    notice: str = "",
    retry_after: int = 0,
) -> Template:
    account = current_account(request)
    context = await settings_context(request, account, view, errors or {})
    if notice:
        context["notices"] = [notice]
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return page(
        request,
        "reminders/settings.html",
        status_code=status,
        headers=headers,
        active="settings",
        **context,
    )


@get(PAGE, name="reminder_settings", include_in_schema=False)
async def settings_page(request: Request) -> Template:
    return await _render(request)


@post(PAGE, include_in_schema=False)
async def save_settings(request: Request) -> Response:
    view, errors = forms.parse_settings(await request.form())
    if errors:
        return await _render(request, view, errors, status=422)
    account = await ensure_account(request)
    await service.save_settings(account, view, schedule.utcnow())
    return _back("saved=1")


@post(f"{PAGE}/pause", include_in_schema=False)
async def pause(request: Request) -> Response:
    days = forms.parse_pause(await request.form())
    account = current_account(request)
    if days is None or account is None:
        return _back()
    now = schedule.utcnow()
    await service.set_pause(account, now + timedelta(days=days), now)
    return _back()


@post(f"{PAGE}/resume", include_in_schema=False)
async def resume(request: Request) -> Response:
    if account := current_account(request):
        await service.set_pause(account, None, schedule.utcnow())
    return _back()


@post(f"{PAGE}/calendar", include_in_schema=False)
async def new_calendar_link(request: Request) -> Response:
    account = await ensure_account(request)
    await service.set_calendar_token(account, secrets.token_urlsafe(24))
    return _back("calendar=new")


@post(f"{PAGE}/calendar/revoke", include_in_schema=False)
async def revoke_calendar_link(request: Request) -> Response:
    if account := current_account(request):
        await service.set_calendar_token(account, None)
    return _back("calendar=off")


@post(f"{PAGE}/test", include_in_schema=False)
async def send_test(request: Request) -> Response:
    account = current_account(request)
    if account is None:
        return _back("test=0-0")
    decision = await ratelimit.check(request, "push-test", account=str(account.id))
    if not decision.allowed:
        notice = ratelimit.wait_sentence(decision.retry_after)
        return await _render(request, status=429, notice=notice, retry_after=decision.retry_after)
    sender = request.app.state.push_sender
    message = texts.compose(tag=texts.TEST_TAG)
    delivered, total, _ = await send_to_devices(sender, account.id, message, schedule.utcnow())
    return _back(f"test={delivered}-{total}")


@get(texts.SNOOZE_URL, name="reminder_snooze", include_in_schema=False)
async def snooze_page(request: Request) -> Template:
    """Where Safari's "Snooze 1 hour" lands (its declarative notification opens a page): one
    button, since following a link must never change anything by itself."""
    return page(request, "reminders/snooze.html", said=None)


@post(texts.SNOOZE_URL, include_in_schema=False)
async def snooze(request: Request) -> Response:
    """ "Snooze 1 hour", from the service worker (JSON for its notification) or the page."""
    account = current_account(request)
    outcome, until, timezone = (
        await service.snooze(account, schedule.utcnow()) if account else ("signed-out", None, "UTC")
    )
    if "application/json" in request.headers.get("accept", ""):
        title, body = SNOOZE_WORDS[outcome]
        return Response({"outcome": outcome, "title": title, "body": body}, status_code=200)
    return page(request, "reminders/snooze.html", said=snooze_said(outcome, until, timezone))


@post(f"{PAGE}/devices/{{device_id:int}}/remove", include_in_schema=False)
async def remove_device(request: Request, device_id: RowId) -> Response:
    account = current_account(request)
    if account is None or not await service.remove_device(account, device_id):
        raise NotFoundException()
    return _back("removed=1")


@post("/reminders/subscription", include_in_schema=False)
async def subscribe(request: Request) -> Response:
    account = current_account(request)
    subjects = {"account": str(account.id)} if account else {}
    decision = await ratelimit.check(request, "push-subscribe", **subjects)
    if not decision.allowed:
        headers = {"Retry-After": str(decision.retry_after)}
        return _error(ratelimit.wait_sentence(decision.retry_after), 429, headers)
    body = await request.body()
    try:
        endpoint, p256dh, auth = await forms.parse_subscription(
            body, request.app.state.settings.push_allow_http
        )
        replaces = forms.replaced_endpoint(body)
    except forms.SubscriptionError as exc:
        return _error(str(exc), 422)
    account = await ensure_account(request)
    label = forms.device_label(request.headers.get("user-agent", ""))
    saved = await service.save_subscription(account, endpoint, p256dh, auth, label, replaces)
    if saved == "elsewhere":  # reminders.js then makes a new subscription, once
        body = {"error": SUBSCRIBE_REFUSALS[saved], "resubscribe": True}
        return Response(body, status_code=409)
    if saved in SUBSCRIBE_REFUSALS:
        return _error(SUBSCRIBE_REFUSALS[saved], 409)
    return Response({"ok": True, "label": label}, status_code=201)


@post("/reminders/subscription/check", status_code=200, include_in_schema=False)
async def check_subscription(request: Request) -> Response:
    """A page's start-up check: does the server still send to this browser's endpoint? When
    it stopped (gone, another account), reminders.js subscribes anew, silently."""
    try:
        endpoint = forms.parse_endpoint(
            forms.parse_json(await request.body()), request.app.state.settings.push_allow_http
        )
    except forms.SubscriptionError as exc:
        return _error(str(exc), 422)
    state = await service.device_state(current_account(request), endpoint)
    return Response({"state": state}, status_code=200)


@delete("/reminders/subscription", status_code=200, include_in_schema=False)
async def unsubscribe(request: Request) -> Response:
    try:
        endpoint = forms.parse_endpoint(
            forms.parse_json(await request.body()), request.app.state.settings.push_allow_http
        )
    except forms.SubscriptionError as exc:
        return _error(str(exc), 422)
    account = current_account(request)
    if account is None or not await service.remove_subscription(account, endpoint):
        return _error("No such device on this account.", 404)
    return Response({"ok": True}, status_code=200)


@get("/reminders/calendar/{name:str}", include_in_schema=False)
async def calendar_feed(request: Request, name: PathKey) -> Response:
    token = name.removesuffix(".ics")
    found = await service.settings_for_calendar(token) if name.endswith(".ics") else None
    if found is None:
        raise NotFoundException()
    feed_id, view = found
    base_url = request.app.state.settings.base_url
    host = urlsplit(base_url).hostname or "lifted"
    body = calendar.build(feed_id, view, schedule.utcnow(), base_url, host)
    return Response(
        body,
        media_type="text/calendar",  # Litestar adds "; charset=utf-8" to text/* types
        headers={"Cache-Control": "private, max-age=3600", "Content-Disposition": "inline"},
    )


async def home_section(request: Request):
    """Today's gentle card at the reminder time, for readers whom push does not reach."""
    account = current_account(request)
    if account is None:
        return None
    view = await service.get_settings(account)
    now = schedule.utcnow()
    if not view.enabled:
        return None
    if await rest.resting_on(account, schedule.local_date_of(now, view.timezone, view.day_end)):
        return None  # a break: nothing asks anything of the reader
    passed = schedule.passed_today(view.plan, now)
    due = bool(passed)
    if passed and all(slot.skip_if_logged for slot in passed):
        due = not await service.logged_on(
            account.id, schedule.local_date_of(now, view.timezone, view.day_end)
        )
    return "reminders/_home.html", {
        "due": due,
        "idea": texts.random_idea() if due else "",
        "vapid_key": getattr(request.app.state, "vapid_public_key", ""),
    }


ROUTES = [
    settings_page,
    save_settings,
    pause,
    resume,
    new_calendar_link,
    revoke_calendar_link,
    send_test,
    remove_device,
    snooze_page,
    snooze,
    subscribe,
    unsubscribe,
    check_subscription,
    calendar_feed,
]
