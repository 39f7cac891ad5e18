"""Acts of kindness. The primary key is the client's idempotency key: a retried tap is one act."""

from tortoise import fields
from tortoise.models import Model


class Act(Model):
    id = fields.UUIDField(primary_key=True)
    account = fields.ForeignKeyField("lifted.Account", related_name="acts", on_delete="CASCADE")
    occurred_at = fields.DatetimeField()
    timezone = fields.CharField(max_length=64)
    # The reader's calendar day when they tapped: progress counts days, not UTC instants.
    local_date = fields.DateField()
    category = fields.CharField(max_length=32, null=True)
    note = fields.TextField(null=True)
    mood_before = fields.SmallIntField(null=True)
    mood_after = fields.SmallIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "acts"
        indexes = (("account_id", "local_date"), ("account_id", "occurred_at"))


class HeldAct(Model):
    """A tap whose time was out of bounds (future, or older than 30 days), kept for review."""

    id = fields.UUIDField(primary_key=True)
    account = fields.ForeignKeyField(
        "lifted.Account", related_name="held_acts", on_delete="CASCADE"
    )
    occurred_at = fields.DatetimeField()
    timezone = fields.CharField(max_length=64)
    reason = fields.CharField(max_length=200)
    payload = fields.JSONField(default=dict)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "held_acts"
