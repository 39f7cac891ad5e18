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
    # Kept out of look-back and out of anything the reader shares.
    private = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "acts"
        # Progress reads kinds and moods of the most recent acts from the second index alone.
        indexes = (
            ("account_id", "local_date"),
            ("account_id", "occurred_at", "category", "mood_before", "mood_after"),
        )


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


class DeletedAct(Model):
    """An act just deleted, kept whole for the few seconds its Undo is offered.

    Deleting moves the row here and Undo moves it back (same id, times, kind, note and moods),
    so no other query needs to know about deletion: history, Progress, the export and the API
    read ``acts`` alone, and the triggers on ``acts`` take the act off its day and put it back.
    Rows older than the undo window are purged (``server/acts/deleted.py``).
    """

    id = fields.UUIDField(primary_key=True)
    account = fields.ForeignKeyField(
        "lifted.Account", related_name="deleted_acts", on_delete="CASCADE"
    )
    occurred_at = fields.DatetimeField()
    timezone = fields.CharField(max_length=64)
    local_date = fields.DateField()
    category = fields.CharField(max_length=32, null=True)
    note = fields.TextField(null=True)
    mood_before = fields.SmallIntField(null=True)
    mood_after = fields.SmallIntField(null=True)
    private = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    deleted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "deleted_acts"


class ActDay(Model):
    """How many acts an account has on one of its local days.

    What Progress reads, so its cost follows the days with acts rather than the acts.

    Kept by database triggers on ``acts`` (migration 0002), not by the code that writes acts:
    every way an act is added, moved to another account or day, or removed (a tap, the API,
    an import, undo, a merge, an account's deletion, even a bulk insert) updates it in the
    same statement, so it cannot drift from a recount and costs a tap no extra round trip.
    """

    # Derived from ``acts``: merging accounts moves the acts and the triggers follow them.
    derived = True

    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField("lifted.Account", related_name="act_days", on_delete="CASCADE")
    local_date = fields.DateField()
    count = fields.IntField()

    class Meta:
        table = "act_days"
        unique_together = (("account", "local_date"),)
        # Progress's totals read this index alone, never the table.
        indexes = (("account_id", "local_date", "count"),)


class ActWeek(Model):
    """How many days with acts an account has in one week (``summary.week_number``).

    Kept by triggers on ``act_days`` (migration 0004), as act_days is by triggers on acts:
    Progress counts weeks and the weeks in a row from it, a row a week rather than a day.
    """

    # Derived from ``act_days``: merging accounts moves the acts and the triggers follow them.
    derived = True

    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField(
        "lifted.Account", related_name="act_weeks", on_delete="CASCADE"
    )
    week = fields.IntField()
    days = fields.IntField()

    class Meta:
        table = "act_weeks"
        # Progress reads the weeks from this unique index alone.
        unique_together = (("account", "week"),)
