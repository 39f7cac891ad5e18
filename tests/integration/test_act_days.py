"""Acts per day (``act_days``, what Progress counts from) always equal a recount of the acts,
whichever way acts are added, moved or removed; and a database that already had acts gets
its counts when it is migrated."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.migrations.api import migrate

from server import db
from server.acts.models import Act, HeldAct
from server.identity.models import Account
from tests.conftest import fresh_postgres_database, run
from tests.integration.support import (
    Visitor,
    assert_days_match_acts,
    claim,
    iso,
    new_device,
    post_form,
    recount,
    sign_in,
    soup,
    stored_days,
    tap,
)
from tests.integration.test_accounts_api import bearer, make_token
from tests.integration.test_accounts_data import upload


async def progress_total(client) -> str:
    return soup(await client.get("/progress")).select_one("#count-all").get_text()


async def test_taps_retries_undo_and_delete_keep_the_counts(client):
    first = await tap(client)
    await tap(client, id=first)  # a retry: still one act
    second = await tap(client)
    third = await tap(client)
    days = await assert_days_match_acts()
    assert sum(days.values()) == 3 and await progress_total(client) == "3"
    # Undo right after a tap, then a delete from the act's own page.
    assert (await post_form(client, f"/acts/{second}/delete", {"next": "/"})).status_code == 303
    assert (await post_form(client, f"/acts/{third}/delete")).status_code == 303
    days = await assert_days_match_acts()
    assert sum(days.values()) == 1 and await progress_total(client) == "1"
    await post_form(client, f"/acts/{first}/delete")
    assert await assert_days_match_acts() == Counter()


async def test_a_tap_yesterday_counts_on_yesterday(client):
    yesterday = datetime.now(UTC) - timedelta(days=1)
    await tap(client, occurred_at=iso(yesterday))
    await tap(client)
    days = await assert_days_match_acts()
    assert sorted(day for _, day in days) == [yesterday.date(), datetime.now(UTC).date()]


async def test_each_answer_counts_today_with_the_new_tap(client):
    visitor = Visitor(client)

    def said(response) -> str:
        return soup(response).select_one("[data-tap-count]").get_text(strip=True)

    assert said(await visitor.tap(timezone="UTC")) == "1 act of kindness today"
    assert said(await visitor.tap(timezone="UTC")) == "2 acts of kindness today"
    # Logged late for yesterday: today's count stays as it was.
    late = iso(datetime.now(UTC) - timedelta(days=1))
    assert said(await visitor.tap(timezone="UTC", occurred_at=late)) == "2 acts of kindness today"
    key = str(uuid.uuid4())
    first, retry = [await visitor.tap(timezone="UTC", id=key) for _ in range(2)]
    assert said(first) == said(retry) == "3 acts of kindness today"
    await assert_days_match_acts()


async def test_api_create_edit_and_a_moved_day_keep_the_counts(client):
    token = await make_token(client)
    act_id = str(uuid.uuid4())
    body = {"id": act_id, "occurred_at": iso(datetime.now(UTC) - timedelta(hours=1))}
    for expected in (201, 200):
        answer = await client.post("/api/v1/acts", json=body, headers=bearer(token))
        assert answer.status_code == expected
    assert sum((await assert_days_match_acts()).values()) == 1
    saved = await post_form(client, f"/acts/{act_id}", {"category": "helping", "note": "Hi"})
    assert saved.status_code == 303
    await assert_days_match_acts()
    # Editing offers no date today; should an act ever move day, its count moves with it.
    earlier = datetime.now(UTC).date() - timedelta(days=3)
    await Act.filter(id=act_id).update(local_date=earlier)
    days = await assert_days_match_acts()
    assert [day for _, day in days] == [earlier]


async def test_a_held_tap_resent_in_bounds_stays_held_until_accepted(client):
    key = str(uuid.uuid4())
    future = datetime.now(UTC) + timedelta(hours=2)
    data = {"id": key, "timezone": "UTC", "occurred_at": iso(future)}
    assert (await post_form(client, "/acts", data)).status_code == 422
    # The outbox sends it again once its time is no longer in the future: still held.
    data["occurred_at"] = iso(datetime.now(UTC))
    again = await post_form(client, "/acts", data)
    assert again.status_code == 422 and "kept this act aside" in again.text
    assert await Act.filter(id=key).count() == 0 and await HeldAct.filter(id=key).count() == 1
    assert await assert_days_match_acts() == Counter()
    assert (await post_form(client, f"/acts/held/{key}/accept")).status_code == 303
    assert sum((await assert_days_match_acts()).values()) == 1
    assert await progress_total(client) == "1"


async def test_merging_an_anonymous_account_adds_its_days(client):
    await tap(client)
    await claim(client, "robin")
    new_device(client)
    await tap(client)  # the same day as robin's act
    await tap(client, occurred_at=iso(datetime.now(UTC) - timedelta(days=2)))
    assert (await sign_in(client, "robin")).status_code == 303
    days = await assert_days_match_acts()
    robin = await Account.get(username="robin")
    assert {account for account, _ in days} == {str(robin.id)}
    assert sorted(days.values()) == [1, 2]
    assert await progress_total(client) == "3"


async def test_import_and_account_deletion_keep_the_counts(client):
    for days_ago in (0, 0, 5):
        await tap(client, occurred_at=iso(datetime.now(UTC) - timedelta(days=days_ago)))
    exported = (await client.get("/account/export.json")).json()
    await upload(client, exported)  # everything is already here: nothing changes
    assert sum((await assert_days_match_acts()).values()) == 3
    new_device(client)
    await upload(client, exported)  # ids of another account: refused, nothing counted
    await tap(client)
    assert sum((await assert_days_match_acts()).values()) == 4
    await claim(client, "alex")
    response = await post_form(client, "/account/delete", {"confirm": "delete"})
    assert response.status_code == 303
    assert sum((await assert_days_match_acts()).values()) == 3
    # The first reader's acts go as well; the export then imports into a new account.
    await Act.all().delete()
    assert await assert_days_match_acts() == Counter()
    await upload(client, exported)
    assert sum((await assert_days_match_acts()).values()) == 3


async def test_bulk_inserts_are_counted_too(client):
    account = await Account.create()
    now = datetime.now(UTC)
    await Act.bulk_create(
        [
            Act(
                id=uuid.uuid4(),
                account=account,
                occurred_at=now,
                timezone="UTC",
                local_date=(now - timedelta(days=n % 4)).date(),
            )
            for n in range(10)
        ]
    )
    assert sorted((await assert_days_match_acts()).values()) == [2, 2, 3, 3]


async def _migrate_with_old_acts(url: str) -> tuple[Counter, Counter]:
    """Migrates to 0001 only, stores acts as the Lifted before act_days did, then migrates to
    the latest; returns (recount, stored counts)."""
    await migrate(config=db.tortoise_config(url), target="lifted.0001_initial")
    await db.open_db(url)
    try:
        # An account as 0001 stored it (raw: today's model has columns 0001 didn't).
        account = uuid.uuid4()
        await db.fetch(
            "INSERT INTO accounts (id, timezone, created_at) "
            "VALUES (?::uuid, 'UTC', ?::timestamptz)",
            account, datetime.now(UTC),
        )  # fmt: skip
        now = datetime.now(UTC)
        for n in range(7):
            day = (now - timedelta(days=n % 3)).date()
            await db.fetch(
                "INSERT INTO acts (id, account_id, occurred_at, timezone, local_date, created_at, "
                "updated_at) VALUES (?::uuid, ?::uuid, ?::timestamptz, 'UTC', ?::date, "
                "?::timestamptz, ?::timestamptz)",
                uuid.uuid4(), account, now, day, now, now,
            )  # fmt: skip
    finally:
        await db.close_db()
    await db.run_migrations(url)
    await db.open_db(url)
    try:
        return await recount(), await stored_days()
    finally:
        await db.close_db()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_migrating_a_database_with_acts_fills_in_their_days(backend, tmp_path):
    if backend == "sqlite":
        url, drop = f"sqlite://{tmp_path / 'old.sqlite3'}", lambda: None
    else:
        url, drop = fresh_postgres_database(migrate=False)
    try:
        counted, stored = run(_migrate_with_old_acts(url))
    finally:
        drop()
    assert sum(counted.values()) == 7
    assert stored == counted and sorted(stored.values()) == [2, 2, 3]
