"""Every database query about reminders: settings, devices, the calendar token, and the
scheduler's claims. Callers get plain dataclasses, never querysets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.acts.models import Act
from server.identity.models import Account
from server.kindness import service as kindness
from server.reminders import schedule
from server.reminders.models import PushSubscription, ReminderOccurrence, ReminderSettings
from server.reminders.plans import SettingsView, settings_view

MAX_DEVICES = 10  # per account: each one costs a push at every reminder
# Failures in a row (each after its retries) before a device counts as gone: with a daily
# reminder, five days of nothing arriving.
GONE_AFTER = 5


@dataclass(frozen=True)
class Device:
    id: int
    label: str
    created_at: datetime
    last_delivered_at: datetime | None
    last_error: str | None
    gone_at: datetime | None = None

    @property
    def live(self) -> bool:
        return self.gone_at is None


@dataclass(frozen=True)
class Due:
    account_id: str
    due_at: datetime
    settings: SettingsView


def _next(view: SettingsView, now: datetime) -> datetime | None:
    return schedule.next_due(view.plan, now) if view.enabled else None


async def get_settings(account: Account | None) -> SettingsView:
    row = await ReminderSettings.get_or_none(account_id=account.id) if account else None
    mask = await kindness.mask(account)
    ends = {account.id: account.day_ends_at} if account else {}
    if row is None:
        return SettingsView(kindness_days=mask, day_end=account.day_ends_at if account else 0)
    return settings_view(row, mask, ends)


async def save_settings(account: Account, view: SettingsView, now: datetime) -> SettingsView:
    """Stores the reader's choices and when the next reminder falls due."""
    row = await ReminderSettings.get_or_none(account_id=account.id)
    view.kindness_days = await kindness.mask(account)
    if row is not None:
        view.paused_until, view.calendar_token = row.paused_until, row.calendar_token
        view.snoozed_until = row.snoozed_until
    values = {
        "enabled": view.enabled,
        "time_of_day": view.time_of_day,
        "days": schedule.days_mask(view.days),
        "timezone": view.timezone,
        "quiet_start": view.quiet_start or None,
        "quiet_end": view.quiet_end or None,
        "skip_if_logged": view.skip_if_logged,
        "extra_times": [
            {
                "at": t.time_of_day,
                "days": schedule.days_mask(t.days),
                "skip_if_logged": t.skip_if_logged,
            }
            for t in view.more_times
        ],
        "discreet": view.discreet,
        "kindness_only": view.kindness_only,
        "next_due_at": _next(view, now),
    }
    if row is None:
        await ReminderSettings.create(account_id=account.id, **values)
    else:
        await ReminderSettings.filter(account_id=account.id).update(**values)
    return await get_settings(account)


async def set_pause(account: Account, until: datetime | None, now: datetime) -> bool:
    """Pauses (or, with None, resumes) reminders; False when nothing is set up yet."""
    view = await get_settings(account)
    if not view.saved:
        return False
    view.paused_until = until
    await ReminderSettings.filter(account_id=account.id).update(
        paused_until=until, next_due_at=_next(view, now)
    )
    return True


async def snooze(account: Account, now: datetime) -> tuple[str, datetime | None, str]:
    """ "Snooze 1 hour": one more reminder an hour from now, unless reminders are off or
    paused ("off"), or that hour falls in quiet hours ("quiet": nothing more until the next
    reminder time). Snoozing again moves the one snooze, never adds a second. Returns the
    outcome, the new instant (when snoozed) and the reader's time zone, for saying when."""
    view = await get_settings(account)
    plan = view.plan
    if not view.enabled or (plan.paused_until and plan.paused_until > now):
        return "off", None, view.timezone
    until = (now + schedule.SNOOZE).replace(second=0, microsecond=0) + timedelta(minutes=1)
    if schedule.in_quiet_hours(
        until.astimezone(plan.zone).time(), plan.quiet_start, plan.quiet_end
    ):
        return "quiet", None, view.timezone
    view.snoozed_until = until
    # A reminder already due and not yet sent stays first in line (the scheduler then moves
    # on to the snooze); otherwise the snooze may now be the next one.
    pending = view.next_due_at if view.next_due_at and view.next_due_at <= now else None
    await ReminderSettings.filter(account_id=account.id).update(
        snoozed_until=until, next_due_at=pending or _next(view, now)
    )
    return "snoozed", until, view.timezone


