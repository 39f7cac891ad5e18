"""No tap is lost on a crash: readers tap at full speed, the server is killed with SIGKILL
mid-run and restarted, readers keep retrying what was not acknowledged (same id, as the
outbox does), and in the end every acknowledged act is stored exactly once."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx

from tests.conftest import run
from tests.e2e.conftest import LiveServer
from tests.quality.conftest import Reader

READERS = 4


def stored_ids(database_url: str) -> list[str]:
    """Every act id in the database, duplicates included (read directly, not through the app)."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.split("://", 1)[1]) as conn:
            return [str(uuid.UUID(str(row[0]))) for row in conn.execute("SELECT id FROM acts")]

    async def fetch() -> list[str]:
        conn = await asyncpg.connect(database_url)
        try:
            return [str(row["id"]) for row in await conn.fetch("SELECT id FROM acts")]
        finally:
            await conn.close()

    return run(fetch())


class Tapper(threading.Thread):
    """Taps until told to stop; an unacknowledged tap is retried with the same id and time."""

    def __init__(self, server: LiveServer, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.reader = Reader(server.url)
        self.stop = stop
        self.acknowledged: list[str] = []
        self.refused: list[tuple[int, str]] = []
        self.failures = 0
        self.reader.visit("/")
        # The first tap makes the account and its cookie before any crash can intervene.
        first = str(uuid.uuid4())
        assert self.reader.tap(first).status_code == 200
        self.acknowledged.append(first)

    def run(self) -> None:
        pending = None
        deadline = time.monotonic() + 60  # a bound, whatever happens to the server
        while time.monotonic() < deadline and (pending or not self.stop.is_set()):
            act_id, at = pending or (str(uuid.uuid4()), datetime.now(UTC).isoformat())
            try:
                response = self.reader.tap(act_id, occurred_at=at)
            except httpx.TransportError:
                self.failures += 1
                pending = (act_id, at)
                time.sleep(0.05)
                continue
            if response.status_code == 200:
                self.acknowledged.append(act_id)
                pending = None
            elif response.status_code >= 500:
                self.failures += 1
                pending = (act_id, at)
            else:
                self.refused.append((response.status_code, response.text[:300]))
                pending = None
        self.reader.close()


def test_no_acknowledged_tap_is_lost_when_the_server_is_killed(tmp_path, fresh_database):
    server = LiveServer(tmp_path, database_url=fresh_database).start()
    stop = threading.Event()
    try:
        tappers = [Tapper(server, stop) for _ in range(READERS)]
        for tapper in tappers:
            tapper.start()
        time.sleep(2)
        before_crash = sum(len(t.acknowledged) for t in tappers)
        server.stop(signal.SIGKILL)
        time.sleep(0.5)
        server.start("--no-migrate")
        time.sleep(2)
        stop.set()
        for tapper in tappers:
            tapper.join(timeout=90)
    finally:
        stop.set()
        server.stop()
    acknowledged = [act_id for t in tappers for act_id in t.acknowledged]
    assert [r for t in tappers for r in t.refused] == []
    # The crash really happened mid-run: taps before it, failed taps during it, taps after it.
    assert before_crash > 20
    assert sum(t.failures for t in tappers) > 0
    assert len(acknowledged) > before_crash
    assert not any(t.is_alive() for t in tappers)
    stored = stored_ids(fresh_database)
    assert len(stored) == len(set(stored)), "an act was stored twice"
    assert set(acknowledged) - set(stored) == set(), "an acknowledged tap was lost"
    # Every tap was retried until acknowledged, so nothing is stored that wasn't acknowledged.
    assert set(stored) == set(acknowledged)
    assert len(acknowledged) == len(set(acknowledged))


def test_stored_ids_reads_what_the_app_stored(tmp_path):
    """The check above reads the database directly; make sure it reads real rows."""
    url = f"sqlite://{tmp_path / 'lifted.sqlite3'}"
    server = LiveServer(tmp_path, database_url=url).start()
    try:
        reader = Reader(server.url)
        reader.visit("/")
        act_id = str(uuid.uuid4())
        assert reader.tap(act_id).status_code == 200
        assert reader.tap(act_id).status_code == 200  # a retry is the same act
    finally:
        server.stop()
    assert stored_ids(url) == [act_id]
