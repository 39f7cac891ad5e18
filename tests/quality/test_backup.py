"""Backups that restore: `lifted backup` taken while taps keep arriving, restored into a fresh
data folder (and a fresh PostgreSQL database), holds every tap acknowledged before the backup
began, with the same ids; the reader is still signed in, and the server signs pushes with the
same VAPID key (devices keep receiving) and the same secret. A restore never writes over a
folder or database that already holds something."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import fresh_postgres_database
from tests.e2e.conftest import ROOT, LiveServer
from tests.quality.conftest import Tapper

TAPPERS = 2


def vapid_key(client: httpx.Client, base: str) -> str:
    page = client.get(base + "/settings/reminders").text
    return re.search(r'data-vapid-key="([^"]+)"', page).group(1)


def lifted(command: str, path, data_dir, database_url: str | None):
    env = {**os.environ, "LIFTED_DATA_DIR": str(data_dir), "LIFTED_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "server", command, *([str(path)] if path else [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_backup_under_tap_load_restores_every_acknowledged_tap(backend, tmp_path):
    drops = []
    urls = [None, None]
    if backend == "postgres":
        for n in range(2):
            urls[n], drop = fresh_postgres_database(migrate=False)
            drops.append(drop)
    try:
        _backup_under_load(tmp_path, urls)
    finally:
        for drop in drops:
            drop()


def _backup_under_load(tmp_path, urls) -> None:
    first, second = tmp_path / "data", tmp_path / "restored"
    first.mkdir()
    server = LiveServer(first, database_url=urls[0]).start()
    try:
        tappers = [Tapper(server.url) for _ in range(TAPPERS)]
        for tapper in tappers:
            tapper.start()
        time.sleep(1.5)
        key = vapid_key(tappers[0].reader.client, server.url)
        began = time.monotonic()
        made = lifted("backup", tmp_path / "backup", first, urls[0])
        time.sleep(0.5)  # taps keep coming after the snapshot too
        for tapper in tappers:
            tapper.stop()
    finally:
        server.stop()
    assert made.returncode == 0, made.stderr
    before = set().union(*(t.before(began) for t in tappers))
    assert len(before) >= 20, "too little load to mean anything"

    restored = lifted("restore", tmp_path / "backup", second, urls[1])
    assert restored.returncode == 0, restored.stderr
    again = LiveServer(second, database_url=urls[1]).start()
    try:
        for tapper in tappers:
            # The same browser, now talking to the restored copy: still signed in.
            with httpx.Client(base_url=again.url, cookies=tapper.reader.client.cookies) as client:
                answer = client.get("/account/export.json")
                assert answer.status_code == 200
                ids = [act["id"] for act in answer.json()["acts"]]
            mine = tapper.before(began)
            assert mine <= set(ids)
            assert len(ids) == len(set(ids))
        # Devices keep receiving: pushes are signed with the same VAPID key as before.
        with httpx.Client(cookies=tappers[0].reader.client.cookies) as client:
            assert vapid_key(client, again.url) == key
        assert (second / "secret_key").read_bytes() == (first / "secret_key").read_bytes()
        # Never over something already there.
        refused = lifted("restore", tmp_path / "backup", second, urls[1])
        assert refused.returncode == 2 and "already" in refused.stderr
    finally:
        again.stop()
        for tapper in tappers:
            tapper.reader.close()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_restore_never_writes_over_a_database_in_use(backend, tmp_path):
    """A clean data folder, but a database that already holds Lifted: refused, and the
    secret key that loading the settings made is gone again, so a retry finds the folder
    as it was."""
    url, drop = fresh_postgres_database() if backend == "postgres" else (None, lambda: None)
    try:
        source = tmp_path / "data"
        assert lifted("migrate", "", source, url).returncode == 0
        assert lifted("backup", tmp_path / "backup", source, url).returncode == 0
        target = tmp_path / "restored"
        if backend == "sqlite":
            target.mkdir()
            (target / "lifted.sqlite3").write_bytes((source / "lifted.sqlite3").read_bytes())
        refused = lifted("restore", tmp_path / "backup", target, url)
        assert refused.returncode == 2
        assert "already" in refused.stderr and "secret_key" not in refused.stderr
        assert not (target / "secret_key").exists()
    finally:
        drop()


def test_a_backup_never_writes_into_a_folder_in_use(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "notes.txt").write_text("mine")
    made = lifted("backup", tmp_path / "backup", tmp_path / "data", None)
    assert made.returncode == 2
    assert "not an empty folder" in made.stderr
    restored = lifted("restore", tmp_path / "nothing-here", tmp_path / "data", None)
    assert restored.returncode == 2 and "not a Lifted backup" in restored.stderr
