"""Rate limits on sign-in, claim and recovery: 429 with Retry-After, shared by every process,
in the database or in Redis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server import ratelimit
from server.ratelimit.models import RateLimitHit
from tests.integration.app_client import AppClient
from tests.integration.conftest import clear_tables
from tests.integration.support import (
    PASSPHRASE,
    REDIS_URL,
    assert_refused,
    claim,
    limited_app,
    new_device,
    post_form,
    sign_in,
)

USER_LIMIT = ratelimit.LIMITS["sign-in"]["user"][0]
ADDRESS_LIMIT = ratelimit.LIMITS["sign-in"]["address"][0]


@pytest.fixture(params=["database", "redis"])
def backend(request) -> str:
    return request.param


async def test_sign_in_is_limited_per_username(database_url, data_dir, backend):
    app = limited_app(database_url, data_dir, backend)
    async with AppClient(app, base_url="http://127.0.0.1:8000") as client:
        await clear_tables()
        await claim(client, "robin")
        new_device(client)
        for _ in range(USER_LIMIT):
            assert (await sign_in(client, "robin", "wrong guess!!")).status_code == 422
        # Even the right passphrase waits now: the limit is on attempts, not on failures.
        assert_refused(await sign_in(client, "robin"))
        # Another username from the same address still gets its own tries.
        assert (await sign_in(client, "someone-else", "wrong guess!!")).status_code == 422
        stored = await RateLimitHit.all().count()
    # The attempts were counted where every process sees them.
    assert stored > USER_LIMIT if backend == "database" else stored == 0


async def test_sign_in_is_limited_per_address(database_url, data_dir, backend):
    app = limited_app(database_url, data_dir, backend)
    async with AppClient(app, base_url="http://127.0.0.1:8000") as client:
        await clear_tables()
        for number in range(ADDRESS_LIMIT):
            response = await sign_in(client, f"user{number}", "wrong guess!!")
            assert response.status_code == 422
        assert_refused(await sign_in(client, "new-name", "wrong guess!!"))


async def test_recovery_and_claim_are_limited(database_url, data_dir, backend):
    app = limited_app(database_url, data_dir, backend)
    async with AppClient(app, base_url="http://127.0.0.1:8000") as client:
        await clear_tables()
        await claim(client, "robin")
        new_device(client)
        guess = {"username": "robin", "recovery_code": "AAAAA-AAAAA-AAAAA-AAAAA"}
        for _ in range(ratelimit.LIMITS["recover"]["user"][0]):
            guess["passphrase"] = "a new passphrase"
            assert (await post_form(client, "/account/recover", guess)).status_code == 422
        assert_refused(await post_form(client, "/account/recover", guess))
        new_device(client)
        await client.get("/")  # an anonymous account to claim
        await post_form(client, "/acts", {"id": str(uuid.uuid4()), "timezone": "UTC"})
        bad = {"username": "x", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE}
        for _ in range(ratelimit.LIMITS["claim"]["account"][0]):
            assert (await post_form(client, "/account/claim", bad)).status_code == 422
        assert_refused(await post_form(client, "/account/claim", bad))


async def test_limits_are_shared_between_processes(database_url, data_dir, backend):
    """Attempts counted by one app instance count in another (another process or host)."""
    prefix = f"test-{uuid.uuid4()}:"
    first = limited_app(database_url, data_dir, backend)
    second = limited_app(database_url, data_dir, backend)
    if backend == "redis":
        first.state.rate_limiter.prefix = second.state.rate_limiter.prefix = prefix
    async with AppClient(first, base_url="http://127.0.0.1:8000") as client:
        await clear_tables()
        for _ in range(USER_LIMIT):
            await sign_in(client, "robin", "wrong guess!!")
    async with AppClient(second, base_url="http://127.0.0.1:8000") as client:
        assert_refused(await sign_in(client, "robin", "wrong guess!!"))


async def test_database_backend_frees_the_key_after_the_window(client):
    backend = ratelimit.DatabaseBackend()
    assert (await backend.hit("k", 2, 1)).allowed
    assert (await backend.hit("k", 2, 1)).allowed
    refused = await backend.hit("k", 2, 1)
    assert not refused.allowed and refused.retry_after == 1
    # Two seconds later, both attempts have left the one-second window.
    await RateLimitHit.filter(key="k").update(at=datetime.now(UTC) - timedelta(seconds=2))
    assert (await backend.hit("k", 2, 1)).allowed


async def test_redis_backend_counts_in_a_sliding_window():
    backend = ratelimit.RedisBackend(REDIS_URL, prefix=f"test-{uuid.uuid4()}:")
    try:
        assert (await backend.hit("k", 2, 60)).allowed
        assert (await backend.hit("k", 2, 60)).allowed
        refused = await backend.hit("k", 2, 60)
        assert not refused.allowed and 0 < refused.retry_after <= 60
        await backend.forget(["k"])
        assert (await backend.hit("k", 2, 60)).allowed
    finally:
        await backend.forget(["k"])
        await backend.close()


@pytest.mark.parametrize("kind", ["database", "redis"])
async def test_forgetting_a_key_forgets_the_keys_under_it(client, kind):
    """Deleting an account forgets its known devices' counts, which sit under its keys."""
    prefix = f"test-{uuid.uuid4()}:"
    if kind == "redis":
        backend = ratelimit.RedisBackend(REDIS_URL, prefix=prefix)
    else:
        backend = ratelimit.DatabaseBackend()
    names = ["acct", "acct:device-1", "acct:device-2", "acct-other", "other"]
    try:
        for name in names:
            assert (await backend.hit(name, 1, 60)).allowed
        await backend.forget(["acct"])
        for name in names[:3]:
            assert (await backend.hit(name, 1, 60)).allowed, name  # counted afresh
        for name in names[3:]:
            assert not (await backend.hit(name, 1, 60)).allowed, name  # untouched
    finally:
        await backend.forget(names)
        await backend.close()