async def set_calendar_token(account: Account, token: str | None) -> None:
    if not (await get_settings(account)).saved:
        await ReminderSettings.create(account_id=account.id)
    await ReminderSettings.filter(account_id=account.id).update(calendar_token=token)


async def shut_out(account: Account) -> str | None:
    """Taking the account back: every device stops getting notifications, and a calendar link
    is replaced by a new one (whoever copied the old one sees nothing more)."""
    devices = await PushSubscription.filter(account_id=account.id).delete()
    replaced = await ReminderSettings.filter(
        account_id=account.id, calendar_token__isnull=False
    ).update(calendar_token=secrets.token_urlsafe(24))
    said = []
    if devices:
        plural = "s" if devices != 1 else ""
        said.append(
            f"Notifications are off on {devices} device{plural}; turn them on again here in "
            "Reminders."
        )
    if replaced:
        said.append("Your calendar link is replaced; subscribe to the new one in Reminders.")
    return " ".join(said) or None


async def settings_for_calendar(token: str) -> tuple[str, SettingsView] | None:
    row = await ReminderSettings.get_or_none(calendar_token=token)
    if row is None:
        return None
    mask = (await kindness.masks([row.account_id])).get(row.account_id, 0)
    return str(row.account_id), settings_view(row, mask)


async def devices(account: Account | None) -> list[Device]:
    if account is None:
        return []
    rows = await PushSubscription.filter(account_id=account.id).order_by("created_at")
    return [
        Device(r.id, r.label, r.created_at, r.last_delivered_at, r.last_error, r.gone_at)
        for r in rows
    ]


async def save_subscription(
    account: Account, endpoint: str, p256dh: str, auth: str, label: str, replaces: str = ""
) -> str:
    """Stores a device: "saved", "elsewhere" when another account already has this endpoint
    (it stays there: posting an endpoint proves nothing about whose device it is), or "full"
    when the account already has MAX_DEVICES other devices. ``replaces``: this browser's
    earlier endpoint (a renewed subscription), removed from this account only."""
    for _ in range(2):
        try:
            return await _save_subscription(account, endpoint, p256dh, auth, label, replaces)
        except IntegrityError:  # the same endpoint arrived twice at once: the row now decides
            continue
    return "elsewhere"


async def _save_subscription(account, endpoint, p256dh, auth, label, replaces) -> str:
    values = {"p256dh": p256dh, "auth": auth, "label": label}
    async with in_transaction():
        # Locks the account row (PostgreSQL; SQLite writes one at a time anyway), so two
        # subscribes at once can't both see room for one more device.
        await Account.select_for_update().filter(id=account.id).first()
        if replaces and replaces != endpoint:
            await PushSubscription.filter(account_id=account.id, endpoint=replaces).delete()
        row = await PushSubscription.get_or_none(endpoint=endpoint)
        if row is not None:
            if str(row.account_id) != str(account.id):
                return "elsewhere"
            # Subscribing again is the fix for a gone or failing device.
            await PushSubscription.filter(id=row.id).update(
                **values, last_error=None, failures=0, gone_at=None
            )
            return "saved"
        mine = PushSubscription.filter(account_id=account.id)
        if await mine.count() >= MAX_DEVICES:
            # Gone devices make room first: they receive nothing anyway.
            await mine.filter(gone_at__isnull=False).delete()
            if await mine.count() >= MAX_DEVICES:
                return "full"
        await PushSubscription.create(account_id=account.id, endpoint=endpoint, **values)
    return "saved"


async def device_state(account: Account | None, endpoint: str) -> str:
    """What the server does with this browser's endpoint, for a page's start-up check:
    "live" (sends to it), "gone" (stopped: renew it), "elsewhere" (another account holds it:
    make a new one), "absent" (the reader removed it: leave it off) or "unknown" (nobody is
    signed in: change nothing)."""
    if account is None:
        return "unknown"
    row = await PushSubscription.get_or_none(endpoint=endpoint)
    if row is None:
        return "absent"
    if str(row.account_id) != str(account.id):
        return "elsewhere"
    return "live" if row.gone_at is None else "gone"


