"""Group commit for SQLite: writes that arrive while one is being committed share the next
transaction, its one trip to SQLite's thread and its one commit.

SQLite has one writer, and every statement outside a transaction is a transaction of its own:
a thread hop there and back and a synced commit each. Taps queue behind one another for that,
and the wait grows with whatever else the event loop is doing. Here the first write starts a
drain; every write queued meanwhile goes in the next batch:

- each statement runs inside a SAVEPOINT: one that fails is rolled back alone and its caller
  gets its error, the others are unaffected;
- a caller's rows are handed over only after the batch's COMMIT returned: an answered tap is
  on disk exactly as before (``synchronous`` is unchanged), and a failed commit fails every
  caller in it (none of their writes stays);
- a batch of one is the statement alone, as it was;
- the batch holds Tortoise's connection lock, so it never interleaves with the ORM's queries
  or transactions.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from tortoise.exceptions import IntegrityError, OperationalError

Statement = tuple[str, list]


class GroupCommit:
    def __init__(self) -> None:
        self._queued: list[tuple[str, list, asyncio.Future]] = []
        self._drain: asyncio.Task | None = None

    async def fetch(self, client: Any, sql: str, values: list) -> list[dict]:
        """``sql``'s rows once its batch is committed; ``client`` is Tortoise's SqliteClient."""
        future = asyncio.get_running_loop().create_future()
        self._queued.append((sql, values, future))
        if self._drain is None:
            self._drain = asyncio.get_running_loop().create_task(self._run(client))
            self._drain.add_done_callback(self._drained)
        return await future

    async def settle(self) -> None:
        """Returns once every queued write has its answer (before the database closes)."""
        while (drain := self._drain) is not None:
            await asyncio.wait({drain})

    def _drained(self, drain: asyncio.Task) -> None:
        """The drain ended. Normally nothing is left (and a write since has started its own
        drain); if it was cancelled (the app stopping), even before its first step, the writes
        it left queued are told, and the next write starts a new drain."""
        if self._drain is drain:
            self._drain = None
        if self._drain is None:
            queued, self._queued = self._queued, []
            for *_, future in queued:
                _settle(future, False, asyncio.CancelledError())

    async def _run(self, client: Any) -> None:
        try:
            await self._batches(client)
        finally:
            # In the same step as the last look at the queue: a write queued after this
            # starts a drain of its own.
            self._drain = None

    async def _batches(self, client: Any) -> None:
        while self._queued:
            batch, self._queued = self._queued, []
            try:
                async with client.acquire_connection() as connection:
                    statements = [(sql, values) for sql, values, _ in batch]
                    # aiosqlite runs the whole batch in one call on its thread.
                    outcomes = await connection._execute(_commit, connection._conn, statements)
            except BaseException as exc:  # the commit failed, or the connection did
                for *_, future in batch:
                    _settle(future, False, exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for (*_, future), (ok, value) in zip(batch, outcomes, strict=True):
                _settle(future, ok, value)


def _settle(future: asyncio.Future, ok: bool, value: Any) -> None:
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(_translated(value))


def _translated(exc: BaseException) -> BaseException:
    """As Tortoise's client reports SQLite's errors."""
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError(exc)
    if isinstance(exc, sqlite3.OperationalError):
        return OperationalError(exc)
    return exc


def _commit(conn: sqlite3.Connection, statements: list[Statement]) -> list[tuple[bool, Any]]:
    """On SQLite's thread: the statements in one transaction, each (ok, rows or its error)."""
    if len(statements) == 1:
        sql, values = statements[0]
        try:
            return [(True, [dict(row) for row in conn.execute(sql, values).fetchall()])]
        except Exception as exc:  # noqa: BLE001 - the caller gets it, as if it ran alone
            return [(False, exc)]
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, values in statements:
            conn.execute("SAVEPOINT grouped")
            try:
                rows = [dict(row) for row in conn.execute(sql, values).fetchall()]
            except Exception as exc:  # noqa: BLE001 - a value sqlite3 can't bind is this one's too
                if not conn.in_transaction:
                    raise  # SQLite rolled back the whole transaction (RAISE(ROLLBACK), a full
                    # disk): the writes before this one are gone too, so all of them fail
                conn.execute("ROLLBACK TO grouped")  # what an OR FAIL clause would leave
                outcomes.append((False, exc))
            else:
                outcomes.append((True, rows))
            conn.execute("RELEASE grouped")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes
