"""Rate limits that hold when attempts arrive together: counting and checking are one step on
SQLite, PostgreSQL and Redis, and within one process or across several."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from server import ratelimit
from server.accounts import credentials
from tests.integration.app_client import AppClient
from tests.integration.conftest import clear_tables
from tests.integration.support import (
    BASE_URL,
    CountingHasher,
    assert_refused,
    browser_at,
    claim,
    csrf_token,
    limited_app,
    new_device,
    sign_in,
)

ROOT = Path(__file__).resolve().parents[2]
USER_LIMIT = ratelimit.LIMITS["sign-in"]["user"][0]
ADDRESS_LIMIT = ratelimit.LIMITS["sign-in"]["address"][0]
TOGETHER = 30


@pytest.fixture(params=["database", "redis"])
def backend(request) -> str:
    return request.param


async def test_attempts_arriving_together_check_the_passphrase_at_most_the_limit(
    database_url, data_dir, backend
):
    app = limited_app(database_url, data_dir, backend)
    async with AppClient(app, base_url=BASE_URL) as client:
        await clear_tables()
        await claim(client, "robin")
        new_device(client)
        token = await csrf_token(client)  # one CSRF cookie, shared by every attempt below
        hasher = CountingHasher()
        credentials.use_hasher(hasher)
        form = {"username": "robin", "passphrase": "wrong guess!!", "_csrf_token": token}
        answers = await asyncio.gather(
            *(
                client.post("/account/sign-in", data=form, follow_redirects=False)
                for _ in range(TOGETHER)
            )
        )
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {422: USER_LIMIT, 429: TOGETHER - USER_LIMIT}, statuses
    assert hasher.verified == USER_LIMIT
    assert_refused(next(a for a in answers if a.status_code == 429))


def test_processes_hitting_one_key_together_let_through_only_the_limit(database_url, tmp_path):
    """Several processes on one database (on SQLite: the app and ``reminders tick``)."""
    processes = 3
    key, limit, attempts = f"test:{uuid.uuid4()}", 12, 10
    start_at = f"{time.time() + 3:.3f}"  # far enough ahead for every interpreter to start
    command = [sys.executable, "-m", "tests.integration.ratelimit_worker"]
    command += [database_url, key, str(limit), str(attempts), start_at]
    env = {**os.environ, "LIFTED_DATA_DIR": str(tmp_path)}
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0] * processes, outputs
    allowed = [int(out.split()[-1]) for out in outputs]
    assert sum(allowed) == limit, allowed


async def test_addresses_in_one_ipv6_64_share_a_count(app):
    neighbour = browser_at(app, "2001:db8:1:2:ffff:abcd:1:9")
    elsewhere = browser_at(app, "2001:db8:1:3::1")
    async with AppClient(app, base_url=BASE_URL, address="2001:db8:1:2::1") as first:
        await clear_tables()
        for number in range(ADDRESS_LIMIT):
            assert (await sign_in(first, f"user{number}", "wrong guess!!")).status_code == 422
        assert_refused(await sign_in(first, "new-name", "wrong guess!!"))
        # Another address in the same /64 is the same household or host: it waits too.
        assert_refused(await sign_in(neighbour, "new-name", "wrong guess!!"))
        # The next /64 is someone else.
        assert (await sign_in(elsewhere, "new-name", "wrong guess!!")).status_code == 422


async def test_ipv4_addresses_are_counted_one_by_one(app):
    async with AppClient(app, base_url=BASE_URL, address="203.0.113.7") as first:
        await clear_tables()
        for number in range(ADDRESS_LIMIT):
            assert (await sign_in(first, f"user{number}", "wrong guess!!")).status_code == 422
        assert_refused(await sign_in(first, "new-name", "wrong guess!!"))
        # The same address written as IPv4-mapped IPv6 (a dual-stack socket) is the same client.
        assert_refused(await sign_in(browser_at(app, "::ffff:203.0.113.7"), "x", "wrong guess!!"))
        next_door = browser_at(app, "203.0.113.8")
        assert (await sign_in(next_door, "new-name", "wrong guess!!")).status_code == 422
