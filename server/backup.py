"""`lifted backup PATH` and `lifted restore PATH`: a consistent copy of everything a reader
would lose, taken while the app serves, and put back only where nothing is yet.

A backup is a folder holding:
- the database: ``lifted.sqlite3`` made with SQLite's online backup API (a snapshot of one
  moment, while writers carry on), or ``lifted.pgdump`` from ``pg_dump --format=custom`` (one
  transaction's snapshot) for PostgreSQL;
- ``secret_key`` and ``vapid_private.pem`` from the data dir when Lifted keeps them there
  (without the first, forms on open pages and "known device" marks stop working; without the
  second no device receives reminders until it turns notifications on again); when they come
  from the environment, ``backup.json`` says so and they must be kept with the rest of the
  configuration;
- ``backup.json``: when, which database kind, which files.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from server.db import pg_credentials
from server.reminders.vapid import FILENAME as VAPID_FILE
from server.settings import Settings

SECRET_FILE = "secret_key"
MANIFEST = "backup.json"
SQLITE_FILE = "lifted.sqlite3"
PG_FILE = "lifted.pgdump"
KEYS = ((SECRET_FILE, "LIFTED_SECRET_KEY"), (VAPID_FILE, "LIFTED_VAPID_PRIVATE_KEY"))


class BackupError(Exception):
    """A plain sentence for the operator: what stopped the backup or restore, and what to do."""


def _sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite://"))


def _empty_folder(path: Path) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path} is not an empty folder: choose a new one for the backup.")
    path.mkdir(parents=True, exist_ok=True)
    _private(path)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed: PostgreSQL's own {name} makes and reads the database "
            "part (Debian: apt-get install postgresql-client)."
        )
    return found


def _libpq(settings: Settings) -> tuple[list[str], dict[str, str]]:
    """pg_dump's and pg_restore's connection options for the database the app itself uses
    (the same defaults as server/db.py: user and database "postgres"), the password in the
    environment rather than on a command line any local user can read."""
    creds = pg_credentials(settings.database_url)
    options = ["--host", creds["host"] or "localhost", "--port", str(creds["port"])]
    options += ["--username", creds["user"], "--dbname", creds["database"]]
    return options, {**os.environ, "PGPASSWORD": creds["password"]}


def _private(path: Path) -> None:
    """Readable by this user only: a backup holds everything readers wrote, and the keys."""
    path.chmod(0o700 if path.is_dir() else 0o600)


def backup(settings: Settings, target: Path) -> dict:
    """Writes the backup folder; returns its manifest."""
    _empty_folder(target)
    if settings.is_sqlite:
        source_path = _sqlite_path(settings)
        if not source_path.exists():
            raise BackupError(f"There is no database at {source_path} yet: nothing to back up.")
        (target / SQLITE_FILE).touch(mode=0o600)
        try:
            source = sqlite3.connect(source_path.resolve().as_uri() + "?mode=ro", uri=True)
            copy = sqlite3.connect(target / SQLITE_FILE)
            try:
                with copy:
                    source.backup(copy)  # one consistent snapshot, while the app keeps writing
            finally:
                copy.close()
                source.close()
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite could not copy {source_path}: {exc}.") from None
        database = {"kind": "sqlite", "file": SQLITE_FILE}
    else:
        options, env = _libpq(settings)
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", *options]
        command += ["--file", str(target / PG_FILE)]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
        _private(target / PG_FILE)
        database = {"kind": "postgres", "file": PG_FILE}
    keys = {}
    for name, in_env in KEYS:
        kept = settings.data_dir / name
        if kept.exists():
            shutil.copy2(kept, target / name)
            (target / name).chmod(0o600)
            keys[name] = name
        else:
            keys[name] = f"from {in_env}: keep it with your configuration"
    manifest = {
        "lifted_backup": 1,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database,
        "keys": keys,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{source} is not a Lifted backup (no readable {MANIFEST}).") from None
    if manifest.get("lifted_backup") != 1:
        raise BackupError(f"{source}: a backup format this version doesn't know.")
    return manifest


async def _postgres_is_empty(settings: Settings) -> bool:
    import asyncpg

    creds = pg_credentials(settings.database_url)
    connection = await asyncpg.connect(
        host=creds["host"],
        port=creds["port"],
        user=creds["user"],
        password=creds["password"] or None,
        database=creds["database"],
    )
    try:
        tables = await connection.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
    finally:
        await connection.close()
    return tables == 0


def restore(settings: Settings, source: Path, kept: set[str]) -> dict:
    """Puts a backup into this configuration's data dir and database, both still empty.
    ``kept``: the key files the data dir held before this command (loading the settings makes
    a secret key where none is; that one is replaced by the backup's)."""
    import asyncio

    manifest = _read_manifest(source)
    kind = manifest["database"]["kind"]
    if kind == "sqlite" and not settings.is_sqlite or kind == "postgres" and settings.is_sqlite:
        raise BackupError(
            f"This backup holds a {kind} database but DATABASE_URL is "
            f"{'SQLite' if settings.is_sqlite else 'PostgreSQL'}: restore into the same kind."
        )
    for name in (SECRET_FILE, VAPID_FILE):
        if (source / name).exists() and name in kept:
            raise BackupError(
                f"{settings.data_dir / name} already exists: restore into an empty data folder."
            )
    if kind == "sqlite":
        target = _sqlite_path(settings)
        if target.exists():
            raise BackupError(f"{target} already exists: restore into an empty data folder.")
        if Path(f"{target}-wal").exists():
            raise BackupError(f"{target}-wal is left from an earlier database: move it away.")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copied under another name first, then put in place whole (never a half copy).
        partial = target.with_name(target.name + ".restoring")
        shutil.copyfile(source / SQLITE_FILE, partial)
        _private(partial)
        os.link(partial, target)  # fails, rather than replaces, if one appeared meanwhile
        partial.unlink()
    else:
        if not asyncio.run(_postgres_is_empty(settings)):
            raise BackupError("The database in DATABASE_URL already has tables: use an empty one.")
        options, env = _libpq(settings)
        command = [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
        command += [*options, str(source / PG_FILE)]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for name in (SECRET_FILE, VAPID_FILE):
        if (source / name).exists():
            shutil.copy2(source / name, settings.data_dir / name)
            (settings.data_dir / name).chmod(0o600)
    return manifest
