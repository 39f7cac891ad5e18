"""Breaks ("I'm taking a break", server/rest): a new, empty table, so nothing already stored
changes; a reader who never takes a break has no row."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0008_reminder_times")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Rest",
            fields=[
                ("id", fields.IntField(primary_key=True, unique=True, db_index=True)),
                (
                    "account",
                    fields.ForeignKeyField(
                        "lifted.Account",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="rests",
                        on_delete="CASCADE",
                    ),
                ),
                ("starts_on", fields.DateField()),
                ("ends_on", fields.DateField(null=True)),
                ("ended_on", fields.DateField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "rests",
                "app": "lifted",
                "pk_attr": "id",
                "table_description": (
                    "One break. It covers ``starts_on`` through ``ends_on`` (None: until turned "
                    "off), and"
                ),
            },
            bases=["Model"],
        ),
    ]
