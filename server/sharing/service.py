"""Share links: make, list, turn off, and open one (with what it shows, never a private act)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tortoise.expressions import Q

from server import db
from server.acts.content import kind_label
from server.identity.models import Account
from server.identity.tokens import api_token_hash as token_hash
from server.sharing.models import ShareLink

# How long a link works, as the reader chooses it (days; None: until turned off).
LIFETIMES: dict[str, int | None] = {"7": 7, "30": 30, "90": 90, "never": None}
DEFAULT_LIFETIME = "30"
# Opening a link is a read; writing when it was opened at most once a minute keeps it one.
TOUCH_EVERY = timedelta(minutes=1)
YEAR = timedelta(days=371)
NOTES_SHOWN = 10
NOTES_WITHIN = timedelta(days=90)

DAILY_SQL = """
SELECT local_date, COUNT(*) AS n FROM acts
WHERE account_id = ?::uuid AND local_date >= ?::date AND NOT private
GROUP BY local_date
"""
KINDS_SQL = """
SELECT category, COUNT(*) AS n,
       SUM(CASE WHEN mood_before IS NOT NULL AND mood_after IS NOT NULL
                THEN 1 ELSE 0 END) AS paired,
       SUM(CASE WHEN mood_before IS NOT NULL AND mood_after IS NOT NULL
                THEN mood_after - mood_before ELSE 0 END) AS lift
FROM acts WHERE account_id = ?::uuid AND local_date >= ?::date AND NOT private
GROUP BY category
"""
NOTES_SQL = f"""
SELECT local_date, category, note FROM acts
WHERE account_id = ?::uuid AND local_date >= ?::date AND NOT private
  AND note IS NOT NULL AND note <> ''
ORDER BY occurred_at DESC LIMIT {NOTES_SHOWN}
"""


@dataclass(frozen=True)
class LinkView:
    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_opened_at: datetime | None
    shows: tuple[str, ...]  # "kinds", "mood lift", "notes"

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


def _view(row: ShareLink) -> LinkView:
    shows = [w for w, on in (("kinds", row.show_kinds), ("mood lift", row.show_moods),
                             ("notes", row.show_notes)) if on]  # fmt: skip
    return LinkView(
        row.id, row.name, row.created_at, row.expires_at, row.last_opened_at, tuple(shows)
    )


async def create(
    account: Account, name: str, days: int | None, *, kinds: bool, moods: bool, notes: bool
) -> str:
    """Makes a link and returns its token in full, the only time it exists outside the link."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(days=days) if days else None
    await ShareLink.create(
        account=account, name=name, token_hash=token_hash(token), expires_at=expires,
        show_kinds=kinds, show_moods=moods, show_notes=notes,
    )  # fmt: skip
    return token


async def links(account: Account | None) -> list[LinkView]:
    """The reader's links that are not turned off, newest first (expired ones too, marked)."""
    if account is None:
        return []
    rows = await ShareLink.filter(account_id=account.id, revoked_at__isnull=True).order_by("-id")
    return [_view(row) for row in rows]


async def revoke(account: Account | None, link_id: int) -> bool:
    if account is None:
        return False
    found = ShareLink.filter(id=link_id, account_id=account.id, revoked_at__isnull=True)
    return bool(await found.update(revoked_at=datetime.now(UTC)))


@dataclass(frozen=True)
class Shared:
    name: str
    account: Account
    kinds: bool
    moods: bool
    notes: bool


async def open_link(token: str, now: datetime | None = None) -> Shared | None:
    """The link behind ``token`` if it works (not turned off, not expired), noting that it was
    opened; None otherwise, whatever the reason."""
    now = now or datetime.now(UTC)
    row = await ShareLink.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        token_hash=token_hash(token),
        revoked_at__isnull=True,
    ).first()
    if row is None:
        return None
    if row.last_opened_at is None or now - row.last_opened_at > TOUCH_EVERY:
        await ShareLink.filter(id=row.id).update(last_opened_at=now)
    account = await Account.get_or_none(id=row.account_id)
    if account is None:
        return None
    return Shared(row.name, account, row.show_kinds, row.show_moods, row.show_notes)


async def daily(account: Account, today: date) -> dict[date, int]:
    """Acts per day over the past year, private acts left out."""
    rows = await db.fetch(DAILY_SQL, account.id, today - YEAR)
    return {db.as_date(r["local_date"]): int(r["n"]) for r in rows}


async def kinds_and_lift(
    account: Account, today: date
) -> tuple[list[tuple[str, int]], float | None, int]:
    """Kinds of the past year's acts (label, count) and the mean mood lift over those with
    both moods (and how many), private acts left out."""
    rows = await db.fetch(KINDS_SQL, account.id, today - YEAR)
    kinds = sorted(((kind_label(r["category"]), int(r["n"])) for r in rows), key=lambda k: -k[1])
    paired = sum(int(r["paired"] or 0) for r in rows)
    lift = round(sum(int(r["lift"] or 0) for r in rows) / paired, 1) if paired else None
    return kinds, lift, paired


async def recent_notes(account: Account, today: date) -> list[dict]:
    rows = await db.fetch(NOTES_SQL, account.id, today - NOTES_WITHIN)
    return [
        {"day": db.as_date(r["local_date"]), "kind": kind_label(r["category"]), "note": r["note"]}
        for r in rows
    ]
