"""Reminder preferences, push devices and the record of each reminder sent."""

from tortoise import fields
from tortoise.models import Model


class ReminderSettings(Model):
    account = fields.OneToOneField(
        "lifted.Account", related_name="reminder_settings", on_delete="CASCADE", primary_key=True
    )
    enabled = fields.BooleanField(default=False)
    time_of_day = fields.CharField(max_length=5, default="19:00")  # HH:MM, local
    days = fields.SmallIntField(default=127)  # bit 0 = Monday ... bit 6 = Sunday
    timezone = fields.CharField(max_length=64, default="UTC")
    quiet_start = fields.CharField(max_length=5, null=True)
    quiet_end = fields.CharField(max_length=5, null=True)
    paused_until = fields.DatetimeField(null=True)
    skip_if_logged = fields.BooleanField(default=True)
    # The first time is the three columns above (as earlier releases stored it); a second and
    # third time are here, as [{"at": "HH:MM", "days": mask, "skip_if_logged": bool}, ...].
    extra_times = fields.JSONField(null=True)
    # Notification text that says nothing about mental health or recovery.
    discreet = fields.BooleanField(default=False, db_default=False)
    # Only on the reader's kindness days (server/kindness), while they have some.
    kindness_only = fields.BooleanField(default=False, db_default=False)
    # "Snooze 1 hour" from a notification: one more reminder at this instant.
    snoozed_until = fields.DatetimeField(null=True)
    # The secret in the calendar feed's URL; revoking replaces it.
    calendar_token = fields.CharField(max_length=64, null=True, unique=True)
    # When the next reminder falls due, in UTC: the scheduler's index.
    next_due_at = fields.DatetimeField(null=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reminder_settings"


class PushSubscription(Model):
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField(
        "lifted.Account", related_name="push_subscriptions", on_delete="CASCADE"
    )
    endpoint = fields.CharField(max_length=1000, unique=True)
    p256dh = fields.CharField(max_length=200)
    auth = fields.CharField(max_length=100)
    label = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_delivered_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=300, null=True)
    failures = fields.IntField(default=0)  # in a row; a delivery sets it back to 0
    # When the push service said it no longer knows this device (404/410), or it failed
    # too many times in a row: nothing more is sent to it, and the page says so with the fix.
    gone_at = fields.DatetimeField(null=True)

    class Meta:
        table = "push_subscriptions"


class ReminderOccurrence(Model):
    """One reminder occurrence: a reminder time on one day, or a snooze. The unique
    (account, due_at) row is the claim that makes several processes send each exactly once;
    two reminder times that fall on one instant are one reminder."""

    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField(
        "lifted.Account", related_name="reminder_occurrences", on_delete="CASCADE"
    )
    local_date = fields.DateField()
    due_at = fields.DatetimeField()
    kind = fields.CharField(max_length=10, default="time")  # time, snooze
    status = fields.CharField(max_length=20, default="claimed")  # claimed, sent, skipped, failed
    detail = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reminder_occurrences"
        unique_together = (("account", "due_at"),)
