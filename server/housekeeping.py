"""Tidying each app process does in the background: every minute, deleted acts past their
undo window are forgotten for good (they can no longer be restored or seen); once an hour,
sessions past their idle limit are deleted (already refused at lookup; this keeps the table
small).

Runs inside the app with the reminder scheduler (``LIFTED_SCHEDULER``), or from cron with
``python -m server tidy`` where the scheduler is off. Any number of processes may run it.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from datetime import datetime

from server.acts import deleted
from server.identity import sessions
from server.tasks import in_background

log = logging.getLogger("lifted.housekeeping")
INTERVAL = 60.0
SESSIONS_EVERY = 60  # rounds of INTERVAL: once an hour


async def tidy(now: datetime | None = None, *, sessions_too: bool = True) -> dict[str, int]:
    done = {"deleted_acts_purged": await deleted.purge(now)}
    if sessions_too:
        done["sessions_removed"] = await sessions.remove_expired(now)
    return done


async def _run_forever(interval: float) -> None:
    rounds = 0
    while True:
        try:
            done = await tidy(sessions_too=rounds % SESSIONS_EVERY == 0)
            if any(done.values()):
                log.info("housekeeping: %s", done)
        except Exception:  # a database hiccup must not end the loop for good
            log.exception("housekeeping failed")
        rounds += 1
        await asyncio.sleep(interval)


def lifespan(enabled: bool):
    @asynccontextmanager
    async def housekeeping(app):
        async with in_background(_run_forever(INTERVAL) if enabled else None):
            yield

    return housekeeping
