"""Rate limits for signing in, recovering and claiming accounts, and for costly writes
(importing, creating tokens, starting anonymous accounts), shared by every app process.

Each attempt is counted against a few keys (the client's address, the username, the account,
a known device) in a sliding window. The counts live where every process sees them: in the
database or, when ``LIFTED_REDIS_URL`` is set, in Redis (``backends.py``). Counting and
checking are one atomic step there, so attempts arriving together cannot slip past a limit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math

from litestar import Request

# The backends are part of this package's interface (tests and tools build them directly).
from server.errors import TooMany
from server.ratelimit.backends import Backend as Backend
from server.ratelimit.backends import DatabaseBackend as DatabaseBackend
from server.ratelimit.backends import Decision as Decision
from server.ratelimit.backends import RedisBackend as RedisBackend

# action -> {key kind -> (attempts, window in seconds)}. The address is counted whenever an
# action names it. An address gets more room than a username because many people can share
# one (a family, a library, a phone network). A "device" is a browser that has signed in to
# the account before (server/identity/devices.py): it is counted on its own, so strangers
# failing against a username never lock its owner out.
LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "sign-in": {"address": (30, 900), "user": (10, 900), "device": (10, 900)},
    "recover": {"address": (30, 900), "user": (10, 900), "device": (10, 900)},
    "claim": {"address": (30, 900), "account": (10, 900)},
    # Reading a large export and writing its acts is the heaviest thing a page asks for.
    "import": {"address": (20, 3600), "account": (10, 3600)},
    # Reading out 10,000 acts costs the server a good part of a second; a reader downloads
    # their acts now and then, never dozens of times an hour.
    "export": {"address": (240, 3600), "account": (60, 3600)},
    "new-token": {"account": (20, 3600)},
    "new-share-link": {"account": (20, 3600)},
    # Generous: a school or a phone network puts many people behind one address.
    "new-account": {"address": (60, 3600)},
    # Each of these makes the server resolve names and send pushes on someone's behalf.
    "push-test": {"address": (20, 600), "account": (5, 600)},
    "push-subscribe": {"address": (60, 600), "account": (20, 600)},
}

Subject = str | tuple[str, ...] | None


def longest_window() -> int:
    return max(window for kinds in LIMITS.values() for _, window in kinds.values())


def backend_for(settings) -> Backend:
    if settings.redis_url:
        return RedisBackend(settings.redis_url)
    return DatabaseBackend(keep=longest_window())


def _limiter(app) -> Backend:
    """The app's backend, made on first use (and closed by ``close`` at shutdown)."""
    if app.state.get("rate_limiter") is None:
        app.state.rate_limiter = backend_for(app.state.settings)
    return app.state.rate_limiter


def key(action: str, kind: str, value: str | tuple[str, ...]) -> str:
    """The storage key for ``value``. Hashed, so neither usernames nor addresses sit in the
    table or Redis in the clear. A value in parts (account, device) becomes a key under its
    first part's key, so forgetting the account forgets each of its devices too."""
    parts = value if isinstance(value, tuple) else (value,)
    return ":".join([action, kind, *(_digest(part) for part in parts)])


def _digest(value: str) -> str:
    return hashlib.sha256(value.lower().encode("utf-8", "surrogatepass")).hexdigest()[:40]


def account_keys(account) -> list[str]:
    """Every key that names this account (its known devices sit under these), so deleting an
    account leaves none behind."""
    keys = []
    for action, kinds in LIMITS.items():
        for kind in ("account", "device"):
            if kind in kinds:
                keys.append(key(action, kind, str(account.id)))
        if "user" in kinds and account.username:
            keys.append(key(action, "user", account.username))
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


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address, with IPv4-mapped IPv6 (``::ffff:198.51.100.7``, as a dual-stack socket
    reports IPv4 clients) read as the IPv4 address it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _trusted(address: str, networks: list) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in net for net in networks)


def address_key(address: str) -> str:
    """Whom one client's attempts are counted as: an IPv4 address by itself, an IPv6 address
    by its /64. A home or a phone is given a whole /64 (often more) and picks addresses in it
    freely, so counting single IPv6 addresses would give it unlimited tries."""
    ip = _ip(address)
    if ip is None:
        return address  # not an address (a test client, a Unix socket): counted as written
    if ip.version == 4:
        return str(ip)
    # Built from the number, so a zone (fe80::1%eth0) is dropped with the host bits.
    return str(ipaddress.IPv6Network(((int(ip) >> 64) << 64, 64)))


def client_key(request: Request) -> str:
    """The client's address as rate limits count it (see ``address_key``)."""
    return address_key(client_address(request, request.app.state.settings.trusted_proxies))


async def check(request: Request, action: str, **subjects: Subject) -> Decision:
    """Counts one attempt at ``action`` against the client's address (when the action limits
    addresses) and each subject (``user=...``, ``account=...``, ``device=(account, device)``),
    and says whether it may go ahead. Each key's check-and-count is atomic.

    A subject of None is not counted; ``address=None`` leaves the address out, for a known
    device, which is counted on its own.
    """
    limiter = _limiter(request.app)
    limits = LIMITS[action]
    counted: dict[str, Subject] = {"address": client_key(request)} if "address" in limits else {}
    counted.update(subjects)
    refused = []
    for kind, value in counted.items():
        if value is None:
            continue
        limit, window = limits[kind]
        decision = await limiter.hit(key(action, kind, value), limit, window)
        if not decision.allowed:
            refused.append(decision.retry_after)
    return Decision(False, max(refused)) if refused else Decision(True)


def retry_headers(decision: Decision) -> dict[str, str]:
    """Retry-After for a refusal, so browsers, scripts and the offline outbox know when."""
    return {} if decision.allowed else {"Retry-After": str(decision.retry_after)}


def too_many(decision: Decision) -> TooMany:
    """A refusal to raise where there is no form to show again; the error page says it."""
    return TooMany(detail=wait_sentence(decision.retry_after), headers=retry_headers(decision))


async def forget_account(request: Request, account) -> None:
    await _limiter(request.app).forget(account_keys(account))


async def forget_stored(account) -> None:
    """Drops the account's counts kept in the database, inside the caller's transaction.
    (``forget_account`` also reaches Redis; deleting an account calls both.)"""
    await DatabaseBackend().forget(account_keys(account))


async def close(app) -> None:
    limiter = app.state.get("rate_limiter")
    if limiter is not None:
        await limiter.close()
        app.state.rate_limiter = None


def wait_sentence(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"That's a lot of tries in a short time. Please wait {minutes} {unit} and try again."
