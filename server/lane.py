"""A few PostgreSQL connections of the hot raw statements' own (``db.fetch`` outside a
transaction: a tap, the session lookup, Progress).

asyncpg's pool costs more than the statement it runs: taking a connection and giving it back
(a task to shield the release, a timer for idle connections, a timeout context, the reset
hook) is about 30 µs of CPU against 35 µs for ``SELECT 1`` itself (bench, alone). A lane keeps
idle connections in a list: taking one is a ``pop``, giving it back an ``append``.

What the pool's care was for, kept:
- a connection found closed (the server restarted, the network cut it) is dropped and
  another taken or opened, as the pool reconnects;
- a statement that ends in anything but PostgreSQL's own refusal (cancelled half-way, the
  connection lost) may leave its connection mid-protocol: it is terminated, never reused;
- at most ``size`` connections; beyond that a statement waits for one, in turn;
- a connection unused for five minutes is closed, as the pool closes its idle ones;
- nothing of a session's state is ever set on these connections (no SET, LISTEN, cursors,
  transactions), so one needs no reset between statements.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress

import asyncpg

IDLE_LIMIT = 300.0  # seconds unused before a connection is closed (asyncpg's pool: the same)
IDLE_CHECK = 60.0


class Lane:
    def __init__(self, connect: Callable[[], Awaitable[asyncpg.Connection]], size: int) -> None:
        self._connect = connect
        self._size = size
        self._idle: list[asyncpg.Connection] = []
        self._open = 0  # idle, in use, or being opened
        self._waiting: deque[asyncio.Future] = deque()
        self._closed = False
        self._rested: dict[asyncpg.Connection, float] = {}  # idle since (monotonic)
        self._trimming: asyncio.TimerHandle | None = None
        self._closing: set[asyncio.Task] = set()

    @property
    def connections(self) -> int:
        return self._open

    async def fetch(self, sql: str, params: tuple) -> list:
        """``sql``'s rows (asyncpg Records), on a connection of the lane."""
        connection = await self._take()
        try:
            rows = await connection.fetch(sql, *params)
        except asyncpg.PostgresError:
            # Refused by PostgreSQL (a constraint, a cast): the connection is idle and ready.
            self._give(connection)
            raise
        except BaseException:
            self._drop(connection)
            raise
        self._give(connection)
        return rows

    async def _take(self) -> asyncpg.Connection:
        while True:
            if self._closed:
                raise asyncpg.InterfaceError("the database lane is closed")
            while self._idle:
                connection = self._idle.pop()
                if not connection.is_closed():
                    return connection
                self._open -= 1
                self._rested.pop(connection, None)
            if self._open < self._size:
                self._open += 1
                try:
                    return await self._connect()
                except BaseException:
                    self._open -= 1
                    self._wake()
                    raise
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                handed = await waiter
            except BaseException:
                # Cancelled as a connection, or room for one, was handed over: pass it on.
                if waiter.done() and not waiter.cancelled():
                    if (connection := waiter.result()) is not None:
                        self._give(connection)
                    else:
                        self._wake()
                raise
            if handed is not None:
                return handed
            # None: a connection was dropped, so there is room to open one (loop again).

    def _give(self, connection: asyncpg.Connection) -> None:
        if self._closed or connection.is_closed():
            self._drop(connection)
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        self._idle.append(connection)
        self._rested[connection] = time.monotonic()
        if self._trimming is None:
            self._trimming = asyncio.get_running_loop().call_later(IDLE_CHECK, self._trim)

    def _drop(self, connection: asyncpg.Connection) -> None:
        self._open -= 1
        self._rested.pop(connection, None)
        with suppress(RuntimeError):  # its event loop may be gone already
            connection.terminate()
        self._wake()

    def _trim(self) -> None:
        """Closes connections unused for IDLE_LIMIT, as asyncpg's pool does: a quiet process
        holds none open for nothing, nor one a firewall may have cut meanwhile."""
        self._trimming = None
        now = time.monotonic()
        stale = [c for c in self._idle if now - self._rested.get(c, now) > IDLE_LIMIT]
        for connection in stale:
            self._idle.remove(connection)
            self._rested.pop(connection, None)
            self._open -= 1
            task = asyncio.get_running_loop().create_task(_close(connection))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        if self._idle and not self._closed:
            self._trimming = asyncio.get_running_loop().call_later(IDLE_CHECK, self._trim)

    def _wake(self) -> None:
        """Tells the first waiter there is room to open a connection."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def close(self) -> None:
        """Closes the idle connections now; those in use close as their statements end."""
        self._closed = True
        if self._trimming is not None:
            self._trimming.cancel()
            self._trimming = None
        idle, self._idle = self._idle, []
        self._rested.clear()
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(None)  # they find the lane closed
        self._waiting.clear()
        self._open -= len(idle)
        await asyncio.gather(*(_close(c) for c in idle), *self._closing)


async def _close(connection: asyncpg.Connection) -> None:
    try:
        await asyncio.wait_for(connection.close(), 5)
    except (TimeoutError, OSError, RuntimeError, asyncpg.InterfaceError):
        with suppress(RuntimeError):  # its event loop may be gone already
            connection.terminate()
