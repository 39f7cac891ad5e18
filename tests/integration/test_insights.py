"""Insights on Progress, honestly: only after 30 acts; the kinds with the largest mood lift
(3 acts with both moods at least, lift above zero, at most three) and the busiest weekdays;
the reader's own record, never ranked against anyone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from server.acts.models import Act
from server.acts.service import today_for
from tests.integration.support import sign_in_as, soup


async def _acts(account, weekday: int, count: int, kind=None, before=None, after=None) -> None:
    today = today_for(account)
    # The most recent such weekday at least a week back, so every act is in the past year.
    day = today - timedelta(days=7 + (today.weekday() - weekday) % 7)
    when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    for n in range(count):
        await Act.create(
            id=uuid.uuid4(), account=account, occurred_at=when + timedelta(minutes=n),
            timezone="UTC", local_date=day, category=kind, mood_before=before, mood_after=after,
        )  # fmt: skip


async def test_insights_wait_for_thirty_acts_then_speak_of_this_reader_alone(client):
    account = await sign_in_as(client, timezone="UTC")
    await _acts(account, 5, 3, "listening", 2, 4)  # Saturday: +2
    await _acts(account, 5, 3, "giving", 3, 4)  # +1
    await _acts(account, 1, 2, "helping", 1, 5)  # Tuesday: +4, but only 2 acts
    await _acts(account, 1, 3, "family", 4, 3)  # -1: not a lift
    await _acts(account, 5, 10, None, 1, 5)  # no kind named: a lift, but not a kind
    await _acts(account, 1, 5)
    await _acts(account, 3, 3)  # Wednesday
    page = soup(await client.get("/progress"))
    assert (
        page.select_one("#insights-wait")
        .get_text(" ", strip=True)
        .startswith("Once you have logged 30 acts (you have 29 so far)")
    )
    await _acts(account, 3, 1)
    page = soup(await client.get("/progress"))
    assert page.select_one("#insights-wait") is None
    assert [li.get_text() for li in page.select("#insights-kinds li")] == [
        "Listening: +2 on average, across 3 acts",
        "Giving: +1 on average, across 3 acts",
    ]
    assert (
        page.select_one("#insights-days").get_text()
        == "Your busiest days are Saturday and Tuesday."
    )
    assert "never compared with anyone else" in page.select_one(".insights").get_text()


async def test_without_moods_the_kinds_wait_and_the_days_still_show(client):
    account = await sign_in_as(client, timezone="UTC")
    await _acts(account, 6, 30, "listening")
    page = soup(await client.get("/progress"))
    assert page.select_one("#insights-kinds") is None
    assert page.select_one("#insights-kinds-wait") is not None
    assert page.select_one("#insights-days").get_text() == "Your busiest day is Sunday."
