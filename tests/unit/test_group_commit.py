"""SQLite's group commit (server/group_commit.py), on a real SQLite file through Tortoise's own
client: writes queued together share a commit, one refused write leaves the others, and a
commit that fails keeps none of its writes and tells every caller."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.exceptions import IntegrityError

from server import group_commit
from server.group_commit import GroupCommit

INSERT = "INSERT INTO notes (text, parent) VALUES (?, ?) RETURNING id, text"


@pytest.fixture
async def client(tmp_path):
    made = SqliteClient(file_path=str(tmp_path / "group.sqlite3"), connection_name="group")
    await made.create_connection(with_db=True)
    await made.execute_script(
        "CREATE TABLE parents (id INTEGER PRIMARY KEY);"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT UNIQUE, parent INTEGER"
        " REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);"
        "CREATE TRIGGER doomed BEFORE INSERT ON notes WHEN NEW.text = 'doom'"
        " BEGIN SELECT RAISE(ROLLBACK, 'doomed'); END;"
    )
    yield made
    await made.close()


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of each batch that went to SQLite's thread."""
    sizes: list[int] = []
    commit = group_commit._commit

    def counted(conn, statements):
        sizes.append(len(statements))
        return commit(conn, statements)

    monkeypatch.setattr(group_commit, "_commit", counted)
    return sizes


async def together(client, *writes: tuple[str, list]) -> list:
    """Each write's rows (or its error), all queued at once on a new GroupCommit."""
    group = GroupCommit()
    return await asyncio.gather(
        *(group.fetch(client, sql, values) for sql, values in writes), return_exceptions=True
    )


async def stored(client) -> list[str]:
    return [row["text"] for row in await client.execute_query_dict("SELECT text FROM notes")]


async def test_writes_queued_together_share_one_commit(client, batches):
    group = GroupCommit()
    texts = [f"note {n}" for n in range(30)]
    rows = await asyncio.gather(*(group.fetch(client, INSERT, [t, None]) for t in texts))
    assert [r[0]["text"] for r in rows] == texts  # each caller gets its own row back
    assert sorted(await stored(client)) == sorted(texts)
    assert sum(batches) == 30 and len(batches) < 30 and max(batches) > 1
    # Alone, a write is a batch of one.
    assert (await group.fetch(client, INSERT, ["alone", None]))[0]["text"] == "alone"
    assert batches[-1] == 1


async def test_a_refused_write_leaves_the_others_in_its_batch(client, batches):
    texts = ["a", "b", "a", "c"]  # the second "a" breaks the UNIQUE constraint
    outcomes = await together(client, *((INSERT, [t, None]) for t in texts))
    assert isinstance(outcomes[2], IntegrityError)
    assert [o[0]["text"] for n, o in enumerate(outcomes) if n != 2] == ["a", "b", "c"]
    assert sorted(await stored(client)) == ["a", "b", "c"]
    assert max(batches) == 4


async def test_a_refused_write_leaves_nothing_of_itself(client):
    # OR FAIL keeps the rows a statement wrote before its error: its savepoint takes them back.
    multi = "INSERT OR FAIL INTO notes (text) VALUES (?), (?) RETURNING id"
    outcomes = await together(
        client, (INSERT, ["a", None]), (multi, ["p", "a"]), (INSERT, ["b", None])
    )
    assert isinstance(outcomes[1], IntegrityError)
    assert sorted(await stored(client)) == ["a", "b"]


async def test_a_write_that_rolls_back_the_transaction_fails_the_batch(client):
    outcomes = await together(client, *((INSERT, [t, None]) for t in ("x", "doom", "y")))
    assert all(isinstance(o, Exception) for o in outcomes), outcomes
    assert await stored(client) == []


async def test_a_failed_commit_keeps_none_of_its_writes_and_tells_every_caller(client, batches):
    group = GroupCommit()
    # A deferred foreign key is checked at COMMIT: the missing parent 99 fails the whole batch.
    writes = [["x", None], ["y", 99], ["z", None]]
    outcomes = await asyncio.gather(
        *(group.fetch(client, INSERT, w) for w in writes), return_exceptions=True
    )
    assert all(isinstance(o, IntegrityError) for o in outcomes), outcomes
    assert await stored(client) == []
    assert batches == [3]
    # The connection is usable again at once.
    assert (await group.fetch(client, INSERT, ["after", None]))[0]["text"] == "after"


async def test_a_batch_waits_while_the_orm_holds_the_connection(client):
    group = GroupCommit()
    order: list[str] = []
    # Tortoise's queries and transactions hold this lock while they use the connection.
    async with client.acquire_connection() as connection:
        write = asyncio.create_task(group.fetch(client, INSERT, ["later", None]))
        await asyncio.sleep(0.05)
        assert not write.done()
        await connection.execute("INSERT INTO notes (text) VALUES ('first')")
        order.append("orm")
    await write
    order.append("write")
    assert order == ["orm", "write"]
    ids = await client.execute_query_dict("SELECT text FROM notes ORDER BY id")
    assert [r["text"] for r in ids] == ["first", "later"]


async def test_settle_waits_for_every_queued_write(client):
    group = GroupCommit()
    writes = [asyncio.create_task(group.fetch(client, INSERT, [f"n{n}", None])) for n in range(5)]
    await asyncio.sleep(0)
    await group.settle()
    assert all(w.done() for w in writes)
    assert len(await stored(client)) == 5


def test_sqlite_errors_are_reported_as_tortoise_reports_them():
    assert isinstance(group_commit._translated(sqlite3.IntegrityError("x")), IntegrityError)


async def test_a_value_sqlite_cannot_take_fails_only_its_own_write(client):
    outcomes = await together(
        client,
        (INSERT, ["fine", None]),
        (INSERT, ["too big", 2**63]),  # OverflowError, not a sqlite3.Error
        (INSERT, ["also fine", None]),
    )
    assert isinstance(outcomes[1], OverflowError)
    assert sorted(await stored(client)) == ["also fine", "fine"]


async def test_a_drain_cancelled_before_it_ran_fails_its_writes_and_the_next_one_works(client):
    group = GroupCommit()
    write = asyncio.create_task(group.fetch(client, INSERT, ["lost", None]))
    await asyncio.sleep(0)  # the write is queued and its drain made, not yet run
    group._drain.cancel()  # the app stopping
    with pytest.raises(asyncio.CancelledError):
        await write
    await group.settle()  # returns, raises nothing
    assert (await group.fetch(client, INSERT, ["next", None]))[0]["text"] == "next"
    assert await stored(client) == ["next"]


async def test_a_write_right_after_a_drain_ends_is_not_lost(client):
    group = GroupCommit()
    for n in range(20):  # the second queued as soon as the first is answered: its drain ends
        await group.fetch(client, INSERT, [f"a{n}", None])
        assert (await group.fetch(client, INSERT, [f"b{n}", None]))[0]["text"] == f"b{n}"
    assert len(await stored(client)) == 40
