"""Reminders only on kindness days (reminder_settings.kindness_only). Existing settings are not
limited: false for every row already stored."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0010_kindness_days")]

    initial = False

    operations = [
        ops.AddField(
            model_name="ReminderSettings",
            name="kindness_only",
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
