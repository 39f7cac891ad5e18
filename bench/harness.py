"""Processes and databases for the benchmarks: the app and the floor in subprocesses, fresh
SQLite and PostgreSQL databases, wrk runs, and readers with real sessions and history."""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import psutil

from tests.support import csrf_in

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A server in a subprocess (the app via `python -m server serve`, or the floor)."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.env = env
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.argv} exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.argv} did not start in 60 s")

    def rss_mb(self) -> float:
        """Resident memory of the worker (uvicorn with one worker serves in this process)."""
        return round(psutil.Process(self.proc.pid).memory_info().rss / 2**20, 1)

    def cpu_seconds(self) -> float:
        """User and system CPU the server has used so far (its workers included)."""
        main = psutil.Process(self.proc.pid)
        times = [each.cpu_times() for each in (main, *main.children(recursive=True))]
        return sum(t.user + t.system for t in times)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def base_env(data_dir: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "LIFTED_DATA_DIR": str(data_dir),
        "LIFTED_LOG_LEVEL": "WARNING",
        "LIFTED_SCHEDULER": "false",
    }


def app_server(data_dir: Path, database_url: str, workers: int = 1) -> Process:
    argv = [sys.executable, "-m", "server", "serve", "--port", "{port}", "--no-migrate"]
    argv += ["--workers", str(workers)]
    return Process(argv, base_env(data_dir, database_url), data_dir / "app.log")


def floor_server(data_dir: Path, database_url: str) -> Process:
    # The same server and options `python -m server serve` gives uvicorn (server/serving.py).
    argv = [sys.executable, "-m", "bench.floor_app", "--port", "{port}"]
    return Process(argv, base_env(data_dir, database_url), data_dir / "floor.log")


def migrate(data_dir: Path, database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "server", "migrate"],
        cwd=ROOT,
        env=base_env(data_dir, database_url),
        check=True,
        capture_output=True,
    )


async def create_pg_database() -> str:
    """A new PostgreSQL database, like tests/conftest.py makes for each test run."""
    name = f"lifted_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return f"{PG_ADMIN.rpartition('/')[0]}/{name}"


async def drop_pg_database(url: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')
    finally:
        await conn.close()


def wrk(
    url: str, mode: str, path: str, extra: str = "", seconds: int = 10, connections: int = 8
) -> dict:
    """One wrk run (8 connections on 2 threads unless told); figures from wrk.lua's done().
    A request slower than 30 s counts as an error (a timeout), never as a latency."""
    threads = min(2, connections)
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    argv += ["--latency", "-s", str(BENCH / "wrk.lua")]
    argv += [url, "--", mode, path, extra]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 90).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{out}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {
        "requests": raw["requests"],
        "per_second": round(raw["requests"] / seconds_run, 1),
        "errors": errors,
        "latency_ms": {k: round(v / 1000, 2) for k, v in raw["latency_us"].items()},
    }


def tap_form(token: str) -> dict[str, str]:
    return {
        "id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timezone": "UTC",
        "_csrf_token": token,
    }


def make_sessions(url: str, count: int, path: Path) -> int:
    """``count`` anonymous readers, each made the way a browser makes one: GET / for the CSRF
    cookie, then a first tap that creates the account and its session cookie."""
    lines = []
    for n in range(count):
        # Each reader from an address of its own (all of 127.0.0.0/8 is this machine), as real
        # readers are: one address may start only so many anonymous accounts an hour.
        transport = httpx.HTTPTransport(local_address=f"127.0.{1 + n // 250}.{1 + n % 250}")
        with httpx.Client(base_url=url, timeout=10, transport=transport) as client:
            token = csrf_in(client.get("/").text)
            response = client.post("/acts", data=tap_form(token), headers={"x-csrftoken": token})
            if response.status_code >= 400:
                raise RuntimeError(f"first tap answered {response.status_code}")
            cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            lines.append(f"{cookies} {client.cookies['csrftoken']}")
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


async def _seed(database_url: str, readers: list[tuple[int, int]]) -> list[str]:
    """Accounts with ``acts`` acts spread over ``days`` days; returns their cookie headers."""
    from server import db
    from server.acts.models import Act
    from server.identity.models import Account, Session
    from server.identity.sessions import COOKIE, token_hash

    await db.open_db(database_url)
    cookies = []
    try:
        rng = random.Random(7)
        now = datetime.now(UTC)
        for acts, days in readers:
            account = await Account.create()
            token = secrets.token_urlsafe(32)
            await Session.create(id=token_hash(token), account=account)
            batch = []
            for _ in range(acts):
                at = now - timedelta(seconds=rng.randrange(days * 86400))
                batch.append(
                    Act(
                        id=uuid.uuid4(),
                        account=account,
                        occurred_at=at,
                        timezone="UTC",
                        local_date=at.date(),
                        category=rng.choice([None, "helping", "listening", "giving", "family"]),
                    )
                )
                if len(batch) == 2000:
                    await Act.bulk_create(batch)
                    batch = []
            if batch:
                await Act.bulk_create(batch)
            cookies.append(f"{COOKIE}={token}")
    finally:
        await db.close_db()
    return cookies


def seed_readers(database_url: str, readers: list[tuple[int, int]]) -> list[str]:
    return asyncio.run(_seed(database_url, readers))


def count_acts(database_url: str) -> int:
    async def count() -> int:
        from server import db
        from server.acts.models import Act

        await db.open_db(database_url)
        try:
            return await Act.all().count()
        finally:
            await db.close_db()

    return asyncio.run(count())


def fresh_dir(name: str) -> Path:
    path = BENCH / "results" / "work" / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
