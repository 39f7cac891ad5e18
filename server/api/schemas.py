"""Typed request and response bodies of the JSON API, so the OpenAPI schema is exact."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

Mood = Annotated[int, Meta(description="How you felt, 1 (very low) to 5 (very good).")]


class ActCreate(msgspec.Struct):
    """An act to record. Every field is optional; send at least an ``id`` to make retries safe."""

    id: (
        Annotated[
            str,
            Meta(
                description="A UUID you choose. Sending the same id again records nothing new "
                "and answers 200 with the stored act. Without an id the server makes one, and a "
                "retried request records a second act."
            ),
        ]
        | None
    ) = None
    occurred_at: (
        Annotated[
            str, Meta(description="ISO 8601 with a UTC offset; defaults to now. Up to 30 days old.")
        ]
        | None
    ) = None
    timezone: (
        Annotated[str, Meta(description="IANA time zone; defaults to your usual one.")] | None
    ) = None
    category: Annotated[str, Meta(description="A kind of kindness, by id.")] | None = None
    note: Annotated[str, Meta(description="Up to 500 characters.")] | None = None
    mood_before: Mood | None = None
    mood_after: Mood | None = None


class ActOut(msgspec.Struct):
    id: UUID
    occurred_at: dt.datetime
    timezone: str
    local_date: dt.date
    category: str | None
    note: str | None
    mood_before: int | None
    mood_after: int | None
    private: Annotated[bool, Meta(description="Kept out of look-back and sharing.")] = False


class ActList(msgspec.Struct):
    acts: list[ActOut]
    page: int
    per_page: int
    total: int
    next_page: int | None


class ErrorBody(msgspec.Struct, omit_defaults=True):
    error: str
    status: int
    fields: dict[str, str] | None = None


class CategoryCount(msgspec.Struct):
    id: str | None
    label: str
    count: int


class ReachedMilestone(msgspec.Struct):
    id: str
    title: str
    text: str
    reached_on: dt.date | None


class NextMilestone(msgspec.Struct):
    id: str
    title: str
    goal: str
    current: int
    remaining: int


class Milestones(msgspec.Struct):
    reached: list[ReachedMilestone]
    next: NextMilestone | None


class HelperHigh(msgspec.Struct):
    acts_with_both: int
    average_lift: float | None
    average_before: float | None
    average_after: float | None


class Progress(msgspec.Struct):
    """Counts of acts (weeks start on Monday) and the gentler measures of the Progress page."""

    date: dt.date
    today: int
    week: int
    month: int
    all_time: int
    days_this_week: int
    days_this_month: int
    days_all_time: int
    weeks_all_time: int
    momentum: Annotated[
        float, Meta(description="0 to 100, fades slowly, never resets, waits during a break.")
    ]
    resting: Annotated[bool, Meta(description="The reader is taking a break today.")]
    weeks_with_kindness: int
    categories: list[CategoryCount]
    milestones: Milestones
    helper_high: HelperHigh
