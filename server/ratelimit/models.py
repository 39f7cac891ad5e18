"""Counted attempts for the database rate-limit backend."""

from tortoise import fields
from tortoise.models import Model


class RateLimitHit(Model):
    """One counted attempt against a rate-limit key (an account or a client address)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=200, db_index=True)
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "rate_limit_hits"
