"""Reminder commands for `python -m server`: `vapid` and `reminders tick [--at ...]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime


def _at(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a time like 2026-11-24T09:00:00Z"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def cmd_vapid(args: argparse.Namespace) -> None:
    from server.cli import _settings
    from server.reminders import vapid
    from server.settings import SettingsError

    try:
        print(vapid.public_key(vapid.load(_settings())))
    except SettingsError as exc:
        print(f"lifted: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


async def _tick(settings, at: datetime | None) -> dict:
    from server import db
    from server.reminders import schedule, scheduler

    sender = scheduler.make_sender(settings)
    await db.open_db(settings.database_url)
    try:
        counts = await scheduler.tick(sender, at or schedule.utcnow())
    finally:
        await db.close_db()
    return dict(counts)


def cmd_tick(args: argparse.Namespace) -> None:
    from server.cli import _settings
    from server.settings import SettingsError

    settings = _settings()
    try:
        counts = asyncio.run(_tick(settings, args.at))
    except SettingsError as exc:
        print(f"lifted: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(json.dumps({"reminders": counts}))


def add_commands(sub) -> None:
    sub.add_parser("vapid", help="print the Web Push public key").set_defaults(func=cmd_vapid)
    reminders = sub.add_parser("reminders", help="reminder tasks")
    tasks = reminders.add_subparsers(dest="task", required=True)
    tick = tasks.add_parser("tick", help="send every reminder due now (or --at), then exit")
    tick.add_argument("--at", type=_at, default=None, help="an ISO time, e.g. 2026-11-24T09:00:00Z")
    tick.set_defaults(func=cmd_tick)
