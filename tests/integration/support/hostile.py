"""Checks for the hostile-input tests: readable refusals, no 5xx, every stored row valid."""

from __future__ import annotations

import json
import re
import uuid
import zoneinfo

import pytest

from server import ratelimit
from server.accounts.forms import USERNAME_RE
from server.acts.content import CATEGORY_LABELS
from server.acts.forms import NOTE_MAX
from server.acts.models import Act
from server.identity.models import Account, ApiToken
from server.parsing import storable
from tests.integration.support import soup

# ---- Hostile input --------------------------------------------------------------------

# Words that mean a reader was shown a developer's message instead of ours.
JARGON = re.compile(
    r"Traceback|Exception|Error\b|Validation failed|msgspec|Expected `|codec|surrogate"
    r"|multipart/form-data|Internal Server|Bad Request|Not Found\b",
)


@pytest.fixture
def generous_limits(monkeypatch):
    """Rate limits would turn later hostile requests into 429s before they reach the parsers."""
    for action, kinds in ratelimit.LIMITS.items():
        monkeypatch.setitem(
            ratelimit.LIMITS, action, {k: (10**9, window) for k, (_, window) in kinds.items()}
        )


def assert_not_5xx(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])


def assert_readable(response, what: str = "") -> None:
    """No 5xx, and a refusal a person can read: JSON with an "error" sentence, or a page with
    a heading or a message, in our words (never an exception's name)."""
    where = f"{what}: {response.status_code} {response.text[:300]!r}"
    assert response.status_code < 500, where
    if response.status_code < 400 or response.request.method == "HEAD":
        return
    if response.headers.get("content-type", "").startswith("application/json"):
        error = json.loads(response.content).get("error")
        assert isinstance(error, str) and error.strip(), where
        message = error
    else:
        page = soup(response)
        found = page.select("h1, [role=alert], .field-error, .notice")
        message = " ".join(node.get_text(" ", strip=True) for node in found)
        assert message.strip(), where
    assert not JARGON.search(message), where


async def assert_stored_rows_valid() -> None:
    """Whatever hostile input did, every stored row is one the app could have made."""
    zones = zoneinfo.available_timezones() | {"UTC"}
    for act in await Act.all():
        assert isinstance(act.id, uuid.UUID) or uuid.UUID(str(act.id))
        assert act.timezone in zones, act.timezone
        zoneinfo.ZoneInfo(act.timezone)
        for mood in (act.mood_before, act.mood_after):
            assert mood is None or 1 <= mood <= 5, mood
        assert act.note is None or (0 < len(act.note) <= NOTE_MAX and storable(act.note))
        assert act.category is None or act.category in CATEGORY_LABELS, act.category
    for account in await Account.exclude(username=None):
        assert USERNAME_RE.fullmatch(account.username), account.username
        assert account.username == account.username.lower()
    for token in await ApiToken.all():
        assert 0 < len(token.name) <= 60 and storable(token.name), token.name
