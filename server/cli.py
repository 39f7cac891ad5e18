"""The `lifted` command (also `python -m server`): migrate, serve, and operator tasks."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from server.reminders.cli import add_commands as add_reminder_commands
from server.settings import Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        print(f"lifted: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _check_content(settings: Settings) -> None:
    """Stops before serving when an article cannot load, naming the file (not a traceback)."""
    from server.articles.content import ContentError, load_library

    try:
        load_library(settings.content_dir)
    except ContentError as exc:
        print(f"lifted: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _migrate(settings: Settings) -> None:
    from server.db import run_migrations

    try:
        asyncio.run(run_migrations(settings.database_url))
    except OSError as exc:
        print(f"lifted: DATABASE_URL: cannot reach the database ({exc}).", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_migrate(args: argparse.Namespace) -> None:
    _migrate(_settings())
    print("lifted: database is up to date")


def cmd_serve(args: argparse.Namespace) -> None:
    from server import serving

    settings = _settings()
    _check_content(settings)
    if args.workers > 1 and settings.is_sqlite:
        print(
            "lifted: SQLite serves one worker at a time (more would fail with 'database is "
            "locked'). Use --workers 1, or set DATABASE_URL to PostgreSQL for several workers.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    if not args.no_migrate:
        _migrate(settings)
    serving.run(
        "server.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
    )


def cmd_tidy(args: argparse.Namespace) -> None:
    from server import db, housekeeping

    settings = _settings()

    async def run() -> dict:
        await db.open_db(settings.database_url)
        try:
            return await housekeeping.tidy()
        finally:
            await db.close_db()

    print(json.dumps(asyncio.run(run())))


def cmd_backup(args: argparse.Namespace) -> None:
    from server.backup import BackupError, backup

    try:
        manifest = backup(_settings(), Path(args.path))
    except BackupError as exc:
        print(f"lifted: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"lifted: backup written to {args.path} ({manifest['database']['kind']})")


def cmd_restore(args: argparse.Namespace) -> None:
    from server.backup import KEYS, BackupError, restore

    # As Settings reads it; loading Settings makes a secret key where none is yet.
    data_dir = Path(os.environ.get("LIFTED_DATA_DIR") or "./data").expanduser().resolve()
    kept = {name for name, _ in KEYS if (data_dir / name).exists()}
    settings = _settings()
    try:
        restore(settings, Path(args.path), kept)
    except BackupError as exc:
        for name, _ in KEYS:  # a key made just now goes again, so a retry finds the folder empty
            if name not in kept:
                (settings.data_dir / name).unlink(missing_ok=True)
        print(f"lifted: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"lifted: restored from {args.path}; start it with `lifted serve`")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lifted", description="Lifted server")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    serve = sub.add_parser("serve", help="migrate, then serve the app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-migrate", action="store_true", help="skip migrations")
    serve.set_defaults(func=cmd_serve)
    tidy = sub.add_parser("tidy", help="forget expired sessions and deleted acts, then exit")
    tidy.set_defaults(func=cmd_tidy)
    backup = sub.add_parser("backup", help="copy the database and keys to a new folder, live")
    backup.add_argument("path", help="a new (or empty) folder for the backup")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup into an empty data folder")
    restore.add_argument("path", help="a folder written by `lifted backup`")
    restore.set_defaults(func=cmd_restore)
    add_reminder_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
