"""Where attempts are counted: the database (``RateLimitHit`` rows) or Redis (sorted sets).

Both answer ``hit(key, limit, window)`` as one atomic step: count the attempts in the window
and, only when there is room, record this one. Two steps (count, then record) let attempts
arriving together all see the same count and all pass: 30 sign-ins at once once got 19
passphrase checks through a limit of 10.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tortoise.transactions import in_transaction

from server import db
from server.ratelimit.models import RateLimitHit

DAY = 24 * 3600


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until the oldest counted attempt leaves the window


class Backend(Protocol):
    async def hit(self, key: str, limit: int, window: int) -> Decision: ...

    async def forget(self, keys: list[str]) -> None:
        """Drops each key and every key under it (``key:...``)."""

    async def close(self) -> None: ...


def _refused(oldest_counted: float, window: int, now: float) -> Decision:
    return Decision(False, max(1, math.ceil(oldest_counted + window - now)))


def lock_id(name: str) -> int:
    """A signed 64-bit number for ``name``, as PostgreSQL's advisory locks take."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


PURGE_LOCK = lock_id("lifted:rate-limit-purge")


class DatabaseBackend:
    """Counts attempts as rows, so several processes or hosts on one database agree.

    Each attempt is one transaction that first takes a lock only one attempt on the key can
    hold: on PostgreSQL an advisory lock on the key's hash, on SQLite the database's single
    write lock (also across processes: the app and ``reminders tick``). Counting and inserting
    under it cannot interleave with another attempt.
    """

    PURGE_EVERY = 60.0  # seconds between sweeps of expired rows, per process

    def __init__(self, keep: int = DAY) -> None:
        self.keep = keep  # no limit looks further back than this
        self._purged_at = -math.inf

    async def hit(self, key: str, limit: int, window: int) -> Decision:
        await self._purge_now_and_then()
        async with in_transaction():
            await self._lock(key, window)
            now = datetime.now(UTC)  # read under the lock, so times only move forward
            times = await (
                RateLimitHit.filter(key=key, at__gt=now - timedelta(seconds=window))
                .order_by("at")
                .values_list("at", flat=True)
            )
            if len(times) >= limit:
                oldest = times[len(times) - limit].timestamp()
                return _refused(oldest, window, now.timestamp())
            await RateLimitHit.create(key=key, at=now)
        return Decision(True)

    async def _lock(self, key: str, window: int) -> None:
        if db.dialect() == "postgres":
            # Held until commit; attempts on other keys go on in parallel.
            await db.fetch("SELECT pg_advisory_xact_lock(?::bigint)", lock_id(key))
            return
        # Tortoise begins SQLite transactions with a deferred BEGIN. A write as the first
        # statement takes the write lock at once (waiting up to busy_timeout), which is what
        # BEGIN IMMEDIATE does: no other connection can write between our count and insert.
        # Dropping this key's expired attempts is that write.
        cutoff = datetime.now(UTC) - timedelta(seconds=window)
        await db.fetch("DELETE FROM rate_limit_hits WHERE key = ? AND at <= ?", key, cutoff)

    async def _purge_now_and_then(self) -> None:
        """Drops rows no limit can count any more, so the table stays small."""
        if time.monotonic() - self._purged_at < self.PURGE_EVERY:
            return
        self._purged_at = time.monotonic()
        cutoff = datetime.now(UTC) - timedelta(seconds=self.keep)
        async with in_transaction():
            if await _sweeping(wait=False):  # another process is sweeping: nothing to add
                await RateLimitHit.filter(at__lt=cutoff).delete()

    async def forget(self, keys: list[str]) -> None:
        async with in_transaction():  # inside a caller's transaction, held until it ends
            await _sweeping(wait=True)
            for key in keys:
                await RateLimitHit.filter(key=key).delete()
                await RateLimitHit.filter(key__startswith=f"{key}:").delete()

    async def close(self) -> None:
        return None


async def _sweeping(wait: bool) -> bool:
    """Takes the turn to delete rows of many keys; False when ``wait`` is off and it's taken.

    Two such deletes on PostgreSQL could lock the same rows in a different order and
    deadlock, so they take turns (attempts only insert, so they need no turn). SQLite
    writers always take turns.
    """
    if db.dialect() != "postgres":
        return True
    if wait:
        await db.fetch("SELECT pg_advisory_xact_lock(?::bigint)", PURGE_LOCK)
        return True
    rows = await db.fetch("SELECT pg_try_advisory_xact_lock(?::bigint) AS ok", PURGE_LOCK)
    return bool(rows[0]["ok"])


# Drop what has left the window, count, and add this attempt only if there is room, as one
# script: Redis runs a script with nothing else in between. Returns {1} or {0, oldest score}.
HIT_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return {0, oldest[2]}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], window)
return {1}
"""
GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


class RedisBackend:
    """A sorted set per key, scored by time; the set expires with its window."""

    def __init__(self, url: str, prefix: str = "lifted:rl:") -> None:
        from redis.asyncio import Redis

        self.redis = Redis.from_url(url)
        self.prefix = prefix
        self._hit = self.redis.register_script(HIT_SCRIPT)

    async def hit(self, key: str, limit: int, window: int) -> Decision:
        now = time.time()
        member = f"{now}:{secrets.token_hex(4)}"
        answer = await self._hit(keys=[self.prefix + key], args=[now, window, limit, member])
        if int(answer[0]) == 1:
            return Decision(True)
        return _refused(float(answer[1]), window, now)

    async def forget(self, keys: list[str]) -> None:
        names = [self.prefix + key for key in keys]
        for name in list(names):
            pattern = GLOB_SPECIAL.sub(r"\\\1", name) + ":*"
            names += [found async for found in self.redis.scan_iter(match=pattern)]
        if names:
            await self.redis.delete(*names)

    async def close(self) -> None:
        await self.redis.aclose()
