"""The (account_id, occurred_at) index on acts also holds kind and moods, so Progress reads the
kinds and moods of the most recent acts from the index alone, however long the history."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0002_act_days")]

    initial = False

    operations = [
        ops.RemoveIndex(model_name="Act", name=None, fields=["account_id", "occurred_at"]),
        ops.AddIndex(
            model_name="Act",
            index=Index(
                fields=["account_id", "occurred_at", "category", "mood_before", "mood_after"]
            ),
        ),
    ]
