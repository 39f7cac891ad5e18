"""Acts just deleted wait in ``deleted_acts`` while their Undo is offered, whole, so Undo can
put each back exactly (same id, times, kind, note and moods). A new, empty table: nothing
already stored changes. (``make migrations`` also proposes a no-op AlterModelOptions for
ReminderSettings, left out as in the README's Decisions.)"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0005_token_expiry")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DeletedAct",
            fields=[
                ("id", fields.UUIDField(primary_key=True, unique=True, db_index=True)),
                (
                    "account",
                    fields.ForeignKeyField(
                        "lifted.Account",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deleted_acts",
                        on_delete="CASCADE",
                    ),
                ),
                ("occurred_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("timezone", fields.CharField(max_length=64)),
                ("local_date", fields.DateField()),
                ("category", fields.CharField(null=True, max_length=32)),
                ("note", fields.TextField(null=True, unique=False)),
                ("mood_before", fields.SmallIntField(null=True)),
                ("mood_after", fields.SmallIntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "deleted_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "deleted_acts",
                "app": "lifted",
                "pk_attr": "id",
                "table_description": (
                    "An act just deleted, kept whole for the few seconds its Undo is offered."
                ),
            },
            bases=["Model"],
        ),
    ]
