"""Reminder commands for `python -m server`: `vapid [--rotate]` and `reminders tick [--at ...]`."""

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

    settings = _settings()
    try:
        if not args.rotate:
            print(vapid.public_key(vapid.load(settings)))
            return
        key = vapid.public_key(vapid.rotate(settings))
    except SettingsError as exc:
        print(f"lifted: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    renewing = asyncio.run(_renew_all(settings))
    print(key)
    print(
        f"lifted: new Web Push key. {_devices(renewing)} when Lifted is next opened there. "
        "Restart every Lifted process so they sign with the new key.",
        file=sys.stderr,
    )


def _devices(count: int) -> str:
    return "1 device renews itself" if count == 1 else f"{count} devices renew themselves"


async def _renew_all(settings) -> int:
    from server import db
    from server.reminders import push, schedule, service

    await db.open_db(settings.database_url)
    try:
        return await service.renew_all(schedule.utcnow(), push.RENEW)
    finally:
        await db.close_db()


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
    vapid = sub.add_parser("vapid", help="print the Web Push public key")
    vapid.add_argument(
        "--rotate", action="store_true", help="make a new key; devices renew when next opened"
    )
    vapid.set_defaults(func=cmd_vapid)
    reminders = sub.add_parser("reminders", help="reminder tasks")
    tasks = reminders.add_subparsers(dest="task", required=True)
    tick = tasks.add_parser("tick", help="send every reminder due now (or --at), then exit")
    tick.add_argument("--at", type=_at, default=None, help="an ISO time, e.g. 2026-11-24T09:00:00Z")
    tick.set_defaults(func=cmd_tick)
