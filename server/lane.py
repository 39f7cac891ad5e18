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
- at most ``size`` connections; beyond that a statement waits for one, first come first served;
- nothing of a session's state is ever set on these connections (no SET, LISTEN, cursors,
  transactions), so one needs no reset between statements.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress

import asyncpg


class Lane:
    def __init__(self, connect: Callable[[], Awaitable[asyncpg.Connection]], size: int) -> None:
        self._connect = connect
        self._size = size
        self._idle: list[asyncpg.Connection] = []
        self._open = 0  # idle, in use, or being opened
        self._waiting: deque[asyncio.Future] = deque()
        self._closed = False

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
                # Cancelled while a connection was being handed over: pass it on.
                if waiter.done() and not waiter.cancelled() and waiter.result() is not None:
                    self._give(waiter.result())
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

    def _drop(self, connection: asyncpg.Connection) -> None:
        connection.terminate()
        self._open -= 1
        self._wake()

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
        idle, self._idle = self._idle, []
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(None)  # they find the lane closed
        self._waiting.clear()
        for connection in idle:
            self._open -= 1
            try:
                await asyncio.wait_for(connection.close(), 5)
            except (TimeoutError, OSError, RuntimeError, asyncpg.InterfaceError):
                with suppress(RuntimeError):  # its event loop may be gone already
                    connection.terminate()
