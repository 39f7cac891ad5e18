"""Plain values for pages of acts: a page of the history and a kept-aside tap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from server.acts.models import HeldAct

if TYPE_CHECKING:
    from server.acts.service import ActView


@dataclass(frozen=True)
class HeldView:
    id: str
    occurred_at: datetime
    timezone: str
    reason: str
    received_at: datetime

    @property
    def day(self) -> str:
        moment = self.occurred_at.astimezone(ZoneInfo(self.timezone))
        return f"{moment:%A} {moment.day} {moment:%B %Y}"

    @property
    def time(self) -> str:
        return f"{self.occurred_at.astimezone(ZoneInfo(self.timezone)):%H:%M}"


@dataclass(frozen=True)
class ActPage:
    items: list[ActView]
    page: int
    total: int
    per_page: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


def held_view(row: HeldAct) -> HeldView:
    return HeldView(str(row.id), row.occurred_at, row.timezone, row.reason, row.received_at)
