"""Three processes ticking the same instant on one PostgreSQL send each reminder exactly once,
at each of several reminder times a day."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from server import db
from server.reminders.plans import TimeView
from tests.conftest import fresh_postgres_database, run
from tests.integration.push_receiver import PushService
from tests.integration.support import reader

ROOT = Path(__file__).resolve().parents[2]
READERS = 30


async def _populate(url: str, receiver) -> list[str]:
    await db.open_db(url)
    try:
        names = []
        saved = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
        for i in range(READERS):
            # Two devices for some readers: each device still gets exactly one reminder.
            # Two times a day (09:00 and 13:00), the second without skipping.
            _, devices = await reader(
                receiver,
                saved,
                devices=1 + (i % 3 == 0),
                more_times=[TimeView("13:00", list(range(7)), False)],
            )
            names.extend(devices)
        return names
    finally:
        await db.close_db()


@pytest.mark.postgres
def test_three_processes_send_each_reminder_exactly_once(tmp_path):
    url, drop = fresh_postgres_database()
    try:
        with PushService() as receiver:
            devices = run(_populate(url, receiver))
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "LIFTED_DATA_DIR": str(tmp_path),  # shared: they must agree on one VAPID key
                "LIFTED_PUSH_ALLOW_HTTP": "true",
                "LIFTED_LOG_LEVEL": "WARNING",
            }
            for round, instant in enumerate(["2026-11-24T09:00:00Z", "2026-11-24T13:00:00Z"], 1):
                outputs = _three_ticks(env, instant)
                assert receiver.errors == []
                assert Counter(receiver.count(name) for name in devices) == {round: len(devices)}
                totals = Counter()
                for output in outputs:
                    totals.update(json.loads(output.strip().splitlines()[-1])["reminders"])
                # Whoever lost a claim ("taken") or found the row already advanced sent nothing.
                assert totals["sent"] == READERS
            assert len({d.vapid_key for d in receiver.deliveries}) == 1
    finally:
        drop()


def _three_ticks(env: dict, instant: str) -> list[str]:
    command = [sys.executable, "-m", "server", "reminders", "tick", "--at", instant]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    return outputs
