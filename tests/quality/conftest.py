"""Live servers on fresh databases, and a reader that taps the way the Home button does."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import fresh_postgres_database
from tests.support import CSRF_RE


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database(request, tmp_path):
    """A database of its own for one test: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'lifted.sqlite3'}"
        return
    url, drop = fresh_postgres_database()
    yield url
    drop()


class Reader:
    """One browser's worth of cookies against one or more servers on the same host."""

    def __init__(self, base_url: str, verify=True) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=10, verify=verify)
        self.token = ""

    def visit(self, path: str = "/", base_url: str | None = None) -> httpx.Response:
        response = self.client.get((base_url or "") + path)
        if match := CSRF_RE.search(response.text):
            self.token = match.group(1)
        return response

    def tap(self, act_id: str | None = None, base_url: str | None = None, **fields: str):
        """One tap through htmx (as the Home button sends it); a 200 means it is stored."""
        data = {
            "id": act_id or str(uuid.uuid4()),
            "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "timezone": "Europe/Berlin",
            "_csrf_token": self.token,
            **fields,
        }
        headers = {"x-csrftoken": self.token, "hx-request": "true"}
        return self.client.post((base_url or "") + "/acts", data=data, headers=headers)

    def close(self) -> None:
        self.client.close()


class Tapper(threading.Thread):
    """A phone tapping as fast as the server answers, noting when each tap was acknowledged.
    A tap whose answer is lost (a refused or dropped connection, a 5xx) is sent again with the
    same id, as the outbox does, until it is acknowledged."""

    def __init__(self, base_url: str, verify=True) -> None:
        super().__init__(daemon=True)
        self.reader = Reader(base_url, verify)
        self.reader.visit("/")
        self.acknowledged: list[tuple[str, float]] = []
        self.retries = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            act = str(uuid.uuid4())
            while not self.stopping.is_set():
                if self._tap(act):
                    self.acknowledged.append((act, time.monotonic()))
                    break
                self.retries += 1
                time.sleep(0.05)

    def _tap(self, act: str) -> bool:
        try:
            return self.reader.tap(act).status_code == 200
        except httpx.HTTPError:
            return False

    def before(self, moment: float) -> set[str]:
        """The ids acknowledged before ``moment`` (time.monotonic)."""
        return {act for act, at in self.acknowledged if at < moment}

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
