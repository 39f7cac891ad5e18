"""Several processes: two app servers on one PostgreSQL database, a reader's requests
alternating between them. The session, the taps and the progress figures agree."""

from __future__ import annotations

import re

import pytest

from tests.conftest import fresh_postgres_database
from tests.e2e.conftest import LiveServer
from tests.quality.conftest import Reader
from tests.support import soup

pytestmark = pytest.mark.postgres
TAPS = 12


def main_text(html: str) -> str:
    """What the reader sees in <main>, without the per-request CSRF token."""
    main = soup(html).select_one("main")
    for hidden in main.select("input[name=_csrf_token]"):
        hidden.decompose()
    return re.sub(r"\s+", " ", main.get_text(" ")).strip()


def test_two_processes_share_sessions_taps_and_progress(tmp_path):
    url, drop = fresh_postgres_database()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    # One secret for both, as several hosts behind one address would share it.
    env = {"LIFTED_SECRET_KEY": "shared-secret-for-two-processes-" + "x" * 16}
    a = LiveServer(tmp_path / "a", database_url=url, **env)
    b = LiveServer(tmp_path / "b", database_url=url, **env)
    reader = Reader(a.url)
    try:
        a.start("--no-migrate")
        b.start("--no-migrate")
        reader.visit("/", a.url)
        # The first tap on A makes the account; its cookie must work on B and back.
        servers = [a.url, b.url]
        for n in range(TAPS):
            server = servers[n % 2]
            assert reader.tap(base_url=server).status_code == 200, f"tap {n} on {server}"
            reader.visit("/", servers[(n + 1) % 2])
        cookies = dict(reader.client.cookies)
        assert "lifted_session" in cookies
        progress = [reader.visit("/progress", server) for server in servers]
        history = [reader.visit("/acts", server) for server in servers]
        for response in (*progress, *history):
            assert response.status_code == 200
        # Still the same reader on both: no new session was handed out along the way.
        assert dict(reader.client.cookies)["lifted_session"] == cookies["lifted_session"]
    finally:
        reader.close()
        a.stop()
        b.stop()
        drop()
    pages = [soup(r) for r in progress]
    assert [p.select_one("#count-all").get_text(strip=True) for p in pages] == [str(TAPS)] * 2
    assert main_text(progress[0].text) == main_text(progress[1].text)
    assert main_text(history[0].text) == main_text(history[1].text)
