"""Deleting an act asks nothing and loses nothing: Undo brings it back exactly (id, time, kind,
note, moods, and its day's counts) for a few seconds; meanwhile it shows nowhere; after the
window Undo is kindly refused and the act is purged for good."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from server import housekeeping
from server.acts import deleted
from server.acts.models import Act, DeletedAct
from tests.integration.support import (
    Visitor,
    assert_days_match_acts,
    soup,
    stored_act,
)
from tests.integration.test_accounts_api import bearer, make_token

NOTE = "Walked Mrs Patel's dog\nin the rain"


async def _everywhere(visitor: Visitor, token: str, act_id: str) -> dict[str, bool]:
    """Whether the act shows on each of the places a reader (or a script) can see acts."""
    history = await visitor.client.get("/acts")
    exported = (await visitor.client.get("/account/export.json")).json()["acts"]
    listed = (await visitor.client.get("/api/v1/acts", headers=bearer(token))).json()["acts"]
    progress = (await visitor.client.get("/api/v1/progress", headers=bearer(token))).json()
    return {
        "history": f"act-{act_id}" in history.text,
        "details": (await visitor.client.get(f"/acts/{act_id}")).status_code == 200,
        "export": any(a["id"] == act_id for a in exported),
        "api": any(a["id"] == act_id for a in listed),
        "progress": progress["all_time"] == 2,
    }


async def _older(act_id: str, seconds: float) -> None:
    """As if the act had been deleted ``seconds`` ago."""
    then = datetime.now(UTC) - timedelta(seconds=seconds)
    await DeletedAct.filter(id=act_id).update(deleted_at=then)


async def test_delete_then_undo_puts_the_act_back_exactly(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    details = {"category": "helping", "note": NOTE, "mood_before": "2", "mood_after": "4"}
    await visitor.tap(id=key, **details)
    await visitor.tap()
    token = await make_token(client)
    before = await stored_act(key)
    days = await assert_days_match_acts()
    assert sum(days.values()) == 2
    everywhere = {"history": True, "details": True, "export": True, "api": True, "progress": True}
    assert await _everywhere(visitor, token, key) == everywhere

    gone = await visitor.post(f"/acts/{key}/delete", {"next": "/acts"})
    assert gone.status_code == 303 and gone.headers["location"] == f"/acts?deleted={key}"
    assert await stored_act(key) is None
    assert sum((await assert_days_match_acts()).values()) == 1
    assert await _everywhere(visitor, token, key) == dict.fromkeys(everywhere, False)

    page = soup(await visitor.client.get(gone.headers["location"]))
    notice = page.select_one(".undo-notice")
    assert notice["role"] == "status" and notice.select_one("p").get_text() == "Deleted."
    undo = notice.select_one("form[data-undo]")
    assert undo["action"] == f"/acts/{key}/restore" and "undo-form" in undo["class"]
    assert undo.select_one("input[name=next]")["value"] == "/acts"
    assert undo.select_one("button").get_text(strip=True) == "Undo"

    back = await visitor.post(undo["action"], {"next": "/acts"})
    assert back.status_code == 303 and back.headers["location"] == f"/acts?restored=1#act-{key}"
    assert await stored_act(key) == before  # every column, the times included
    assert await assert_days_match_acts() == days
    assert await _everywhere(visitor, token, key) == everywhere
    assert await DeletedAct.all().count() == 0
    shown = soup(await visitor.client.get(back.headers["location"]))
    assert shown.select_one(".notice").get_text(strip=True) == "It's back, just as it was."
    assert not shown.select(".undo-notice")


async def test_undo_after_the_window_is_kindly_refused_and_the_act_purged(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(id=key, note=NOTE)
    await visitor.post(f"/acts/{key}/delete", {"next": "/acts?page=1"})

    # Past the 10 seconds the page offers Undo, the button is gone...
    await _older(key, 11)
    page = soup(await visitor.client.get(f"/acts?deleted={key}"))
    assert page.select_one(".undo-notice p").get_text() == "Deleted."
    assert not page.select("form[data-undo]")
    # ...but one tapped as it went still arrives in time (a slow connection).
    back = await visitor.post(f"/acts/{key}/restore", {"next": "/acts"})
    assert back.headers["location"] == f"/acts?restored=1#act-{key}"
    assert (await Act.get(id=key)).note == NOTE

    await visitor.post(f"/acts/{key}/delete", {"next": "/acts"})
    await _older(key, 16)
    late = await visitor.post(f"/acts/{key}/restore", {"next": "/acts"})
    assert late.status_code == 303 and late.headers["location"] == "/acts?gone=1"
    words = soup(await visitor.client.get(late.headers["location"])).select_one(".notice")
    assert words.get_text(strip=True) == (
        "That act can't come back now: Undo lasts only a few seconds. It is deleted for good."
    )
    assert not await Act.filter(id=key).exists()
    # After the window the page only says it was deleted, and nothing of the act is kept.
    shown = soup(await visitor.client.get(f"/acts?deleted={key}"))
    assert shown.select_one(".notice").get_text(strip=True) == "Deleted."
    assert await housekeeping.tidy() == {"deleted_acts_purged": 1, "sessions_removed": 0}
    assert not await DeletedAct.filter(id=key).exists()


async def test_each_delete_purges_what_is_past_its_window(client):
    visitor = Visitor(client)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await visitor.tap(id=first, note="first")
    await visitor.tap(id=second)
    await visitor.post(f"/acts/{first}/delete", {"next": "/acts"})
    await _older(first, 16)
    await visitor.post(f"/acts/{second}/delete", {"next": "/acts"})
    assert await DeletedAct.all().values_list("id", flat=True) == [uuid.UUID(second)]


async def test_undo_is_the_readers_own_and_happens_once(client, app):
    owner, stranger = Visitor(client), Visitor.new(app)
    key = str(uuid.uuid4())
    await owner.tap(id=key, note=NOTE)
    await stranger.tap()
    await owner.post(f"/acts/{key}/delete", {"next": "/acts"})

    # Another reader can neither see nor bring back the deleted act.
    peek = soup(await stranger.client.get(f"/acts?deleted={key}"))
    assert not peek.select("form[data-undo]") and NOTE not in peek.decode()
    refused = await stranger.post(f"/acts/{key}/restore", {"next": "/acts"})
    assert refused.headers["location"] == "/acts?gone=1"
    assert not await Act.filter(id=key).exists()

    # Undo sent twice (a double tap) brings the act back once.
    first = await owner.post(f"/acts/{key}/restore", {"next": "/acts"})
    again = await owner.post(f"/acts/{key}/restore", {"next": "/acts"})
    assert first.headers["location"].startswith("/acts?restored=1")
    assert again.headers["location"] == "/acts?gone=1"
    assert await Act.filter(id=key).count() == 1 and await DeletedAct.all().count() == 0
    # A second delete of an act already deleted finds nothing to delete.
    await owner.post(f"/acts/{key}/delete", {"next": "/acts"})
    assert (await owner.post(f"/acts/{key}/delete", {"next": "/acts"})).status_code == 404


async def test_the_taps_own_undo_goes_through_the_same_delete(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(id=key)
    undone = await visitor.post(f"/acts/{key}/delete", {"next": "/"}, htmx=True)
    assert "Removed. No harm done." in undone.text
    assert await DeletedAct.filter(id=key).exists()
    assert (await deleted.restore_act(None, key)) is None  # nobody's
