"""Share with a supporter: a link shows exactly what the reader chose and never a private act;
it is stored only as a hash, can expire and be turned off (then a 404 like a link never made),
says when it was last opened, and the shared page sets no cookie, carries no CSRF token, is
never indexed and has no way into the app."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.acts.models import Act
from server.acts.service import today_for
from server.sharing.models import ShareLink
from tests.integration.app_client import AppClient
from tests.integration.support import post_form, sign_in_as, soup

LINK = re.compile(r"/s/([A-Za-z0-9_-]{40,})")


async def _act(account, days_ago: int, **fields) -> None:
    day = today_for(account) - timedelta(days=days_ago)
    when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=when, timezone="UTC", local_date=day, **fields
    )


async def _make(client, **form) -> str:
    answer = await post_form(client, "/settings/sharing", {"name": "Sam", "expires": "30", **form})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    return LINK.search(soup(answer).select_one("#link-value").get_text()).group(1)


def _visitor(client) -> AppClient:
    """A supporter: another browser, no cookie of the reader's (the app is already running)."""
    return AppClient(client.app, base_url="http://127.0.0.1:8000")


async def test_the_link_shows_what_was_chosen_and_never_a_private_act(client):
    account = await sign_in_as(client, timezone="UTC")
    await _act(account, 0, category="listening", note="Sat with Alex", mood_before=2, mood_after=4)
    await _act(
        account,
        1,
        category="giving",
        note="Secret thing",
        private=True,
        mood_before=1,
        mood_after=5,
    )
    await _act(account, 100, note="An older note")
    token = await _make(client)
    supporter = _visitor(client)
    answer = await supporter.get(f"/s/{token}")
    assert answer.status_code == 200
    page = soup(answer)
    assert page.select_one("#shared-year").get_text() == "2"  # the private act is not counted
    assert page.select_one(".shared-kinds") is None and page.select_one("#shared-lift") is None
    assert page.select_one(".shared-notes") is None
    assert "Sat with Alex" not in answer.text and "Secret" not in answer.text
    assert "Sam" not in answer.text  # the name is the reader's own label, never shown
    # No cookie, no CSRF token, never indexed, no way into the app.
    assert "set-cookie" not in answer.headers
    assert "csrf" not in answer.text.lower()
    assert answer.headers["x-robots-tag"] == "noindex, nofollow"
    assert page.select_one("meta[name=robots]")["content"] == "noindex, nofollow"
    assert [a["href"] for a in page.select("a[href]")] == []
    assert not page.select("script, form")

    token = await _make(client, kinds="on", moods="on", notes="on")
    supporter = _visitor(client)
    page = soup(await supporter.get(f"/s/{token}"))
    assert [li.get_text() for li in page.select(".shared-kinds li")] == [
        "Act of kindness: 1",
        "Listening: 1",
    ] or [li.get_text() for li in page.select(".shared-kinds li")] == [
        "Listening: 1",
        "Act of kindness: 1",
    ]
    assert "mood changed by +2 on average" in page.select_one("#shared-lift").get_text()
    notes = [p.get_text() for p in page.select(".shared-notes p")]
    assert notes == ["Sat with Alex"]  # the private one never; the old one is past 90 days


async def test_only_a_hash_is_stored_and_every_dead_link_is_the_same_404(client):
    await sign_in_as(client, timezone="UTC")
    token = await _make(client)
    (row,) = await ShareLink.all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(await ShareLink.all().values())
    supporter = _visitor(client)
    never = await supporter.get(f"/s/{'x' * 43}")
    assert never.status_code == 404
    await ShareLink.filter(id=row.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    expired = await supporter.get(f"/s/{token}")
    await ShareLink.filter(id=row.id).update(expires_at=None)
    assert (await supporter.get(f"/s/{token}")).status_code == 200
    turned_off = await post_form(client, f"/settings/sharing/{row.id}/revoke", {})
    assert turned_off.headers["location"] == "/settings/sharing?revoked=1"
    revoked = await supporter.get(f"/s/{token}")
    malformed = [await supporter.get(path) for path in ("/s/abc%21def=", f"/s/{'a' * 150}")]
    for dead in (expired, revoked, *malformed):
        assert (dead.status_code, dead.text) == (never.status_code, never.text)
        assert "set-cookie" not in dead.headers


async def test_several_links_last_opened_and_deleting_the_account_ends_them(client):
    await sign_in_as(client, timezone="UTC")
    first, second = await _make(client, name="Sam"), await _make(client, name="Dr Lee")
    page = soup(await client.get("/settings/sharing"))
    assert [li.select_one(".token-name").get_text() for li in page.select(".share-link")] == [
        "Dr Lee",
        "Sam",
    ]
    assert "not opened yet" in page.select(".share-link")[1].get_text()
    supporter = _visitor(client)
    assert (await supporter.get(f"/s/{first}")).status_code == 200
    page = soup(await client.get("/settings/sharing"))
    assert "last opened" in page.select(".share-link")[1].get_text()
    sam = (await ShareLink.get(name="Sam")).id
    await post_form(client, f"/settings/sharing/{sam}/revoke", {})
    supporter = _visitor(client)
    assert (await supporter.get(f"/s/{first}")).status_code == 404
    assert (await supporter.get(f"/s/{second}")).status_code == 200
    await post_form(client, "/account/delete", {"confirm": "delete"})
    assert (await supporter.get(f"/s/{second}")).status_code == 404
    assert await ShareLink.all().count() == 0


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"name": "  "}, "Please say who it is for"),
        ({"name": "x" * 61}, "60"),
        ({"name": "Sam", "expires": "365"}, "Please choose how long the link works."),
        ({"name": "Sam\x00"}, ""),
    ],
)
async def test_a_link_that_cant_be_made_says_why_and_makes_nothing(client, form, problem):
    await sign_in_as(client, timezone="UTC")
    answer = await post_form(client, "/settings/sharing", form)
    assert answer.status_code == 422
    assert problem in soup(answer).select_one(".field-error").get_text()
    assert await ShareLink.all().count() == 0
