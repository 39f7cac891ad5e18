"""Session lookups kept in each process, and told at once when one stops being true.

Every request with a session cookie needs its account; reading it from the database each
time was the largest single cost of a tap (bench/RESULTS.json). Each process keeps what it
read: the account (each request gets a copy of its own) and the session's last-seen time,
by the cookie's hash.

A kept answer must never outlive the truth, least of all a session that was signed out:

- In this process, every write that ends a session or changes an account forgets it here
  (``forget_session``, ``forget_account``), right after the write.
- Across processes and hosts (PostgreSQL), triggers on ``sessions`` and ``accounts``
  (migration 0016) send ``NOTIFY lifted_identity`` in the writing transaction; every
  process LISTENs on its own connection and forgets on delivery, which PostgreSQL makes at
  commit. The connection must show it hears: both triggers exist, and a ping sent through it
  every few seconds comes back. While it doesn't, nothing is kept: every lookup reads the
  database. And nothing is kept longer than ``MAX_AGE`` in any case.
- SQLite serves from one process (README, "Scaling out"); its other commands (``tidy``)
  only remove sessions already past their idle limit, which a lookup refuses anyway.

A lookup that read the database while something was forgotten does not keep what it read
(``generation``): it may have read the row just before the write.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta
from typing import Any

import asyncpg

log = logging.getLogger("lifted.identity")

CHANNEL = "lifted_identity"
SIZE = 20_000  # sessions kept per process (about 10 MB); the oldest go first
RECONNECT_SECONDS = 2.0
HEARTBEAT_SECONDS = 5.0  # a ping through the listening connection must come back this soon
PING = "ping"
# Both triggers of migration 0016, on their tables, and enabled.
TRIGGERS_SQL = """
SELECT count(*) FROM pg_trigger
WHERE tgname IN ('sessions_identity', 'accounts_identity')
  AND tgrelid IN ('sessions'::regclass, 'accounts'::regclass) AND tgenabled IN ('O', 'A')
"""
APPLICATION_NAME = "lifted: listening for sign-outs"
# However sure the notices are, a kept session is read again after this long.
MAX_AGE = timedelta(minutes=2)


class SessionCache:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.rows: dict[str, tuple[Any, datetime, float]] = {}  # account, last seen, kept at
        self.by_account: dict[str, set[str]] = {}
        self.generation = 0
        # False while PostgreSQL's notifications can't reach this process.
        self.trusted = True

    def get(self, session_id: str) -> tuple[Any, datetime] | None:
        found = self.rows.get(session_id) if self.trusted else None
        if found is None or time.monotonic() - found[2] > MAX_AGE.total_seconds():
            return None
        return found[0], found[1]

    def put(self, session_id: str, row: Any, last_seen: datetime, since: int) -> None:
        """Keeps ``row`` (the account), unless anything was forgotten since generation ``since``."""
        if not self.trusted or since != self.generation:
            return
        if session_id not in self.rows and len(self.rows) >= self.size:
            self._drop(next(iter(self.rows)))
        self.rows[session_id] = (row, last_seen, time.monotonic())
        self.by_account.setdefault(str(row.id), set()).add(session_id)

    def _drop(self, session_id: str) -> None:
        found = self.rows.pop(session_id, None)
        if found is not None:
            kept = self.by_account.get(str(found[0].id), set())
            kept.discard(session_id)
            if not kept:
                self.by_account.pop(str(found[0].id), None)

    def forget_session(self, session_id: str) -> None:
        self.generation += 1
        self._drop(session_id)

    def forget_account(self, account_id: Any) -> None:
        self.generation += 1
        for session_id in self.by_account.pop(str(account_id), set()):
            self.rows.pop(session_id, None)

    def clear(self) -> None:
        self.generation += 1
        self.rows.clear()
        self.by_account.clear()

    def heard(self, payload: str) -> None:
        """A notification from the database: "s:<session id>" or "a:<account id>"."""
        kind, _, key = payload.partition(":")
        if kind == "s":
            self.forget_session(key)
        else:
            self.forget_account(key)


CACHE = SessionCache()


def forget_session(session_id: str | None) -> None:
    if session_id:
        CACHE.forget_session(session_id)


def forget_account(account: Any) -> None:
    """After a write to the account's row or its sessions (``account`` or its id)."""
    CACHE.forget_account(getattr(account, "id", account))


