"""The only place that reads and writes acts (with ``deleted.py``, which deletes and undoes).
Every function is scoped to one account, so no query can return another reader's acts.
Results are plain dataclasses, never model objects.

Other features (the JSON API, progress, reminders) call these functions too.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError

from server import db
from server.acts.content import kind_label
from server.acts.forms import ActDetails, ActInput, local_date, valid_timezone
from server.acts.models import Act, ActDay, HeldAct
from server.acts.pages import ActPage, HeldView, held_view
from server.acts.week import week_counts, week_of
from server.identity.cache import forget_account
from server.identity.models import Account
from server.parsing import uuid_or_none

PER_PAGE = 20
EXPORT_FIELDS = (
    "id",
    "occurred_at",
    "timezone",
    "local_date",
    "category",
    "note",
    "mood_before",
    "mood_after",
    "private",
)


class ActIdTaken(Exception):
    """The idempotency key already names an act of another account. Says nothing about it."""


class ActHeld(Exception):
    """The act's time was out of bounds: it was kept aside (``held``) for the reader to review."""

    def __init__(self, held: HeldView) -> None:
        super().__init__(held.reason)
        self.held = held


@dataclass(frozen=True)
class ActView:
    id: str
    occurred_at: datetime
    timezone: str
    local_date: date
    category: str | None
    note: str | None
    mood_before: int | None
    mood_after: int | None
    created_at: datetime
    private: bool = False  # kept out of look-back and sharing

    @property
    def kind(self) -> str:
        """The kind's name, or the one name for an act whose kind was not chosen."""
        return kind_label(self.category)

    @property
    def note_first_line(self) -> str:
        """The note's first line, for a row in the history (the page ellipsises it)."""
        lines = (self.note or "").strip().splitlines()
        return lines[0].strip() if lines else ""

    @property
    def local_time(self) -> str:
        return self.occurred_at.astimezone(ZoneInfo(self.timezone)).strftime("%H:%M")

    def as_dict(self) -> dict:
        """The act as JSON-ready values (the export's and the API's shape)."""
        return _exported({name: getattr(self, name) for name in EXPORT_FIELDS})


def _exported(data: dict) -> dict:
    data["id"] = str(data["id"])
    data["occurred_at"] = data["occurred_at"].astimezone(UTC).isoformat().replace("+00:00", "Z")
    data["local_date"] = data["local_date"].isoformat()
    return data


def _view(row: Act) -> ActView:
    return ActView(
        id=str(row.id),
        occurred_at=row.occurred_at,
        timezone=row.timezone,
        local_date=row.local_date,
        category=row.category,
        note=row.note,
        mood_before=row.mood_before,
        mood_after=row.mood_after,
        created_at=row.created_at,
        private=row.private,
    )


def _uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    return uuid_or_none(value)


def today_for(account: Account | None, now: datetime | None = None) -> date:
    """The reader's calendar day now, in their usual time zone."""
    zone = account.timezone if account and valid_timezone(account.timezone) else "UTC"
    return local_date(now or datetime.now(UTC), zone, account.day_ends_at if account else 0)


# One statement for a tap: the insert, unless the id is already taken (then nothing is
# written and the caller looks up why). The trigger on ``acts`` counts it in ``act_days``.
# It also returns the counts of the days the answer shows (the day, or Today's whole week,
# one indexed row each) as they were before this act: both databases evaluate RETURNING
# before the trigger's change is visible (tests hold them to it). Seven lookups inside the
# statement cost far less than a second round trip (~30 µs on SQLite, nothing measurable on
# PostgreSQL), so only Today's answer asks for them.
#
# Numbered parameters, each sent once: 1 id, 2 account, 3 occurred_at, 4 time zone,
# 5 local date, 6 category, 7 note, 8 and 9 moods, 10 now, 11 the first day counted (the
# others follow it). Sending the account and a date for each day made 26 parameters, whose
# encoding cost a PostgreSQL tap ~20 µs (bench).
def _param(dialect: str, n: int, cast: str = "") -> str:
    if dialect == "postgres":
        return f"${n}::{cast}" if cast else f"${n}"
    return f"?{n}"


def _later(dialect: str, days: int) -> str:
    if dialect == "postgres":
        return f"$11::date + {days}"
    return f"date(?11, '+{days} day')" if days else "?11"


