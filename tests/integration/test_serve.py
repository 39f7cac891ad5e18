"""`python -m server serve` starts, migrates and serves the shell on a new database."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import fresh_postgres_database
from tests.e2e.conftest import LiveServer


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'fresh.sqlite3'}"
        return
    url, drop = fresh_postgres_database(migrate=False)
    yield url
    drop()


def test_serve_migrates_and_serves_the_shell(new_database, tmp_path):
    server = LiveServer(tmp_path / "data", database_url=new_database)
    server.data_dir.mkdir()
    server.start()
    try:
        for path in ("/", "/manifest.webmanifest", "/sw.js", "/offline"):
            response = httpx.get(server.url + path)
            assert response.status_code == 200, (path, server.log())
        assert "Traceback" not in server.log()
    finally:
        server.stop()