def listening(database_url: str):
    """Lifespan: on PostgreSQL, keeps a connection LISTENing for the triggers' notices, and
    reconnects when it drops (keeping nothing meanwhile). On SQLite, keeps the cache clean
    across app starts in one process (tests)."""

    @asynccontextmanager
    async def lifespan(app):
        CACHE.clear()
        if database_url.startswith("sqlite:"):
            CACHE.trusted = True
            yield
            return
        CACHE.trusted = False
        task = asyncio.create_task(_listen(database_url))
        try:
            yield
        finally:
            task.cancel()
            # Bounded: a shutdown never waits on the database.
            await asyncio.wait({task}, timeout=HEARTBEAT_SECONDS)
            CACHE.clear()

    return lifespan


async def _listen(database_url: str) -> None:
    from server.db import pg_credentials

    found = pg_credentials(database_url)
    where = {k: found[k] for k in ("host", "port", "user", "password", "database")}
    while True:
        try:
            await _listen_once(where)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever broke the line, keep nothing, retry
            log.warning("session cache off: no line for sign-outs (%s)", exc)
        finally:
            CACHE.trusted = False
            CACHE.clear()
        await asyncio.sleep(RECONNECT_SECONDS)


async def _listen_once(where: dict) -> None:
    """Trusts the cache while this connection hears the database: the triggers are there and
    enabled, and a ping of its own sent through it comes back, first before any trust and
    then every HEARTBEAT_SECONDS (a half-open connection, or a pooler that drops LISTEN, would
    otherwise look alive while hearing nothing)."""
    # Named, so an operator (or a test) can tell it in pg_stat_activity.
    named = {"application_name": APPLICATION_NAME}
    async with asyncio.timeout(HEARTBEAT_SECONDS):
        conn = await asyncpg.connect(**where, server_settings=named)
    try:
        triggers = await conn.fetchval(TRIGGERS_SQL, timeout=HEARTBEAT_SECONDS)
        if triggers != 2:
            raise RuntimeError("the sign-out triggers are missing or off (run `migrate`)")
        lost, echo = asyncio.Event(), asyncio.Event()
        nonce = {"expected": ""}
        conn.add_termination_listener(lambda _conn: lost.set())

        def heard(_conn, _pid, _channel, payload: str) -> None:
            if payload == nonce["expected"]:
                echo.set()
            elif not payload.startswith(PING):  # other processes' pings say nothing of ours
                CACHE.heard(payload)

        async def ping() -> None:
            """Sends a ping only this process knows and waits for it (or for the line to go)."""
            echo.clear()
            nonce["expected"] = f"{PING}:{secrets.token_hex(8)}"
            async with asyncio.timeout(HEARTBEAT_SECONDS):
                await conn.execute(f"NOTIFY {CHANNEL}, '{nonce['expected']}'")
                waits = [asyncio.ensure_future(echo.wait()), asyncio.ensure_future(lost.wait())]
                try:
                    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiting in waits:
                        waiting.cancel()
            if lost.is_set() or not echo.is_set():
                raise ConnectionError("the listening connection closed")

        await conn.add_listener(CHANNEL, heard)
        await ping()
        # Heard from now on; whatever was kept before this connection listened may be stale.
        CACHE.clear()
        CACHE.trusted = True
        while True:
            with suppress(TimeoutError):
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    await lost.wait()
            await ping()
    finally:
        CACHE.trusted = False
        CACHE.clear()
        with suppress(Exception):
            conn.terminate()
