"""Shared fixtures. Integration tests run on SQLite and PostgreSQL through the `backend`
fixture; under CI a skipped PostgreSQL or browser test fails the run."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import uuid
from pathlib import Path

import asyncpg
import pytest

from server.db import run_migrations

PG_URL = os.environ.get("TEST_POSTGRES_URL")
_skipped: list[str] = []


def pytest_collection_modifyitems(session, config, items):
    # Browser tests last: Playwright's sync API keeps an event loop running in this thread.
    items.sort(key=lambda item: "/e2e/" in str(item.fspath) or "/engines/" in str(item.fspath))


def run(coroutine):
    """Runs a coroutine to completion on a fresh loop in its own thread."""
    result = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(coroutine)))
    thread.start()
    thread.join()
    return result[0] if result else None


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_collectreport(report):
    # A module-level pytest.skip(..., allow_module_level=True) skips the whole file while it
    # is collected: no test report is ever made for it, only this one.
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") and _skipped:
        print(f"\nCI: {len(_skipped)} test(s) were skipped, which CI counts as failure:")
        for nodeid in _skipped[:20]:
            print(f"  {nodeid}")
        session.exitstatus = 1


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    # Python waits for every non-daemon thread before it exits, so one left running makes a
    # green run hang after its summary (it once was aiosqlite's worker for each connection
    # Tortoise dropped unclosed). Name them here, so such a hang says where to look.
    lingering = [t for t in threading.enumerate() if t is not threading.main_thread()]
    lingering = [t for t in lingering if not t.daemon]
    if not lingering:
        return
    frames = sys._current_frames()
    out = sys.__stderr__
    print(f"\n{len(lingering)} non-daemon thread(s) still running; exit waits for them:", file=out)
    for thread in lingering[:10]:
        frame = frames.get(thread.ident)
        where = f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame else "?"
        print(f"  {thread.name} ({getattr(thread, '_target', None)!r}) at {where}", file=out)
    out.flush()


def need_postgres() -> str:
    if not PG_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    return PG_URL


async def _create_pg_database(admin_url: str) -> str:
    name = f"lifted_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


async def _drop_pg_database(admin_url: str, url: str) -> None:
    name = url.rpartition("/")[2]
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("db") / "lifted.sqlite3"
    url = f"sqlite://{path}"
    run(run_migrations(url))
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    admin = need_postgres()
    url = run(_create_pg_database(admin))
    run(run_migrations(url))
    yield url
    run(_drop_pg_database(admin, url))


def fresh_postgres_database(migrate: bool = True):
    """A new PostgreSQL database (migrated unless asked not to) and a function that drops it."""
    admin = need_postgres()
    url = run(_create_pg_database(admin))
    if migrate:
        run(run_migrations(url))
    return url, lambda: run(_drop_pg_database(admin, url))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path
