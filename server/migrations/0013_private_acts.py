"""Private acts (acts.private, and deleted_acts.private so an Undo puts the mark back): kept
out of look-back and sharing. Every act already stored is not private."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0012_day_ends_at")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Act",
            name="private",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="DeletedAct",
            name="private",
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
