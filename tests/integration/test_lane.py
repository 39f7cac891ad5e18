"""The lane of hot raw statements (server/lane.py) on a real PostgreSQL: never more than its
connections, a refused statement keeps its connection, a cancelled or cut one is replaced,
and closing it leaves nothing open."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from tortoise.exceptions import OperationalError

from server import db
from server import lane as lane_module
from server.lane import Lane

pytestmark = pytest.mark.postgres
PIDS: dict[int, int] = {}  # a connection's server process, by id(connection)


@pytest.fixture
async def lane(postgres_url):
    opened: list[asyncpg.Connection] = []

    async def connect():
        connection = await asyncpg.connect(postgres_url)
        PIDS[id(connection)] = connection.get_server_pid()
        opened.append(connection)
        return connection

    made = Lane(connect, 3)
    made.opened = opened
    yield made
    await made.close()


async def backends(postgres_url, connections) -> set[int]:
    """The server processes still serving any of ``connections`` (by pid)."""
    pids = [PIDS[id(c)] for c in connections]
    admin = await asyncpg.connect(postgres_url)
    try:
        rows = await admin.fetch("SELECT pid FROM pg_stat_activity WHERE pid = any($1)", pids)
    finally:
        await admin.close()
    return {row["pid"] for row in rows}


async def test_many_statements_share_at_most_its_connections(lane):
    sql = "SELECT $1::int AS n, pg_sleep(0.02)"
    rows = await asyncio.gather(*(lane.fetch(sql, (n,)) for n in range(20)))
    assert [r[0]["n"] for r in rows] == list(range(20))
    assert len(lane.opened) == 3 and lane.connections == 3


async def test_a_refused_statement_keeps_its_connection(lane):
    await lane.fetch("SELECT 1", ())
    with pytest.raises(asyncpg.DivisionByZeroError):
        await lane.fetch("SELECT 1 / $1::int", (0,))
    assert (await lane.fetch("SELECT 2 AS n", ()))[0]["n"] == 2
    assert len(lane.opened) == 1


async def test_a_cancelled_statement_is_never_reused(lane, postgres_url):
    await lane.fetch("SELECT 1", ())
    slow = asyncio.create_task(lane.fetch("SELECT pg_sleep(5)", ()))
    await asyncio.sleep(0.2)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    assert lane.connections == 0 and lane.opened[0].is_closed()
    assert (await lane.fetch("SELECT 3 AS n", ()))[0]["n"] == 3
    assert len(lane.opened) == 2
    for _ in range(50):  # the server ends the first one's process soon after
        if not await backends(postgres_url, lane.opened[:1]):
            break
        await asyncio.sleep(0.1)
    assert not await backends(postgres_url, lane.opened[:1])


async def test_a_connection_cut_by_the_server_is_replaced(lane, postgres_url):
    await lane.fetch("SELECT 1", ())
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", PIDS[id(lane.opened[0])])
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the lost connection is noticed by the event loop
    assert (await lane.fetch("SELECT 4 AS n", ()))[0]["n"] == 4
    assert len(lane.opened) == 2 and lane.connections == 1


async def test_a_waiting_statement_gets_the_room_a_dropped_one_leaves(postgres_url):
    opened = []

    async def connect():
        opened.append(await asyncpg.connect(postgres_url))
        return opened[-1]

    lane = Lane(connect, 1)
    try:
        slow = asyncio.create_task(lane.fetch("SELECT pg_sleep(5)", ()))
        await asyncio.sleep(0.2)
        waiting = asyncio.create_task(lane.fetch("SELECT 5 AS n", ()))
        await asyncio.sleep(0.1)
        assert not waiting.done()  # one connection, in use
        slow.cancel()
        assert (await asyncio.wait_for(waiting, 5))[0]["n"] == 5
        assert len(opened) == 2 and lane.connections == 1
    finally:
        await lane.close()


async def test_closing_leaves_no_connection_open(lane, postgres_url):
    await asyncio.gather(*(lane.fetch("SELECT pg_sleep(0.05)", ()) for _ in range(3)))
    await lane.close()
    assert lane.connections == 0
    assert all(connection.is_closed() for connection in lane.opened)
    assert not await backends(postgres_url, lane.opened)
    with pytest.raises(asyncpg.InterfaceError, match="closed"):
        await lane.fetch("SELECT 1", ())


async def test_a_waiter_cancelled_as_room_is_made_passes_it_on(postgres_url):
    lane = Lane(lambda: asyncpg.connect(postgres_url), 1)
    try:
        slow = asyncio.create_task(lane.fetch("SELECT pg_sleep(5)", ()))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(lane.fetch("SELECT 1", ()))
        third = asyncio.create_task(lane.fetch("SELECT 6 AS n", ()))
        await asyncio.sleep(0.1)
        slow.cancel()  # its connection is dropped: the first waiter is told there is room...
        await asyncio.sleep(0)
        second.cancel()  # ...and is cancelled before it can use it: the next one must hear
        assert (await asyncio.wait_for(third, 5))[0]["n"] == 6
    finally:
        await lane.close()


async def test_connections_unused_for_a_while_are_closed(lane, monkeypatch):
    monkeypatch.setattr(lane_module, "IDLE_LIMIT", 0.2)
    monkeypatch.setattr(lane_module, "IDLE_CHECK", 0.1)
    await asyncio.gather(*(lane.fetch("SELECT pg_sleep(0.05)", ()) for _ in range(3)))
    assert lane.connections == 3
    for _ in range(30):
        await asyncio.sleep(0.1)
        if lane.connections == 0:
            break
    assert lane.connections == 0
    await asyncio.sleep(0.1)
    assert all(connection.is_closed() for connection in lane.opened)
    assert (await lane.fetch("SELECT 7 AS n", ()))[0]["n"] == 7  # and it opens anew


async def test_a_value_asyncpg_cannot_send_keeps_the_connection_and_is_a_clear_error(lane):
    # asyncpg refuses it before sending, with PostgreSQL's own DataError class.
    with pytest.raises(OperationalError):  # what the app's error pages answer as bad input
        await db._on_lane(lane, "SELECT $1::int AS n", (2**40,))  # beyond a 32-bit int
    assert (await lane.fetch("SELECT 8 AS n", ()))[0]["n"] == 8
    assert len(lane.opened) == 1
