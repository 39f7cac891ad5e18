"""The reminder scheduler: one ``tick`` sends everything due at an instant, exactly once.

Several processes may tick at the same moment (uvicorn workers, the `reminders tick` command,
other hosts on one PostgreSQL). Each occurrence (a reminder time on one day, or a snooze) is
claimed by inserting its unique (account, instant) ReminderOccurrence row; whoever loses the
insert leaves it alone.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import anyio

from server.reminders import push, schedule, service, texts, vapid
from server.reminders.push import Sender
from server.rest import service as rest
from server.settings import Settings
from server.tasks import in_background

log = logging.getLogger("lifted.reminders")

GRACE = timedelta(hours=2)  # a server that was down sends late only within this window
BATCH = 500
INTERVAL = 30.0  # seconds between ticks inside the app
PARALLEL = 16  # accounts handled at once within a tick


async def tick(
    sender: Sender, now: datetime, *, grace: timedelta = GRACE, rng: random.Random | None = None
) -> Counter:
    """Handles every reminder due at ``now``; returns how many were sent, skipped, etc."""
    counts: Counter = Counter()
    seen: set = set()
    gate = asyncio.Semaphore(PARALLEL)

    async def one(item: service.Due) -> None:
        async with gate:
            try:
                counts[await _occurrence(sender, item, now, grace, rng)] += 1
            except Exception:  # one reader's trouble must not stop everyone else's reminder
                log.exception("reminder for one account failed")
                counts["error"] += 1

    while True:
        batch = [
            d for d in await service.due(now, BATCH, set()) if (d.account_id, d.due_at) not in seen
        ]
        if not batch:
            return counts
        seen.update((d.account_id, d.due_at) for d in batch)
        await asyncio.gather(*(one(item) for item in batch))


async def _occurrence(sender, item: service.Due, now, grace, rng) -> str:
    plan = item.settings.plan
    local_date = schedule.local_date_of(item.due_at, plan.timezone, plan.day_end)
    kind = "snooze" if plan.snoozed_until == item.due_at else "time"
    # Occurrences missed by more than the grace window are passed over, not sent in a burst.
    following = schedule.next_due(plan, max(item.due_at, now - grace))
    # Conditional on the row as read: a snooze or a save since then keeps its own next time.
    moved = (item.account_id, item.due_at, following, plan.snoozed_until)
    if not await service.claim(item.account_id, local_date, item.due_at, kind):
        await service.advance(*moved)
        return "taken"
    await service.advance(*moved)
    logged = await service.logged_on(item.account_id, local_date)
    reason = await _reason_to_skip(item, plan, kind, logged, now, grace, following)
    if reason:
        await service.finish(item.account_id, item.due_at, "skipped", reason)
        return "skipped"
    # The badge says "nothing logged yet today": never set by a reminder sent after an act.
    message = texts.compose(rng, discreet=item.settings.discreet, badge=not logged)
    delivered, total, detail = await send_to_devices(sender, item.account_id, message, now)
    if total == 0:
        await service.finish(item.account_id, item.due_at, "skipped", "no push devices")
        return "skipped"
    status = "sent" if delivered else "failed"
    await service.finish(item.account_id, item.due_at, status, detail)
    return status


async def _reason_to_skip(item, plan, kind, logged: bool, now, grace, following) -> str:
    if now - item.due_at > grace:
        return "late: the server was not running at the reminder time"
    if following is not None and following <= now:
        return "late: a later reminder was due too, and only that one is sent"
    if plan.paused_until and plan.paused_until > now:
        return "paused"
    day = schedule.local_date_of(item.due_at, plan.timezone, plan.day_end)
    if await rest.resting_on(item.account_id, day):
        return "resting: the reader is taking a break"
    if schedule.in_quiet_hours(now.astimezone(plan.zone).time(), plan.quiet_start, plan.quiet_end):
        return "quiet hours"
    if kind == "snooze":
        # Snoozed to do one later: done since asking means no need to ask again.
        asked = item.due_at - schedule.SNOOZE - timedelta(minutes=1)
        if await service.logged_since(item.account_id, asked):
            return "an act was logged after the snooze"
        return ""
    # Two times at one instant are one reminder: skipped only if every one of them says so.
    slots = schedule.slots_at(plan, item.due_at)
    if not slots:  # an instant left from a snooze since moved, or a time since changed
        return "the reminder time changed"
    if all(s.skip_if_logged for s in slots) and logged:
        return "an act was already logged that day"
    return ""


async def send_to_devices(
    sender: Sender, account_id, message: texts.Message, now: datetime
) -> tuple[int, int, str]:
    """Sends one message to each of an account's devices: (delivered, devices, last error)."""
    devices = await service.subscriptions_of(account_id)
    payload = message.payload(sender.origin)
    results = await asyncio.gather(
        *(sender.send(info, payload, topic=message.tag) for _, info in devices),
        return_exceptions=True,  # one device's failure never stops the others
    )
    outcomes = [_outcome(result) for result in results]
    errors = []
    for (device_id, _), outcome in zip(devices, outcomes, strict=True):
        if outcome.delivered:
            await service.record_delivery(device_id, now)
        elif outcome.status == "gone":
            await service.mark_gone(device_id, outcome.detail, now)
            errors.append(outcome.detail)
        else:
            await service.record_failure(device_id, outcome.detail, now)
            errors.append(outcome.detail)
    delivered = sum(o.delivered for o in outcomes)
    return delivered, len(devices), errors[-1] if errors else ""


def _outcome(result) -> push.Outcome:
    if isinstance(result, push.Outcome):
        return result
    if not isinstance(result, Exception):  # cancellation and the like end the whole send
        raise result
    log.error("a push failed unexpectedly (%s)", type(result).__name__)
    return push.Outcome("failed", push.TROUBLE)


async def run_forever(sender: Sender, interval: float = INTERVAL) -> None:
    while True:
        try:
            counts = await tick(sender, schedule.utcnow())
            if counts:
                log.info("reminders: %s", dict(counts))
        except Exception:  # a database hiccup must not end the scheduler for good
            log.exception("reminder tick failed")
        await anyio.sleep(interval)


def make_sender(settings: Settings, **options) -> Sender:
    options.setdefault("allow_local", settings.push_allow_http)
    options.setdefault("origin", settings.base_url)
    return Sender(vapid.load(settings), settings.vapid_subject, **options)


def lifespan(settings: Settings):
    """The app's lifespan part: loads the VAPID key and, when enabled, runs the scheduler."""

    @asynccontextmanager
    async def reminders(app):
        sender = make_sender(settings)
        app.state.push_sender = sender
        app.state.vapid_public_key = vapid.public_key(sender.vapid)
        async with in_background(run_forever(sender, INTERVAL) if settings.scheduler else None):
            yield

    return reminders
