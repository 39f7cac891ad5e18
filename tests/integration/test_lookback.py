"""Look-back and private acts: Today brings back one of the reader's own noted acts, a week old
or more, the same all week; never a private one, never one deleted. Private is set on an act's
page, shown in the history, kept by the export and by Undo."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from server.acts.lookback import ago
from server.acts.models import Act
from server.acts.service import today_for
from tests.integration.support import post_form, sign_in_as, soup


async def _act(account, days_ago: int, note: str | None, **fields) -> str:
    day = today_for(account) - timedelta(days=days_ago)
    when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    act = await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=when, timezone="UTC", local_date=day,
        note=note, **fields,
    )  # fmt: skip
    return str(act.id)


def _card(html) -> dict | None:
    card = html.select_one(".look-back")
    if card is None:
        return None
    return {
        "when": card.select_one(".look-back-when").get_text(" ", strip=True),
        "note": card.select_one(".look-back-note").get_text(strip=True),
        "href": card.select_one(".look-back-more a")["href"],
        "line": card.select("p.muted")[0].get_text(" ", strip=True),
    }


async def test_a_week_old_noted_act_comes_back_the_same_all_week(client):
    account = await sign_in_as(client, timezone="UTC")
    assert _card(soup(await client.get("/"))) is None  # nothing yet
    await _act(account, 2, "too recent")
    await _act(account, 30, None)  # no note: nothing to bring back
    assert _card(soup(await client.get("/"))) is None
    chosen = await _act(account, 21, "Sat with Alex\nand mostly listened", category="listening",
                        mood_before=2, mood_after=4)  # fmt: skip
    card = _card(soup(await client.get("/")))
    day = today_for(account) - timedelta(days=21)
    assert card == {
        "when": f"Three weeks ago, on {day:%A} {day.day} {day:%B}, you did this:",
        "note": "Sat with Alex\nand mostly listened",
        "href": f"/acts/{chosen}?next=/acts",
        "line": "Listening · afterwards you felt 2 points better",
    }
    assert _card(soup(await client.get("/"))) == card


async def test_never_a_private_act_never_a_deleted_one(client):
    account = await sign_in_as(client, timezone="UTC")
    await _act(account, 40, "kept to myself", private=True)
    assert _card(soup(await client.get("/"))) is None
    ids = [await _act(account, n, f"note {n}") for n in (10, 20, 30)]
    shown = []
    for _ in ids:
        card = _card(soup(await client.get("/")))
        assert card["note"] != "kept to myself"
        act_id = card["href"].split("/")[2].split("?")[0]
        shown.append(act_id)
        # Deleted now (its Undo long gone from the card's point of view): never again.
        assert (
            await post_form(client, f"/acts/{act_id}/delete", {"next": "/acts"})
        ).status_code == 303
    assert sorted(shown) == sorted(ids)
    assert _card(soup(await client.get("/"))) is None


async def test_private_is_set_on_the_acts_page_and_kept_by_export_and_undo(client):
    account = await sign_in_as(client, timezone="UTC")
    act_id = await _act(account, 12, "a quiet one")
    saved = await post_form(
        client, f"/acts/{act_id}", {"note": "a quiet one", "private": "on", "next": "/acts"}
    )
    assert saved.status_code == 303
    page = soup(await client.get(f"/acts/{act_id}"))
    assert page.select_one("#private").has_attr("checked")
    assert soup(await client.get("/acts")).select_one(".act-private").get_text() == "Private"
    assert _card(soup(await client.get("/"))) is None
    (exported,) = (await client.get("/account/export.json")).json()["acts"]
    assert exported["private"] is True
    await post_form(client, f"/acts/{act_id}/delete", {"next": "/acts"})
    await post_form(client, f"/acts/{act_id}/restore", {"next": "/acts"})
    assert (await Act.get(id=act_id)).private is True
    # Saved again without the box ticked: no longer private, and it may come back.
    await post_form(client, f"/acts/{act_id}", {"note": "a quiet one", "next": "/acts"})
    assert _card(soup(await client.get("/")))["note"] == "a quiet one"


def test_how_long_ago_in_words():
    today = date(2026, 12, 5)
    words = [ago(today, today - timedelta(days=n)) for n in (7, 13, 14, 21, 28, 45, 90, 400, 800)]
    assert words == [
        "A week ago", "A week ago", "Two weeks ago", "Three weeks ago", "Four weeks ago",
        "A month ago", "3 months ago", "A year ago", "2 years ago",
    ]  # fmt: skip
