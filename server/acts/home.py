"""The tracker's part of Today (the big button, today's count, the week, the "Need an idea?"
deck and the details form a waiting tap can fill in offline) and of each article (its "Log it
on Today" button)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from litestar import Request

from server.acts import service, status, variety
from server.acts.content import CATEGORIES, IDEAS, UNSORTED
from server.acts.deleted import UNDO_FOR
from server.acts.forms import MOODS, NOTE_MAX
from server.identity.sessions import current_account
from server.parsing import whole_number
from server.rest import service as rest

# Without JavaScript the confirmation page is a fresh GET after the redirect: it shows the
# confirmation only for a tap this recent, so a bookmarked ?logged= link stays quiet.
CONFIRM_FOR = timedelta(minutes=10)
# "I did one yesterday", said the same by today.js.
YESTERDAY = "Added to yesterday. Thank you for remembering it."
# After a redirect back to Today: an undone tap, details saved from the act's page, or an act
# added to yesterday.
MESSAGES = {
    "undone": "Removed. No harm done.",
    "saved": "Saved your changes.",
    "yesterday": YESTERDAY,
}
IDEA_CATEGORIES = {idea.id: idea.category for idea in IDEAS}


def idea_index(raw: str | None, now: datetime) -> int:
    """The idea to show: ``?idea=N`` when given (any whole number wraps), else one per day."""
    if (number := whole_number(raw, low=-(10**18), high=10**18)) is not None:
        return number % len(IDEAS)
    return now.date().toordinal() % len(IDEAS)


def idea_context(raw: str | None) -> dict:
    index = idea_index(raw, datetime.now(UTC))
    # The whole deck rides along, so "Another idea" steps through it offline (tap.js).
    return {"idea": IDEAS[index], "index": index, "next": (index + 1) % len(IDEAS), "all": IDEAS}


async def tap_state(request: Request, page: str) -> dict:
    """What every tap area shows: a fresh form id and the status, with the confirmation of
    a tap just made without JavaScript (``?logged=``) or an undo (``?undone=1``)."""
    account = current_account(request)
    params = request.query_params
    act = None
    if logged := params.get("logged"):
        act = await service.get_act(account, logged)
    now = datetime.now(UTC)
    if act and now - act.created_at > CONFIRM_FOR:
        act = None
    state = await status.build(
        account,
        act=act,
        undo=bool(act and now - act.created_at < UNDO_FOR),
        message=next((text for key, text in MESSAGES.items() if params.get(key)), None),
        page=page,
    )
    # The no-JavaScript tap's idempotency keys: a resent form is still one act.
    return {"form_id": str(uuid.uuid4()), "yesterday_id": str(uuid.uuid4()), "status": state}


async def section(request: Request) -> tuple[str, dict]:
    asked = request.query_params.get("idea")
    account = current_account(request)
    # The day's own card: a kind not tried lately, when the reader names kinds at all; never
    # "you haven't tried ... lately" to a reader on a break.
    fresh = None
    if asked is None and not (account and await rest.resting_on(account, status.today(account))):
        fresh = await variety.suggestion(account)
    deck = idea_context(str(fresh.index) if fresh else asked)
    deck["reason"] = fresh.reason if fresh else ""
    return "acts/_home.html", {
        **await tap_state(request, status.HOME),
        "deck": deck,
        "categories": CATEGORIES,
        "unsorted": UNSORTED,
        "moods": MOODS,
        "note_max": NOTE_MAX,
    }


async def try_today(
    request: Request, idea: str, page: str, everyone: bool = False
) -> tuple[str, dict]:
    """The end of an article: "Log it on Today" logs its idea's kind of act right there.
    The count shows only after a tap without JavaScript: reading costs no query otherwise.
    On the page made for ``everyone`` (server/pagecache.py) the box needs JavaScript, which
    names each tap; without it, the reader is sent to Today's own button."""
    params = request.query_params
    if everyone:
        state = {"form_id": "", "status": None}
    elif params.get("logged") or params.get("undone"):
        state = await tap_state(request, page)
    else:
        state = {"form_id": str(uuid.uuid4()), "status": None}
    return "acts/_try_today.html", {**state, "category": IDEA_CATEGORIES.get(idea)}
