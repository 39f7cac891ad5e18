"""Tidying each app process does in the background, once an hour: sessions past their idle
limit are deleted (they are already refused at lookup; this keeps the table small).

Runs inside the app with the reminder scheduler (``LIFTED_SCHEDULER``), or from cron with
``python -m server tidy`` where the scheduler is off. Any number of processes may run it.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager, suppress
from datetime import datetime

from server.identity import sessions

log = logging.getLogger("lifted.housekeeping")
INTERVAL = 3600.0


async def tidy(now: datetime | None = None) -> dict[str, int]:
    return {"sessions_removed": await sessions.remove_expired(now)}


async def _run_forever(interval: float) -> None:
    while True:
        try:
            done = await tidy()
            if any(done.values()):
                log.info("housekeeping: %s", done)
        except Exception:  # a database hiccup must not end the loop for good
            log.exception("housekeeping failed")
        await asyncio.sleep(interval)


def lifespan(enabled: bool):
    @asynccontextmanager
    async def housekeeping(app):
        task = asyncio.create_task(_run_forever(INTERVAL)) if enabled else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    return housekeeping