@lru_cache(maxsize=4)
def tap_sql(dialect: str, days: int) -> str:
    """The tap's statement for ``dialect``, counting ``days`` days from parameter 11."""
    p = partial(_param, dialect)
    values = [p(1, "uuid"), p(2, "uuid"), p(3, "timestamptz"), p(4), p(5, "date"), p(6), p(7)]
    values += [p(8, "smallint"), p(9, "smallint"), p(10, "timestamptz"), p(10, "timestamptz")]
    counts = ", ".join(
        f"(SELECT count FROM act_days WHERE account_id = {p(2, 'uuid')} "
        f"AND local_date = {_later(dialect, n)}) AS d{n}"
        for n in range(days)
    )
    return f"""
INSERT INTO acts (id, account_id, occurred_at, timezone, local_date, category, note,
                  mood_before, mood_after, created_at, updated_at)
SELECT {", ".join(values)}
WHERE NOT EXISTS (SELECT 1 FROM held_acts WHERE id = {p(1, "uuid")})
ON CONFLICT (id) DO NOTHING
RETURNING id, {counts}"""


@dataclass(frozen=True)
class Recorded:
    act: ActView
    created: bool
    day_count: int  # acts on the day asked for (see record_tap), this one included
    week: tuple[int, ...] | None = None  # and on each day of its week, when asked for


async def record_act(account: Account, act: ActInput) -> tuple[ActView, bool]:
    """Stores a tap once. The same id again returns the stored act with ``created=False``.
    Raises ActIdTaken when the id belongs to another account, and ActHeld (after keeping the
    tap aside) when its time is out of bounds, or when the id already names a kept-aside tap."""
    recorded = await record_tap(account, act, act.local_date)
    return recorded.act, recorded.created


async def record_tap(account: Account, act: ActInput, day: date, week: bool = False) -> Recorded:
    """``record_act``, also counting the reader's acts on ``day`` (the day the answer shows)
    and, with ``week``, on each day of its week (Monday first).

    Insert first, look up only when the id turns out to be taken: a new tap (nearly every
    one) is a single statement, the counts included."""
    if act.held_reason:
        view, created = await _record_held(account, act)
        return await _recount(account, view, created, day, week)
    details = act.details
    now = datetime.now(UTC)
    days = week_of(day) if week else (day,)
    sql = tap_sql(db.dialect(), len(days))
    for _ in range(2):
        inserted = await db.write(
            sql,
            *(act.id, account.id, act.occurred_at, act.timezone, act.local_date),
            *(details.category, details.note, details.mood_before, details.mood_after),
            *(now, days[0]),
        )
        if inserted:
            await _remember_timezone(account, act)
            view = ActView(
                str(act.id),
                act.occurred_at,
                act.timezone,
                act.local_date,
                **vars(details),
                created_at=now,
            )
            row = inserted[0]
            counts = tuple(
                int(row[f"d{n}"] or 0) + (act.local_date == each) for n, each in enumerate(days)
            )
            return Recorded(view, True, counts[days.index(day)], counts if week else None)
        if (existing := await _already_recorded(account, act)) is not None:
            return await _recount(account, existing, False, day, week)
        # The act that held the id was removed in between (an undo racing a retry): try again.
    raise RuntimeError(f"act {act.id} could neither be stored nor found")


async def _recount(account: Account, view: ActView, created: bool, day: date, week: bool):
    """A retried tap's answer: the counts read afresh (rare, so one read of the week)."""
    counts = await week_counts(account, day)
    return Recorded(view, created, counts[day.weekday()], counts if week else None)


async def _record_held(account: Account, act: ActInput) -> tuple[ActView, bool]:
    """A tap out of time bounds: the stored act when its id was already counted (a retry),
    else it is kept aside and ActHeld raised."""
    if (existing := await _already_recorded(account, act)) is not None:
        return existing, False
    raise ActHeld(await _hold(account, act))


async def _already_recorded(account: Account, act: ActInput) -> ActView | None:
    """The act already stored under this tap's id (a retry), else None. Raises ActIdTaken
    when it is another account's, and ActHeld when the id names a kept-aside tap."""
    existing = await Act.get_or_none(id=act.id)
    if existing is not None:
        return _mine(existing, account)
    held = await HeldAct.get_or_none(id=act.id)
    if held is not None:
        raise ActHeld(held_view(_mine_held(held, account)))
    return None


def _mine(row: Act, account: Account) -> ActView:
    if row.account_id != account.id:
        raise ActIdTaken()
    return _view(row)


