"""/healthz says the process runs; /readyz also asks the database, so a proxy sends no reader
to a process whose database is gone. Neither sets a cookie."""

from __future__ import annotations

from server import db


async def test_ready_when_the_database_answers(client):
    answer = await client.get("/readyz")
    assert answer.status_code == 200 and answer.json() == {"status": "ready"}
    assert "set-cookie" not in answer.headers


async def test_not_ready_without_the_database(client, monkeypatch):
    async def gone(*args, **kwargs):
        raise ConnectionRefusedError("the database went away")

    monkeypatch.setattr(db, "fetch", gone)
    answer = await client.get("/readyz")
    assert answer.status_code == 503
    assert "database" in answer.json()["status"]
    assert (await client.get("/healthz")).status_code == 200  # the process itself still runs
