"""The in-process app and client, on a clean database for every test."""

from __future__ import annotations

import pytest
import urllib3.util.connection
from argon2 import PasswordHasher
from tortoise import Tortoise, connections

from server.accounts import credentials
from server.app import create_app
from server.reminders import endpoint
from server.settings import Settings
from tests.integration.app_client import AppClient
from tests.integration.network import FakeDNS


def make_settings(database_url: str, data_dir, **env: str) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "LIFTED_DATA_DIR": str(data_dir),
            "LIFTED_SCHEDULER": "false",
            "LIFTED_PUSH_ALLOW_HTTP": "true",
            **env,
        }
    )


async def clear_tables() -> None:
    conn = connections.get("default")
    tables = [m._meta.db_table for m in Tortoise.apps["lifted"].values()]
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(tables)} CASCADE")
    else:
        for table in tables:
            await conn.execute_script(f"DELETE FROM {table}")


@pytest.fixture
def settings(database_url, data_dir) -> Settings:
    return make_settings(database_url, data_dir)


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
async def client(app):
    async with AppClient(app, base_url="http://127.0.0.1:8000") as client:
        await clear_tables()
        yield client


@pytest.fixture(autouse=True)
def fast_argon2():
    """Argon2id with tiny parameters so the suite stays fast; production keeps the defaults."""
    production = credentials._hasher
    credentials.use_hasher(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    yield
    credentials.use_hasher(production)


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> FakeDNS:
    """Push names resolve from ``dns.names`` only, and pushes connect to loopback only."""
    fake = FakeDNS()
    monkeypatch.setattr(endpoint, "resolve", fake.resolve)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", fake.connect)
    return fake
