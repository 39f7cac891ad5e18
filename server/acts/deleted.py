"""Deleting an act without loss: the act moves whole to ``deleted_acts``, Undo moves it back,
and after the undo window it is purged for good.

Deleting asks nothing, because Undo is there: it is offered for UNDO_FOR (as after a tap) and
still honoured for a few seconds more, so a tap on Undo in its last moment over a slow
connection is not refused. Everything else (history, Progress, the export, the API, the
per-day counts kept by triggers) reads ``acts`` only, so a deleted act is gone from all of
them at once and comes back to all of them on Undo.

Both moves claim their row with a DELETE first, inside one transaction: two Undos (or two
Deletes) sent at once move the act once, and neither can lose it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server import db
from server.acts.models import Act, DeletedAct
from server.acts.service import ActView, _uuid, _view
from server.identity.models import Account

UNDO_FOR = timedelta(seconds=10)
# An Undo tapped as the button goes still counts, whatever the round trip took.
GRACE = timedelta(seconds=5)
KEEP_FOR = UNDO_FOR + GRACE

COLUMNS = (
    "id, account_id, occurred_at, timezone, local_date, category, note, mood_before, "
    "mood_after, private, created_at, updated_at"
)
VALUES = (
    "?::uuid, ?::uuid, ?::timestamptz, ?, ?::date, ?, ?, ?::smallint, ?::smallint, ?::boolean, "
    "?::timestamptz, ?::timestamptz"
)
KEEP_SQL = f"INSERT INTO deleted_acts ({COLUMNS}, deleted_at) VALUES ({VALUES}, ?::timestamptz)"
RESTORE_SQL = f"INSERT INTO acts ({COLUMNS}) VALUES ({VALUES})"


@dataclass(frozen=True)
class Deleted:
    """An act deleted moments ago, and whether its Undo is still offered."""

    act: ActView
    deleted_at: datetime
    undo: bool


def _values(row: Act | DeletedAct) -> tuple:
    return (
        row.id, row.account_id, row.occurred_at, row.timezone, row.local_date, row.category,
        row.note, row.mood_before, row.mood_after, row.private, row.created_at, row.updated_at,
    )  # fmt: skip


async def delete_act(
    account: Account | None, act_id: uuid.UUID | str, now: datetime | None = None
) -> ActView | None:
    """Deletes one act, keeping it whole for Undo; returns what it was, or None when the
    reader has no such act (never had, or another request deleted it first)."""
    key = _uuid(act_id)
    if account is None or key is None:
        return None
    now = now or datetime.now(UTC)
    async with in_transaction():
        row = await Act.get_or_none(id=key, account_id=account.id)
        if row is None or not await Act.filter(id=key, account_id=account.id).delete():
            return None
        # A copy left by an earlier delete of the same id (the tap retried after it).
        await DeletedAct.filter(id=key).delete()
        await db.fetch(KEEP_SQL, *_values(row), now)
    await purge(now)
    return _view(row)


async def restore_act(
    account: Account | None, act_id: uuid.UUID | str, now: datetime | None = None
) -> ActView | None:
    """Undo: puts a deleted act back exactly as it was (id, times, kind, note, moods). None
    when it cannot come back: never deleted, another reader's, already back, or too late."""
    key = _uuid(act_id)
    if account is None or key is None:
        return None
    now = now or datetime.now(UTC)
    mine = {"id": key, "account_id": account.id, "deleted_at__gte": now - KEEP_FOR}
    try:
        async with in_transaction():
            row = await DeletedAct.get_or_none(**mine)
            if row is None or not await DeletedAct.filter(**mine).delete():
                return None
            # The same tap retried after the delete may have stored a bare copy: the whole
            # act, with its note and moods, takes its place.
            await Act.filter(id=key, account_id=account.id).delete()
            await db.fetch(RESTORE_SQL, *_values(row))
    except IntegrityError:
        # The id now names another reader's act: it cannot come back under it.
        return None
    return _view(row)


async def recently_deleted(
    account: Account | None, act_id: str | None, now: datetime | None = None
) -> Deleted | None:
    """The act this reader deleted moments ago under ``act_id`` (for the history's notice),
    or None once it has been purged or put back."""
    key = _uuid(act_id) if act_id else None
    if account is None or key is None:
        return None
    now = now or datetime.now(UTC)
    row = await DeletedAct.get_or_none(
        id=key, account_id=account.id, deleted_at__gte=now - KEEP_FOR
    )
    if row is None:
        return None
    return Deleted(_view(row), row.deleted_at, undo=now - row.deleted_at < UNDO_FOR)


async def purge(now: datetime | None = None) -> int:
    """Forgets every deleted act past its undo window, for good; returns how many."""
    cutoff = (now or datetime.now(UTC)) - KEEP_FOR
    return await DeletedAct.filter(deleted_at__lt=cutoff).delete()
