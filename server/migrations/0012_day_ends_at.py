"""When a reader's day ends (accounts.day_ends_at, an hour from 0 to 5, server/days.py).
Every reader already stored keeps midnight: 0 for every row."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0011_reminders_on_kindness_days")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Account",
            name="day_ends_at",
            field=fields.SmallIntField(default=0, db_default=0),
        ),
    ]
