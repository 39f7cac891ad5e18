"""Your data: each account sees only its own, import is idempotent, delete leaves nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from tortoise import Tortoise

from server import ratelimit
from server.accounts import importer
from server.accounts.data import account_relations
from server.acts import deleted
from server.acts.models import Act, ActDay, HeldAct
from server.articles.models import ArticleRead
from server.identity.models import Account, ApiToken, Session
from server.kindness.models import KindnessDays
from server.ratelimit.models import RateLimitHit
from server.reminders.models import PushSubscription, ReminderOccurrence, ReminderSettings
from server.rest.models import Rest
from server.sharing.models import ShareLink
from tests.integration.support import (
    PASSPHRASE,
    browser_at,
    claim,
    counts_under,
    iso,
    new_device,
    post_form,
    session_cookie,
    set_cookie,
    sign_in,
    soup,
    tap,
    upload,
)


def report(response) -> str:
    return soup(response).select_one("#import-report").get_text(" ", strip=True)


async def test_each_account_sees_only_its_own_acts_in_pages_and_exports(client):
    mine = await tap(client, note="Mine")
    await claim(client, "robin")
    robin = list(client.cookies.jar)
    new_device(client)
    theirs = await tap(client, note="Theirs")
    for own, other in ((theirs, mine), (mine, theirs)):
        history = await client.get("/acts")
        exported = await client.get("/account/export.json")
        csv = await client.get("/account/export.csv")
        assert own in history.text and other not in history.text
        assert [a["id"] for a in exported.json()["acts"]] == [own]
        assert own in csv.text and other not in csv.text
        client.cookies.clear()
        for cookie in robin:
            client.cookies.jar.set_cookie(cookie)


async def test_account_page_links_export_import_tokens_and_privacy(client):
    await tap(client)
    html = soup(await client.get("/account"))
    hrefs = {a["href"] for a in html.select("main a")}
    assert {"/account/export.json", "/account/export.csv", "/account/tokens", "/privacy"} <= hrefs
    assert {"/account/claim", "/account/delete"} <= hrefs
    form = html.select_one('form[action="/account/import"]')
    assert form["enctype"] == "multipart/form-data" and form.select_one("input[type=file]")
    settings = soup(await client.get("/settings"))
    links = {a.get_text(" ", strip=True): a["href"] for a in settings.select("main a")}
    assert any(k.startswith("Your account") and v == "/account" for k, v in links.items())
    assert any(k.startswith("Privacy") and v == "/privacy" for k, v in links.items())


async def test_privacy_page_says_what_is_kept_and_who_receives_it(client):
    html = soup(await client.get("/privacy"))
    assert html.select_one("h1").get_text() == "Privacy"
    text = html.select_one("main").get_text(" ", strip=True)
    words_kept = ("Argon2id", "400 days", "15 minutes", "lifted_device", "IPv6")
    for words in (*words_kept, "push service", "encrypted", "Nobody"):
        assert words in text, words


def some_acts(now: datetime) -> list[dict]:
    return [
        {"id": str(uuid.uuid4()), "occurred_at": iso(now - timedelta(days=400)), "timezone": "UTC"},
        {"id": str(uuid.uuid4()), "occurred_at": iso(now - timedelta(days=2)), "note": "Hi"},
        {
            "id": str(uuid.uuid4()),
            "occurred_at": iso(now - timedelta(hours=1)),
            "timezone": "Asia/Tokyo",
            "mood_before": 2,
            "mood_after": 4,
        },
    ]


async def test_import_is_idempotent_and_reports_what_it_did(client):
    now = datetime.now(UTC)
    acts = some_acts(now)
    first = await upload(client, {"acts": acts})
    assert first.status_code == 200
    assert report(first) == "Imported 3 acts, 0 were already here."
    assert await Act.all().count() == 3
    assert sum(day.count for day in await ActDay.all()) == 3  # the triggers counted each
    old = await Act.get(id=acts[0]["id"])
    assert old.local_date == (now - timedelta(days=400)).date()
    again = await upload(client, {"acts": acts})
    assert report(again) == "Imported 0 acts, 3 were already here."
    assert await Act.all().count() == 3


async def test_a_bad_act_anywhere_means_nothing_is_stored_and_each_is_named(client):
    now = datetime.now(UTC)
    bad_mood = {"id": str(uuid.uuid4()), "occurred_at": iso(now), "mood_after": 9}
    future = {"id": str(uuid.uuid4()), "occurred_at": iso(now + timedelta(days=3))}
    digits = {"id": str(uuid.uuid4()), "occurred_at": iso(now), "mood_before": "²"}
    acts = [*some_acts(now), bad_mood, "not an act", future, digits]
    response = await upload(client, {"acts": acts})
    assert response.status_code == 422
    assert report(response).startswith("Nothing was imported: 4 acts could not be used.")
    problems = [li.get_text() for li in soup(response).select("#import-report li")]
    assert problems[0].startswith(f"Act 4 ({bad_mood['occurred_at']}):")
    assert "scale from 1 to 5" in problems[0]
    assert problems[1] == "Act 5: it is not an act."
    assert problems[2] == f"Act 6 ({future['occurred_at']}): its time is in the future."
    assert problems[3].startswith("Act 7 (") and "scale from 1 to 5" in problems[3]
    assert await Act.all().count() == 0 and await HeldAct.all().count() == 0


async def test_an_act_refused_while_storing_rolls_the_whole_file_back(client):
    """The last act's id is someone else's: the acts stored before it go too, and so do the
    per-day counts the database triggers made for them in the same transaction."""
    now = datetime.now(UTC)
    theirs = await tap(client)
    new_device(client)
    await tap(client)  # this reader has one act of their own already
    taken = {"id": theirs, "occurred_at": iso(now - timedelta(days=1))}
    response = await upload(client, {"acts": [*some_acts(now), taken]})
    assert response.status_code == 422
    problems = [li.get_text() for li in soup(response).select("#import-report li")]
    assert problems == [
        f"Act 4 ({taken['occurred_at']}): its id belongs to an act in another account."
    ]
    assert await Act.all().count() == 2
    assert sum(day.count for day in await ActDay.all()) == 2


async def test_imports_are_capped_and_the_page_says_so(client, monkeypatch):
    page = soup(await client.get("/account"))
    assert "10,000 acts" in page.select_one("#f-export-hint").get_text()
    monkeypatch.setattr(importer, "MAX_ACTS", 3)
    response = await upload(client, {"acts": some_acts(datetime.now(UTC)) * 2})
    assert response.status_code == 422
    error = soup(response).select_one("#import-error").get_text()
    assert "holds 6 acts; one import takes at most 3" in error
    assert await Act.all().count() == 0


async def test_export_then_delete_then_import_restores_every_act(client):
    ids = [await tap(client, note=f"Act {n}", category="") for n in range(3)]
    await Act.filter(id=ids[1]).update(private=True)  # kept private, and kept so by the import
    exported = (await client.get("/account/export.json")).content
    await post_form(client, "/account/delete", {"confirm": "DELETE"})
    assert await Act.all().count() == 0
    response = await upload(client, exported)
    assert report(response) == "Imported 3 acts, 0 were already here."
    stored = {str(i) for i in await Act.all().values_list("id", flat=True)}
    assert stored == set(ids)
    assert [str(i) for i in await Act.filter(private=True).values_list("id", flat=True)] == [ids[1]]


async def test_import_refuses_files_that_are_not_exports(client):
    for document, words in (
        (b"\x89PNG not json", "isn't one Lifted can read back"),
        ({"something": []}, "no list of acts"),
        (b"", "choose the file you downloaded from Lifted"),
    ):
        response = await upload(client, document)
        assert response.status_code == 422
        assert words in soup(response).select_one("#import-error").get_text()


async def test_delete_asks_for_confirmation(client):
    await tap(client)
    page = soup(await client.get("/account/delete"))
    assert page.select_one("label[for=f-confirm]").get_text() == "Type DELETE to confirm"
    response = await post_form(client, "/account/delete", {"confirm": "yes"})
    assert response.status_code == 422
    assert "type DELETE" in soup(response).select_one("[role=alert]").get_text()
    assert await Act.all().count() == 1


async def _fill_every_table(account: Account) -> None:
    act = await Act.create(
        id=uuid.uuid4(),
        account=account,
        occurred_at=datetime.now(UTC),
        timezone="UTC",
        local_date=date.today(),
    )
    await HeldAct.create(
        id=uuid.uuid4(), account=account, occurred_at=act.occurred_at, timezone="UTC", reason="x"
    )
    # An act deleted moments ago, still waiting for its Undo.
    deleting = await Act.create(
        id=uuid.uuid4(), account=account, occurred_at=act.occurred_at, timezone="UTC",
        local_date=act.local_date, note="gone soon",
    )  # fmt: skip
    await deleted.delete_act(account, deleting.id)
    await ArticleRead.create(account=account, slug="altruism-as-therapy")
    await ReminderSettings.create(account=account, enabled=True)
    await PushSubscription.create(
        account=account, endpoint=f"https://push.test/{account.id}", p256dh="k", auth="a"
    )
    await ReminderOccurrence.create(
        account=account, local_date=date.today(), due_at=act.occurred_at
    )
    await ApiToken.create(account=account, name="t", token_hash=uuid.uuid4().hex)
    await Rest.create(account=account, starts_on=date.today())
    await KindnessDays.create(account=account, days=1, aim=3)
    await ShareLink.create(account=account, name="Sam", token_hash=uuid.uuid4().hex)


async def test_deleting_an_account_leaves_no_row_behind_in_any_table(client):
    await claim(client, "robin")
    robin = await Account.get(username="robin")
    await _fill_every_table(robin)
    # Rate-limit rows naming robin: one under the username, one under this known device.
    await sign_in(browser_at(client.app, "testclient"), "robin", "a wrong passphrase")
    await sign_in(client, "robin", "a wrong passphrase")
    await sign_in(client, "robin", PASSPHRASE)
    # Someone else whose data must survive.
    survivor_cookies = new_device(client)
    await claim(client, "alex")
    alex = await Account.get(username="alex")
    await _fill_every_table(alex)
    client.cookies.clear()
    for cookie in survivor_cookies:
        client.cookies.jar.set_cookie(cookie)
    keys = ratelimit.account_keys(robin)
    assert await RateLimitHit.filter(key__in=keys).exists()
    assert await counts_under(keys) > await RateLimitHit.filter(key__in=keys).count()

    response = await post_form(client, "/account/delete", {"confirm": "delete"})
    assert response.status_code == 303
    assert "Max-Age=0" in session_cookie(response)
    assert "Max-Age=0" in set_cookie(response, "lifted_device")
    done = await client.get(response.headers["location"])
    assert soup(done).select_one("h1").get_text() == "Your account is deleted"

    relations = {model: column for model, column in account_relations()}
    for model in Tortoise.apps["lifted"].values():
        if model is Account:
            assert not await Account.filter(id=robin.id).exists()
            assert await Account.filter(id=alex.id).exists()
        elif model is RateLimitHit:
            assert await counts_under(keys) == 0
        else:
            assert model in relations, f"{model.__name__} has no account column to check"
            column = relations[model]
            left = await model.filter(**{column: robin.id}).count()
            assert left == 0, f"{model.__name__} kept {left} row(s)"
            assert await model.filter(**{column: alex.id}).exists(), model.__name__
    assert await Session.filter(account_id=robin.id).count() == 0
    assert "Signed in as" not in (await client.get("/account")).text
    # The username is free again.
    new_device(client)
    await claim(client, "robin")
