"""The tracker's pages: history, editing one act, the ideas deck, export, offline pieces."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

from server.acts.content import IDEAS
from server.acts.models import Act
from tests.integration.support import Visitor, soup
from tests.support import service_worker_config


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


async def test_history_is_newest_first_in_pages_of_twenty(client):
    visitor = Visitor(client)
    start = datetime.now(UTC) - timedelta(days=3)
    keys = [str(uuid.uuid4()) for _ in range(25)]
    for minutes, key in enumerate(keys):  # taps 0..24, each a minute after the one before
        await visitor.tap(id=key, occurred_at=_iso(start + timedelta(minutes=minutes)))
    first = soup(await visitor.client.get("/acts"))
    ids = [li["id"].removeprefix("act-") for li in first.select(".act-list li")]
    assert ids == keys[::-1][:20]
    assert len(first.select("h1")) == 1
    older = first.select_one("a[rel=next]")
    assert older["href"] == "/acts?page=2" and not first.select_one("a[rel=prev]")
    second = soup(await visitor.client.get(older["href"]))
    assert [li["id"].removeprefix("act-") for li in second.select(".act-list li")] == keys[4::-1]
    assert second.select_one("a[rel=prev]")["href"] == "/acts?page=1"
    assert not second.select_one("a[rel=next]")
    beyond = await visitor.client.get("/acts?page=9")
    assert beyond.status_code == 200 and "no acts on this page" in beyond.text
    assert (await visitor.client.get("/acts?page=nonsense")).status_code == 200


async def test_empty_history_invites_a_first_act(client):
    page = soup(await client.get("/acts"))
    assert "Your acts will gather here" in page.select_one("main").get_text()
    assert page.select_one('main a[href="/#log"]').get_text(strip=True) == "Log an act"
    assert not page.select(".act-download a")  # nothing to download yet


async def test_editing_an_act_validates_and_keeps_what_was_typed(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(id=key)
    form = soup(await visitor.client.get(f"/acts/{key}"))
    assert form.select_one("label[for=note]")
    kinds = form.select("fieldset.kinds label")
    assert [k.get_text(strip=True) for k in kinds][:2] == ["Act of kindness", "Helping"]
    long_note = "Helped my neighbour. " * 30
    refused = await visitor.post(
        f"/acts/{key}", {"note": long_note, "category": "helping", "mood_before": "9"}
    )
    assert refused.status_code == 422
    page = soup(refused)
    assert page.select_one("textarea#note").get_text() == long_note
    assert "Please keep the note to 500 characters" in page.select_one("#note-error").get_text()
    assert "1 to 5" in page.select_one("#mood_before-error").get_text()
    assert page.select_one("input[name=category][value=helping]").has_attr("checked")
    assert (await Act.get(id=key)).note is None

    saved = await visitor.post(
        f"/acts/{key}",
        {
            "note": "Helped my neighbour",
            "category": "helping",
            "mood_before": "2",
            "mood_after": "4",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/acts?saved=1#act-{key}"
    history = soup(await visitor.client.get(saved.headers["location"]))
    assert history.select_one(".notice").get_text(strip=True) == "Saved your changes."
    item = history.select_one(f"#act-{key}").get_text(" ", strip=True)
    assert "Helping" in item and "Helped my neighbour" in item and "Mood 2 → 4" in item
    cleared = await visitor.post(f"/acts/{key}", {"note": "", "category": ""})
    assert cleared.status_code == 303
    act = await Act.get(id=key)
    assert (act.note, act.category, act.mood_before) == (None, None, None)


async def test_deleting_from_the_act_page_returns_to_history(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    await visitor.tap(id=key)
    answer = await visitor.post(f"/acts/{key}/delete", {"next": "/acts"})
    assert answer.status_code == 303 and answer.headers["location"] == f"/acts?deleted={key}"
    assert await Act.filter(id=key).count() == 0
    assert (await visitor.client.get(f"/acts/{key}")).status_code == 404


async def test_another_accounts_act_is_not_found_everywhere(client, app):
    owner, stranger = Visitor(client), Visitor.new(app)
    key = str(uuid.uuid4())
    await owner.tap(id=key, note="mine")
    await stranger.tap()
    assert (await stranger.client.get(f"/acts/{key}")).status_code == 404
    assert (await stranger.post(f"/acts/{key}", {"note": "theirs"})).status_code == 404
    assert (await stranger.post(f"/acts/{key}/delete", {"next": "/"})).status_code == 404
    assert (await stranger.client.get("/acts/not-a-uuid")).status_code == 404
    assert f"act-{key}" not in (await stranger.client.get("/acts")).text
    assert (await Act.get(id=key)).note == "mine"


async def test_ideas_deck_one_card_at_a_time_with_real_links(client):
    page = soup(await client.get("/?idea=3"))
    card = page.select_one("#idea-card")
    assert card.select_one(".idea-text").get_text(strip=True) == IDEAS[3].text
    assert card.select_one(".idea-why")["href"] == f"/articles/{IDEAS[3].article}"
    another = card.select_one("#another-idea")
    assert another["href"] == "/?idea=4#idea-card"
    # The whole deck is in the page, in order, so tap.js steps through it offline.
    cards = card.select_one("template#idea-deck").find_all("p")  # CSS skips <template> insides
    deck = [(str(p.string), p["data-article"]) for p in cards]
    assert deck == [(idea.text, idea.article) for idea in IDEAS]
    assert card["data-idea-index"] == "3"
    last = soup(await client.get(f"/?idea={len(IDEAS) - 1}")).select_one("#another-idea")
    assert last["href"] == "/?idea=0#idea-card"
    article = await client.get(f"/articles/{IDEAS[3].article}")
    assert article.status_code == 200


async def test_export_json_and_csv_hold_the_readers_acts(client, app):
    visitor, stranger = Visitor(client), Visitor.new(app)
    key = str(uuid.uuid4())
    await visitor.tap(id=key, category="giving", note="=1+1 soup", mood_before="3", mood_after="5")
    await visitor.tap()
    await stranger.tap(note="not yours")

    answer = await visitor.client.get("/account/export.json")
    assert answer.headers["content-disposition"].startswith('attachment; filename="lifted-acts-')
    body = answer.json()
    assert set(body) == {"acts", "exported_at", "account"}
    assert len(body["acts"]) == 2 and body["account"]["timezone"] == "UTC"
    act = next(a for a in body["acts"] if a["id"] == key)
    assert act == {
        "id": key,
        "occurred_at": act["occurred_at"],
        "timezone": "UTC",
        "local_date": datetime.now(UTC).date().isoformat(),
        "category": "giving",
        "note": "=1+1 soup",
        "mood_before": 3,
        "mood_after": 5,
        "private": False,
    }
    assert datetime.fromisoformat(act["occurred_at"]).tzinfo is not None
    assert "not yours" not in json.dumps(body)

    table = await visitor.client.get("/account/export.csv")
    assert table.headers["content-type"].startswith("text/csv")
    assert table.headers["content-disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert list(rows[0]) == [
        "id",
        "occurred_at",
        "timezone",
        "local_date",
        "category",
        "note",
        "mood_before",
        "mood_after",
        "private",
    ]
    row = next(r for r in rows if r["id"] == key)
    # A note that looks like a formula is neutralised for spreadsheets.
    assert row["note"] == "'=1+1 soup" and row["mood_after"] == "5"
    assert len(rows) == 2


async def test_export_for_a_visitor_without_account_is_empty(client):
    body = (await client.get("/account/export.json")).json()
    assert body["acts"] == [] and body["account"] is None
    table = (await client.get("/account/export.csv")).text.strip().splitlines()
    assert table == [
        "id,occurred_at,timezone,local_date,category,note,mood_before,mood_after,private"
    ]
    assert "lifted_session" not in (await client.get("/account/export.json")).headers.get(
        "set-cookie", ""
    )


async def test_service_worker_precaches_history_and_imports_the_outbox(client):
    body = (await client.get("/sw.js")).text
    config = service_worker_config(body)
    assert "/acts" in config["precache"]
    outbox = [u for u in config["precache"] if u.startswith("/static/outbox.")]
    assert len(outbox) == 1
    assert "importScripts(OUTBOX_SCRIPT)" in body and 'addEventListener("sync"' in body
    script = (await client.get(outbox[0])).text
    assert 'const DB_NAME = "lifted"' in script and 'const STORE = "outbox"' in script
    page = soup(await client.get("/acts"))
    assert page.select_one(f'script[src="{outbox[0]}"]')
    assert page.select_one("[data-outbox-badge][role=status]") is not None
