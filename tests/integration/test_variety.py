"""Variety keeps kindness fresh: Today's idea card suggests a kind of act the reader hasn't
logged in the last two weeks, and says why; a reader who never names kinds gets the deck as
before, and "Another idea" still steps through it all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from server.acts.content import IDEAS
from server.acts.models import Act
from tests.integration.support import sign_in_as, soup


async def _act(account, kind: str | None, days_ago: int) -> None:
    when = datetime.now(UTC) - timedelta(days=days_ago)
    await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=when, timezone="UTC",
        local_date=when.date(), category=kind,
    )  # fmt: skip


async def test_the_card_suggests_a_kind_not_tried_lately_and_says_why(client):
    account = await sign_in_as(client, timezone="UTC")
    every_kind = {idea.category for idea in IDEAS}
    # Everything but listening lately; listening only long ago.
    for kind in every_kind - {"listening"}:
        await _act(account, kind, 2)
    await _act(account, "listening", 30)
    card = soup(await client.get("/")).select_one("#idea-card")
    text = card.select_one(".idea-text").get_text()
    assert text in {idea.text for idea in IDEAS if idea.category == "listening"}
    assert card.select_one(".idea-reason").get_text() == "You haven't tried listening lately."
    # The same card all day; "Another idea" is the deck as before, without a reason.
    assert soup(await client.get("/")).select_one("#idea-card .idea-text").get_text() == text
    following = card.select_one("#another-idea")["href"]
    stepped = soup(await client.get(following)).select_one("#idea-card")
    assert stepped.select_one(".idea-reason") is None


async def test_a_reader_who_never_names_kinds_gets_no_reason(client):
    account = await sign_in_as(client, timezone="UTC")
    await _act(account, None, 1)
    card = soup(await client.get("/")).select_one("#idea-card")
    assert card.select_one(".idea-reason") is None
    assert card.select_one(".idea-text").get_text() in {idea.text for idea in IDEAS}


async def test_no_reason_when_every_kind_was_tried_lately(client):
    account = await sign_in_as(client, timezone="UTC")
    for kind in {idea.category for idea in IDEAS}:
        await _act(account, kind, 3)
    assert soup(await client.get("/")).select_one("#idea-card .idea-reason") is None
