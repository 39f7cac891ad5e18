"""Reminder dispatch cost: what one reminder costs one process, as a ratio to the push
encryption alone (aes128gcm of the same payload, measured in the same run).

A local push service (tests/integration/push_receiver.py, run as its own process, checking
each VAPID JWT) stands in for FCM/Mozilla/Apple. For each size the database is seeded with that
many readers, each with three reminder times a day (09:00, 13:00, 18:00) and one device; the
ticks at 09:00 and at 13:00 each send every reader's reminder: the claim (the unique
ReminderOccurrence insert), the act check, the next of three times, composing the text,
encryption, VAPID signing and the POST, then the bookkeeping. 100,000 uses the fast path (no
database: compose + encrypt + sign + POST only) unless ``--full`` is given.

    python -m bench.reminders_bench [--sizes 1000,10000,100000] [--full]

Prints JSON and writes bench/results/reminders.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "reminders.json"
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
MORE_TIMES = [
    {"at": "13:00", "days": 127, "skip_if_logged": True},
    {"at": "18:00", "days": 127, "skip_if_logged": False},
]
LOCAL = {"LIFTED_PUSH_ALLOW_HTTP": "true"}  # the receiver is http on 127.0.0.1


def b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def start_receiver(private: int, auth: bytes) -> tuple[subprocess.Popen, str]:
    key = f"{b64url(private.to_bytes(32, 'big'))}:{b64url(auth)}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.push_receiver",
            "--no-decrypt",
            "--shared-key",
            key,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, process.stdout.readline().strip()


async def seed(count: int, origin: str, p256dh: str, auth: str) -> None:
    from server.identity.models import Account
    from server.reminders.models import PushSubscription, ReminderSettings

    step = 2000
    for start in range(0, count, step):
        accounts = [Account() for _ in range(min(step, count - start))]
        await Account.bulk_create(accounts)
        await ReminderSettings.bulk_create(
            [
                ReminderSettings(
                    account_id=a.id,
                    enabled=True,
                    time_of_day="09:00",
                    extra_times=MORE_TIMES,
                    next_due_at=DUE,
                )
                for a in accounts
            ]
        )
        await PushSubscription.bulk_create(
            [
                PushSubscription(
                    account_id=a.id,
                    endpoint=f"{origin}/push/{start + i}",
                    p256dh=p256dh,
                    auth=auth,
                    label="bench",
                )
                for i, a in enumerate(accounts)
            ]
        )


async def full_run(count: int, origin: str, p256dh: str, auth: str, workdir: Path) -> dict:
    from server import db
    from server.reminders import scheduler
    from server.settings import Settings

    url = f"sqlite://{workdir / f'bench-{count}.sqlite3'}"
    await db.run_migrations(url)
    settings = Settings.from_env({"DATABASE_URL": url, "LIFTED_DATA_DIR": str(workdir), **LOCAL})
    sender = scheduler.make_sender(settings, retry_delays=(0.2, 0.5))
    await db.open_db(url)
    try:
        await seed(count, origin, p256dh, auth)
        cpu, wall = time.process_time(), time.perf_counter()
        counts = await scheduler.tick(sender, DUE)
        counts.update(await scheduler.tick(sender, SECOND))  # the same readers' second time
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await db.close_db()
    return _figures(count, "full ticks at 09:00 and 13:00 (SQLite)", counts["sent"], wall, cpu)


def _figures(readers: int, path: str, sent: int, wall: float, cpu: float) -> dict:
    return {
        "readers": readers,
        "path": path,
        "sent": sent,
        "seconds": round(wall, 2),
        "per_second": round(sent / wall, 1),
        "ms_per_reminder": round(1000 * wall / sent, 3),
        "cpu_ms_per_reminder": round(1000 * cpu / sent, 3),
    }


def encryption_alone(p256dh: str, auth: str, samples: int = 3000) -> float:
    """Seconds of CPU one push's aes128gcm encryption takes (pywebpush's own, a real payload)."""
    from pywebpush import WebPusher

    from server.reminders import texts

    payload = texts.compose().payload("https://lifted.example")
    info = {"endpoint": "https://push.example/x", "keys": {"p256dh": p256dh, "auth": auth}}
    cpu = time.process_time()
    for _ in range(samples):
        WebPusher(info).encode(payload.encode(), "aes128gcm")
    return (time.process_time() - cpu) / samples


async def fast_run(count: int, origin: str, p256dh: str, auth: str, workdir: Path) -> dict:
    from server.reminders import scheduler, texts
    from server.settings import Settings

    settings = Settings.from_env(
        {"DATABASE_URL": "sqlite://x", "LIFTED_DATA_DIR": str(workdir), **LOCAL}
    )
    sender = scheduler.make_sender(settings, retry_delays=(0.2, 0.5))
    gate = asyncio.Semaphore(scheduler.PARALLEL)

    async def one(i: int) -> bool:
        async with gate:
            info = {"endpoint": f"{origin}/push/{i}", "keys": {"p256dh": p256dh, "auth": auth}}
            message = texts.compose()
            return (await sender.send(info, message.payload(sender.origin), message.tag)).delivered

    cpu, wall = time.process_time(), time.perf_counter()
    sent = sum(await asyncio.gather(*(one(i) for i in range(count))))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return _figures(count, "fast (compose+encrypt+sign+POST, no database)", sent, wall, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description="Reminder dispatch throughput")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--full", action="store_true", help="full tick for every size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    browser_key = ec.generate_private_key(ec.SECP256R1())
    auth_raw = os.urandom(16)
    p256dh = b64url(
        browser_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    auth = b64url(auth_raw)
    receiver, origin = start_receiver(browser_key.private_numbers().private_value, auth_raw)
    runs = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for count in sizes:
                run = full_run if args.full or count <= 10000 else fast_run
                result = asyncio.run(run(count, origin, p256dh, auth, Path(tmp)))
                # Measured next to each run: the same machine, the same moment.
                result["encryption_ms"] = round(1000 * encryption_alone(p256dh, auth), 3)
                result["ratio_to_encryption"] = round(
                    result["ms_per_reminder"] / result["encryption_ms"], 1
                )
                result["cpu_ratio_to_encryption"] = round(
                    result["cpu_ms_per_reminder"] / result["encryption_ms"], 1
                )
                print(json.dumps(result), file=sys.stderr, flush=True)
                runs.append(result)
    finally:
        receiver.terminate()
        receiver.wait()
    report = {
        "benchmark": "reminders",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "receiver": "tests/integration/push_receiver.py in its own process (JWT checked)",
        "concurrency": {"accounts": 16, "push_threads": 8},
        "times_a_day": 3,
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
