"""Rate limits for sign-in, claiming and recovery, shared by every app process.

Each attempt is counted against a few keys (the client address, the username or account) in a
sliding window. The counts live where every process sees them: in the database
(``RateLimitHit`` rows) or, when ``LIFTED_REDIS_URL`` is set, in Redis sorted sets. Both
backends answer the same question through one method, ``hit``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from litestar import Request

from server.ratelimit.models import RateLimitHit

# action -> {key kind -> (attempts, window in seconds)}. An address gets more room than a
# username because many people can share one address (a family, a library, a phone network).
LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "sign-in": {"address": (30, 900), "user": (10, 900)},
    "recover": {"address": (30, 900), "user": (10, 900)},
    "claim": {"address": (30, 900), "account": (10, 900)},
    # Each of these makes the server resolve names and send pushes on someone's behalf.
    "push-test": {"address": (20, 600), "account": (5, 600)},
    "push-subscribe": {"address": (60, 600), "account": (20, 600)},
}
LONGEST_WINDOW = max(w for kinds in LIMITS.values() for _, w in kinds.values())


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until the oldest counted attempt leaves the window


class Backend(Protocol):
    async def hit(self, key: str, limit: int, window: int) -> Decision: ...

    async def forget(self, keys: list[str]) -> None: ...

    async def close(self) -> None: ...


class DatabaseBackend:
    """Counts attempts as rows, so several processes or hosts on one database agree."""

    async def hit(self, key: str, limit: int, window: int) -> Decision:
        now = datetime.now(UTC)
        # Old rows are useless; dropping them on every attempt keeps the table tiny.
        await RateLimitHit.filter(at__lt=now - timedelta(seconds=LONGEST_WINDOW)).delete()
        since = now - timedelta(seconds=window)
        times = await (
            RateLimitHit.filter(key=key, at__gt=since).order_by("at").values_list("at", flat=True)
        )
        if len(times) >= limit:
            frees_at = times[len(times) - limit] + timedelta(seconds=window)
            return Decision(False, max(1, math.ceil((frees_at - now).total_seconds())))
        await RateLimitHit.create(key=key, at=now)
        return Decision(True)

    async def forget(self, keys: list[str]) -> None:
        await RateLimitHit.filter(key__in=keys).delete()

    async def close(self) -> None:
        return None


class RedisBackend:
    """A sorted set per key, scored by time; the set expires with its window."""

    def __init__(self, url: str, prefix: str = "lifted:rl:") -> None:
        from redis.asyncio import Redis

        self.redis = Redis.from_url(url)
        self.prefix = prefix

    async def hit(self, key: str, limit: int, window: int) -> Decision:
        name, now = self.prefix + key, time.time()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(name, 0, now - window)
            pipe.zrange(name, 0, -1, withscores=True)
            _, members = await pipe.execute()
        if len(members) >= limit:
            oldest = members[len(members) - limit][1]
            return Decision(False, max(1, math.ceil(oldest + window - now)))
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(name, {f"{now}:{secrets.token_hex(4)}": now})
            pipe.expire(name, window)
            await pipe.execute()
        return Decision(True)

    async def forget(self, keys: list[str]) -> None:
        if keys:
            await self.redis.delete(*(self.prefix + key for key in keys))

    async def close(self) -> None:
        await self.redis.aclose()


def backend_for(settings) -> Backend:
    return RedisBackend(settings.redis_url) if settings.redis_url else DatabaseBackend()


def key(action: str, kind: str, value: str) -> str:
    # Hashed so neither usernames nor addresses sit in the table or Redis in the clear.
    digest = hashlib.sha256(value.lower().encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"{action}:{kind}:{digest}"


def account_keys(account) -> list[str]:
    """Every key that names this account, so deleting an account leaves none behind."""
    keys = [key("claim", "account", str(account.id))]
    if account.username:
        keys += [key("sign-in", "user", account.username), key("recover", "user", account.username)]
    return keys


def client_address(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    """The client's address; X-Forwarded-For counts only when it came through our proxies."""
    peer = request.client.host if request.client else ""
    networks = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]
    if not _trusted(peer, networks):
        return peer or "unknown"
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    # Walk from the nearest hop outwards; the first address we don't run is the client.
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def _trusted(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


async def check(request: Request, action: str, **subjects: str) -> Decision:
    """Counts one attempt at ``action`` against the address and each subject (user=...)."""
    state = request.app.state
    if state.get("rate_limiter") is None:
        state.rate_limiter = backend_for(state.settings)
    address = client_address(request, state.settings.trusted_proxies)
    limits = LIMITS[action]
    refused = []
    for kind, value in {"address": address, **subjects}.items():
        limit, window = limits[kind]
        decision = await state.rate_limiter.hit(key(action, kind, value), limit, window)
        if not decision.allowed:
            refused.append(decision.retry_after)
    return Decision(False, max(refused)) if refused else Decision(True)


async def forget_account(request: Request, account) -> None:
    limiter = request.app.state.get("rate_limiter") or backend_for(request.app.state.settings)
    request.app.state.rate_limiter = limiter
    await limiter.forget(account_keys(account))


async def close(app) -> None:
    limiter = app.state.get("rate_limiter")
    if limiter is not None:
        await limiter.close()
        app.state.rate_limiter = None


def wait_sentence(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"That's a lot of tries in a short time. Please wait {minutes} {unit} and try again."