async def renew_all(now: datetime, reason: str) -> int:
    """Every live device stops receiving until its page subscribes again (a new VAPID key:
    pushes signed with it can't reach subscriptions made for the old one)."""
    return await PushSubscription.filter(gone_at=None).update(gone_at=now, last_error=reason)


async def remove_subscription(account: Account, endpoint: str) -> bool:
    return bool(await PushSubscription.filter(account_id=account.id, endpoint=endpoint).delete())


async def remove_device(account: Account, device_id: int) -> bool:
    return bool(await PushSubscription.filter(account_id=account.id, id=device_id).delete())


async def subscriptions_of(account_id) -> list[tuple[int, dict]]:
    """The devices still receiving reminders."""
    rows = await PushSubscription.filter(account_id=account_id, gone_at__isnull=True).order_by("id")
    return [
        (r.id, {"endpoint": r.endpoint, "keys": {"p256dh": r.p256dh, "auth": r.auth}}) for r in rows
    ]


async def record_delivery(device_id: int, now: datetime) -> None:
    await PushSubscription.filter(id=device_id).update(
        last_delivered_at=now, last_error=None, failures=0
    )


async def record_failure(device_id: int, detail: str, now: datetime) -> None:
    """One more failure in a row; the GONE_AFTER-th makes the device gone."""
    row = await PushSubscription.get_or_none(id=device_id)
    if row is not None:
        values = {"last_error": detail[:300], "failures": row.failures + 1}
        if values["failures"] >= GONE_AFTER:
            values["gone_at"] = now
        await PushSubscription.filter(id=device_id).update(**values)


async def mark_gone(device_id: int, detail: str, now: datetime) -> None:
    """The push service no longer knows this device: kept, shown as gone, sent nothing."""
    await PushSubscription.filter(id=device_id).update(last_error=detail[:300], gone_at=now)


async def due(now: datetime, limit: int, exclude: set) -> list[Due]:
    """Enabled settings whose next reminder is due, through the next_due_at index."""
    query = ReminderSettings.filter(enabled=True, next_due_at__lte=now)
    if exclude:
        query = query.exclude(account_id__in=list(exclude))
    rows = await query.order_by("next_due_at").limit(limit)
    masks = await kindness.masks([r.account_id for r in rows if r.kindness_only])
    ends = await day_ends([r.account_id for r in rows])
    return [
        Due(str(r.account_id), r.next_due_at, settings_view(r, masks.get(r.account_id, 0), ends))
        for r in rows
    ]


async def day_ends(account_ids: list) -> dict:
    """When each reader's day ends (server/days.py), for the accounts that keep another hour."""
    if not account_ids:
        return {}
    found = Account.filter(id__in=account_ids, day_ends_at__gt=0)
    return dict(await found.values_list("id", "day_ends_at"))


async def replan(account: Account, now: datetime) -> None:
    """When the next reminder falls due, again: the reader's kindness days changed."""
    view = await get_settings(account)
    if view.saved:
        await ReminderSettings.filter(account_id=account.id).update(next_due_at=_next(view, now))


async def claim(account_id: str, local_date: date, due_at: datetime, kind: str = "time") -> bool:
    """Takes the one reminder due at ``due_at``; False when another process already has it."""
    try:
        await ReminderOccurrence.create(
            account_id=account_id, local_date=local_date, due_at=due_at, kind=kind
        )
    except IntegrityError:
        return False
    return True


async def finish(account_id: str, due_at: datetime, status: str, detail: str = "") -> None:
    await ReminderOccurrence.filter(account_id=account_id, due_at=due_at).update(
        status=status, detail=detail[:300]
    )


async def advance(
    account_id: str, old: datetime, new: datetime | None, snoozed_until: datetime | None
) -> None:
    """Moves next_due_at on, only if the row is still as the scheduler read it: settings saved
    or a snooze asked for meanwhile computed their own next_due_at and keep it."""
    query = ReminderSettings.filter(account_id=account_id, next_due_at=old)
    if snoozed_until is None:
        query = query.filter(snoozed_until__isnull=True)
    else:
        query = query.filter(snoozed_until=snoozed_until)
    await query.update(next_due_at=new)


async def logged_on(account_id, day: date) -> bool:
    return await Act.filter(account_id=account_id, local_date=day).exists()


async def logged_since(account_id, instant: datetime) -> bool:
    return await Act.filter(account_id=account_id, occurred_at__gte=instant).exists()
