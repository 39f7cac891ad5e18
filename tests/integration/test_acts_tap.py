"""The one-tap tracker: a tap is one act, exactly once, for exactly one account."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.acts.content import CONFIRMATIONS
from server.acts.models import Act, HeldAct
from server.identity.models import Account
from tests.integration.support import Visitor, act_count, held_count, soup


async def test_home_offers_one_big_real_form_button(client):
    visitor = Visitor(client)
    html = soup(await visitor.open_home())
    form = html.select_one("form[data-outbox-form]")
    assert form["method"] == "post" and form["action"] == "/acts"
    buttons = form.select("button")
    assert [b.get_text(strip=True) for b in buttons] == ["I did an act of kindness"]
    first_id = form.select_one("input[name=id]")["value"]
    assert uuid.UUID(first_id)
    again = soup(await visitor.open_home()).select_one("form[data-outbox-form] input[name=id]")
    assert again["value"] != first_id
    counter = html.select_one("[data-tap-count]")
    assert counter.get_text(strip=True) == "Nothing logged yet today, and that's okay"


async def test_tap_without_javascript_logs_confirms_and_starts_a_session(client):
    visitor = Visitor(client)
    html = soup(await visitor.open_home())
    key = html.select_one("form[data-outbox-form] input[name=id]")["value"]
    response = await client.post(
        "/acts", data={"_csrf_token": visitor.token, "id": key}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/?logged={key}#log"
    cookie = response.headers["set-cookie"]
    assert "lifted_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie

    page = soup(await client.get(response.headers["location"]))
    assert page.select_one("[data-tap-count]").get_text(strip=True) == "1 act of kindness today"
    assert page.select_one(".tap-confirmation").get_text(strip=True) in CONFIRMATIONS
    assert page.select_one("form.undo-form button").get_text(strip=True) == "Undo"
    assert page.select_one(f'a[href="/acts/{key}?next=/"]').get_text(strip=True) == "Add details"
    act = await Act.get(id=key)
    assert (await Account.get(id=act.account_id)).timezone == "UTC"
    assert act.timezone == "UTC" and act.local_date == datetime.now(UTC).date()


async def test_same_key_twice_is_one_act_with_the_same_answer(client):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    first = await visitor.tap(id=key)
    second = await visitor.tap(id=key)
    assert first.status_code == second.status_code == 200
    assert first.text == second.text
    assert "1 act of kindness today" in first.text
    plain = [await visitor.tap(htmx=False, id=key) for _ in range(2)]
    assert {r.status_code for r in plain} == {303}
    assert plain[0].headers["location"] == plain[1].headers["location"]
    assert await act_count() == 1


async def test_simultaneous_identical_keys_store_one_act(client):
    visitor = Visitor(client)
    await visitor.tap()  # the account exists before the race, as it would in a browser
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(visitor.tap(id=key) for _ in range(8)))
    assert {a.status_code for a in answers} == {200}
    assert await act_count(id=key) == 1
    assert await act_count() == 2


async def test_a_key_of_another_account_is_refused_and_reveals_nothing(client, app):
    owner, other = Visitor(client), Visitor.new(app)
    key = str(uuid.uuid4())
    await owner.tap(id=key, note="private words")
    answer = await other.tap(id=key)
    assert answer.status_code == 409
    assert "already in use" in answer.text and "private words" not in answer.text
    plain = await other.tap(htmx=False, id=key)
    assert plain.status_code == 409 and "private words" not in plain.text
    act = await Act.get(id=key)
    assert act.note == "private words"
    assert await act_count() == 1


async def test_200_concurrent_taps_from_20_accounts(client, app):
    visitors = [Visitor(client)] + [Visitor.new(app) for _ in range(19)]
    for visitor in visitors:
        await visitor.open_home()
    # Each visitor's first tap creates their account and cookie, as in a browser.
    first = await asyncio.gather(*(v.tap() for v in visitors))
    assert {r.status_code for r in first} == {200}
    keys = {v: [str(uuid.uuid4()) for _ in range(9)] for v in visitors}
    rest = await asyncio.gather(*(v.tap(id=k) for v in visitors for k in keys[v]))
    assert {r.status_code for r in rest} == {200}
    assert await act_count() == 200
    assert await Account.all().count() == 20
    for visitor in visitors:
        export = (await visitor.client.get("/account/export.json")).json()
        assert len(export["acts"]) == 10
        assert set(keys[visitor]) < {a["id"] for a in export["acts"]}


async def test_late_evening_in_los_angeles_lands_on_that_local_date(client):
    zone = ZoneInfo("America/Los_Angeles")
    yesterday = datetime.now(zone).date() - timedelta(days=1)
    evening = datetime.combine(yesterday, time(23, 30), tzinfo=zone)
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    answer = await visitor.tap(
        id=key,
        timezone="America/Los_Angeles",
        occurred_at=evening.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    )
    assert answer.status_code == 200
    act = (await visitor.client.get("/account/export.json")).json()["acts"][0]
    assert act["local_date"] == yesterday.isoformat()
    assert act["timezone"] == "America/Los_Angeles"
    assert act["occurred_at"] == evening.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": "bribery"}, "Please choose one of the listed kinds of kindness."),
        ({"mood_before": "9"}, "Choose how you felt before on the scale from 1 to 5."),
        ({"note": "x" * 501}, "Please keep the note to 500 characters"),
        ({"id": "not-a-uuid"}, "is not a valid UUID"),
        ({"timezone": "Atlantis/Capital"}, "is not a time zone we know"),
        # Listed by the zone database, but the server's own zone, not a place.
        ({"timezone": "localtime"}, "is not a time zone we know"),
        ({"occurred_at": "last tuesday"}, "was not understood"),
    ],
)
async def test_bad_input_is_refused_in_plain_words_and_nothing_is_stored(client, fields, message):
    visitor = Visitor(client)
    for htmx in (True, False):
        answer = await visitor.tap(htmx=htmx, **fields)
        assert answer.status_code == 400
        assert message in soup(answer).select_one("main").get_text()
    assert await act_count() == 0 and await held_count() == 0


@pytest.mark.parametrize(
    ("offset", "reason"), [(timedelta(minutes=10), "future"), (-timedelta(days=31), "30 days")]
)
async def test_out_of_bounds_time_is_refused_but_kept_for_review(client, offset, reason):
    visitor = Visitor(client)
    key = str(uuid.uuid4())
    moment = (datetime.now(UTC) + offset).isoformat()
    first = await visitor.tap(id=key, occurred_at=moment, category="listening")
    again = await visitor.tap(id=key, occurred_at=moment, category="listening")
    assert first.status_code == again.status_code == 422
    assert first.text == again.text
    assert reason in first.text and "kept this act aside" in first.text
    assert await act_count() == 0 and await held_count(id=key) == 1

    history = soup(await visitor.client.get("/acts"))
    held = history.select_one(".held-item")
    assert reason in held.get_text()
    buttons = [b.get_text(strip=True) for b in held.select("button")]
    assert buttons == ["Add it for today", "Let it go"]
    accepted = await visitor.post(f"/acts/held/{key}/accept")
    assert accepted.status_code == 303
    act = await Act.get(id=key)
    assert act.category == "listening" and act.local_date == datetime.now(UTC).date()
    assert await held_count() == 0
    # A late retry of the same tap is now simply that act.
    assert (await visitor.tap(id=key, occurred_at=moment)).status_code == 200
    assert await act_count() == 1


async def test_letting_a_held_tap_go_removes_only_it(client, app):
    visitor, stranger = Visitor(client), Visitor.new(app)
    key = str(uuid.uuid4())
    await visitor.tap(id=key, occurred_at=(datetime.now(UTC) + timedelta(hours=2)).isoformat())
    await stranger.tap()
    assert (await stranger.post(f"/acts/held/{key}/release")).status_code == 404
    assert (await stranger.post(f"/acts/held/{key}/accept")).status_code == 404
    assert await HeldAct.filter(id=key).count() == 1
    released = await visitor.post(f"/acts/held/{key}/release")
    assert released.status_code == 303
    assert "Let go" in (await visitor.client.get(released.headers["location"])).text
    assert await held_count() == 0 and await act_count(id=key) == 0


async def test_undo_removes_the_act_with_and_without_htmx(client):
    visitor = Visitor(client)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await visitor.tap(id=first)
    tapped = soup(await visitor.tap(id=second))
    undo = tapped.select_one("form.undo-form")
    assert undo["action"] == f"/acts/{second}/delete" and undo.has_attr("data-undo")
    swapped = await visitor.post(undo["action"], {"next": "/"}, htmx=True)
    assert swapped.status_code == 200
    assert "Removed. No harm done." in swapped.text
    assert "1 act of kindness today" in swapped.text
    plain = await visitor.post(f"/acts/{first}/delete", {"next": "/"})
    assert plain.status_code == 303 and plain.headers["location"] == "/?undone=1#log"
    page = soup(await visitor.client.get(plain.headers["location"]))
    assert page.select_one(".tap-confirmation").get_text(strip=True) == "Removed. No harm done."
    assert "Nothing logged yet today" in page.select_one("[data-tap-count]").get_text()
    assert await act_count() == 0
    assert (await visitor.post(f"/acts/{first}/delete", {"next": "/"})).status_code == 404


async def test_csrf_token_endpoint_gives_a_working_token(client):
    token = (await client.get("/acts/token")).json()["csrf"]
    answer = await client.post(
        "/acts", data={"id": str(uuid.uuid4())}, headers={"x-csrftoken": token}
    )
    assert answer.status_code == 200  # the redirect to Today, followed
    assert await act_count() == 1
    refused = await client.post("/acts", data={"id": str(uuid.uuid4())})
    assert refused.status_code == 403 and await act_count() == 1


async def test_the_outbox_can_tell_a_last_word_from_a_refusal(client, app, settings):
    """The outbox (web/static/outbox.js) sends `accept: application/json` with hx-request:
    a tap still gets the tap area's HTML, a refusal its reason in JSON, and only the route's
    own 409/422 carry Lifted-Outcome, which lets the tap leave the phone."""
    visitor = Visitor(client)
    await visitor.open_home()

    async def send(**fields):
        fields.setdefault("id", str(uuid.uuid4()))
        headers = {"x-csrftoken": visitor.token, "hx-request": "true", "accept": "application/json"}
        return await client.post("/acts", data=fields, headers=headers, follow_redirects=False)

    stored = await send()
    assert stored.status_code == 200 and "lifted-outcome" not in stored.headers
    assert soup(stored).select_one("[data-tap-count]").get_text(strip=True) == (
        "1 act of kindness today"
    )

    bad = await send(occurred_at="last tuesday")
    assert bad.status_code == 400 and "lifted-outcome" not in bad.headers
    assert "was not understood" in bad.json()["error"]

    too_big = await send(note="x" * (settings.max_body_bytes + 1))
    assert too_big.status_code == 413 and "lifted-outcome" not in too_big.headers
    assert too_big.json()["error"] == "Please send something shorter."

    held = await send(occurred_at=(datetime.now(UTC) + timedelta(hours=1)).isoformat())
    assert held.status_code == 422 and held.headers["lifted-outcome"] == "held"
    assert "kept this act aside" in held.text

    stranger = Visitor.new(app)
    key = str(uuid.uuid4())
    await stranger.tap(id=key)
    taken = await send(id=key)
    assert taken.status_code == 409 and taken.headers["lifted-outcome"] == "taken"
    assert await act_count() == 2 and await held_count() == 1
