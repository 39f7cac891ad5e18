"""Tortoise configuration from DATABASE_URL, and the one place that opens and closes it.

Every feature keeps its models in ``server/<feature>/models.py``; they all belong to one
Tortoise app, ``lifted``, whose migrations live in ``server/migrations``.
"""

from __future__ import annotations

import logging
import os
import re
from contextlib import suppress
from datetime import UTC, date, datetime
from functools import lru_cache
from urllib.parse import urlsplit
from uuid import UUID

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.migrations.api import migrate

from server.group_commit import GroupCommit
from server.lane import Lane

log = logging.getLogger("lifted.db")

MODEL_MODULES = [
    "server.identity.models",
    "server.ratelimit.models",
    "server.acts.models",
    "server.articles.models",
    "server.reminders.models",
    "server.rest.models",
    "server.kindness.models",
    "server.sharing.models",
]


# Connections each process opens to PostgreSQL, at most: Tortoise's pool (the ORM's queries and
# transactions), the lane of the hot raw statements (server/lane.py), and the one that LISTENs
# for sign-outs (identity/cache.py).
POOL_SIZE = 10
LANE_SIZE = 8
_lane: Lane | None = None
_group: GroupCommit | None = None
_dialect: str | None = None


def tortoise_config(database_url: str) -> dict:
    return {
        "connections": {"default": _connection(database_url)},
        "apps": {
            "lifted": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "server.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection(database_url: str) -> str | dict:
    if database_url.startswith("sqlite:"):
        # WAL lets readers go on while a tap is written; busy_timeout makes a second
        # process (the reminders CLI) wait for the lock instead of failing at once.
        path = database_url.split("://", 1)[1]
        _private_file(path)
        return {
            "engine": "tortoise.backends.sqlite",
            "credentials": {"file_path": path, "journal_mode": "WAL", "busy_timeout": 5000},
        }
    parts = urlsplit(database_url)
    return {
        "engine": "tortoise.backends.asyncpg",
        "credentials": {
            "host": parts.hostname,
            "port": parts.port or 5432,
            "user": parts.username or "postgres",
            "password": parts.password or "",
            "database": parts.path.lstrip("/") or "postgres",
            "minsize": 1,
            "maxsize": POOL_SIZE,
            "reset": _keep_session,
        },
    }


def pg_credentials(database_url: str) -> dict:
    """Where a PostgreSQL DATABASE_URL leads, with the app's own defaults (user and database
    "postgres"): for tools that must reach the very database the app uses (backups)."""
    return _connection(database_url)["credentials"]


def _private_file(path: str) -> None:
    """Creates a new SQLite file readable by this user only. SQLite gives the -wal and -shm
    files it makes beside it the same permissions."""
    if path == ":memory:" or os.path.exists(path):
        return
    # A missing folder: SQLite's own error says it better. Another process may win the race.
    with suppress(FileNotFoundError, FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


async def _keep_session(connection) -> None:
    """What a pooled PostgreSQL connection needs on its way back to the pool: nothing more.

    asyncpg rolls back any transaction left open before calling this, whatever it does. Its
    default also runs ``RESET ALL; UNLISTEN *; CLOSE ALL; SELECT pg_advisory_unlock_all()``
    after every query Tortoise makes, one more round trip each time (a tap waited for two),
    for session state Lifted never sets: no SET, LISTEN, cursors or advisory locks.
    """


async def open_db(database_url: str) -> None:
    # Tortoise 1.1.9 caches each model's INSERT SQL by connection *name* ("default"), not by
    # dialect: a process that opens SQLite and then PostgreSQL (the test suite does) would send
    # SQLite's placeholders to PostgreSQL. Starting each open with an empty cache avoids that.
    EXECUTOR_CACHE.clear()
    # The global fallback lets handlers running in other tasks see the context that the
    # lifespan created (Tortoise 1.x keeps it in a context variable).
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    global _lane, _group, _dialect
    if _lane is not None:
        await _lane.close()
    _lane = None
    _dialect = connections.get("default").capabilities.dialect
    _group = GroupCommit() if _dialect == "sqlite" else None
    if _group is None:
        credentials = pg_credentials(database_url)
        target = {k: credentials[k] for k in ("host", "port", "user", "password", "database")}
        _lane = Lane(lambda: asyncpg.connect(**target), LANE_SIZE)


def as_date(value) -> date:
    """A DATE column's value: SQLite hands back the stored ISO text, PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def dialect() -> str:
    """ "sqlite" or "postgres": for the few queries whose SQL differs between the two. Known
    from the URL once the database is open (asking Tortoise costs a tap a few µs each time)."""
    return _dialect or connections.get("default").capabilities.dialect


CAST_RE = re.compile(r"\?::\w+")


async def fetch(sql: str, *params) -> list[dict]:
    """Runs raw ``sql`` on either database and returns its rows as dicts.

    ``sql`` uses ``?`` placeholders, with PostgreSQL casts where a type must be named
    (``?::uuid``): they become ``$1::uuid`` there and plain ``?`` on SQLite, whose CAST to an
    unknown type would read a UUID as a number. Pass UUIDs, dates and aware datetimes; they are
    stored as Tortoise stores them. For the few hot paths where the ORM's query building costs
    more than the query (a tap, the session lookup, Progress).
    """
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        # Outside a transaction, on the lane (server/lane.py): Tortoise's wrapper around one
        # query, and asyncpg's pool, cost more than the query itself; its errors are kept.
        if type(conn) is AsyncpgDBClient and _lane is not None:
            return await _on_lane(_lane, _numbered(sql), params)
        return await conn.execute_query_dict(_numbered(sql), list(params))
    values = [_sqlite_value(value) for value in params]
    return await conn.execute_query_dict(CAST_RE.sub("?", sql), values)


async def write(sql: str, *params) -> list[dict]:
    """``fetch`` for a statement that writes and must answer fast under load (a tap). On SQLite,
    outside a transaction, the writes that queue up while one commits share the next commit
    (server/group_commit.py); anywhere else it is ``fetch``."""
    if _group is not None and type(conn := connections.get("default")) is SqliteClient:
        values = [_sqlite_value(value) for value in params]
        return await _grouped(_group, conn, CAST_RE.sub("?", sql), values)
    return await fetch(sql, *params)


async def _grouped(group: GroupCommit, conn, sql: str, values: list) -> list[dict]:
    return await group.fetch(conn, sql, values)


@lru_cache(maxsize=256)
def _numbered(sql: str) -> str:
    parts = sql.split("?")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))


async def _on_lane(lane: Lane, sql: str, params: tuple) -> list[dict]:
    try:
        return [dict(row) for row in await lane.fetch(sql, params)]
    except (asyncpg.SyntaxOrAccessError, asyncpg.exceptions.DataError) as exc:
        raise OperationalError(exc) from exc
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise IntegrityError(exc) from exc


def _sqlite_value(value):
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)  # Tortoise keeps UTC text: "2026-01-02 03:04:05+00:00"
    return value


async def close_db() -> None:
    # Tortoise.close_connections also clears the global fallback, so the next app can open.
    global _lane, _group, _dialect
    _dialect = None
    lane, _lane = _lane, None
    group, _group = _group, None
    try:
        if lane is not None:
            await lane.close()
        if group is not None:
            await group.settle()
    finally:
        await Tortoise.close_connections()


async def run_migrations(database_url: str) -> None:
    await migrate(config=tortoise_config(database_url))
    await connections.close_all()


# For the `tortoise` command line (makemigrations): `tortoise -c server.db.TORTOISE_ORM ...`.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://data/lifted.sqlite3"))


async def ready() -> bool:
    """Whether the database answers now (for /readyz: a proxy sends no reader to a process
    whose database is gone)."""
    try:
        await fetch("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means not ready; the reason is logged
        log.warning("readyz: the database did not answer", exc_info=True)
        return False
    return True
