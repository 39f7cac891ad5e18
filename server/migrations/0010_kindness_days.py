"""Kindness days (server/kindness): a new, empty table, so nothing already stored changes; a
reader who never chooses kindness days has no row."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0009_rests")]

    initial = False

    operations = [
        ops.CreateModel(
            name="KindnessDays",
            fields=[
                (
                    "account",
                    fields.OneToOneField(
                        "lifted.Account",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="kindness_days",
                        on_delete="CASCADE",
                        primary_key=True,
                    ),
                ),
                ("days", fields.SmallIntField()),
                ("aim", fields.SmallIntField(default=3)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "kindness_days", "app": "lifted", "pk_attr": "account_id"},
            bases=["Model"],
        ),
    ]
