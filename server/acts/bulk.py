"""Storing many acts at once (an import), with the same idempotency as a tap: an act whose id is
already this reader's counts as already here, and nothing is added twice.

Every id is checked first, a few hundred per query, then the new acts go in with multi-row
inserts: ten thousand acts are some forty statements instead of thirty thousand. The triggers on
``acts`` still count each one in ``act_days`` and ``act_weeks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from server.acts.forms import ActInput
from server.acts.models import Act, HeldAct
from server.identity.models import Account

BATCH = 500


@dataclass(frozen=True)
class Stored:
    created: int
    existing: int


class Refused(Exception):
    """An act that can't be stored; ``act_id`` says which, the message why."""

    def __init__(self, act_id, reason: str) -> None:
        super().__init__(reason)
        self.act_id = act_id


async def record_many(account: Account, acts: Sequence[ActInput]) -> Stored:
    """Stores ``acts`` for ``account``. Raises Refused, before writing anything, for the first
    act whose id names another reader's act or an act kept aside for review. Call it inside a
    transaction, so that a failure while writing leaves nothing behind either."""
    ids = list(dict.fromkeys(act.id for act in acts))
    owners: dict = {}
    held: set = set()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        owners.update(await Act.filter(id__in=chunk).values_list("id", "account_id"))
        held.update(await HeldAct.filter(id__in=chunk).values_list("id", flat=True))
    new: dict = {}
    for act in acts:
        if act.id in held:
            raise Refused(act.id, "its id names an act kept aside for review.")
        if owners.get(act.id, account.id) != account.id:
            raise Refused(act.id, "its id belongs to an act in another account.")
        if act.id not in owners:
            new.setdefault(act.id, act)
    rows = [
        Act(
            id=act.id,
            account_id=account.id,
            occurred_at=act.occurred_at,
            timezone=act.timezone,
            local_date=act.local_date,
            private=act.private,
            **asdict(act.details),
        )
        for act in new.values()
    ]
    if rows:
        await Act.bulk_create(rows, batch_size=BATCH)
    return Stored(created=len(rows), existing=len(acts) - len(rows))