def _mine_held(row: HeldAct, account: Account) -> HeldAct:
    if row.account_id != account.id:
        raise ActIdTaken()
    return row


async def _hold(account: Account, act: ActInput) -> HeldView:
    payload = {k: v for k, v in asdict(act.details).items() if v is not None}
    try:
        row = await HeldAct.create(
            id=act.id,
            account_id=account.id,
            occurred_at=act.occurred_at,
            timezone=act.timezone,
            reason=act.held_reason,
            payload=payload,
        )
    except IntegrityError:
        row = await HeldAct.get_or_none(id=act.id)
        if row is None:
            raise
        _mine_held(row, account)
    return held_view(row)


async def _remember_timezone(account: Account, act: ActInput) -> None:
    """A fresh tap tells us the reader's current time zone, so "today" follows their phone
    (also for visits without JavaScript, which cannot say)."""
    fresh = datetime.now(UTC) - act.occurred_at < timedelta(hours=1)
    if fresh and act.timezone != account.timezone:
        await Account.filter(id=account.id).update(timezone=act.timezone)
        forget_account(account)
        account.timezone = act.timezone


async def get_act(account: Account | None, act_id: uuid.UUID | str) -> ActView | None:
    key = _uuid(act_id)
    if account is None or key is None:
        return None
    row = await Act.get_or_none(id=key, account_id=account.id)
    return _view(row) if row else None


async def update_act(
    account: Account | None, act_id: uuid.UUID | str, details: ActDetails, private: bool = False
) -> ActView | None:
    key = _uuid(act_id)
    if account is None or key is None:
        return None
    row = await Act.get_or_none(id=key, account_id=account.id)
    if row is None:
        return None
    row.update_from_dict({**asdict(details), "private": private})
    await row.save()
    return _view(row)


async def list_acts(account: Account | None, page: int = 1, per_page: int = PER_PAGE) -> ActPage:
    """One page of the reader's acts, newest first."""
    page = max(page, 1)
    if account is None:
        return ActPage([], page, 0, per_page)
    query = Act.filter(account_id=account.id)
    total = await query.count()
    rows = (
        await query.order_by("-occurred_at", "-created_at")
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return ActPage([_view(r) for r in rows], page, total, per_page)


async def counts_for_days(account: Account | None, days: set[date]) -> dict[date, int]:
    """Acts on each of ``days`` (the day headings of a page of history), in one query."""
    if account is None or not days:
        return {}
    rows = await ActDay.filter(account_id=account.id, local_date__in=list(days)).values_list(
        "local_date", "count"
    )
    return {day: int(count) for day, count in rows}


async def export_rows(account: Account | None) -> list[dict]:
    """Every act of the reader, oldest first, as JSON-ready dicts (see EXPORT_FIELDS)."""
    if account is None:
        return []
    # Plain values, not model objects: half the time for a long history.
    rows = await (
        Act.filter(account_id=account.id)
        .order_by("occurred_at", "created_at")
        .values(*EXPORT_FIELDS)
    )
    return [_exported(row) for row in rows]


async def list_held(account: Account | None) -> list[HeldView]:
    if account is None:
        return []
    rows = await HeldAct.filter(account_id=account.id).order_by("-received_at")
    return [held_view(r) for r in rows]


async def accept_held(
    account: Account | None, held_id: uuid.UUID | str, now: datetime | None = None
) -> ActView | None:
    """Counts a kept-aside tap as done today (keeping its id, so a late retry stays one act)."""
    key = _uuid(held_id)
    if account is None or key is None:
        return None
    held = await HeldAct.get_or_none(id=key, account_id=account.id)
    if held is None:
        return None
    now = now or datetime.now(UTC)
    details = {k: v for k, v in (held.payload or {}).items() if k in ActDetails.__annotations__}
    try:
        row = await Act.create(
            id=held.id,
            account_id=account.id,
            occurred_at=now,
            timezone=held.timezone,
            local_date=local_date(now, held.timezone, account.day_ends_at),
            **details,
        )
    except IntegrityError:
        row = await Act.get_or_none(id=key, account_id=account.id)
        if row is None:
            raise
    await HeldAct.filter(id=key, account_id=account.id).delete()
    return _view(row)


async def release_held(account: Account | None, held_id: uuid.UUID | str) -> bool:
    key = _uuid(held_id)
    if account is None or key is None:
        return False
    return await HeldAct.filter(id=key, account_id=account.id).delete() > 0
