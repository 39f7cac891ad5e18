"""A device the push service has ended (404/410), or that failed too many times in a row, is
kept and shown as gone instead of being deleted unseen (push_subscriptions.gone_at). Existing
devices are not gone."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("lifted", "0006_deleted_acts")]

    initial = False

    operations = [
        ops.AddField(
            model_name="PushSubscription",
            name="gone_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
