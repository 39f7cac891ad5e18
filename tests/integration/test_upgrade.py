"""Upgrades keep data: a database from the previous release, holding readers, acts, reminders,
tokens and devices, is migrated to this release on SQLite and PostgreSQL, and each reader finds
everything where they left it (signed in, with working tokens and reminders).

When a release adds migrations, move PREVIOUS_RELEASE to the last migration of the release
before it, and extend ``_fill`` with what that release stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from tortoise.migrations.api import migrate

from server import db
from server.app import create_app
from server.identity.sessions import COOKIE
from server.reminders.models import ReminderOccurrence
from tests.conftest import fresh_postgres_database
from tests.integration.app_client import AppClient
from tests.integration.conftest import make_settings
from tests.integration.support import post_form, soup

PREVIOUS_RELEASE = "lifted.0004_act_weeks"
NOW = datetime.now(UTC).replace(microsecond=0)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _fill() -> dict:
    """Rows as the previous release wrote them, in its own columns (raw SQL: today's models
    may name columns that release didn't have)."""
    reader, session, token = uuid.uuid4(), secrets.token_urlsafe(32), "lft_" + secrets.token_hex(16)
    await db.fetch(
        "INSERT INTO accounts (id, username, passphrase_hash, recovery_hash, timezone, "
        "created_at, claimed_at) VALUES (?::uuid, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz)",
        reader, "robin", "$argon2id$x", "$argon2id$y", "Europe/Paris", NOW, NOW,
    )  # fmt: skip
    await db.fetch(
        "INSERT INTO sessions (id, account_id, created_at, last_seen_at) "
        "VALUES (?, ?::uuid, ?::timestamptz, ?::timestamptz)",
        _sha(session), reader, NOW, NOW,
    )  # fmt: skip
    await db.fetch(
        "INSERT INTO api_tokens (account_id, name, token_hash, created_at) "
        "VALUES (?::uuid, ?, ?, ?::timestamptz)",
        reader, "shortcut", _sha(token), NOW,
    )  # fmt: skip
    acts = []
    for n in range(5):
        act, when = uuid.uuid4(), NOW - timedelta(days=n)
        acts.append(str(act))
        await db.fetch(
            "INSERT INTO acts (id, account_id, occurred_at, timezone, local_date, category, "
            "note, mood_before, mood_after, created_at, updated_at) VALUES (?::uuid, ?::uuid, "
            "?::timestamptz, ?, ?::date, ?, ?, ?::smallint, ?::smallint, ?::timestamptz, "
            "?::timestamptz)",
            act, reader, when, "Europe/Paris", when.date(), "listening", f"note {n}", 2, 4,
            when, when,
        )  # fmt: skip
    await db.fetch(
        "INSERT INTO reminder_settings (account_id, enabled, time_of_day, days, timezone, "
        "skip_if_logged, calendar_token, next_due_at, updated_at) VALUES (?::uuid, ?, ?, "
        "?::smallint, ?, ?, ?, ?::timestamptz, ?::timestamptz)",
        reader, True, "19:30", 127, "Europe/Paris", True, "cal-" + secrets.token_hex(8),
        NOW + timedelta(hours=3), NOW,
    )  # fmt: skip
    await db.fetch(
        "INSERT INTO push_subscriptions (account_id, endpoint, p256dh, auth, label, "
        "created_at, failures) VALUES (?::uuid, ?, ?, ?, ?, ?::timestamptz, ?)",
        reader, "https://push.example.net/send/1", "BAAA", "AAAA", "Firefox on Android", NOW, 0,
    )  # fmt: skip
    await db.fetch(
        "INSERT INTO reminder_sends (account_id, local_date, due_at, status, detail, "
        "created_at) VALUES (?::uuid, ?::date, ?::timestamptz, ?, ?, ?::timestamptz)",
        reader, date(2026, 11, 30), NOW - timedelta(days=1), "sent", "", NOW,
    )  # fmt: skip
    return {"session": session, "token": token, "acts": acts}


async def _upgrade(url: str, data_dir) -> dict:
    await migrate(config=db.tortoise_config(url), target=PREVIOUS_RELEASE)
    await db.open_db(url)
    try:
        old = await _fill()
    finally:
        await db.close_db()
    await db.run_migrations(url)

    app = create_app(make_settings(url, data_dir))
    async with AppClient(app, base_url="http://127.0.0.1:8000") as client:
        client.cookies.set(COOKIE, old["session"])
        account = soup(await client.get("/account")).get_text(" ")
        history = await client.get("/acts")
        reminders = soup(await client.get("/settings/reminders"))
        bearer = {"Authorization": f"Bearer {old['token']}"}
        progress = (await client.get("/api/v1/progress", headers=bearer)).json()
        # An act stored before deleting could be undone is deleted and put back (0006).
        first, form = old["acts"][0], {"next": "/acts"}
        gone = await post_form(client, f"/acts/{first}/delete", form)
        during = (await client.get("/api/v1/progress", headers=bearer)).json()["all_time"]
        back = await post_form(client, f"/acts/{first}/restore", form)
        restored = soup(await client.get(f"/acts/{first}"))
        after = restored.select_one("textarea#note").get_text()
        # Not private (0013 adds acts.private and deleted_acts.private, false for every act).
        private = restored.select_one("#private").has_attr("checked")
        sent = await ReminderOccurrence.all().values_list("local_date", "kind", "status")
        # A break can be taken on an upgraded database (0009 adds rests, empty).
        rest = await post_form(client, "/settings/rest", {"length": "3"})
        resting = soup(await client.get("/")).select_one(".rest-card h2").get_text()
        # Kindness days can be chosen (0010 adds kindness_days, empty).
        chosen = await post_form(client, "/settings/kindness-days", {"days": ["5"], "aim": "3"})
        # Reminders are not limited to them (0011 adds kindness_only, false for every row).
        limited = soup(await client.get("/settings/reminders")).select_one("#kindness_only")
        # The day still ends at midnight (0012 adds accounts.day_ends_at, 0 for every reader).
        day = soup(await client.get("/settings/day")).select_one("input[checked]")["value"]
        # A supporter's link can be made (0014 adds share_links, empty).
        shared = await post_form(client, "/settings/sharing", {"name": "Sam", "expires": "7"})
    return {
        "undo": (gone.status_code, during, back.headers["location"].endswith(first), after),
        "break": (rest.status_code, resting),
        "private": private,
        "kindness days": (chosen.headers["location"], limited.has_attr("checked")),
        "day ends": day,
        "share link": (shared.status_code, "/s/" in shared.text),
        "signed in": "Signed in as robin" in account,
        "acts listed": all(f"/acts/{act}" in history.text for act in old["acts"]),
        "notes": [f"note {n}" in history.text for n in range(5)],
        "all time": progress["all_time"],
        "days": progress["days_all_time"],
        "reminder time": reminders.select_one("#time_of_day")["value"],
        # One time as before (0008 adds a second and third, empty), texts not discreet, and
        # the record of each reminder sent moved to reminder_occurrences whole.
        "more times": [i["value"] for i in reminders.select("input[name^=time_of_day_]")],
        "discreet": reminders.select_one("#discreet").has_attr("checked"),
        "sent before": sent,
        "devices": len(reminders.select(".device")),
        # A device from before is still receiving (0007 adds gone_at, empty for it).
        "gone devices": len(reminders.select(".device.is-gone")),
        "promise": reminders.select_one("#reach").get_text(" ", strip=True).split(", ", 1)[1],
    }


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_database_from_the_previous_release_keeps_everything(backend, tmp_path):
    from tests.conftest import run

    if backend == "sqlite":
        url, drop = f"sqlite://{tmp_path / 'old.sqlite3'}", lambda: None
    else:
        url, drop = fresh_postgres_database(migrate=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    try:
        found = run(_upgrade(url, data_dir))
    finally:
        drop()
    assert found == {
        "undo": (303, 4, True, "note 0"),
        "break": (303, "You're taking a break"),
        "private": False,
        "kindness days": ("/settings/kindness-days?saved=1", False),
        "day ends": "0",
        "share link": (200, True),
        "signed in": True,
        "acts listed": True,
        "notes": [True] * 5,
        "all time": 5,
        "days": 5,
        "reminder time": "19:30",
        "more times": [""],
        "discreet": False,
        "sent before": [(date(2026, 11, 30), "time", "sent")],
        "devices": 1,
        "gone devices": 0,
        "promise": "on 1 device, in your calendar and on Today.",
    }
