"""The tracker's part of Today: the big button, today's count and the "Need an idea?" deck."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from litestar import Request

from server.acts import service, status
from server.acts.content import IDEAS
from server.acts.deleted import UNDO_FOR
from server.identity.sessions import current_account
from server.parsing import whole_number

# Without JavaScript the confirmation page is a fresh GET after the redirect: it shows the
# confirmation only for a tap this recent, so a bookmarked ?logged= link stays quiet.
CONFIRM_FOR = timedelta(minutes=10)
# After a redirect back to Today: an undone tap, or details saved from the act's page.
MESSAGES = {"undone": "Removed. No harm done.", "saved": "Saved your changes."}


def idea_index(raw: str | None, now: datetime) -> int:
    """The idea to show: ``?idea=N`` when given (any whole number wraps), else one per day."""
    if (number := whole_number(raw, low=-(10**18), high=10**18)) is not None:
        return number % len(IDEAS)
    return now.date().toordinal() % len(IDEAS)


def idea_context(raw: str | None) -> dict:
    index = idea_index(raw, datetime.now(UTC))
    return {"idea": IDEAS[index], "index": index, "next": (index + 1) % len(IDEAS)}


async def section(request: Request) -> tuple[str, dict]:
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
    )
    return "acts/_home.html", {
        # The no-JavaScript tap's idempotency key: a resent form is still one act.
        "form_id": str(uuid.uuid4()),
        "status": state,
        "deck": idea_context(params.get("idea")),
    }
