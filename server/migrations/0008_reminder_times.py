"""Up to three reminder times a day, a discreet text, and "Snooze 1 hour".

- ``reminder_settings`` gains ``extra_times`` (a second and third time; the first stays in the
  columns earlier releases read), ``discreet`` and ``snoozed_until``; existing readers keep
  their one time, their texts unchanged and no snooze.
- The claim that sends each reminder once becomes one row per (account, instant) in
  ``reminder_occurrences`` instead of one per (account, day) in ``reminder_sends``, so one day
  can hold several. Every stored row is copied over with its day, instant, status and detail.
(``make migrations`` also proposes a no-op AlterModelOptions for ReminderSettings, left out as
in the README's Decisions.)"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

COPY = """INSERT INTO reminder_occurrences
    (account_id, local_date, due_at, kind, status, detail, created_at)
SELECT account_id, local_date, due_at, 'time', status, detail, created_at FROM reminder_sends"""
# Back to one row a day: each day's first occurrence, whole.
COPY_BACK = """INSERT INTO reminder_sends
    (account_id, local_date, due_at, status, detail, created_at)
SELECT account_id, local_date, due_at, status, detail, created_at FROM reminder_occurrences
WHERE id IN (SELECT MIN(id) FROM reminder_occurrences GROUP BY account_id, local_date)"""


class Migration(migrations.Migration):
    dependencies = [("lifted", "0007_device_gone")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ReminderOccurrence",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "account",
                    fields.ForeignKeyField(
                        "lifted.Account",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reminder_occurrences",
                        on_delete="CASCADE",
                    ),
                ),
                ("local_date", fields.DateField()),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("kind", fields.CharField(default="time", max_length=10)),
                ("status", fields.CharField(default="claimed", max_length=20)),
                ("detail", fields.CharField(default="", max_length=300)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "reminder_occurrences",
                "app": "lifted",
                "unique_together": (("account", "due_at"),),
                "pk_attr": "id",
                "table_description": (
                    "One reminder occurrence: a reminder time on one day, or a snooze. The unique"
                ),
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="ReminderSettings",
            name="discreet",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="ReminderSettings",
            name="extra_times",
            field=fields.JSONField(
                null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
        ),
        ops.AddField(
            model_name="ReminderSettings",
            name="snoozed_until",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunSQL(COPY, reverse_sql=COPY_BACK),
        ops.DeleteModel(name="ReminderSend"),
    ]
